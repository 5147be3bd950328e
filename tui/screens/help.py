"""Trợ giúp: every key of every screen, generated from the bindings themselves
(the app's, each screen's and the dialogs'), so the list cannot fall behind."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from budget.i18n import tr

KEY_NAMES = {"slash": "/", "escape": "Esc", "enter": "Enter", "delete": "Delete"}
#: Keys the widgets themselves handle (not bindings of ours).
WIDGET_KEYS = [
    ("Tab / Shift+Tab", "Chuyển ô nhập"),
    ("↑ ↓ PgUp PgDn", "Di chuyển, cuộn trang"),
    ("Enter trong ô lọc", "Áp dụng bộ lọc (Chứng từ)"),
]


def key_label(keys: str) -> str:
    def part(name: str) -> str:
        if name[0] == "f" and name[1:].isdigit():
            return name.upper()  # f10 -> F10
        return KEY_NAMES.get(name, name.capitalize() if len(name) > 1 else name)

    def one(key: str) -> str:
        names = key.split("+")
        if len(names) > 1 and len(names[-1]) == 1:
            names[-1] = names[-1].upper()  # ctrl+s -> Ctrl+S
        return KEY_NAMES.get(key) or "+".join(part(p) for p in names)

    return " / ".join(one(k.strip()) for k in keys.split(","))


def binding_rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    rows = []
    for b in bindings:
        binding = b if isinstance(b, Binding) else Binding(*b)
        if binding.description:
            rows.append((key_label(binding.key), tr(binding.description)))
    return rows


def sections() -> list[tuple[str, list[tuple[str, str]]]]:
    from tui.app import SCREEN_MODULES, SCREENS_BY_KEY, BudgetApp
    from tui.modals.base import FormDialog

    keys = {mode: key.upper() for mode, key, _ in SCREENS_BY_KEY}
    labels = {mode: tr(label) for mode, _, label in SCREENS_BY_KEY}
    widget_keys = [(keys_text, tr(what)) for keys_text, what in WIDGET_KEYS]
    result = [(tr("Chung"), binding_rows(BudgetApp.BINDINGS) + widget_keys)]
    for mode, (module, name) in SCREEN_MODULES.items():
        screen = getattr(importlib.import_module(module), name)
        rows = binding_rows(vars(screen).get("BINDINGS", []))  # its own, not Textual's
        if rows:
            result.append((f"{labels[mode]} ({keys[mode]})", rows))
    result.append((tr("Hộp thoại"), binding_rows(FormDialog.BINDINGS)))
    return result


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Đóng")]

    def compose(self) -> ComposeResult:
        lines = []
        for section, keys in sections():
            lines.append(f"[b]{section}[/b]")
            lines += [f"  [b cyan]{key:<20}[/] {what}" for key, what in keys]
            lines.append("")
        with VerticalScroll(classes="dialog", can_focus=True):
            yield Static(tr("TRỢ GIÚP — PHÍM TẮT"), classes="dialog-title")
            yield Static("\n".join(lines), markup=True)

    def action_close(self) -> None:
        self.dismiss(None)
