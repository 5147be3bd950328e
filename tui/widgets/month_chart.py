"""A column chart of the spending month by month, drawn with block characters.

Hand-made rather than a plotting library: every figure is an integer of đồng
(the scale is integer arithmetic, in eighths of a cell), the axis is labelled
with exact amounts written as the rest of the app writes them, and it redraws
itself for whatever room it has (a browser window, 80×24).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from tui.formatting import money

#: A cell filled by eighths, from the bottom.
EIGHTHS = " ▁▂▃▄▅▆▇█"
BAR_STYLE = "bold cyan"
AXIS_STYLE = "dim"


def column_chart(values: Sequence[tuple[int, int]], width: int, height: int) -> Text:
    """``values`` are (month, spent); the chart fills ``width`` × ``height`` cells:
    the columns with an amount axis on the left, the months under them, and a
    line naming the dearest month and the sum."""
    text = Text(no_wrap=True, overflow="crop")
    if not values:
        return text
    peak = max(v for _, v in values)
    total = sum(v for _, v in values)
    caption = Text.assemble(("Cộng ", AXIS_STYLE), (money(total), "bold"))
    if peak > 0:
        month = next(m for m, v in values if v == peak)
        caption.append(f" · cao nhất T{month}: ", style=AXIS_STYLE)
        caption.append(money(peak), style="bold")
    rows = max(1, height - 2)
    label_width = max(len(money(peak)), 1) + 1
    slot = max(2, (width - label_width - 1) // len(values))
    bar = max(1, slot - 1) if slot < 5 else slot - 2
    levels = rows * 8
    heights = [
        0 if peak <= 0 or v <= 0 else max(1, (v * levels + peak - 1) // peak) for _, v in values
    ]
    for r in range(rows):
        floor = (rows - 1 - r) * 8  # eighths below this row
        # The amount at the top of row r: the top row and the middle one are labelled.
        labelled = r == 0 or (rows >= 4 and r == rows // 2)
        label = money(peak * (rows - r) // rows) if labelled and peak > 0 else ""
        text.append(f"{label:>{label_width - 1}}", style=AXIS_STYLE)
        text.append("┤" if label else "│", style=AXIS_STYLE)
        for h in heights:
            fill = min(8, max(0, h - floor))
            text.append(EIGHTHS[fill] * bar, style=BAR_STYLE)
            text.append(" " * (slot - bar))
        text.append("\n")
    text.append(f"{'0':>{label_width - 1}}└", style=AXIS_STYLE)
    for m, _ in values:
        text.append(f"{m:^{bar}}"[: max(bar, 2)].ljust(slot), style="bold")
    text.append("\n")
    text.append_text(caption)
    return text


class MonthChart(Widget):
    """The month-by-month spending; :meth:`show` gives it the figures."""

    DEFAULT_CSS = """
    MonthChart {
        height: 1fr;
        min-height: 6;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._values: tuple[tuple[int, int], ...] = ()

    def show(self, values: Sequence[tuple[int, int]]) -> None:
        self._values = tuple(values)
        self.refresh()

    def render(self) -> Text:
        size = self.content_size
        return column_chart(self._values, size.width, size.height)
