"""Tổng hợp tỉnh (F11): the province reviewer's roll-up, read-only.

The office is tests/unit/test_province_report.build_province. Worked out by hand:

  Xã An Hòa (ninh-binh)
    cqtt-ah: 3.000.000 + 100 × 12.000 + 2.000.000 = 6.200.000 approved;
             paid 1.000.000 + 500.000 = 1.500.000, advance 300.000 open,
             remaining 6.200.000 - 1.500.000 - 300.000 = 4.400.000
    du-phong: a draft, never approved -> 0 everywhere, marked (chưa duyệt)
    fund: 10.000.000 + 2.000.000 - 500.000 (II.1, Mục 6249) = 11.500.000
  Xã Bình Lợi (ninh-binh)
    cqtt-bl: 5.000.000 adjusted to 4.000.000, paid 1.250.000 -> remaining 2.750.000;
             no fund register -> 0
  Xã Cầu Giấy is in ha-nam: never on ninh-binh's page.
  TỔNG CỘNG: 10.200.000 · 2.750.000 · 300.000 · 7.150.000 · fund 11.500.000

On SQLite there are no logins: the reviewer is stood in for by the workspace's
reviewer_provinces (what PostgreSQL's budget_reviewer_provinces() returns). The
real reviewer login is tests/tui/test_province_reviewer_pg.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable, Static

from budget.workspace import Workspace
from tests.tui.test_workflows import cell_text, make, opened, plain, run, settle
from tests.unit.test_province_report import build_province


@pytest.fixture
def office(database: Any, norms: Any) -> str:
    build_province(database, norms)
    return str(database.url)


@pytest.fixture
def as_reviewer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The login reviews ninh-binh (on SQLite: said by the workspace itself)."""
    monkeypatch.setattr(Workspace, "reviewer_provinces", property(lambda self: ("ninh-binh",)))


def rows_of(screen: Any) -> dict[str, list[str]]:
    table = screen.query_one("#province", DataTable)
    return {key.value: [cell_text(c) for c in table.get_row(key)] for key in table.rows}


async def province_screen(pilot: Any) -> Any:
    from tui.screens.province import ProvinceScreen

    app = pilot.app
    await opened(pilot)
    await settle(pilot, lambda: isinstance(app.screen, ProvinceScreen), "the province screen")
    screen = app.screen
    await settle(pilot, lambda: screen.report is not None, "the roll-up")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def test_the_reviewer_starts_on_the_roll_up_with_the_hand_worked_figures(
    office: str, as_reviewer: None
) -> None:
    seen: dict[str, Any] = {}

    async def body() -> None:
        app = make(office)
        async with app.run_test(size=(120, 36)) as pilot:
            screen = await province_screen(pilot)  # no key pressed: where a reviewer starts
            seen["rows"] = rows_of(screen)
            seen["heading"] = plain(screen.query_one("#province-heading", Static))
            seen["fund"] = plain(screen.query_one("#province-fund", Static))
            seen["read_only"] = app.backend.read_only
            await pilot.press("t")  # one province: nothing to go on to
            await pilot.pause()
            assert rows_of(screen) == seen["rows"]

    run(body)
    rows = seen["rows"]
    # Unit, plan, Đã duyệt, Đã chi, Tạm ứng, Còn lại, Số dư quỹ
    assert list(rows) == [
        "an-hoa/cqtt-ah",
        "an-hoa/du-phong",
        "an-hoa/__total__",
        "binh-loi/cqtt-bl",
        "binh-loi/__total__",
        "__total__",
    ]
    assert rows["an-hoa/cqtt-ah"] == [
        "Xã An Hòa",
        "cqtt-ah · Kế hoạch năm 2024",
        "6.200.000",
        "1.500.000",
        "300.000",
        "4.400.000",
        "",
    ]
    assert rows["an-hoa/du-phong"] == [
        "",
        "du-phong · Kế hoạch năm 2024 (chưa duyệt)",
        "0",
        "0",
        "0",
        "0",
        "",
    ]
    assert rows["an-hoa/__total__"] == [
        "Xã An Hòa",
        "Cộng",
        "6.200.000",
        "1.500.000",
        "300.000",
        "4.400.000",
        "11.500.000",
    ]
    assert rows["binh-loi/cqtt-bl"][2:] == ["4.000.000", "1.250.000", "0", "2.750.000", ""]
    assert rows["binh-loi/__total__"] == [
        "Xã Bình Lợi",
        "Cộng",
        "4.000.000",
        "1.250.000",
        "0",
        "2.750.000",
        "0",
    ]
    assert rows["__total__"] == [
        "TỔNG CỘNG",
        "2 đơn vị, 3 kế hoạch",
        "10.200.000",
        "2.750.000",
        "300.000",
        "7.150.000",
        "11.500.000",
    ]
    assert "Cầu Giấy" not in str(rows)
    assert seen["heading"] == (
        "Tổng hợp kinh phí các xã, phường năm 2024 · tỉnh Ninh Bình · 2 đơn vị, 3 kế hoạch"
        " · chỉ xem"
    )
    assert seen["fund"] == (
        "Quỹ thi đua, khen thưởng của các đơn vị: nguồn 12.000.000 · đã chi 500.000 · "
        "tạm ứng 0 · số dư 11.500.000 đồng"
    )
    assert seen["read_only"]


