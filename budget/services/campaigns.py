"""Campaigns (kế hoạch) and their first estimate draft."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget import clock
from budget.errors import NotFoundError, ValidationError
from budget.models import Campaign, EstimateLine, EstimatePart, EstimateVersion, Organisation
from budget.norms import Norms
from budget.plan_templates import PlanTemplate, check_template, load_template
from budget.quantities import line_amount, quantity_text
from budget.services import audit
from budget.services.legal_bases import template_bases
from budget.services.organisation import get_organisation, set_current_campaign
from budget.text import clean_text

MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class CampaignInfo:
    id: int
    organisation_id: int
    code: str
    year: int
    number: str
    plan_date: date | None
    title: str
    legal_bases: tuple[str, ...]
    template: str


def campaign_info(campaign: Campaign) -> CampaignInfo:
    return CampaignInfo(
        id=campaign.id,
        organisation_id=campaign.organisation_id,
        code=campaign.code,
        year=campaign.year,
        number=campaign.number,
        plan_date=campaign.plan_date,
        title=campaign.title,
        legal_bases=tuple(x for x in campaign.legal_bases.splitlines() if x),
        template=campaign.template,
    )


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            "Năm {year} không hợp lệ (từ {min_year} đến {max_year}).",
            year=year,
            min_year=MIN_YEAR,
            max_year=MAX_YEAR,
        )


def _unique_code(session: Session, org_id: int, wanted: str) -> str:
    taken = set(
        session.execute(select(Campaign.code).where(Campaign.organisation_id == org_id)).scalars()
    )
    code, n = wanted, 1
    while code in taken:
        n += 1
        code = f"{wanted}-{n}"
    return code


def _fill_from_template(
    session: Session,
    version: EstimateVersion,
    template: PlanTemplate,
    norms: Norms,
    *,
    year: int,
    on: date,
    rounding: str,
    collective_rule: str,
    household_rule: str = "coefficient",
) -> None:
    for p_pos, tpart in enumerate(template.parts, 1):
        part = EstimatePart(
            version_id=version.id, position=p_pos, code=tpart.code, key=tpart.key, title=tpart.title
        )
        session.add(part)
        session.flush()
        for l_pos, tline in enumerate(tpart.lines, 1):
            norms.budget_code(tline.mlnsnn)
            if tline.norm:
                norm_date = tline.norm_date(year, on)
                price = norms.unit_price(
                    tline.norm,
                    norm_date,
                    rounding=rounding,
                    collective_rule=collective_rule,
                    household_rule=household_rule,
                )
                note = norms.describe_ref(tline.norm, norm_date)
            else:
                price = tline.unit_price or 0
                note = tline.note
            session.add(
                EstimateLine(
                    version_id=version.id,
                    part_id=part.id,
                    position=l_pos,
                    code=f"{tpart.code}.{l_pos}",
                    content=tline.content,
                    unit=tline.unit,
                    quantity=quantity_text(tline.quantity),
                    multiplier=quantity_text(tline.multiplier)
                    if tline.multiplier is not None
                    else None,
                    multiplier_unit=tline.multiplier_unit,
                    unit_price=price,
                    norm_ref=tline.norm,
                    amount=line_amount(tline.quantity, price, tline.multiplier),
                    mlnsnn=tline.mlnsnn,
                    note=note,
                    norm_on=tline.norm_on if tline.norm else None,
                )
            )
    session.flush()


def create_campaign(
    session: Session,
    norms: Norms,
    *,
    year: int,
    actor: str,
    template_key: str | None = None,
    number: str = "",
    plan_date: date | None = None,
    title: str | None = None,
    code: str | None = None,
    org_code: str | None = None,
    make_current: bool = True,
) -> CampaignInfo:
    """A new campaign with a draft estimate (version 1), from a template or empty."""
    _check_year(year)
    if plan_date is not None and plan_date.year != year:
        raise ValidationError(
            "Ngày kế hoạch {plan_date:%d/%m/%Y} không thuộc năm {year}.",
            plan_date=plan_date,
            year=year,
        )
    org = get_organisation(session, org_code)
    template = load_template(template_key) if template_key else None
    if template is not None:
        check_template(template, norms, year)
    commune = org.commune_name
    if title is None:
        title = (
            template.render(template.plan_title, year=year, commune=commune, kind=org.commune_kind)
            if template
            else f"Kế hoạch năm {year}"
        )
    title = clean_text(title, "Tên kế hoạch", max_length=500)
    number = clean_text(number, "Số kế hoạch", max_length=60, required=False)
    wanted = code or (f"{template.short_code}-{year}" if template else f"kh-{year}")
    wanted = clean_text(wanted, "Mã kế hoạch", max_length=50)
    if not re.fullmatch(r"[A-Za-z0-9._-]+", wanted):
        raise ValidationError("Mã kế hoạch chỉ gồm chữ không dấu, số, dấu chấm, gạch nối.")
    if code and code != _unique_code(session, org.id, code):
        raise ValidationError("Mã kế hoạch «{code}» đã có.", code=code)
    on = plan_date or date(year, 1, 1)
    bases = (
        template_bases(
            template,
            norms,
            year=year,
            commune=commune,
            kind=org.commune_kind,
            dates={
                on,
                *(ln.norm_date(year, on) for p in template.parts for ln in p.lines if ln.norm),
            },
        )
        if template
        else []
    )
    campaign = Campaign(
        organisation_id=org.id,
        code=_unique_code(session, org.id, wanted),
        year=year,
        number=number,
        plan_date=plan_date,
        title=title,
        legal_bases="\n".join(bases),
        template=template.key if template else "",
        created_at=clock.now(),
        created_by=actor,
    )
    session.add(campaign)
    session.flush()
    version = EstimateVersion(
        campaign_id=campaign.id,
        version_no=1,
        status="draft",
        title=template.render(template.title, year=year, commune=commune, kind=org.commune_kind)
        if template
        else f"Dự toán kinh phí năm {year}",
        created_at=clock.now(),
        created_by=actor,
    )
    session.add(version)
    session.flush()
    if template is not None:
        _fill_from_template(
            session,
            version,
            template,
            norms,
            year=year,
            on=plan_date or date(year, 1, 1),
            rounding=org.rounding,
            collective_rule=org.collective_rule,
            household_rule=org.household_rule,
        )
    if make_current:
        set_current_campaign(session, org.id, campaign.id)
    info = campaign_info(campaign)
    audit.record(
        session,
        actor=actor,
        action="create",
        entity="campaign",
        entity_id=campaign.id,
        summary=f"Tạo kế hoạch {campaign.code}: {title}"
        + (f" (mẫu {template.key})" if template else ""),
        after={"code": info.code, "year": year, "template": info.template},
        organisation_id=org.id,
    )
    return info


def copy_campaign(
    session: Session,
    source_code: str,
    *,
    year: int,
    actor: str,
    number: str = "",
    plan_date: date | None = None,
    title: str | None = None,
    code: str | None = None,
    org_code: str | None = None,
) -> CampaignInfo:
    """A new campaign whose draft copies last year's estimate (the approved one if any).

    Unit prices are copied as they were; the accountant reviews them.
    """
    from budget.services.estimates import estimate_view  # local: estimates imports this module
    from budget.services.versions import copy_content

    source = find_campaign(session, source_code, org_code)
    view = estimate_view(session, source.id)
    _check_year(year)
    if plan_date is not None and plan_date.year != year:
        raise ValidationError(
            "Ngày kế hoạch {plan_date:%d/%m/%Y} không thuộc năm {year}.",
            plan_date=plan_date,
            year=year,
        )
    org = get_organisation(session, org_code)
    old_year = str(source.year)
    title = clean_text(
        title or source.title.replace(old_year, str(year)), "Tên kế hoạch", max_length=500
    )
    wanted = code or re.sub(rf"{old_year}$", str(year), source.code)
    if wanted == source.code:
        wanted = f"{source.code}-{year}"
    if code and code != _unique_code(session, org.id, code):
        raise ValidationError("Mã kế hoạch «{code}» đã có.", code=code)
    campaign = Campaign(
        organisation_id=org.id,
        code=_unique_code(session, org.id, wanted),
        year=year,
        number=clean_text(number, "Số kế hoạch", max_length=60, required=False),
        plan_date=plan_date,
        title=title,
        legal_bases="\n".join(b.replace(old_year, str(year)) for b in source.legal_bases),
        template=source.template,
        created_at=clock.now(),
        created_by=actor,
    )
    session.add(campaign)
    session.flush()
    version = EstimateVersion(
        campaign_id=campaign.id,
        version_no=1,
        status="draft",
        title=view.title.replace(old_year, str(year)),
        created_at=clock.now(),
        created_by=actor,
    )
    session.add(version)
    session.flush()
    copy_content(session, view.version_id, version.id)
    set_current_campaign(session, org.id, campaign.id)
    info = campaign_info(campaign)
    audit.record(
        session,
        actor=actor,
        action="create",
        entity="campaign",
        entity_id=campaign.id,
        summary=f"Tạo kế hoạch {info.code} bằng cách sao chép {source.code}",
        after={"code": info.code, "year": year, "copied_from": source.code},
        organisation_id=org.id,
    )
    return info


def select_campaign(
    session: Session, code: str, *, actor: str, org_code: str | None = None
) -> CampaignInfo:
    """Make ``code`` the campaign commands act on by default."""
    info = find_campaign(session, code, org_code)
    set_current_campaign(session, info.organisation_id, info.id)
    return info


def find_campaign(
    session: Session, code: str | None = None, org_code: str | None = None
) -> CampaignInfo:
    """The campaign ``code`` names, else the organisation's current one."""
    org = get_organisation(session, org_code)
    if code:
        campaign = session.execute(
            select(Campaign).where(Campaign.organisation_id == org.id, Campaign.code == code)
        ).scalar_one_or_none()
        if campaign is None:
            raise NotFoundError("Không có kế hoạch «{code}».", code=code)
        return campaign_info(campaign)
    campaign = session.get(Campaign, org.current_campaign_id) if org.current_campaign_id else None
    if campaign is None:
        campaign = session.execute(
            select(Campaign)
            .where(Campaign.organisation_id == org.id)
            .order_by(Campaign.year.desc(), Campaign.id.desc())
            .limit(1)
        ).scalar_one_or_none()
    if campaign is None:
        raise NotFoundError("Chưa có kế hoạch nào: chạy «budget plan new --template ...».")
    return campaign_info(campaign)


def list_campaigns(session: Session, org_code: str | None = None) -> list[CampaignInfo]:
    org = get_organisation(session, org_code)
    rows = session.execute(
        select(Campaign)
        .where(Campaign.organisation_id == org.id)
        .order_by(Campaign.year, Campaign.id)
    ).scalars()
    return [campaign_info(c) for c in rows]


def organisation_of(session: Session, campaign_id: int) -> Organisation:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFoundError("Không có kế hoạch.")
    org = session.get(Organisation, campaign.organisation_id)
    assert org is not None
    return org
