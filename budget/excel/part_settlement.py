"""Quyết toán kinh phí một hội nghị (phát động, sơ kết, tổng kết): the estimate in
force against what was spent for one part of the estimate, line by line, then
the vouchers charged to that part.

Both tables end on a thin spare row above their total, and the totals are
``SUBTOTAL(9, …)`` (lines) and ``SUM`` (vouchers) down to it, so a row inserted
anywhere inside a table counts; the words follow the amount spent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from budget.dates import format_date
from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.numbering import numbered
from budget.excel.sheet import (
    Blank,
    Book,
    Cell,
    Day,
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
from budget.reports.reconcile import Figures, LineRow, Reconciliation
from budget.reports.register import VoucherRow
from budget.services.organisation import OrgSettings
from budget.vocabulary import ALL_TYPES

LINE_HEADERS = [
    "STT",
    "Nội dung",
    "Tiểu mục",
    "Dự toán được duyệt",
    "Thực hiện (đã chi)",
    "Tạm ứng chưa thanh toán",
    "Chênh lệch (dự toán - thực hiện)",
]
VOUCHER_HEADERS = [
    "STT",
    "Người nhận, nội dung",
    "Dòng",
    "Số chứng từ",
    "Ngày",
    "Đã chi",
    "Tạm ứng",
]
WIDTHS = [5, 27, 8, 12, 12, 12, 12]
APPROVED, SPENT, COMMITTED, VARIANCE = 4, 5, 6, 7  # the lines' table
V_SPENT, V_COMMITTED = 6, 7  # the vouchers' table
#: Row heights are sized for a slightly narrower text column: the width model
#: (styles.CHARS_PER_WIDTH) is a little generous for long wrapped sentences.
NARROW = {1: WIDTHS[1] * 0.85}


def export_part_settlement(
    rec: Reconciliation,
    part: str,
    vouchers: Iterable[VoucherRow],
    org: OrgSettings,
    out: Path,
    *,
    doc_date: date | None = None,
    force: bool = False,
) -> ExportResult:
    """``part``: the part's code; ``vouchers``: those charged to its lines."""
    title = next((g.title for g in rec.parts if g.code == part), "")
    lines = [line for line in rec.lines if line.part == part]
    figures = sum((line.figures for line in lines), Figures(0, 0, 0, 0))
    book = Book()
    sheet = book.sheet("Quyết toán hội nghị", WIDTHS)
    heading_block(
        sheet,
        org_lines=org_heading(org.commune_kind, org.commune_name, org.superior_body),
        place_date=place_date_line(org.place, doc_date, rec.campaign.year),
        split=2,
        number="Số:        /BC-UBND",
        superior=org.superior_body is not None,
    )
    sheet.wide("BÁO CÁO QUYẾT TOÁN KINH PHÍ", st.TITLE)
    sheet.wide(f"{part}. {title}", st.BOLD_CENTER)
    sheet.wide(rec.campaign.title, st.ITALIC_CENTER)
    when = f"đến ngày {format_date(rec.as_of)}" if rec.as_of else "cả năm"
    decision = (
        f"; dự toán theo Quyết định số {rec.decision_number} ngày {format_date(rec.decision_date)}"
        if rec.decision_number
        else ""
    )
    sheet.wide(f"(Số liệu {when}{decision})", st.ITALIC_CENTER)
    sheet.append()
    sheet.wide("I. DỰ TOÁN VÀ THỰC HIỆN", st.BOLD)
    sheet.wide("Đơn vị tính: đồng", st.ITALIC_CENTER)
    total_row = _lines_table(sheet, lines, figures)
    sheet.append()
    words = amount_in_words(figures.spent, dialect=org.dialect)
    sheet.wide_cell(
        words_formula(
            f"{col(SPENT)}{total_row}", figures.spent, words, prefix="Tổng số đã chi bằng chữ: "
        )
    )
    sheet.append()
    sheet.wide("II. CHỨNG TỪ CHI", st.BOLD)
    count = _vouchers_table(sheet, vouchers)
    signature_block(
        sheet,
        [
            (1, 2, "NGƯỜI LẬP BIỂU", org.preparer_name),
            (3, 4, "KẾ TOÁN", org.accountant_name),
            (5, 7, chairman_title(org.chairman_title), org.chairman_name),
        ],
        keep_with=4,  # the last two vouchers, the spare row and the total
    )
    sheet.protect()
    out = book.save(out, force=force)
    return ExportResult(out, count, figures.spent)


