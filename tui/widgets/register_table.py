"""A DataTable that renders a cell once, not once per change of the table.

Textual's DataTable keys its cell-render cache on the table's change counter, so
adding one row (a voucher just saved) throws away every rendered cell and the
next frame renders each visible cell again through Rich (Padding, Styled,
render_lines): about 0.1 ms a cell, some 30 ms for a 120x36 register, the bulk
of the save-to-screen time of issue 13.

Here a body cell's render is also kept under what it depends on: the cell object
itself (cells are never changed in place: update_cell puts a new one), the width,
the row height, the table's base style and the cell's component styles (cursor,
hover, zebra stripe, theme). Only the mouse metadata (the row and column a click
lands on) depends on the cell's position; it is put on the kept segments again
when the cell has moved. Header and row-label cells, and rows taller than one line,
go the DataTable's own way.

This overrides the private ``_render_cell`` of the exactly pinned textual;
tests/tui/test_register_table.py holds its output to the DataTable's own, and the
register snapshots to the screen.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual._types import SegmentLines
from textual.cache import LRUCache
from textual.widgets import DataTable

#: Kept renders: a few screens of cells, each in a couple of styles.
CACHE_CELLS = 8192


class RegisterTable(DataTable[Any]):
    """DataTable whose visible cells survive a row being added, moved or removed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept_cells: LRUCache[tuple[Any, ...], tuple[Any, int, int, SegmentLines]] = LRUCache(
            CACHE_CELLS
        )

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        if row_index < 0 or column_index < 0:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        row = self.rows.get(row_key) if row_key is not None else None
        if row is None or row.height != 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        cell = self._get_row_renderables(row_index).cells[column_index]
        fixed = row_index < self.fixed_rows or column_index < self.fixed_columns
        styles = self._get_styles_to_render_cell(
            False,
            False,
            fixed,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        key = (id(cell), width, base_style, styles)
        kept = self._kept_cells.get(key)
        if kept is None or kept[0] is not cell:
            lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
            self._kept_cells[key] = (cell, row_index, column_index, lines)
            return lines
        _cell, at_row, at_column, lines = kept
        if (at_row, at_column) == (row_index, column_index):
            return lines
        # The cell moved: the same segments, clicked at its new place.
        meta = Style.from_meta({"row": row_index, "column": column_index})
        moved = [
            [Segment(text, style + meta if style is not None else meta, control)
             for text, style, control in line]
            for line in lines
        ]  # fmt: skip
        self._kept_cells[key] = (cell, row_index, column_index, moved)
        return moved
