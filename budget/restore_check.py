"""Is a file a sound backup of this tool? Checked before ``budget restore``
touches anything (budget/restore.py).

The backup is copied into a private folder and checked there, read-only: a
SQLite file, whole (``integrity_check``), of a schema this version knows (the
same or older), with exactly the tables, guard triggers and no views or other
triggers that the migrations make at that schema, an audit chain that
verifies and, when a ``.head.json`` lies beside it, the chain head it
recorded. An older copy is then migrated to the current schema, still in the
private folder. Anything else is refused with one Vietnamese line.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from budget.errors import DatabaseError, Phrase, Term, os_error_text

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupRefusedError(DatabaseError):
    """The file named for a restore is not a sound backup of this tool."""


@dataclass(frozen=True)
class Schema:
    tables: dict[str, tuple[str, ...]]
    triggers: dict[str, str]
    views: tuple[str, ...]


def _normal(sql: str | None) -> str:
    return " ".join((sql or "").split())


def _ro(path: Path) -> sqlite3.Connection:
    from budget.backup import _uri

    return sqlite3.connect(_uri(path), uri=True)


def _schema(con: sqlite3.Connection) -> Schema:
    rows = con.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'trigger', 'view') "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    tables = {
        name: tuple(r[0] for r in con.execute("SELECT name FROM pragma_table_info(?)", (name,)))
        for kind, name, _ in rows
        if kind == "table"
    }
    triggers = {name: _normal(sql) for kind, name, sql in rows if kind == "trigger"}
    views = tuple(sorted(name for kind, name, _ in rows if kind == "view"))
    return Schema(tables, triggers, views)


@lru_cache(maxsize=8)
def reference_schema(revision: str) -> Schema:
    """What the migrations make at ``revision``: built in a scratch database."""
    from alembic import command
    from alembic.config import Config

    from budget.db import MIGRATIONS_DIR, make_engine

    with tempfile.TemporaryDirectory(prefix="budget-ref-") as folder:
        path = Path(folder) / "ref.db"
        engine = make_engine(f"sqlite:///{path}")
        try:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            with engine.begin() as conn:
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
        finally:
            engine.dispose()
        con = _ro(path)
        try:
            return _schema(con)
        finally:
            con.close()


def _names(items: list[str]) -> str:
    more = Phrase(" và {count} mục khác", count=len(items) - 3) if len(items) > 3 else ""
    return Phrase("{shown}{more}", shown=", ".join(items[:3]), more=more)


def _schema_problem(found: Schema, expected: Schema) -> str | None:
    missing_tables = sorted(set(expected.tables) - set(found.tables))
    if missing_tables:
        return Phrase("thiếu bảng {names}", names=_names(missing_tables))
    extra_tables = sorted(set(found.tables) - set(expected.tables))
    if extra_tables:
        return Phrase("có bảng lạ không do chương trình tạo ({names})", names=_names(extra_tables))
    altered = sorted(t for t, cols in expected.tables.items() if found.tables[t] != cols)
    if altered:
        return Phrase(
            "bảng {names} có cột khác với lược đồ của chương trình", names=_names(altered)
        )
    if found.views:
        return Phrase(
            "có view lạ không do chương trình tạo ({names})", names=_names(list(found.views))
        )
    missing = sorted(n for n, sql in expected.triggers.items() if found.triggers.get(n) != sql)
    if missing:
        return Phrase("thiếu hoặc bị sửa cơ chế bảo vệ ({names})", names=_names(missing))
    extra = sorted(set(found.triggers) - set(expected.triggers))
    if extra:
        return Phrase("có trigger lạ không do chương trình tạo ({names})", names=_names(extra))
    return None


def _refuse(path: Path, reason: str) -> BackupRefusedError:
    return BackupRefusedError("Không khôi phục từ {path}: {reason}.", path=path, reason=reason)


def _private_copy(path: Path, folder: Path) -> Path:
    """The backup (and a -wal beside it) copied as bytes into our private folder:
    nothing beside the user's file is created, and it cannot change under us."""
    if not path.is_file():
        raise _refuse(path, Term("không có tệp này"))
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
        if header != SQLITE_HEADER:
            raise _refuse(path, Term("tệp không phải cơ sở dữ liệu SQLite"))
        copy = folder / "backup.db"
        shutil.copyfile(path, copy)
        wal = Path(str(path) + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, Path(str(copy) + "-wal"))
    except OSError as exc:
        raise _refuse(
            path, Phrase("không đọc được tệp ({reason})", reason=os_error_text(exc))
        ) from None
    return copy


