"""Bảng kê chứng từ: the printable list of a campaign's vouchers, bordered,
wrapped, with real dates and a "Cộng trang" subtotal at the foot of every page.

Not a numbered form of TT 107/2017/TT-BTC (its Phụ lục 01 lists "Bảng kê" forms
for specific purposes only, e.g. C30-BB for advance settlements); the columns
here follow the usual bảng kê chứng từ thanh toán (verify against what the
commune's treasury asks for). A reversal counts negative, so the total is the
net amount paid.

Page subtotals: the rows are cut into pages here (from the same row heights and
printable height as budget.excel.page) and each page's rows are kept together
with their subtotal, so every printed page ends on its own "Cộng trang".
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from budget.excel import page
from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.sheet import (
    Book,
    Cell,
    Day,
    Formula,
    Number,
    Text,
    heading_block,
    org_heading,
    place_date_line,
    signature_block,
    words_formula,
)
from budget.money import amount_in_words
from budget.reports.register import VoucherRow
from budget.services.organisation import OrgSettings
from budget.vocabulary import REVERSAL

HEADERS = ["STT", "Số chứng từ", "Ngày", "Người nhận", "Nội dung", "Dòng", "Mã NDKT", "Số tiền"]
WIDTHS = [5, 11, 11, 20, 30, 6, 7, 13]
MONEY_COL = "H"
#: Leave room below each page's rows for its subtotal row and rounding.
PAGE_USE = 0.9


def signed(row: VoucherRow) -> int:
    return -row.amount if row.kind == REVERSAL else row.amount


def export_voucher_list(
    rows: Iterable[VoucherRow], org: OrgSettings, out: Path, *, year: int, force: bool = False
) -> ExportResult:
    book = Book()
    sheet = book.sheet("Bảng kê chứng từ", WIDTHS, landscape=True)
    heading_block(
        sheet,
        org_lines=org_heading(org.commune_kind, org.commune_name, org.superior_body),
        place_date=place_date_line(org.place, None, year),
        split=4,
        number=None,
        superior=org.superior_body is not None,
    )
    sheet.wide("BẢNG KÊ CHỨNG TỪ THANH TOÁN", st.TITLE)
    sheet.wide(f"Năm {year}", st.ITALIC_CENTER)
    sheet.append()
    header = sheet.append([Text(h, st.HEADER) for h in HEADERS], height=36)
    capacity = page.printable_mm(True)[1] * page.PT_PER_MM * page.SAFETY * 100 / sheet.scale
    header_height = sheet.heights()[-1]
    used = sum(sheet.heights())
    subtotal_rows: list[int] = []
    total = count = 0
    chunk_first, chunk_sum, chunk_start = sheet.row, 0, sheet.row

    def close_chunk() -> None:
        nonlocal chunk_first, chunk_sum, chunk_start, used
        last = sheet.row - 1
        number = sheet.append(
            [Text("", st.TOTAL_TEXT), Text("Cộng trang", st.TOTAL_TEXT)]
            + [Text("", st.TOTAL_TEXT)] * 5
            + [
                Formula(
                    f"SUM({MONEY_COL}{chunk_first}:{MONEY_COL}{last})", st.TOTAL_MONEY, chunk_sum
                )
            ]
        )
        sheet.merge(number, 2, 7)
        sheet.keep_together(chunk_start, number)
        subtotal_rows.append(number)
        chunk_first = chunk_start = sheet.row
        chunk_sum = 0
        used = header_height

    for row in rows:
        count += 1
        amount = signed(row)
        cells: list[Cell] = [
            Number(count, st.CELL_CENTER),
            Text(row.number, st.CELL_TEXT),
            Day(row.entry_date),
            Text(row.payee, st.CELL_TEXT),
            Text(row.content, st.CELL_TEXT),
            Text(row.line_code, st.CELL_CENTER),
            Text(row.mlnsnn, st.CELL_CENTER),
            Number(amount, st.CELL_MONEY),
        ]
        height = sheet._fit_height(cells, {})
        if used + height + st.LINE_HEIGHT > capacity * PAGE_USE and sheet.row > chunk_first:
            close_chunk()
        sheet.append(cells, height=height)
        used += height
        chunk_sum += amount
        total += amount
    if sheet.row > chunk_first or not subtotal_rows:
        close_chunk()
    refs = ",".join(f"{MONEY_COL}{r}" for r in subtotal_rows)
    total_row = sheet.append(
        [Text("", st.TOTAL_TEXT), Text("Tổng cộng", st.TOTAL_TEXT)]
        + [Text("", st.TOTAL_TEXT)] * 5
        + [Formula(f"SUM({refs})", st.TOTAL_MONEY, total)]
    )
    sheet.merge(total_row, 2, 7)
    words = amount_in_words(abs(total), dialect=org.dialect)
    sheet.wide_cell(words_formula(f"{MONEY_COL}{total_row}", total, words))
    signature_block(
        sheet,
        [
            (1, 3, "NGƯỜI LẬP BIỂU", org.preparer_name),
            (4, 5, "KẾ TOÁN", org.accountant_name),
            (6, 8, "THỦ TRƯỞNG ĐƠN VỊ", org.chairman_name),
        ],
        keep_with=2,
    )
    sheet.repeat_rows(header, header)
    sheet.protect()
    out = book.save(out, force=force)
    return ExportResult(out, count, total)
