"""Nhật ký: who did what, when and why (append-only, newest first)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Header, Static

from tui.screens.base import DataScreen
from tui.widgets.keybar import KeyFooter

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class AuditScreen(DataScreen):
    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="audit", cursor_type="row", zebra_stripes=True)
        yield Static("", id="audit-detail", classes="panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#audit", DataTable).add_columns(
            "#", "Thời điểm (UTC)", "Người", "Việc", "Nội dung", "Lý do"
        )

    def fetch(self, session: Session) -> list[Any]:
        from budget.services.audit import list_entries

        return list_entries(session, limit=500)

    def show(self, entries: list[Any]) -> None:
        self.entries = entries
        table = self.query_one("#audit", DataTable)
        table.clear()
        for e in entries:
            table.add_row(
                str(e.id),
                e.at.strftime("%d/%m/%Y %H:%M"),
                e.actor,
                e.action,
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
        e = self.entries[index]
        text = f"{e.summary}\nTrước: {e.before or '—'}\nSau: {e.after or '—'}"
        if e.reason:
            text += f"\nLý do: {e.reason}"
        self.query_one("#audit-detail", Static).update(text)
