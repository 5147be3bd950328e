"""``budget voucher list`` output: the register streamed as a table, CSV or JSON."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from budget.cli.listing import (
    Column,
    more_hint,
    schema_width,
    window,
    write_csv,
    write_json,
    write_table,
)
from budget.dates import format_date
from budget.models import Voucher
from budget.money import MAX_INPUT_AMOUNT, format_vnd
from budget.reports.register import (
    EXPORT_FIELDS,
    STATUS_LABELS,
    VoucherFilter,
    count_vouchers,
    iter_register_export,
    iter_register_rows,
)

CSV_FIELDS = list(EXPORT_FIELDS)

_V = Voucher.__table__.c


def table_columns() -> list[Column]:
    """Widths from the schema (capped for an 80–120 column screen), not from the rows."""
    return [
        Column("Số", schema_width(_V.number, 12), truncate=False),
        Column("Ngày", len("dd/mm/yyyy")),
        Column("Dòng", schema_width(_V.line_code, 6), truncate=False),
        Column("Người nhận", schema_width(_V.payee, 30)),
        Column("Nội dung", 40),  # Text: no declared length
        Column("Số tiền", min(15, len(format_vnd(MAX_INPUT_AMOUNT - 1))), right=True),
        Column("Trạng thái", max(len(label) for label in STATUS_LABELS.values())),
    ]


# Field positions in iter_register_rows' tuples (VoucherRow's order).
(_ID, _NUMBER, _TYPE, _KIND, _DATE, _LINE, _MLNSNN, _PAYEE, _CONTENT, _AMOUNT, _SPENT,
 _COMMITTED, _STATUS, _OVERRIDE, _BY) = range(15)  # fmt: skip


def _table_rows(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[str, ...]]:
    for r in rows:
        yield (
            r[_NUMBER],
            format_date(r[_DATE]),
            r[_LINE],
            r[_PAYEE],
            r[_CONTENT],
            format_vnd(r[_AMOUNT]),
            STATUS_LABELS[r[_STATUS]],
        )


def print_register(
    session: Session,
    campaign_id: int,
    flt: VoucherFilter,
    *,
    fmt: str,
    limit: int | None,
    offset: int,
    show_all: bool,
) -> None:
    """Stream the register; on a terminal, one page and how many rows are left."""
    win = window(fmt, limit, offset, show_all)
    if fmt in ("csv", "json"):
        export = iter_register_export(session, campaign_id, flt, limit=win.fetch, offset=offset)
        if fmt == "csv":
            write_csv(CSV_FIELDS, export)
        else:
            write_json(dict(zip(CSV_FIELDS, row, strict=True)) for row in export)
        return
    rows = iter_register_rows(session, campaign_id, flt, limit=win.fetch, offset=win.offset)
    shown, more = write_table(table_columns(), _table_rows(rows), limit=win.limit)
    if more:
        rows.close()
        total = count_vouchers(session, campaign_id, flt)
        sys.stdout.write(more_hint(total - win.offset - shown) + "\n")
    else:
        sys.stdout.write(f"{shown} chứng từ.\n")
    sys.stdout.flush()
