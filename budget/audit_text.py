"""The audit log in words: Vietnamese action names, details as "key: value" lines
instead of raw JSON, and the time in the user's local zone (stored as naive UTC)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from budget.money import format_vnd
from budget.vocabulary import AUDIT_ACTION_LABELS, AUDIT_FIELD_LABELS, VOUCHER_TYPE_LIST

#: Status codes that appear in before/after details.
_STATUS = {
    "draft": "Dự thảo",
    "submitted": "Đã trình",
    "approved": "Đã phê duyệt",
    "posted": "Đã ghi",
    "reversed": "Đã hủy",
}
_TYPES = {t.code: t.label for t in VOUCHER_TYPE_LIST}
_MONEY_KEYS = {"amount", "total", "spent", "committed", "returned", "remaining"}


def action_label(action: str) -> str:
    return AUDIT_ACTION_LABELS.get(action, action)


def local_time(at: datetime) -> str:
    """dd/mm/yyyy HH:MM in the machine's time zone (``at`` is naive UTC)."""
    return at.replace(tzinfo=UTC).astimezone().strftime("%d/%m/%Y %H:%M")


def _value(key: str, value: Any, names: dict[str, str] | None = None) -> str:
    names = names or {}
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if key in _MONEY_KEYS and isinstance(value, int):
        return f"{format_vnd(value)} đồng"
    if key == "status" and isinstance(value, str):
        return _STATUS.get(value, value)
    if key == "type" and isinstance(value, str):
        return _TYPES.get(value, value)
    if isinstance(value, str) and value in names:
        return names[value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(_value(key, v, names) for v in value)
    if isinstance(value, dict):
        return ", ".join(
            f"{AUDIT_FIELD_LABELS.get(k, k)}: {_value(k, v, names)}" for k, v in value.items()
        )
    return str(value)


def detail_lines(raw: str | None, names: dict[str, str] | None = None) -> list[str]:
    """A before/after JSON detail as "Số tiền: 1.650.000 đồng" lines; ``names`` turns
    codes into names (a reward form's code into "Giấy khen cá nhân")."""
    if not raw:
        return []
    try:
        data = json.loads(raw)
    except ValueError:
        return [raw]
    if isinstance(data, dict):
        return [f"{AUDIT_FIELD_LABELS.get(k, k)}: {_value(k, v, names)}" for k, v in data.items()]
    if isinstance(data, list):
        return [f"{i}. {_value('', item, names)}" for i, item in enumerate(data, 1)]
    return [_value("", data, names)]
