"""An approved version must cover what is already spent and committed.

A mid-year adjustment may move money between lines, but it may not remove a
line that has spending on it, nor set a line below its spent + committed:
reconciliation would then show a budget of 0 and a negative remaining. The
way out is to reverse (ghi giảm) the vouchers first, or to keep the line.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budget.errors import Phrase, Term, ValidationError, join_phrases
from budget.models import EstimateLine, Voucher
from budget.money import format_vnd

WAY_OUT = Term("hãy lập chứng từ ghi giảm trước, hoặc giữ lại dòng")


@dataclass(frozen=True)
class Shortfall:
    """A line whose amount in the version is below its spent + committed."""

    code: str
    amount: int | None  # None: the version removes the line
    spent: int
    committed: int

    @property
    def used(self) -> int:
        return self.spent + self.committed

    def message(self) -> str:
        used = (
            Phrase(
                "đã chi {spent}, tạm ứng {committed} (cộng {used})",
                spent=format_vnd(self.spent),
                committed=format_vnd(self.committed),
                used=format_vnd(self.used),
            )
            if self.committed
            else Phrase("đã chi {spent}", spent=format_vnd(self.spent))
        )
        if self.amount is None:
            return Phrase(
                "dòng {code} {used} đồng nhưng bị xóa khỏi bản điều chỉnh",
                code=self.code,
                used=used,
            )
        return Phrase(
            "dòng {code} chỉ còn {amount} đồng, thấp hơn số {used} đồng",
            code=self.code,
            amount=format_vnd(self.amount),
            used=used,
        )


def _amounts(session: Session, version_id: int | None) -> dict[str, int]:
    if version_id is None:
        return {}
    rows = session.execute(
        select(EstimateLine.code, EstimateLine.amount).where(EstimateLine.version_id == version_id)
    )
    return {code: int(amount) for code, amount in rows}


def shortfalls(
    session: Session, campaign_id: int, version_id: int, previous_id: int | None = None
) -> list[Shortfall]:
    """Lines of the campaign's vouchers that version ``version_id`` does not cover.

    A line already below its spending in the version in force (``previous_id``:
    an overspend posted with a logged reason) may stay as it is; it may not be
    removed or cut further.
    """
    used = session.execute(
        select(
            Voucher.line_code,
            func.coalesce(func.sum(Voucher.spent_delta), 0),
            func.coalesce(func.sum(Voucher.committed_delta), 0),
        )
        .where(Voucher.campaign_id == campaign_id)
        .group_by(Voucher.line_code)
        .order_by(Voucher.line_code)
    ).all()
    amounts = _amounts(session, version_id)
    before = _amounts(session, previous_id)
    found = []
    for code, spent, committed in used:
        spent, committed = int(spent), int(committed)
        if spent + committed <= 0:
            continue
        amount = amounts.get(code)
        if amount is None:
            found.append(Shortfall(code, None, spent, committed))
        elif amount < spent + committed and amount < before.get(code, spent + committed):
            found.append(Shortfall(code, amount, spent, committed))
    return found


def check_covers_spending(
    session: Session, campaign_id: int, version_id: int, previous_id: int | None = None
) -> None:
    """Refuse, naming each line, its amounts and the way out."""
    found = shortfalls(session, campaign_id, version_id, previous_id)
    if found:
        details = join_phrases("; ", [s.message() for s in found])
        raise ValidationError(
            "Không phê duyệt được: {details}. Muốn giảm hoặc bỏ dòng, {way_out}.",
            details=details,
            way_out=WAY_OUT,
        )


__all__ = ["WAY_OUT", "Shortfall", "check_covers_spending", "shortfalls"]
