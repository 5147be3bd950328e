"""``budget restore`` on SQLite: the checked backup (budget/restore_check.py)
copied into the live file under the write lock.

The backup API takes SQLite's write lock on the live database (waiting the
app's busy timeout for a posting in progress); with the lock held the current
content is copied aside (atomically, into backups/) and the checked pages are
written into the live file and committed at once. The file is not replaced:
other processes keep it open and see the restored content on their next
transaction, and every posting they were told was committed is in the copy
kept aside (before the lock) or in the restored database (after it).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from budget import clock
from budget.errors import DatabaseError, os_error_text
from budget.restore_check import SQLITE_HEADER, BackupRefusedError, checked_backup

__all__ = ["BackupRefusedError", "RestoreBusyError", "checked_backup", "copy_into_live"]

PAGES_PER_STEP = 16


def _ro(path: Path) -> sqlite3.Connection:
    from budget.backup import _uri

    return sqlite3.connect(_uri(path), uri=True)


class RestoreBusyError(DatabaseError):
    """Another session held the write lock for longer than the busy timeout."""


def _page_size(path: Path) -> int | None:
    try:
        con = _ro(path)
        try:
            return int(con.execute("PRAGMA page_size").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return None


def _match_page_size(staged: Path, size: int) -> None:
    """A WAL database cannot change its page size: rebuild the copy to the live one's."""
    con = sqlite3.connect(staged, isolation_level=None)
    try:
        if int(con.execute("PRAGMA page_size").fetchone()[0]) == size:
            return
        con.execute("PRAGMA journal_mode = DELETE")
        con.execute(f"PRAGMA page_size = {int(size)}")
        con.execute("VACUUM")
        con.execute("PRAGMA journal_mode = WAL")
    finally:
        con.close()


def _aside_target(live: Path) -> Path:
    from budget.backup import _default_folder, backups_dir

    folder = _default_folder(backups_dir(live))
    stamp = f"{clock.now():%Y%m%d-%H%M%S}"
    target = folder / f"{live.stem}-before-restore-{stamp}.db"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{live.stem}-before-restore-{stamp}-{n}.db"
    return target


def _is_database(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError:
        return False
    if header != SQLITE_HEADER:
        return False
    try:
        con = _ro(path)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return True


def _replace_unreadable(live: Path, staged: Path) -> Path:
    """The live file is no database at all (nobody can be writing to it): keep its
    bytes aside and put the checked copy in its place, both atomically."""
    from budget.safe_output import atomic_path

    aside = _aside_target(live)
    with atomic_path(aside) as partial:
        shutil.copyfile(live, partial)
    with atomic_path(live, force=True) as partial:
        shutil.copyfile(staged, partial)
    for suffix in ("-wal", "-shm"):
        Path(str(live) + suffix).unlink(missing_ok=True)
    return aside


def copy_into_live(staged: Path, live: Path) -> Path | None:
    """Write the checked copy ``staged`` into ``live`` under SQLite's write lock;
    return the copy of the previous content kept aside (None for a new file)."""
    from budget.backup import copy_sqlite
    from budget.db import busy_timeout_ms

    if not live.exists():
        try:
            os.close(os.open(live, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except OSError as exc:
            raise DatabaseError(
                "Không tạo được tệp cơ sở dữ liệu {live}: {reason}.",
                live=live,
                reason=os_error_text(exc),
            ) from None
    elif live.stat().st_size and not _is_database(live):
        return _replace_unreadable(live, staged)
    fresh = live.stat().st_size == 0
    size = None if fresh else _page_size(live)
    if size:
        _match_page_size(staged, size)
    aside: list[Path] = []

    def under_lock(status: int, _remaining: int, _total: int) -> None:
        # Called after each step; from the first one that succeeded, the live file's
        # write lock is ours until the last page is committed.
        if status in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED
            raise RestoreBusyError(
                "Cơ sở dữ liệu đang bị khóa bởi một phiên khác "
                "(đã chờ {max} giây); chưa khôi phục gì, "
                "hãy thử lại sau.",
                max=max(1, round(busy_timeout_ms() / 1000)),
            )
        if not aside and not fresh:
            # Every posting committed before the lock is in this copy.
            aside.append(copy_sqlite(live, _aside_target(live)))

    source = sqlite3.connect(staged)
    try:
        pages = int(source.execute("PRAGMA page_count").fetchone()[0])
        if pages <= PAGES_PER_STEP:  # the first step must not also be the last
            raise DatabaseError("Bản sao lưu quá nhỏ để là cơ sở dữ liệu của chương trình.")
        dest = sqlite3.connect(live, timeout=busy_timeout_ms() / 1000, isolation_level=None)
        try:
            source.backup(dest, pages=PAGES_PER_STEP, progress=under_lock, sleep=0.05)
        except sqlite3.Error:
            raise DatabaseError(
                "Không ghi được bản sao lưu vào {live}; không có gì thay đổi.", live=live
            ) from None
        finally:
            dest.close()
    finally:
        source.close()
    return aside[0] if aside else None


def restore_sqlite(live: Path, source: Path) -> Path | None:
    """Check ``source`` and restore it into ``live``; return the copy kept aside."""
    with checked_backup(source) as staged:
        return copy_into_live(staged, live)
