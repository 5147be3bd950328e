"""A form dialog: fields, a live status line, an error line, Ctrl+S to save, Esc to close."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static, TextArea

if TYPE_CHECKING:
    from tui.app import BudgetApp


class FormDialog(ModalScreen[Any]):
    BINDINGS = [
        Binding("escape", "cancel", "Đóng"),
        Binding("ctrl+s", "save", "Lưu", priority=True),
    ]

    @property
    def budget_app(self) -> BudgetApp:
        return self.app  # type: ignore[return-value]

    @on(events.Mount)
    def _compact_fields(self) -> None:
        """One-line fields, so a form fits an 80×24 terminal."""
        for widget in self.query(".form-grid Input, .form-grid Select, TextArea"):
            if isinstance(widget, Input | Select | TextArea):
                widget.compact = True

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:  # pragma: no cover - overridden
        self.dismiss(None)

    def set_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(message)

    def saved(self, result: Any) -> None:
        self.dismiss(result)
