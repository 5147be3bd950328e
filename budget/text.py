"""Text at the boundary: NFC normalisation, control characters, accent folding."""

from __future__ import annotations

import unicodedata

from budget.errors import ValidationError

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
        raise ValidationError(f"«{field}» phải là chữ.")
    text = unicodedata.normalize("NFC", value).strip()
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cs") and not (multiline and ch in _ALLOWED_CONTROLS):
            raise ValidationError(f"«{field}» có ký tự điều khiển không hợp lệ (mã {ord(ch):#x}).")
    if required and not text:
        raise ValidationError(f"Chưa nhập «{field}».")
    if len(text) > max_length:
        raise ValidationError(f"«{field}» dài quá {max_length} ký tự.")
    return text


def fold(value: str) -> str:
    """Accent-insensitive key: "Thi Đua" -> "thi dua"."""
    text = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
