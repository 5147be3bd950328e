"""Engines, sessions and opening a database safely.

``open_database`` refuses, with one Vietnamese line, a file that is not a
SQLite database, a database from a newer version of the tool, a SQLite
database that belongs to something else, and an unreachable server. It
creates a new SQLite file with mode 0600 and migrates an older one after
copying it aside.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from budget.errors import DatabaseError, Term, os_error_text
from budget.migrations import HEAD_REVISION
from budget.paths import resolve_database_url

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
BUSY_TIMEOUT_ENV = "BUDGET_BUSY_TIMEOUT_MS"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
READ_ONLY_MESSAGE = "Đang ở chế độ chỉ xem: không thể thay đổi dữ liệu."
REVIEWER_MESSAGE = "Tài khoản rà soát cấp tỉnh chỉ được xem: không thể thay đổi dữ liệu."


def busy_timeout_ms() -> int:
    """How long a SQLite writer waits for another one (BUDGET_BUSY_TIMEOUT_MS, tests)."""
    try:
        return max(0, int(os.environ.get(BUSY_TIMEOUT_ENV, BUSY_TIMEOUT_MS)))
    except ValueError:
        return BUSY_TIMEOUT_MS


def _sqlite_from_hint(self: SQLiteCompiler, table: Any, hint: str) -> str:
    return hint


# SQLAlchemy's SQLite compiler drops table hints (``with_hint(..., dialect_name="sqlite")``)
# silently; render them, so the reports' ``INDEXED BY`` pins their plans on a database
# that was never analysed (no sqlite_stat1) instead of being lost.
SQLiteCompiler.get_from_hint_text = _sqlite_from_hint  # type: ignore[method-assign,assignment]  # a SQLAlchemy hook


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, read_only: bool = False) -> None:
    # The driver's own implicit BEGIN is off: _sqlite_begin says BEGIN itself, so a
    # write transaction can take its lock up front (BEGIN IMMEDIATE).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        cursor.execute("PRAGMA foreign_keys = ON")
        # REPLACE then fires delete triggers too (the guards also refuse it without this).
        cursor.execute("PRAGMA recursive_triggers = ON")
        if read_only:
            # Switching the journal is a write: a read-only reader keeps the file's mode.
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _sqlite_read_only_pragmas(dbapi_connection: Any, record: Any) -> None:
    _sqlite_pragmas(dbapi_connection, record, read_only=True)


def _sqlite_begin(connection: Any) -> None:
    """BEGIN IMMEDIATE for write sessions: two writers queue on the busy timeout
    instead of failing with "database is locked" when a read turns into a write."""
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    # On the driver's connection: the statement has no result and no parameters,
    # and SQLAlchemy's execution context for it cost more than the rest of a BEGIN.
    statement = "BEGIN IMMEDIATE" if immediate else "BEGIN"
    try:
        connection.connection.driver_connection.execute(statement)
    except sqlite3.Error as err:
        from budget.services.driver_sql import as_sqlalchemy_error

        raise as_sqlalchemy_error(statement, (), err) from err


def _read_only_url(parsed: URL) -> URL:
    """The same database, opened so that the server itself refuses every write:
    SQLite through a ``file:...?mode=ro`` URI, PostgreSQL with read-only transactions."""
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if not database or database == ":memory:" or database.startswith("file:"):
            return parsed
        absolute = quote(str(Path(database).resolve()), safe="/")
        return parsed.set(database=f"file:{absolute}", query={"mode": "ro", "uri": "true"})
    if parsed.get_backend_name() == "postgresql":
        # Added to the URL's own libpq options (a search_path may already be there).
        given = parsed.query.get("options", "")
        given = given if isinstance(given, str) else " ".join(given)
        options = f"{given} -c default_transaction_read_only=on".strip()
        return parsed.update_query_dict({"options": options})
    return parsed


def make_engine(url: str, *, read_only: bool = False, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout.

    ``read_only``: the database itself refuses writes (see ``_read_only_url``)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError("Địa chỉ cơ sở dữ liệu không hợp lệ: «{url}».", url=url) from None
    if read_only:
        parsed = _read_only_url(parsed)
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(parsed, **kwargs)
            pragmas = _sqlite_read_only_pragmas if read_only else _sqlite_pragmas
            event.listen(engine, "connect", pragmas)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    except NoSuchModuleError:
        raise DatabaseError(
            "Không hỗ trợ loại cơ sở dữ liệu «{drivername}» "
            "(dùng sqlite:/// hoặc postgresql+psycopg://).",
            drivername=parsed.drivername,
        ) from None


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL; None for other engines or in-memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def _prepare_sqlite_file(path: Path) -> bool:
    """Check an existing file is SQLite, or create a new one with mode 0600.

    Returns True when the file was created now.
    """
    if path.exists():
        if path.is_dir():
            raise DatabaseError("{path} là một thư mục, không phải tệp cơ sở dữ liệu.", path=path)
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
        if header and header != SQLITE_HEADER:
            raise DatabaseError("Tệp {path} không phải là cơ sở dữ liệu SQLite.", path=path)
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    except OSError as exc:
        raise DatabaseError(
            "Không tạo được tệp cơ sở dữ liệu {path}: {reason}.",
            path=path,
            reason=os_error_text(exc),
        ) from None
    os.close(fd)
    return True


def backup_sqlite_file(path: Path, label: str) -> Path:
    """Copy a SQLite database aside with the online backup API (WAL-safe), mode 0600,
    atomically: written under a temporary name, synced, then renamed."""
    from budget.backup import copy_sqlite

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{label}-{stamp}.bak")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{label}-{stamp}-{n}.bak")
    return copy_sqlite(path, target)


def _current_revision(engine: Engine) -> tuple[str | None, bool]:
    """(revision, has_foreign_tables): what the database says of its schema."""
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" in tables:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            return (rows[0] if rows else None), False
        return None, bool(tables)


def _known_revisions() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}


def upgrade_to_head(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


@dataclass
class Database:
    """An open, migrated database: the engine and its session factory."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    created: bool
    backup: Path | None = None
    #: Guards missing or altered (budget/guard_check.py): when any, writing is refused.
    missing_guards: tuple[str, ...] = ()
    #: Opened read-only (the chairman's page): every write is refused before it starts.
    read_only: bool = False
    #: The login is a province reviewer of these provinces (PostgreSQL): it reads
    #: their communes and every write is refused before it starts.
    reviewer_provinces: tuple[str, ...] = ()

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    def session(self) -> Session:
        """A session for reading (and for tests that manage their own writes)."""
        return self.sessions()

    def write_session(self) -> Session:
        """A session for one user action that writes: on SQLite it begins IMMEDIATE."""
        self.require_guards()
        return Session(bind=self._immediate, expire_on_commit=False)

    @cached_property
    def _immediate(self) -> Engine:
        # One option engine for every write session: making one per session joined
        # the engine's event listeners again each time (a third of a posting's cost).
        return self.engine.execution_options(sqlite_immediate=True)

    def require_guards(self) -> None:
        if self.read_only:
            raise DatabaseError(READ_ONLY_MESSAGE)
        if self.reviewer_provinces:
            raise DatabaseError(REVIEWER_MESSAGE)
        if self.missing_guards:
            from budget.guard_check import refuse_writes_error

            raise refuse_writes_error(list(self.missing_guards))

    def dispose(self) -> None:
        self.engine.dispose()


