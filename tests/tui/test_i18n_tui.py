"""The TUI in English when the user asked for it (the catalogue's texts, read by
hand from budget/locale/en/LC_MESSAGES/budget.po), Vietnamese otherwise."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Select

from budget.i18n import saved_language, set_language
from tests.tui.test_screens_defects import SIZE, alive, demo_db
from tests.tui.test_screens_wave3 import screen_lines
from tests.tui.test_workflows import closed, modal, opened, run, settle

__all__ = ["demo_db"]


def test_fkey_bar_in_english() -> None:
    from tui.widgets.keybar import fkey_text

    set_language("en")
    wide = fkey_text(200).plain
    assert wide.startswith("F1 Help  F2 Overview  F3 Estimate  F4 Vouchers  F5 Awards")
    assert "F8 Export  F9 Audit log  F10 Settings" in wide
    set_language("vi")
    assert fkey_text(200).plain.startswith("F1 Trợ giúp  F2 Tổng quan")


def test_screens_keys_and_columns_in_english(demo_db: str) -> None:  # noqa: F811
    from tests.tui.test_workflows import make
    from tui.screens.vouchers import VouchersScreen

    set_language("en")

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            assert app.title == "Emulation movement funding"
            await pilot.press("f4")
            await settle(pilot, lambda: isinstance(app.screen, VouchersScreen), "vouchers")
            table = app.screen.query_one(DataTable)
            await settle(pilot, lambda: table.row_count > 0, "the register")
            labels = [str(column.label) for column in table.columns.values()]
            assert labels[:4] == ["Number", "Type", "Date", "Line"]
            assert "Amount" in labels and "Status" in labels
            await settle(pilot, lambda: "New voucher" in screen_lines(app)[-1], "the footer")
            bottom = "\n".join(screen_lines(app)[-2:])
            assert "Chứng từ mới" not in bottom
            assert "F1 Help F2 Overview" in bottom
            assert (
                " x Reverse voucher  t Settle advance  i Import file  / Search  ^q Quit" in bottom
            )
            await alive(pilot)

    run(body)


def test_settings_dialog_saves_the_language_for_the_next_start(demo_db: str) -> None:  # noqa: F811
    from tests.tui.test_workflows import make
    from tui.modals.settings import SettingsDialog

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.press("f10")
            dialog: Any = await modal(pilot, SettingsDialog)
            await settle(
                pilot, lambda: dialog.query_one("#commune_name").value != "", "the settings"
            )
            assert dialog.query_one("#interface_lang", Select).value == "vi"
            dialog.query_one("#interface_lang", Select).value = "en"
            await pilot.press("ctrl+s")
            await closed(pilot, dialog)
            await alive(pilot)

    run(body)
    assert saved_language() == "en"
