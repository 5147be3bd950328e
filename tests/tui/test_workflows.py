"""The accountant's workflows driven through the Textual app with Pilot.

Every test builds the demo year (UBND xã Phú Lý, 2024) on its own database,
runs on SQLite and PostgreSQL (``db_url``), drives the app with key presses
and widget values, and then checks the DATABASE with figures worked out by
hand from ``budget/demo.py``:

* II.4 "Hộp thư góp ý": approved 1.360.000, nothing spent.
* IV.1: approved 1.720.000, advance TU-0002 of 1.500.000 still open.
* II.9: PC-0012 (1.080.000, reversed by PC-0012-H) and PC-0013 (1.180.000).
* Vouchers PC-0001..PC-0017 exist, so the next phiếu chi is PC-0018.
* The approved estimate (version 2, QĐ 95/QĐ-UBND) totals 71.817.500.
* Giấy khen cá nhân 0,15 × 2.340.000 = 351.000 -> 360.000 (rounded up to
  ten thousands); tập thể 0,3 × 2.340.000 = 702.000 -> 710.000.

pytest-asyncio is not installed: each test is a plain test that runs its
coroutine with ``asyncio.run``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static, TextArea

from tests.conftest import run_cli

NOW = "2024-12-20T08:00:00"
SIZE = (120, 36)
DEMO_VOUCHERS = 26


# -- helpers -----------------------------------------------------------------------------
@pytest.fixture
def demo_url(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The demo year on this test's database, with "today" = 20/12/2024."""
    monkeypatch.setenv("BUDGET_NOW", NOW)
    result = run_cli("--db", db_url, "demo")
    assert result.code == 0, result.err
    return db_url


@contextlib.contextmanager
def db_session(url: str) -> Iterator[Session]:
    from budget.db import open_database

    database = open_database(url)
    try:
        with database.session() as session:
            yield session
    finally:
        database.dispose()


def vouchers_by_number(url: str) -> dict[str, Any]:
    from budget.models import Voucher

    with db_session(url) as s:
        return {v.number: v for v in s.execute(select(Voucher)).scalars()}


def voucher_count(url: str) -> int:
    from budget.models import Voucher

    with db_session(url) as s:
        return int(s.execute(select(func.count(Voucher.id))).scalar_one())


