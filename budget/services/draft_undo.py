"""Undo an edit of a draft: a line of the draft estimate (added, changed, removed) or
the recipients of an award decision not yet paid.

An edit runs through :func:`track_line` or :func:`track_recipients` in its own
transaction: the rows it touches are read, whole, before and after it, and the
pair comes back as an :class:`Undo` with the edit's result (:class:`Tracked`).
:func:`undo` puts the "before" rows back in a later transaction, after checking
that nothing moved in between: the estimate is still the same draft (never an
approved or submitted version: those are frozen, in the database as well), the
decision is still unpaid, and the rows are still what the edit left. The undo is
audited like any edit (action ``undo``), so the log shows both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.errors import Phrase, Term, ValidationError
from budget.models import AwardDecision, AwardRecipient, EstimateLine
from budget.services import audit
from budget.services.campaigns import organisation_of
from budget.services.draft_rows import remove_line_row
from budget.services.versions import draft_version, latest_version
from budget.vocabulary import APPROVED, DRAFT

T = TypeVar("T")

NOTHING = "Không có thao tác sửa dự thảo nào để hoàn tác."

Row = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Undo:
    """What puts the draft back as it was before one edit."""

    campaign_id: int
    kind: str  # "estimate_line" or "award_recipients"
    key: str  # the line's code, or the decision's number
    target_id: int  # the draft version's id, or the decision's id
    before: tuple[Row, ...]
    after: tuple[Row, ...]
    label: str  # a Phrase: "thêm dòng II.5 …", "xóa người nhận khỏi quyết định 210/QĐ-UBND"


@dataclass(frozen=True)
class Tracked(Generic[T]):
    """An edit's own result, and its undo (None when the edit changed nothing)."""

    value: T
    undo: Undo | None


def _row(obj: Any, skip: tuple[str, ...] = ("id",)) -> Row:
    columns = sa_inspect(type(obj)).columns
    return tuple((c.key, getattr(obj, c.key)) for c in columns if c.key not in skip)


# -- estimate lines ---------------------------------------------------------------------
def _line_rows(session: Session, version_id: int, code: str) -> tuple[Row, ...]:
    line = session.execute(
        select(EstimateLine).where(EstimateLine.version_id == version_id, EstimateLine.code == code)
    ).scalar_one_or_none()
    return () if line is None else (_row(line),)


def track_line(
    session: Session, campaign_id: int, code: str | None, edit: Callable[[], str]
) -> Tracked[str]:
    """Run ``edit`` (it returns the line's code) on the draft's line ``code`` (None: a
    line the edit adds) and return that code with the edit's undo."""
    version = draft_version(session, campaign_id)
    before = _line_rows(session, version.id, code) if code else ()
    session.flush()
    done = edit()
    session.flush()
    after = _line_rows(session, version.id, done)
    if before == after:
        return Tracked(done, None)
    n = version.version_no
    if not before:
        label = Phrase(
            "thêm dòng {code} của dự toán phiên bản {version_no}", code=done, version_no=n
        )
    elif not after:
        label = Phrase(
            "xóa dòng {code} của dự toán phiên bản {version_no}", code=done, version_no=n
        )
    else:
        label = Phrase(
            "sửa dòng {code} của dự toán phiên bản {version_no}", code=done, version_no=n
        )
    return Tracked(done, Undo(campaign_id, "estimate_line", done, version.id, before, after, label))


