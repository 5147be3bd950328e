"""Money: Vietnamese đồng as a plain ``int``.

Parsing is strict (anything ambiguous is refused), formatting uses dot groups
("1.500.000"), and ``amount_in_words`` reads an amount the way a Vietnamese
payment document prints it ("Bằng chữ: ...").
"""

from __future__ import annotations

import re
import unicodedata

from budget.errors import AmountError

#: Amounts the tool accepts as input stay strictly below this (10^15 đồng).
MAX_INPUT_AMOUNT = 10**15
#: ``amount_in_words`` is exact up to and including this (10^18 đồng).
MAX_WORDS_AMOUNT = 10**18

_SUFFIX = re.compile(r"[ \u00a0\u202f]*(?:đồng|đ|₫|vnđ|vnd)$", re.IGNORECASE)
_SPACES = "\u0020\u00a0\u202f"
_PLAIN = re.compile(r"\d+", re.ASCII)
_DOTTED = re.compile(r"\d{1,3}(?:\.\d{3})+", re.ASCII)
_SPACED = re.compile(r"\d{1,3}(?:[" + _SPACES + r"]\d{3})+", re.ASCII)


def parse_vnd(text: str) -> int:
    """Read an amount typed by a person: "1.500.000", "1500000", "1 500 000 đ".

    Refuses decimals, commas, exponents, negatives, mixed separators, empty
    input and amounts of 10^15 đồng or more, raising :class:`AmountError`.
    """
    if not isinstance(text, str):
        raise AmountError("Số tiền phải là chuỗi chữ số, ví dụ 1.500.000.")
    shown = text.strip(_SPACES + "\t\r\n")  # the usual blanks around a pasted amount
    if len(shown) > 40:
        raise AmountError("Số tiền quá dài: tối đa 999.999.999.999.999 đồng.")
    if any(unicodedata.category(ch)[0] in "CZ" and ch not in _SPACES for ch in shown):
        raise AmountError("Số tiền có ký tự không hợp lệ: chỉ nhập chữ số và dấu chấm.")
    body = _SUFFIX.sub("", shown).strip(_SPACES + "\t")
    if not body:
        raise AmountError("Chưa nhập số tiền.")
    if body.startswith(("-", "−")):
        raise AmountError("Số tiền không được âm: «{shown}».", shown=shown)
    if "," in body:
        raise AmountError(
            "Số tiền «{shown}» có dấu phẩy: tiền tính bằng đồng, không có phần lẻ; "
            "nhóm hàng nghìn bằng dấu chấm, ví dụ 1.500.000.",
            shown=shown,
        )
    if _PLAIN.fullmatch(body) or _DOTTED.fullmatch(body) or _SPACED.fullmatch(body):
        digits = re.sub(r"\D", "", body)
        value = int(digits)
        if value >= MAX_INPUT_AMOUNT:
            raise AmountError(
                "Số tiền «{shown}» quá lớn (tối đa 999.999.999.999.999 đồng).", shown=shown
            )
        return value
    raise AmountError(
        "Không đọc được số tiền «{shown}»: hãy nhập số đồng, ví dụ 1.500.000 hoặc 1500000.",
        shown=shown,
    )


def format_vnd(amount: int) -> str:
    """``1500000 -> "1.500.000"``; negatives keep their sign."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("format_vnd expects an int of đồng")
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(amount):,}".replace(",", ".")


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_BILLION = 10**9


def _read_group(value: int, *, full: bool, linh: str, four: str) -> list[str]:
    """Words of a three-digit group; ``full`` reads a zero hundreds as "không trăm"."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append(linh)
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 4:
            words.append(four)
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    return words


def _read_below_billion(
    value: int, *, leading: bool, thousand: str, linh: str, four: str
) -> list[str]:
    scales = ("triệu", thousand, "")
    groups = (value // 1_000_000, value // 1000 % 1000, value % 1000)
    words: list[str] = []
    for group, scale in zip(groups, scales, strict=True):
        if not group:
            continue
        full = not (leading and not words)
        words += _read_group(group, full=full, linh=linh, four=four)
        if scale:
            words.append(scale)
    return words


def _read(value: int, *, leading: bool, thousand: str, linh: str, four: str) -> list[str]:
    if value < _BILLION:
        return _read_below_billion(value, leading=leading, thousand=thousand, linh=linh, four=four)
    billions, rest = divmod(value, _BILLION)
    words = _read(billions, leading=leading, thousand=thousand, linh=linh, four=four)
    words.append("tỷ")
    words += _read_below_billion(rest, leading=False, thousand=thousand, linh=linh, four=four)
    return words


def amount_in_words(
    amount: int, *, dialect: str = "bac", chan: bool = False, four: str = "tư"
) -> str:
    """Read ``amount`` đồng in Vietnamese words for "Bằng chữ".

    ``dialect="bac"`` says "linh" and "nghìn"; ``"nam"`` says "lẻ" and "ngàn".
    ``chan`` appends "chẵn" to an amount in whole thousands. ``four`` is the
    unit four after "mươi" ("tư" or "bốn").
    """
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise AmountError("Số tiền phải là số nguyên đồng.")
    if dialect not in ("bac", "nam"):
        raise AmountError("Cách đọc «{dialect}» không hợp lệ (chọn bac hoặc nam).", dialect=dialect)
    if four not in ("tư", "bốn"):
        raise AmountError("Cách đọc số 4 «{four}» không hợp lệ (chọn tư hoặc bốn).", four=four)
    if abs(amount) > MAX_WORDS_AMOUNT:
        raise AmountError("Số tiền quá lớn để đọc bằng chữ (tối đa một tỷ tỷ đồng).")
    if amount == 0:
        return "Không đồng"
    linh, thousand = ("linh", "nghìn") if dialect == "bac" else ("lẻ", "ngàn")
    words = _read(abs(amount), leading=True, thousand=thousand, linh=linh, four=four)
    if amount < 0:
        words.insert(0, "âm")
    words.append("đồng")
    if chan and amount % 1000 == 0:
        words.append("chẵn")
    text = " ".join(words)
    return text[0].upper() + text[1:]
