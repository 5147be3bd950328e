"""``budget voucher list`` as a table: its columns and one page of rows.

Light on purpose (no SQLAlchemy, no models): the quick first page
(budget/cli/quick_register.py) writes through it as the full path does. The widths
are the schema's (``String(n)`` of the vouchers table, capped for the screen);
tests/unit/test_quick_register.py holds them to the model.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from budget.cli.listing import Column, Window, more_hint, write_table
from budget.dates import format_date
from budget.money import MAX_INPUT_AMOUNT, format_vnd
from budget.vocabulary import REGISTER_STATUS_LABELS

#: min(String(n) of the column, the cap for an 80–120 column screen).
NUMBER_WIDTH, LINE_WIDTH, PAYEE_WIDTH = 12, 6, 30


def table_columns() -> list[Column]:
    return [
        Column("Số", NUMBER_WIDTH, truncate=False),
        Column("Ngày", len("dd/mm/yyyy")),
        Column("Dòng", LINE_WIDTH, truncate=False),
        Column("Người nhận", PAYEE_WIDTH),
        Column("Nội dung", 40),  # Text: no declared length
        Column("Số tiền", min(15, len(format_vnd(MAX_INPUT_AMOUNT - 1))), right=True),
        Column("Trạng thái", max(len(label) for label in REGISTER_STATUS_LABELS.values())),
    ]


# Field positions in the register's row tuples (VoucherRow's order).
(_ID, _NUMBER, _TYPE, _KIND, _DATE, _LINE, _MLNSNN, _PAYEE, _CONTENT, _AMOUNT, _SPENT,
 _COMMITTED, _STATUS, _OVERRIDE, _BY) = range(15)  # fmt: skip


def table_rows(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[str, ...]]:
    for r in rows:
        yield (
            r[_NUMBER],
            format_date(r[_DATE]),
            r[_LINE],
            r[_PAYEE],
            r[_CONTENT],
            format_vnd(r[_AMOUNT]),
            REGISTER_STATUS_LABELS[r[_STATUS]],
        )


def write_register_table(
    rows: Iterator[tuple[Any, ...]], count: Callable[[], int], win: Window
) -> None:
    """The rows as a table; when a page leaves rows out, how many (``count`` is the
    filtered register's size, asked only then)."""
    shown, more = write_table(table_columns(), table_rows(rows), limit=win.limit)
    if more:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
        sys.stdout.write(more_hint(count() - win.offset - shown) + "\n")
    else:
        sys.stdout.write(f"{shown} chứng từ.\n")
    sys.stdout.flush()
