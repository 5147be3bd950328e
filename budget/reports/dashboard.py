"""The dashboard's view: one frozen object with the commune, the campaign, the
estimate's status, the money at a glance, alerts and the latest vouchers.

Every figure is aggregated in SQL (the reconciliation and the summary's alert
queries); the month-by-month chart, the dearest query on a big register, is
left to the chairman's summary, which shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from budget.errors import NotFoundError, ValidationError
from budget.models import Campaign
from budget.norms import Norms
from budget.reports.register import VoucherRow, list_vouchers
from budget.reports.summary import Summary, build_summary
from budget.services.campaigns import CampaignInfo, campaign_info
from budget.services.estimates import estimate_view
from budget.services.organisation import get_organisation
from budget.services.versions import latest_version


@dataclass(frozen=True)
class DashboardView:
    heading: str  # "XÃ PHÚ LÝ"
    campaign: CampaignInfo
    latest_version: int
    latest_status: str  # draft / submitted / approved
    applied_version: int  # the version whose figures are shown
    applied_status: str
    decision_number: str | None
    decision_date: date | None
    draft_total: int
    summary: Summary | None  # None until an estimate is approved
    recent: tuple[VoucherRow, ...]


def dashboard_view(
    session: Session, campaign_id: int, norms: Norms, *, recent: int = 12
) -> DashboardView:
    """The dashboard of campaign ``campaign_id`` (the one the user works on)."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFoundError("Kế hoạch đang mở không còn trong cơ sở dữ liệu.")
    org = get_organisation(session)
    latest = latest_version(session, campaign_id)
    view = estimate_view(session, campaign_id)
    try:
        summary: Summary | None = build_summary(
            session, campaign_id, norms, largest=0, months=False
        )
    except ValidationError:  # nothing approved yet
        summary = None
    rows = list_vouchers(session, campaign_id, limit=recent, newest_first=True)
    return DashboardView(
        heading=org.heading,
        campaign=campaign_info(campaign),
        latest_version=latest.version_no,
        latest_status=latest.status,
        applied_version=view.version_no,
        applied_status=view.status,
        decision_number=view.decision_number,
        decision_date=view.decision_date,
        draft_total=view.total,
        summary=summary,
        recent=tuple(rows),
    )


__all__ = ["DashboardView", "dashboard_view"]
