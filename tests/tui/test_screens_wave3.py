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
                bottom = "".join(screen_lines(app)[-4:])  # the keys may take 2 lines
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


# -- item 8: go to a voucher number ----------------------------------------------------------
def test_goto_a_voucher_number_reads_its_page_by_keyset(
    demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages of 10 over 26 vouchers: PC-0013 is the 22nd by date, so `g` shows the
    third page (rows 21-26) with the cursor on PC-0013, the row after PC-0012-H.
    No page is read with an OFFSET. An unknown number says so in Vietnamese."""
    import budget.reports.register as register
    import tui.screens.vouchers as vouchers_module
    from tui.modals.simple import AskDialog
    from tui.screens.vouchers import VouchersScreen

    monkeypatch.setattr(vouchers_module, "PAGE", 10)
    offsets: list[int] = []
    real = register.list_vouchers

    def spy(*args: Any, **kwargs: Any) -> Any:
        offsets.append(kwargs.get("offset", 0))
        return real(*args, **kwargs)

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await go(pilot, "f4", VouchersScreen, lambda s: s.loaded == 10)
            monkeypatch.setattr(register, "list_vouchers", spy)
            await pilot.press("g")
            ask = await modal(pilot, AskDialog)
            ask.query_one("#answer", Input).value = "pc-0013"
            await pilot.press("enter")
            await settle(pilot, lambda: screen.start == 20, "the page of PC-0013")
            await app.workers.wait_for_complete()
            await pilot.pause(0.1)
            table = screen.query_one("#register", DataTable)
            assert [cell(table.get_row_at(i)[0]) for i in range(2)] == ["PC-0012-H", "PC-0013"]
            assert table.row_count == 6
            assert cell(table.get_row_at(table.cursor_row)[0]) == "PC-0013"
            status = text_of(screen.query_one("#register-status", Static))
            assert status.startswith("21–26 / 26")
            assert offsets and set(offsets) == {0}

            await pilot.press("g")
            ask = await modal(pilot, AskDialog)
            ask.query_one("#answer", Input).value = "PC-9999"
            await pilot.press("enter")
            await settle(
                pilot,
                lambda: "Không có chứng từ số «PC-9999» trong sổ." in notices(app),
                "the message",
            )
            assert cell(table.get_row_at(table.cursor_row)[0]) == "PC-0013"
            await alive(pilot)

    run(body)


# -- item 9: messages ----------------------------------------------------------------------
def test_audit_log_reads_in_vietnamese_local_time_and_names(
    demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The newest demo entries: PC-0017 posted (08:00 UTC = 15:00 in Hà Nội) by the
    login "kiemthu", whose display name is Trần Thị Thu Hà. Before: "post", raw JSON,
    "20/12/2024 08:00" and "kiemthu"."""
    import time

    from tests.tui.test_workflows import db_session
    from tui.screens.audit import AuditScreen

    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        from budget.models.membership import Membership

        with db_session(demo_db) as s:
            s.add(
                Membership(
                    rolname="kiemthu",
                    organisation_id=1,
                    role="accountant",
                    display_name="Trần Thị Thu Hà",
                )
            )
            s.commit()

        async def body() -> None:
            app = make(demo_db)
            async with app.run_test(size=SIZE) as pilot:
                await opened(pilot)
                screen = await go(pilot, "f9", AuditScreen, lambda s: s.entries)
                table = screen.query_one("#audit", DataTable)
                rows = [[cell(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
                post = next(r for r in rows if "PC-0017" in r[4])
                assert post[1:4] == ["20/12/2024 15:00", "Trần Thị Thu Hà", "Ghi chứng từ"]
                table.move_cursor(row=rows.index(post))
                await pilot.pause(0.1)
                detail = text_of(screen.query_one("#audit-detail", Static))
                assert "Số tiền: 1.080.000 đồng" in detail
                assert "Ngày: 12/12/2024" in detail
                assert "Người nhận: Tiệm photocopy Hồng Nhung" in detail
                assert "Loại: Phiếu chi" in detail
                assert "{" not in detail and '"amount"' not in detail

        run(body)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_line_dialog_reads_the_amount_in_the_organisations_dialect(demo_db: str) -> None:
    """With "nam" (Miền Nam) 1 × 1.005.000 reads "... không trăm lẻ năm ngàn đồng";
    before, the dialog always read it "linh ... nghìn"."""
    from tests.conftest import run_cli
    from tests.tui.test_screens_defects import open_line_edit
    from tui.modals.line_form import PRICE_TYPED
    from tui.widgets.money_input import MoneyInput

    result = run_cli("--db", demo_db, "org", "set", "--dialect", "nam")
    assert result.code == 0, result.err

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            form = await open_line_edit(pilot, demo_db)
            from textual.widgets import Select

            form.query_one("#norm", Select).value = PRICE_TYPED
            await pilot.pause(0.1)
            form.query_one("#quantity", Input).value = "1"
            form.query_one("#multiplier", Input).value = ""
            form.query_one("#price", MoneyInput).value = "1.005.000"
            await pilot.pause(0.2)
            live = text_of(form.query_one("#live", Static))
            assert "Thành tiền: 1.005.000 đồng — Một triệu không trăm lẻ năm ngàn đồng" in live

    run(body)


async def voucher_form(pilot: Any) -> Any:
    from tui.modals.voucher_form import VoucherForm
    from tui.screens.vouchers import VouchersScreen

    await go(pilot, "f4", VouchersScreen, lambda s: s.loaded == 26)
    await pilot.press("n")
    form = await modal(pilot, VoucherForm)
    await settle(pilot, lambda: form.balances, "the form's lines")
    from textual.widgets import Select

    form.query_one("#line", Select).value = "IV.2"  # 1.350.000 left
    for field, value in {"payee": "Tiệm photocopy Hồng Nhung", "content": "In giấy mời"}.items():
        form.query_one(f"#{field}", Input).value = value
    await pilot.pause(0.1)
    return form


def form_error(form: Any) -> str:
    return text_of(form.query_one("#form-error", Static))


def test_voucher_form_says_which_field_and_why_like_the_cli(demo_db: str) -> None:
    """The CLI's words: «Ngày chứng từ» «31/02/2024» không phải ngày có thật; the
    amount's ceiling. Before: "Ngày không hợp lệ (dd/mm/yyyy)." and "Số tiền không hợp
    lệ.". The error stays while another field is edited and clears when its field is
    fixed; it is shown once on the screen."""

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            form = await voucher_form(pilot)
            form.query_one("#date", Input).value = "31/02/2024"
            form.query_one("#amount", Input).value = "100.000"
            await pilot.press("ctrl+s")
            await pilot.pause(0.1)
            date_message = "«Ngày chứng từ» «31/02/2024» không phải ngày có thật."
            assert form_error(form) == date_message
            assert sum(line.count(date_message) for line in screen_lines(app)) == 1
            form.query_one("#content", Input).value = "In giấy mời hội nghị"
            await pilot.pause(0.1)
            assert form_error(form) == date_message  # not fixed yet
            form.query_one("#date", Input).value = "28/02/2024"
            await pilot.pause(0.1)
            assert form_error(form) == ""

            form.query_one("#amount", Input).value = "99999999999999999999"
            await pilot.press("ctrl+s")
            await pilot.pause(0.1)
            assert form_error(form) == (
                "Số tiền «99999999999999999999» quá lớn (tối đa 999.999.999.999.999 đồng)."
            )
            await alive(pilot)

    run(body)


def test_register_says_an_unknown_line(demo_db: str) -> None:
    """Filtering on IX.9 (no such line): before, an empty register and nothing else."""
    from tui.screens.vouchers import VouchersScreen

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await go(pilot, "f4", VouchersScreen, lambda s: s.loaded == 26)
            screen.filter_line("IX.9")
            await settle(pilot, lambda: screen.total == 0, "the filtered register")
            await pilot.pause(0.1)
            status = text_of(screen.query_one("#register-status", Static))
            assert status == "0 / 0 chứng từ · Không có dòng «IX.9» trong dự toán đã phê duyệt."
            screen.filter_line("IV.2")  # a real line with nothing spent: no complaint
            await settle(
                pilot,
                lambda: "IX.9" not in text_of(screen.query_one("#register-status", Static)),
                "the next filter",
            )

    run(body)


def test_line_dialog_error_shown_once_and_cleared_when_fixed(demo_db: str) -> None:
    """A bad quantity: before, its message showed twice (the amount line and the error
    line) after Ctrl+S. Now once, in the error line; "2" clears it."""
    from tests.tui.test_screens_defects import open_line_edit

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            form = await open_line_edit(pilot, demo_db)
            form.query_one("#quantity", Input).value = "abc"
            await pilot.pause(0.1)
            await pilot.press("ctrl+s")
            await pilot.pause(0.2)
            message = "«Số lượng» «abc» không hợp lệ"
            assert form_error(form).startswith(message)
            assert sum(line.count(message) for line in screen_lines(app)) == 1
            form.query_one("#quantity", Input).value = "2"
            await pilot.pause(0.1)
            assert form_error(form) == ""
            assert "Thành tiền: " in text_of(form.query_one("#live", Static))

    run(body)


def test_future_voucher_date_asks_first(demo_db: str) -> None:
    """Today is 20/12/2024; a voucher dated 25/12/2024 asks before it is posted."""
    from tests.tui.test_workflows import voucher_count
    from tui.modals.simple import ConfirmDialog

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            form = await voucher_form(pilot)
            form.query_one("#date", Input).value = "25/12/2024"
            form.query_one("#amount", Input).value = "50.000"
            await pilot.pause(0.1)
            await pilot.press("ctrl+s")
            ask = await modal(pilot, ConfirmDialog)
            assert ask.question == (
                "«Ngày chứng từ» 25/12/2024 là ngày sau hôm nay (20/12/2024). Vẫn ghi ngày này?"
            )
            await pilot.press("escape")  # no: back to the form, nothing posted
            await settle(pilot, lambda: app.screen is form, "back to the form")
            assert voucher_count(demo_db) == 26
            await pilot.press("ctrl+s")
            await modal(pilot, ConfirmDialog)
            await pilot.press("ctrl+s")  # yes
            await settle(pilot, lambda: voucher_count(demo_db) == 27, "posted")
            assert "Đã ghi chứng từ." in notices(app)

    run(body)
