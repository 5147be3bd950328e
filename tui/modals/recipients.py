"""Add recipients to an award decision: one at a time, or pasted as a list
("Họ tên; Chức vụ/đơn vị; mã hình thức" per line)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Select, Static, TextArea

from budget.i18n import tr
from tui.modals.base import FormDialog


class RecipientsDialog(FormDialog):
    REQUIRED = ("name", "title")

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number

    def compose(self) -> ComposeResult:
        norms = self.budget_app.backend.norms
        forms = [(f.name, f.code) for f in norms.reward_forms]
        with Vertical(classes="dialog"):
            yield Static(f"THÊM NGƯỜI ĐƯỢC KHEN — QĐ {self.number}", classes="dialog-title")
            with Grid(classes="form-grid"):
                yield Label(tr("Họ tên / Tập thể"))
                yield Input(id="name")
                yield Label(tr("Chức vụ, đơn vị"))
                yield Input(id="title")
                yield Label(tr("Hình thức"))
                yield Select(forms, value=forms[0][1], allow_blank=False, id="form")
            yield Static(
                "Hoặc dán danh sách, mỗi dòng: Họ tên; Chức vụ/đơn vị; mã hình thức "
                "(ví dụ: Nguyễn Văn An; Công chức Tư pháp; giay_khen_ca_nhan)",
                classes="form-status",
            )
            yield TextArea(id="pasted")
            yield from self.compose_buttons("Thêm", "Đóng")

    def _recipients(self) -> list[Any] | str:
        from budget.services.awards import RecipientInput

        pasted = self.query_one("#pasted", TextArea).text.strip()
        if pasted:
            result = []
            for index, line in enumerate(pasted.splitlines(), 1):
                if not line.strip():
                    continue
                cells = [c.strip() for c in line.replace("\t", ";").split(";")]
                if len(cells) < 3:
                    return f"Dòng {index} của danh sách cần 3 phần: họ tên; chức vụ; hình thức."
                result.append(RecipientInput(name=cells[0], title=cells[1], form=cells[2]))
            return result
        form = self.query_one("#form", Select).value
        return [
            RecipientInput(
                name=self.query_one("#name", Input).value,
                title=self.query_one("#title", Input).value,
                form=str(form),
            )
        ]

    def action_save(self, allow_duplicate: bool = False) -> None:
        recipients = self._recipients()
        if isinstance(recipients, str):
            self.set_error(recipients)
            return
        backend = self.budget_app.backend
        number = self.number

        def action(session: Any) -> Any:
            from budget.services.award_names import DuplicateRecipientError
            from budget.services.awards import add_recipients
            from budget.services.draft_undo import track_recipients

            campaign = backend.campaign()
            try:
                return track_recipients(
                    session,
                    campaign,
                    number,
                    lambda: add_recipients(
                        session,
                        campaign,
                        number,
                        recipients,
                        backend.norms,
                        actor=backend.actor,
                        allow_duplicate=allow_duplicate,
                    ),
                )
            except DuplicateRecipientError as exc:
                return exc  # nothing was written: ask, then add again if confirmed

        def done(result: Any) -> None:
            from budget.services.award_names import DuplicateRecipientError, duplicate_text

            if isinstance(result, DuplicateRecipientError):
                ask_duplicate(self, duplicate_text(result.duplicates), self._confirmed)
                return
            self.notify(f"Đã thêm {len(recipients)} người/tập thể.", title="Đã lưu")
            self.dismiss(result)

        self.write(action, success="", done=done)

    def _confirmed(self) -> None:
        self.action_save(allow_duplicate=True)


def ask_duplicate(dialog: FormDialog, text: str, then: Any) -> None:
    from tui.modals.simple import ConfirmDialog

    dialog.set_error(f"Trùng tên: {text}.")

    def answered(yes: Any) -> None:
        if yes:
            then()

    dialog.app.push_screen(
        ConfirmDialog(f"Trùng tên trong quyết định: {text}. Vẫn thêm (là người khác)?"),
        answered,
    )


class RecipientEditDialog(FormDialog):
    """Correct recipient STT ``position`` of decision ``number`` before payment."""

    REQUIRED = ("name",)

    def __init__(self, number: str, recipient: Any) -> None:
        super().__init__()
        self.number = number
        self.recipient = recipient

    def compose(self) -> ComposeResult:
        norms = self.budget_app.backend.norms
        forms = [(f.name, f.code) for f in norms.reward_forms]
        r = self.recipient
        with Vertical(classes="dialog narrow"):
            yield Static(
                f"SỬA NGƯỜI ĐƯỢC KHEN — QĐ {self.number}, STT {r.position}",
                classes="dialog-title",
            )
            with Grid(classes="form-grid"):
                yield Label(tr("Họ tên / Tập thể"))
                yield Input(r.name, id="name")
                yield Label(tr("Chức vụ, đơn vị"))
                yield Input(r.title, id="title")
                yield Label(tr("Hình thức"))
                yield Select(forms, value=r.form, allow_blank=False, id="form")
            yield from self.compose_buttons("Lưu", "Hủy")

    def action_save(self, allow_duplicate: bool = False) -> None:
        backend = self.budget_app.backend
        number, position = self.number, self.recipient.position
        name = self.query_one("#name", Input).value
        title = self.query_one("#title", Input).value
        form = str(self.query_one("#form", Select).value)

        def action(session: Any) -> Any:
            from budget.services.award_edit import update_recipient
            from budget.services.award_names import DuplicateRecipientError
            from budget.services.draft_undo import track_recipients

            campaign = backend.campaign()
            try:
                return track_recipients(
                    session,
                    campaign,
                    number,
                    lambda: update_recipient(
                        session,
                        campaign,
                        number,
                        position,
                        backend.norms,
                        actor=backend.actor,
                        name=name,
                        title=title,
                        form=form,
                        allow_duplicate=allow_duplicate,
                    ),
                )
            except DuplicateRecipientError as exc:
                return exc

        def done(result: Any) -> None:
            from budget.services.award_names import DuplicateRecipientError, duplicate_text

            if isinstance(result, DuplicateRecipientError):
                ask_duplicate(
                    self, duplicate_text(result.duplicates), lambda: self.action_save(True)
                )
                return
            self.notify(f"Đã sửa người nhận STT {position}.", title="Đã lưu")
            self.dismiss(result)

        self.write(action, success="", done=done)
