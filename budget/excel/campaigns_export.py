"""All the commune's campaigns of a year and the emulation-reward fund, one sheet."""

from __future__ import annotations

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
)
from budget.reports.campaigns import CampaignsPage
from budget.services.organisation import OrgSettings

HEADERS = ["Mã", "Kế hoạch", "Đã duyệt", "Đã chi", "Tạm ứng", "Còn lại"]
WIDTHS = [14, 44, 15, 15, 14, 15]


def export_campaigns(
    page: CampaignsPage, org: OrgSettings, out: Path, *, force: bool = False
) -> ExportResult:
    book = Book()
    sheet = book.sheet("Các kế hoạch", WIDTHS, landscape=True)
    heading_block(
        sheet,
        org_lines=org_heading(org.commune_kind, org.commune_name, org.superior_body),
        place_date=place_date_line(org.place, None, page.year),
        split=2,
    )
    sheet.wide(f"TỔNG HỢP CÁC KẾ HOẠCH THI ĐUA NĂM {page.year}", st.TITLE)
    sheet.append()
    header = sheet.append([Text(h, st.HEADER) for h in HEADERS])
    sheet.repeat_rows(header, header)
    first = sheet.row
    for r in page.rows:
        f = r.figures
        row = sheet.row
        sheet.append(
            [
                Text(r.code, st.CELL_CENTER),
                Text(r.title if r.approved else f"{r.title} (chưa duyệt)", st.CELL_TEXT),
                Number(f.approved, st.CELL_MONEY),
                Number(f.spent, st.CELL_MONEY),
                Number(f.committed, st.CELL_MONEY),
                Formula(f"C{row}-D{row}-E{row}", st.CELL_MONEY, f.remaining),
            ]
        )
    last = sheet.row - 1
    t = page.total
    sheet.append(
        [
            Blank(st.TOTAL_TEXT),
            Text("Tổng cộng", st.TOTAL_TEXT),
            *[
                Formula(f"SUM({c}{first}:{c}{last})", st.TOTAL_MONEY, v)
                for c, v in zip(
                    "CDEF", (t.approved, t.spent, t.committed, t.remaining), strict=True
                )
            ],
        ]
    )
    sheet.append()
    fund = page.fund
    sheet.wide(f"QUỸ THI ĐUA, KHEN THƯỞNG NĂM {page.year}", st.BOLD)
    start = sheet.row
    rows: list[tuple[str, int]] = [
        ("Số dư đầu năm", fund.opening),
        ("Trích lập, bổ sung trong năm", fund.allocated),
    ]
    for label, value in rows:
        sheet.append([Blank(st.CELL_TEXT), Text(label, st.CELL_TEXT), Number(value, st.CELL_MONEY)])
    sheet.append(
        [
            Blank(st.TOTAL_TEXT),
            Text("Tổng nguồn quỹ", st.TOTAL_TEXT),
            Formula(f"C{start}+C{start + 1}", st.TOTAL_MONEY, fund.total),
        ]
    )
    total_row = sheet.row - 1
    for label, value in (
        ("Dự toán chi từ quỹ (các kế hoạch đã duyệt)", fund.approved),
        ("Đã chi từ quỹ", fund.spent),
        ("Tạm ứng từ quỹ", fund.committed),
    ):
        sheet.append([Blank(st.CELL_TEXT), Text(label, st.CELL_TEXT), Number(value, st.CELL_MONEY)])
    spent_row = sheet.row - 2
    sheet.append(
        [
            Blank(st.TOTAL_TEXT),
            Text("Số dư quỹ", st.TOTAL_TEXT),
            Formula(f"C{total_row}-C{spent_row}", st.TOTAL_MONEY, fund.balance),
        ]
    )
    if fund.cap_limit is not None:
        for label, value in (
            (f"Trần chi công tác thi đua ({fund.cap_percent} % quỹ)", fund.cap_limit),
            (
                "Chi công tác thi đua: dự toán" + (" (vượt trần)" if fund.over_cap else ""),
                fund.emulation_approved,
            ),
            (
                "Chi công tác thi đua: đã chi và tạm ứng"
                + (" (vượt trần)" if fund.emulation_charged > fund.cap_limit else ""),
                fund.emulation_charged,
            ),
        ):
            sheet.append(
                [Blank(st.CELL_TEXT), Text(label, st.CELL_TEXT), Number(value, st.CELL_MONEY)]
            )
        sheet.wide(f"Căn cứ: {fund.cap_source}", st.ITALIC)
    out = book.save(out, force=force)
    return ExportResult(out, len(page.rows), t.approved)
