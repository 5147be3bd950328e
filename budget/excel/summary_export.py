"""The chairman's page: totals, parts with a bar chart, lines at or over 90 %."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl.chart import BarChart, Reference

from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.sheet import (
    Blank,
    Formula,
    Number,
    Sheet,
    Text,
    heading_block,
    new_workbook,
    org_heading,
    place_date_line,
)
from budget.money import amount_in_words
from budget.reports.summary import Summary
from budget.safe_output import save_workbook
from budget.services.organisation import OrgSettings

HEADERS = ["Phần", "Nội dung", "Dự toán", "Đã chi", "Tạm ứng", "Còn lại", "Tỷ lệ sử dụng"]
WIDTHS = [8, 40, 15, 15, 14, 15, 12]


def _percent(used: int, approved: int) -> Number:
    if approved <= 0:
        return Number(None, st.CELL_PERCENT)
    value = (Decimal(100 * used) / approved).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Number(value, st.CELL_PERCENT)


def export_summary(
    summary: Summary, org: OrgSettings, out: Path, *, force: bool = False
) -> ExportResult:
    rec = summary.reconciliation
    workbook = new_workbook()
    sheet = Sheet(workbook, "Tổng hợp", WIDTHS)
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
                Formula(f"C{row}-D{row}-E{row}", st.CELL_MONEY),
                _percent(f.used, f.approved),
            ]
        )
    last = sheet.row - 1
    t = rec.total
    sheet.append(
        [
            Blank(st.TOTAL_TEXT),
            Text("Tổng cộng", st.TOTAL_TEXT),
            *[Formula(f"SUM({c}{first}:{c}{last})", st.TOTAL_MONEY) for c in "CDEF"],
            _percent(t.used, t.approved),
        ]
    )
    sheet.append()
    sheet.wide("Đã chi bằng chữ: " + amount_in_words(t.spent, dialect=org.dialect), st.ITALIC)
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
                    Formula(f"C{row}-D{row}-E{row}", st.CELL_MONEY),
                    _percent(f.used, f.approved),
                ]
            )
    chart = BarChart()
    chart.type = "col"
    chart.title = "Dự toán và đã chi theo phần"
    chart.y_axis.title = "đồng"
    chart.y_axis.numFmt = st.MONEY_FORMAT
    data = Reference(sheet.ws, min_col=3, max_col=4, min_row=header, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet.ws, min_col=1, min_row=first, max_row=last))
    chart.height, chart.width = 7.5, 17
    sheet.ws.add_chart(chart, f"A{chart_anchor}")
    out = save_workbook(workbook, out, force=force)
    return ExportResult(out, len(rec.parts), t.spent)
