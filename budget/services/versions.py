"""Finding estimate versions: the draft being edited, the approved ones."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.errors import NotFoundError, ValidationError
from budget.models import EstimateVersion
from budget.models.estimate import APPROVED, DRAFT, SUBMITTED


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
            f"Dự toán phiên bản {version.version_no} đã trình duyệt, không sửa được; "
            "trả về dự thảo («budget plan return») để sửa."
        )
    if version.status == APPROVED:
        raise ValidationError(
            f"Dự toán phiên bản {version.version_no} đã được phê duyệt, không sửa được; "
            "lập điều chỉnh («budget plan adjust») để có phiên bản mới."
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
