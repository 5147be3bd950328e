"""One writer at a time per commune where order matters (voucher numbers, the
audit chain), on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers.

Every writing service takes this lock FIRST (before any row lock), so all
writers acquire locks in the same order and cannot deadlock.

On PostgreSQL the lock is taken through ``budget_lock_organisation`` (migration
0005), a SECURITY DEFINER function that refuses anyone but a writer of that
commune: a viewer cannot hold a commune's lock and stall its writers.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

#: First half of the advisory lock key: "budget" in spirit.
LOCK_NAMESPACE = 8_472


def lock_organisation(session: Session, organisation_id: int | None) -> None:
    """Held until the transaction ends; taking it again in the same transaction is free."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text("SELECT budget_lock_organisation(:org)"), {"org": organisation_id or 0})
