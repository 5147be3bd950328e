"""The dashboard's view service on the demo year (figures from budget/demo.py):
the approved adjusted estimate (version 2, QĐ 95/QĐ-UBND) totals 71.817.500;
the latest voucher by date is PC-0017; the month chart is left to the summary."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import run_cli


@pytest.fixture
def demo(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BUDGET_NOW", "2024-12-20T08:00:00")
    result = run_cli("--db", db_url, "demo")
    assert result.code == 0, result.err
    return db_url


def test_dashboard_view_of_the_demo(demo: str, database: Any, norms: Any) -> None:
    from budget.models import Campaign
    from budget.reports.dashboard import dashboard_view

    with database.session() as s:
        campaign_id = s.execute(select(Campaign.id)).scalar_one()
        view = dashboard_view(s, campaign_id, norms)
    assert (view.latest_version, view.applied_version) == (2, 2)
    assert view.applied_status == "approved"
    assert view.decision_number == "95/QĐ-UBND"
    assert view.heading == "XÃ PHÚ LÝ"
    assert view.draft_total == 71_817_500
    assert view.summary is not None
    assert view.summary.reconciliation.total.approved == 71_817_500
    assert view.summary.by_month == ()
    assert view.summary.largest == ()
    assert len(view.recent) == 12
    assert view.recent[0].number == "PC-0017"


def test_dashboard_view_is_of_the_campaign_asked_for(demo: str, database: Any, norms: Any) -> None:
    """Not of the commune's "current" campaign: that is the caller's choice."""
    from budget.models import Campaign
    from budget.reports.dashboard import dashboard_view

    result = run_cli("--db", demo, "plan", "new", "--year", "2025", "--code", "KH2025")
    assert result.code == 0, result.err
    with database.session() as s:
        first = s.execute(select(Campaign.id).where(Campaign.code != "KH2025")).scalar_one()
        view = dashboard_view(s, first, norms)
    assert view.campaign.id == first
    assert view.draft_total == 71_817_500
