"""The estimate's lifecycle: draft -> submitted -> approved -> adjustment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget import clock
from budget.errors import ValidationError
from budget.models import Campaign, EstimateLine, EstimateVersion
from budget.services import audit
from budget.services.adjustment_rules import check_covers_spending
from budget.services.audit_content import version_objects
from budget.services.campaigns import organisation_of
from budget.services.legal_bases import rederive_version
from budget.services.locks import lock_organisation
from budget.services.versions import (
    copy_content,
    current_approved,
    draft_version,
    latest_version,
)
from budget.text import clean_text
from budget.vocabulary import APPROVED, DRAFT, SUBMITTED


@dataclass(frozen=True)
class VersionResult:
    version_no: int
    status: str
    total: int
    decision_number: str | None = None
    decision_date: date | None = None


def _total(session: Session, version_id: int) -> int:
    return sum(
        session.execute(
            select(EstimateLine.amount).where(EstimateLine.version_id == version_id)
        ).scalars()
    )


def _result(session: Session, version: EstimateVersion) -> VersionResult:
    return VersionResult(
        version.version_no,
        version.status,
        _total(session, version.id),
        version.decision_number,
        version.decision_date,
    )


def submit(session: Session, campaign_id: int, *, actor: str) -> VersionResult:
    version = draft_version(session, campaign_id)
    if not session.execute(
        select(EstimateLine.id).where(EstimateLine.version_id == version.id).limit(1)
    ).first():
        raise ValidationError("Dự toán chưa có dòng nào, không thể trình duyệt.")
    version.status, version.submitted_at = SUBMITTED, clock.now()
    session.flush()
    org = organisation_of(session, campaign_id)
    result = _result(session, version)
    audit.record(
        session,
        actor=actor,
        action="submit",
        entity="estimate_version",
        entity_id=f"v{version.version_no}",
        summary=f"Trình duyệt dự toán phiên bản {version.version_no}",
        before={"status": DRAFT},
        after={"status": SUBMITTED, "total": result.total},
        organisation_id=org.id,
    )
    return result


def return_to_draft(
    session: Session, campaign_id: int, *, actor: str, reason: str
) -> VersionResult:
    """The approver sends a submitted estimate back for changes."""
    version = latest_version(session, campaign_id)
    if version.status != SUBMITTED:
        raise ValidationError("Chỉ trả lại được dự toán đang trình duyệt.")
    reason = clean_text(reason, "Lý do trả lại", max_length=1000)
    version.status, version.submitted_at = DRAFT, None
    session.flush()
    org = organisation_of(session, campaign_id)
    audit.record(
        session,
        actor=actor,
        action="return",
        entity="estimate_version",
        entity_id=f"v{version.version_no}",
        summary=f"Trả lại dự toán phiên bản {version.version_no} để sửa",
        before={"status": SUBMITTED},
        after={"status": DRAFT},
        reason=reason,
        organisation_id=org.id,
    )
    return _result(session, version)


def approve(
    session: Session,
    campaign_id: int,
    *,
    decision_number: str,
    decision_date: date,
    actor: str,
    approver: str | None = None,
) -> VersionResult:
    """Approve the submitted version: it is frozen from now on."""
    version = latest_version(session, campaign_id)
    if version.status != SUBMITTED:
        if version.status == APPROVED:
            raise ValidationError(
                "Dự toán phiên bản {version} đã được phê duyệt.", version=version.version_no
            )
        raise ValidationError(
            "Dự toán phiên bản {version} chưa được trình duyệt.", version=version.version_no
        )
    campaign = session.get(Campaign, campaign_id)
    assert campaign is not None
    number = clean_text(decision_number, "Số quyết định phê duyệt", max_length=60)
    if decision_date.year not in (campaign.year - 1, campaign.year):
        raise ValidationError(
            "Ngày phê duyệt {day:%d/%m/%Y} không hợp với kế hoạch năm {year}.",
            day=decision_date,
            year=campaign.year,
        )
    previous = session.execute(
        select(EstimateVersion)
        .where(EstimateVersion.campaign_id == campaign_id, EstimateVersion.status == APPROVED)
        .order_by(EstimateVersion.version_no.desc())
        .limit(1)
    ).scalar_one_or_none()
    if previous is not None and previous.decision_date and decision_date < previous.decision_date:
        raise ValidationError(
            "Ngày phê duyệt điều chỉnh phải từ {day:%d/%m/%Y} trở đi.",
            day=previous.decision_date,
        )
    # Under the posting lock: no voucher can slip in between the check and the approval.
    lock_organisation(session, campaign.organisation_id)
    check_covers_spending(
        session, campaign_id, version.id, previous.id if previous is not None else None
    )
    org = organisation_of(session, campaign_id)
    version.decision_number, version.decision_date = number, decision_date
    version.approver = clean_text(
        approver or org.chairman_name or actor, "Người phê duyệt", max_length=200
    )
    version.status, version.approved_at = APPROVED, clock.now()
    session.flush()
    result = _result(session, version)
    audit.record(
        session,
        actor=actor,
        action="approve",
        entity="estimate_version",
        entity_id=f"v{version.version_no}",
        summary=f"Phê duyệt dự toán phiên bản {version.version_no} theo QĐ {number} "
        f"ngày {decision_date:%d/%m/%Y}",
        before={"status": SUBMITTED},
        after={
            "status": APPROVED,
            "decision_number": number,
            "decision_date": decision_date.isoformat(),
            "total": result.total,
            "approver": version.approver,
        },
        organisation_id=org.id,
        content=version_objects(session, version.id),
    )
    return result


def adjust(
    session: Session, campaign_id: int, *, actor: str, reason: str = "", title: str | None = None
) -> VersionResult:
    """Start an adjustment: a new draft copying the current approved version."""
    latest = latest_version(session, campaign_id)
    if latest.status != APPROVED:
        raise ValidationError(
            "Đang có dự toán phiên bản {version} chưa phê duyệt; "
            "hoàn tất nó trước khi lập điều chỉnh.",
            version=latest.version_no,
        )
    base = current_approved(session, campaign_id)
    new = EstimateVersion(
        campaign_id=campaign_id,
        version_no=latest.version_no + 1,
        status=DRAFT,
        based_on_id=base.id,
        title=title
        or (
            base.title
            if base.title.startswith("Điều chỉnh")
            else f"Điều chỉnh, bổ sung {base.title[:1].lower()}{base.title[1:]}"
        ),
        created_at=clock.now(),
        created_by=actor,
    )
    session.add(new)
    session.flush()
    copy_content(session, base.id, new.id)
    rederive_version(session, new, None, clock.today())  # the bases in force today
    org = organisation_of(session, campaign_id)
    audit.record(
        session,
        actor=actor,
        action="adjust",
        entity="estimate_version",
        entity_id=f"v{new.version_no}",
        summary=f"Lập điều chỉnh dự toán: phiên bản {new.version_no} từ phiên bản "
        f"{base.version_no}",
        reason=reason,
        organisation_id=org.id,
    )
    return _result(session, new)
