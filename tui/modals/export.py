"""Xuất Excel: choose the document, the file; the work runs in a worker with progress."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, LoadingIndicator, Select, Static

from budget.documents import DOCUMENTS
from tui.modals.base import FormDialog

#: The dialog's list and default file names come from the core's registry.
KINDS = [(doc.title, doc.key) for doc in DOCUMENTS]
FILE_NAMES = {doc.key: doc.stem for doc in DOCUMENTS}


class ExportDialog(FormDialog):
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog narrow"):
            yield Static("XUẤT EXCEL", classes="dialog-title")
            with Grid(classes="form-grid"):
                yield Label("Văn bản")
                yield Select(KINDS, value=KINDS[0][1], allow_blank=False, id="kind")
                yield Label("Quyết định (thưởng)")
                yield Input(id="decision", placeholder="để trống: quyết định mới nhất")
                yield Label("Phần (hội nghị)")
                yield Input(id="part", placeholder="I, III, IV hoặc phat_dong, so_ket, tong_ket")
                yield Label("Lưu vào tệp")
                yield Input(str(Path.cwd() / f"{FILE_NAMES[KINDS[0][1]]}.xlsx"), id="path")
            yield LoadingIndicator(id="progress")
            yield from self.compose_buttons("Xuất", "Đóng")

    def on_mount(self) -> None:
        self.query_one("#progress").display = False
        #: The part of the estimate the conference documents take (read on save).
        self._part: str | None = None

    @on(Select.Changed, "#kind")
    def _kind(self, event: Select.Changed) -> None:
        path = self.query_one("#path", Input)
        current = Path(path.value)
        path.value = str(current.with_name(f"{FILE_NAMES[str(event.value)]}.xlsx"))

    def action_save(self) -> None:
        kind = str(self.query_one("#kind", Select).value)
        path = Path(self.query_one("#path", Input).value.strip()).expanduser()
        decision = self.query_one("#decision", Input).value.strip() or None
        self._part = self.query_one("#part", Input).value.strip() or None
        problem = target_problem(path)
        if problem:
            self.set_error(problem)
            return
        if path.exists():
            from tui.modals.simple import ConfirmDialog

            def answered(yes: Any) -> None:
                if yes:
                    self._start(kind, path, decision, force=True)

            self.app.push_screen(ConfirmDialog(f"Tệp {path} đã có. Ghi đè lên tệp này?"), answered)
            return
        self._start(kind, path, decision)

    def _start(self, kind: str, path: Path, decision: str | None, force: bool = False) -> None:
        self.query_one("#progress").display = True
        self.set_busy(True)
        self.set_error("Đang xuất…")
        self._export(kind, path, decision, force=force)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, kind: str, path: Path, decision: str | None, force: bool = False) -> None:
        from budget.safe_output import OutputExistsError
        from tui.backend import error_text

        try:
            saved = export_document(
                self.budget_app.backend,
                kind,
                path,
                decision,
                force=force,
                part=self._part,
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

    def _failed(self, message: str) -> None:
        self.query_one("#progress").display = False
        self.set_busy(False)
        self.set_error(message)

    def _done(self, saved: Path) -> None:
        self.query_one("#progress").display = False
        self.set_busy(False)
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
    decision: str | None,
    *,
    force: bool = False,
    part: str | None = None,
) -> Path:
    """The same exports as `budget export`: budget.documents.export_document."""
    from budget.documents import document
    from budget.documents import export_document as export

    doc = document(kind)
    params: dict[str, Any] = {"decision": decision} if doc.takes("decision") else {}
    if doc.takes("part"):
        params["part"] = part
    campaign = backend.campaign()
    with backend.session() as session:
        return export(session, backend.norms, campaign, kind, path, force=force, **params).path
