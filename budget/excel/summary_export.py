"""The chairman's page: totals, parts with a bar chart, lines at or over 90 %."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.sheet import (
    Blank,
    Book,
    Formula,
    Number,
    Text,
    heading_block,
    org_heading,
    place_date_line,
    words_formula,
)
from budget.money import amount_in_words
from budget.reports.summary import Summary
from budget.services.organisation import OrgSettings

HEADERS = ["Phần", "Nội dung", "Dự toán", "Đã chi", "Tạm ứng", "Còn lại", "Tỷ lệ sử dụng"]
WIDTHS = [7, 38, 14, 14, 13, 14, 10]


def _percent(used: int, approved: int) -> Number:
    if approved <= 0:
        return Number(None, st.CELL_PERCENT)
    value = (Decimal(100 * used) / approved).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Number(value, st.CELL_PERCENT)


def export_summary(
    summary: Summary, org: OrgSettings, out: Path, *, force: bool = False
) -> ExportResult:
    rec = summary.reconciliation
    book = Book()
    sheet = book.sheet("Tổng hợp", WIDTHS, landscape=True)
    heading_block(
        sheet,
        org_lines=org_heading(org.commune_kind, org.commune_name, org.superior_body),
        place_date=place_date_line(org.place, None, rec.campaign.year),
        split=2,
    )
    sheet.wide("TỔNG HỢP TÌNH HÌNH SỬ DỤNG KINH PHÍ", st.TITLE)
    sheet.wide(rec.campaign.title, st.BOLD_CENTER)
    sheet.append()
    header = sheet.append([Text(h, st.HEADER) for h in HEADERS])
    sheet.repeat_rows(header, header)
    first = sheet.row
    for group in rec.parts:
        f = group.figures
        row = sheet.row
        sheet.append(
            [
                Text(group.code, st.CELL_CENTER),
                Text(group.title, st.CELL_TEXT),
                Number(f.approved, st.CELL_MONEY),
                Number(f.spent, st.CELL_MONEY),
                Number(f.committed, st.CELL_MONEY),
                Formula(f"C{row}-D{row}-E{row}", st.CELL_MONEY, f.approved - f.used),
                _percent(f.used, f.approved),
            ]
        )
    last = sheet.row - 1
    t = rec.total
    sheet.append(
        [
            Blank(st.TOTAL_TEXT),
            Text("Tổng cộng", st.TOTAL_TEXT),
            *[
                Formula(f"SUM({c}{first}:{c}{last})", st.TOTAL_MONEY, v)
                for c, v in zip(
                    "CDEF", (t.approved, t.spent, t.committed, t.approved - t.used), strict=True
                )
            ],
            _percent(t.used, t.approved),
        ]
    )
    total_row = sheet.row - 1
    sheet.append()
    words = amount_in_words(t.spent, dialect=org.dialect)
    sheet.wide_cell(words_formula(f"D{total_row}", t.spent, words, prefix="Đã chi bằng chữ: "))
    chart_anchor = sheet.row + 1
    for _ in range(16):
        sheet.append()
    if summary.near_limit:
        sheet.wide("CÁC DÒNG ĐÃ SỬ DỤNG TỪ 90 % DỰ TOÁN TRỞ LÊN", st.BOLD)
        sheet.append(
            [
                Text(h, st.HEADER)
                for h in (
                    "Mã",
                    "Nội dung",
                    "Dự toán",
                    "Đã chi",
                    "Tạm ứng",
                    "Còn lại",
                    "Tỷ lệ sử dụng",
                )
            ]
        )
        for line in summary.near_limit:
            f = line.figures
            row = sheet.row
            sheet.append(
                [
                    Text(line.code, st.CELL_CENTER),
                    Text(line.content + (" (vượt dự toán)" if f.over else ""), st.CELL_TEXT),
                    Number(f.approved, st.CELL_MONEY),
                    Number(f.spent, st.CELL_MONEY),
                    Number(f.committed, st.CELL_MONEY),
                    Formula(f"C{row}-D{row}-E{row}", st.CELL_MONEY, f.approved - f.used),
                    _percent(f.used, f.approved),
                ]
            )
    chart = book.wb.add_chart({"type": "column"})
    name = sheet.ws.get_name()
    for column, title in ((2, "Dự toán"), (3, "Đã chi")):
        chart.add_series(
            {
                "name": title,
                "categories": [name, first - 1, 0, last - 1, 0],
                "values": [name, first - 1, column, last - 1, column],
            }
        )
    chart.set_title({"name": "Dự toán và đã chi theo phần"})
    chart.set_y_axis({"name": "đồng", "num_format": st.MONEY_FORMAT})
    chart.set_size({"width": 640, "height": 280})
    sheet.ws.insert_chart(f"A{chart_anchor}", chart)
    out = book.save(out, force=force)
    return ExportResult(out, len(rec.parts), t.spent)