def test_at_80_columns_the_advances_give_way_and_every_amount_stays_whole(
    office: str, as_reviewer: None
) -> None:
    seen: dict[str, Any] = {}

    async def body() -> None:
        app = make(office)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await province_screen(pilot)
            table = screen.query_one("#province", DataTable)
            seen["rows"] = rows_of(screen)
            seen["headings"] = [cell_text(c.label) for c in table.columns.values()]
            seen["width"] = sum(c.get_render_width(table) for c in table.columns.values())

    run(body)
    assert seen["headings"] == ["Đơn vị", "Kế hoạch", "Đã duyệt", "Đã chi", "Còn lại", "Số dư quỹ"]
    assert seen["rows"]["__total__"][2:] == ["10.200.000", "2.750.000", "7.150.000", "11.500.000"]
    assert seen["rows"]["an-hoa/__total__"][2:] == [
        "6.200.000",
        "1.500.000",
        "4.400.000",
        "11.500.000",
    ]
    assert seen["width"] <= 80 - 2  # the table fits beside its scrollbar
    # Narrow, a plan is its code; the communes' names stay whole.
    assert [r[:2] for r in seen["rows"].values()] == [
        ["Xã An Hòa", "cqtt-ah"],
        ["", "d… (chưa duyệt)"],
        ["Xã An Hòa", "Cộng"],
        ["Xã Bình Lợi", "cqtt-bl"],
        ["Xã Bình Lợi", "Cộng"],
        ["TỔNG CỘNG", "2 đơn vị, 3 kế…"],
    ]


def test_a_commune_user_is_not_offered_the_roll_up(office: str) -> None:
    """Not a reviewer: F11 says where the commune's figures are, the palette does
    not list it, and the app starts on the dashboard as always."""
    from tui.screens.dashboard import DashboardScreen

    seen: dict[str, Any] = {}

    async def body() -> None:
        app = make(office)
        async with app.run_test(size=(120, 36)) as pilot:
            await opened(pilot)
            await pilot.press("f11")
            await pilot.pause()
            seen["screen"] = type(app.screen)
            seen["notes"] = [n.message for n in app._notifications]
            seen["commands"] = [c.title for c in app.get_system_commands(app.screen)]

    run(body)
    assert seen["screen"] is DashboardScreen
    assert seen["notes"][-1] == (
        "Tổng hợp tỉnh dành cho người rà soát cấp tỉnh; số liệu của xã xem ở Các kế hoạch (F12)."
    )
    assert "Mở: Các kế hoạch" in seen["commands"]
    assert "Mở: Tổng hợp tỉnh" not in seen["commands"]


def test_the_reviewer_s_palette_lists_the_roll_up(office: str, as_reviewer: None) -> None:
    seen: dict[str, Any] = {}

    async def body() -> None:
        app = make(office)
        async with app.run_test(size=(120, 36)) as pilot:
            await province_screen(pilot)
            seen["commands"] = [c.title for c in app.get_system_commands(app.screen)]

    run(body)
    assert "Mở: Tổng hợp tỉnh" in seen["commands"]
