"""The bottom of every screen: a bar of the global F-keys (F1..F10) that always
fits the width, above Textual's footer with the screen's own keys.

The F-keys would otherwise share one footer line with the screen's keys and,
below about 200 columns, F8 and F10 fell off its end. The bar shrinks its
labels instead (full, then short, then Midnight-Commander style "8Xuất")."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.events import Click, Resize
from textual.widget import Widget
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from budget.i18n import tr

#: (key, full label, short label, action run on the app)
FKEYS = [
    ("f1", "Trợ giúp", "Giúp", "help"),
    ("f2", "Tổng quan", "Tổng quan", "go('dashboard')"),
    ("f3", "Dự toán", "Dự toán", "go('estimate')"),
    ("f4", "Chứng từ", "Chứng từ", "go('vouchers')"),
    ("f5", "Khen thưởng", "Thưởng", "go('awards')"),
    ("f6", "Đối chiếu", "Đối chiếu", "go('reconcile')"),
    ("f7", "Tổng hợp CT", "Tổng hợp", "go('summary')"),
    ("f8", "Xuất Excel", "Xuất", "export"),
    ("f9", "Nhật ký", "Nhật ký", "go('audit')"),
    ("f10", "Thiết lập", "Cài đặt", "settings"),
]

# (which label, show the "F", spaces between keys), widest first
_STYLES = [(1, True, 2), (1, True, 1), (2, True, 1), (2, False, 1), (2, False, 0)]


def fkey_items(width: int) -> list[tuple[str, str, int]]:
    """(key text, label, gap before) of the widest style that fits ``width``."""
    for which, with_f, gap in _STYLES:
        items = [
            (
                key.upper() if with_f else key[1:],
                (f" {tr(entry[which])}" if with_f else tr(entry[which])),
            )
            for entry in FKEYS
            for key in [entry[0]]
        ]
        total = sum(len(k) + len(label) for k, label in items) + gap * (len(items) - 1)
        if total <= width or (which, with_f, gap) == _STYLES[-1]:
            return [(k, label, 0 if i == 0 else gap) for i, (k, label) in enumerate(items)]
    raise AssertionError("unreachable")


def fkey_text(width: int) -> Text:
    text = Text(no_wrap=True, overflow="crop")
    for key, label, gap in fkey_items(width):
        text.append(" " * gap)
        text.append(key, style="bold reverse")
        text.append(label)
    return text


class FKeyBar(Static):
    DEFAULT_CSS = """
    FKeyBar { height: 1; width: 1fr; background: $panel; }
    """

    def on_mount(self) -> None:
        self.update(fkey_text(self.app.size.width))

    def on_resize(self, event: Resize) -> None:
        self.update(fkey_text(event.size.width))

    async def on_click(self, event: Click) -> None:
        x = 0
        for (key, label, gap), entry in zip(fkey_items(self.size.width), FKEYS, strict=True):
            x += gap
            if x <= event.x < x + len(key) + len(label):
                await self.app.run_action(entry[3])
                return
            x += len(key) + len(label)


class LocalizedFooter(Footer):
    """Textual's footer with the screen's key descriptions in the interface language."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = tr(widget.description)
                if isinstance(widget.tooltip, str):
                    widget.tooltip = tr(widget.tooltip)
            yield widget


class KeyFooter(Widget):
    """The F-key bar and the screen's footer, docked at the bottom."""

    DEFAULT_CSS = """
    KeyFooter { dock: bottom; height: 2; }
    """

    def compose(self) -> ComposeResult:
        yield FKeyBar()
        yield LocalizedFooter()
