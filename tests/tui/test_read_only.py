"""`budget tui --summary --read-only`: the chairman's view that `budget serve`
puts in a browser. The figures show as usual; a voucher typed in full is
refused with one Vietnamese line and the register keeps its 26 vouchers;
settings and exports (a file written on the server) are refused before any
dialog opens. Run with Pilot on the demo year (see test_workflows.py)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Select, Static

from budget.db import READ_ONLY_MESSAGE
from tests.tui.test_workflows import (
    DEMO_VOUCHERS,
    SIZE,
    demo_url,  # noqa: F401 - fixture
    fill,
    make,
    new_voucher_form,
    opened,
    plain,
    run,
    settle,
    voucher_count,
    vouchers_screen,
)


def notices(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


def test_the_chairman_sees_the_summary_marked_read_only(demo_url: str) -> None:  # noqa: F811
    async def body() -> None:
        from tui.screens.summary import SummaryScreen

        app = make(demo_url, summary=True, read_only=True)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            assert isinstance(app.screen, SummaryScreen)
            heading = app.screen.query_one("#summary-heading", Static)
            await settle(pilot, lambda: "71.817.500" in plain(heading), "the summary figures")
            assert app.sub_title.startswith("cqtt-2024 · chỉ xem · ")

            for key in ("f10", "f8"):
                await pilot.press(key)
                await pilot.pause()
                assert isinstance(app.screen, SummaryScreen), key  # no dialog opened
            assert notices(app) == [READ_ONLY_MESSAGE, READ_ONLY_MESSAGE]

    run(body)


def test_a_voucher_typed_in_full_is_refused(demo_url: str) -> None:  # noqa: F811
    async def body() -> None:
        app = make(demo_url, read_only=True)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await vouchers_screen(pilot)
            form = await new_voucher_form(pilot)
            form.query_one("#vtype", Select).value = "phieu_chi"
            form.query_one("#line", Select).value = "II.4"
            fill(
                form,
                date="18/12/2024",
                amount="500.000",
                payee="Cơ sở mica Phú Lý",
                content="Hộp thư góp ý mica đặt tại trụ sở",
            )
            await pilot.pause()
            await pilot.press("ctrl+s")
            error = form.query_one("#form-error", Static)
            await settle(pilot, lambda: plain(error) == READ_ONLY_MESSAGE, "the refusal")
            assert app.screen is form  # still open, nothing saved

    run(body)
    assert voucher_count(demo_url) == DEMO_VOUCHERS
