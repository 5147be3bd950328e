"""Bảng kê chứng từ: the printable list of a campaign's vouchers, bordered,
wrapped, with real dates and a "Cộng trang" subtotal at the foot of every page.

Not a numbered form of TT 107/2017/TT-BTC (its Phụ lục 01 lists "Bảng kê" forms
for specific purposes only, e.g. C30-BB for advance settlements); the columns
here follow the usual bảng kê chứng từ thanh toán (verify against what the
commune's treasury asks for). A reversal counts negative, so the total is the
net amount paid.

Pages: the rows are cut into A4 pages here, from each row's height, the
margins of NĐ 30 and the print scale (budget.excel.page), filled to
:data:`FILL` of the printable height, and the sheet's page breaks are placed
exactly there. Every page ends on its "Cộng trang" (a SUM over that page's
rows, so a row inserted inside the page counts) and "Lũy kế" (the running
total: the previous page's plus this one's); the grand total, its words and
the signatures follow the last page's rows on the same page (when they would
not fit, the last rows move to the next page with them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from budget.excel import page
from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.sheet import (
    PROGRESS_ROWS,
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
from budget.progress import OnRows
from budget.reports.register import VoucherRow
from budget.services.organisation import OrgSettings
from budget.vocabulary import REVERSAL

HEADERS = ["STT", "Số chứng từ", "Ngày", "Người nhận", "Nội dung", "Dòng", "Mã NDKT", "Số tiền"]
WIDTHS = [5, 11, 11, 20, 30, 6, 7, 13]
MONEY_COL = "H"
#: The part of a page's printable height the rows fill: the sheet places its own
#: breaks and sets every row's height, which LibreOffice prints as set (measured:
#: 360 pt printed for 358 pt set), so only a small margin is kept.
FILL = 0.97
#: Rows at the foot of every page: "Cộng trang" and "Lũy kế".
FOOT_ROWS = 2
#: Rows of the signature block (a blank row, title, hint, four to sign, name).
SIGNATURE_ROWS = 8
#: At most this many rows move to the last page to keep the signatures company.
CARRIED = 2


def signed(row: VoucherRow) -> int:
    return -row.amount if row.kind == REVERSAL else row.amount


def capacity_pt(scale: int) -> float:
    """Printable height of a landscape A4 page, in the sheet's points (before scaling)."""
    return page.printable_mm(True)[1] * page.PT_PER_MM * FILL * 100 / scale


def paginate(
    heights: Sequence[float], *, first_used: float, header: float, capacity: float, trailer: float
) -> list[list[int]]:
    """Indexes of the rows on each page. The first page already holds ``first_used``
    points (heading and table header), later ones the repeated ``header``; every
    page keeps room for its foot rows, the last one also for the ``trailer``."""
    foot = FOOT_ROWS * st.LINE_HEIGHT
    pages: list[list[int]] = [[]]
    used = first_used
    for index, height in enumerate(heights):
        if pages[-1] and used + height + foot > capacity:
            pages.append([])
            used = header
        pages[-1].append(index)
        used += height
    last = pages[-1]
    if last and used + trailer > capacity:
        fits = 0
        room = capacity - header - foot - trailer
        for index in reversed(last):
            room -= heights[index]
            if room < 0:
                break
            fits += 1
        carried = max(1, min(fits, CARRIED))
        pages[-1], moved = last[:-carried], last[-carried:]
        pages.append(moved)
        if not pages[-2]:
            del pages[-2]
    return pages


def export_voucher_list(
    rows: Iterable[VoucherRow],
    org: OrgSettings,
    out: Path,
    *,
    year: int,
    force: bool = False,
    progress: OnRows | None = None,
) -> ExportResult:
    """``progress`` hears the vouchers read, every PROGRESS_ROWS and at the end;
    if it raises (a cancel) nothing is written."""
    book = Book()
    try:
        count, total = _voucher_list_book(book, rows, org, year, progress)
    except BaseException:
        book.discard()
        raise
    out = book.save(out, force=force)
    return ExportResult(out, count, total)


def _voucher_list_book(
    book: Book, rows: Iterable[VoucherRow], org: OrgSettings, year: int, progress: OnRows | None
) -> tuple[int, int]:
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
    header_height = sheet.heights()[-1]
    first_used = sum(sheet.heights())

    lines: list[tuple[list[Cell], float, int]] = []
    total = 0
    for count, row in enumerate(rows, 1):
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
        lines.append((cells, sheet._fit_height(cells, {}), amount))
        total += amount
        if progress is not None and count % PROGRESS_ROWS == 0:
            progress(count)
    if progress is not None:
        progress(len(lines))
    words = amount_in_words(abs(total), dialect=org.dialect)
    words_height = sheet._fit_height([Text(f"Bằng chữ: {words}", st.ITALIC)], {0: sum(WIDTHS)})
    trailer = (1 + SIGNATURE_ROWS) * st.LINE_HEIGHT + words_height
    pages = paginate(
        [height for _, height, _ in lines],
        first_used=first_used,
        header=header_height,
        capacity=capacity_pt(sheet.scale),
        trailer=trailer,
    )

    def foot(label: str, formula: str, value: int) -> int:
        number = sheet.append(
            [Text("", st.TOTAL_TEXT), Text(label, st.TOTAL_TEXT)]
            + [Text("", st.TOTAL_TEXT)] * 5
            + [Formula(formula, st.TOTAL_MONEY, value)]
        )
        sheet.merge(number, 2, 7)
        return number

    breaks: list[int] = []
    subtotal_rows: list[int] = []
    running_row: int | None = None
    running = 0
    for index, indexes in enumerate(pages):
        if index > 0:
            breaks.append(sheet.row)
        first = sheet.row
        page_sum = 0
        for i in indexes:
            cells, height, amount = lines[i]
            sheet.append(cells, height=height)
            page_sum += amount
        last = sheet.row - 1
        rng = f"{MONEY_COL}{first}:{MONEY_COL}{last}" if indexes else None
        subtotal = foot("Cộng trang", f"SUM({rng})" if rng else "0", page_sum)
        subtotal_rows.append(subtotal)
        running += page_sum
        previous = f"{MONEY_COL}{running_row}+" if running_row else ""
        running_row = foot("Lũy kế", f"{previous}{MONEY_COL}{subtotal}", running)
    refs = ",".join(f"{MONEY_COL}{r}" for r in subtotal_rows)
    total_row = foot("Tổng cộng", f"SUM({refs})", total)
    sheet.wide_cell(words_formula(f"{MONEY_COL}{total_row}", total, words), height=words_height)
    signature_block(
        sheet,
        [
            (1, 3, "NGƯỜI LẬP BIỂU", org.preparer_name),
            (4, 5, "KẾ TOÁN", org.accountant_name),
            (6, 8, "THỦ TRƯỞNG ĐƠN VỊ", org.chairman_name),
        ],
        keep_with=2,
    )
    sheet.fixed_breaks = breaks
    sheet.repeat_rows(header, header)
    sheet.protect()
    return len(lines), total
