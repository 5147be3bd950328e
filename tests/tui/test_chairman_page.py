"""The TUI chairman's page (what `budget serve` shows in a browser) shows the same
hand-worked figures and alerts as the JSON and the Excel sheet
(tests/chairman_scenario.py; tests/unit/test_chairman_page.py checks those)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets import Static

from tests import chairman_scenario as sc
from tests.conftest import run_cli


@pytest.fixture
def chair_url(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("BUDGET_NOW", sc.NOW)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    for args in sc.STEPS:
        result = run_cli("--db", db_url, *args)
        assert result.code == 0, (args, result.err)
    yield db_url
    monkeypatch.undo()
    time.tzset()


def _plain(widget: Any) -> str:
    rendered = widget.render()
    return getattr(rendered, "plain", str(rendered))


def test_the_page_shows_the_hand_worked_figures_and_alerts(chair_url: str) -> None:
    from tui.app import make_app
    from tui.screens.summary import SummaryScreen

    async def body() -> None:
        app = make_app(db=chair_url, summary=True)
        async with app.run_test(size=(120, 36)) as pilot:
            deadline = time.monotonic() + 20
            while True:
                screen = app.screen
                if isinstance(screen, SummaryScreen):
                    heading = _plain(screen.query_one("#summary-heading", Static))
                    if "10.550.000" in heading:
                        break
                assert time.monotonic() < deadline, "the page never showed its figures"
                await pilot.pause(0.1)
            await pilot.pause(0.2)
            assert sc.AS_OF_LINE in heading
            assert (
                "Dự toán 10.550.000 · Đã chi 3.560.000 · Tạm ứng 3.300.000 · "
                "Còn lại 3.690.000 · Đã dùng 65,0 %"
            ) in heading
            parts = _plain(screen.query_one("#summary-parts", Static))
            assert "92,9 %" in parts and "6.500.000 / 7.000.000" in parts
            assert "10,1 %" in parts and "360.000 / 3.550.000" in parts
            chart = _plain(screen.query_one("#summary-months"))
            assert chart.splitlines()[0].startswith("2.000.000┤")  # the peak: June
            assert "Cộng 3.560.000 · cao nhất T6: 2.000.000" in chart
            alerts = _plain(screen.query_one("#summary-alerts", Static))
            titles = [line for line in alerts.splitlines() if line.startswith("●")]
            assert titles == [
                "● Dòng vượt dự toán (1)",
                "● Chứng từ chi vượt dự toán có lý do (1)",
                "● Tạm ứng chưa thanh toán (1)",
                "● Quyết định khen thưởng chưa chi (1)",
                "● Dòng đã dùng hết dự toán (100 %) (1)",
                "● Dòng đã dùng từ 80 % đến dưới 100 % (1)",
            ]
            rows = {line.split()[0]: line for line in alerts.splitlines() if line.startswith("  ")}
            assert "120,0 %" in rows["I.3"] and "còn -200.000" in rows["I.3"]
            assert "1.200.000" in rows["PC-0002"] and "Tăng số đại biểu" in rows["PC-0002"]
            assert "3.300.000" in rows["TU-0001"] and "188 ngày" in rows["TU-0001"]
            assert "720.000" in rows["31/QĐ-UBND"] and "2 người" in rows["31/QĐ-UBND"]
            assert "100,0 %" in rows["I.1"]
            assert "82,5 %" in rows["I.2"] and "còn 700.000" in rows["I.2"]
            box = screen.query_one("#summary-alerts-box")
            assert box.border_title == "Cần chú ý (6)"

    asyncio.run(body())
