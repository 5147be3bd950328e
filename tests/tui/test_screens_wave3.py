"""Issue 16, items 7-9, what remained after the first waves: the F-keys at 80×24,
going to a voucher number, and messages as precise as the CLI's. Each test drives
the app with Pilot on the demo year (UBND xã Phú Lý, 2024, "today" 20/12/2024).

Figures worked out by hand from budget/demo.py: 26 vouchers; in date order the
first is PC-0001 and the last PC-0017."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from tests.tui.test_screens_defects import SIZE, SMALL, alive, cell, demo_db, notices, text_of
from tests.tui.test_workflows import go, make, modal, opened, run, settle

__all__ = ["demo_db"]  # the fixture, re-used


def screen_lines(app: Any) -> list[str]:
    """The screen as the user sees it, one string per terminal row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


# -- item 7: the global keys at 80×24 ------------------------------------------------------
SCREEN_KEYS = [
    ("f2", "DashboardScreen"),
    ("f3", "EstimateScreen"),
    ("f4", "VouchersScreen"),
    ("f5", "AwardsScreen"),
    ("f6", "ReconcileScreen"),
    ("f7", "SummaryScreen"),
    ("f9", "AuditScreen"),
]


def test_every_fkey_is_visible_at_80x24(demo_db: str) -> None:
    """Before: the footer ended at about F4 and never showed F8 or F10 below 200
    columns. Now every screen's bottom rows name all ten F-keys."""

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SMALL) as pilot:
            await opened(pilot)
            for key, name in SCREEN_KEYS:
                await pilot.press(key)
                await settle(pilot, lambda n=name: type(app.screen).__name__ == n, name)
                await pilot.pause(0.2)
                bottom = "".join(screen_lines(app)[-2:])
                for label in ("1Giúp", "4Chứng từ", "8Xuất", "9Nhật ký", "10Cài đặt"):
                    assert label in bottom, f"{name}: {label!r} not in {bottom!r}"
            await pilot.press("f10")  # and the keys work from the bar's screens
            from tui.modals.settings import SettingsDialog

            await modal(pilot, SettingsDialog)
            await alive(pilot)

    run(body)


def test_fkey_bar_uses_full_labels_when_wide() -> None:
    from tui.widgets.keybar import fkey_text

    wide = fkey_text(200).plain
    assert wide.startswith("F1 Trợ giúp  F2 Tổng quan")
    assert "F8 Xuất Excel  F9 Nhật ký  F10 Thiết lập" in wide
    narrow = fkey_text(80).plain
    assert len(narrow) <= 80
    assert narrow.endswith("8Xuất9Nhật ký10Cài đặt")
