"""What every command shares: the database and norms, opened lazily."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from budget.services.actor import current_actor

if TYPE_CHECKING:  # the heavy modules load only when a command needs them
    from sqlalchemy.orm import Session

    from budget.db import Database
    from budget.norms import Norms


@dataclass
class AppContext:
    db_option: str | None
    norms_files: tuple[str, ...] = ()
    _database: Database | None = field(default=None, repr=False)
    _norms: Norms | None = field(default=None, repr=False)

    @property
    def database(self) -> Database:
        if self._database is None:
            from budget.db import open_database

            self._database = open_database(self.db_option)
        return self._database

    @property
    def norms(self) -> Norms:
        if self._norms is None:
            from budget.norms import load_norms
            from budget.paths import user_norms_files

            self._norms = load_norms(user_norms_files(list(self.norms_files)))
        return self._norms

    @property
    def actor(self) -> str:
        """--user / BUDGET_USER on SQLite; on PostgreSQL the database login's name."""
        if self.database.engine.dialect.name == "postgresql":
            from budget.services.actor import login_actor

            with self.database.session() as session:
                login = login_actor(session)
            if login:
                return login
        return current_actor()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error."""
        with self.database.write_session() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self.database.session() as session:
            yield session

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()


pass_app = click.make_pass_decorator(AppContext)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[int] = ()
) -> None:
    """A plain aligned text table (NFC text: one column per character)."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def fmt(row: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()

    out = [fmt(headers), "  ".join("-" * w for w in widths)]
    out += [fmt(row) for row in cells]
    click.echo("\n".join(out))


def err(message: str) -> None:
    print(message, file=sys.stderr)
