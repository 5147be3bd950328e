"""A row put into a DataTable at a given position (DataTable itself only appends)."""

from __future__ import annotations

from typing import Any

from textual._two_way_dict import TwoWayDict
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


def insert_row(table: DataTable[Any], index: int, *cells: Any, key: str) -> RowKey:
    """Add a row so that it shows at ``index`` (0 = top; past the end = bottom).

    The row is added at the bottom and the rows from ``index`` down move one place,
    the way ``DataTable.sort`` reorders rows (it rebinds the table's key -> position
    map); textual is pinned exactly, and tests/tui/test_register_insert.py checks
    the order on screen."""
    row_key = table.add_row(*cells, key=key)
    last = table.row_count - 1
    if index >= last:
        return row_key
    order = [row.key for row in table.ordered_rows if row.key != row_key]
    order.insert(max(0, index), row_key)
    table._row_locations = TwoWayDict({k: position for position, k in enumerate(order)})
    table._update_count += 1
    table.refresh()
    return row_key
