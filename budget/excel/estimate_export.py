"""Dự toán kinh phí: the estimate for signing, with live formulas that stay true.

Columns: STT | Nội dung | ĐVT | Số lượng | [Số ngày] | Đơn giá | Thành tiền |
Tiểu mục | Ghi chú.

* Thành tiền rounds exactly, half up, like :func:`budget.quantities.line_amount`:
  the quantity (at most 4 decimals) is scaled to an integer, so the product with
  the price is an exact integer in binary floating point, and the division that
  brings it back rounds a true half to exactly ``.5`` (1,15 × 1.350 = 1.553, not
  the 1.552 that ``ROUND(1.15*1350, 0)`` gives).
* A part's row is ``SUBTOTAL(9, …)`` over every row down to the next part's row
  (SUBTOTAL skips the other SUBTOTALs), so a row inserted anywhere in the part,
  even after its last line, counts; the last part ends on a thin spare row above
  "Tổng cộng", which is ``SUBTOTAL(9, …)`` over all the parts' rows.
* "Bằng chữ" shows the words while the total is the exported one, and a warning
  to re-import once an edit has changed it.
* Every formula carries its value; the sheet is protected (no password) with
  the line cells left unlocked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from budget.dates import format_date
from budget.excel import styles as st
from budget.excel.numbering import numbered
from budget.excel.sheet import (
    Blank,
    Book,
    Cell,
    Formula,
    Number,
    Sheet,
    Text,
    chairman_title,
    col,
    heading_block,
    org_heading,
    place_date_line,
    signature_block,
    words_formula,
)
from budget.money import amount_in_words
from budget.services.campaigns import CampaignInfo
from budget.services.estimates import EstimateView
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
    "STT": 5,
    "Nội dung": 38,
    "ĐVT": 8,
    "Số lượng": 9,
    "Số ngày": 7,
    "Đơn giá": 12,
    "Thành tiền": 14,
    "Tiểu mục": 8,
    "Ghi chú": 22,
}
#: Quantities have at most 4 decimals (budget.quantities.MAX_DECIMALS).
QUANTITY_SCALE = 10_000


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    total: int


def _number(text: str | None) -> int | Decimal | None:
    """Quantities are exact decimals."""
    if text is None:
        return None
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else value


def amount_formula(qty: str, price: str, days: str | None) -> str:
    """ROUND(q × p [× d], 0), half up, exact: X = q·10⁴ [· d·10⁴] is an integer and
    X·p is split as (X div S)·p + ROUND((X mod S)·p / S, 0), every step exact."""
    scaled = f"ROUND({qty}*{QUANTITY_SCALE},0)"
    scale = QUANTITY_SCALE
    if days is not None:
        scaled += f'*IF({days}="",{QUANTITY_SCALE},ROUND({days}*{QUANTITY_SCALE},0))'
        scale = QUANTITY_SCALE * QUANTITY_SCALE
    rest = f"MOD({scaled},{scale})"
    return f"({scaled}-{rest})/{scale}*{price}+ROUND({rest}*{price}/{scale},0)"


def filled_basis(basis: str, campaign: CampaignInfo, authority: str) -> str:
    """ "Căn cứ Kế hoạch số .../KH-UBND ngày ..." with the plan's number and date."""
    if "Kế hoạch số" not in basis:
        return basis  # another decision's "ngày ..." is not the plan's date
    if campaign.number:
        basis = re.sub(r"Kế hoạch số \.\.\.(/KH-UBND)?", f"Kế hoạch số {campaign.number}", basis)
    if campaign.plan_date is not None:
        basis = basis.replace(" ngày ... ", f" ngày {format_date(campaign.plan_date)} ", 1)
    return basis


