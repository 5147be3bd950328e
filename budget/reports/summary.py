"""The chairman's page: totals, parts, lines near the limit, spend by month,
the largest vouchers, open advances, unpaid award decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, extract, func, literal, select
from sqlalchemy.orm import Session, aliased

from budget.models import AwardDecision, AwardRecipient, Voucher
from budget.norms import Norms
from budget.reports.reconcile import (
    NEAR_LIMIT_PERCENT,
    GroupRow,
    LineRow,
    Reconciliation,
    reconcile,
)
from budget.vocabulary import ADVANCE, PAYMENT, REVERSAL, SETTLEMENT


@dataclass(frozen=True)
class VoucherBrief:
    number: str
    entry_date: date
    payee: str
    content: str
    line_code: str
    amount: int


@dataclass(frozen=True)
class OverspendVoucher:
    """A posted voucher (not reversed) that went past its line with a logged reason."""

    number: str
    entry_date: date
    line_code: str
    amount: int
    reason: str


@dataclass(frozen=True)
class UnpaidDecision:
    number: str
    decision_date: date
    recipients: int
    total: int


@dataclass(frozen=True)
class Summary:
    reconciliation: Reconciliation
    near_limit: tuple[LineRow, ...]
    overridden: tuple[str, ...]
    by_month: tuple[tuple[int, int], ...]  # (month 1..12, spent)
    largest: tuple[VoucherBrief, ...]
    open_advances: tuple[VoucherBrief, ...]
    unpaid_decisions: tuple[UnpaidDecision, ...]
    overspends: tuple[OverspendVoucher, ...] = ()

    @property
    def parts(self) -> tuple[GroupRow, ...]:
        return self.reconciliation.parts


def _indexed_by(query, index: str):  # type: ignore[no-untyped-def]
    """Pin SQLite's plan to ``index`` (``INDEXED BY``): without planner statistics (a
    database never analysed) SQLite would take the campaign's date index, which every
    row matches, and read the whole table through it. PostgreSQL ignores the hint."""
    return query.with_hint(Voucher.__table__, f"INDEXED BY {index}", dialect_name="sqlite")


def _not_reversed(alias_name: str = "r"):  # type: ignore[no-untyped-def]
    reversal = aliased(Voucher, name=alias_name)
    return ~exists().where(reversal.reverses_id == Voucher.id)


def _brief(row) -> VoucherBrief:  # type: ignore[no-untyped-def]
    return VoucherBrief(
        row.number, row.entry_date, row.payee, row.content, row.line_code, row.amount
    )


def spend_by_month(session: Session, campaign_id: int) -> tuple[tuple[int, int], ...]:
    month = extract("month", Voucher.entry_date)
    rows = {
        int(m): int(total or 0)
        for m, total in session.execute(
            select(month, func.sum(Voucher.spent_delta))
            .where(Voucher.campaign_id == campaign_id)
            .group_by(month)
        )
    }
    return tuple((m, rows.get(m, 0)) for m in range(1, 13))


def build_summary(
    session: Session,
    campaign_id: int,
    norms: Norms | None = None,
    *,
    largest: int = 5,
    months: bool = True,
) -> Summary:
    """The chairman's figures. ``months=False`` skips the month-by-month chart
    (by far the costliest query on a big register) and leaves ``by_month`` empty."""
    rec = reconcile(session, campaign_id, norms=norms)
    near = tuple(
        r
        for r in rec.lines
        if r.figures.approved > 0
        and r.figures.percent is not None
        and r.figures.percent >= NEAR_LIMIT_PERCENT
        or r.figures.over
    )
    # Few rows (the partial index ix_vouchers_overrides finds them): sorted and
    # de-duplicated here, since DISTINCT/ORDER BY would tempt the planner into a full
    # index scan.
    override_rows = session.execute(
        _indexed_by(
            select(
                Voucher.id,
                Voucher.number,
                Voucher.entry_date,
                Voucher.line_code,
                Voucher.amount,
                Voucher.override_reason,
            ).where(
                Voucher.campaign_id == campaign_id,
                Voucher.override_reason.is_not(None),
                _not_reversed(),
            ),
            "ix_vouchers_overrides",
        )
    ).all()
    override_rows = sorted(override_rows, key=lambda r: (r.entry_date, r.id))
    overridden = tuple(sorted({r.line_code for r in override_rows}))
    top = session.execute(
        select(
            Voucher.number,
            Voucher.entry_date,
            Voucher.payee,
            Voucher.content,
            Voucher.line_code,
            Voucher.spent_delta.label("amount"),
        )
        .where(
            Voucher.campaign_id == campaign_id,
            Voucher.kind.in_((PAYMENT, SETTLEMENT)),
            _not_reversed(),
        )
        .order_by(Voucher.spent_delta.desc(), Voucher.id)
        .limit(largest)
        .with_hint(Voucher.__table__, "INDEXED BY ix_vouchers_largest", dialect_name="sqlite")
    ).all()
    settlement = aliased(Voucher, name="s")
    settlement_reversal = aliased(Voucher, name="sr")
    advances = session.execute(
        _indexed_by(
            select(
                Voucher.id,
                Voucher.number,
                Voucher.entry_date,
                Voucher.payee,
                Voucher.content,
                Voucher.line_code,
                Voucher.amount,
            ).where(
                Voucher.campaign_id == campaign_id,
                # inline literal: the partial index ix_vouchers_advances matches kind = 'advance'
                Voucher.kind == literal(ADVANCE, literal_execute=True),
                _not_reversed(),
                ~exists().where(
                    and_(
                        settlement.settles_id == Voucher.id,
                        ~exists().where(settlement_reversal.reverses_id == settlement.id),
                    )
                ),
            ),
            "ix_vouchers_advances",
        )
    ).all()
    # Sorted here: an ORDER BY on the date would lead the planner to walk the whole
    # date index instead of the small partial index of advances.
    advances = sorted(advances, key=lambda r: (r.entry_date, r.id))
    payout = aliased(Voucher, name="p")
    payout_reversal = aliased(Voucher, name="pr")
    unpaid = session.execute(
        select(
            AwardDecision.number,
            AwardDecision.decision_date,
            func.count(AwardRecipient.id),
            func.coalesce(func.sum(AwardRecipient.amount), 0),
        )
        .outerjoin(AwardRecipient, AwardRecipient.decision_id == AwardDecision.id)
        .where(
            AwardDecision.campaign_id == campaign_id,
            ~exists().where(
                and_(
                    payout.award_decision_id == AwardDecision.id,
                    payout.kind != REVERSAL,
                    ~exists().where(payout_reversal.reverses_id == payout.id),
                )
            ),
        )
        .group_by(AwardDecision.id, AwardDecision.number, AwardDecision.decision_date)
        .order_by(AwardDecision.decision_date)
    ).all()
    return Summary(
        reconciliation=rec,
        near_limit=near,
        overridden=overridden,
        by_month=spend_by_month(session, campaign_id) if months else (),
        largest=tuple(_brief(r) for r in top),
        open_advances=tuple(_brief(r) for r in advances),
        unpaid_decisions=tuple(UnpaidDecision(n, d, int(c), int(t)) for n, d, c, t in unpaid),
        overspends=tuple(
            OverspendVoucher(r.number, r.entry_date, r.line_code, r.amount, r.override_reason)
            for r in override_rows
        ),
    )
