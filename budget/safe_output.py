"""Writing a file the user named, safely: every export and every backup.

* The target's folder must exist (it is never created silently).
* A symlink, a FIFO, a device, a socket or a folder at the target is refused
  (checked with ``lstat``: nothing is opened, so a FIFO cannot hang us).
* An existing regular file is replaced only with ``force=True`` (``--force``).
* The content goes to a temporary file in the same folder, is flushed to disk
  (fsync) and then renamed over the target: an interrupted or failed save
  leaves the previous file whole, and never a half file under the final name.
  Without ``force`` the final step is a hard link, which fails if a file
  appeared in the meantime, so nothing is overwritten by a race either.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from budget.errors import BudgetError, Term, os_error_text


class OutputError(BudgetError):
    """The target of an export or a backup cannot be written safely."""


class OutputExistsError(OutputError):
    """The target already exists and ``force`` was not given."""


def _kind(mode: int) -> str | None:
    if stat.S_ISLNK(mode):
        return Term("là một liên kết tượng trưng (symlink); không ghi qua liên kết")
    if stat.S_ISDIR(mode):
        return Term("là một thư mục")
    if stat.S_ISFIFO(mode):
        return Term("là một đường ống (FIFO), không phải tệp")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Term("là một thiết bị, không phải tệp")
    if stat.S_ISSOCK(mode):
        return Term("là một socket, không phải tệp")
    if not stat.S_ISREG(mode):
        return Term("không phải tệp thường")
    return None


def check_target(path: Path, *, force: bool = False) -> Path:
    """Refuse, with one Vietnamese line, a target that cannot be written safely.

    Cheap and without side effects: commands call it before any database work.
    Returns the absolute target path.
    """
    target = Path(os.path.abspath(os.fspath(path)))
    folder = target.parent
    try:
        folder_mode = os.stat(folder).st_mode
    except FileNotFoundError:
        raise OutputError(
            "Thư mục «{folder}» không tồn tại; hãy tạo thư mục trước rồi xuất lại.", folder=folder
        ) from None
    except OSError as exc:
        raise OutputError(
            "Không dùng được thư mục «{folder}»: {reason}.",
            folder=folder,
            reason=os_error_text(exc),
        ) from None
    if not stat.S_ISDIR(folder_mode):
        raise OutputError("«{folder}» không phải thư mục.", folder=folder)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise OutputError(
            "Không kiểm tra được «{target}»: {reason}.", target=target, reason=os_error_text(exc)
        ) from None
    problem = _kind(mode)
    if problem:
        raise OutputError("«{target}» {problem}.", target=target, problem=problem)
    if not force:
        raise OutputExistsError(
            "Tệp «{target}» đã có; chọn tên khác hoặc thêm --force để ghi đè.", target=target
        )
    return target


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder: the rename is still atomic
    finally:
        os.close(fd)


def _publish(temporary: Path, target: Path, force: bool) -> None:
    """Move the finished temporary file to the target, re-checking the target."""
    check_target(target, force=force)  # something may have appeared meanwhile
    if force:
        os.replace(temporary, target)  # replaces a regular file; a link is never followed
        return
    try:
        os.link(temporary, target)  # fails if the name is taken: no clobbering by a race
    except FileExistsError:
        raise OutputExistsError(
            "Tệp «{target}» đã có; chọn tên khác hoặc thêm --force để ghi đè.", target=target
        ) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        os.replace(temporary, target)  # a file system without hard links
        return
    os.unlink(temporary)


@contextmanager
def atomic_path(path: Path, *, force: bool = False, mode: int = 0o600) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; on success it becomes ``path``.

    The temporary file exists (empty, ``mode``) when the block starts. On any
    error it is removed and the target is left as it was; an ``OSError`` comes
    out as an ``OutputError`` with a Vietnamese reason.
    """
    target = check_target(path, force=force)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise OutputError(
            "Không ghi được tệp «{target}»: {reason}.", target=target, reason=os_error_text(exc)
        ) from None
    temporary = Path(name)
    try:
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    try:
        yield temporary
        _fsync_path(temporary)
        _publish(temporary, target, force)
        _fsync_folder(target.parent)
    except OSError as exc:
        raise OutputError(
            "Không ghi được tệp «{target}»: {reason}.", target=target, reason=os_error_text(exc)
        ) from None
    finally:
        with suppress(FileNotFoundError):
            os.unlink(temporary)


def write_with(path: Path, writer: Callable[[Path], Any], *, force: bool = False) -> Path:
    """Call ``writer(temporary_path)`` and publish its file at ``path``."""
    with atomic_path(path, force=force, mode=0o644) as temporary:
        writer(temporary)
    return Path(os.path.abspath(os.fspath(path)))


def save_workbook(workbook: Any, path: Path, *, force: bool = False) -> Path:
    """``workbook.save`` made safe (see the module's docstring)."""
    return write_with(path, lambda temporary: workbook.save(str(temporary)), force=force)
