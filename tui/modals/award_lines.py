"""A new award decision, or the lines an existing one pays from: the user sees every
line of the approved estimate with what remains, the lines matching the decision's
review (sơ kết / tổng kết) are proposed ticked, and the user confirms or changes them."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, SelectionList, Static

from budget.i18n import tr
from tui.formatting import money
from tui.modals.base import FormDialog
from tui.widgets.money_input import DateInput


class AwardLinesDialog(FormDialog):
    """``number`` None: a new decision (number, date, title and lines); else the
    lines of decision ``number`` (``current``: the lines stored on it)."""

    REQUIRED = ("number", "date")
    DEFAULT_CSS = """
    AwardLinesDialog #lines { height: 8; border: round $primary-darken-2; }
    """

    def __init__(
        self,
        *,
        number: str | None = None,
        title: str = "",
        current: tuple[str, ...] = (),
        default_date: str = "",
    ) -> None:
        super().__init__()
        self.number = number
        self.decision_title = title
        self.current = current
        self.default_date = default_date
        self.choices: list[Any] = []
        self.touched = False
        self._applying = False

    def compose(self) -> ComposeResult:
        heading = (
            "QUYẾT ĐỊNH KHEN THƯỞNG MỚI" if self.number is None else f"DÒNG CHI — QĐ {self.number}"
        )
        with Vertical(classes="dialog"):
            yield Static(heading, classes="dialog-title")
            if self.number is None:
                with Grid(classes="form-grid"):
                    yield Label(tr("Số quyết định"))
                    yield Input(id="number")
                    yield Label(tr("Ngày quyết định"))
                    yield DateInput(self.default_date, id="date")
                    yield Label(tr("Trích yếu"))
                    yield Input(id="title", placeholder="ví dụ: Khen thưởng tổng kết …")
            yield Label(tr("Dòng chi (Space: chọn/bỏ; mỗi hình thức một dòng)"))
            yield SelectionList[str](id="lines")
            yield Static("", id="lines-status", classes="form-status")
            yield from self.compose_buttons("Lưu", "Hủy")

    def on_mount(self) -> None:
        self.load_lines()

    @work(thread=True, exclusive=True, group="award-lines", exit_on_error=False)
    def load_lines(self) -> None:
        from budget.services.award_lines import line_choices

        backend = self.budget_app.backend
        try:
            choices = backend.read(lambda s: line_choices(s, backend.campaign()))
        except Exception as exc:  # noqa: BLE001
            from tui.backend import error_text

            self.app.call_from_thread(self.set_error, error_text(exc, "award-lines"))
            return
        self.app.call_from_thread(self._lines_loaded, choices)

    def _lines_loaded(self, choices: list[Any]) -> None:
        self.choices = choices
        widget = self.query_one("#lines", SelectionList)
        widget.clear_options()
        widget.add_options(
            [(f"{c.code}  {c.content[:52]}  (còn {money(c.remaining)})", c.code) for c in choices]
        )
        self._apply(self.current or self._proposal())
        self.mark_clean()

    def _proposal(self) -> tuple[str, ...]:
        from budget.services.award_lines import propose_from

        title = self.decision_title
        if self.number is None:
            title = self.query_one("#title", Input).value
        return propose_from(self.choices, title)

    def _apply(self, codes: tuple[str, ...]) -> None:
        widget = self.query_one("#lines", SelectionList)
        self._applying = True
        try:
            widget.deselect_all()
            for code in codes:
                widget.select(code)
        finally:
            self._applying = False
        self._show_status()

    @property
    def selected(self) -> tuple[str, ...]:
        chosen = set(self.query_one("#lines", SelectionList).selected)
        return tuple(c.code for c in self.choices if c.code in chosen)

    def _show_status(self) -> None:
        by_code = {c.code: c for c in self.choices}
        chosen = self.selected
        status = self.query_one("#lines-status", Static)
        if not chosen:
            status.update("Chưa chọn dòng chi.")
            return
        text = Text("Chi từ: ")
        for i, code in enumerate(chosen):
            c = by_code[code]
            text.append(("; " if i else "") + f"{code} (còn ")
            text.append(money(c.remaining), "bold" if c.remaining > 0 else "bold red")
            text.append(")")
        status.update(text)

    @on(SelectionList.SelectedChanged)
    def _picked(self) -> None:
        if not self._applying:
            self.touched = True
        self._show_status()

    @on(Input.Changed, "#title")
    def _title_changed(self) -> None:
        if self.choices and not self.touched:
            self._apply(self._proposal())

    def form_values(self) -> dict[str, Any]:
        values = super().form_values()
        if self.choices:
            values["lines"] = self.selected
        return values

    def action_save(self) -> None:
        lines = self.selected
        if not lines:
            self.set_error(tr("Chọn ít nhất một dòng chi."))
            return
        backend = self.budget_app.backend
        if self.number is not None:
            number = self.number

            def change(session: Any) -> Any:
                from budget.services.awards import set_decision_lines

                return set_decision_lines(
                    session, backend.campaign(), number, lines, backend.norms, actor=backend.actor
                )

            self.write(change, success=f"Quyết định {number} chi từ dòng {', '.join(lines)}.")
            return
        day = self.query_one("#date", DateInput).date
        if day is None:
            self.set_error(tr("«Ngày quyết định» không hợp lệ (dd/mm/yyyy)."))
            return
        number_value = self.query_one("#number", Input).value
        title = self.query_one("#title", Input).value

        def create(session: Any) -> Any:
            from budget.services.awards import create_decision

            return create_decision(
                session,
                backend.campaign(),
                number=number_value,
                decision_date=day,
                actor=backend.actor,
                title=title,
                lines=lines,
            )

        self.write(create, success="Đã tạo quyết định.")
