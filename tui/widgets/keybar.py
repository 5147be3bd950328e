"""The bottom of every screen: a bar of the global F-keys (F1..F10) that always
fits the width, above Textual's footer with the screen's own keys.

The F-keys would otherwise share one footer line with the screen's keys and,
below about 200 columns, F8 and F10 fell off its end. The bar shrinks its
labels instead (full, then short, then Midnight-Commander style "8Xuất")."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import HorizontalGroup
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
            items = _trimmed(items, width - gap * (len(items) - 1))
            return [(k, label, 0 if i == 0 else gap) for i, (k, label) in enumerate(items)]
    raise AssertionError("unreachable")


def _trimmed(items: list[tuple[str, str]], width: int) -> list[tuple[str, str]]:
    """Labels shortened until every key fits ``width``: a translation's short
    labels may still be too long (English "9Audit log" pushed F10 off the bar at
    80 columns). First the longest label of several words keeps its first word
    ("Audit"), then the longest label is cut, ending "…"; a key is never dropped."""
    items = list(items)

    def total() -> int:
        return sum(len(k) + len(label) for k, label in items)

    while total() > width:
        several = [i for i, (_, label) in enumerate(items) if " " in label.strip()]
        if not several:
            break
        i = max(several, key=lambda i: len(items[i][1]))
        key, label = items[i]
        lead = " " if label.startswith(" ") else ""
        items[i] = (key, lead + label.split()[0])
    while total() > width:
        i = max(range(len(items)), key=lambda i: len(items[i][1]))
        key, label = items[i]
        if len(label) <= 2:
            break
        base = label[:-1] if label.endswith("…") else label
        items[i] = (key, base[: len(label) - 2] + "…")
    return items


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


def key_rows(widths: list[int], width: int, reserved: int) -> list[list[int]]:
    """The items (their indexes) of each row when items ``widths`` wide flow over
    rows ``width`` wide; the first row keeps ``reserved`` columns free (the
    command palette's key is docked at its right). An item wider than a row
    gets a row of its own."""
    rows: list[list[int]] = [[]]
    free = width - reserved
    for index, item in enumerate(widths):
        if rows[-1] and item > free:
            rows.append([])
            free = width
        rows[-1].append(index)
        free -= item
    return rows


class LocalizedFooter(Footer):
    """Textual's footer with the screen's key descriptions in the interface
    language, that never hides a key: when the keys do not fit one line, first
    the spacing shrinks (compact style), and if that is not enough they flow onto
    a second (third...) line, spaced as usual, in the screen's own order. Textual's footer would cut them off at the
    right edge (at 80 columns the register lost "i Nhập tệp")."""

    DEFAULT_CSS = """
    LocalizedFooter { layout: vertical; height: auto; }
    LocalizedFooter > HorizontalGroup.footer-row { height: 1; width: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._laid_out_for: tuple[int, int] | None = None

    def _keys(self) -> tuple[list[FooterKey], FooterKey | None]:
        """The screen's shown keys (one per action) and the command palette's key."""
        active = self.screen.active_bindings
        by_action: dict[str, tuple[Any, bool, str]] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = (binding, enabled, tooltip)
        keys = [
            FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                tr(binding.description),
                binding.action,
                disabled=not enabled,
                tooltip=tr(tooltip) if tooltip else "",
            )
            for binding, enabled, tooltip in by_action.values()
        ]
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            entry = active.get(self.app.COMMAND_PALETTE_BINDING)
            if entry is not None:
                _node, binding, enabled, _tooltip = entry
                palette = FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    tr(binding.description),
                    binding.action,
                    classes="-command-palette",
                    disabled=not enabled,
                    tooltip=tr(binding.tooltip or binding.description),
                )
        return keys, palette

    @staticmethod
    def _width(key: FooterKey, compact: bool) -> int:
        """Columns a key takes in a ``compact`` footer or not (Textual's CSS: the
        key's padding, its margin; the palette's key is always drawn compact, with
        a border and, in a roomy footer, a padding at its right)."""
        text = cell_len(key.key_display) + cell_len(key.description)
        if key.has_class("-command-palette"):
            return text + 2 + (0 if compact else 1)
        return text + 2 if compact else text + 3

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        keys, palette = self._keys()
        width = self.app.size.width
        reserved = {c: self._width(palette, c) if palette else 0 for c in (False, True)}
        widths = {c: [self._width(k, c) for k in keys] for c in (False, True)}
        # one line as Textual draws it; else one tighter line; else the roomy style
        # again over as many lines as it takes (rows of keys read better spaced)
        compact = sum(widths[False]) + reserved[False] > width
        if compact and sum(widths[True]) + reserved[True] > width:
            compact = False
        rows = key_rows(widths[compact], width, reserved[compact])
        self.compact = compact
        self._laid_out_for = (width, len(keys))
        for key in keys:
            key.set_reactive(FooterKey.compact, compact)
            key.set_class(compact, "-compact")
        for number, row in enumerate(rows):
            with HorizontalGroup(classes="footer-row"):
                for index in row:
                    yield keys[index]
                if number == 0 and palette is not None:
                    yield palette

    def on_resize(self, event: Resize) -> None:
        if self._laid_out_for is not None and self._laid_out_for[0] != self.app.size.width:
            self.call_after_refresh(self.recompose)


class KeyFooter(Widget):
    """The F-key bar and the screen's footer, docked at the bottom."""

    DEFAULT_CSS = """
    KeyFooter { dock: bottom; height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield FKeyBar()
        yield LocalizedFooter()
