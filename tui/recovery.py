"""A widget's error must not close the app.

Textual ends the app on any unhandled exception. When the exception comes
from a dialog (a modal screen or one of its widgets), the app can carry on: the
dialog is closed, the user is told in one Vietnamese line, and the traceback is
written to the log file (``tui-errors.log`` in the user data folder). Errors
elsewhere (the main screens, start-up) still end the app as before, so they
are never hidden.
"""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen

if TYPE_CHECKING:
    from textual.app import App

LOG_NAME = "tui-errors.log"


def log_path() -> Path:
    from budget.paths import data_dir

    return data_dir() / LOG_NAME


def _write_log(error: BaseException) -> Path | None:
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n")
            log.write("".join(traceback.format_exception(error)))
        return path
    except OSError:
        return None


def recover(app: App[Any], error: BaseException) -> bool:
    """Close the dialog that raised ``error`` and keep the app running.

    Returns False (let Textual end the app) unless a dialog is on top.
    """
    if not app.is_running:
        return False
    try:
        screen = app.screen
    except Exception:  # noqa: BLE001 - no screen stack yet: start-up error
        return False
    if not isinstance(screen, ModalScreen):
        return False
    path = _write_log(error)
    recovered: list[BaseException] = getattr(app, "recovered_errors", [])
    recovered.append(error)
    app.recovered_errors = recovered  # type: ignore[attr-defined]
    where = f"; chi tiết ghi ở {path}" if path else ""
    app.notify(
        f"Hộp thoại gặp lỗi và đã được đóng ({type(error).__name__}){where}.",
        title="Lỗi",
        severity="error",
        timeout=15,
    )
    app.call_later(_close, app, screen)
    return True


def _close(app: App[object], screen: ModalScreen[object]) -> None:
    if app.screen is screen and len(app.screen_stack) > 1:
        app.pop_screen()


__all__ = ["log_path", "recover"]
