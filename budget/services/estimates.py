"""Reading an estimate version: parts, lines, totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.errors import NotFoundError
from budget.funding import effective_source
from budget.models import Campaign, EstimateLine, EstimatePart, EstimateVersion
from budget.services.campaigns import CampaignInfo, campaign_info
from budget.vocabulary import APPROVED


@dataclass(frozen=True)
class LineView:
    code: str
    part: str
    content: str
    unit: str
    quantity: str
    multiplier: str | None
    multiplier_unit: str
    unit_price: int
    norm_ref: str | None
    amount: int
    mlnsnn: str
    note: str
    #: Effective funding source (the stored one, else the default for the code).
    funding_source: str = "thuong_xuyen"
    norm_on: str | None = None


@dataclass(frozen=True)
class PartView:
    code: str
    key: str
    title: str
    total: int
    lines: tuple[LineView, ...]


@dataclass(frozen=True)
class EstimateView:
    campaign: CampaignInfo
    version_id: int
    version_no: int
    status: str
    title: str
    decision_number: str | None
    decision_date: date | None
    approver: str | None
    parts: tuple[PartView, ...]
    total: int
    #: "Căn cứ ..." lines of this version (an adjustment's own), else the campaign's.
    legal_bases: tuple[str, ...] = ()

    @property
    def lines(self) -> tuple[LineView, ...]:
        return tuple(line for part in self.parts for line in part.lines)


def _pick_version(session: Session, campaign_id: int, version_no: int | None) -> EstimateVersion:
    query = select(EstimateVersion).where(EstimateVersion.campaign_id == campaign_id)
    if version_no is not None:
        version = session.execute(
            query.where(EstimateVersion.version_no == version_no)
        ).scalar_one_or_none()
        if version is None:
            raise NotFoundError("Không có dự toán phiên bản {version}.", version=version_no)
        return version
    approved = session.execute(
        query.where(EstimateVersion.status == APPROVED)
        .order_by(EstimateVersion.version_no.desc())
        .limit(1)
    ).scalar_one_or_none()
    if approved is not None:
        return approved
    latest = session.execute(
        query.order_by(EstimateVersion.version_no.desc()).limit(1)
    ).scalar_one_or_none()
    if latest is None:
        raise NotFoundError("Kế hoạch chưa có dự toán.")
    return latest


def estimate_view(
    session: Session, campaign_id: int, version_no: int | None = None
) -> EstimateView:
    """A version with its parts and lines: the given one, else the current approved,
    else the latest draft."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFoundError("Không có kế hoạch.")
    version = _pick_version(session, campaign_id, version_no)
    parts = (
        session.execute(
            select(EstimatePart)
            .where(EstimatePart.version_id == version.id)
            .order_by(EstimatePart.position)
        )
        .scalars()
        .all()
    )
    lines = (
        session.execute(
            select(EstimateLine)
            .where(EstimateLine.version_id == version.id)
            .order_by(EstimateLine.position)
        )
        .scalars()
        .all()
    )
    by_part: dict[int, list[LineView]] = {p.id: [] for p in parts}
    part_code = {p.id: p.code for p in parts}
    for line in lines:
        by_part[line.part_id].append(
            LineView(
                code=line.code,
                part=part_code[line.part_id],
                content=line.content,
                unit=line.unit,
                quantity=line.quantity,
                multiplier=line.multiplier,
                multiplier_unit=line.multiplier_unit,
                unit_price=line.unit_price,
                norm_ref=line.norm_ref,
                amount=line.amount,
                mlnsnn=line.mlnsnn,
                note=line.note,
                funding_source=effective_source(line.funding_source, line.mlnsnn),
                norm_on=line.norm_on,
            )
        )
    part_views = tuple(
        PartView(
            code=p.code,
            key=p.key,
            title=p.title,
            total=sum(line.amount for line in by_part[p.id]),
            lines=tuple(by_part[p.id]),
        )
        for p in parts
    )
    return EstimateView(
        campaign=campaign_info(campaign),
        version_id=version.id,
        version_no=version.version_no,
        status=version.status,
        title=version.title,
        decision_number=version.decision_number,
        decision_date=version.decision_date,
        approver=version.approver,
        parts=part_views,
        total=sum(p.total for p in part_views),
        legal_bases=tuple(x for x in version.legal_bases.splitlines() if x)
        if version.legal_bases is not None
        else campaign_info(campaign).legal_bases,
    )
