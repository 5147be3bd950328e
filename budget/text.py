"""Text at the boundary: NFC normalisation, control characters, accent folding."""

from __future__ import annotations

import unicodedata

from budget.errors import Term, ValidationError

_ALLOWED_CONTROLS = {"\n", "\t"}


def clean_text(
    value: str,
    field: str,
    *,
    max_length: int = 2000,
    required: bool = True,
    multiline: bool = False,
) -> str:
    """NFC-normalise and strip ``value``; refuse control characters and overlong text.

    ``field`` is the Vietnamese name of the field, used in the message.
    """
    if not isinstance(value, str):
        raise ValidationError("«{field}» phải là chữ.", field=Term(field))
    # Invisible format characters (zero-width spaces, direction marks, BOM) are dropped.
    text = "".join(ch for ch in value if unicodedata.category(ch) != "Cf")
    text = unicodedata.normalize("NFC", text).strip()
    for ch in text:
        category = unicodedata.category(ch)
        if multiline and ch in _ALLOWED_CONTROLS:
            continue
        if category in ("Cc", "Cs", "Co", "Cn"):
            raise ValidationError(
                "«{field}» có ký tự điều khiển không hợp lệ (mã {code:#x}).",
                field=Term(field),
                code=ord(ch),
            )
        if category in ("Zl", "Zp") and not multiline:
            raise ValidationError("«{field}» chỉ được viết trên một dòng.", field=Term(field))
    if required and not text:
        raise ValidationError("Chưa nhập «{field}».", field=Term(field))
    if len(text) > max_length:
        raise ValidationError(
            "«{field}» dài quá {max_length} ký tự.", field=Term(field), max_length=max_length
        )
    return text


def fold(value: str) -> str:
    """Accent-insensitive key: "Thi Đua" -> "thi dua"."""
    text = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def handle(value: str, field: str, max_length: int = 40) -> str:
    """A short identifier a person typed (a line code, a voucher or decision number)."""
    return clean_text(value, field, max_length=max_length)


def printable(value: str, limit: int = 200) -> str:
    """Text safe to echo on one terminal line: control, format and line-breaking
    characters become "?" and the text is cut at ``limit`` characters."""
    out = "".join(
        "?" if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") else ch
        for ch in value[:limit]
    )
    return out + ("…" if len(value) > limit else "")