def _describe(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _reviewer_provinces(conn: Any) -> tuple[str, ...]:
    """The provinces the PostgreSQL login reviews (none for a commune's user)."""
    if conn.dialect.name != "postgresql":
        return ()
    if conn.execute(text("SELECT to_regprocedure('budget_reviewer_provinces()')")).scalar() is None:
        return ()  # a guard check reports the schema's missing objects
    return tuple(conn.execute(text("SELECT budget_reviewer_provinces()")).scalar_one() or ())


def open_database(
    db: str | os.PathLike[str] | None = None, *, migrate: bool = True, read_only: bool = False
) -> Database:
    """Open (creating or migrating as needed) the database ``db`` names.

    ``read_only`` (the chairman's page in a browser): nothing is created, migrated
    or backed up, and the database engine itself refuses every write."""
    url = resolve_database_url(db)
    path = sqlite_path(url)
    if read_only:
        migrate = False
        if path is not None and not path.is_file():
            raise DatabaseError("Không tìm thấy tệp cơ sở dữ liệu {path}.", path=path)
    created = _prepare_sqlite_file(path) if path is not None else False
    engine = make_engine(url, read_only=read_only)
    try:
        revision, foreign = _current_revision(engine)
    except DBAPIError as exc:
        engine.dispose()
        if path is not None:
            raise DatabaseError(
                "Tệp {path} không phải là cơ sở dữ liệu hợp lệ.", path=path
            ) from None
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else ""
        raise DatabaseError(
            "Không kết nối được cơ sở dữ liệu {describe}: {reason}",
            describe=_describe(url),
            reason=reason,
        ) from None
    if foreign:
        engine.dispose()
        raise DatabaseError(
            "Cơ sở dữ liệu {describe} đã có bảng của chương trình khác; hãy chọn tệp khác (--db).",
            describe=_describe(url),
        )
    backup: Path | None = None
    if revision != HEAD_REVISION:
        if revision is not None and revision not in _known_revisions():
            engine.dispose()
            raise DatabaseError(
                "Cơ sở dữ liệu {describe} thuộc phiên bản mới hơn của chương trình "
                "(lược đồ {revision}); hãy cập nhật chương trình.",
                describe=_describe(url),
                revision=revision,
            )
        if not migrate:
            engine.dispose()
            hint = (
                Term(
                    "; chế độ chỉ xem không tự nâng cấp: hãy để kế toán mở chương trình "
                    "một lần trước (ví dụ «budget tui»)"
                )
                if read_only
                else ""
            )
            raise DatabaseError(
                "Cơ sở dữ liệu {describe} cần được nâng cấp lược đồ{hint}.",
                describe=_describe(url),
                hint=hint,
            )
        if path is not None and revision is not None:
            backup = backup_sqlite_file(path, f"before-{HEAD_REVISION}")
        upgrade_to_head(engine)
    if path is not None and not created and backup is None and not read_only:
        from budget.backup import daily_backup

        try:
            backup = daily_backup(path)
        except DatabaseError:
            backup = None  # best effort: a full disk must not stop the accountant reading
    sessions = sessionmaker(engine, expire_on_commit=False)
    from budget.guard_check import missing_guards

    with engine.connect() as conn:
        missing = tuple(missing_guards(conn))
        reviewer = _reviewer_provinces(conn)
    database = Database(
        url=url,
        engine=engine,
        sessions=sessions,
        created=created,
        backup=backup,
        missing_guards=missing,
        read_only=read_only,
        reviewer_provinces=reviewer,
    )
    if missing or read_only or reviewer:
        event.listen(sessions, "before_flush", lambda *_: database.require_guards())

        from sqlalchemy.sql.dml import UpdateBase

        def refuse_core_writes(_conn: Any, statement: Any, *_: Any) -> None:
            # Core INSERT/UPDATE/DELETE (posting, imports) flush nothing: they are
            # refused here, on the engine, as the ORM's are before a flush.
            if isinstance(statement, UpdateBase):
                database.require_guards()

        event.listen(engine, "before_execute", refuse_core_writes)
    return database
