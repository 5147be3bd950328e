"""A voucher saved in the form shows in the register without a page re-read (issue 13),
and the register it shows is exactly what a fresh page read shows.

Figures from budget/demo.py (the register in (date, id) order): 26 vouchers; the 22
rows up to PC-0013 (15/08/2024) come before UNC-0003 (18/09/2024); the first five,
PC-0001..PC-0005, are dated 05/06/2024; the next phiếu chi is PC-0018; line II.4
has nothing spent, II.3 holds TU-0001 and TT-0001.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Select, Static

from tests.tui.test_workflows import (
    DEMO_VOUCHERS,
    SIZE,
    cell_text,
    closed,
    demo_url,  # noqa: F401 - fixture
    fill,
    go,
    make,
    new_voucher_form,
    opened,
    plain,
    register_numbers,
    run,
    settle,
    vouchers_screen,
)


def table_rows(screen: Any) -> list[list[str]]:
    table = screen.query_one("#register", DataTable)
    return [[cell_text(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def status(screen: Any) -> str:
    return plain(screen.query_one("#register-status", Static))


def count_page_reads(screen: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reads: list[int] = []
    real = screen._fetch_page

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(screen, "_fetch_page", counted)
    return reads


async def save_voucher(pilot: Any, *, line: str, date: str, amount: str, payee: str) -> None:
    form = await new_voucher_form(pilot)
    form.query_one("#vtype", Select).value = "phieu_chi"
    form.query_one("#line", Select).value = line
    fill(form, date=date, amount=amount, payee=payee, content="Chi thử sổ chứng từ")
    await pilot.pause()
    await pilot.press("ctrl+s")
    await closed(pilot, form)


async def fresh_read(pilot: Any, screen: Any) -> list[list[str]]:
    table = screen.query_one("#register", DataTable)
    table.clear()
    screen.reload()
    await settle(pilot, lambda: table.row_count > 0, "the page re-read")
    await screen.app.workers.wait_for_complete()
    await pilot.pause()
    return table_rows(screen)


def test_saved_voucher_takes_its_place_without_a_page_read(
    demo_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await vouchers_screen(pilot)
            reads = count_page_reads(screen, monkeypatch)
            await save_voucher(
                pilot, line="II.4", date="15/08/2024", amount="500.000", payee="Mica [in] [/x]"
            )
            table = screen.query_one("#register", DataTable)
            assert table.row_count == DEMO_VOUCHERS + 1
            assert reads == []  # shown from the post, not from a page re-read
            assert not screen.stale
            numbers = register_numbers(screen)
            assert numbers[21:24] == ["PC-0013", "PC-0018", "UNC-0003"]
            row = table_rows(screen)[22]
            assert (row[0], row[2], row[3], row[6]) == ("PC-0018", "15/08/2024", "II.4", "500.000")
            assert row[4] == "Mica [in] [/x]"  # shown as typed, not read as markup
            assert table.cursor_row == 22
            assert status(screen) == "27 / 27 chứng từ"
            shown = table_rows(screen)
            assert await fresh_read(pilot, screen) == shown
            assert status(screen) == "27 / 27 chứng từ"

    run(body)


def test_a_row_outside_the_filter_or_the_window_only_counts(
    demo_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tui.screens.vouchers import VouchersScreen

    monkeypatch.setattr("tui.screens.vouchers.PAGE", 10)

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await go(pilot, "f4", VouchersScreen, lambda s: s.loaded == 10)
            assert status(screen) == "10 / 26 chứng từ · m: tải thêm"
            # After the ten rows read so far: counted, read with the rest ("m").
            await save_voucher(
                pilot, line="II.4", date="18/12/2024", amount="1.000", payee="Sau cùng"
            )
            assert len(register_numbers(screen)) == 10
            assert status(screen) == "10 / 27 chứng từ · m: tải thêm"
            # Inside them: shown after PC-0005, the last of 05/06/2024.
            await save_voucher(
                pilot, line="II.4", date="05/06/2024", amount="2.000", payee="Giữa trang"
            )
            numbers = register_numbers(screen)
            assert numbers[4:7] == ["PC-0005", "PC-0019", "UNC-0001"]
            assert len(numbers) == 11
            assert status(screen) == "11 / 28 chứng từ · m: tải thêm"
            assert await fresh_read(pilot, screen) == table_rows(screen)[:10]

            # Filtered on II.3, a voucher on II.4 is not in the register at all.
            screen.filter_line("II.3")
            await settle(pilot, lambda: register_numbers(screen) == ["TU-0001", "TT-0001"])
            await save_voucher(
                pilot, line="II.4", date="10/12/2024", amount="3.000", payee="Ngoài bộ lọc"
            )
            assert register_numbers(screen) == ["TU-0001", "TT-0001"]
            assert status(screen) == "2 / 2 chứng từ"

    run(body)


def test_another_writer_meanwhile_means_a_page_read(
    demo_url: str,  # noqa: F811
) -> None:
    from budget.clock import today
    from budget.db import open_database
    from budget.services.vouchers import post_voucher

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await vouchers_screen(pilot)
            campaign = app.backend.campaign()
            other = open_database(demo_url)  # another accountant's session
            try:
                with other.session() as session, session.begin():
                    post_voucher(
                        session,
                        campaign,
                        line_code="II.4",
                        amount=4_000,
                        entry_date=today(),
                        payee="Người khác",
                        content="Ghi từ máy khác",
                        actor="khac",
                    )
            finally:
                other.dispose()
            await save_voucher(pilot, line="II.4", date="19/12/2024", amount="5.000", payee="Ở đây")
            await settle(pilot, lambda: len(register_numbers(screen)) == DEMO_VOUCHERS + 2)
            assert register_numbers(screen)[-2:] == ["PC-0019", "PC-0018"]  # 19/12, 20/12
            assert status(screen) == "28 / 28 chứng từ"

    run(body)


# -- the helper ------------------------------------------------------------------------------
class _Table(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable()


@pytest.mark.parametrize(
    ("index", "order"),
    [(0, ["x", "a", "b", "c"]), (2, ["a", "b", "x", "c"]), (3, ["a", "b", "c", "x"])],
)
def test_insert_row_puts_the_row_at_its_index(index: int, order: list[str]) -> None:
    from tui.widgets.table_rows import insert_row

    async def body() -> None:
        app = _Table()
        async with app.run_test() as pilot:
            table = app.query_one(DataTable)
            table.add_column("v")
            for key in "abc":
                table.add_row(key.upper(), key=key)
            insert_row(table, index, "X", key="x")
            await pilot.pause()
            assert [row.key.value for row in table.ordered_rows] == order
            assert [table.get_row_at(i)[0] for i in range(4)] == [k.upper() for k in order]
            assert table.get_row("x") == ["X"]

    run(body)