def _lines_table(sheet: Sheet, lines: list[LineRow], figures: Figures) -> int:
    sheet.append([Text(h, st.HEADER) for h in LINE_HEADERS], height=54)
    first = sheet.row
    for stt, line in numbered(lines):
        r = sheet.row
        fig = line.figures
        sheet.append(
            [
                Text(str(stt), st.CELL_CENTER),
                Text(line.content, st.CELL_TEXT),
                Text(line.mlnsnn, st.CELL_CENTER),
                Number(fig.approved, st.CELL_MONEY),
                Number(fig.spent, st.CELL_MONEY),
                Number(fig.committed, st.CELL_MONEY),
                Formula(
                    f"{col(APPROVED)}{r}-{col(SPENT)}{r}", st.CELL_MONEY, fig.approved - fig.spent
                ),
            ],
            spans=NARROW,
        )
    spare = sheet.append(
        [Blank(st.CELL_CENTER), Blank(st.CELL_TEXT), Blank(st.CELL_CENTER)]
        + [Blank(st.CELL_MONEY)] * 4,
        height=6,
    )
    values = [figures.approved, figures.spent, figures.committed, figures.approved - figures.spent]
    total: list[Cell] = [Blank(st.TOTAL_TEXT), Text("Tổng cộng", st.TOTAL_TEXT)]
    total += [Blank(st.TOTAL_TEXT)]
    return sheet.append(
        total
        + [
            Formula(f"SUBTOTAL(9,{col(c)}{first}:{col(c)}{spare})", st.TOTAL_MONEY, value)
            for c, value in zip((APPROVED, SPENT, COMMITTED, VARIANCE), values, strict=True)
        ]
    )


def _vouchers_table(sheet: Sheet, vouchers: Iterable[VoucherRow]) -> int:
    sheet.append([Text(h, st.HEADER) for h in VOUCHER_HEADERS], height=36)
    types = {code: name for code, (name, _) in ALL_TYPES.items()}
    first = sheet.row
    spent = committed = count = 0
    for v in vouchers:
        count += 1
        spent += v.spent_delta
        committed += v.committed_delta
        cells: list[Cell] = [
            Number(count, st.CELL_CENTER),
            Text(f"{v.payee}: {v.content}", st.CELL_TEXT),
            Text(v.line_code, st.CELL_CENTER),
            Text(f"{v.number}\n{types[v.type]}", st.CELL_CENTER),
            Day(v.entry_date),
            Number(v.spent_delta, st.CELL_MONEY),
            Number(v.committed_delta, st.CELL_MONEY),
        ]
        sheet.append(cells, spans=NARROW)
    spare = sheet.append(
        [Blank(st.CELL_CENTER), Blank(st.CELL_TEXT), Blank(st.CELL_CENTER), Blank(st.CELL_CENTER)]
        + [Blank(st.CELL_DATE)]
        + [Blank(st.CELL_MONEY)] * 2,
        height=6,
    )
    foot: list[Cell] = [Blank(st.TOTAL_TEXT), Text("Cộng", st.TOTAL_TEXT)]
    foot += [Blank(st.TOTAL_TEXT)] * 3
    sheet.append(
        foot
        + [
            Formula(f"SUM({col(c)}{first}:{col(c)}{spare})", st.TOTAL_MONEY, value)
            for c, value in ((V_SPENT, spent), (V_COMMITTED, committed))
        ]
    )
    return count
