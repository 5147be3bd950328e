"""The chairman's page as one A4 sheet, drawn from :class:`ChairmanView`.

The figures as of the view's moment, each part with its bar (a data bar on the
percentage), the month-by-month spending beside its column chart, and the
alerts. Every remainder, percentage, total, running sum and age is a live
formula carrying its cached value, so a preview that never recalculates (and
``load_workbook(data_only=True)``) shows the same numbers as the screen.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from budget.excel import styles as st
from budget.excel.estimate_export import ExportResult
from budget.excel.sheet import (
    Blank,
    Book,
    Cell,
    Day,
    Formula,
    Number,
    Sheet,
    Text,
    heading_block,
    org_heading,
    place_date_line,
    words_formula,
)
from budget.money import amount_in_words
from budget.reports.chairman import ChairmanView, LineAlert
from budget.reports.reconcile import Figures
from budget.services.organisation import OrgSettings
from budget.vocabulary import ALERT_TITLES

HEADERS = ["Phần", "Nội dung", "Dự toán", "Đã chi", "Tạm ứng", "Còn lại", "Tỷ lệ sử dụng"]
WIDTHS = [8, 33, 12, 12, 12, 12, 12]
#: Rows the month chart covers (beside the month table: header, 12 months, total).
CHART_ROWS = 14


def _percent_formula(approved: str, spent: str, committed: str, fig: Figures) -> Formula:
    """(spent + committed) / approved × 100, one decimal, as the core rounds it."""
    return Formula(
        f'IF({approved}>0,ROUND(({spent}+{committed})*100/{approved},1),"")',
        st.CELL_PERCENT,
        fig.percent if fig.percent is not None else "",
    )


def _figures_row(
    sheet: Sheet, first: Cell, label: str, fig: Figures, *, total: bool = False
) -> int:
    row = sheet.row
    money = st.TOTAL_MONEY if total else st.CELL_MONEY
    sheet.append(
        [
            first,
            Text(label, st.TOTAL_TEXT if total else st.CELL_TEXT),
            Number(fig.approved, money),
            Number(fig.spent, money),
            Number(fig.committed, money),
            Formula(f"C{row}-D{row}-E{row}", money, fig.remaining),
            _percent_formula(f"C{row}", f"D{row}", f"E{row}", fig),
        ]
    )
    return row


def _section(sheet: Sheet, title: str) -> None:
    sheet.append([Blank(st.TEXT)], height=8)  # a cell, or the row is not written
    sheet.wide(title, st.BOLD)


def _group(sheet: Sheet, title: str, count: int, headers: tuple[str, ...]) -> bool:
    """An alert group's title over columns A:B with its columns' headers beside it
    on the same row (one row, so that the page stays one page); a group with
    nothing to show is that one row saying so. Returns whether it has items."""
    if count == 0:
        sheet.wide(f"{title}: không có.", st.TEXT)
        return False
    cells: list[Cell] = [Text(f"{title} ({count})", st.PART_TEXT), Blank(st.PART_TEXT)]
    cells += [Text(h, st.HEADER) for h in headers]
    cells += [Blank(st.HEADER)] * (len(WIDTHS) - 2 - len(headers))
    row = sheet.append(cells, spans={0: WIDTHS[0] + WIDTHS[1]})
    sheet.merge(row, 1, 2)
    return True


def _lines(sheet: Sheet, title: str, lines: tuple[LineAlert, ...]) -> None:
    if _group(sheet, title, len(lines), tuple(HEADERS[2:])):
        for line in lines:
            _figures_row(sheet, Text(line.code, st.CELL_CENTER), line.content, line.figures)


def _as_of_cell(day: date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"


def export_summary(
    view: ChairmanView, org: OrgSettings, out: Path, *, force: bool = False
) -> ExportResult:
    book = Book()
    sheet = book.sheet("Tổng hợp", WIDTHS)
    name = sheet.ws.get_name()
    heading_block(
        sheet,
        org_lines=org_heading(org.commune_kind, org.commune_name, org.superior_body),
        place_date=place_date_line(org.place, view.as_of.date(), view.year),
        split=2,
        number=None,
    )
    sheet.wide("TỔNG HỢP TÌNH HÌNH SỬ DỤNG KINH PHÍ", st.TITLE)
    sheet.wide(view.title, st.BOLD_CENTER)
    basis = f"Dự toán phiên bản {view.version_no}"
    if view.decision_number:
        basis += f" (QĐ {view.decision_number}"
        if view.decision_date:
            basis += f" ngày {view.decision_date:%d/%m/%Y}"
        basis += ")"
    sheet.wide(f"{view.as_of_line} · {basis}", st.ITALIC_CENTER)
    sheet.append([Blank(st.TEXT)], height=8)

    # -- the parts, with a bar on each percentage --------------------------------------
    header = sheet.append([Text(h, st.HEADER) for h in HEADERS])
    first = sheet.row
    for part in view.parts:
        _figures_row(sheet, Text(part.code, st.CELL_CENTER), part.title, part.figures)
    last = sheet.row - 1
    t = view.total
    total_row = sheet.row
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
            _percent_formula(f"C{total_row}", f"D{total_row}", f"E{total_row}", t),
        ]
    )
    if last >= first:
        sheet.ws.conditional_format(
            first - 1,
            6,
            total_row - 1,
            6,
            {
                "type": "data_bar",
                "min_type": "num",
                "min_value": 0,
                "max_type": "num",
                "max_value": 100,
                "bar_color": "#5B9BD5",
                "bar_solid": True,
            },
        )
    words = amount_in_words(t.spent, dialect=org.dialect)
    sheet.wide_cell(words_formula(f"D{total_row}", t.spent, words, prefix="Đã chi bằng chữ: "))

    # -- the month-by-month spending: a table on the right, its chart on the left ------
    _section(sheet, "CHI THEO THÁNG")
    # Two half-years side by side (months 1-6 in D:E, 7-12 in F:G) keep the page one page.
    month_header = sheet.append(
        [None, None, None] + [Text(h, st.HEADER) for h in ("Tháng", "Đã chi", "Tháng", "Đã chi")]
    )
    half = (len(view.by_month) + 1) // 2
    month_first = sheet.row
    for early, late in zip(view.by_month[:half], view.by_month[half:], strict=False):
        sheet.append(
            [
                None,
                None,
                None,
                Number(early.month, st.CELL_CENTER),
                Number(early.spent, st.CELL_MONEY),
                Number(late.month, st.CELL_CENTER),
                Number(late.spent, st.CELL_MONEY),
            ]
        )
    month_last = sheet.row - 1
    month_total = sheet.append(
        [
            None,
            None,
            None,
            Text("Cộng", st.TOTAL_TEXT),
            Blank(st.TOTAL_TEXT),
            Blank(st.TOTAL_TEXT),
            Formula(
                f"SUM(E{month_first}:E{month_last})+SUM(G{month_first}:G{month_last})",
                st.TOTAL_MONEY,
                view.spent_in_months,
            ),
        ]
    )
    sheet.merge(month_total, 4, 6)
    chart = book.wb.add_chart({"type": "column"})
    ref = f"'{name}'!"

    def both_halves(first_col: str, second_col: str) -> str:
        return (
            f"=({ref}${first_col}${month_first}:${first_col}${month_last},"
            f"{ref}${second_col}${month_first}:${second_col}${month_last})"
        )

    chart.add_series(
        {
            "name": "Đã chi",
            # No categories: a union range of them reads as two levels in LibreOffice;
            # the default ones are 1..12, the months.
            "values": both_halves("E", "G"),
            "fill": {"color": "#2E75B6"},
            "gap": 60,
        }
    )
    chart.set_title({"none": True})  # the section's title says it
    chart.set_x_axis({"name": "Tháng", "name_font": {"size": 9}, "num_font": {"size": 9}})
    chart.set_y_axis(
        {
            "num_format": st.MONEY_FORMAT,
            "num_font": {"size": 8},
            "major_gridlines": {"visible": True},
        }
    )
    chart.set_legend({"none": True})
    rows_px = sum(sheet.heights()[month_header - 1 : month_total]) * 4 / 3
    cols_px = sum(w * 7 + 5 for w in WIDTHS[:3])
    chart.set_size({"width": int(cols_px) - 8, "height": int(rows_px)})
    sheet.ws.insert_chart(month_header - 1, 0, chart, {"x_offset": 2, "y_offset": 0})

    # -- the alerts, in the order and under the headings of every output ----------------
    a = view.alerts
    _section(sheet, f"CẦN CHÚ Ý ({a.count})")
    _lines(sheet, f"1. {ALERT_TITLES['lines_over']}", a.over)
    if _group(
        sheet, f"2. {ALERT_TITLES['overspends']}", len(a.overspends), ("Ngày", "Dòng", "Số tiền")
    ):
        for o in a.overspends:
            sheet.append(
                [
                    Text(o.number, st.CELL_CENTER),
                    Text(f"Lý do: {o.reason}", st.CELL_TEXT),
                    Day(o.entry_date),
                    Text(o.line_code, st.CELL_CENTER),
                    Number(o.amount, st.CELL_MONEY),
                ]
            )
    if _group(
        sheet,
        f"3. {ALERT_TITLES['open_advances']}",
        len(a.open_advances),
        ("Ngày", "Dòng", "Số tiền", "Số ngày"),
    ):
        as_of = _as_of_cell(view.as_of.date())
        for v in a.open_advances:
            row = sheet.row
            sheet.append(
                [
                    Text(v.number, st.CELL_CENTER),
                    Text(f"{v.payee} — {v.content}", st.CELL_TEXT),
                    Day(v.entry_date),
                    Text(v.line_code, st.CELL_CENTER),
                    Number(v.amount, st.CELL_MONEY),
                    Formula(f"{as_of}-C{row}", st.CELL_MONEY, v.age_days),
                ]
            )
    if _group(
        sheet,
        f"4. {ALERT_TITLES['unpaid_decisions']}",
        len(a.unpaid_decisions),
        ("Ngày", "Số người", "Số tiền"),
    ):
        for i, u in enumerate(a.unpaid_decisions, 1):
            sheet.append(
                [
                    Number(i, st.CELL_CENTER),
                    Text(u.number, st.CELL_TEXT),
                    Day(u.decision_date),
                    Number(u.recipients, st.CELL_MONEY),
                    Number(u.total, st.CELL_MONEY),
                ]
            )
    # Used up exactly: nothing left and nothing over, so the codes say it all (one
    # row however many lines, which keeps the page one page).
    if _group(sheet, f"5. {ALERT_TITLES['lines_full']}", len(a.full), ("Dự toán",)):
        approved = sum(x.figures.approved for x in a.full)
        sheet.append(
            [
                Blank(st.CELL_CENTER),
                Text(", ".join(x.code for x in a.full), st.CELL_TEXT),
                Number(approved, st.CELL_MONEY),
            ]
        )
    _lines(sheet, f"6. {ALERT_TITLES['lines_watch']}", a.watch)

    sheet.repeat_rows(header, header)
    sheet.fit_one_page()
    out = book.save(out, force=force)
    return ExportResult(out, len(view.parts), t.spent)
