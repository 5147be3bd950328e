"""Nhập chứng từ từ tệp: the same two steps as ``budget import vouchers``, with a
progress bar (rows, rows per second, time left) fed by the core's callback.

Step 1 reads and checks the whole file without touching the database: Esc (or
Hủy) stops it and nothing is written. Step 2 is one write transaction: from its
first statement a cancel is refused with the line saying why (the file is written
whole, or not at all if it fails)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, ProgressBar, Static

from budget.i18n import tr
from budget.progress import CANNOT_CANCEL, Cancelled, progress_text
from tui.modals.base import FormDialog

#: The bar is redrawn at most this often (a batch of rows can be quick).
EVERY = 0.1


class ImportDialog(FormDialog):
    REQUIRED = ("path",)

    def __init__(self) -> None:
        super().__init__()
        self.phase = "idle"  # idle -> check -> write -> idle
        self.cancel_requested = False
        self._lock = threading.Lock()
        self._started = 0.0
        self._shown_at = 0.0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog narrow"):
            yield Static(tr("NHẬP CHỨNG TỪ TỪ TỆP"), classes="dialog-title")
            yield Static(
                "Tệp .csv hoặc .xlsx, cột number,type,date,line,payee,content,amount. "
                "Tệp được kiểm tra hết trước khi ghi; ghi trọn vẹn hoặc không ghi gì.",
                classes="form-status",
            )
            with Grid(classes="form-grid"):
                yield Label(tr("Tệp"))
                yield Input(id="path", placeholder="ví dụ /home/ketoan/chung-tu.csv")
                yield Label(tr("Lý do vượt dự toán"))
                yield Input(id="reason", placeholder="nếu có chứng từ vượt số còn lại")
            yield ProgressBar(id="bar", show_eta=False, show_percentage=True)
            yield Static("", id="import-rate", classes="form-status")
            yield from self.compose_buttons("Nhập", "Hủy")

    def on_mount(self) -> None:
        self.query_one("#bar", ProgressBar).display = False

    # -- starting ----------------------------------------------------------------------
    def action_save(self) -> None:
        if self.phase != "idle":
            return
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.set_error(tr("Chưa nhập «Tệp»."), field="path")
            return
        path = Path(text).expanduser()
        if not path.is_file():
            self.set_error(f"Không có tệp {path}.", field="path")
            return
        if any(w.group == "write" and not w.is_finished for w in self.app.workers):
            self.set_error(tr("Đang ghi dữ liệu, xin chờ xong rồi thử lại."))
            return
        reason = self.query_one("#reason", Input).value.strip() or None
        self.cancel_requested = False
        self.phase = "check"
        self.set_busy(True)
        self.set_error("")
        bar = self.query_one("#bar", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self._started = time.monotonic()
        self._shown_at = 0.0
        self._show(f"Đang kiểm tra {path.name}", 0, None)
        self._import(path, reason)

    # -- cancelling --------------------------------------------------------------------
    def action_cancel(self) -> None:
        with self._lock:
            phase = self.phase
            if phase == "check":
                self.cancel_requested = True
        if phase == "check":
            self.set_error(tr("Đang dừng…"))
        elif phase == "write":
            self.set_error(tr(CANNOT_CANCEL))
        else:
            super().action_cancel()

    # -- the work (worker thread) ------------------------------------------------------
    def _tick(self, label: str, total: int | None, *, cancellable: bool) -> Any:
        def on_rows(done: int) -> None:
            if cancellable and self.cancel_requested:
                raise Cancelled()
            now = time.monotonic()
            if now - self._shown_at >= EVERY:
                self._shown_at = now
                self.app.call_from_thread(self._show, label, done, total)

        return on_rows

    # The group is the app's one write ("write"), not exclusive: App.perform refuses
    # another write while this one runs, and this one never cancels another.
    @work(thread=True, group="write", exit_on_error=False)
    def _import(self, path: Path, reason: str | None) -> None:
        from budget.services import voucher_import
        from tui.backend import error_text

        backend = self.budget_app.backend
        name = path.name
        try:
            checked = voucher_import.check_file(
                path, progress=self._tick(f"Đang kiểm tra {name}", None, cancellable=True)
            )
            with self._lock:  # from here on a cancel is refused
                if self.cancel_requested:
                    raise Cancelled()
                self.phase = "write"
            self.app.call_from_thread(self._writing, f"Đang ghi {name}", checked.rows)
            on_rows = self._tick(f"Đang ghi {name}", checked.rows, cancellable=False)
            campaign = backend.campaign()
            result = backend.write(
                lambda s: voucher_import.import_vouchers(
                    s,
                    campaign,
                    checked,
                    actor=backend.actor,
                    override_reason=reason,
                    progress=on_rows,
                )
            )
        except Exception as exc:  # noqa: BLE001 - one line in the dialog
            self.app.call_from_thread(self._finished, error_text(exc, "import"), None)
            return
        self.app.call_from_thread(self._finished, "", result)

    # -- on the UI thread ----------------------------------------------------------------
    def _show(self, label: str, done: int, total: int | None) -> None:
        bar = self.query_one("#bar", ProgressBar)
        bar.update(total=total, progress=done)
        elapsed = time.monotonic() - self._started
        self.query_one("#import-rate", Static).update(
            f"{label}: {progress_text(done, total, elapsed)}"
        )

    def _writing(self, label: str, rows: int) -> None:
        self._started = time.monotonic()  # the rate and time left of the writing alone
        self._shown_at = 0.0
        self._show(label, 0, rows)

    def _finished(self, message: str, result: Any) -> None:
        self.phase = "idle"
        self.set_busy(False)
        if result is None:
            self.query_one("#bar", ProgressBar).display = False
            self.query_one("#import-rate", Static).update("")
            self.set_error(message)
            return
        from budget.money import format_vnd

        self.query_one("#bar", ProgressBar).update(total=result.rows, progress=result.rows)
        done = f"Đã nhập {format_vnd(result.rows)} chứng từ: tổng {format_vnd(result.total)} đồng."
        if result.overspent_lines:
            done += " Dòng chi vượt dự toán (đã ghi lý do): " + ", ".join(result.overspent_lines)
        self.query_one("#import-rate", Static).update(done)
        self.set_error("")
        self.mark_clean()
        self.notify(done, title="Đã nhập")
        self.budget_app.refresh_screens()