def plain(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


def cell_text(value: Any) -> str:
    return value.plain if isinstance(value, Text) else str(value)


async def settle(
    pilot: Pilot[Any], predicate: Callable[[], Any], what: str = "", timeout: float = 8.0
) -> None:
    """Let the app run until ``predicate()`` is true (exceptions count as not yet)."""
    deadline = time.monotonic() + timeout
    app = pilot.app
    while True:
        crashed = getattr(app, "_exception", None)
        if crashed is not None:  # the app died: no point waiting for the timeout
            raise AssertionError(f"the app crashed while waiting for {what}: {crashed!r}")
        try:
            if predicate():
                return
        except Exception:  # noqa: BLE001 - a widget not mounted yet, a worker not done
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {what or predicate}")
        await pilot.pause(0.05)


def make(url: str, **kwargs: Any) -> Any:
    from tui.app import make_app

    return make_app(db=url, **kwargs)


async def opened(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await settle(pilot, lambda: app.ready, "the database to open")


async def go(pilot: Pilot[Any], key: str, screen_cls: type, loaded: Callable[[Any], Any]) -> Any:
    """Press an F-key and wait for the screen and its data."""
    app = pilot.app
    await pilot.press(key)
    await settle(pilot, lambda: isinstance(app.screen, screen_cls), f"{screen_cls.__name__}")
    screen = app.screen
    await settle(pilot, lambda: loaded(screen), f"{screen_cls.__name__} data")
    return screen


async def vouchers_screen(pilot: Pilot[Any], rows: int = DEMO_VOUCHERS) -> Any:
    from tui.screens.vouchers import VouchersScreen

    return await go(
        pilot,
        "f4",
        VouchersScreen,
        lambda s: s.query_one("#register", DataTable).row_count == rows and s.total == rows,
    )


def composed(screen: Any) -> bool:
    """Every Select on ``screen`` has built its label (setting a value before that fails)."""
    from textual.widgets._select import SelectCurrent

    return all(current.query("#label") for current in screen.query(SelectCurrent))


async def modal(pilot: Pilot[Any], cls: type) -> Any:
    app = pilot.app
    await settle(pilot, lambda: isinstance(app.screen, cls), cls.__name__)
    screen = app.screen
    await settle(pilot, lambda: composed(screen), f"{cls.__name__} to compose its fields")
    return screen


async def closed(pilot: Pilot[Any], dialog: Any) -> None:
    app = pilot.app
    await settle(pilot, lambda: app.screen is not dialog, f"{type(dialog).__name__} to close")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def agree(pilot: Pilot[Any], *, naming: str = "") -> None:
    """Answer "Đồng ý" to the confirmation that names what becomes final."""
    from tui.modals.simple import ConfirmDialog

    dialog = await modal(pilot, ConfirmDialog)
    assert naming in dialog.question
    await pilot.press("ctrl+s")
    await settle(pilot, lambda: pilot.app.screen is not dialog, "the confirmation to close")


def register_numbers(screen: Any) -> list[str]:
    table = screen.query_one("#register", DataTable)
    return [cell_text(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def cursor_to(pilot: Pilot[Any], table: DataTable, row_key: str) -> None:
    """Move the row cursor with the arrow keys until it is on ``row_key``."""
    table.focus()
    await pilot.pause()
    target = table.get_row_index(row_key)
    last = table.row_count - 1
    if last - target < abs(target - table.cursor_row):  # nearer the end: jump there first
        await pilot.press("ctrl+end")
    step = "down" if target > table.cursor_row else "up"
    for _ in range(abs(target - table.cursor_row)):
        await pilot.press(step)
    await pilot.pause()
    assert table.cursor_row == target
    assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value == row_key


def register_key(screen: Any, number: str) -> str:
    return next(key for key, row in screen.rows.items() if row.number == number)


async def new_voucher_form(pilot: Pilot[Any]) -> Any:
    from tui.modals.voucher_form import VoucherForm

    await pilot.press("n")
    form = await modal(pilot, VoucherForm)
    await settle(pilot, lambda: form.balances, "the form's lines")
    return form


def fill(form: Any, **values: str) -> None:
    for field, value in values.items():
        form.query_one(f"#{field}", Input).value = value


def run(coro_fn: Callable[[], Any]) -> None:
    asyncio.run(coro_fn())


# -- 1. a new voucher through the form --------------------------------------------------
def test_new_voucher_through_form(demo_url: str) -> None:
    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await vouchers_screen(pilot)
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
            status = plain(form.query_one("#balance", Static))
            assert "1.360.000" in status  # approved 1.360.000, nothing spent
            assert "860.000" in status  # 1.360.000 - 500.000 after this voucher
            assert form.query_one("#reason", Input).disabled
            await pilot.press("ctrl+s")
            await closed(pilot, form)
            await settle(
                pilot,
                lambda: screen.query_one("#register", DataTable).row_count == DEMO_VOUCHERS + 1,
                "the register to grow by one",
            )
            assert "PC-0018" in register_numbers(screen)

        v = vouchers_by_number(demo_url)["PC-0018"]
        assert (v.amount, v.line_code, v.payee, v.type) == (
            500_000,
            "II.4",
            "Cơ sở mica Phú Lý",
            "phieu_chi",
        )
        assert v.spent_delta == 500_000 and v.override_reason is None
        assert v.entered_by == "kiemthu"  # BUDGET_USER from conftest
        assert voucher_count(demo_url) == DEMO_VOUCHERS + 1

    run(body)


# -- 2. an overspend needs a reason -----------------------------------------------------
def test_overspend_needs_reason(demo_url: str) -> None:
    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await vouchers_screen(pilot)
            form = await new_voucher_form(pilot)
            form.query_one("#line", Select).value = "II.4"
            fill(form, amount="1.500.000", payee="Cơ sở mica Phú Lý", content="Hộp thư góp ý")
            await pilot.pause()
            reason = form.query_one("#reason", Input)
            assert not reason.disabled  # 1.500.000 > 1.360.000
            assert "-140.000" in plain(form.query_one("#balance", Static))
            await pilot.press("ctrl+s")
            await pilot.pause()
            await app.workers.wait_for_complete()
            assert app.screen is form  # still open
            assert "lý do" in plain(form.query_one("#form-error", Static))
            assert voucher_count(demo_url) == DEMO_VOUCHERS

            reason.value = "Mua thêm hộp thư cho các ấp"
            await pilot.press("ctrl+s")
            await closed(pilot, form)

        v = vouchers_by_number(demo_url)["PC-0018"]
        assert (v.amount, v.line_code) == (1_500_000, "II.4")
        assert v.override_reason == "Mua thêm hộp thư cho các ấp"
        assert voucher_count(demo_url) == DEMO_VOUCHERS + 1

    run(body)


# -- 3. reverse a voucher from the register ---------------------------------------------
def test_reverse_voucher(demo_url: str) -> None:
    from tui.modals.simple import FieldsDialog

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await vouchers_screen(pilot)
            table = screen.query_one("#register", DataTable)
            await cursor_to(pilot, table, register_key(screen, "PC-0003"))
            await cursor_to(pilot, table, register_key(screen, "PC-0001"))
            await pilot.press("x")
            dialog = await modal(pilot, FieldsDialog)
            dialog.query_one("#reason", Input).value = "Ghi nhầm dòng dự toán"
            await pilot.press("ctrl+s")
            await agree(pilot, naming="Hủy chứng từ PC-0001 (1.650.000 đồng")
            await closed(pilot, dialog)
            await settle(
                pilot,
                lambda: "PC-0001-H" in register_numbers(screen),
                "the reversal in the register",
            )

        vs = vouchers_by_number(demo_url)
        original, reversal = vs["PC-0001"], vs["PC-0001-H"]
        assert reversal.kind == "reversal"
        assert reversal.reverses_id == original.id
        assert (reversal.amount, reversal.spent_delta, reversal.line_code) == (
            1_650_000,
            -1_650_000,
            "I.1",
        )
        assert "Ghi nhầm dòng dự toán" in (reversal.reason or "") + reversal.content

    run(body)


# -- 4. settle the open advance ----------------------------------------------------------
def test_settle_advance(demo_url: str) -> None:
    from budget.reports.reconcile import reconcile
    from budget.services.campaigns import find_campaign
    from tui.modals.simple import FieldsDialog

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await vouchers_screen(pilot)
            table = screen.query_one("#register", DataTable)
            await cursor_to(pilot, table, register_key(screen, "TU-0002"))
            await pilot.press("t")
            dialog = await modal(pilot, FieldsDialog)
            assert dialog.query_one("#amount", Input).value == "1.500.000"
            dialog.query_one("#amount", Input).value = "1.450.000"
            await pilot.press("ctrl+s")
            await closed(pilot, dialog)

        vs = vouchers_by_number(demo_url)
        advance = vs["TU-0002"]
        settlements = [v for v in vs.values() if v.settles_id == advance.id]
        assert len(settlements) == 1
        tt = settlements[0]
        assert tt.kind == "settlement" and tt.line_code == "IV.1"
        assert (tt.spent_delta, tt.committed_delta) == (1_450_000, -1_500_000)
        with db_session(demo_url) as s:
            rec = reconcile(s, find_campaign(s).id)
            iv1 = next(line for line in rec.lines if line.code == "IV.1").figures
            assert (iv1.approved, iv1.spent, iv1.committed) == (1_720_000, 1_450_000, 0)

    run(body)


# -- 5. estimate: adjust, add a line, submit, approve -----------------------------------
def test_estimate_adjust_add_submit_approve(demo_url: str) -> None:
    from budget.models import EstimateLine, EstimateVersion
    from budget.services.campaigns import find_campaign
    from tui.modals.line_form import LineForm
    from tui.modals.simple import FieldsDialog
    from tui.screens.estimate import EstimateScreen

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await go(pilot, "f3", EstimateScreen, lambda s: s.data is not None)
            assert (screen.data.view.version_no, screen.data.view.status) == (2, "approved")

            await pilot.press("d")
            dialog = await modal(pilot, FieldsDialog)
            dialog.query_one("#reason", Input).value = "Bổ sung hộp thư góp ý cho các ấp"
            await pilot.press("ctrl+s")
            await closed(pilot, dialog)
            await settle(
                pilot,
                lambda: (screen.data.view.version_no, screen.data.view.status) == (3, "draft"),
                "version 3 draft on screen",
            )

            await pilot.press("a")
            form = await modal(pilot, LineForm)
            form.query_one("#part", Select).value = "II"
            fill(form, content="Hộp thư góp ý cho các ấp", unit="cái", quantity="2,5")
            form.query_one("#price", Input).value = "1.234.567"
            form.query_one("#mlnsnn", Select).value = "6599"
            await pilot.pause()
            live = plain(form.query_one("#live", Static))
            assert "3.086.418" in live  # 2,5 × 1.234.567 = 3.086.417,5 -> half up
            await pilot.press("ctrl+s")
            await closed(pilot, form)
            await settle(pilot, lambda: "II.11" in screen.lines, "the new line on screen")

            await pilot.press("s")
            await app.workers.wait_for_complete()
            await settle(
                pilot, lambda: screen.data.view.status == "submitted", "submitted on screen"
            )
            await pilot.press("p")
            dialog = await modal(pilot, FieldsDialog)
            assert dialog.query_one("#date", Input).value == "20/12/2024"
            dialog.query_one("#decision", Input).value = "150/QĐ-UBND"
            await pilot.press("ctrl+s")
            await agree(pilot, naming="Phê duyệt dự toán phiên bản 3")
            await closed(pilot, dialog)
            await settle(pilot, lambda: screen.data.view.status == "approved", "approved on screen")

        with db_session(demo_url) as s:
            cid = find_campaign(s).id
            v3 = s.execute(
                select(EstimateVersion).where(
                    EstimateVersion.campaign_id == cid, EstimateVersion.version_no == 3
                )
            ).scalar_one()
            assert v3.status == "approved"
            assert v3.decision_number == "150/QĐ-UBND"
            assert str(v3.decision_date) == "2024-12-20"
            line = s.execute(
                select(EstimateLine).where(
                    EstimateLine.version_id == v3.id, EstimateLine.code == "II.11"
                )
            ).scalar_one()
            assert (line.amount, line.unit_price, line.mlnsnn) == (3_086_418, 1_234_567, "6599")
            assert line.content == "Hộp thư góp ý cho các ấp"

    run(body)


# -- 6. awards: new decision, recipients one by one and pasted, pay ---------------------
def test_awards_decision_recipients_pay(demo_url: str) -> None:
    from textual.widgets import SelectionList

    from budget.models import AwardDecision, AwardRecipient, Voucher
    from tui.modals.award_lines import AwardLinesDialog
    from tui.modals.recipients import RecipientsDialog
    from tui.modals.simple import FieldsDialog
    from tui.screens.awards import AwardsScreen

    number = "300/QĐ-UBND"

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await go(pilot, "f5", AwardsScreen, lambda s: len(s.decisions) == 2)

            await pilot.press("n")
            dialog = await modal(pilot, AwardLinesDialog)
            await settle(pilot, lambda: dialog.choices, "the estimate lines")
            fill(dialog, number=number, date="20/12/2024", title="Khen thưởng đột xuất")
            assert dialog.selected == ()  # no review named: nothing proposed, the user picks
            lines = dialog.query_one("#lines", SelectionList)
            lines.select("V.3")
            lines.select("V.4")
            await pilot.press("ctrl+s")
            await closed(pilot, dialog)
            await settle(
                pilot,
                lambda: len(screen.decisions) == 3 and screen.selected == number,
                "the new decision selected",
            )

            await pilot.press("a")
            dialog = await modal(pilot, RecipientsDialog)
            fill(dialog, name="Nguyễn Thị C", title="Công chức Văn hóa - Xã hội")
            dialog.query_one("#form", Select).value = "giay_khen_ca_nhan"
            await pilot.press("ctrl+s")
            await closed(pilot, dialog)
            with db_session(demo_url) as s:
                amounts = s.execute(
                    select(AwardRecipient.name, AwardRecipient.amount)
                    .join(AwardDecision, AwardDecision.id == AwardRecipient.decision_id)
                    .where(AwardDecision.number == number)
                ).all()
            assert [tuple(r) for r in amounts] == [("Nguyễn Thị C", 360_000)]

            await settle(pilot, lambda: screen.selected == number, "decision still selected")
            await pilot.press("a")
            dialog = await modal(pilot, RecipientsDialog)
            dialog.query_one("#pasted", TextArea).text = (
                "Trần Văn B; Văn phòng; giay_khen_ca_nhan\n"
                "Ấp Phú Thạch; xã Phú Lý; giay_khen_tap_the"
            )
            await pilot.press("ctrl+s")
            await closed(pilot, dialog)

            await settle(pilot, lambda: screen.selected == number, "decision still selected")
            await pilot.press("p")
            dialog = await modal(pilot, FieldsDialog)
            assert dialog.query_one("#date", Input).value == "20/12/2024"
            await pilot.press("ctrl+s")
            await agree(pilot, naming="Chi thưởng theo quyết định 300/QĐ-UBND")
            await closed(pilot, dialog)

        with db_session(demo_url) as s:
            decision = s.execute(
                select(AwardDecision).where(AwardDecision.number == number)
            ).scalar_one()
            recipients = s.execute(
                select(AwardRecipient.name, AwardRecipient.amount)
                .where(AwardRecipient.decision_id == decision.id)
                .order_by(AwardRecipient.position)
            ).all()
            assert [tuple(r) for r in recipients] == [
                ("Nguyễn Thị C", 360_000),
                ("Trần Văn B", 360_000),
                ("Ấp Phú Thạch", 710_000),
            ]
            paid = (
                s.execute(select(Voucher).where(Voucher.award_decision_id == decision.id))
                .scalars()
                .all()
            )
            assert paid, "no payout voucher written"
            assert sum(v.amount for v in paid) == 1_430_000  # 360.000 × 2 + 710.000
            assert decision.paid_at is not None

    run(body)


# -- 7. reconciliation drill-down -------------------------------------------------------
async def drill_down_to_ii9(pilot: Pilot[Any]) -> None:
    """F6, cursor on II.9, Enter: the register shows only II.9's three vouchers."""
    from tui.screens.reconcile import ReconcileScreen
    from tui.screens.vouchers import VouchersScreen

    app = pilot.app
    screen = await go(
        pilot,
        "f6",
        ReconcileScreen,
        lambda s: s.query_one("#rec-lines", DataTable).row_count == 31,  # 30 lines + total
    )
    table = screen.query_one("#rec-lines", DataTable)
    await cursor_to(pilot, table, "II.9")
    await pilot.press("enter")
    await settle(pilot, lambda: isinstance(app.screen, VouchersScreen), "vouchers")
    vouchers = app.screen
    await settle(
        pilot,
        lambda: vouchers.query_one("#f-line", Input).value == "II.9" and vouchers.total == 3,
        "the register filtered to II.9",
    )
    await app.workers.wait_for_complete()
    await pilot.pause(0.3)  # a late unfiltered page must not replace the filtered one
    assert vouchers.query_one("#f-line", Input).value == "II.9"
    assert register_numbers(vouchers) == ["PC-0012", "PC-0012-H", "PC-0013"]
    rows = vouchers.query_one("#register", DataTable)
    assert {cell_text(rows.get_row_at(i)[3]) for i in range(rows.row_count)} == {"II.9"}
    assert plain(vouchers.query_one("#register-status", Static)).startswith("3 / 3")


def test_reconcile_drill_down(demo_url: str) -> None:
    """The brief's path: the register has not been opened before (F6 straight away)."""

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await drill_down_to_ii9(pilot)

    run(body)


def test_reconcile_drill_down_after_register_opened(demo_url: str) -> None:
    """Same drill-down when the register screen already exists (F4 first, then F6)."""

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await vouchers_screen(pilot)
            await drill_down_to_ii9(pilot)

    run(body)


# -- 8. settings -------------------------------------------------------------------------
def test_settings_dialog(demo_url: str) -> None:
    from budget.models import AuditEntry
    from tui.modals.settings import SettingsDialog

    with db_session(demo_url) as s:
        before = s.execute(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "settings")
        ).scalar_one()

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.press("f10")
            dialog = await modal(pilot, SettingsDialog)
            chairman = dialog.query_one("#chairman_name", Input)
            await settle(pilot, lambda: chairman.value == "Nguyễn Hữu Bình", "settings loaded")
            assert dialog.query_one("#commune_name", Input).value == "Phú Lý"
            chairman.value = "Phạm Văn Quang"
            await pilot.press("ctrl+s")
            await closed(pilot, dialog)

    run(body)
    shown = run_cli("--db", demo_url, "org", "show", "--json")
    assert shown.code == 0, shown.err
    org = json.loads(shown.out)
    assert org["chairman_name"] == "Phạm Văn Quang"
    assert org["commune_name"] == "Phú Lý"  # untouched fields stay
    assert org["accountant_name"] == "Trần Thị Thu Hà"
    with db_session(demo_url) as s:
        after = s.execute(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "settings")
        ).scalar_one()
    assert after == before + 1


# -- 9. export ---------------------------------------------------------------------------
def test_export_settlement(demo_url: str, tmp_path: Path) -> None:
    import openpyxl

    from tui.modals.export import ExportDialog

    target = tmp_path / "qt.xlsx"

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.press("f8")
            dialog = await modal(pilot, ExportDialog)
            dialog.query_one("#kind", Select).value = "settlement"
            path = dialog.query_one("#path", Input)
            await settle(pilot, lambda: path.value.endswith("quyet-toan.xlsx"), "default name")
            path.value = str(target)
            await pilot.press("ctrl+s")
            await settle(
                pilot,
                lambda: "Đã lưu" in plain(dialog.query_one("#form-error", Static)),
                "the export to finish",
                timeout=20,
            )
            await app.workers.wait_for_complete()

    run(body)
    assert target.exists()
    wb = openpyxl.load_workbook(target)
    assert "Quyết toán" in wb.sheetnames


# -- 10. the chairman's summary ----------------------------------------------------------
def test_summary_mode(demo_url: str) -> None:
    from tui.screens.summary import SummaryScreen

    async def body() -> None:
        app = make(demo_url, summary=True)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            assert isinstance(app.screen, SummaryScreen)
            heading = app.screen.query_one("#summary-heading", Static)
            await settle(pilot, lambda: "71.817.500" in plain(heading), "the summary heading")
            text = plain(heading)
            assert "Dự toán 71.817.500" in text
            assert "Đã chi 48.287.500" in text
            assert "Tạm ứng 1.500.000" in text
            assert "Còn lại 22.030.000" in text

    run(body)


# -- 11. search without accents -----------------------------------------------------------
def test_vouchers_search_folded(demo_url: str) -> None:
    from budget.text import fold

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await vouchers_screen(pilot)
            await pilot.press("slash")
            assert app.focused is screen.query_one("#f-search", Input)
            await pilot.press(*"thi", "space", *"dua", "enter")
            await settle(pilot, lambda: screen.total == 7, "the search result")
            await app.workers.wait_for_complete()
            await pilot.pause()
            numbers = register_numbers(screen)
            assert numbers == [
                "PC-0001",
                "PC-0002",
                "PC-0003",
                "PC-0006",
                "PC-0007",
                "TU-0002",
                "PC-0017",
            ]
            for row in screen.rows.values():
                assert "thi dua" in fold(row.content), row.number

    run(body)


# -- 12. a core error is shown in the form ---------------------------------------------
def test_core_error_shown_not_raised(demo_url: str) -> None:
    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await vouchers_screen(pilot)
            form = await new_voucher_form(pilot)
            form.query_one("#line", Select).value = "II.4"
            fill(form, date="05/01/2025", amount="100.000", payee="Ai đó", content="Thử")
            await pilot.press("ctrl+s")
            error = form.query_one("#form-error", Static)
            await settle(
                pilot,
                lambda: plain(error) not in ("", "Đang ghi…"),
                "the error from the core",
            )
            await app.workers.wait_for_complete()
            assert app.screen is form
            message = plain(error)
            assert message == "Ngày chứng từ 05/01/2025 không thuộc năm 2024 của kế hoạch."
            assert app.is_running

    run(body)
    assert voucher_count(demo_url) == DEMO_VOUCHERS
