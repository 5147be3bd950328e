"""Nhật ký: who did what, when and why (append-only, newest first)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from tui.formatting import headers
from tui.screens.base import DataScreen
from tui.widgets.keybar import KeyFooter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class AuditScreen(DataScreen):
    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Any] = []
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

    def fetch(self, session: Session) -> tuple[list[Any], dict[str, str]]:
        from sqlalchemy import select

        from budget.models.membership import Membership
        from budget.services.audit import list_entries

        names = {
            login: name
            for login, name in session.execute(select(Membership.rolname, Membership.display_name))
            if name
        }
        return list_entries(session, limit=500), names

    def show(self, data: tuple[list[Any], dict[str, str]]) -> None:
        from budget.audit_text import action_label, local_time

        entries, self.names = data
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
