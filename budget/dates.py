"""Dates as people type and read them: dd/mm/yyyy (or ISO) in, dd/mm/yyyy out."""

from __future__ import annotations

import re
from datetime import date

from budget.errors import Term, ValidationError

_VN = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.ASCII)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def parse_date(text: str, field: str = "Ngày") -> date:
    """Read "15/03/2024", "15-3-2024" or "2024-03-15"."""
    raw = (text or "").strip()
    iso, vn = _ISO.fullmatch(raw), _VN.fullmatch(raw)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if vn:
            return date(int(vn[3]), int(vn[2]), int(vn[1]))
    except ValueError:
        raise ValidationError(
            "«{field}» «{raw}» không phải ngày có thật.", field=Term(field), raw=raw
        ) from None
    raise ValidationError(
        "«{field}» «{raw}» không hợp lệ: nhập dạng dd/mm/yyyy hoặc yyyy-mm-dd.",
        field=Term(field),
        raw=raw,
    )


def format_date(value: date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


def document_date_line(place: str, value: date) -> str:
    """ "Phú Lý, ngày 15 tháng 3 năm 2024" as the document's date line reads.

    Nghị định 30/2020/NĐ-CP: a day below 10 and the months 1 and 2 take a leading zero.
    """
    day = f"{value.day:02d}"
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{place}, ngày {day} tháng {month} năm {value.year}"
