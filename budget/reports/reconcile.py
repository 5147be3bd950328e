"""Budget against actual: per line, per part, per budget code, in total.

The vouchers are aggregated by SQL (one GROUP BY over the covering index
ix_vouchers_reconcile); Python only walks the estimate's few dozen lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budget import vocabulary
from budget.errors import ValidationError
from budget.models import Campaign, EstimateLine, EstimatePart, EstimateVersion, Voucher
from budget.norms import Norms
from budget.services.campaigns import CampaignInfo, campaign_info
from budget.services.versions import approved_versions

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


def _versions_in_force(
    session: Session, campaign_id: int, as_of: date | None
) -> tuple[EstimateVersion, EstimateVersion]:
    versions = approved_versions(session, campaign_id)
    if as_of is not None:
        versions = [v for v in versions if v.decision_date is None or v.decision_date <= as_of]
    if not versions:
        when = f" tại ngày {as_of:%d/%m/%Y}" if as_of else ""
        raise ValidationError(f"Chưa có dự toán được phê duyệt{when}: chưa đối chiếu được.")
    return versions[0], versions[-1]


def _lines(session: Session, version_id: int) -> list[tuple[EstimateLine, EstimatePart]]:
    rows = session.execute(
        select(EstimateLine, EstimatePart)
        .join(EstimatePart, EstimatePart.id == EstimateLine.part_id)
        .where(EstimateLine.version_id == version_id)
        .order_by(EstimatePart.position, EstimateLine.position)
    )
    return [(line, part) for line, part in rows]


def voucher_sums(
    session: Session, campaign_id: int, as_of: date | None
) -> dict[str, tuple[int, int]]:
    """line code -> (spent, committed), one GROUP BY in the database."""
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
    original_version, current = _versions_in_force(session, campaign_id, as_of)
    current_lines = _lines(session, current.id)
    original_lines = _lines(session, original_version.id)
    original_amounts = {line.code: line.amount for line, _ in original_lines}
    sums = voucher_sums(session, campaign_id, as_of)

    # Lines of the current version, then lines dropped by an adjustment that
    # the original had or that vouchers were charged to.
    ordered: list[tuple[EstimateLine, EstimatePart, int]] = [
        (line, part, line.amount) for line, part in current_lines
    ]
    seen = {line.code for line, _ in current_lines}
    for line, part in original_lines:
        if line.code not in seen:
            ordered.append((line, part, 0))
            seen.add(line.code)
    part_titles = {part.code: part.title for _, part, _ in ordered}
    rows: list[LineRow] = []
    for line, part, approved in ordered:
        spent, committed = sums.get(line.code, (0, 0))
        rows.append(
            LineRow(
                line.code,
                part.code,
                line.content,
                line.mlnsnn,
                Figures(original_amounts.get(line.code, 0), approved, committed, spent),
            )
        )
    orphans = sorted(set(sums) - seen)
    if orphans:
        # Lines an adjustment removed after vouchers were charged to them: shown with
        # the part and code they had in the latest version that still held them.
        earlier = {}
        for version in approved_versions(session, campaign_id):
            for line, part in _lines(session, version.id):
                if line.code in orphans:
                    earlier[line.code] = (line, part)
        for code in orphans:
            spent, committed = sums[code]
            line_part = earlier.get(code)
            if line_part is None:
                rows.append(
                    LineRow(
                        code,
                        "",
                        "(dòng không có trong dự toán)",
                        "",
                        Figures(0, 0, committed, spent),
                    )
                )
                continue
            line, part = line_part
            part_titles.setdefault(part.code, part.title)
            rows.append(
                LineRow(
                    code,
                    part.code,
                    line.content,
                    line.mlnsnn,
                    Figures(original_amounts.get(code, 0), 0, committed, spent),
                )
            )

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
        version_no=current.version_no,
        original_version_no=original_version.version_no,
        decision_number=current.decision_number,
        decision_date=current.decision_date,
        lines=tuple(rows),
        parts=tuple(GroupRow(code, part_titles.get(code, ""), fig) for code, fig in parts.items()),
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
