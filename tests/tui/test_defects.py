"""Defects a new accountant hit (issue 16), each driven through the app with Pilot
and checked on the DATABASE. Figures are from budget/demo.py (UBND xã Phú Lý, 2024):

* II.1 "Pano tuyên truyền": 3 × 1.850.000 = 5.550.000, Tiểu mục 6600 (a Mục
  with no parent in templates/norms/budget_codes.toml).
* I.1 "Trang trí khánh tiết": approved 1.650.000, PC-0001 of 1.650.000 posted on
  it on 15/03/2024 (the launch conference).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Select, Static

from tests.tui.test_workflows import (
    SIZE,
    agree,
    closed,
    cursor_to,
    db_session,
    demo_url,  # noqa: F401 - fixture
    go,
    make,
    modal,
    opened,
    run,
    settle,
)


def _adjustment_draft(url: str) -> None:
    """Open an adjustment (version 3, a draft copy of the approved version 2)."""
    from budget.services import approval
    from budget.services.campaigns import find_campaign

    with db_session(url) as s, s.begin():
        approval.adjust(s, find_campaign(s).id, actor="kiemthu", reason="Thử")


def _line(url: str, version_no: int, code: str) -> Any:
    from budget.models import EstimateLine, EstimateVersion

    with db_session(url) as s:
        return s.execute(
            select(EstimateLine)
            .join(EstimateVersion, EstimateVersion.id == EstimateLine.version_id)
            .where(EstimateVersion.version_no == version_no, EstimateLine.code == code)
        ).scalar_one_or_none()


async def _estimate(pilot: Any) -> Any:
    from tui.screens.estimate import EstimateScreen

    return await go(
        pilot, "f3", EstimateScreen, lambda s: s.query_one("#estimate", DataTable).row_count > 0
    )


# -- 1. editing a line booked to 6600 ---------------------------------------------------
def test_edit_line_with_code_6600(demo_url: str) -> None:  # noqa: F811
    from tui.modals.line_form import LineForm

    _adjustment_draft(demo_url)

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await _estimate(pilot)
            await settle(pilot, lambda: screen.data.view.version_no == 3, "the draft")
            await cursor_to(pilot, screen.query_one("#estimate", DataTable), "line:II.1")
            await pilot.press("e")
            form = await modal(pilot, LineForm)
            await pilot.pause()
            assert form.query_one("#mlnsnn", Select).value == "6600"
            form.query_one("#quantity", Input).value = "4"
            await pilot.press("ctrl+s")
            await closed(pilot, form)
            assert app.is_running

    run(body)
    line = _line(demo_url, 3, "II.1")
    assert (line.quantity, line.mlnsnn, line.amount) == ("4", "6600", 4 * 1_850_000)


class _Broken(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        yield Static("x")
        yield Select([("a", "a")], value="not-an-option", allow_blank=False)


def test_widget_error_closes_the_dialog_not_the_app(demo_url: str) -> None:  # noqa: F811
    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await _estimate(pilot)
            before = app.screen
            app.push_screen(_Broken())
            await settle(pilot, lambda: app.screen is before, "the broken dialog to close")
            await pilot.pause()
            assert app.is_running
            assert app._exception is None
            assert [type(e).__name__ for e in app.recovered_errors] == ["InvalidSelectValueError"]

    run(body)


# -- 2. approving an adjustment that removes a line with spending ----------------------
def test_approve_adjustment_below_spent_is_refused(demo_url: str) -> None:  # noqa: F811
    from budget.models import EstimateVersion
    from budget.services import approval
    from budget.services.campaigns import find_campaign
    from budget.services.estimate_edit import remove_line
    from tui.modals.simple import FieldsDialog

    with db_session(demo_url) as s, s.begin():
        cid = find_campaign(s).id
        approval.adjust(s, cid, actor="kiemthu", reason="Bỏ trang trí")
        remove_line(s, cid, "I.1", actor="kiemthu")
        approval.submit(s, cid, actor="kiemthu")

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await _estimate(pilot)
            await settle(pilot, lambda: screen.data.view.status == "submitted", "the adjustment")
            await pilot.press("p")
            dialog = await modal(pilot, FieldsDialog)
            dialog.query_one("#decision", Input).value = "130/QĐ-UBND"
            await pilot.press("ctrl+s")
            await agree(pilot, naming="Phê duyệt dự toán")
            error = dialog.query_one("#form-error", Static)
            await settle(pilot, lambda: "I.1" in str(error.content), "the refusal")
            assert str(error.content) == (
                "Không phê duyệt được: dòng I.1 đã chi 1.650.000 đồng nhưng bị xóa khỏi bản "
                "điều chỉnh. Muốn giảm hoặc bỏ dòng, hãy lập chứng từ ghi giảm trước, hoặc "
                "giữ lại dòng."
            )

    run(body)
    with db_session(demo_url) as s:
        status = s.execute(
            select(EstimateVersion.status).where(EstimateVersion.version_no == 3)
        ).scalar_one()
    assert status == "submitted"


# -- 3. the compare view keeps removed lines -------------------------------------------
# Part II in version 1 (the original): 2×1.850.000 + 3×465.000 + 8×285.000 + 2×680.000
# + 45×9.500 + 3×2.450.000 + 3.290.000 + 2×845.000 + 1.180.000 + 965.000 = 23.637.500.
# Version 2 has a third pano (+1.850.000) = 25.487.500; the draft removes II.4
# (2 × 680.000 = 1.360.000): 24.127.500, difference +490.000.
def test_compare_shows_removed_line(demo_url: str) -> None:  # noqa: F811
    from budget.services.campaigns import find_campaign
    from budget.services.estimate_edit import remove_line

    _adjustment_draft(demo_url)
    with db_session(demo_url) as s, s.begin():
        remove_line(s, find_campaign(s).id, "II.4", actor="kiemthu")

    def cells(table: DataTable[Any], key: str) -> list[str]:
        row = table.get_row(key)
        return [c.plain if hasattr(c, "plain") else str(c) for c in row]

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await _estimate(pilot)
            await settle(pilot, lambda: screen.data.view.version_no == 3, "the draft")
            await pilot.press("c")
            table = screen.query_one("#estimate", DataTable)
            await settle(pilot, lambda: "Ban đầu" in str(table.columns), "the compare columns")
            assert cells(table, "part:II")[5:8] == ["23.637.500", "24.127.500", "490.000"]
            removed = cells(table, "removed:II.4")
            assert removed[0] == "II.4"
            assert removed[5:8] == ["1.360.000", "0", "-1.360.000"]
            assert cells(table, "line:II.1")[5:8] == ["3.700.000", "5.550.000", "1.850.000"]

    run(body)


# -- 5. a reversal takes a date, shown and editable ------------------------------------
def test_reverse_with_a_date(demo_url: str) -> None:  # noqa: F811
    from budget.models import Voucher
    from tests.tui.test_workflows import register_key, vouchers_screen
    from tui.modals.simple import FieldsDialog

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await vouchers_screen(pilot)
            table = screen.query_one("#register", DataTable)
            await cursor_to(pilot, table, register_key(screen, "PC-0001"))
            await pilot.press("x")
            dialog = await modal(pilot, FieldsDialog)
            # PC-0001 is dated 05/06/2024 and 2024 is open: the dialog proposes that date.
            assert dialog.query_one("#date", Input).value == "05/06/2024"
            dialog.query_one("#reason", Input).value = "Ghi nhầm dòng"
            dialog.query_one("#date", Input).value = "12/06/2024"
            await pilot.press("ctrl+s")
            await agree(pilot, naming="Hủy chứng từ PC-0001")
            await closed(pilot, dialog)

    run(body)
    with db_session(demo_url) as s:
        reversal = s.execute(select(Voucher).where(Voucher.number == "PC-0001-H")).scalar_one()
    assert (reversal.entry_date, reversal.spent_delta) == (date(2024, 6, 12), -1_650_000)
