"""Backups: on demand, once a day automatically, and restore after a check.

SQLite copies use the online backup API (consistent under WAL, while others
read and write); every copy is created with mode 0600. PostgreSQL is backed up
with pg_dump: the tool prints the command to run.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from budget import clock
from budget.errors import DatabaseError, os_error_text

KEEP_ENV = "BUDGET_BACKUP_KEEP"
DEFAULT_KEEP = 7
SQLITE_HEADER = b"SQLite format 3\x00"

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


def _parse(url: str) -> URL:
    # SQLAlchemy loads only for the commands that need it: a reading command's
    # daily-backup check must not pay for it (budget/cli/quick_register.py).
    from sqlalchemy.engine import make_url

    return make_url(url)


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def _uri(path: Path, **params: str) -> str:
    """A read-only SQLite URI; the path is escaped ("#", "?", "%" are legal in folders)."""
    query = "&".join(f"{k}={v}" for k, v in {"mode": "ro", **params}.items())
    return f"file:{quote(str(path.absolute()))}?{query}"


def copy_sqlite(source: Path, target: Path, *, force: bool = False) -> Path:
    """An online, consistent copy of ``source`` at ``target`` (which must not exist
    unless ``force``).

    The copy is written to a temporary file beside the target (mode 0600), synced
    and renamed when complete (budget.safe_output), so a crash never leaves a half
    copy under the final name and a symlink or FIFO at the target is refused.
    """
    from budget.safe_output import atomic_path

    with atomic_path(target, force=force) as partial:
        try:
            src = sqlite3.connect(_uri(source), uri=True)
            try:
                dest = sqlite3.connect(partial)
                try:
                    src.backup(dest)
                finally:
                    dest.close()
            finally:
                src.close()
        except sqlite3.Error:
            raise DatabaseError("Không sao lưu được {source}.", source=source) from None
    return target


@dataclass(frozen=True)
class BackupResult:
    path: Path | None
    command: str | None = None  # PostgreSQL: the pg_dump to run


def _default_folder(folder: Path) -> Path:
    """The tool's own backups folder is created (private) on first use; a folder the
    user names with --out is not (budget.safe_output refuses it if missing)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(
            "Không tạo được thư mục sao lưu {folder}: {reason}.",
            folder=folder,
            reason=os_error_text(exc),
        ) from None
    return folder


def backup(url: str, out: Path | None = None, *, force: bool = False) -> BackupResult:
    parsed = _parse(url)
    if parsed.get_backend_name() == "postgresql":
        target = out or Path(f"budget-{clock.today():%Y%m%d}.dump")
        conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=True)
        return BackupResult(None, f"pg_dump --format=custom --file={target} '{conninfo}'")
    database = parsed.database
    if not database or database == ":memory:":
        raise DatabaseError("Chỉ sao lưu được tệp SQLite hoặc PostgreSQL.")
    source = Path(database)
    if not source.exists():
        raise DatabaseError("Không có tệp cơ sở dữ liệu {source}.", source=source)
    if out is None:
        out = _default_folder(backups_dir(source)) / f"{source.stem}-{clock.now():%Y%m%d-%H%M%S}.db"
    copied = copy_sqlite(source, out, force=force)
    _anchor(copied)
    return BackupResult(copied)


def _anchor(copy: Path) -> None:
    """The audit chain's head beside the copy (budget/audit_anchor.py)."""
    from budget.audit_anchor import write_head_metadata

    try:
        write_head_metadata(copy)
    except OSError as exc:
        raise DatabaseError(
            "Không ghi được đầu chuỗi nhật ký cạnh bản sao lưu {copy}: {reason}.",
            copy=copy,
            reason=os_error_text(exc),
        ) from None


def _keep(keep: int | None = None) -> int:
    return keep if keep is not None else int(os.environ.get(KEEP_ENV, DEFAULT_KEEP))


def _daily_target(db_path: Path, today: date | None = None) -> Path:
    day = today or clock.today()
    return backups_dir(db_path) / f"{db_path.stem}-daily-{day:%Y%m%d}.db"


def daily_backup_due(db_path: Path) -> bool:
    """Whether opening ``db_path`` now would make today's copy (daily_backup's test,
    without copying anything)."""
    if _keep() <= 0:
        return False
    target = _daily_target(db_path)
    return not (target.is_file() and looks_complete(target))


def daily_backup(
    db_path: Path, *, today: date | None = None, keep: int | None = None
) -> Path | None:
    """The first open of each day copies the database aside; the last ``keep`` stay."""
    keep = _keep(keep)
    if keep <= 0:
        return None
    folder = _default_folder(backups_dir(db_path))
    target = _daily_target(db_path, today)
    if target.exists():
        if looks_complete(target):
            return None
        target.unlink(missing_ok=True)  # a copy cut short (a crash, a full disk): again
    from budget.safe_output import OutputExistsError

    try:
        copy_sqlite(db_path, target)
    except OutputExistsError:
        return None  # another process opening at the same moment made today's copy
    _anchor(target)
    dailies = sorted(folder.glob(f"{db_path.stem}-daily-*.db"))
    for old in dailies[:-keep]:
        old.unlink(missing_ok=True)
        old.with_name(old.name + ".head.json").unlink(missing_ok=True)
    return target


def looks_complete(path: Path) -> bool:
    """A cheap check that a SQLite file is whole: its header's page count times its
    page size is its length (a half-written or empty file fails)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError:
        return False
    if len(header) < 100 or header[:16] != SQLITE_HEADER:
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96]
    return size > 0 and (not valid or pages * page_size == size)


PG_RESTORE_MESSAGE = (
    "Khôi phục một cơ sở dữ liệu PostgreSQL dùng chung do quản trị viên làm bằng pg_restore; "
    "lệnh này chỉ khôi phục tệp SQLite."
)


def _live_sqlite(url: str) -> Path:
    parsed = _parse(url)
    if parsed.get_backend_name() == "postgresql":
        raise DatabaseError(PG_RESTORE_MESSAGE)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        raise DatabaseError("Chỉ khôi phục được vào một tệp SQLite.")
    return Path(database)


def check_backup_file(path: Path) -> str:
    """Refuse anything but a sound backup of this tool (budget/restore.py); return
    the schema revision the backup is at (an older one is migrated on restore)."""
    from budget.restore import checked_backup

    with checked_backup(path):
        con = sqlite3.connect(_uri(path, immutable="1"), uri=True)
        try:
            return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])
        finally:
            con.close()


def restore(url: str, source: Path) -> Path | None:
    """Restore the SQLite database from ``source`` after checking it, under the write
    lock, into the live file (budget/restore.py). Returns the copy kept aside."""
    from budget.restore import restore_sqlite

    return restore_sqlite(_live_sqlite(url), source)
