"""Nhật ký: who did what, when and why (append-only, newest first)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from tui.formatting import headers
from tui.screens.base import DataScreen
from tui.widgets.keybar import KeyFooter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from budget.services.audit import AuditPage, AuditRow


class AuditScreen(DataScreen["AuditPage"]):
    def __init__(self) -> None:
        super().__init__()
        self.entries: list[AuditRow] = []
        self.names: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="audit", cursor_type="row", zebra_stripes=True)
        yield Static("", id="audit-detail", classes="panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#audit", DataTable).add_columns(
            *headers("#", "Thời điểm", "Người", "Việc", "Nội dung", "Lý do")
        )

    def fetch(self, session: Session) -> AuditPage:
        from budget.services.audit import audit_page

        return audit_page(session, limit=500)

    def show(self, data: AuditPage) -> None:
        from budget.audit_text import action_label, local_time

        entries, self.names = data.entries, data.names
        self.entries = entries
        table = self.query_one("#audit", DataTable)
        table.clear()
        for e in entries:
            table.add_row(
                str(e.id),
                local_time(e.at),
                self.names.get(e.actor, e.actor),
                action_label(e.action),
                e.summary[:60],
                e.reason[:30],
            )
        if entries:
            self._detail(0)

    @on(DataTable.RowHighlighted, "#audit")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, index: int) -> None:
        if not 0 <= index < len(self.entries):
            return
        from budget.audit_text import detail_lines

        e = self.entries[index]
        names = {f.code: f.name for f in self.budget_app.backend.norms.reward_forms}
        before = "; ".join(detail_lines(e.before, names)) or "—"
        after = "; ".join(detail_lines(e.after, names)) or "—"
        text = f"{e.summary}\nTrước: {before}\nSau: {after}"
        if e.reason:
            text += f"\nLý do: {e.reason}"
        self.query_one("#audit-detail", Static).update(text)
