"""Tổng hợp tỉnh: the province reviewer's roll-up, read-only. Every commune of the
province with its campaigns of the year (approved, spent, advanced, remaining),
a line per commune with its emulation-reward fund balance, and the province's
total. The figures are budget.reports.province's, nothing computed here.

Offered only to a province reviewer (budget admin reviewer, PostgreSQL): a
commune's own user sees the same figures for their commune on Các kế hoạch (F12).
A reviewer of several provinces goes from one to the next with t."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from budget.i18n import tr
from tui.formatting import clip, money
from tui.screens.base import DataScreen
from tui.screens.campaigns import PADDING, SCROLLBAR, UNAPPROVED, fit_title
from tui.widgets.keybar import KeyFooter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from budget.reports.province import FundBalance, ProvinceReport
    from budget.reports.reconcile import Figures

#: (heading, the figure it shows); Tạm ứng is left out below NARROW columns.
COLUMNS = ("Đã duyệt", "Đã chi", "Tạm ứng", "Còn lại", "Số dư quỹ")
NARROW = 110
MIN_TITLE = 12
TOTAL = "__total__"


class ProvinceScreen(DataScreen["ProvinceReport"]):
    AUTO_FOCUS = "#province"
    BINDINGS = [Binding("t", "next_province", "Tỉnh tiếp theo")]

    def __init__(self) -> None:
        super().__init__()
        self.province_index = 0
        self.report: ProvinceReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(tr("Đang tải…"), id="province-heading")
        yield DataTable(id="province", cursor_type="row", zebra_stripes=True)
        yield Static("", id="province-fund")
        yield KeyFooter()

    def _province(self) -> str | None:
        provinces = self.budget_app.backend.reviewer_provinces
        return provinces[self.province_index % len(provinces)] if provinces else None

    def fetch(self, session: Session) -> ProvinceReport:
        from budget.reports.province import province_report

        return province_report(session, self._province())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """t only for a reviewer of several provinces (hidden from the footer else)."""
        if action == "next_province":
            return len(self.budget_app.backend.reviewer_provinces) > 1
        return True

    def action_next_province(self) -> None:
        if len(self.budget_app.backend.reviewer_provinces) > 1:
            self.province_index += 1
            self.reload()

    def show(self, report: ProvinceReport) -> None:
        self.report = report
        self.query_one("#province-heading", Static).update(
            Text.assemble(
                (f"Tổng hợp kinh phí các xã, phường năm {report.year}", "bold"),
                f" · tỉnh {report.province_name} · {len(report.communes)} đơn vị, "
                f"{report.campaign_count} kế hoạch · chỉ xem",
            )
        )
        self.query_one("#province-fund", Static).update(fund_text(report.fund))
        narrow = (self.size.width or self.app.size.width) < NARROW
        rows = _rows(report, narrow)
        unit_width, title_width, money_width = self._widths(rows, narrow)
        table = self.query_one("#province", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_column(tr("Đơn vị"), width=unit_width)
        table.add_column(tr("Kế hoạch"), width=title_width)
        for label in _shown(COLUMNS, narrow):
            table.add_column(Text(tr(label), justify="right"), width=money_width)
        for key, unit, title, amounts, bold in rows:
            style = "bold" if bold else ""
            table.add_row(
                Text(clip(unit, unit_width), style=style),
                Text(fit_title(title, title_width), style=style),
                *(Text(money(v), justify="right", style=style) for v in _shown(amounts, narrow)),
                key=key,
            )
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))

    def _widths(self, rows: list[Row], narrow: bool) -> tuple[int, int, int]:
        """Every amount whole; the unit as long as its longest name (at most half of
        what is left) and the plan takes the rest, cut with …"""
        amounts = [money(v) for *_, values, _ in rows for v in values if v is not None]
        headings = _shown(COLUMNS, narrow)
        money_width = max(len(x) for x in [*headings, *amounts])
        width = self.size.width or self.app.size.width
        columns = 2 + len(headings)
        rest = width - SCROLLBAR - 2 * PADDING * columns - len(headings) * money_width
        unit = max(len(x) for x in ["Đơn vị", *(r[1] for r in rows)])
        unit_width = max(9, min(unit, rest - MIN_TITLE, rest // 2))
        longest = max(len(r[2]) for r in rows)
        return unit_width, max(MIN_TITLE, min(longest, rest - unit_width)), money_width


#: (row key, unit, plan, the five amounts (None: blank), bold)
Row = tuple[str, str, str, tuple["int | None", ...], bool]


def _shown(cells: tuple[Any, ...], narrow: bool) -> tuple[Any, ...]:
    """The cells of the shown money columns: without Tạm ứng when narrow."""
    return tuple(c for i, c in enumerate(cells) if not (narrow and i == 2))


def _amounts(f: Figures, fund: int | None) -> tuple[int | None, ...]:
    return (f.approved, f.spent, f.committed, f.remaining, fund)


def _rows(report: ProvinceReport, narrow: bool) -> list[Row]:
    """A row per campaign (the commune named on its first), then the commune's total
    with its fund balance; narrow, a plan is named by its code alone."""
    rows: list[Row] = []
    for commune in report.communes:
        for i, k in enumerate(commune.campaigns):
            title = k.code if narrow else f"{k.code} · {k.title}"
            title += "" if k.approved else UNAPPROVED
            unit = commune.name if i == 0 else ""
            rows.append((f"{commune.code}/{k.code}", unit, title, _amounts(k.figures, None), False))
        label = "Cộng" if commune.campaigns else "Chưa có kế hoạch"
        amounts = _amounts(commune.total, commune.fund.balance)
        rows.append((f"{commune.code}/{TOTAL}", commune.name, label, amounts, True))
    rows.append(
        (
            TOTAL,
            "TỔNG CỘNG",
            f"{len(report.communes)} đơn vị, {report.campaign_count} kế hoạch",
            _amounts(report.total, report.fund.balance),
            True,
        )
    )
    return rows


def fund_text(fund: FundBalance) -> Text:
    return Text.assemble(
        ("Quỹ thi đua, khen thưởng của các đơn vị", "bold"),
        f": nguồn {money(fund.total)} · đã chi {money(fund.spent)} · "
        f"tạm ứng {money(fund.committed)} · số dư ",
        (money(fund.balance), "bold"),
        " đồng",
    )
