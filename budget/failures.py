"""Every failure as ONE Vietnamese line; the details go to a log file.

The command line (and the TUI) show ``describe(exc)``: never SQL, its
parameters or a traceback. Failures of the environment (a full disk, a locked
database, too little memory) are named; anything unexpected is written with its
traceback to a rotating log in the user data folder, and the line says where.
"""

from __future__ import annotations

import errno
import logging
import logging.handlers
import os
from pathlib import Path

from budget.errors import BudgetError, os_error_text

LOG_NAME = "budget.log"
LOG_BYTES = 1_000_000
LOG_KEEP = 3
_logger = logging.getLogger("budget.failures")


def log_path() -> Path:
    from budget.paths import data_dir

    return data_dir() / "logs" / LOG_NAME


def log_failure(exc: BaseException) -> Path | None:
    """Append ``exc`` with its traceback to the log; None when the log can't be written."""
    path = log_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_KEEP, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    _logger.addHandler(handler)
    _logger.propagate = False
    try:
        _logger.error("%s: %s", type(exc).__name__, exc, exc_info=exc)
    finally:
        _logger.removeHandler(handler)
        handler.close()
    return path


def _busy_seconds() -> int:
    from budget.db import busy_timeout_ms

    return max(1, round(busy_timeout_ms() / 1000))


def _database_reason(exc: BaseException) -> str | None:
    """A locked database, a full disk or a read-only file behind a DB-API error."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "database is locked" in text or "database table is locked" in text or "busy" in text:
        return (
            "Cơ sở dữ liệu đang bị khóa bởi một phiên khác "
            f"(đã chờ {_busy_seconds()} giây); hãy thử lại sau."
        )
    if "lock timeout" in text or "canceling statement due to lock" in text:
        return "Cơ sở dữ liệu đang bị khóa bởi một phiên khác; hãy thử lại sau."
    if "database or disk is full" in text or "no space left" in text:
        return "Ổ đĩa đã đầy: không ghi được cơ sở dữ liệu; không có gì được lưu."
    if "readonly database" in text or "read-only" in text:
        return "Cơ sở dữ liệu chỉ cho đọc: không ghi được."
    if "disk i/o error" in text:
        return "Lỗi cơ sở dữ liệu: đọc/ghi ổ đĩa thất bại; không có gì được lưu"
    return None


def describe(exc: BaseException) -> tuple[str, bool]:
    """(one Vietnamese sentence, whether it was unexpected and logged)."""
    if isinstance(exc, BudgetError):
        return exc.message, False
    logged = log_failure(exc)  # an environment failure too: the details are kept
    if isinstance(exc, MemoryError):
        return "Không đủ bộ nhớ để làm việc này; không có gì được lưu.", False
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return "Ổ đĩa đã đầy; không có gì được lưu.", False
        name = f" «{exc.filename}»" if getattr(exc, "filename", None) else ""
        return f"Lỗi tệp{name}: {os_error_text(exc)}.", False
    try:
        from sqlalchemy.exc import DBAPIError, SQLAlchemyError
    except ImportError:  # pragma: no cover - sqlalchemy is a dependency
        DBAPIError = SQLAlchemyError = ()  # type: ignore[assignment,misc]
    where = f" (chi tiết đã ghi vào {logged})" if logged else ""
    if isinstance(exc, DBAPIError):
        reason = _database_reason(exc)
        if reason:
            # A failing disk is worth the details; the other reasons say it all.
            return (reason + where + ".", False) if not reason.endswith(".") else (reason, False)
    if isinstance(exc, OverflowError):
        return "Một giá trị số quá lớn; không có gì được lưu.", False
    if isinstance(exc, SQLAlchemyError):
        return f"Lỗi cơ sở dữ liệu; không có gì được lưu{where}.", True
    return f"Lỗi không mong đợi ({type(exc).__name__}){where}.", True


def debug_enabled() -> bool:
    return bool(os.environ.get("BUDGET_DEBUG"))
