"""Vouchers inserted in bulk (``import vouchers``, ``demo --vouchers``) go into the
audit chain batch by batch, like a single posting does: each batch's canonical
rows are written with one Core executemany beside an audit entry whose hash
covers them. Only one batch is held in memory.

Every batch but the last gets its own ``post`` entry; the last one is carried by
the caller's closing entry (the import's), so a small import still makes exactly
one entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from budget.money import format_vnd
from budget.services import audit
from budget.services.audit_content import Item, voucher_item


class BulkCoverage:
    def __init__(self, session: Session, *, actor: str, organisation_id: int, source: str) -> None:
        self.session = session
        self.actor = actor
        self.organisation_id = organisation_id
        self.source = source
        self._pending: list[Item] = []
        self._span = ("", "", 0)  # first number, last number, total of the pending batch

    def add(self, rows: Iterable[tuple[int, Mapping[str, Any]]]) -> None:
        """One inserted batch: (voucher id, the values it was inserted with)."""
        if self._pending:
            self._write_pending()
        items: list[Item] = []
        first = last = ""
        total = 0
        for row_id, values in rows:
            items.append(voucher_item(row_id, values))
            first = first or values["number"]
            last = values["number"]
            total += values["amount"]
        self._pending, self._span = items, (first, last, total)

    def take(self) -> list[Item]:
        """The last batch's rows, for the caller's closing entry."""
        items, self._pending = self._pending, []
        return items

    def _write_pending(self) -> None:
        first, last, total = self._span
        count = len(self._pending)
        audit.record(
            self.session,
            actor=self.actor,
            action="post",
            entity="voucher",
            entity_id=f"{first}..{last}"[:100],
            summary=(
                f"Ghi sổ {count} chứng từ {first} … {last} ({self.source}): "
                f"{format_vnd(total)} đồng"
            ),
            organisation_id=self.organisation_id,
            items=self.take(),
        )
