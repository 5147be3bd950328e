"""Correcting or removing a recipient of an award decision before it is paid."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.errors import BudgetError, NotFoundError, ValidationError
from budget.models import AwardDecision, AwardRecipient
from budget.norms import Norms
from budget.services import audit
from budget.services.award_lines import decision_lines, line_for_form
from budget.services.awards import (
    DecisionView,
    _find,
    check_recipient_text,
    decision_view,
    refuse_duplicates,
    refuse_if_paid,
)


def _recipient(session: Session, decision: AwardDecision, position: int) -> AwardRecipient:
    row = session.execute(
        select(AwardRecipient).where(
            AwardRecipient.decision_id == decision.id, AwardRecipient.position == position
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFoundError(
            "Quyết định «{number}» không có người nhận STT {position}.",
            number=decision.number,
            position=position,
        )
    return row


def _snapshot(r: AwardRecipient) -> dict[str, object]:
    return {
        "position": r.position,
        "name": r.name,
        "title": r.title,
        "form": r.form,
        "amount": r.amount,
        "line": r.line_code,
    }


def update_recipient(
    session: Session,
    campaign_id: int,
    number: str,
    position: int,
    norms: Norms,
    *,
    actor: str,
    name: str | None = None,
    title: str | None = None,
    form: str | None = None,
    allow_duplicate: bool = False,
) -> DecisionView:
    """Correct the name, title or form of recipient STT ``position``; a new form
    re-reads the amount and the line. Refused once the decision is paid."""
    decision = _find(session, campaign_id, number)
    refuse_if_paid(session, decision, "không sửa người nhận được")
    row = _recipient(session, decision, position)
    before = _snapshot(row)
    new_name, new_title = check_recipient_text(
        row.name if name is None else name, row.title if title is None else title
    )
    if not allow_duplicate:
        refuse_duplicates(session, decision, [(new_name, new_title)], skip=row.position)
    if form is not None and form.strip() != row.form:
        try:
            chosen = norms.reward_form(form.strip())
            reward = norms.reward_amount(
                chosen.code,
                decision.decision_date,
                rounding=decision.rounding,
                collective_rule=decision.collective_rule,
                household_rule=decision.household_rule,
            )
            line = line_for_form(
                session, campaign_id, decision_lines(decision), chosen.code, chosen.name
            )
        except BudgetError as exc:
            raise ValidationError(exc.template, **exc.params) from None
        row.form, row.recipient_kind = chosen.code, chosen.recipient
        row.coefficient, row.base_salary = str(reward.coefficient), reward.base_salary
        row.amount, row.rule, row.line_code = reward.amount, reward.rule, line
    row.name, row.title = new_name, new_title
    after = _snapshot(row)
    if after == before:
        raise ValidationError("Không có gì thay đổi.")
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="edit",
        entity="award_decision",
        entity_id=decision.number,
        summary=f"Sửa người nhận STT {position} của quyết định {decision.number}: {new_name}",
        before=before,
        after=after,
        organisation_id=decision.organisation_id,
    )
    return decision_view(session, campaign_id, decision.number, norms)


def remove_recipient(
    session: Session,
    campaign_id: int,
    number: str,
    position: int,
    norms: Norms,
    *,
    actor: str,
    reason: str = "",
) -> DecisionView:
    """Remove recipient STT ``position``; those after it move up (the list keeps
    1, 2, 3, … without gaps). Refused once the decision is paid."""
    decision = _find(session, campaign_id, number)
    refuse_if_paid(session, decision, "không xóa người nhận được")
    row = _recipient(session, decision, position)
    before = _snapshot(row)
    session.delete(row)
    session.flush()
    later = (
        session.execute(
            select(AwardRecipient)
            .where(AwardRecipient.decision_id == decision.id, AwardRecipient.position > position)
            .order_by(AwardRecipient.position)
        )
        .scalars()
        .all()
    )
    for r in later:
        r.position -= 1
        session.flush()
    audit.record(
        session,
        actor=actor,
        action="delete",
        entity="award_decision",
        entity_id=decision.number,
        summary=f"Xóa người nhận STT {position} «{before['name']}» khỏi quyết định "
        f"{decision.number}",
        before=before,
        reason=reason,
        organisation_id=decision.organisation_id,
    )
    return decision_view(session, campaign_id, decision.number, norms)
