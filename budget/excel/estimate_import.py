"""Reading an estimate back from Excel: our own layout after the accountant
edited it, or a plain table with the same headers. Every row is checked; the
first bad cell stops the import with its sheet, row and column."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from budget.errors import BudgetError, ValidationError
from budget.excel.table_reader import Table, read_table
from budget.money import parse_vnd
from budget.norms import Norms
from budget.quantities import MAX_DECIMALS, parse_quantity
from budget.text import clean_text

ALIASES = {
    "stt": ["STT", "TT", "Số TT"],
    "code": ["Mã", "Mã dòng", "code"],
    "part": ["Phần", "part"],
    "content": ["Nội dung", "Nội dung chi", "content"],
    "unit": ["ĐVT", "Đơn vị tính", "unit"],
    "quantity": ["Số lượng", "quantity"],
    "multiplier": ["Số ngày", "Hệ số", "multiplier"],
    "unit_price": ["Đơn giá", "unit_price"],
    "amount": ["Thành tiền", "amount"],
    "mlnsnn": ["Tiểu mục", "Mã tiểu mục", "MLNSNN", "mlnsnn"],
    "note": ["Ghi chú", "note"],
}
LABELS = {
    "stt": "STT",
    "code": "Mã",
    "part": "Phần",
    "content": "Nội dung",
    "unit": "ĐVT",
    "quantity": "Số lượng",
    "multiplier": "Số ngày",
    "unit_price": "Đơn giá",
    "amount": "Thành tiền",
    "mlnsnn": "Tiểu mục",
    "note": "Ghi chú",
}
REQUIRED = ("content", "quantity", "unit_price", "mlnsnn")
ROMAN = re.compile(r"(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})")
LINE_CODE = re.compile(r"[A-Za-z0-9.\-]{1,20}")


@dataclass(frozen=True)
class ImportedLine:
    part: str
    code: str
    content: str
    unit: str
    quantity: Decimal
    multiplier: Decimal | None
    unit_price: int
    mlnsnn: str
    note: str


@dataclass(frozen=True)
class ImportedEstimate:
    source: str
    parts: tuple[tuple[str, str], ...]  # (code, title)
    lines: tuple[ImportedLine, ...]

    @property
    def total(self) -> int:
        from budget.quantities import line_amount

        return sum(line_amount(x.quantity, x.unit_price, x.multiplier) for x in self.lines)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _quantity(value: Any, where: str, label: str) -> Decimal:
    if _is_formula(value):
        raise ValidationError(
            "{where}: «{label}» phải là số, không phải công thức.", where=where, label=label
        )
    if isinstance(value, bool):
        raise ValidationError("{where}: «{label}» không hợp lệ.", where=where, label=label)
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError(
                "{where}: «{label}» không hợp lệ.", where=where, label=label
            ) from None
        if number < 0 or number.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]
            raise ValidationError(
                "{where}: «{label}» {value} phải không âm, tối đa {max_decimals} chữ số lẻ.",
                where=where,
                label=label,
                value=value,
                max_decimals=MAX_DECIMALS,
            )
        return number.normalize() if number != number.to_integral_value() else Decimal(int(number))
    text = _text(value).strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        text = text.replace(".", "")  # "1.000" in a Vietnamese sheet: dot-grouped thousands
    try:
        return parse_quantity(text, label)
    except ValidationError as exc:
        raise ValidationError("{where}: {message}", where=where, message=exc.phrase) from None


def _price(value: Any, where: str) -> int:
    if _is_formula(value):
        raise ValidationError("{where}: «Đơn giá» phải là số, không phải công thức.", where=where)
    if isinstance(value, bool):
        raise ValidationError("{where}: «Đơn giá» không hợp lệ.", where=where)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        if value != int(value):
            raise ValidationError(
                "{where}: «Đơn giá» {value} phải là số nguyên đồng.", where=where, value=value
            )
        number = int(value)
    else:
        try:
            number = parse_vnd(_text(value))
        except BudgetError as exc:
            raise ValidationError("{where}: {message}", where=where, message=exc.phrase) from None
    if number < 0 or number >= 10**15:
        raise ValidationError("{where}: «Đơn giá» không hợp lệ.", where=where)
    return number


def _check_amount(
    value: Any, quantity: Decimal, unit_price: int, multiplier: Decimal | None, where: str
) -> None:
    """Thành tiền is recomputed; a typed value that disagrees is refused, not dropped."""
    from budget.money import format_vnd
    from budget.quantities import line_amount

    if value in (None, "") or _is_formula(value):
        return
    expected = line_amount(quantity, unit_price, multiplier)
    if isinstance(value, bool):
        raise ValidationError("{where}: «Thành tiền» không hợp lệ.", where=where)
    if isinstance(value, int | float | Decimal):
        typed = value
    else:
        try:
            typed = parse_vnd(_text(value))
        except BudgetError as exc:
            raise ValidationError("{where}: {message}", where=where, message=exc.phrase) from None
    if typed != expected:
        raise ValidationError(
            "{where}: thành tiền ghi {text} khác số lượng × đơn giá = "
            "{expected} đồng; sửa số lượng hoặc đơn giá, hoặc xóa ô thành tiền.",
            where=where,
            text=_text(value),
            expected=format_vnd(expected),
        )


def _cell(row: list[Any], table: Table, key: str) -> Any:
    index = table.columns.get(key)
    return row[index] if index is not None and index < len(row) else None


@dataclass(frozen=True)
class _Row:
    """One row of the table, with the words that say where a bad cell is."""

    table: Table
    number: int
    cells: list[Any]

    def get(self, key: str) -> Any:
        return _cell(self.cells, self.table, key)

    def text(self, key: str) -> str:
        return _text(self.get(key))

    def where(self, key: str | None = None) -> str:
        return self.table.where(self.number, LABELS[key] if key else None)


def _is_part_row(row: _Row) -> bool:
    """A part's heading: a Roman numeral in STT and no quantity or price."""
    stt = row.text("stt")
    return (
        stt != ""
        and ROMAN.fullmatch(stt) is not None
        and row.get("quantity") in (None, "")
        and row.get("unit_price") in (None, "")
    )


