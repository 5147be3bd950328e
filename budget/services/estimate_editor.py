"""What the estimate editor shows: one version, the versions to step through, the
comparison with the first approved version, and what a line form offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from budget.money import amount_in_words
from budget.norms import Norms
from budget.services.estimate_compare import Comparison, compare_versions
from budget.services.estimates import EstimateView, estimate_view
from budget.services.fund import sources as fund_sources
from budget.services.organisation import get_organisation
from budget.services.versions import approved_versions, latest_version, version_list


@dataclass(frozen=True)
class EstimateEditorView:
    view: EstimateView
    #: (version_no, status) of every version, oldest first.
    versions: list[tuple[int, str]]
    #: The latest version's number (only it can be edited, submitted or approved).
    latest: int
    #: Against the first approved version, or None before any approval.
    comparison: Comparison | None
    #: (code, name) of every budget code a line can be saved with.
    codes: list[tuple[str, str]]
    #: The day the norms are read on: the plan's date, else 1 January of its year.
    norm_date: date
    #: The total in words, the organisation's way of reading numbers.
    words: str
    dialect: str = "bac"
    #: (code, name) of every funding source a line can name.
    sources: list[tuple[str, str]] | None = None


def estimate_editor_view(
    session: Session, campaign_id: int, norms: Norms, version_no: int | None = None
) -> EstimateEditorView:
    """Version ``version_no`` of the campaign's estimate (else the latest) as the
    editor shows it."""
    latest = latest_version(session, campaign_id)
    view = estimate_view(session, campaign_id, version_no or latest.version_no)
    approved = approved_versions(session, campaign_id)
    comparison = None
    if approved:
        first = estimate_view(session, campaign_id, approved[0].version_no)
        comparison = compare_versions(first, view)
    org = get_organisation(session)
    return EstimateEditorView(
        view=view,
        versions=version_list(session, campaign_id),
        latest=latest.version_no,
        comparison=comparison,
        codes=[(c.code, c.name) for c in norms.budget_codes],
        norm_date=view.campaign.plan_date or date(view.campaign.year, 1, 1),
        words=amount_in_words(view.total, dialect=org.dialect),
        dialect=org.dialect,
        sources=fund_sources(session, org.id),
    )
