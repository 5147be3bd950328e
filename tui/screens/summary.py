"""Tổng hợp cho Chủ tịch: one read-only screen with the figures of
`budget report summary` and a month-by-month spend chart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Footer, Header, Static

from tui.formatting import bar, day, level, money, percent
from tui.screens.base import DataScreen

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
    BINDINGS = [("r", "reload", "Tải lại")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Đang tải…", id="summary-heading")
        with Grid(id="summary-grid"):
            yield Static("", id="summary-parts", classes="panel")
            yield Static("", id="summary-months", classes="panel")
            yield Static("", id="summary-alerts", classes="panel")
            yield Static("", id="summary-largest", classes="panel")
        yield Footer()

    def on_mount(self) -> None:
        titles = {
            "#summary-parts": "Tiến độ theo phần",
            "#summary-months": "Chi theo tháng",
            "#summary-alerts": "Cần chú ý",
            "#summary-largest": "Chứng từ lớn nhất",
        }
        for widget_id, title in titles.items():
            self.query_one(widget_id, Static).border_title = title

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
        alerts = Text()
        for line in sorted(s.near_limit, key=lambda r: not r.figures.over):
            f = line.figures
            alerts.append(
                f"{'VƯỢT ' if f.over else '≥90 % '}{line.code:<6}"
                f"{line.content[:28]:<28} {percent(f.percent):>8}\n",
                style="red" if f.over else "yellow",
            )
        for v in s.open_advances:
            alerts.append(
                f"Tạm ứng chưa thanh toán {v.number}: {money(v.amount)} ({day(v.entry_date)})\n",
                style="cyan",
            )
        for d in s.unpaid_decisions:
            alerts.append(f"QĐ khen thưởng chưa chi {d.number}: {money(d.total)}\n", style="cyan")
        self.query_one("#summary-alerts", Static).update(alerts or Text("Không có.", style="green"))
        largest = Text()
        for v in s.largest:
            largest.append(
                f"{v.number:<9} {day(v.entry_date)} {v.line_code:<6} "
                f"{money(v.amount):>11}  {v.content[:16]}\n"
            )
        self.query_one("#summary-largest", Static).update(largest or "Chưa có chứng từ.")
