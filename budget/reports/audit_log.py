"""The audit log, newest first, streamed from a server-side cursor."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budget.models import AuditEntry

#: Columns in the order iter_audit_rows yields them (AuditRow's fields).
AUDIT_FIELDS = [
    "id",
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "summary",
    "before",
    "after",
    "reason",
]


def iter_audit_rows(
    session: Session,
    *,
    limit: int | None = None,
    offset: int = 0,
    organisation_id: int | None = None,
    batch: int = 2000,
) -> Generator[tuple[Any, ...], None, None]:
    """(id, at, actor, action, entity, entity_id, summary, before, after, reason), newest first."""
    e = AuditEntry
    query = select(
        e.id,
        e.at,
        e.actor,
        e.action,
        e.entity,
        e.entity_id,
        e.summary,
        e.before_json,
        e.after_json,
        e.reason,
    ).order_by(e.id.desc())
    if organisation_id is not None:
        query = query.where(e.organisation_id == organisation_id)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    result = session.execute(query.execution_options(yield_per=batch, stream_results=True))
    try:
        for partition in result.partitions():
            yield from partition
    finally:
        result.close()


def count_audit_rows(session: Session, *, organisation_id: int | None = None) -> int:
    query = select(func.count(AuditEntry.id))
    if organisation_id is not None:
        query = query.where(AuditEntry.organisation_id == organisation_id)
    return int(session.execute(query).scalar_one())
