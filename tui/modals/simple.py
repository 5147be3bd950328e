"""Small dialogs: a reason (reverse a voucher, return an estimate), settling an
advance, approving an estimate, confirming."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.widgets import Input, Label, Select, Static

from tui.modals.base import FormDialog
from tui.widgets.money_input import DateInput, MoneyInput


class FieldsDialog(FormDialog):
    """A title, a few labelled fields, and an action run as one transaction.

    ``fields``: (id, label, kind, initial) with kind "text", "money", "date" or
    "select" (its (label, value) list in ``options[id]``; an empty initial value
    leaves it blank, which reads as "").
    ``build(values)`` returns the service call or an error message.
    ``confirm(values)``, when given, is the question naming what becomes final;
    the call runs only after the user agrees to it (Esc or Hủy: nothing written).
    """

    def __init__(
        self,
        title: str,
        fields: list[tuple[str, str, str, str]],
        build: Callable[[dict[str, Any]], Callable[[Any], Any] | str],
        *,
        success: str,
        intro: str = "",
        confirm: Callable[[dict[str, Any]], str] | None = None,
        options: dict[str, list[tuple[str, str]]] | None = None,
    ) -> None:
        super().__init__()
        self.confirm = confirm
        self.options = options or {}
        self.title_text = title
        self.fields = fields
        self.build = build
        self.success = success
        self.intro = intro

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog narrow"):
            yield Static(self.title_text, classes="dialog-title")
            if self.intro:
                yield Static(self.intro, classes="form-status")
            with Grid(classes="form-grid"):
                for field_id, label, kind, initial in self.fields:
                    yield Label(label)
                    if kind == "money":
                        yield MoneyInput(initial, id=field_id, allow_zero=True, field=label)
                    elif kind == "date":
                        yield DateInput(initial, id=field_id, field=label)
                    elif kind == "select":
                        choices = self.options[field_id]
                        yield Select(
                            choices,
                            id=field_id,
                            value=initial if initial else Select.NULL,
                            allow_blank=not initial,
                            prompt=f"Chọn {label.lower()}",
                        )
                    else:
                        yield Input(initial, id=field_id)
            yield from self.compose_buttons("Đồng ý", "Hủy")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == self.fields[-1][0]:
            self.action_save()
        else:
            self.focus_next()

    def values(self) -> dict[str, Any] | tuple[str, str]:
        """The typed values, or (the core's message, the field it is about)."""
        result: dict[str, Any] = {}
        for field_id, label, kind, _ in self.fields:
            widget = self.query_one(f"#{field_id}")
            if kind == "money":
                amount = widget.amount  # type: ignore[attr-defined]
                if amount is None:
                    return widget.error or f"«{label}» không hợp lệ.", field_id  # type: ignore[attr-defined]
                result[field_id] = amount
            elif kind == "date":
                day = widget.date  # type: ignore[attr-defined]
                if day is None:
                    return widget.error or f"«{label}» không hợp lệ.", field_id  # type: ignore[attr-defined]
                result[field_id] = day
            elif kind == "select":
                value = widget.value  # type: ignore[attr-defined]
                result[field_id] = value if isinstance(value, str) else ""
            else:
                result[field_id] = widget.value  # type: ignore[attr-defined]
        return result

    def action_save(self) -> None:
        values = self.values()
        if isinstance(values, tuple):
            self.set_error(values[0], field=values[1])
            return
        action = self.build(values)
        if isinstance(action, str):
            self.set_error(action)
            return
        dates = [(label, values[fid]) for fid, label, kind, _ in self.fields if kind == "date"]
        write = lambda: self.write(action, success=self.success)  # noqa: E731
        if self.confirm is not None:
            question = self.confirm(values)
            self.confirm_future(dates, lambda: self.confirm_final(question, write))
        else:
            self.confirm_future(dates, write)

    def confirm_final(self, question: str, then: Callable[[], Any]) -> None:
        def answered(yes: Any) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmDialog(question), answered)


class AskDialog(FormDialog):
    """One text field; dismisses with what was typed (stripped), or None."""

    def __init__(self, title: str, label: str, *, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog narrow"):
            yield Static(self.title_text, classes="dialog-title")
            with Grid(classes="form-grid"):
                yield Label(self.label)
                yield Input(id="answer", placeholder=self.placeholder)
            yield from self.compose_buttons("Đồng ý", "Hủy")

    @on(Input.Submitted, "#answer")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        text = self.query_one("#answer", Input).value.strip()
        if not text:
            self.set_error(f"Chưa nhập «{self.label}».")
            return
        self.dismiss(text)


class ConfirmDialog(FormDialog):
    """Yes/no; dismisses with True or None."""

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog narrow"):
            yield Static(self.question, classes="dialog-title")
            yield from self.compose_buttons("Đồng ý", "Hủy")

    def action_save(self) -> None:
        self.dismiss(True)


__all__ = ["AskDialog", "ConfirmDialog", "FieldsDialog"]
