"""The demo commune: UBND xã Phú Lý and its 2024 "Chính quyền thân thiện" campaign."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.models import Organisation
from budget.norms import Norms
from budget.services.campaigns import CampaignInfo, create_campaign
from budget.services.estimates import estimate_view
from budget.services.organisation import create_organisation

DEMO_TEMPLATE = "chinh-quyen-than-thien"
DEMO_YEAR = 2024
DEMO_ORG = {
    "commune_kind": "xã",
    "commune_name": "Phú Lý",
    "province": "Đồng Nai",
    "place_name": "Phú Lý",
    "chairman_name": "Nguyễn Hữu Bình",
    "accountant_name": "Trần Thị Thu Hà",
    "preparer_name": "Lê Minh Tuấn",
}


@dataclass(frozen=True)
class DemoResult:
    campaign: CampaignInfo
    lines: int
    total: int


def has_data(session: Session) -> bool:
    return session.execute(select(Organisation.id).limit(1)).first() is not None


def build_demo(session: Session, norms: Norms, *, actor: str) -> DemoResult:
    """Fill an empty database with the demo commune and its campaign estimate."""
    create_organisation(session, code="phu-ly", actor=actor, **DEMO_ORG)
    campaign = create_campaign(
        session,
        norms,
        year=DEMO_YEAR,
        actor=actor,
        template_key=DEMO_TEMPLATE,
        number="45/KH-UBND",
        plan_date=date(DEMO_YEAR, 5, 20),
    )
    view = estimate_view(session, campaign.id)
    return DemoResult(campaign=campaign, lines=len(view.lines), total=view.total)
