"""Budget against actual: per line, per part, per budget code, in total.

The vouchers are aggregated by SQL (one GROUP BY over the covering index
ix_vouchers_reconcile); the lines, their parts and budget codes come from
budget.reports.line_map; Python only walks the estimate's few dozen lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budget import vocabulary
from budget.models import Campaign, LineTotal, Voucher
from budget.norms import Norms
from budget.reports.line_map import line_map
from budget.services.campaigns import CampaignInfo, campaign_info

NEAR_LIMIT_PERCENT = Decimal(vocabulary.NEAR_LIMIT_PERCENT)


@dataclass(frozen=True)
class Figures:
    original: int
    approved: int
    committed: int
    spent: int

    @property
    def difference(self) -> int:
        """Approved minus original: what the adjustments changed."""
        return self.approved - self.original

    @property
    def used(self) -> int:
        return self.spent + self.committed

    @property
    def remaining(self) -> int:
        return self.approved - self.spent - self.committed

    @property
    def percent(self) -> Decimal | None:
        """100 × (spent + committed) / approved, one decimal, half up; None when approved is 0."""
        if self.approved == 0:
            return None
        return (Decimal(100 * self.used) / self.approved).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def over(self) -> bool:
        return self.used > self.approved

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.original + other.original,
            self.approved + other.approved,
            self.committed + other.committed,
            self.spent + other.spent,
        )


ZERO = Figures(0, 0, 0, 0)


@dataclass(frozen=True)
class LineRow:
    code: str
    part: str
    content: str
    mlnsnn: str
    figures: Figures


@dataclass(frozen=True)
class GroupRow:
    code: str
    title: str
    figures: Figures


@dataclass(frozen=True)
class Reconciliation:
    campaign: CampaignInfo
    as_of: date | None
    version_no: int
    original_version_no: int
    decision_number: str | None
    decision_date: date | None
    lines: tuple[LineRow, ...]
    parts: tuple[GroupRow, ...]
    codes: tuple[GroupRow, ...]
    total: Figures


def voucher_sums(
    session: Session, campaign_id: int, as_of: date | None
) -> dict[str, tuple[int, int]]:
    """line code -> (spent, committed): today's from the running totals the database
    keeps (one row per line, however many vouchers: migration 0011); as of a date,
    one GROUP BY over the vouchers up to it."""
    if as_of is None:
        totals = select(LineTotal.line_code, LineTotal.spent, LineTotal.committed).where(
            LineTotal.campaign_id == campaign_id
        )
        return {
            code: (int(spent), int(committed)) for code, spent, committed in session.execute(totals)
        }
    query = select(
        Voucher.line_code, func.sum(Voucher.spent_delta), func.sum(Voucher.committed_delta)
    ).where(Voucher.campaign_id == campaign_id)
    if as_of is not None:
        query = query.where(Voucher.entry_date <= as_of)
    query = query.group_by(Voucher.line_code)
    return {code: (int(spent), int(committed)) for code, spent, committed in session.execute(query)}


def reconcile(
    session: Session, campaign_id: int, *, as_of: date | None = None, norms: Norms | None = None
) -> Reconciliation:
    campaign = session.get(Campaign, campaign_id)
    assert campaign is not None
    sums = voucher_sums(session, campaign_id, as_of)
    mapping = line_map(session, campaign_id, as_of=as_of, charged=sums)
    rows: list[LineRow] = []
    for m in mapping.lines:
        spent, committed = sums.get(m.code, (0, 0))
        figures = Figures(m.original, m.approved, committed, spent)
        rows.append(LineRow(m.code, m.part, m.content, m.mlnsnn, figures))

    parts: dict[str, Figures] = {}
    codes: dict[str, Figures] = {}
    for row in rows:
        parts[row.part] = parts.get(row.part, ZERO) + row.figures
        codes[row.mlnsnn] = codes.get(row.mlnsnn, ZERO) + row.figures
    code_names = {c.code: c.name for c in norms.budget_codes} if norms else {}
    total = sum((row.figures for row in rows), ZERO)
    return Reconciliation(
        campaign=campaign_info(campaign),
        as_of=as_of,
        version_no=mapping.version_no,
        original_version_no=mapping.original_version_no,
        decision_number=mapping.decision_number,
        decision_date=mapping.decision_date,
        lines=tuple(rows),
        parts=tuple(GroupRow(code, mapping.title_of(code), fig) for code, fig in parts.items()),
        codes=tuple(
            GroupRow(code, code_names.get(code, ""), fig) for code, fig in sorted(codes.items())
        ),
        total=total,
    )


def figures_dict(fig: Figures) -> dict[str, object]:
    """The JSON contract's amounts: integers of đồng, percent with one decimal."""
    return {
        "original": fig.original,
        "approved": fig.approved,
        "difference": fig.difference,
        "committed": fig.committed,
        "spent": fig.spent,
        "remaining": fig.remaining,
        "percent": float(fig.percent) if fig.percent is not None else None,
        "over": fig.over,
    }


def reconciliation_dict(rec: Reconciliation) -> dict[str, object]:
    return {
        "campaign": rec.campaign.code,
        "as_of": rec.as_of.isoformat() if rec.as_of else None,
        "version": rec.version_no,
        "original_version": rec.original_version_no,
        "decision_number": rec.decision_number,
        "decision_date": rec.decision_date.isoformat() if rec.decision_date else None,
        "lines": [
            {
                "code": r.code,
                "part": r.part,
                "content": r.content,
                "mlnsnn": r.mlnsnn,
                **figures_dict(r.figures),
            }
            for r in rec.lines
        ],
        "parts": [{"code": g.code, "title": g.title, **figures_dict(g.figures)} for g in rec.parts],
        "codes": [{"code": g.code, "name": g.title, **figures_dict(g.figures)} for g in rec.codes],
        "total": figures_dict(rec.total),
    }
