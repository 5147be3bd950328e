"""One base for every form dialog.

* On open the focus goes to the first empty required field (``REQUIRED``, else
  the first empty field, else the first field); no text is pre-selected, so a
  key typed on open never replaces what the field holds.
* Esc, the Hủy button and Ctrl+Q ask "Bỏ các thay đổi chưa lưu?" when a field
  was changed since the dialog opened (or since its data was loaded).
* The Save/Cancel buttons and the error line are composed here
  (:meth:`compose_buttons`); Ctrl+S and the Save button go through one guard.
* A write (:meth:`write`) runs as the app's one exclusive write: Save and
  Ctrl+S refuse until it ends (the button greys and "Đang ghi…" shows once it
  has run ``PROGRESS_DELAY``); its failure is shown in the error line.
* One error line: a field's error (the core's message, e.g. "«Ngày chứng từ»
  «31/02/2026» không phải ngày có thật.") shows there when the field is left or
  the form is saved, and clears when that field is fixed; any other error clears
  as soon as a field changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static, TextArea

from budget.i18n import tr

if TYPE_CHECKING:
    from tui.app import BudgetApp

DISCARD_QUESTION = "Bỏ các thay đổi chưa lưu?"
#: seconds a write runs before its dialog greys Save and says "Đang ghi…"
PROGRESS_DELAY = 0.08


def field_value(widget: Widget) -> Any:
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input | Select):
        return widget.value
    return None


class FormDialog(ModalScreen[Any]):
    BINDINGS = [
        Binding("escape", "cancel", "Đóng"),
        Binding("ctrl+s", "submit", "Lưu", priority=True),
    ]
    #: ids of the fields that must be filled, in the order a person fills them.
    REQUIRED: ClassVar[tuple[str, ...]] = ()

    busy = False
    _initial: dict[str, Any] | None = None
    #: the id of the field the error line is about, or None (a form-level error)
    error_field: str | None = None

    @property
    def budget_app(self) -> BudgetApp:
        return self.app  # type: ignore[return-value]

    # -- composition ---------------------------------------------------------------
    def compose_buttons(self, save: str = "Lưu", cancel: str = "Hủy") -> ComposeResult:
        """The error line and the Save/Cancel buttons every dialog ends with."""
        yield Static("", id="form-error", classes="form-error")
        with Horizontal(classes="buttons"):
            yield Button(f"{tr(save)} (Ctrl+S)", variant="primary", id="save")
            yield Button(f"{tr(cancel)} (Esc)", id="cancel")

    @on(events.Mount)
    def _prepare_fields(self) -> None:
        """One-line fields (a form fits 80×24), nothing selected on focus."""
        for widget in self.query(".form-grid Input, .form-grid Select, TextArea"):
            if isinstance(widget, Input | Select | TextArea):
                widget.compact = True
        for field in self.query(Input):
            field.select_on_focus = False
        self.call_after_refresh(self._opened)

    def _opened(self) -> None:
        self.focus_first_field()
        self.mark_clean()

    def form_fields(self) -> list[Widget]:
        return [
            w
            for w in self.query("Input, Select, TextArea")
            if w.id and isinstance(w, Input | Select | TextArea)
        ]

    def focus_first_field(self) -> None:
        fields = [w for w in self.form_fields() if w.focusable]
        if not fields:
            return
        required = [w for w in fields if w.id in self.REQUIRED]
        required.sort(key=lambda w: self.REQUIRED.index(w.id or ""))

        def empty(widget: Widget) -> bool:
            value = field_value(widget)
            return value is None or value == "" or value is Select.NULL

        target = next((w for w in required if empty(w)), None)
        if target is None and not self.REQUIRED:
            target = next((w for w in fields if empty(w)), None)
        target = target or fields[0]
        target.focus()
        if isinstance(target, Input):
            target.cursor_position = len(target.value)  # also clears any selection

    # -- changes ---------------------------------------------------------------------
    def form_values(self) -> dict[str, Any]:
        return {w.id or "": field_value(w) for w in self.form_fields()}

    def mark_clean(self) -> None:
        """What the fields hold now counts as unchanged (call after loading data)."""
        self._initial = self.form_values()

    def changed(self) -> bool:
        return self._initial is not None and self.form_values() != self._initial

    def field_error(self, widget: Widget) -> str | None:
        """What is wrong with a filled field: its validators' message (forms that check
        fields themselves override this)."""
        if not isinstance(widget, Input) or not widget.validators or not widget.value.strip():
            return None
        result = widget.validate(widget.value)
        if result is None or result.is_valid or not result.failure_descriptions:
            return None
        return result.failure_descriptions[0]

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _field_edited(self, event: Input.Changed | TextArea.Changed) -> None:
        if self.busy:
            return
        widget = event.input if isinstance(event, Input.Changed) else event.text_area
        if self.error_field is None:
            self.set_error("")
        elif widget.id == self.error_field and self.field_error(widget) is None:
            self.set_error("")  # that field is fixed

    @on(Input.Blurred)
    def _field_left(self, event: Input.Blurred) -> None:
        message = self.field_error(event.input)
        if message and not self.busy and self.is_attached:
            self.set_error(message, field=event.input.id)

    # -- closing ---------------------------------------------------------------------
    def confirm_discard(self, then: Callable[[], Any]) -> None:
        """Run ``then`` at once if nothing changed, else after the user agrees."""
        if not self.changed():
            then()
            return
        from tui.modals.simple import ConfirmDialog

        def answered(yes: Any) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmDialog(DISCARD_QUESTION), answered)

    def action_cancel(self) -> None:
        if self.busy:
            self.notify("Đang ghi dữ liệu, xin chờ xong.", severity="warning")
            return
        self.confirm_discard(lambda: self.dismiss(None))

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def confirm_future(self, dates: list[tuple[str, Any]], then: Callable[[], Any]) -> None:
        """Run ``then`` at once unless one of the (label, date) lies after today; then
        ask first ("«Ngày chứng từ» 25/12/2024 là ngày sau hôm nay (20/12/2024)...")."""
        from budget.clock import today
        from tui.modals.simple import ConfirmDialog

        now = today()
        year = getattr(self.budget_app.backend, "campaign_year", None)
        later = [
            (label, day)
            for label, day in dates
            # outside the campaign's year the service refuses it, in its own words
            if day is not None and day > now and (year is None or day.year == year)
        ]
        if not later:
            then()
            return
        label, day = later[0]
        question = (
            f"«{label}» {day:%d/%m/%Y} là ngày sau hôm nay ({now:%d/%m/%Y}). Vẫn ghi ngày này?"
        )

        def answered(yes: Any) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmDialog(question), answered)

    # -- saving ----------------------------------------------------------------------
    @on(Button.Pressed, "#save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        if self.busy:
            return
        self.action_save()

    def action_save(self) -> None:  # pragma: no cover - overridden
        self.dismiss(None)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in self.query("#save"):
            button.disabled = busy

    def write(
        self,
        action: Callable[[Any], Any],
        *,
        success: str,
        done: Callable[[Any], None] | None = None,
        progress: str = "Đang ghi…",
        then_read: Callable[[Any, Any], Any] | None = None,
    ) -> None:
        """Run ``action(session)`` as the app's one write; Save is disabled meanwhile
        (``then_read``: see ``BudgetApp.perform``)."""
        if self.busy:
            return
        self.busy = True  # Save and Ctrl+S refuse from now on
        # The greyed Save button and the progress line show only when the write takes
        # a while: a quick save closes the dialog without a repaint competing with it.
        timer = self.set_timer(PROGRESS_DELAY, lambda: self._show_progress(progress))

        def finished(result: Any) -> None:
            timer.stop()
            self.set_busy(False)
            (done or self.saved)(result)

        def failed(message: str) -> None:
            timer.stop()
            self.set_busy(False)
            self.set_error(message)

        self.budget_app.perform(
            action, done=finished, failed=failed, success=success, then_read=then_read
        )
        if not any(w.group == "write" and not w.is_finished for w in self.app.workers):
            timer.stop()
            self.set_busy(False)  # refused: another write is still running
            self.set_error("")

    def _show_progress(self, progress: str) -> None:
        if self.busy and self.is_attached:
            self.set_busy(True)
            self.set_error(progress)

    def set_error(self, message: str, *, field: str | None = None) -> None:
        self.error_field = field if message else None
        for widget in self.query("#form-error"):
            if isinstance(widget, Static):
                widget.update(message)

    def saved(self, result: Any) -> None:
        self.dismiss(result)
