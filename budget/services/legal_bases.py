"""The "Căn cứ ..." lines of a plan: derived from the legal catalogue by date.

A template names its subjects; the lines are the documents of those subjects
in force on the plan's date and on every date a norm-priced line is read
(an award priced on 15/7 under a decree in force from 01/7 cites it too).
A copy re-derives them for the new year, an adjustment for its own date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.errors import BudgetError
from budget.legal import legal_basis_lines
from budget.models import Campaign, EstimateLine, EstimateVersion, Organisation
from budget.norms import Norms
from budget.plan_templates import PlanTemplate, load_template


def norm_day(norm_on: str | None, year: int, default: date) -> date:
    """``norm_on`` ("MM-DD") in ``year``, else ``default``."""
    if not norm_on:
        return default
    month, day = (int(x) for x in norm_on.split("-"))
    return date(year, month, day)


def template_bases(
    template: PlanTemplate,
    norms: Norms,
    *,
    year: int,
    commune: str,
    dates: Iterable[date],
    kind: str = "xã",
) -> list[str]:
    """The lines for ``template``: documents in force on ``dates``, then the local ones."""
    if not template.legal_subjects:  # an old-style template: fixed lines
        return [
            template.render(b, year=year, commune=commune, kind=kind) for b in template.legal_bases
        ]
    return legal_basis_lines(
        norms.legal_documents,
        template.legal_subjects,
        dates,
        placeholders=dict(template.legal_placeholders),
        local_lines=[
            template.render(b, year=year, commune=commune, kind=kind) for b in template.local_bases
        ],
    )


def _template_of(campaign: Campaign) -> PlanTemplate | None:
    if not campaign.template:
        return None
    try:
        return load_template(campaign.template)
    except BudgetError:
        return None


def version_bases(
    session: Session, norms: Norms, campaign: Campaign, version_id: int, on: date
) -> list[str] | None:
    """The lines for a version's content read on ``on``; None without a template."""
    template = _template_of(campaign)
    if template is None:
        return None
    org = session.get(Organisation, campaign.organisation_id)
    assert org is not None
    rows = session.execute(
        select(EstimateLine.norm_on).where(
            EstimateLine.version_id == version_id, EstimateLine.norm_ref.is_not(None)
        )
    ).scalars()
    dates = {on, *(norm_day(n, campaign.year, on) for n in rows)}
    return template_bases(
        template,
        norms,
        year=campaign.year,
        commune=org.commune_name,
        dates=dates,
        kind=org.commune_kind,
    )


def rederive_version(
    session: Session, version: EstimateVersion, norms: Norms | None, on: date
) -> None:
    """Set an adjustment's (or a copy's) lines from the documents in force on ``on``."""
    if norms is None:
        from budget.norms import load_norms
        from budget.paths import user_norms_files

        norms = load_norms(user_norms_files())
    campaign = session.get(Campaign, version.campaign_id)
    assert campaign is not None
    # Inside the plan's year: a 2024 plan adjusted in 2026 still rests on 2024's law.
    on = min(max(on, date(campaign.year, 1, 1)), date(campaign.year, 12, 31))
    lines = version_bases(session, norms, campaign, version.id, on)
    if lines is not None:
        version.legal_bases = "\n".join(lines)
        session.flush()
