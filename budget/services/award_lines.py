"""The estimate lines an award decision pays from: chosen by the user, stored on the
decision, proposed from the decision's review (sơ kết / tổng kết) but never guessed
from which line still has room."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.errors import NotFoundError, ValidationError
from budget.models import AwardDecision, EstimateLine, Voucher
from budget.services.versions import current_approved
from budget.text import fold, handle

#: Reviews a decision's title may name, as folded text.
REVIEWS = ("tong ket", "so ket")


@dataclass(frozen=True)
class LineChoice:
    code: str
    content: str
    norm_ref: str
    approved: int
    remaining: int

    @property
    def form(self) -> str | None:
        return (
            self.norm_ref.removeprefix("reward:") if self.norm_ref.startswith("reward:") else None
        )


def _lines(session: Session, campaign_id: int) -> list[EstimateLine]:
    version = current_approved(session, campaign_id)
    return list(
        session.execute(
            select(EstimateLine)
            .where(EstimateLine.version_id == version.id)
            .order_by(EstimateLine.part_id, EstimateLine.position)
        ).scalars()
    )


def line_choices(session: Session, campaign_id: int) -> list[LineChoice]:
    """Every line of the approved estimate with what remains on it."""
    from sqlalchemy import func

    lines = _lines(session, campaign_id)
    used = dict(
        session.execute(
            select(
                Voucher.line_code,
                func.coalesce(func.sum(Voucher.spent_delta + Voucher.committed_delta), 0),
            )
            .where(Voucher.campaign_id == campaign_id)
            .group_by(Voucher.line_code)
        ).all()
    )
    return [
        LineChoice(
            line.code,
            line.content,
            line.norm_ref or "",
            line.amount,
            line.amount - int(used.get(line.code, 0)),
        )
        for line in lines
    ]


def decision_lines(decision: AwardDecision) -> tuple[str, ...]:
    """The lines stored on the decision, in the order chosen."""
    if decision.line_codes:
        return tuple(json.loads(decision.line_codes))
    return (decision.line_code,) if decision.line_code else ()


def store_lines(decision: AwardDecision, codes: tuple[str, ...]) -> None:
    decision.line_codes = json.dumps(list(codes)) if codes else None
    decision.line_code = codes[0] if len(codes) == 1 else None


def check_lines(session: Session, campaign_id: int, codes: tuple[str, ...]) -> tuple[str, ...]:
    """The codes cleaned, each a line of the approved estimate, no repeats."""
    known = {line.code for line in _lines(session, campaign_id)}
    result: list[str] = []
    for raw in codes:
        code = handle(raw, "Dòng dự toán", 20)
        if code not in known:
            raise NotFoundError("Không có dòng «{code}» trong dự toán đã phê duyệt.", code=code)
        if code not in result:
            result.append(code)
    return tuple(result)


def review_of(title: str) -> str | None:
    folded = " ".join(fold(title).split())
    return next((r for r in REVIEWS if r in folded), None)


def propose_lines(session: Session, campaign_id: int, title: str) -> tuple[str, ...]:
    """A default to show the user (see ``propose_from``)."""
    return propose_from(line_choices(session, campaign_id), title)


def propose_from(choices: list[LineChoice], title: str) -> tuple[str, ...]:
    """The award lines whose content names the same review as the title (tổng kết,
    sơ kết); without one, the award lines when each form has only one; else nothing
    (the user chooses)."""
    awards = [c for c in choices if c.form]
    review = review_of(title)
    if review:
        matching = tuple(c.code for c in awards if review in " ".join(fold(c.content).split()))
        if matching:
            return matching
    by_form: dict[str, list[str]] = {}
    for c in awards:
        by_form.setdefault(c.form or "", []).append(c.code)
    if all(len(codes) == 1 for codes in by_form.values()):
        return tuple(codes[0] for codes in by_form.values())
    return ()


def line_for_form(
    session: Session, campaign_id: int, chosen: tuple[str, ...], form: str, form_name: str
) -> str:
    """The line a recipient of ``form`` is paid from.

    One chosen line pays everyone; several: the one priced by this form's norm.
    With none chosen, only an unambiguous line (the form's only award line) is used;
    otherwise the user is asked to choose."""
    lines = _lines(session, campaign_id)
    if len(chosen) == 1:
        return chosen[0]
    ref = f"reward:{form}"
    if chosen:
        matching = [line.code for line in lines if line.code in chosen and line.norm_ref == ref]
        if len(matching) == 1:
            return matching[0]
        listed = ", ".join(chosen)
        if not matching:
            raise ValidationError(
                "Các dòng chi đã chọn ({listed}) không có dòng cho «{form}»: "
                "chọn thêm dòng chi cho hình thức này.",
                listed=listed,
                form=form_name,
            )
        raise ValidationError(
            "Có {count} dòng chi cho «{form}» ({lines}): chỉ chọn một dòng cho mỗi hình thức.",
            count=len(matching),
            form=form_name,
            lines=", ".join(matching),
        )
    candidates = [line.code for line in lines if line.norm_ref == ref]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ValidationError(
            "Dự toán không có dòng khen thưởng cho «{form}»: "
            "chọn dòng chi cho quyết định (--line).",
            form=form_name,
        )
    raise ValidationError(
        "Dự toán có {count} dòng cho «{form}» ({lines}): chọn dòng chi cho quyết định (--line).",
        count=len(candidates),
        form=form_name,
        lines=", ".join(candidates),
    )
