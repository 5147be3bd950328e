"""Tổng hợp cho Chủ tịch: one read-only page drawn from the core's chairman view
(budget.reports.chairman), the same view the Excel sheet, its PDF and
`budget report summary --format json` show; `budget serve` puts it in a browser."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Header, Static

from budget.i18n import tr
from tui.formatting import bar, clip, day, money, percent
from tui.screens.base import DataScreen
from tui.widgets.alerts import chairman_alerts_text
from tui.widgets.keybar import KeyFooter
from tui.widgets.month_chart import MonthChart

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: The chairman's levels (budget.vocabulary.watch_level) in colour.
STYLE = {"ok": "green", "watch": "yellow", "full": "red", "over": "bold red"}


class SummaryScreen(DataScreen):
    AUTO_FOCUS = "#summary-grid"
    BINDINGS = [("r", "reload", "Tải lại")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(tr("Đang tải…"), id="summary-heading")
        # Focusable and scrolled by the keys (↑ ↓ PgUp PgDn Home End) on a small terminal.
        with VerticalScroll(id="summary-grid", can_focus=True):
            yield Static("", id="summary-parts", classes="panel")
            with Vertical(id="summary-months-box", classes="panel"):
                yield MonthChart(id="summary-months")
            with VerticalScroll(id="summary-alerts-box", classes="panel"):
                yield Static("", id="summary-alerts")
            yield Static("", id="summary-largest", classes="panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        titles = {
            "#summary-parts": "Tiến độ theo phần",
            "#summary-months-box": "Chi theo tháng (đồng)",
            "#summary-alerts-box": "Cần chú ý",
            "#summary-largest": "Chứng từ lớn nhất",
        }
        for widget_id, title in titles.items():
            self.query_one(widget_id).border_title = title

    def on_resize(self) -> None:
        self.query_one("#summary-grid").set_class(self.app.size.width < 100, "narrow")

    def action_reload(self) -> None:
        self.reload()

    def fetch(self, session: Session) -> Any:
        from budget.reports.chairman import chairman_view

        backend = self.budget_app.backend
        return chairman_view(session, backend.campaign(), backend.norms)

    def show(self, v: Any) -> None:
        t = v.total
        basis = f"phiên bản {v.version_no}"
        if v.decision_number:
            basis += f" · QĐ {v.decision_number}"
        self.query_one("#summary-heading", Static).update(
            Text.assemble(
                (v.title, "bold"),
                "\n",
                (v.as_of_line, "bold cyan"),
                f" · {basis}",
                "\n",
                "Dự toán ",
                (money(t.approved), "bold"),
                " · Đã chi ",
                (money(t.spent), "bold"),
                " · Tạm ứng ",
                (money(t.committed), "bold"),
                " · Còn lại ",
                (money(t.remaining), "bold"),
                " · Đã dùng ",
                (percent(t.percent), STYLE[v.total_level]),
            )
        )
        parts = Text()
        for p in v.parts:
            f = p.figures
            parts.append(f"{p.code:<4}{clip(p.title, 26):<27}", style="bold")
            parts.append(bar(f.used, f.approved, 12), style=STYLE[p.level])
            parts.append(f" {percent(f.percent):>8}\n    {money(f.used)} / {money(f.approved)}\n")
        parts.rstrip()
        self.query_one("#summary-parts", Static).update(parts)
        self.query_one("#summary-months", MonthChart).show([(m.month, m.spent) for m in v.by_month])
        alerts = v.alerts
        box = self.query_one("#summary-alerts-box")
        box.border_title = f"Cần chú ý ({alerts.count})" if alerts.count else "Cần chú ý"
        self.query_one("#summary-alerts", Static).update(chairman_alerts_text(alerts, 22))
        largest = Text()
        for x in v.largest:
            largest.append(
                f"{x.number:<9} {day(x.entry_date)} {x.line_code:<6} "
                f"{money(x.amount):>11}  {clip(x.content, 14)}\n"
            )
        largest.rstrip()
        self.query_one("#summary-largest", Static).update(largest or "Chưa có chứng từ.")
