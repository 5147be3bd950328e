"""Shared fixtures: every database test runs on a real SQLite file and, when
BUDGET_TEST_DATABASE_URL is set, on PostgreSQL in a schema of its own."""

from __future__ import annotations

import contextlib
import io
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

PG_ENV = "BUDGET_TEST_DATABASE_URL"
ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(autouse=True)
def _isolated_user(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep tests away from the real user's data folder, norms and environment."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for name in ("BUDGET_DATABASE_URL", "BUDGET_NORMS", "BUDGET_NOW", "BUDGET_LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BUDGET_USER", "kiemthu")
    from budget.i18n import set_language

    set_language("vi")  # a test that chose English leaves no trace in the next


def _pg_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@contextlib.contextmanager
def pg_schema_url(base: str) -> Iterator[str]:
    """A fresh schema on the test server; the URL pins search_path to it."""
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote('-csearch_path=' + schema)}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A database URL on each engine: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'budget.db'}"
        return
    base = _pg_base_url()
    if base is None:
        pytest.skip(f"{PG_ENV} not set: PostgreSQL tests skipped")
    with pg_schema_url(base) as url:
        yield url


@pytest.fixture
def database(db_url: str):  # type: ignore[no-untyped-def]
    from budget.db import open_database

    db = open_database(db_url)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def norms():  # type: ignore[no-untyped-def]
    from budget.norms import load_norms

    return load_norms()


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def last_line(self) -> str:
        return self.out.strip().splitlines()[-1]


def run_cli(*args: str) -> CliResult:
    """Run ``budget ARGS`` in-process, as the console script does."""
    from budget.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli(db_url: str):  # type: ignore[no-untyped-def]
    """``cli("plan", "show")`` runs against this test's database."""

    def invoke(*args: str) -> CliResult:
        return run_cli("--db", db_url, *args)

    return invoke
