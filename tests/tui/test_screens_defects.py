"""The defects a new accountant hit in the screens and dialogs (issue 16, items
6-9) and the workers' error policy (issue 12, item 3), each driven with Pilot.

The demo year (UBND xã Phú Lý, 2024, "today" 20/12/2024) is built once per test
on a SQLite file. Figures worked out by hand from budget/demo.py:

* 26 vouchers; in date order the first is PC-0001 and the last PC-0017
  (20/12/2024 is after every demo voucher).
* PC-0012 is 1.080.000 đồng on II.9.
* Unpaid decision 210/QĐ-UBND: its vouchers are dated by the pay dialog.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from textual.widgets import DataTable, Input, Static

from tests.conftest import run_cli
from tests.tui.test_workflows import (
    agree,
    closed,
    db_session,
    fill,
    go,
    make,
    modal,
    opened,
    run,
    settle,
)

NOW = "2024-12-20T08:00:00"
SIZE = (120, 36)
SMALL = (80, 24)


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BUDGET_NOW", NOW)
    monkeypatch.setenv("BUDGET_USER", "kiemthu")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    path = str(tmp_path / "budget.db")
    result = run_cli("--db", path, "demo")
    assert result.code == 0, result.err
    return path


def notices(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


def text_of(widget: Static) -> str:
    content = widget.content
    return getattr(content, "plain", str(content))


def cell(value: Any) -> str:
    return getattr(value, "plain", str(value))


async def alive(pilot: Any) -> None:
    app = pilot.app
    await pilot.pause(0.1)
    assert app.is_running, "the app stopped"
    assert getattr(app, "_exception", None) is None, f"the app crashed: {app._exception!r}"


# -- A. workers with one error policy (issue 12, item 3) ----------------------------------
def failing_session(*_: Any, **__: Any) -> Any:
    from sqlalchemy.exc import OperationalError

    raise OperationalError("SELECT 1", {}, Exception("disk I/O error"))


def break_database(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on every session the backend opens fails as a broken disk would."""
    database = app.backend._database
    monkeypatch.setattr(database, "session", failing_session)
    monkeypatch.setattr(database, "write_session", failing_session)


DB_MESSAGE = "Lỗi cơ sở dữ liệu"

SCREENS = {
    "dashboard": ("r", "DashboardScreen"),
    "estimate": ("f3", "EstimateScreen"),
    "vouchers": ("f4", "VouchersScreen"),
    "awards": ("f5", "AwardsScreen"),
    "reconcile": ("f6", "ReconcileScreen"),
    "summary": ("f7", "SummaryScreen"),
    "audit": ("f9", "AuditScreen"),
    "settings": ("f10", "SettingsDialog"),
}


