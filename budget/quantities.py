"""Exact quantities and the one function that turns a line into đồng."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from budget.errors import Term, ValidationError

MAX_DECIMALS = 4
_QUANTITY = re.compile(r"\d{1,9}(?:[.,]\d{1," + str(MAX_DECIMALS) + r"})?", re.ASCII)


def parse_quantity(text: str | int, field: str = "Số lượng") -> Decimal:
    """Read "12", "2.5" or "2,5" as an exact Decimal (at most 4 decimals, not negative)."""
    if isinstance(text, bool):
        raise ValidationError("«{field}» không hợp lệ.", field=Term(field))
    raw = str(text).strip()
    if not _QUANTITY.fullmatch(raw):
        raise ValidationError(
            "«{field}» «{raw}» không hợp lệ: nhập số không âm, tối đa {max_decimals} "
            "chữ số thập phân, ví dụ 12 hoặc 2,5.",
            field=Term(field),
            raw=raw,
            max_decimals=MAX_DECIMALS,
        )
    return Decimal(raw.replace(",", "."))


def quantity_text(value: Decimal) -> str:
    """Canonical storage text: no exponent, no trailing zeros ("2.5", "12")."""
    normalized = value.normalize()
    text = format(normalized, "f")
    return text


def quantity_display(text: str | None) -> str:
    """Vietnamese display: decimal comma ("2,5")."""
    return "" if text is None else text.replace(".", ",")


def line_amount(quantity: Decimal, unit_price: int, multiplier: Decimal | None = None) -> int:
    """Thành tiền = Số lượng × Đơn giá [× hệ số], rounded once, half up, to whole đồng."""
    exact = quantity * unit_price * (multiplier if multiplier is not None else 1)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
