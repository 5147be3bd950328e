"""RegisterTable (tui/widgets/register_table.py) paints what a DataTable paints, and
keeps a cell's render when rows are added around it."""

from __future__ import annotations

import asyncio
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from tui.widgets.register_table import RegisterTable
from tui.widgets.table_rows import insert_row


def _row(n: int) -> tuple[Text, Text, Text]:
    return (
        Text(f"PC-{n:04d}"),
        Text(f"Người nhận số {n} có tên dài hơn cột" if n % 3 == 0 else f"Cơ sở {n}"),
        Text(f"{n * 1000:,}".replace(",", "."), justify="right", style="bold" if n % 2 else ""),
    )


class Pair(App[None]):
    """A DataTable and a RegisterTable with the same rows, side by side."""

    def compose(self) -> ComposeResult:
        for table in (
            DataTable(id="plain", cursor_type="row", zebra_stripes=True),
            RegisterTable(id="kept", cursor_type="row", zebra_stripes=True),
        ):
            table.styles.height = 12
            table.styles.width = 60
            yield table

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            table.add_column("Số", width=8)
            table.add_column("Người nhận", width=20)
            table.add_column("Số tiền", width=12)
            for n in range(1, 31):
                table.add_row(*_row(n), key=str(n))


def _painted(table: DataTable[Any]) -> list[list[tuple[str, Any]]]:
    """Every visible line as (text, style) segments, the click metadata included."""
    lines = []
    for y in range(table.size.height):
        strip = table.render_line(y)
        lines.append([(segment.text, segment.style) for segment in strip])
    return lines


async def _focused(pilot: Any, table: DataTable[Any]) -> list[list[tuple[str, Any]]]:
    """What ``table`` paints with the focus on it (the cursor's own style)."""
    table.focus()
    await pilot.pause()
    return _painted(table)


async def _same(pilot: Any, plain: DataTable[Any], kept: DataTable[Any]) -> list[Any]:
    painted = await _focused(pilot, kept)
    assert painted == await _focused(pilot, plain)
    return painted


def _meta_rows(table: DataTable[Any]) -> list[int | None]:
    """The row a click on each visible body line lands on (the "row" metadata)."""
    rows: list[int | None] = []
    for y in range(1, table.size.height):  # line 0: the header
        styles = [s.style for s in table.render_line(y) if s.style is not None and s.style.meta]
        rows.append(styles[0].meta.get("row") if styles else None)
    return rows


def test_the_register_paints_what_a_datatable_paints() -> None:
    async def body() -> None:
        app = Pair()
        async with app.run_test(size=(60, 30)) as pilot:
            plain = app.query_one("#plain", DataTable)
            kept = app.query_one("#kept", RegisterTable)
            await pilot.pause()
            await _same(pilot, plain, kept)
            for table in (plain, kept):  # a saved voucher put at the top, twice
                insert_row(table, 0, *_row(100), key="100")
                insert_row(table, 0, *_row(101), key="101")
                table.move_cursor(row=3)
            await pilot.pause()
            after = await _same(pilot, plain, kept)
            assert "PC-0101" in "".join(text for text, _ in after[1])
            # the old first row moved two places down, and a click there says so
            assert _meta_rows(kept) == list(range(kept.size.height - 1))
            assert _meta_rows(kept) == _meta_rows(plain)
            app.theme = "textual-light"  # a theme change re-renders, it does not reuse
            await pilot.pause()
            await _same(pilot, plain, kept)

    asyncio.run(body())


def test_a_moved_cell_is_not_rendered_again() -> None:
    async def body() -> None:
        app = Pair()
        async with app.run_test(size=(60, 30)) as pilot:
            kept = app.query_one("#kept", RegisterTable)
            await pilot.pause()
            _painted(kept)
            # One row on top: every row below now wears the other zebra stripe, so
            # each visible cell is rendered once more, in that style.
            insert_row(kept, 0, *_row(99), key="99")
            await pilot.pause()
            _painted(kept)
            rendered: list[tuple[int, int]] = []
            original = DataTable._render_cell

            def counting(self: Any, row: int, column: int, *args: Any) -> Any:
                if self is kept and row >= 0:
                    rendered.append((row, column))
                return original(self, row, column, *args)

            DataTable._render_cell = counting  # type: ignore[method-assign]
            try:
                insert_row(kept, 0, *_row(100), key="100")
                await pilot.pause()
                _painted(kept)
            finally:
                DataTable._render_cell = original  # type: ignore[method-assign]
            # A second row on top: the rows are back on their first stripe, so only
            # the new row (where the cursor is) and the two rows the cursor has been
            # on before (never painted without it on this stripe) go through Rich
            # again; the other 8 visible rows keep their render.
            assert sorted({row for row, _ in rendered}) == [0, 1, 2], rendered
            assert len(rendered) == 3 * 3

    asyncio.run(body())