@pytest.mark.parametrize("name", list(SCREENS))
def test_failing_database_keeps_the_app_up(
    name: str, demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, cls_name = SCREENS[name]

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await app.workers.wait_for_complete()
            break_database(app, monkeypatch)
            await pilot.press(key)
            await settle(
                pilot, lambda: any(DB_MESSAGE in m for m in notices(app)), "a database message"
            )
            await alive(pilot)
            assert type(app.screen).__name__ == cls_name
            message = next(m for m in notices(app) if DB_MESSAGE in m)
            log = tmp_path / "data" / "budget" / "logs" / "budget.log"
            assert str(log) in message
        assert "OperationalError" in log.read_text(encoding="utf-8")
        assert "Traceback" in log.read_text(encoding="utf-8")

    run(body)


def test_failing_next_page_keeps_the_app_up(demo_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The register's next page fails: a message, the rows already shown stay."""
    import tui.screens.vouchers as vouchers_module
    from tui.screens.vouchers import VouchersScreen

    monkeypatch.setattr(vouchers_module, "PAGE", 10)

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await go(pilot, "f4", VouchersScreen, lambda s: s.loaded == 10)
            break_database(app, monkeypatch)
            await pilot.press("m")
            await settle(
                pilot, lambda: any(DB_MESSAGE in m for m in notices(app)), "a database message"
            )
            await alive(pilot)
            assert screen.query_one("#register", DataTable).row_count == 10

    run(body)


def test_every_worker_declares_its_failure_policy() -> None:
    """No `@work` in tui/ may take the app down on an exception."""
    root = Path(__file__).resolve().parents[2] / "tui"
    offenders = []
    for path in root.rglob("*.py"):
        for match in re.finditer(r"@work\(([^)]*)\)", path.read_text(encoding="utf-8")):
            if "exit_on_error=False" not in match[1]:
                offenders.append(f"{path.name}: @work({match[1]})")
    assert offenders == []


def test_dashboard_keeps_the_campaign_the_user_chose(demo_db: str) -> None:
    """Another campaign becoming the commune's current one (another user, the
    CLI) does not switch the open app's campaign behind the user's back."""
    from budget.models import Campaign, Organisation
    from tui.screens.dashboard import DashboardScreen

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            chosen = app.backend.campaign_id
            result = run_cli("--db", demo_db, "plan", "new", "--year", "2025", "--code", "KH2025")
            assert result.code == 0, result.err
            with db_session(demo_db) as s:
                other = s.execute(select(Campaign.id).where(Campaign.code == "KH2025")).scalar_one()
                s.execute(select(Organisation)).scalar_one().current_campaign_id = other
                s.commit()
            assert other != chosen
            screen = app.screen
            assert isinstance(screen, DashboardScreen)
            await pilot.press("r")
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            assert app.backend.campaign_id == chosen
            heading = text_of(screen.query_one("#dash-heading", Static))
            assert "KH2025" not in heading

    run(body)


def test_save_is_disabled_while_a_write_runs(demo_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+S pressed again during a slow write neither writes twice nor crashes."""
    import threading

    from textual.widgets import SelectionList

    from budget.models import AwardDecision
    from tui.modals.award_lines import AwardLinesDialog
    from tui.screens.awards import AwardsScreen

    release = threading.Event()

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await go(pilot, "f5", AwardsScreen, lambda s: len(s.decisions) == 2)
            real_write = app.backend.write
            calls: list[int] = []

            def slow_write(fn: Any) -> Any:
                calls.append(1)
                release.wait(10)
                return real_write(fn)

            monkeypatch.setattr(app.backend, "write", slow_write)
            await pilot.press("n")
            dialog = await modal(pilot, AwardLinesDialog)
            await settle(pilot, lambda: dialog.choices, "the estimate lines")
            fill(dialog, number="301/QĐ-UBND", title="Thử")
            dialog.query_one("#lines", SelectionList).select("V.3")
            await pilot.press("ctrl+s")
            await pilot.pause(0.2)
            assert dialog.query_one("#save").disabled
            await pilot.press("ctrl+s")
            await pilot.click("#save")
            await pilot.pause(0.2)
            release.set()
            await closed(pilot, dialog)
            await alive(pilot)
            assert len(calls) == 1
        with db_session(demo_db) as s:
            numbers = s.execute(select(AwardDecision.number)).scalars().all()
        assert numbers.count("301/QĐ-UBND") == 1

    run(body)


# -- B. one dialog base (issue 16, item 6) -------------------------------------------------
async def open_line_edit(pilot: Any, demo_db: str) -> Any:
    """A draft (adjustment of the approved estimate), cursor on line I.1, `e`."""
    from tui.modals.line_form import LineForm
    from tui.screens.estimate import EstimateScreen

    result = run_cli("--db", demo_db, "plan", "adjust", "--reason", "Thử")
    assert result.code == 0, result.err
    app = pilot.app
    screen = await go(
        pilot, "f3", EstimateScreen, lambda s: s.data is not None and s.data.view.status == "draft"
    )
    table = screen.query_one("#estimate", DataTable)
    table.move_cursor(row=table.get_row_index("line:I.1"))
    await pilot.press("e")
    form = await modal(pilot, LineForm)
    await pilot.pause(0.2)
    assert app.screen is form
    return form


def test_edit_line_opens_without_a_selection(demo_db: str) -> None:
    """One key typed on open adds to the description, it does not replace it."""

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            form = await open_line_edit(pilot, demo_db)
            content = form.query_one("#content", Input)
            before = content.value
            assert before
            assert app.focused is content
            await pilot.press("x")
            assert content.value == before + "x"

    run(body)


def test_escape_with_typed_data_asks_first(demo_db: str) -> None:
    from tui.modals.base import DISCARD_QUESTION
    from tui.modals.simple import ConfirmDialog
    from tui.modals.voucher_form import VoucherForm
    from tui.screens.vouchers import VouchersScreen

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await go(pilot, "f4", VouchersScreen, lambda s: s.loaded == 26)
            await pilot.press("n")
            form = await modal(pilot, VoucherForm)
            await settle(pilot, lambda: form.balances, "the form's lines")
            fill(form, payee="Cơ sở in Phú Lý")
            await pilot.press("escape")
            ask = await modal(pilot, ConfirmDialog)
            assert ask.question == DISCARD_QUESTION
            await pilot.press("escape")  # no: back to the form, data kept
            await settle(pilot, lambda: app.screen is form, "back to the form")
            assert form.query_one("#payee", Input).value == "Cơ sở in Phú Lý"
            await pilot.press("ctrl+q")  # quitting asks too
            ask = await modal(pilot, ConfirmDialog)
            await pilot.press("escape")
            await settle(pilot, lambda: app.screen is form, "back to the form")
            await alive(pilot)
            await pilot.press("escape")
            await modal(pilot, ConfirmDialog)
            await pilot.press("ctrl+s")  # yes: discard
            await settle(pilot, lambda: isinstance(app.screen, VouchersScreen), "form closed")

    run(body)


def test_escape_without_changes_closes_at_once(demo_db: str) -> None:
    from tui.modals.voucher_form import VoucherForm
    from tui.screens.vouchers import VouchersScreen

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await go(pilot, "f4", VouchersScreen, lambda s: s.loaded == 26)
            await pilot.press("n")
            form = await modal(pilot, VoucherForm)
            await settle(pilot, lambda: form.balances, "the form's lines")
            await pilot.press("escape")
            await settle(pilot, lambda: isinstance(app.screen, VouchersScreen), "form closed")

    run(body)


def test_award_payment_keeps_the_typed_date(demo_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Typed into the pay dialog by keys, the date is the one the vouchers carry
    (decision 210/QĐ-UBND is dated 20/12/2024; "today" moves on to 28/12/2024)."""
    from datetime import date

    from budget.models import AwardDecision, Voucher
    from tui.modals.simple import FieldsDialog
    from tui.screens.awards import AwardsScreen

    async def body() -> None:
        monkeypatch.setenv("BUDGET_NOW", "2024-12-28T08:00:00")
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await go(pilot, "f5", AwardsScreen, lambda s: len(s.decisions) == 2)
            assert screen.selected == "210/QĐ-UBND"
            await pilot.press("p")
            dialog = await modal(pilot, FieldsDialog)
            await pilot.pause(0.2)
            field = dialog.query_one("#date", Input)
            assert app.focused is field
            for _ in range(len(field.value)):
                await pilot.press("backspace")
            await pilot.press(*"27/12/2024")
            await pilot.press("ctrl+s")
            await agree(pilot, naming="Chi thưởng theo quyết định 210/QĐ-UBND")
            await closed(pilot, dialog)
        with db_session(demo_db) as s:
            decision = s.execute(
                select(AwardDecision).where(AwardDecision.number == "210/QĐ-UBND")
            ).scalar_one()
            days = (
                s.execute(
                    select(Voucher.entry_date).where(Voucher.award_decision_id == decision.id)
                )
                .scalars()
                .all()
            )
        assert days and set(days) == {date(2024, 12, 27)}

    run(body)


def test_export_asks_before_overwriting(demo_db: str, tmp_path: Path) -> None:
    from tui.modals.export import ExportDialog
    from tui.modals.simple import ConfirmDialog

    target = tmp_path / "du-toan.xlsx"
    target.write_bytes(b"old")

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.press("f8")
            dialog = await modal(pilot, ExportDialog)
            dialog.query_one("#path", Input).value = str(target)
            await pilot.pause()
            await pilot.press("ctrl+s")
            ask = await modal(pilot, ConfirmDialog)
            assert "đã có" in ask.question and str(target) in ask.question
            await pilot.press("escape")  # no
            await settle(pilot, lambda: app.screen is dialog, "back to the dialog")
            await app.workers.wait_for_complete()
            assert target.read_bytes() == b"old"
            await pilot.press("ctrl+s")
            await modal(pilot, ConfirmDialog)
            await pilot.press("ctrl+s")  # yes: overwrite
            await settle(pilot, lambda: target.read_bytes()[:2] == b"PK", "the workbook written")

    run(body)


def test_export_does_not_create_folders(demo_db: str, tmp_path: Path) -> None:
    from tui.modals.export import ExportDialog

    target = tmp_path / "khong-co" / "du-toan.xlsx"

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.press("f8")
            dialog = await modal(pilot, ExportDialog)
            dialog.query_one("#path", Input).value = str(target)
            await pilot.pause()
            await pilot.press("ctrl+s")
            error = dialog.query_one("#form-error", Static)
            await settle(pilot, lambda: "không có" in text_of(error), "an error line")
            await app.workers.wait_for_complete()
            assert str(target.parent) in text_of(error)
            assert not target.parent.exists()

    run(body)


# -- D. big registers (issue 16, item 8) -----------------------------------------------------
def test_end_and_home_jump_to_the_last_and_first_page(
    demo_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages of 10 over the demo's 26 vouchers: End shows rows 17-26 with the
    cursor on the last voucher by date (PC-0017); Home goes back to PC-0001."""
    import tui.screens.vouchers as vouchers_module
    from tui.screens.vouchers import VouchersScreen

    monkeypatch.setattr(vouchers_module, "PAGE", 10)

    def current(screen: Any) -> str:
        table = screen.query_one("#register", DataTable)
        return cell(table.get_row_at(table.cursor_row)[0])

    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await go(pilot, "f4", VouchersScreen, lambda s: s.loaded == 10)
            await pilot.press("end")
            await settle(pilot, lambda: screen.start == 16, "the last page")
            await app.workers.wait_for_complete()
            await pilot.pause(0.1)
            assert current(screen) == "PC-0017"
            status = text_of(screen.query_one("#register-status", Static))
            assert status.startswith("17–26 / 26")
            await pilot.press("ctrl+home")
            await settle(pilot, lambda: screen.start == 0, "the first page")
            await app.workers.wait_for_complete()
            await pilot.pause(0.1)
            assert current(screen) == "PC-0001"
            await alive(pilot)

    run(body)


def test_counts_have_dot_groups() -> None:
    from tui.formatting import count

    assert count(1_000_026) == "1.000.026"
    assert count(26) == "26"


# -- E. messages (issue 16, item 9) ----------------------------------------------------------
def test_command_palette_search_without_accents() -> None:
    from tui.palette import FoldingMatcher

    matcher = FoldingMatcher("xuat excel")
    assert matcher.match("Xuất Excel") > 0
    assert matcher.match("Thiết lập đơn vị") == 0
    assert FoldingMatcher("thiet lap").match("Thiết lập đơn vị") > 0


def test_command_palette_finds_an_accented_command(demo_db: str) -> None:
    async def body() -> None:
        app = make(demo_db)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.press("ctrl+p")
            await pilot.pause(0.3)
            await pilot.press(*"xuat excel")
            await pilot.pause(0.8)
            await pilot.press("enter")
            await pilot.pause(0.5)
            from tui.modals.export import ExportDialog

            await settle(pilot, lambda: isinstance(app.screen, ExportDialog), "the export dialog")

    run(body)


# -- C. small screens (issue 16, item 7) -----------------------------------------------------
def test_summary_scrolls_by_keys_at_80x24(demo_db: str) -> None:
    """The chairman's page at 80×24 is taller than the terminal: ↓ and PgDn scroll it."""

    async def body() -> None:
        app = make(demo_db, summary=True)
        async with app.run_test(size=SMALL) as pilot:
            await opened(pilot)
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            grid = app.screen.query_one("#summary-grid")
            assert grid.max_scroll_y > 0
            assert app.focused is grid
            await pilot.press("pagedown")
            await pilot.pause(0.3)
            assert grid.scroll_y > 0
            await pilot.press("home")
            await pilot.pause(0.3)
            assert grid.scroll_y == 0

    run(body)


def test_help_lists_every_binding_of_every_screen() -> None:
    """Generated from the bindings: a key added to a screen appears in the help."""
    from textual.binding import Binding

    from tui.app import SCREEN_MODULES, BudgetApp
    from tui.screens.help import sections

    listed = {what for _, rows in sections() for _, what in rows}
    import importlib

    expected = {b.description for b in BudgetApp.BINDINGS if isinstance(b, Binding)}
    for module, name in SCREEN_MODULES.values():
        screen = getattr(importlib.import_module(module), name)
        for b in vars(screen).get("BINDINGS", []):
            expected.add(b.description if isinstance(b, Binding) else b[2])
    assert {"Xuất Excel", "Thiết lập", "Trang cuối", "Phê duyệt"} <= expected
    assert expected - listed == set()
