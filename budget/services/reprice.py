"""Copying a plan into a new year at the norms in force in that year.

``plan copy`` used to keep last year's unit prices. Now every norm-priced line
is read again on its day in the new year (its ``norm_on``, else the plan's
date, else 1 January), the legal bases are re-derived, and every change is
reported line by line and logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.errors import BudgetError, ValidationError
from budget.models import Campaign, EstimateLine, Organisation
from budget.money import format_vnd
from budget.norms import Norms, cited
from budget.plan_templates import load_template
from budget.quantities import line_amount, parse_quantity
from budget.services import audit
from budget.services.campaigns import CampaignInfo, campaign_info, copy_campaign
from budget.services.legal_bases import norm_day, version_bases
from budget.services.versions import latest_version


@dataclass(frozen=True)
class PriceChange:
    code: str
    content: str
    norm_ref: str
    on: date
    old_price: int
    new_price: int
    old_amount: int
    new_amount: int
    note: str
    #: What the new price rests on: the norm's document and article, and for an award
    #: the base salary of that day and its decree ("chưa đối chiếu văn bản" when unverified).
    basis: str = ""

    @property
    def difference(self) -> int:
        return self.new_amount - self.old_amount


@dataclass(frozen=True)
class CopyResult:
    campaign: CampaignInfo
    changes: tuple[PriceChange, ...]
    #: Norm-priced lines whose norm no longer resolves in the new year (kept as they were).
    unresolved: tuple[str, ...]
    legal_bases: tuple[str, ...]


def _template_days(campaign: Campaign) -> dict[tuple[str, str], str]:
    """(norm, content) -> norm_on of the campaign's template: for lines stored before
    the day was kept on the line."""
    if not campaign.template:
        return {}
    try:
        template = load_template(campaign.template)
    except BudgetError:
        return {}
    return {
        (ln.norm, ln.content): ln.norm_on
        for part in template.parts
        for ln in part.lines
        if ln.norm and ln.norm_on
    }


def price_basis(norms: Norms, norm_ref: str, on: date) -> str:
    """The legal basis of a norm-priced line's price on ``on``, for the change list."""
    note = norms.describe_ref(norm_ref, on)
    if not norm_ref.startswith("reward:"):
        return note
    salary = norms.base_salary_on(on)
    return (
        f"{note}; lương cơ sở {format_vnd(salary.amount)} đồng từ "
        f"{salary.effective_from:%d/%m/%Y} ({cited(salary.source, salary.article, salary.verify)})"
    )


def reprice_version(
    session: Session, norms: Norms, campaign: Campaign, version_id: int, on: date
) -> tuple[list[PriceChange], list[str]]:
    """Re-read every norm-priced line of a draft on its day of ``campaign.year``."""
    org = session.get(Organisation, campaign.organisation_id)
    assert org is not None
    days = _template_days(campaign)
    changes: list[PriceChange] = []
    unresolved: list[str] = []
    lines = session.execute(
        select(EstimateLine)
        .where(EstimateLine.version_id == version_id, EstimateLine.norm_ref.is_not(None))
        .order_by(EstimateLine.part_id, EstimateLine.position)
    ).scalars()
    for line in lines:
        assert line.norm_ref is not None
        if line.norm_on is None:
            line.norm_on = days.get((line.norm_ref, line.content))
        day = norm_day(line.norm_on, campaign.year, on)
        try:
            price = norms.unit_price(
                line.norm_ref,
                day,
                rounding=org.rounding,
                collective_rule=org.collective_rule,
                household_rule=org.household_rule,
            )
            note = norms.describe_ref(line.norm_ref, day)
        except BudgetError:
            unresolved.append(line.code)
            continue
        multiplier = parse_quantity(line.multiplier, "Hệ số") if line.multiplier else None
        amount = line_amount(parse_quantity(line.quantity), price, multiplier)
        if price != line.unit_price:
            changes.append(
                PriceChange(
                    line.code,
                    line.content,
                    line.norm_ref,
                    day,
                    line.unit_price,
                    price,
                    line.amount,
                    amount,
                    note,
                    price_basis(norms, line.norm_ref, day),
                )
            )
        line.unit_price, line.amount, line.note = price, amount, note
    session.flush()
    return changes, unresolved


def copy_and_reprice(
    session: Session,
    norms: Norms,
    source_code: str,
    *,
    year: int,
    actor: str,
    number: str = "",
    plan_date: date | None = None,
    title: str | None = None,
    code: str | None = None,
    org_code: str | None = None,
) -> CopyResult:
    """Copy ``source_code`` into ``year``, re-priced and with its legal bases re-derived."""
    info = copy_campaign(
        session,
        source_code,
        year=year,
        actor=actor,
        number=number,
        plan_date=plan_date,
        title=title,
        code=code,
        org_code=org_code,
    )
    campaign = session.get(Campaign, info.id)
    assert campaign is not None
    version = latest_version(session, campaign.id)
    if version.status != "draft":  # pragma: no cover - a copy is always a new draft
        raise ValidationError("Bản sao phải là dự thảo.")
    on = plan_date or date(year, 1, 1)
    changes, unresolved = reprice_version(session, norms, campaign, version.id, on)
    bases = version_bases(session, norms, campaign, version.id, on)
    if bases is not None:
        campaign.legal_bases = "\n".join(bases)
        session.flush()
    audit.record(
        session,
        actor=actor,
        action="edit",
        entity="estimate_version",
        entity_id=f"{campaign.code}/v{version.version_no}",
        summary=f"Áp lại định mức năm {year} cho {len(changes)} dòng khi sao chép từ {source_code}",
        after=[
            {"line": c.code, "from": c.old_price, "to": c.new_price, "on": c.on.isoformat()}
            for c in changes
        ],
        organisation_id=campaign.organisation_id,
    )
    return CopyResult(
        campaign_info(campaign), tuple(changes), tuple(unresolved), tuple(bases or ())
    )


def preview_copy(
    session: Session,
    norms: Norms,
    source_code: str,
    *,
    year: int,
    actor: str,
    number: str = "",
    plan_date: date | None = None,
    title: str | None = None,
    code: str | None = None,
) -> CopyResult:
    """What :func:`copy_and_reprice` would write, with nothing kept: the copy runs in a
    savepoint that is rolled back, so the preview is the copy itself, line for line.
    The same refusals apply (a year taken, a bad date), so the user sees them first."""
    savepoint = session.begin_nested()
    try:
        return copy_and_reprice(
            session,
            norms,
            source_code,
            year=year,
            actor=actor,
            number=number,
            plan_date=plan_date,
            title=title,
            code=code,
        )
    finally:
        savepoint.rollback()
