"""Xuất Excel: choose the document, the file; the work runs in a worker with progress.

The fields a document needs come from its parameters in the core's registry: a
decision number for the payout list, and for a voucher form a list of the
campaign's posted vouchers of the kinds the parameter names (``Param.vouchers``).

A document over the register (the settlement, the voucher list) fills a progress
bar with rows, rows per second and the time left (budget.progress). While its rows
are laid out nothing is on disk (the workbook is built in memory and published
at the end through budget.safe_output), so Esc or the button stops it and no
file, not even a partial one, is left. Once the rows are done the file is being
saved: a cancel is then refused with the line saying why."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from budget.documents import DOCUMENTS, Param
from budget.i18n import tr
from budget.progress import Cancelled, progress_text
from tui.modals.base import FormDialog

#: The dialog's list and default file names come from the core's registry.
KINDS = [(doc.title, doc.key) for doc in DOCUMENTS]
FILE_NAMES = {doc.key: doc.stem for doc in DOCUMENTS}
#: The voucher parameter of each document that takes one.
VOUCHER_PARAMS: dict[str, Param] = {
    doc.key: p for doc in DOCUMENTS for p in doc.params if p.vouchers
}


#: The bar is redrawn at most this often.
EVERY = 0.1
#: Why a cancel is refused once the rows are laid out.
CANNOT_CANCEL = (
    "Đang lưu tệp: không hủy được nữa; tệp được ghi trọn vẹn, "
    "hoặc không ghi gì nếu có lỗi. Xin chờ xong."
)
STOPPED = "Đã hủy xuất: không có tệp nào được ghi."


def offered(reviewer: bool) -> list[tuple[str, str]]:
    """The documents the dialog lists: a province reviewer's roll-up first for a
    reviewer, left out for a commune's own user (who has no province to roll up)."""
    wide = [(d.title, d.key) for d in DOCUMENTS if d.province_wide]
    own = [(d.title, d.key) for d in DOCUMENTS if not d.province_wide]
    return wide + own if reviewer else own