def _read_checks(path: Path, copy: Path) -> str:
    """Integrity, schema version and schema objects, read-only. Returns the revision."""
    from budget.backup import looks_complete
    from budget.db import _known_revisions
    from budget.migrations import HEAD_REVISION

    if not Path(str(copy) + "-wal").exists() and not looks_complete(copy):
        raise _refuse(path, Term("tệp bị cắt cụt (không đủ các trang)"))
    try:
        con = _ro(copy)
        try:
            status = con.execute("PRAGMA integrity_check").fetchone()[0]
            if status != "ok":
                raise _refuse(path, Term("tệp bị hỏng (integrity_check không đạt)"))
            found = _schema(con)
            if "alembic_version" not in found.tables:
                raise _refuse(path, Term("đây không phải bản sao lưu của chương trình"))
            rows = con.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        raise _refuse(path, Term("tệp không phải cơ sở dữ liệu SQLite hợp lệ")) from None
    if len(rows) != 1:
        raise _refuse(path, Term("bảng phiên bản lược đồ không hợp lệ"))
    revision = str(rows[0][0])
    if revision not in _known_revisions():
        raise _refuse(
            path,
            Phrase(
                "bản sao lưu thuộc phiên bản mới hơn hoặc không rõ của chương trình (lược đồ "
                "{revision}, chương trình đang ở {head}); hãy cập nhật chương trình",
                revision=revision[:20],
                head=HEAD_REVISION,
            ),
        )
    problem = _schema_problem(found, reference_schema(revision))
    if problem:
        raise _refuse(path, problem)
    return revision


def _sidecar_problem(path: Path, copy: Path) -> str | None:
    """The chain head written beside the backup (budget/audit_anchor.py), if any."""
    from budget.audit_anchor import head_metadata_path, read_heads

    sidecar = head_metadata_path(path)
    if not sidecar.exists():
        return None
    try:
        recorded = json.loads(sidecar.read_text(encoding="utf-8"))["audit_heads"]
        expected = {int(h["org_key"]): (int(h["count"]), str(h["head"])) for h in recorded}
    except (OSError, ValueError, KeyError, TypeError):
        return Phrase("tệp đầu chuỗi {name} không đọc được", name=sidecar.name)
    found = {int(h["org_key"]): (int(h["count"]), str(h["head"])) for h in read_heads(copy)}  # type: ignore[call-overload]
    if found != expected:
        return Phrase(
            "chuỗi nhật ký không khớp đầu chuỗi ghi trong {name} (bị cắt hoặc bị thay)",
            name=sidecar.name,
        )
    return None


def _migrate_and_verify(path: Path, copy: Path) -> None:
    from sqlalchemy.orm import Session

    from budget.db import make_engine, upgrade_to_head
    from budget.migrations import HEAD_REVISION
    from budget.services.audit_verify import verify

    engine = make_engine(f"sqlite:///{copy}")
    try:
        with engine.connect() as conn:
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        if revision != HEAD_REVISION:
            upgrade_to_head(engine)
        with Session(engine) as session:
            report = verify(session)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except DatabaseError:
        raise
    except Exception:  # noqa: BLE001 - whatever breaks here, the backup is not usable
        raise _refuse(path, Term("không nâng cấp hay kiểm tra được bản sao lưu")) from None
    finally:
        engine.dispose()
    if report.problems:
        count = len(report.problems) - 1
        more = Phrase(" (và {count} lỗi khác)", count=count) if count else ""
        raise _refuse(
            path,
            Phrase(
                "chuỗi nhật ký không nguyên vẹn: {problem}{more}",
                problem=report.problems[0],
                more=more,
            ),
        )


@contextmanager
def checked_backup(path: Path) -> Iterator[Path]:
    """A private, checked copy of the backup ``path`` at the current schema.

    Raises BackupRefusedError (one Vietnamese line) for anything that is not a
    sound backup of this tool; nothing outside the private folder is touched.
    """
    path = Path(path)
    try:
        folder = tempfile.mkdtemp(prefix="budget-restore-")
    except OSError as exc:
        raise DatabaseError(
            "Không tạo được thư mục tạm: {reason}.", reason=os_error_text(exc)
        ) from None
    try:
        copy = _private_copy(path, Path(folder))
        _read_checks(path, copy)
        problem = _sidecar_problem(path, copy)
        if problem:
            raise _refuse(path, problem)
        _migrate_and_verify(path, copy)
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)
