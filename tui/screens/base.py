"""The shape every data screen shares: fetch in a worker thread, show on the UI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tui.app import BudgetApp


class DataScreen(Screen[None]):
    """Subclasses implement ``fetch(session)`` (worker thread) and ``show(data)``."""

    stale = True

    @property
    def budget_app(self) -> BudgetApp:
        return self.app  # type: ignore[return-value]

    def on_screen_resume(self) -> None:
        if self.stale and self.budget_app.ready:
            self.reload()

    def reload(self) -> None:
        self.stale = False
        self._load()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        from tui.backend import error_text

        backend = self.budget_app.backend
        try:
            data = backend.read(self.fetch)
        except Exception as exc:  # noqa: BLE001 - shown on the screen
            self.app.call_from_thread(self.show_error, error_text(exc))
            return
        if get_current_worker().is_cancelled:  # a newer load replaced this one
            return
        self.app.call_from_thread(self.show, data)

    def fetch(self, session: Session) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def show(self, data: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.notify(message, title="Lỗi", severity="error", timeout=10)