class ExportDialog(FormDialog):
    def __init__(self) -> None:
        super().__init__()
        self.phase = "idle"  # idle -> rows (may stop) -> save -> idle
        self.cancel_requested = False
        self._lock = threading.Lock()
        self._started = 0.0
        self._shown_at = 0.0
        #: A report skipped by the throttle, shown EVERY later unless a newer one was.
        self._unshown: tuple[int, int | None] | None = None
        self._flush_due = False

    def compose(self) -> ComposeResult:
        kinds = offered(self.budget_app.backend.reviewer)
        self.first_kind = kinds[0][1]
        with Vertical(classes="dialog narrow"):
            yield Static(tr("XUẤT EXCEL"), classes="dialog-title")
            with Grid(classes="form-grid"):
                yield Label(tr("Văn bản"))
                yield Select(kinds, value=self.first_kind, allow_blank=False, id="kind")
                yield Label(tr("Quyết định (thưởng)"), id="decision-label")
                yield Input(id="decision", placeholder="để trống: quyết định mới nhất")
                yield Label(tr("Chứng từ"), id="voucher-label")
                yield Select([], prompt="Chọn chứng từ…", id="voucher")
                yield Label(tr("Phần (hội nghị)"), id="part-label")
                yield Input(id="part", placeholder="I, III, IV hoặc phat_dong, so_ket, tong_ket")
                yield Label(tr("Lưu vào tệp"))
                yield Input(str(Path.cwd() / f"{FILE_NAMES[self.first_kind]}.xlsx"), id="path")
            yield ProgressBar(id="bar", show_eta=False, show_percentage=True)
            yield Static("", id="export-rate", classes="form-status")
            yield from self.compose_buttons("Xuất", "Đóng")

    def on_mount(self) -> None:
        self.query_one("#bar").display = False
        self._show_fields(self.first_kind)

    @on(Select.Changed, "#kind")
    def _kind(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        current = Path(path.value)
        path.value = str(current.with_name(f"{FILE_NAMES[str(event.value)]}.xlsx"))
        self._show_fields(str(event.value))

    def _show_fields(self, kind: str) -> None:
        """Only the fields the chosen document takes; a voucher list is (re)loaded."""
        from budget.documents import document

        takes_decision = document(kind).takes("decision")
        for selector in ("#decision-label", "#decision"):
            self.query_one(selector).display = takes_decision
        takes_part = document(kind).takes("part")
        for selector in ("#part-label", "#part"):
            self.query_one(selector).display = takes_part
        param = VOUCHER_PARAMS.get(kind)
        for selector in ("#voucher-label", "#voucher"):
            self.query_one(selector).display = param is not None
        if param is not None:
            self.query_one("#voucher", Select).set_options([])
            self.load_vouchers(param.vouchers)

    @work(thread=True, exclusive=True, group="export-vouchers", exit_on_error=False)
    def load_vouchers(self, kinds: tuple[str, ...]) -> None:
        from budget.documents import voucher_choices
        from tui.backend import error_text

        backend = self.budget_app.backend
        try:
            choices = backend.read(lambda s: voucher_choices(s, backend.campaign(), kinds))
        except Exception as exc:  # noqa: BLE001 - shown in the dialog
            self.app.call_from_thread(self.set_error, error_text(exc, "export"))
            return
        self.app.call_from_thread(self._vouchers_loaded, choices)

    def _vouchers_loaded(self, choices: list[tuple[str, str]]) -> None:
        select = self.query_one("#voucher", Select)
        select.set_options(choices)
        if choices:
            select.value = choices[0][1]
        else:
            self.set_error(tr("Kế hoạch chưa có chứng từ nào dùng được cho mẫu này."))
        self.mark_clean()

    def _params(self, kind: str) -> dict[str, Any] | None:
        """The chosen document's parameters from the fields; None after an error line."""
        from budget.documents import document

        params: dict[str, Any] = {}
        if document(kind).takes("decision"):
            params["decision"] = self.query_one("#decision", Input).value.strip() or None
        if document(kind).takes("part"):
            params["part"] = self.query_one("#part", Input).value.strip() or None
        if kind in VOUCHER_PARAMS:
            value = self.query_one("#voucher", Select).value
            if not isinstance(value, str):
                self.set_error(tr("Chọn chứng từ cần in."))
                return None
            params[VOUCHER_PARAMS[kind].name] = value
        return params

    def action_save(self) -> None:
        kind = str(self.query_one("#kind", Select).value)
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        problem = target_problem(path)
        if problem:
            self.set_error(problem)
            return
        params = self._params(kind)
        if params is None:
            return
        if path.exists():
            from tui.modals.simple import ConfirmDialog

            def answered(yes: Any) -> None:
                if yes:
                    self._start(kind, path, params, force=True)

            self.app.push_screen(ConfirmDialog(f"Tệp {path} đã có. Ghi đè lên tệp này?"), answered)
            return
        self._start(kind, path, params)

    def _start(self, kind: str, path: Path, params: dict[str, Any], force: bool = False) -> None:
        from budget.documents import REGISTER_DOCUMENTS

        self.cancel_requested = False
        # a document without rows to count is one short step: nothing to stop
        self.phase = "rows" if kind in REGISTER_DOCUMENTS else "save"
        bar = self.query_one("#bar", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.query_one("#export-rate", Static).update("")
        self._started = time.monotonic()
        self._shown_at = 0.0
        with self._lock:
            self._unshown, self._flush_due = None, False
        self.set_busy(True)
        self.set_error(tr("Đang xuất…"))
        if self.phase == "rows":  # Esc now stops the export: the button says so
            self.query_one("#cancel", Button).label = f"{tr('Dừng')} (Esc)"
        self._export(kind, path, params, force=force)

    # -- cancelling --------------------------------------------------------------------
    def action_cancel(self) -> None:
        with self._lock:
            phase = self.phase
            if phase == "rows":
                self.cancel_requested = True
        if phase == "rows":
            self.set_error(tr("Đang dừng…"))
        elif phase == "save":
            self.set_error(tr(CANNOT_CANCEL))
        else:
            super().action_cancel()

    # -- the work (worker thread) ------------------------------------------------------
    def _on_progress(self, done: int, total: int | None) -> None:
        """The core's callback: stop if asked, else show the rows (at most every EVERY)."""
        with self._lock:
            if self.cancel_requested:
                raise Cancelled(STOPPED)
            finished = total is not None and done >= total
            if finished:
                self.phase = "save"  # the rows are laid out: the file is being saved
        now = time.monotonic()
        if finished or now - self._shown_at >= EVERY:
            self._shown_at = now
            with self._lock:
                self._unshown = None
            self.app.call_from_thread(self._show, done, total, finished)
            return
        # Too soon after the last: keep it, and show it a moment later unless a newer
        # report is shown first (the rows may pause here, on a slow disk say: the bar
        # must not stay behind meanwhile).
        with self._lock:
            self._unshown = (done, total)
            schedule = not self._flush_due
            self._flush_due = True
        if schedule:
            self.app.call_from_thread(self.set_timer, EVERY, self._flush_unshown)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, kind: str, path: Path, params: dict[str, Any], force: bool = False) -> None:
        from budget.safe_output import OutputExistsError
        from tui.backend import error_text

        try:
            saved = export_document(
                self.budget_app.backend,
                kind,
                path,
                params,
                force=force,
                progress=self._on_progress,
            )
        except OutputExistsError:
            message = (
                f"Tệp {path.name} vừa xuất hiện trong lúc xuất; bấm Xuất lần nữa để chọn ghi đè."
            )
            self.app.call_from_thread(self._failed, message)
            return
        except Exception as exc:  # noqa: BLE001 - shown in the dialog
            self.app.call_from_thread(self._failed, error_text(exc, "export"))
            return
        self.app.call_from_thread(self._done, saved)

    # -- on the UI thread ----------------------------------------------------------------
    def _flush_unshown(self) -> None:
        with self._lock:
            unshown, self._unshown, self._flush_due = self._unshown, None, False
        if unshown is not None and self.phase == "rows" and not self.cancel_requested:
            self._shown_at = time.monotonic()
            self._show(*unshown, False)

    def _show(self, done: int, total: int | None, finished: bool) -> None:
        self.query_one("#bar", ProgressBar).update(total=total, progress=done)
        elapsed = time.monotonic() - self._started
        line = f"Đang xuất: {progress_text(done, total, elapsed)}"
        if finished:
            line += " · đang lưu tệp…"
        self.query_one("#export-rate", Static).update(line)
        if self.error_field is None and not self.cancel_requested and self.phase == "rows":
            self.set_error("")  # the bar says it: no "Đang xuất…" beside it

    def _stopped(self) -> None:
        self.phase = "idle"
        self.query_one("#cancel", Button).label = f"{tr('Đóng')} (Esc)"
        self.query_one("#bar").display = False
        self.query_one("#export-rate", Static).update("")
        self.set_busy(False)

    def _failed(self, message: str) -> None:
        self._stopped()
        self.set_error(message)

    def _done(self, saved: Path) -> None:
        self._stopped()
        self.mark_clean()
        self.set_error(f"Đã lưu: {saved}")
        self.notify(f"Đã lưu {saved}", title="Xuất Excel")


def target_problem(path: Path) -> str | None:
    """Why ``path`` cannot be written to as it stands (no folder is ever created)."""
    if path.suffix.lower() != ".xlsx":
        return "Tệp xuất phải có đuôi .xlsx."
    if path.is_dir():
        return f"{path} là thư mục: hãy ghi cả tên tệp, ví dụ {path / 'du-toan.xlsx'}."
    if not path.parent.is_dir():
        return f"Thư mục {path.parent} không có: hãy chọn thư mục đã có."
    return None


def export_document(
    backend: Any,
    kind: str,
    path: Path,
    params: dict[str, Any],
    *,
    force: bool = False,
    progress: Any = None,
) -> Path:
    """The same exports as `budget export`: budget.documents.export_document, with
    the document's own parameters (``_params``) and the dialog's progress callback."""
    from budget.documents import export_document as export

    campaign = backend.campaign()
    with backend.session() as session:
        return export(
            session, backend.norms, campaign, kind, path, force=force, progress=progress, **params
        ).path
