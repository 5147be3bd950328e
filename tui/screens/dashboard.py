"""Tổng quan: the commune and campaign, the estimate's status, the money at a
glance, each part's progress, alerts and the latest vouchers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Static

from budget.i18n import tr
from tui.formatting import bar, day, headers, level, money, percent
from tui.screens.base import DataScreen
from tui.widgets.alerts import alerts_text
from tui.widgets.keybar import KeyFooter

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from budget.reports.reconcile import GroupRow
    from budget.reports.register import VoucherRow
    from budget.reports.summary import Summary

COLOURS = {"ok": "green", "near": "yellow", "over": "red"}


@dataclass(frozen=True)
class DashboardData:
    heading: str
    campaign: str
    status: str
    summary: Summary | None  # None until an estimate is approved
    draft_total: int
    recent: list[VoucherRow]


def part_lines(parts: Sequence[GroupRow], screen_width: int) -> Text:
    """One line per part; narrower terminals drop the amounts and shorten the titles."""
    wide = screen_width >= 110
    title_width = 38 if wide else max(16, screen_width - 44)
    bar_width = 24 if wide else 14
    text = Text()
    for group in parts:
        f = group.figures
        lvl = level(f.used, f.approved)
        text.append(f"{group.code:<4} {group.title[:title_width]:<{title_width}} ", style="bold")
        text.append(bar(f.used, f.approved, bar_width), style=COLOURS[lvl])
        text.append(f" {percent(f.percent):>8}")
        if wide:
            text.append(f"  {money(f.used):>12} / {money(f.approved):<12}")
        text.append("\n")
    return text


class DashboardScreen(DataScreen[DashboardData]):
    BINDINGS = [("r", "reload", "Tải lại")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="dash"):
            yield Static(tr("Đang tải…"), id="dash-heading")
            with Horizontal(id="stats"):
                for key, label in (
                    ("approved", "Dự toán"),
                    ("spent", "Đã chi"),
                    ("committed", "Tạm ứng"),
                    ("remaining", "Còn lại"),
                ):
                    yield Static(label, id=f"stat-{key}", classes="stat")
            yield Static("", id="parts", classes="panel")
            with Horizontal(id="dash-bottom"):
                with VerticalScroll(id="alerts-box", classes="panel"):
                    yield Static("", id="alerts")
                yield DataTable(id="recent", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#recent", DataTable)
        table.border_title = "Chứng từ gần đây"
        table.add_columns(*headers("Số", "Ngày", "Dòng", "Nội dung", "Số tiền"))
        self.query_one("#parts", Static).border_title = "Tiến độ theo phần"
        self.query_one("#alerts-box").border_title = "Cảnh báo"

    def action_reload(self) -> None:
        if not self.budget_app.ready:  # not opened yet (set-up dismissed): try again
            self.budget_app.open_backend()
            return
        self.reload()

    def fetch(self, session: Session) -> DashboardData:
        from budget.reports.dashboard import dashboard_view
        from budget.vocabulary import ESTIMATE_STATUS_LABELS as STATUS_LABELS

        backend = self.budget_app.backend
        # The app's campaign, chosen by the user: never the commune's "current" one.
        view = dashboard_view(session, backend.campaign(), backend.norms)
        status = f"Dự toán phiên bản {view.latest_version}: {STATUS_LABELS[view.latest_status]}"
        if view.applied_status == "approved" and view.latest_version != view.applied_version:
            status += f" · đang áp dụng phiên bản {view.applied_version}"
        if view.decision_number:
            status += f" · QĐ {view.decision_number} ngày {day(view.decision_date)}"
        return DashboardData(
            f"ỦY BAN NHÂN DÂN {view.heading}",
            f"{view.campaign.code} · {view.campaign.title}",
            status,
            view.summary,
            view.draft_total,
            list(view.recent),
        )

    def show(self, data: DashboardData) -> None:
        self.query_one("#dash-heading", Static).update(
            Text.assemble(
                (data.heading, "bold"), "\n", data.campaign, "\n", (data.status, "italic")
            )
        )
        s = data.summary
        values = {
            "approved": data.draft_total,
            "spent": 0,
            "committed": 0,
            "remaining": data.draft_total,
        }
        if s is not None:
            t = s.reconciliation.total
            values = {
                "approved": t.approved,
                "spent": t.spent,
                "committed": t.committed,
                "remaining": t.remaining,
            }
        labels = {
            "approved": "Dự toán",
            "spent": "Đã chi",
            "committed": "Tạm ứng",
            "remaining": "Còn lại",
        }
        for key, value in values.items():
            widget = self.query_one(f"#stat-{key}", Static)
            widget.update(Text.assemble((labels[key] + "\n", "dim"), (money(value), "bold")))
            widget.set_class(key == "remaining" and value < 0, "over")
        parts = self.query_one("#parts", Static)
        alerts = self.query_one("#alerts", Static)
        if s is None:
            parts.update("Dự toán chưa được phê duyệt: chưa có số liệu thực hiện.")
            alerts.update("Trình và phê duyệt dự toán ở màn hình Dự toán (F3).")
        else:
            parts.update(part_lines(s.parts, self.app.size.width))
            alerts.update(alerts_text(s))
        table = self.query_one("#recent", DataTable)
        table.clear()
        for v in data.recent:
            table.add_row(
                v.number,
                day(v.entry_date),
                v.line_code,
                v.content[:26],
                # a reversal takes money back: shown negative, in red
                Text(money(-v.amount), justify="right", style="red")
                if v.status == "reversal"
                else Text(money(v.amount), justify="right"),
                key=str(v.id),
            )
