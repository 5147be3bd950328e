"""A province's roll-up: every commune's campaigns of a year, approved, spent,
remaining, and each commune's emulation-reward fund.

Since the 2025 reform a province reads its communes directly (about a hundred
each); its reviewer (budget/migrations/province_rls.py) sees exactly them. The
figures are those of ``reconcile`` (campaign totals) and ``fund_status``
(the fund), but computed for the whole province in a handful of set-based
queries, never one reconcile per campaign: one GROUP BY over the vouchers by
campaign and line, one over the approved versions' lines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budget.errors import NotFoundError, ValidationError
from budget.funding import FUND, effective_source
from budget.models import (
    Campaign,
    EstimateLine,
    EstimateVersion,
    FundAllocation,
    FundRegister,
    LineTotal,
    Organisation,
)
from budget.models.estimate import APPROVED
from budget.reports.reconcile import ZERO, Figures, figures_dict


@dataclass(frozen=True)
class FundBalance:
    """The commune's emulation-reward fund for the year (see budget/services/fund.py)."""

    total: int  # opening balance + allocations
    spent: int  # paid from fund lines
    committed: int  # open advances on fund lines

    @property
    def balance(self) -> int:
        return self.total - self.spent

    @property
    def available(self) -> int:
        return self.total - self.spent - self.committed

    def __add__(self, other: FundBalance) -> FundBalance:
        return FundBalance(
            self.total + other.total, self.spent + other.spent, self.committed + other.committed
        )


NO_FUND = FundBalance(0, 0, 0)


@dataclass(frozen=True)
class ProvinceCampaign:
    code: str
    title: str
    approved: bool  # an approved estimate exists (else the figures are zero)
    figures: Figures


@dataclass(frozen=True)
class ProvinceCommune:
    code: str
    name: str  # "Xã Phú Lý"
    campaigns: tuple[ProvinceCampaign, ...]
    total: Figures
    fund: FundBalance


@dataclass(frozen=True)
class ProvinceReport:
    province_code: str
    province_name: str
    year: int
    communes: tuple[ProvinceCommune, ...]
    total: Figures
    fund: FundBalance

    @property
    def campaign_count(self) -> int:
        return sum(len(c.campaigns) for c in self.communes)


def _province_of(session: Session, province_code: str | None) -> str:
    """The province asked for, or the only one the login sees."""
    codes = sorted(
        session.execute(
            select(Organisation.province_code).where(Organisation.province_code != "").distinct()
        ).scalars()
    )
    if province_code is not None:
        if province_code not in codes:
            raise NotFoundError(
                "Không có đơn vị nào thuộc tỉnh «{province_code}».", province_code=province_code
            )
        return province_code
    if not codes:
        raise ValidationError(
            "Chưa có đơn vị nào được gán mã tỉnh (budget admin province MÃ --commune ...)."
        )
    if len(codes) > 1:
        raise ValidationError(
            "Có nhiều tỉnh ({codes}): hãy chọn --province.", codes=", ".join(codes)
        )
    return codes[0]


def province_report(
    session: Session, province_code: str | None = None, year: int | None = None
) -> ProvinceReport:
    """Every commune of the province with its campaigns of ``year`` (None: the latest
    year any of them has a campaign)."""
    code = _province_of(session, province_code)
    orgs = (
        session.execute(
            select(Organisation)
            .where(Organisation.province_code == code)
            .order_by(Organisation.commune_name, Organisation.code)
        )
        .scalars()
        .all()
    )
    org_ids = [o.id for o in orgs]
    if year is None:
        year = session.execute(
            select(func.max(Campaign.year)).where(Campaign.organisation_id.in_(org_ids))
        ).scalar()
        if year is None:
            raise ValidationError("Các đơn vị của tỉnh «{code}» chưa có kế hoạch nào.", code=code)
    campaigns = session.execute(
        select(Campaign.id, Campaign.organisation_id, Campaign.code, Campaign.title)
        .where(Campaign.organisation_id.in_(org_ids), Campaign.year == year)
        .order_by(Campaign.organisation_id, Campaign.id)
    ).all()
    campaign_ids = [c.id for c in campaigns]
    original, current = _versions(session, campaign_ids)
    amounts = _version_totals(session, {*original.values(), *current.values()})
    charged = _charged(session, campaign_ids)
    fund_lines = _fund_lines(session, list(current.values()))
    funds = _fund_totals(session, org_ids, year)

    by_org: dict[int, list[ProvinceCampaign]] = {o: [] for o in org_ids}
    fund_used: dict[int, tuple[int, int]] = {}
    for c in campaigns:
        if c.id in current:
            spent = sum(s for s, _ in charged.get(c.id, {}).values())
            committed = sum(m for _, m in charged.get(c.id, {}).values())
            figures = Figures(
                amounts.get(original[c.id], 0), amounts.get(current[c.id], 0), committed, spent
            )
            codes = fund_lines.get(current[c.id], set())
            s0, c0 = fund_used.get(c.organisation_id, (0, 0))
            lines = charged.get(c.id, {})
            fund_used[c.organisation_id] = (
                s0 + sum(lines[k][0] for k in codes if k in lines),
                c0 + sum(lines[k][1] for k in codes if k in lines),
            )
            by_org[c.organisation_id].append(ProvinceCampaign(c.code, c.title, True, figures))
        else:  # not approved yet: nothing to spend against (as the campaigns page)
            by_org[c.organisation_id].append(ProvinceCampaign(c.code, c.title, False, ZERO))
    communes = []
    for org in orgs:
        rows = tuple(by_org[org.id])
        spent, committed = fund_used.get(org.id, (0, 0))
        communes.append(
            ProvinceCommune(
                org.code,
                f"{org.commune_kind.capitalize()} {org.commune_name}",
                rows,
                sum((r.figures for r in rows), ZERO),
                FundBalance(funds.get(org.id, 0), spent, committed),
            )
        )
    names = Counter(o.province for o in orgs if o.province)
    return ProvinceReport(
        province_code=code,
        province_name=names.most_common(1)[0][0] if names else code,
        year=year,
        communes=tuple(communes),
        total=sum((c.total for c in communes), ZERO),
        fund=sum((c.fund for c in communes), NO_FUND),
    )


