"""Every key a screen shows fits at 80 columns (issue 15): Textual's footer cut
the register's keys off after "t Thanh toán tạm ứng", so "i Nhập tệp" and
"/ Tìm" were never seen at 80×24. The footer now wraps onto a second line."""

from __future__ import annotations

from typing import Any

from budget.i18n import set_language, tr
from tests.tui.test_screens_defects import SMALL, alive, demo_db
from tests.tui.test_screens_wave3 import SCREEN_KEYS, screen_lines
from tests.tui.test_workflows import make, opened, run, settle
from tui.widgets.keybar import key_rows

__all__ = ["demo_db"]

#: The register's keys as a user reads them, in the screen's order.
REGISTER_KEYS_VI = [
    "n Chứng từ mới",
    "g Tới số",
    "x Hủy chứng từ",
    "t Thanh toán tạm ứng",
    "i Nhập tệp",
    "/ Tìm",
    "^q Thoát",
    "^p Bảng lệnh",
]
REGISTER_KEYS_EN = [
    "n New voucher",
    "g Go to number",
    "x Reverse voucher",
    "t Settle advance",
    "i Import file",
    "/ Search",
    "^q Quit",
]


def test_key_rows_flow_in_order() -> None:
    # widths 30, 30, 30, 10 over 80 columns with 15 kept for the palette: 30+30
    # fit the first row (65), the third goes down, the fourth joins it (40)
    assert key_rows([30, 30, 30, 10], 80, 15) == [[0, 1], [2, 3]]
    assert key_rows([10, 10], 80, 15) == [[0, 1]]
    assert key_rows([90, 5], 80, 0) == [[0], [1]]  # too wide: a row of its own


def footer_text(app: Any) -> str:
    """The bottom lines below the F-key bar (the screen's own keys)."""
    lines = screen_lines(app)
    fkeys = max(i for i, line in enumerate(lines) if "10" in line and line.startswith("1"))
    return "\n".join(lines[fkeys + 1 :])


def shown_keys(app: Any) -> list[str]:
    """'key description' of every binding the screen shows, worked out from the
    bindings themselves (one per action), plus the command palette's key."""
    seen: dict[str, str] = {}
    for _node, binding, _enabled, _tip in app.screen.active_bindings.values():
        if binding.show and binding.action not in seen:
            seen[binding.action] = f"{app.get_key_display(binding)} {tr(binding.description)}"
    return list(seen.values())


def test_register_keys_all_visible_at_80_columns(demo_db: str) -> None:  # noqa: F811
    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SMALL) as pilot:
            await opened(pilot)
            await pilot.press("f4")
            await settle(pilot, lambda: type(app.screen).__name__ == "VouchersScreen")
            await settle(pilot, lambda: "i Nhập tệp" in footer_text(app), "the register's keys")
            bottom = footer_text(app)
            for key in REGISTER_KEYS_VI:
                assert key in bottom, f"{key!r} not in {bottom!r}"
            rows = bottom.splitlines()
            assert len(rows) == 2, rows  # two lines, each within 80 columns
            assert rows[0].rstrip().endswith("^p Bảng lệnh")
            assert all(len(row) <= 80 for row in rows)
            # in the screen's order: the first line up to "t", the rest below
            assert rows[1].strip() == "i Nhập tệp  / Tìm  ^q Thoát"
            await alive(pilot)

    run(body)


def test_register_keys_all_visible_at_80_columns_in_english(demo_db: str) -> None:  # noqa: F811
    set_language("en")

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SMALL) as pilot:
            await opened(pilot)
            await pilot.press("f4")
            await settle(pilot, lambda: type(app.screen).__name__ == "VouchersScreen")
            await settle(pilot, lambda: "New voucher" in footer_text(app), "the keys")
            bottom = footer_text(app)
            for key in REGISTER_KEYS_EN:
                assert key in bottom, f"{key!r} not in {bottom!r}"

    try:
        run(body)
    finally:
        set_language("vi")


def test_every_screens_keys_visible_at_80_columns(demo_db: str) -> None:  # noqa: F811
    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SMALL) as pilot:
            await opened(pilot)
            for key, name in SCREEN_KEYS:
                await pilot.press(key)
                await settle(pilot, lambda n=name: type(app.screen).__name__ == n, name)
                await pilot.pause(0.3)
                wanted = shown_keys(app)
                assert "^q Thoát" in wanted
                await settle(
                    pilot,
                    lambda w=wanted: all(k in footer_text(app) for k in w),
                    f"{name}: {wanted} in {footer_text(app)!r}",
                )
                assert "^p Bảng lệnh" in footer_text(app)
            await alive(pilot)

    run(body)


def test_fkey_bar_in_english_keeps_f10_at_80_columns() -> None:
    """English "9Audit log" made the bar 84 columns: F10 fell off. The longest
    label of several words keeps its first word: 5+9+9+9+7+10+8+7+6+10 = 80."""
    from tui.widgets.keybar import fkey_text

    set_language("en")
    try:
        assert fkey_text(80).plain == (
            "1Help2Overview3Estimate4Vouchers5Awards6Reconcile7Summary8Export9Audit10Settings"
        )
    finally:
        set_language("vi")
    assert fkey_text(80).plain == (
        "1Giúp2Tổng quan3Dự toán4Chứng từ5Thưởng6Đối chiếu7Tổng hợp8Xuất9Nhật ký10Cài đặt"
    )
