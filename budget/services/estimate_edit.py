"""Editing a draft estimate: parts and lines. Approved versions are never touched."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from budget.errors import NotFoundError, ValidationError
from budget.models import Campaign, EstimateLine, EstimatePart, EstimateVersion
from budget.money import MAX_INPUT_AMOUNT, format_vnd
from budget.norms import Norms
from budget.quantities import line_amount, parse_quantity, quantity_text
from budget.services import audit
from budget.services.campaigns import organisation_of
from budget.services.draft_rows import remove_line_row
from budget.services.versions import draft_version
from budget.text import clean_text, handle

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
_CODE = re.compile(r"[A-Za-z0-9.\-]{1,20}")


@dataclass(frozen=True)
class LineChange:
    """What a user asks of a line; None leaves a field as it is."""

    content: str | None = None
    unit: str | None = None
    quantity: str | None = None
    multiplier: str | None = None  # "" removes the multiplier
    multiplier_unit: str | None = None
    unit_price: int | None = None
    norm: str | None = None
    norm_on: date | None = None
    mlnsnn: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class LineResult:
    version_no: int
    code: str
    amount: int
    unit_price: int
    version_total: int


def _line_snapshot(line: EstimateLine) -> dict[str, Any]:
    return {
        "code": line.code,
        "content": line.content,
        "unit": line.unit,
        "quantity": line.quantity,
        "multiplier": line.multiplier,
        "unit_price": line.unit_price,
        "norm": line.norm_ref,
        "amount": line.amount,
        "mlnsnn": line.mlnsnn,
        "note": line.note,
    }


def version_total(session: Session, version_id: int) -> int:
    """The sum of a version's lines."""
    return int(
        session.execute(
            select(func.coalesce(func.sum(EstimateLine.amount), 0)).where(
                EstimateLine.version_id == version_id
            )
        ).scalar_one()
    )


def _find_part(session: Session, version_id: int, part: str) -> EstimatePart:
    found = session.execute(
        select(EstimatePart).where(
            EstimatePart.version_id == version_id,
            (EstimatePart.code == part) | (EstimatePart.key == part),
        )
    ).scalar_one_or_none()
    if found is None:
        raise NotFoundError("Không có phần «{part}» trong dự toán.", part=part)
    return found


def find_line(session: Session, version_id: int, code: str) -> EstimateLine:
    line = session.execute(
        select(EstimateLine).where(
            EstimateLine.version_id == version_id, EstimateLine.code == handle(code, "Mã dòng", 20)
        )
    ).scalar_one_or_none()
    if line is None:
        raise NotFoundError("Không có dòng dự toán «{code}».", code=code)
    return line


