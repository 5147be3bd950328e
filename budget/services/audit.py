"""The audit log: every change appends an entry chained to the previous hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from budget import clock
from budget.models import AuditContent, AuditEntry
from budget.services.actor import login_actor
from budget.services.audit_content import Item, content_rows, digest
from budget.services.driver_sql import DriverStatement
from budget.services.locks import lock_organisation

GENESIS_HASH = "0" * 64


# Built once: json.dumps with these options would build the same encoder on every call.
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)


def _dump(value: Any) -> str | None:
    if value is None:
        return None
    return _JSON.encode(value)


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = _JSON.encode({"prev": prev_hash, **fields})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _hashed_fields(entry: AuditEntry, content: Sequence[Any] = ()) -> dict[str, Any]:
    return _fields(
        entry.at,
        entry.actor,
        entry.organisation_id,
        entry.action,
        entry.entity,
        entry.entity_id,
        entry.summary,
        entry.before_json,
        entry.after_json,
        entry.reason,
        content,
    )


def _fields(
    at: datetime,
    actor: str,
    organisation_id: int | None,
    action: str,
    entity: str,
    entity_id: str,
    summary: str,
    before_json: str | None,
    after_json: str | None,
    reason: str,
    content: Sequence[Any],
) -> dict[str, Any]:
    fields = {
        "at": at.isoformat(),
        "actor": actor,
        "organisation_id": organisation_id,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "summary": summary,
        "before": before_json,
        "after": after_json,
        "reason": reason,
    }
    if content:  # entries without content keep the hash they always had
        fields["content"] = digest(content)
    return fields


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: object = "",
    summary: str = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
    organisation_id: int | None = None,
    content: Iterable[Any] = (),
    items: Sequence[Item] = (),
) -> AuditEntry:
    """Append one audit entry in the caller's transaction.

    ``content``: flushed money rows this entry makes final (a posted voucher, an
    approved version with its parts and lines, a paid decision with its
    recipients); their canonical JSON and hash go into the chain with it.
    ``items``: the same, already computed for rows inserted in bulk (no ORM
    objects); they are written with one Core executemany.
    On PostgreSQL the actor is the database login's name, whatever was passed.
    """
    lock_organisation(session, organisation_id)
    actor = login_actor(session) or actor
    if items and content:
        raise ValueError("give content or items, not both")
    orm_items = content_rows(session, content, organisation_id)
    hashed: Sequence[Any] = orm_items or items
    # One chain per commune: in a shared office each commune sees (and verifies)
    # only its own entries.
    last = session.execute(
        select(AuditEntry.hash)
        .where(_same_org(organisation_id))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    entry = AuditEntry(
        at=clock.now(),
        actor=actor,
        organisation_id=organisation_id,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        summary=summary,
        before_json=_dump(before),
        after_json=_dump(after),
        reason=reason,
        prev_hash=last or GENESIS_HASH,
        hash="",
    )
    entry.hash = entry_hash(entry.prev_hash, _hashed_fields(entry, hashed))
    session.add(entry)
    session.flush()
    if orm_items:
        for item in orm_items:
            item.entry_id = entry.id
        session.add_all(orm_items)
        session.flush()
    if items:
        session.execute(
            insert(cast(Table, AuditContent.__table__)),
            [
                {"entry_id": entry.id, "organisation_id": organisation_id, **i._asdict()}
                for i in items
            ],
        )
    return entry


_ENTRIES = cast(Table, AuditEntry.__table__)
_CONTENT = cast(Table, AuditContent.__table__)
# ``append`` (one posting's entry and its content row) on the driver's connection.
_APPEND_ENTRY = DriverStatement.insert(
    _ENTRIES,
    (
        "at",
        "actor",
        "organisation_id",
        "action",
        "entity",
        "entity_id",
        "summary",
        "before_json",
        "after_json",
        "reason",
        "prev_hash",
        "hash",
    ),
    returning="id",
)
_APPEND_CONTENT = DriverStatement.insert(
    _CONTENT, ("entry_id", "organisation_id", "table_name", "row_id", "label", "data", "hash")
)


@dataclass(frozen=True)
class Appended:
    """An entry written by ``append``: its id and its hash (the chain's new head)."""

    id: int
    hash: str


def append(
    session: Session,
    *,
    prev_hash: str | None,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    summary: str,
    organisation_id: int,
    before: Any = None,
    after: Any = None,
    reason: str = "",
    items: Sequence[Item] = (),
) -> Appended:
    """``record`` without ORM objects, for a caller on the hot path (posting a voucher).

    The caller already holds the commune's lock (``lock_organisation``) and has read
    the chain head ``prev_hash`` in its own statement (the hash of the commune's last
    entry; None: no entry yet). The entry and its ``items`` are written with one Core
    insert each; the entry's hash is computed exactly as ``record`` computes it, and
    the database's trigger advances ``audit_heads`` as for any entry.
    """
    actor = login_actor(session) or actor
    at = clock.now()
    before_json, after_json = _dump(before), _dump(after)
    prev = prev_hash or GENESIS_HASH
    hashed = _fields(
        at,
        actor,
        organisation_id,
        action,
        entity,
        entity_id,
        summary,
        before_json,
        after_json,
        reason,
        items,
    )
    new_hash = entry_hash(prev, hashed)
    entry_id = _APPEND_ENTRY.scalar(
        session,
        {
            "at": at,
            "actor": actor,
            "organisation_id": organisation_id,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "summary": summary,
            "before_json": before_json,
            "after_json": after_json,
            "reason": reason,
            "prev_hash": prev,
            "hash": new_hash,
        },
    )
    for item in items:
        _APPEND_CONTENT.execute(
            session, {"entry_id": entry_id, "organisation_id": organisation_id, **item._asdict()}
        )
    return Appended(entry_id, new_hash)


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    summary: str
    before: str | None
    after: str | None
    reason: str


def list_entries(
    session: Session, *, limit: int = 100, organisation_id: int | None = None
) -> list[AuditRow]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if organisation_id is not None:
        query = query.where(AuditEntry.organisation_id == organisation_id)
    return [
        AuditRow(
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
        )
        for e in session.execute(query).scalars()
    ]


def display_names(session: Session) -> dict[str, str]:
    """Login -> the name shown for it (``budget admin user --name``), where one is set."""
    from budget.models.membership import Membership

    return {
        login: name
        for login, name in session.execute(select(Membership.rolname, Membership.display_name))
        if name
    }


@dataclass(frozen=True)
class AuditPage:
    """The newest entries of the log, and the names to show for their actors."""

    entries: list[AuditRow]
    names: dict[str, str]


def audit_page(session: Session, *, limit: int = 500) -> AuditPage:
    return AuditPage(list_entries(session, limit=limit), display_names(session))


def _same_org(organisation_id: int | None):  # type: ignore[no-untyped-def]
    if organisation_id is None:
        return AuditEntry.organisation_id.is_(None)
    return AuditEntry.organisation_id == organisation_id


def first_broken_entry(session: Session) -> int | None:
    """The id of the first entry whose chain does not verify, or None if sound.

    Each commune's entries form their own chain; all visible chains are checked.
    """
    prev: dict[int | None, str] = {}
    contents = content_by_entry(session)
    for entry in session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars():
        expected = prev.get(entry.organisation_id, GENESIS_HASH)
        fields = _hashed_fields(entry, contents.get(entry.id, ()))
        if entry.prev_hash != expected or entry.hash != entry_hash(expected, fields):
            return entry.id
        prev[entry.organisation_id] = entry.hash
    return None


def content_by_entry(session: Session) -> dict[int, list[AuditContent]]:
    """Every entry's covered rows, in the order they were recorded."""
    grouped: dict[int, list[AuditContent]] = {}
    for item in session.execute(select(AuditContent).order_by(AuditContent.id)).scalars():
        grouped.setdefault(item.entry_id, []).append(item)
    return grouped


def hashed_fields(entry: AuditEntry, content: Sequence[Any] = ()) -> dict[str, Any]:
    return _hashed_fields(entry, content)