def _undo_line(session: Session, item: Undo, actor: str) -> None:
    version = latest_version(session, item.campaign_id)
    if version.status != DRAFT:
        state = (
            Term("đã được phê duyệt") if version.status == APPROVED else Term("đang trình duyệt")
        )
        raise ValidationError(
            "Không hoàn tác được: dự toán phiên bản {version_no} {state}, không sửa được nữa.",
            version_no=version.version_no,
            state=state,
        )
    if version.id != item.target_id:
        raise ValidationError(
            "Không hoàn tác được: dự toán đã sang phiên bản {version_no} sau khi {label}.",
            version_no=version.version_no,
            label=item.label,
        )
    current = _line_rows(session, version.id, item.key)
    if current != item.after:
        raise ValidationError(
            "Không hoàn tác được: dòng {key} đã đổi sau khi {label}.",
            key=item.key,
            label=item.label,
        )
    if not item.before:
        line = session.execute(
            select(EstimateLine).where(
                EstimateLine.version_id == version.id, EstimateLine.code == item.key
            )
        ).scalar_one()
        remove_line_row(session, line)
    elif not item.after:
        session.add(EstimateLine(**dict(item.before[0])))
    else:
        line = session.execute(
            select(EstimateLine).where(
                EstimateLine.version_id == version.id, EstimateLine.code == item.key
            )
        ).scalar_one()
        for key, value in item.before[0]:
            setattr(line, key, value)
    session.flush()
    org = organisation_of(session, item.campaign_id)
    audit.record(
        session,
        actor=actor,
        action="undo",
        entity="estimate_line",
        entity_id=f"v{version.version_no}:{item.key}",
        summary=_logged(item),
        before=dict(item.after[0]) if item.after else None,
        after=dict(item.before[0]) if item.before else None,
        organisation_id=org.id,
    )


# -- award recipients -------------------------------------------------------------------
def _decision(session: Session, campaign_id: int, number: str) -> AwardDecision:
    from budget.services.awards import _find

    return _find(session, campaign_id, number)


def _recipient_rows(session: Session, decision_id: int) -> tuple[Row, ...]:
    rows = session.execute(
        select(AwardRecipient)
        .where(AwardRecipient.decision_id == decision_id)
        .order_by(AwardRecipient.position)
    ).scalars()
    return tuple(_row(r) for r in rows)


def track_recipients(
    session: Session, campaign_id: int, number: str, edit: Callable[[], T]
) -> Tracked[T]:
    """Run ``edit`` on the recipients of decision ``number`` and return its result
    with the edit's undo."""
    decision = _decision(session, campaign_id, number)
    session.flush()
    before = _recipient_rows(session, decision.id)
    value = edit()
    session.flush()
    after = _recipient_rows(session, decision.id)
    if before == after:
        return Tracked(value, None)
    if len(after) > len(before):
        label = Phrase(
            "thêm {count} người nhận vào quyết định {number}",
            count=len(after) - len(before),
            number=decision.number,
        )
    elif len(after) < len(before):
        label = Phrase("xóa người nhận khỏi quyết định {number}", number=decision.number)
    else:
        label = Phrase("sửa người nhận của quyết định {number}", number=decision.number)
    undo = Undo(campaign_id, "award_recipients", decision.number, decision.id, before, after, label)
    return Tracked(value, undo)


def _undo_recipients(session: Session, item: Undo, actor: str) -> None:
    from budget.services.awards import refuse_if_paid

    decision = session.get(AwardDecision, item.target_id)
    if decision is None or decision.campaign_id != item.campaign_id:
        raise ValidationError("Không hoàn tác được: không còn quyết định {key}.", key=item.key)
    refuse_if_paid(session, decision, "không hoàn tác được")
    if _recipient_rows(session, decision.id) != item.after:
        raise ValidationError(
            "Không hoàn tác được: danh sách người nhận của quyết định {key} "
            "đã đổi sau khi {label}.",
            key=item.key,
            label=item.label,
        )
    for row in session.execute(
        select(AwardRecipient).where(AwardRecipient.decision_id == decision.id)
    ).scalars():
        session.delete(row)
    session.flush()
    for values in item.before:
        session.add(AwardRecipient(**dict(values)))
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="undo",
        entity="award_decision",
        entity_id=decision.number,
        summary=_logged(item),
        before=[dict(r) for r in item.after],
        after=[dict(r) for r in item.before],
        organisation_id=decision.organisation_id,
    )


def undo(session: Session, item: Undo, *, actor: str) -> str:
    """Put the draft back as it was before ``item``'s edit; returns what was undone."""
    if item.kind == "estimate_line":
        _undo_line(session, item, actor)
    elif item.kind == "award_recipients":
        _undo_recipients(session, item, actor)
    else:  # pragma: no cover - kinds are this module's own
        raise ValidationError(NOTHING)
    return Phrase("Đã hoàn tác: {label}.", label=item.label)


def _logged(item: Undo) -> str:
    """The audit entry's summary: Vietnamese, as every entry of the log is."""
    return "Hoàn tác: " + str.__str__(item.label)


__all__ = ["NOTHING", "Tracked", "Undo", "track_line", "track_recipients", "undo"]
