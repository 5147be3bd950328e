"""Tổng hợp cho Chủ tịch: one read-only screen with the figures of
`budget report summary` and a month-by-month spend chart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from tui.formatting import bar, day, level, money, percent
from tui.screens.base import DataScreen
from tui.widgets.alerts import alerts_text
from tui.widgets.keybar import KeyFooter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

STYLE = {"ok": "green", "near": "yellow", "over": "bold red"}


def month_chart(by_month: Any, width: int = 30) -> Text:
    peak = max((v for _, v in by_month), default=0)
    text = Text()
    for month, value in by_month:
        filled = 0 if peak <= 0 else max(1 if value else 0, value * width // peak)
        text.append(f"T{month:02d} ", style="bold")
        text.append("█" * filled, style="cyan")
        text.append(" " * (width - filled))
        text.append(f" {money(value) if value else '':>11}\n")
    return text


class SummaryScreen(DataScreen):
    AUTO_FOCUS = "#summary-grid"
    BINDINGS = [("r", "reload", "Tải lại")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Đang tải…", id="summary-heading")
        # Focusable and scrolled by the keys (↑ ↓ PgUp PgDn Home End) on a small terminal.
        with VerticalScroll(id="summary-grid", can_focus=True):
            yield Static("", id="summary-parts", classes="panel")
            yield Static("", id="summary-months", classes="panel")
            with VerticalScroll(id="summary-alerts-box", classes="panel"):
                yield Static("", id="summary-alerts")
            yield Static("", id="summary-largest", classes="panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        titles = {
            "#summary-parts": "Tiến độ theo phần",
            "#summary-months": "Chi theo tháng",
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
        from budget.reports.summary import build_summary

        backend = self.budget_app.backend
        return build_summary(session, backend.campaign(), backend.norms)

    def show(self, s: Any) -> None:
        rec = s.reconciliation
        t = rec.total
        lvl = level(t.used, t.approved)
        self.query_one("#summary-heading", Static).update(
            Text.assemble(
                (rec.campaign.title, "bold"),
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
                (percent(t.percent), STYLE[lvl]),
            )
        )
        parts = Text()
        for g in rec.parts:
            f = g.figures
            style = STYLE[level(f.used, f.approved)]
            parts.append(f"{g.code:<4}{g.title[:26]:<27}", style="bold")
            parts.append(bar(f.used, f.approved, 12), style=style)
            parts.append(f" {percent(f.percent):>8}\n    {money(f.used)} / {money(f.approved)}\n")
        self.query_one("#summary-parts", Static).update(parts)
        self.query_one("#summary-months", Static).update(month_chart(s.by_month, 22))
        self.query_one("#summary-alerts", Static).update(alerts_text(s, 26))
        largest = Text()
        for v in s.largest:
            largest.append(
                f"{v.number:<9} {day(v.entry_date)} {v.line_code:<6} "
                f"{money(v.amount):>11}  {v.content[:12]}\n"
            )
        self.query_one("#summary-largest", Static).update(largest or "Chưa có chứng từ.")
