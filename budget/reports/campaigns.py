"""All of a commune's campaigns of a year on one page, with the fund they share."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.errors import ValidationError
from budget.models import Campaign
from budget.norms import Norms
from budget.reports.reconcile import Figures, reconcile
from budget.services.fund import FundStatus, fund_status


@dataclass(frozen=True)
class CampaignRow:
    code: str
    title: str
    approved: bool
    figures: Figures


@dataclass(frozen=True)
class CampaignsPage:
    year: int
    rows: tuple[CampaignRow, ...]
    total: Figures
    fund: FundStatus


def campaigns_page(session: Session, norms: Norms, org_id: int, year: int) -> CampaignsPage:
    rows = []
    for campaign in session.execute(
        select(Campaign)
        .where(Campaign.organisation_id == org_id, Campaign.year == year)
        .order_by(Campaign.id)
    ).scalars():
        try:
            figures = reconcile(session, campaign.id).total
            approved = True
        except ValidationError:  # not approved yet: nothing to spend against
            figures, approved = Figures(0, 0, 0, 0), False
        rows.append(CampaignRow(campaign.code, campaign.title, approved, figures))
    total = Figures(
        sum(r.figures.original for r in rows),
        sum(r.figures.approved for r in rows),
        sum(r.figures.committed for r in rows),
        sum(r.figures.spent for r in rows),
    )
    return CampaignsPage(year, tuple(rows), total, fund_status(session, norms, org_id, year))