def _versions(session: Session, campaign_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """campaign -> id of its first approved version, and of its latest (the one in force)."""
    original: dict[int, int] = {}
    current: dict[int, int] = {}
    if not campaign_ids:
        return original, current
    for campaign_id, version_id in session.execute(
        select(EstimateVersion.campaign_id, EstimateVersion.id)
        .where(EstimateVersion.campaign_id.in_(campaign_ids), EstimateVersion.status == APPROVED)
        .order_by(EstimateVersion.campaign_id, EstimateVersion.version_no)
    ):
        original.setdefault(campaign_id, version_id)
        current[campaign_id] = version_id
    return original, current


def _version_totals(session: Session, version_ids: set[int]) -> dict[int, int]:
    if not version_ids:
        return {}
    return {
        version_id: int(total)
        for version_id, total in session.execute(
            select(EstimateLine.version_id, func.sum(EstimateLine.amount))
            .where(EstimateLine.version_id.in_(sorted(version_ids)))
            .group_by(EstimateLine.version_id)
        )
    }


def _charged(session: Session, campaign_ids: list[int]) -> dict[int, dict[str, tuple[int, int]]]:
    """campaign -> line code -> (spent, committed): the running totals the database
    keeps (one row per line: a province of 100 communes reads a few thousand rows,
    not every voucher)."""
    out: dict[int, dict[str, tuple[int, int]]] = {}
    if not campaign_ids:
        return out
    for campaign_id, code, spent, committed in session.execute(
        select(
            LineTotal.campaign_id, LineTotal.line_code, LineTotal.spent, LineTotal.committed
        ).where(LineTotal.campaign_id.in_(campaign_ids))
    ):
        out.setdefault(campaign_id, {})[code] = (int(spent), int(committed))
    return out


def _fund_lines(session: Session, version_ids: list[int]) -> dict[int, set[str]]:
    """version -> codes of its lines funded from the emulation-reward fund."""
    out: dict[int, set[str]] = {}
    if not version_ids:
        return out
    for version_id, code, source, mlnsnn in session.execute(
        select(
            EstimateLine.version_id,
            EstimateLine.code,
            EstimateLine.funding_source,
            EstimateLine.mlnsnn,
        ).where(EstimateLine.version_id.in_(version_ids))
    ):
        if effective_source(source, mlnsnn) == FUND:
            out.setdefault(version_id, set()).add(code)
    return out


def _fund_totals(session: Session, org_ids: list[int], year: int) -> dict[int, int]:
    """organisation -> opening balance + allocations of its fund register of ``year``."""
    if not org_ids:
        return {}
    allocated = (
        select(FundAllocation.fund_id, func.sum(FundAllocation.amount).label("amount"))
        .group_by(FundAllocation.fund_id)
        .subquery()
    )
    rows = session.execute(
        select(
            FundRegister.organisation_id,
            FundRegister.opening_balance + func.coalesce(allocated.c.amount, 0),
        )
        .outerjoin(allocated, allocated.c.fund_id == FundRegister.id)
        .where(
            FundRegister.organisation_id.in_(org_ids),
            FundRegister.year == year,
            FundRegister.source == FUND,
        )
    )
    totals: dict[int, int] = {}
    for org_id, total in rows:
        totals[org_id] = totals.get(org_id, 0) + int(total)
    return totals


def _fund_dict(f: FundBalance) -> dict[str, int]:
    return {
        "total": f.total,
        "spent": f.spent,
        "committed": f.committed,
        "balance": f.balance,
        "available": f.available,
    }


def province_dict(report: ProvinceReport) -> dict[str, object]:
    """The JSON contract: integers of đồng."""
    return {
        "province_code": report.province_code,
        "province": report.province_name,
        "year": report.year,
        "communes": [
            {
                "code": c.code,
                "name": c.name,
                "campaigns": [
                    {
                        "code": k.code,
                        "title": k.title,
                        "is_approved": k.approved,
                        **figures_dict(k.figures),
                    }
                    for k in c.campaigns
                ],
                "total": figures_dict(c.total),
                "fund": _fund_dict(c.fund),
            }
            for c in report.communes
        ],
        "total": figures_dict(report.total),
        "fund": _fund_dict(report.fund),
    }


#: One CSV row per campaign (and one per commune without a campaign).
CSV_FIELDS = [
    "commune_code",
    "commune",
    "campaign_code",
    "campaign",
    "approved",
    "spent",
    "committed",
    "remaining",
    "fund_total",
    "fund_spent",
    "fund_balance",
]


def province_csv_rows(report: ProvinceReport) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for c in report.communes:
        fund = {
            "fund_total": c.fund.total,
            "fund_spent": c.fund.spent,
            "fund_balance": c.fund.balance,
        }
        base = {"commune_code": c.code, "commune": c.name}
        for k in c.campaigns or (None,):
            rows.append(
                {
                    **base,
                    "campaign_code": k.code if k else "",
                    "campaign": k.title if k else "",
                    "approved": k.figures.approved if k else 0,
                    "spent": k.figures.spent if k else 0,
                    "committed": k.figures.committed if k else 0,
                    "remaining": k.figures.remaining if k else 0,
                    **fund,
                }
            )
    return rows
