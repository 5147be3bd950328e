"""Turning an imported workbook into a draft estimate version, all or nothing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.errors import ValidationError
from budget.excel.estimate_import import ImportedEstimate
from budget.models import EstimateLine, EstimatePart, EstimateVersion
from budget.models.estimate import APPROVED, SUBMITTED
from budget.money import format_vnd
from budget.quantities import line_amount, quantity_text
from budget.services import audit
from budget.services.approval import VersionResult, adjust
from budget.services.campaigns import organisation_of
from budget.services.draft_rows import clear_version_rows
from budget.services.versions import latest_version


def import_estimate(
    session: Session, campaign_id: int, imported: ImportedEstimate, *, actor: str
) -> VersionResult:
    """The imported lines become the draft: a new adjustment when the latest version
    is approved, or the content of the open draft."""
    latest = latest_version(session, campaign_id)
    if latest.status == SUBMITTED:
        raise ValidationError(
            "Dự toán phiên bản {version_no} đang trình duyệt; trả về dự thảo trước khi nhập.",
            version_no=latest.version_no,
        )
    if latest.status == APPROVED:
        adjust(session, campaign_id, actor=actor, reason=f"Nhập từ tệp {imported.source}")
        latest = latest_version(session, campaign_id)
    version: EstimateVersion = latest
    old_keys = {
        code: key
        for code, key in session.execute(
            select(EstimatePart.code, EstimatePart.key).where(EstimatePart.version_id == version.id)
        )
    }
    clear_version_rows(session, version.id)
    part_ids: dict[str, int] = {}
    used_keys: set[str] = set()
    for position, (code, title) in enumerate(imported.parts, 1):
        key = old_keys.get(code) or f"phan_{code.lower()}"
        if key in used_keys:
            key = f"{key}_{position}"
        used_keys.add(key)
        part = EstimatePart(
            version_id=version.id, position=position, code=code, key=key, title=title
        )
        session.add(part)
        session.flush()
        part_ids[code] = part.id
    positions: dict[str, int] = {}
    for line in imported.lines:
        positions[line.part] = positions.get(line.part, 0) + 1
        session.add(
            EstimateLine(
                version_id=version.id,
                part_id=part_ids[line.part],
                position=positions[line.part],
                code=line.code,
                content=line.content,
                unit=line.unit,
                quantity=quantity_text(line.quantity),
                multiplier=quantity_text(line.multiplier) if line.multiplier is not None else None,
                multiplier_unit="ngày" if line.multiplier is not None else "",
                unit_price=line.unit_price,
                norm_ref=None,
                amount=line_amount(line.quantity, line.unit_price, line.multiplier),
                mlnsnn=line.mlnsnn,
                note=line.note,
            )
        )
    session.flush()
    total = imported.total
    org = organisation_of(session, campaign_id)
    audit.record(
        session,
        actor=actor,
        action="import",
        entity="estimate_version",
        entity_id=f"v{version.version_no}",
        summary=f"Nhập dự toán phiên bản {version.version_no} từ {imported.source}: "
        f"{len(imported.lines)} dòng, {format_vnd(total)} đồng",
        after={"lines": len(imported.lines), "total": total, "source": imported.source},
        organisation_id=org.id,
    )
    return VersionResult(version.version_no, version.status, total)
