"""The shape every data screen shares: fetch in a worker thread, show on the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from textual import work
from textual.screen import Screen
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tui.app import BudgetApp


#: The view a screen fetches (a frozen dataclass from a core view service).
D = TypeVar("D")
#: What one run_read fetches and shows.
R = TypeVar("R")


class DataScreen(Screen[None], Generic[D]):
    """Subclasses implement ``fetch(session)`` (worker thread) and ``show(data)``;
    ``DataScreen[View]`` types both ends with the view the core returns."""

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

    # Failure policy: a load that fails shows a Vietnamese message (and logs the
    # unexpected ones); the worker never takes the app down (exit_on_error=False).
    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        self.run_read(self.fetch, self.show)

    def run_read(self, fetch: Callable[[Session], R], show: Callable[[R], None]) -> None:
        """In a worker thread: ``fetch`` in a read session, then ``show`` on the UI
        thread; any failure of either becomes :meth:`show_error`."""
        from tui.backend import error_text

        where = type(self).__name__
        try:
            data = self.budget_app.backend.read(fetch)
        except Exception as exc:  # noqa: BLE001 - shown on the screen
            self.app.call_from_thread(self.show_error, error_text(exc, where))
            return
        if get_current_worker().is_cancelled:  # a newer load replaced this one
            return
        try:
            self.app.call_from_thread(show, data)
        except Exception as exc:  # noqa: BLE001 - a widget refused the data
            self.app.call_from_thread(self.show_error, error_text(exc, where))

    def fetch(self, session: Session) -> D:  # pragma: no cover - abstract
        raise NotImplementedError

    def show(self, data: D) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.notify(message, title="Lỗi", severity="error", timeout=10)
