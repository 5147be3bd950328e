"""Child process of ``tui_first_frame``: start an app headless and exit on its first frame.

    python -m benchmarks.firstframe ours|bare DB OUT_JSON

``ours`` is the project's app exactly as ``make_app`` builds it (BudgetApp over a
Backend for DB), opening on the dashboard; ``bare`` is a plain Textual app whose
screen has the same widgets as the dashboard (Header, Statics, a DataTable,
Footer) and nothing of the project. Both subclass the app only to watch for the
first frame of the target screen: ``App._display`` is where a composed frame is
handed to the driver (headless drivers drop it). At that moment the child writes
its timestamps and leaves with ``os._exit`` (an exit on first paint; the
project's backend thread, still opening the database, is not waited for). As a
fallback, ``on_mount`` schedules ``call_after_refresh`` checks that exit once
the target screen is up even if ``_display`` were never called.
"""

from __future__ import annotations

import json
import os
import sys
import time

MARKS: dict[str, float | str] = {"start": time.time()}


def _finish(out: str, how: str) -> None:
    MARKS["frame"] = time.time()
    MARKS["how"] = how
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(MARKS, handle)
    os._exit(0)


def main() -> None:
    side, db, out = sys.argv[1:4]
    size = (120, 40)

    if side == "ours":
        from pathlib import Path

        import tui.app as tui_app
        from tui.backend import Backend
        from tui.screens.dashboard import DashboardScreen

        base, target = tui_app.BudgetApp, DashboardScreen

        class FirstFrame(base):  # type: ignore[valid-type, misc]
            # CSS_PATH is relative to the defining module; keep pointing at the app's file.
            CSS_PATH = str(Path(tui_app.__file__).with_name("app.tcss"))

            def _display(self, screen, renderable):  # type: ignore[no-untyped-def]
                super()._display(screen, renderable)
                if renderable is not None and isinstance(screen, target):
                    _finish(out, "display")

            # Textual calls every class's own on_mount along the MRO: BudgetApp's runs too.
            def on_mount(self) -> None:
                self.call_after_refresh(self._check)

            def _check(self) -> None:
                if isinstance(self.screen, target) and self.screen.is_mounted:
                    _finish(out, "after_refresh")
                self.call_after_refresh(self._check)

        app = FirstFrame(Backend(db, ()), summary=False)  # what make_app(db=db) builds
    else:
        from textual.app import App, ComposeResult
        from textual.containers import Horizontal, Vertical
        from textual.screen import Screen
        from textual.widgets import DataTable, Footer, Header, Static

        class Dash(Screen[None]):
            def compose(self) -> ComposeResult:
                yield Header()
                with Vertical():
                    yield Static("Đang tải…")
                    with Horizontal():
                        for label in ("Dự toán", "Đã chi", "Tạm ứng", "Còn lại"):
                            yield Static(label)
                    yield Static("")
                    with Horizontal():
                        yield Static("")
                        yield DataTable()
                yield Footer()

            def on_mount(self) -> None:
                self.query_one(DataTable).add_columns("Số", "Ngày", "Dòng", "Nội dung", "Số tiền")

        target = Dash

        class FirstFrame(App[None]):  # type: ignore[no-redef]
            TITLE = "Kinh phí phong trào thi đua"

            def _display(self, screen, renderable):  # type: ignore[no-untyped-def]
                super()._display(screen, renderable)
                if renderable is not None and isinstance(screen, target):
                    _finish(out, "display")

            def on_mount(self) -> None:
                self.push_screen(Dash())
                self.call_after_refresh(self._check)

            def _check(self) -> None:
                if isinstance(self.screen, target) and self.screen.is_mounted:
                    _finish(out, "after_refresh")
                self.call_after_refresh(self._check)

        app = FirstFrame()
    MARKS["imported"] = time.time()
    app.run(headless=True, size=size)
    _finish(out, "app_exit")


if __name__ == "__main__":
    main()
