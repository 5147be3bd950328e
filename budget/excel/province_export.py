"""The province's roll-up on one sheet: every commune's campaigns, then a line per
commune with its fund balance, and the province's total (cached formula values)."""

from __future__ import annotations

from pathlib import Path

from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.sheet import Blank, Book, Formula, Number, Text, heading_block, place_date_line
from budget.reports.province import ProvinceReport

HEADERS = ["Đơn vị", "Kế hoạch", "Đã duyệt", "Đã chi", "Tạm ứng", "Còn lại", "Số dư quỹ"]
WIDTHS = [22, 30, 14, 14, 12, 14, 14]


def export_province(report: ProvinceReport, out: Path, *, force: bool = False) -> ExportResult:
    book = Book()
    sheet = book.sheet("Tổng hợp tỉnh", WIDTHS, landscape=True)
    heading_block(
        sheet,
        org_lines=("ỦY BAN NHÂN DÂN", f"TỈNH {report.province_name.upper()}"),
        place_date=place_date_line(report.province_name, None, report.year),
        split=2,
    )
    sheet.wide(f"TỔNG HỢP KINH PHÍ THI ĐUA CỦA CÁC XÃ, PHƯỜNG NĂM {report.year}", st.TITLE)
    sheet.append()
    header = sheet.append([Text(h, st.HEADER) for h in HEADERS])
    sheet.repeat_rows(header, header)
    subtotals: list[int] = []
    for commune in report.communes:
        first = sheet.row
        for k in commune.campaigns:
            f, row = k.figures, sheet.row
            sheet.append(
                [
                    Text(commune.name, st.CELL_TEXT),
                    Text(k.title if k.approved else f"{k.title} (chưa duyệt)", st.CELL_TEXT),
                    Number(f.approved, st.CELL_MONEY),
                    Number(f.spent, st.CELL_MONEY),
                    Number(f.committed, st.CELL_MONEY),
                    Formula(f"C{row}-D{row}-E{row}", st.CELL_MONEY, f.remaining),
                    Blank(st.CELL_MONEY),
                ]
            )
        last, t = sheet.row - 1, commune.total
        values = (t.approved, t.spent, t.committed, t.remaining)
        cells = (
            [
                Formula(f"SUM({c}{first}:{c}{last})", st.TOTAL_MONEY, v)
                for c, v in zip("CDEF", values, strict=True)
            ]
            if commune.campaigns
            else [Number(v, st.TOTAL_MONEY) for v in values]
        )
        subtotals.append(sheet.row)
        sheet.append(
            [
                Text(f"Cộng {commune.name}", st.TOTAL_TEXT),
                Blank(st.TOTAL_TEXT),
                *cells,
                Number(commune.fund.balance, st.TOTAL_MONEY),
            ]
        )
    t = report.total
    totals = (t.approved, t.spent, t.committed, t.remaining, report.fund.balance)
    sheet.append(
        [
            Text("TỔNG CỘNG", st.TOTAL_TEXT),
            Text(f"{len(report.communes)} đơn vị", st.TOTAL_TEXT),
            *[
                Formula("+".join(f"{c}{r}" for r in subtotals) or "0", st.TOTAL_MONEY, v)
                for c, v in zip("CDEFG", totals, strict=True)
            ],
        ]
    )
    out = book.save(out, force=force)
    return ExportResult(out, report.campaign_count, t.approved)
