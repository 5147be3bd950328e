"""What the audit chain vouches for: the money rows themselves.

Each posted voucher, each row of an approved estimate version (the version, its
parts, its lines) and each paid award decision with its recipients is written,
as canonical JSON of its money-relevant fields, into ``audit_content`` beside
the audit entry that made it final; the entry's hash covers those rows' hashes.
``audit verify`` reads the rows again and says which one changed, and how.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.models import (
    AuditContent,
    AwardDecision,
    AwardRecipient,
    EstimateLine,
    EstimatePart,
    EstimateVersion,
    Voucher,
)

#: The models whose rows the chain covers (each has an integer ``id``).
CoveredRow = (
    Voucher | EstimateVersion | EstimatePart | EstimateLine | AwardDecision | AwardRecipient
)

# table -> (model, money-relevant fields)
COVERED: dict[str, tuple[type[CoveredRow], tuple[str, ...]]] = {
    "vouchers": (
        Voucher,
        (
            "organisation_id",
            "campaign_id",
            "kind",
            "type",
            "year",
            "number",
            "entry_date",
            "payee",
            "content",
            "amount",
            "spent_delta",
            "committed_delta",
            "line_code",
            "mlnsnn",
            "override_reason",
            "reverses_id",
            "settles_id",
            "award_decision_id",
        ),
    ),
    "estimate_versions": (
        EstimateVersion,
        ("campaign_id", "version_no", "status", "decision_number", "decision_date", "approver"),
    ),
    "estimate_parts": (EstimatePart, ("version_id", "position", "code", "key", "title")),
    "estimate_lines": (
        EstimateLine,
        (
            "version_id",
            "part_id",
            "position",
            "code",
            "content",
            "unit",
            "quantity",
            "multiplier",
            "multiplier_unit",
            "unit_price",
            "norm_ref",
            "amount",
            "mlnsnn",
        ),
    ),
    "award_decisions": (
        AwardDecision,
        (
            "organisation_id",
            "campaign_id",
            "number",
            "decision_date",
            "signer",
            "line_code",
            "rounding",
            "collective_rule",
        ),
    ),
    "award_recipients": (
        AwardRecipient,
        (
            "decision_id",
            "position",
            "recipient_kind",
            "name",
            "form",
            "coefficient",
            "base_salary",
            "amount",
            "line_code",
        ),
    ),
}

#: How verify names a changed field.
FIELD_LABELS = {
    "amount": "số tiền",
    "spent_delta": "số đã chi",
    "committed_delta": "số tạm ứng",
    "entry_date": "ngày",
    "payee": "người nhận",
    "content": "nội dung",
    "number": "số",
    "line_code": "dòng dự toán",
    "mlnsnn": "mã MLNSNN",
    "type": "loại",
    "kind": "loại ghi sổ",
    "quantity": "số lượng",
    "multiplier": "hệ số nhân",
    "unit_price": "đơn giá",
    "unit": "đơn vị tính",
    "code": "mã",
    "status": "trạng thái",
    "decision_number": "số quyết định",
    "decision_date": "ngày quyết định",
    "approver": "người phê duyệt",
    "name": "tên",
    "coefficient": "hệ số",
    "base_salary": "lương cơ sở",
    "signer": "người ký",
    "title": "tiêu đề",
    "position": "thứ tự",
    "override_reason": "lý do chi vượt",
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def canonical(table: str, row: Any) -> str:
    """Canonical JSON of a row's money-relevant fields (an ORM object or a Row)."""
    fields = COVERED[table][1]
    values = {f: _plain(getattr(row, f)) for f in fields}
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Item(NamedTuple):
    """A covered row computed without the ORM (bulk paths): what ``audit_content`` holds."""

    table_name: str
    row_id: int
    label: str
    data: str
    hash: str


_VOUCHER_FIELDS = COVERED["vouchers"][1]
# What ``canonical`` writes, built once (json.dumps would build it on every call).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def voucher_item(row_id: int, values: Mapping[str, Any]) -> Item:
    """The covered row of a voucher inserted in bulk, from the values it was inserted with
    (the same canonical JSON ``canonical`` gives for the row read back)."""
    plain = {f: values[f] for f in _VOUCHER_FIELDS}
    plain["entry_date"] = _plain(plain["entry_date"])  # the only field that is not str/int/None
    data = _CANONICAL.encode(plain)
    return Item("vouchers", row_id, f"chứng từ {values['number']}"[:300], data, sha256(data))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _label(session: Session, obj: Any) -> str:
    if isinstance(obj, Voucher):
        return f"chứng từ {obj.number}"
    if isinstance(obj, AwardDecision):
        return f"quyết định khen thưởng {obj.number}"
    if isinstance(obj, AwardRecipient):
        decision = session.get(AwardDecision, obj.decision_id)
        return f"người nhận «{obj.name}» (QĐ {decision.number if decision else '?'})"
    version = (
        obj if isinstance(obj, EstimateVersion) else session.get(EstimateVersion, obj.version_id)
    )
    no = version.version_no if version else "?"
    if isinstance(obj, EstimateVersion):
        return f"dự toán phiên bản {no}"
    if isinstance(obj, EstimatePart):
        return f"phần {obj.code} của dự toán phiên bản {no}"
    return f"dòng {obj.code} của dự toán phiên bản {no}"


def content_rows(
    session: Session, objects: Iterable[Any], organisation_id: int | None
) -> list[AuditContent]:
    """Unsaved ``audit_content`` rows for flushed ORM objects (entry_id set later)."""
    rows = []
    for obj in objects:
        table = obj.__tablename__
        data = canonical(table, obj)
        rows.append(
            AuditContent(
                organisation_id=organisation_id,
                table_name=table,
                row_id=obj.id,
                label=_label(session, obj)[:300],
                data=data,
                hash=sha256(data),
            )
        )
    return rows


def digest(items: Sequence[Any]) -> str:
    """One hash over an entry's covered rows (what the entry's own hash includes)."""
    payload = [[i.table_name, i.row_id, i.label, i.hash] for i in items]
    return sha256(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))


def version_objects(session: Session, version_id: int) -> list[Any]:
    """An estimate version with its parts and lines, in a stable order."""
    version = session.get(EstimateVersion, version_id)
    parts = session.execute(
        select(EstimatePart).where(EstimatePart.version_id == version_id).order_by(EstimatePart.id)
    ).scalars()
    lines = session.execute(
        select(EstimateLine).where(EstimateLine.version_id == version_id).order_by(EstimateLine.id)
    ).scalars()
    return [version, *parts, *lines]


def decision_objects(session: Session, decision_id: int) -> list[Any]:
    """An award decision with its recipients, in a stable order."""
    decision = session.get(AwardDecision, decision_id)
    recipients = session.execute(
        select(AwardRecipient)
        .where(AwardRecipient.decision_id == decision_id)
        .order_by(AwardRecipient.id)
    ).scalars()
    return [decision, *recipients]
