"""``budget audit list`` output: the log streamed as a table, CSV or JSON."""

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
from budget.models import AuditEntry
from budget.reports.audit_log import AUDIT_FIELDS, count_audit_rows, iter_audit_rows

_A = AuditEntry.__table__.c


def table_columns() -> list[Column]:
    """Widths from the schema (capped for the screen), not from the rows."""
    return [
        Column("#", 7, right=True, truncate=False),
        Column("Thời điểm (UTC)", len("dd/mm/yyyy hh:mm")),
        Column("Người", schema_width(_A.actor, 12)),
        Column("Việc", schema_width(_A.action, 10), truncate=False),
        Column("Nội dung", 70),
        Column("Lý do", 40),
    ]


def _records(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[Any]]:
    for r in rows:
        yield [r[0], r[1].isoformat(), *r[2:]]


def _table_rows(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[str, ...]]:
    for r in rows:
        yield (str(r[0]), r[1].strftime("%d/%m/%Y %H:%M"), r[2], r[3], r[6], r[9])


def print_audit(
    session: Session, *, fmt: str, limit: int | None, offset: int, show_all: bool
) -> None:
    win = window(fmt, limit, offset, show_all)
    rows = iter_audit_rows(session, limit=win.fetch, offset=win.offset)
    if fmt == "json":
        write_json(dict(zip(AUDIT_FIELDS, r, strict=True)) for r in _records(rows))
        return
    if fmt == "csv":
        write_csv(AUDIT_FIELDS, _records(rows))
        return
    shown, more = write_table(table_columns(), _table_rows(rows), limit=win.limit)
    if more:
        rows.close()
        sys.stdout.write(more_hint(count_audit_rows(session) - win.offset - shown) + "\n")
        sys.stdout.flush()
