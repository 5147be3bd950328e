"""``budget voucher list`` output: the register streamed as a table, CSV or JSON."""

from __future__ import annotations

from sqlalchemy.orm import Session

from budget.cli.listing import window, write_csv, write_json
from budget.cli.register_table import write_register_table
from budget.reports.register import (
    EXPORT_FIELDS,
    VoucherFilter,
    count_vouchers,
    iter_register_export,
    iter_register_rows,
)

CSV_FIELDS = list(EXPORT_FIELDS)


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
    write_register_table(rows, lambda: count_vouchers(session, campaign_id, flt), win)