def _next_line_code(session: Session, version: EstimateVersion, part: EstimatePart) -> str:
    """The next free number in the part, over every version of the campaign, so a
    new line never takes the code of a removed one that vouchers may point to."""
    codes = (
        session.execute(
            select(EstimateLine.code)
            .join(EstimateVersion, EstimateVersion.id == EstimateLine.version_id)
            .where(EstimateVersion.campaign_id == version.campaign_id)
        )
        .scalars()
        .all()
    )
    prefix = part.code + "."
    numbers = [
        int(c[len(prefix) :]) for c in codes if c.startswith(prefix) and c[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _apply(
    line: EstimateLine,
    change: LineChange,
    norms: Norms,
    *,
    norm_day: date,
    rounding: str,
    collective_rule: str,
) -> None:
    if change.content is not None:
        line.content = clean_text(change.content, "Nội dung", max_length=1000)
    if change.unit is not None:
        line.unit = clean_text(change.unit, "Đơn vị tính", max_length=60, required=False)
    if change.quantity is not None:
        line.quantity = quantity_text(parse_quantity(change.quantity))
    if change.multiplier is not None:
        line.multiplier = (
            quantity_text(parse_quantity(change.multiplier, "Hệ số nhân"))
            if change.multiplier.strip()
            else None
        )
    if change.multiplier_unit is not None:
        line.multiplier_unit = clean_text(
            change.multiplier_unit, "Đơn vị hệ số", max_length=60, required=False
        )
    if change.mlnsnn is not None:
        line.mlnsnn = norms.budget_code(change.mlnsnn.strip()).code
    if change.note is not None:
        line.note = clean_text(change.note, "Ghi chú", max_length=1000, required=False)
    if change.unit_price is not None and change.norm is not None:
        raise ValidationError("Chỉ nhập đơn giá hoặc định mức, không nhập cả hai.")
    if change.unit_price is not None:
        if change.unit_price < 0 or change.unit_price >= MAX_INPUT_AMOUNT:
            raise ValidationError("Đơn giá không hợp lệ.")
        line.unit_price, line.norm_ref = change.unit_price, None
    elif change.norm is not None:
        ref = change.norm.strip()
        line.unit_price = norms.unit_price(
            ref, norm_day, rounding=rounding, collective_rule=collective_rule
        )
        line.norm_ref = ref
        if change.note is None:
            line.note = norms.describe_ref(ref, norm_day)
    multiplier = Decimal(line.multiplier) if line.multiplier is not None else None
    amount = line_amount(Decimal(line.quantity), line.unit_price, multiplier)
    if amount >= MAX_INPUT_AMOUNT:
        raise ValidationError("Thành tiền {amount} đồng quá lớn.", amount=format_vnd(amount))
    line.amount = amount


def _context(session: Session, campaign_id: int, norm_on: date | None) -> tuple[date, str, str]:
    campaign = session.get(Campaign, campaign_id)
    assert campaign is not None
    org = organisation_of(session, campaign_id)
    day = norm_on or campaign.plan_date or date(campaign.year, 1, 1)
    return day, org.rounding, org.collective_rule


def add_line(
    session: Session,
    norms: Norms,
    campaign_id: int,
    *,
    part: str,
    change: LineChange,
    actor: str,
    code: str | None = None,
) -> LineResult:
    """Add a line to the draft; quantity, content and a price or norm are required."""
    version = draft_version(session, campaign_id)
    target = _find_part(session, version.id, part)
    if change.content is None or change.quantity is None:
        raise ValidationError("Dòng mới cần có nội dung và số lượng.")
    if change.unit_price is None and change.norm is None:
        raise ValidationError("Dòng mới cần có đơn giá hoặc định mức.")
    if change.mlnsnn is None:
        raise ValidationError("Dòng mới cần có mã tiểu mục (mục lục ngân sách).")
    if code is not None:
        code = code.strip()
        if not _CODE.fullmatch(code):
            raise ValidationError("Mã dòng «{code}» không hợp lệ (ví dụ II.3).", code=code)
        if session.execute(
            select(EstimateLine.id).where(
                EstimateLine.version_id == version.id, EstimateLine.code == code
            )
        ).first():
            raise ValidationError("Mã dòng «{code}» đã có trong dự toán.", code=code)
    position = (
        int(
            session.execute(
                select(func.coalesce(func.max(EstimateLine.position), 0)).where(
                    EstimateLine.part_id == target.id
                )
            ).scalar_one()
        )
        + 1
    )
    line = EstimateLine(
        version_id=version.id,
        part_id=target.id,
        position=position,
        code=code or _next_line_code(session, version, target),
        content="",
        unit="",
        quantity="0",
        multiplier=None,
        multiplier_unit="",
        unit_price=0,
        norm_ref=None,
        amount=0,
        mlnsnn="",
        note="",
    )
    day, rounding, rule = _context(session, campaign_id, change.norm_on)
    _apply(line, change, norms, norm_day=day, rounding=rounding, collective_rule=rule)
    session.add(line)
    session.flush()
    org = organisation_of(session, campaign_id)
    audit.record(
        session,
        actor=actor,
        action="edit",
        entity="estimate_line",
        entity_id=f"v{version.version_no}:{line.code}",
        summary=f"Thêm dòng {line.code} vào dự toán phiên bản {version.version_no}",
        after=_line_snapshot(line),
        organisation_id=org.id,
    )
    return LineResult(
        version.version_no,
        line.code,
        line.amount,
        line.unit_price,
        version_total(session, version.id),
    )


def set_line(
    session: Session,
    norms: Norms,
    campaign_id: int,
    code: str,
    *,
    change: LineChange,
    actor: str,
    reason: str = "",
) -> LineResult:
    version = draft_version(session, campaign_id)
    line = find_line(session, version.id, code)
    before = _line_snapshot(line)
    day, rounding, rule = _context(session, campaign_id, change.norm_on)
    _apply(line, change, norms, norm_day=day, rounding=rounding, collective_rule=rule)
    session.flush()
    after = _line_snapshot(line)
    changed = {k: after[k] for k in after if after[k] != before[k]}
    org = organisation_of(session, campaign_id)
    audit.record(
        session,
        actor=actor,
        action="edit",
        entity="estimate_line",
        entity_id=f"v{version.version_no}:{code}",
        summary=f"Sửa dòng {code} của dự toán phiên bản {version.version_no}",
        before={k: before[k] for k in changed},
        after=changed,
        reason=reason,
        organisation_id=org.id,
    )
    return LineResult(
        version.version_no,
        line.code,
        line.amount,
        line.unit_price,
        version_total(session, version.id),
    )


def remove_line(
    session: Session, campaign_id: int, code: str, *, actor: str, reason: str = ""
) -> int:
    """Remove a line from the draft; returns the draft's new total."""
    version = draft_version(session, campaign_id)
    line = find_line(session, version.id, code)
    before = _line_snapshot(line)
    remove_line_row(session, line)
    org = organisation_of(session, campaign_id)
    audit.record(
        session,
        actor=actor,
        action="edit",
        entity="estimate_line",
        entity_id=f"v{version.version_no}:{code}",
        summary=f"Xóa dòng {code} khỏi dự toán phiên bản {version.version_no}",
        before=before,
        reason=reason,
        organisation_id=org.id,
    )
    return version_total(session, version.id)


def add_part(
    session: Session, campaign_id: int, *, title: str, actor: str, key: str | None = None
) -> str:
    """Add a part (phần) at the end of the draft; returns its roman code."""
    version = draft_version(session, campaign_id)
    title = clean_text(title, "Tên phần", max_length=500)
    parts = (
        session.execute(select(EstimatePart).where(EstimatePart.version_id == version.id))
        .scalars()
        .all()
    )
    if len(parts) >= len(ROMAN):
        raise ValidationError("Dự toán đã có quá nhiều phần.")
    code = next(r for r in ROMAN if r not in {p.code for p in parts})
    key = key or f"phan_{code.lower()}"
    if any(p.key == key for p in parts):
        raise ValidationError("Đã có phần với khóa «{key}».", key=key)
    part = EstimatePart(
        version_id=version.id, position=len(parts) + 1, code=code, key=key, title=title
    )
    session.add(part)
    session.flush()
    org = organisation_of(session, campaign_id)
    audit.record(
        session,
        actor=actor,
        action="edit",
        entity="estimate_part",
        entity_id=f"v{version.version_no}:{code}",
        summary=f"Thêm phần {code}. {title}",
        after={"code": code, "key": key, "title": title},
        organisation_id=org.id,
    )
    return code
