"""What every command shares: the workspace (database and norms, opened lazily)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import click

from budget.workspace import OverWorkspace, Workspace

if TYPE_CHECKING:  # the heavy modules load only when a command needs them
    from sqlalchemy.orm import Session

    from budget.db import Database


class AppContext(OverWorkspace):
    """The CLI's view of the core ``Workspace`` (budget/workspace.py)."""

    def __init__(self, db_option: str | None, norms_files: tuple[str, ...] = ()) -> None:
        self.workspace = Workspace(db_option, norms_files)

    @property
    def database(self) -> Database:
        return self.workspace.database

    def transaction(self) -> AbstractContextManager[Session]:
        """One unit of work: commit on success, roll back on any error."""
        return self.workspace.transaction()

    def reading(self) -> AbstractContextManager[Session]:
        return self.workspace.reading()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"AppContext(db_option={self.db_option!r})"


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
