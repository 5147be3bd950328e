"""Dự toán kinh phí: the estimate for signing, with live formulas.

Columns: STT | Nội dung | ĐVT | Số lượng | [Số ngày] | Đơn giá | Thành tiền |
Tiểu mục | Ghi chú. Thành tiền = ROUND(Số lượng × Đơn giá [× Số ngày], 0); a
part's row sums its lines; "Tổng cộng" sums the parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from budget.dates import format_date
from budget.excel import styles as st
from budget.excel.sheet import (
    Blank,
    Cell,
    Formula,
    Number,
    Sheet,
    Text,
    col,
    heading_block,
    new_workbook,
    org_heading,
    place_date_line,
    signature_block,
)
from budget.money import amount_in_words
from budget.services.estimates import EstimateView, LineView
from budget.services.organisation import OrgSettings

SHEET_TITLE = "Dự toán"
HEADERS = [
    "STT",
    "Nội dung",
    "ĐVT",
    "Số lượng",
    "Số ngày",
    "Đơn giá",
    "Thành tiền",
    "Tiểu mục",
    "Ghi chú",
]
WIDTHS = {
    "STT": 7,
    "Nội dung": 46,
    "ĐVT": 9,
    "Số lượng": 10,
    "Số ngày": 8,
    "Đơn giá": 13,
    "Thành tiền": 15,
    "Tiểu mục": 9,
    "Ghi chú": 26,
}


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    total: int


def _number(text: str | None) -> int | Decimal | None:
    """Quantities are exact decimals; openpyxl writes a Decimal as the number it is."""
    if text is None:
        return None
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else value


def stt_for(line: LineView) -> str:
    """ "II.3" under part II shows as "3"; any other code shows whole."""
    match = re.fullmatch(re.escape(line.part) + r"\.(\d+)", line.code)
    return match[1] if match else line.code


def export_estimate(
    view: EstimateView, org: OrgSettings, out: Path, *, doc_date: date | None = None
) -> ExportResult:
    has_multiplier = any(line.multiplier is not None for line in view.lines)
    headers = [h for h in HEADERS if has_multiplier or h != "Số ngày"]
    c = {name: i + 1 for i, name in enumerate(headers)}
    workbook = new_workbook()
    sheet = Sheet(workbook, SHEET_TITLE, [WIDTHS[h] for h in headers])
    heading_block(
        sheet,
        org_lines=org_heading(org.commune_kind, org.commune_name, org.superior_body),
        place_date=place_date_line(org.place, doc_date, view.campaign.year),
        split=3,
    )
    sheet.wide("DỰ TOÁN KINH PHÍ", st.TITLE)
    sheet.wide(view.title, st.BOLD_CENTER)
    if view.decision_number:
        sheet.wide(
            f"(Kèm theo Quyết định số {view.decision_number} ngày "
            f"{format_date(view.decision_date)} của Chủ tịch UBND {org.commune_kind} "
            f"{org.commune_name})",
            st.ITALIC_CENTER,
        )
    elif view.status != "approved":
        sheet.wide(f"(Dự thảo — phiên bản {view.version_no})", st.ITALIC_CENTER)
    sheet.append()
    for basis in view.legal_bases:
        sheet.wide(basis, st.ITALIC)
    if view.legal_bases:
        sheet.append()
    header_row = sheet.append([Text(h, st.HEADER) for h in headers])

    money = col(c["Thành tiền"])
    qty, price = col(c["Số lượng"]), col(c["Đơn giá"])
    days = col(c["Số ngày"]) if has_multiplier else None
    part_cells: list[str] = []
    for part in view.parts:
        first_line = sheet.row + 1
        last_line = sheet.row + len(part.lines)
        subtotal = (
            Formula(f"SUM({money}{first_line}:{money}{last_line})", st.PART_MONEY)
            if part.lines
            else Number(0, st.PART_MONEY)
        )
        row: list[Cell] = [Blank(st.PART_TEXT)] * len(headers)
        row[c["STT"] - 1] = Text(part.code, st.PART_CENTER)
        row[c["Nội dung"] - 1] = Text(part.title, st.PART_TEXT)
        row[c["Thành tiền"] - 1] = subtotal
        part_cells.append(f"{money}{sheet.append(row)}")
        for line in part.lines:
            r = sheet.row
            product = f"{qty}{r}*{price}{r}" + (f'*IF({days}{r}="",1,{days}{r})' if days else "")
            row = [Blank(st.CELL_TEXT)] * len(headers)
            row[c["STT"] - 1] = Text(stt_for(line), st.CELL_CENTER)
            row[c["Nội dung"] - 1] = Text(line.content, st.CELL_TEXT)
            row[c["ĐVT"] - 1] = Text(line.unit, st.CELL_CENTER)
            row[c["Số lượng"] - 1] = Number(_number(line.quantity), st.CELL_QTY)
            if days:
                row[c["Số ngày"] - 1] = Number(_number(line.multiplier), st.CELL_QTY)
            row[c["Đơn giá"] - 1] = Number(line.unit_price, st.CELL_MONEY)
            row[c["Thành tiền"] - 1] = Formula(f"ROUND({product},0)", st.CELL_MONEY)
            row[c["Tiểu mục"] - 1] = Text(line.mlnsnn, st.CELL_CENTER)
            row[c["Ghi chú"] - 1] = Text(line.note, st.CELL_TEXT)
            sheet.append(row)
    total_row: list[Cell] = [Blank(st.TOTAL_TEXT)] * len(headers)
    total_row[c["Nội dung"] - 1] = Text("Tổng cộng", st.TOTAL_TEXT)
    total_row[c["Thành tiền"] - 1] = Formula(
        f"SUM({','.join(part_cells)})" if part_cells else "0", st.TOTAL_MONEY
    )
    sheet.append(total_row)
    sheet.append()
    sheet.wide("Bằng chữ: " + amount_in_words(view.total, dialect=org.dialect), st.ITALIC)
    width = len(headers)
    signature_block(
        sheet,
        [
            (1, 2, "NGƯỜI LẬP BIỂU", org.preparer_name),
            (3, width - 3, "KẾ TOÁN", org.accountant_name),
            (width - 2, width, org.chairman_title.upper(), org.chairman_name),
        ],
    )
    sheet.repeat_rows(header_row, header_row)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return ExportResult(out, sheet.row - 1, view.total)