def _part(row: _Row, parts: list[tuple[str, str]]) -> tuple[str, str]:
    """The (code, title) of a part's heading row; a part named twice is refused."""
    stt = row.text("stt")
    title = clean_text(row.text("content"), f"{row.where('content')}: Tên phần", max_length=500)
    if any(code == stt for code, _ in parts):
        raise ValidationError("{where}: phần «{stt}» lặp lại.", where=row.where("stt"), stt=stt)
    return stt, title


def _figures(row: _Row, norms: Norms) -> tuple[str, Decimal, Decimal | None, int, str]:
    """A line's content, quantity, multiplier, unit price and budget code, checked."""
    try:
        content = clean_text(row.text("content"), "Nội dung", max_length=1000)
    except ValidationError as exc:
        raise ValidationError(
            "{where}: {message}", where=row.where("content"), message=exc.phrase
        ) from None
    if row.get("quantity") in (None, ""):
        raise ValidationError("{where}: chưa có số lượng.", where=row.where("quantity"))
    if row.get("unit_price") in (None, ""):
        raise ValidationError("{where}: chưa có đơn giá.", where=row.where("unit_price"))
    quantity = _quantity(row.get("quantity"), row.where("quantity"), "Số lượng")
    multiplier_raw = row.get("multiplier")
    multiplier = (
        None
        if multiplier_raw in (None, "")
        else _quantity(multiplier_raw, row.where("multiplier"), "Số ngày")
    )
    unit_price = _price(row.get("unit_price"), row.where("unit_price"))
    mlnsnn = row.text("mlnsnn")
    try:
        norms.budget_code(mlnsnn)
    except BudgetError as exc:
        raise ValidationError(
            "{where}: {message}", where=row.where("mlnsnn"), message=exc.phrase
        ) from None
    return content, quantity, multiplier, unit_price, mlnsnn


def _line_part(row: _Row, current_part: str | None) -> str:
    """The part a line belongs to: its «Phần» cell, else the heading above it, else
    the numeral of its code («II.3»)."""
    part = row.text("part") or current_part
    if part is None:
        match = re.fullmatch(r"([IVXLC]+)\.\d+", row.text("code"))
        part = match[1] if match else None
    if part is None:
        raise ValidationError(
            "{where}: dòng chưa thuộc phần nào (thêm dòng phần «I», «II»... hoặc cột «Phần»).",
            where=row.where(),
        )
    return part


def _line_code(row: _Row, part: str, in_part: int, seen_codes: set[str]) -> str:
    """The line's code: its «Mã» cell, else «part.STT», else the next number in the
    part (``in_part`` lines before it); a malformed or repeated code is refused."""
    code_text, stt = row.text("code"), row.text("stt")
    code_column = "code" if code_text else "stt"
    if code_text:
        code = code_text
    elif stt.isdigit():
        code = f"{part}.{int(stt)}"
    elif stt:
        code = stt
    else:
        code = f"{part}.{in_part + 1}"
    if not LINE_CODE.fullmatch(code):
        raise ValidationError(
            "{where}: mã dòng «{code}» không hợp lệ.", where=row.where(code_column), code=code
        )
    if code in seen_codes:
        raise ValidationError(
            "{where}: mã dòng «{code}» lặp lại.", where=row.where(code_column), code=code
        )
    return code


def _unit_and_note(row: _Row) -> tuple[str, str]:
    try:
        unit = clean_text(row.text("unit"), "ĐVT", max_length=60, required=False)
        note = clean_text(row.text("note"), "Ghi chú", max_length=1000, required=False)
    except ValidationError as exc:
        raise ValidationError("{where}: {message}", where=row.where(), message=exc.phrase) from None
    return unit, note


def parse_estimate(table: Table, norms: Norms) -> ImportedEstimate:
    parts: list[tuple[str, str]] = []
    lines: list[ImportedLine] = []
    seen_codes: set[str] = set()
    current_part: str | None = None
    for number, cells in table.rows:
        row = _Row(table, number, cells)
        if _is_part_row(row):
            parts.append(_part(row, parts))
            current_part = parts[-1][0]
            continue
        content, quantity, multiplier, unit_price, mlnsnn = _figures(row, norms)
        part = _line_part(row, current_part)
        if not any(code == part for code, _ in parts):
            parts.append((part, f"Phần {part}"))
        code = _line_code(row, part, sum(1 for x in lines if x.part == part), seen_codes)
        seen_codes.add(code)
        unit, note = _unit_and_note(row)
        _check_amount(row.get("amount"), quantity, unit_price, multiplier, row.where("amount"))
        lines.append(
            ImportedLine(part, code, content, unit, quantity, multiplier, unit_price, mlnsnn, note)
        )
    if not lines:
        raise ValidationError("{source}: bảng dự toán không có dòng nào.", source=table.source)
    return ImportedEstimate(table.source, tuple(parts), tuple(lines))


def read_estimate(path: Path, norms: Norms) -> ImportedEstimate:
    table = read_table(
        path, ALIASES, REQUIRED, LABELS, prefer_sheet="Dự toán", end_marker="Tổng cộng"
    )
    return parse_estimate(table, norms)
