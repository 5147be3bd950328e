"""Finding estimate versions: the draft being edited, the approved ones."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.errors import NotFoundError, ValidationError
from budget.models import EstimateVersion
from budget.vocabulary import APPROVED, DRAFT, SUBMITTED


def latest_version(session: Session, campaign_id: int) -> EstimateVersion:
    version = session.execute(
        select(EstimateVersion)
        .where(EstimateVersion.campaign_id == campaign_id)
        .order_by(EstimateVersion.version_no.desc())
        .limit(1)
    ).scalar_one_or_none()
    if version is None:
        raise NotFoundError("Kế hoạch chưa có dự toán.")
    return version


def draft_version(session: Session, campaign_id: int, *, lock: bool = False) -> EstimateVersion:
    """The version open for editing; a clear refusal when the latest is not a draft."""
    version = latest_version(session, campaign_id)
    if version.status == SUBMITTED:
        raise ValidationError(
            "Dự toán phiên bản {version} đã trình duyệt, không sửa được; "
            "trả về dự thảo («budget plan return») để sửa.",
            version=version.version_no,
        )
    if version.status == APPROVED:
        raise ValidationError(
            "Dự toán phiên bản {version} đã được phê duyệt, không sửa được; "
            "lập điều chỉnh («budget plan adjust») để có phiên bản mới.",
            version=version.version_no,
        )
    assert version.status == DRAFT
    return version


def approved_versions(session: Session, campaign_id: int) -> list[EstimateVersion]:
    return list(
        session.execute(
            select(EstimateVersion)
            .where(EstimateVersion.campaign_id == campaign_id, EstimateVersion.status == APPROVED)
            .order_by(EstimateVersion.version_no)
        ).scalars()
    )


def current_approved(session: Session, campaign_id: int) -> EstimateVersion:
    versions = approved_versions(session, campaign_id)
    if not versions:
        raise ValidationError(
            "Dự toán chưa được phê duyệt: chưa thể ghi chứng từ hay đối chiếu theo dự toán."
        )
    return versions[-1]


def copy_content(session: Session, source_id: int, target_id: int) -> None:
    """Copy every part and line of version ``source_id`` into ``target_id``
    (an adjustment of the same campaign, or next year's campaign)."""
    from budget.models import EstimateLine, EstimatePart

    parts = (
        session.execute(
            select(EstimatePart)
            .where(EstimatePart.version_id == source_id)
            .order_by(EstimatePart.position)
        )
        .scalars()
        .all()
    )
    for part in parts:
        copy = EstimatePart(
            version_id=target_id,
            position=part.position,
            code=part.code,
            key=part.key,
            title=part.title,
        )
        session.add(copy)
        session.flush()
        lines = (
            session.execute(
                select(EstimateLine)
                .where(EstimateLine.part_id == part.id)
                .order_by(EstimateLine.position)
            )
            .scalars()
            .all()
        )
        session.add_all(
            EstimateLine(
                version_id=target_id,
                part_id=copy.id,
                position=line.position,
                code=line.code,
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
                funding_source=line.funding_source,
                norm_on=line.norm_on,
            )
            for line in lines
        )
    session.flush()


def version_list(session: Session, campaign_id: int) -> list[tuple[int, str]]:
    """(version_no, status) of every version of the campaign's estimate, oldest first."""
    return [
        (no, status)
        for no, status in session.execute(
            select(EstimateVersion.version_no, EstimateVersion.status)
            .where(EstimateVersion.campaign_id == campaign_id)
            .order_by(EstimateVersion.version_no)
        )
    ]