def export_estimate(
    view: EstimateView,
    org: OrgSettings,
    out: Path,
    *,
    doc_date: date | None = None,
    force: bool = False,
) -> ExportResult:
    has_multiplier = any(line.multiplier is not None for line in view.lines)
    headers = [h for h in HEADERS if has_multiplier or h != "Số ngày"]
    c = {name: i + 1 for i, name in enumerate(headers)}
    book = Book()
    sheet = book.sheet(SHEET_TITLE, [WIDTHS[h] for h in headers], landscape=True)
    heading_block(
        sheet,
        org_lines=org_heading(org.commune_kind, org.commune_name, org.superior_body),
        place_date=place_date_line(org.place, doc_date, view.campaign.year),
        split=3,
        number="Số:        /DT-UBND",
        superior=org.superior_body is not None,
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
        sheet.wide(filled_basis(basis, view.campaign, org.commune_name), st.ITALIC)
    if view.legal_bases:
        sheet.append()
    sheet.wide("Đơn vị tính: đồng", st.ITALIC_CENTER)
    header_row = sheet.append([Text(h, st.HEADER) for h in headers], height=36)
    rows = _table(sheet, view, c, len(headers), has_multiplier)
    money = col(c["Thành tiền"])
    sheet.append()
    words = amount_in_words(view.total, dialect=org.dialect)
    sheet.wide_cell(words_formula(f"{money}{rows}", view.total, words))
    width = len(headers)
    signature_block(
        sheet,
        [
            (1, 2, "NGƯỜI LẬP BIỂU", org.preparer_name),
            (3, width - 3, "KẾ TOÁN", org.accountant_name),
            (width - 2, width, chairman_title(org.chairman_title), org.chairman_name),
        ],
        keep_with=4,
    )
    sheet.repeat_rows(header_row, header_row)
    sheet.protect()
    out = book.save(out, force=force)
    return ExportResult(out, sheet.row - 1, view.total)


def _table(sheet: Sheet, view: EstimateView, c: dict[str, int], width: int, days_col: bool) -> int:
    """The parts and their lines, the spare row and "Tổng cộng"; returns the total's row."""
    money = col(c["Thành tiền"])
    qty, price = col(c["Số lượng"]), col(c["Đơn giá"])
    days = col(c["Số ngày"]) if days_col else None
    part_rows: list[int] = []
    first_part = sheet.row
    # Row numbers are known in advance: a part row, then its lines.
    starts = []
    row = sheet.row
    for part in view.parts:
        starts.append(row)
        row += 1 + len(part.lines)
    spare = row
    for index, part in enumerate(view.parts):
        end = starts[index + 1] if index + 1 < len(starts) else spare
        cells: list[Cell] = [Blank(st.PART_TEXT)] * width
        cells[c["STT"] - 1] = Text(part.code, st.PART_CENTER)
        cells[c["Nội dung"] - 1] = Text(part.title, st.PART_TEXT)
        here = sheet.row
        cells[c["Thành tiền"] - 1] = Formula(
            f"SUBTOTAL(9,{money}{here + 1}:{money}{end})", st.PART_MONEY, part.total
        )
        part_rows.append(sheet.append(cells))
        for stt, line in numbered(part.lines):
            r = sheet.row
            cells = [Blank(st.INPUT_TEXT)] * width
            cells[c["STT"] - 1] = Text(str(stt), st.INPUT_CENTER)
            cells[c["Nội dung"] - 1] = Text(line.content, st.INPUT_TEXT)
            cells[c["ĐVT"] - 1] = Text(line.unit, st.INPUT_CENTER)
            cells[c["Số lượng"] - 1] = Number(_number(line.quantity), st.INPUT_QTY)
            if days:
                cells[c["Số ngày"] - 1] = Number(_number(line.multiplier), st.INPUT_QTY)
            cells[c["Đơn giá"] - 1] = Number(line.unit_price, st.INPUT_MONEY)
            cells[c["Thành tiền"] - 1] = Formula(
                amount_formula(f"{qty}{r}", f"{price}{r}", f"{days}{r}" if days else None),
                st.INPUT_MONEY,
                line.amount,
            )
            cells[c["Tiểu mục"] - 1] = Text(line.mlnsnn, st.INPUT_CENTER)
            cells[c["Ghi chú"] - 1] = Text(line.note, st.INPUT_TEXT)
            sheet.append(cells)
    assert sheet.row == spare
    sheet.append([Blank(st.INPUT_TEXT)] * width, height=6)
    total: list[Cell] = [Blank(st.TOTAL_TEXT)] * width
    total[c["Nội dung"] - 1] = Text("Tổng cộng", st.TOTAL_TEXT)
    total[c["Thành tiền"] - 1] = Formula(
        f"SUBTOTAL(9,{money}{first_part}:{money}{spare})" if part_rows else "0",
        st.TOTAL_MONEY,
        view.total,
    )
    return sheet.append(total)
