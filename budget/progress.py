"""How far a long piece of work has got, in words: rows done, rows per second and
the time left. Both front ends say it the same way: the CLI's progress line
(budget/cli/progress.py) and the TUI's progress bar (tui/modals/import_vouchers.py).
The core's long functions report through a plain callback, ``OnRows`` (an export:
``OnProgress``, with the rows in all); a front end that lets the user stop raises
:class:`Cancelled` from it while nothing has been written yet."""

from __future__ import annotations

from collections.abc import Callable

from budget.errors import BudgetError
from budget.money import format_vnd

#: Called with the number of rows done so far (once a batch).
OnRows = Callable[[int], None]
#: Called with the rows done so far and the rows in all (None while not known):
#: what an export (budget.documents) tells its front end.
OnProgress = Callable[[int, int | None], None]

CANCELLED = "Đã hủy: chưa ghi gì vào sổ."
#: Why a cancel is refused once the write transaction has begun.
CANNOT_CANCEL = (
    "Đang ghi vào sổ: không hủy được nữa, vì việc ghi đã bắt đầu; tệp được ghi trọn vẹn, "
    "hoặc không ghi gì nếu có lỗi. Xin chờ xong."
)


class Cancelled(BudgetError):
    """The user stopped the work before anything was written."""

    def __init__(self, message: str = CANCELLED) -> None:
        super().__init__(message)


def duration_text(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} giây"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} phút {seconds:02d} giây"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} giờ {minutes:02d} phút"


def rows_per_second(done: int, elapsed: float) -> float:
    return done / elapsed if elapsed > 0 else 0.0


def progress_text(done: int, total: int | None, elapsed: float) -> str:
    """ "20.000/100.000 dòng (20%) · 5.000 dòng/giây · còn khoảng 16 giây"; without a
    total only the rows and the rate."""
    rate = rows_per_second(done, elapsed)
    text = format_vnd(done)
    if total:
        percent = min(100, done * 100 // total)
        text += f"/{format_vnd(total)} dòng ({percent}%)"
    else:
        text += " dòng"
    text += f" · {format_vnd(round(rate))} dòng/giây"
    if total and rate > 0:
        text += f" · còn khoảng {duration_text(max(0, total - done) / rate)}"
    return text
