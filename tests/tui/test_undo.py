"""Ctrl+Z takes back the last draft edit, through the core, and the database shows it:
a line deleted from the draft estimate comes back whole; a recipient removed from an
unpaid decision comes back in its place; with nothing left to undo, one line says so.

Demo year (budget/demo.py): ``plan adjust`` makes version 3, a draft copy of the
approved version 2, whose first line is I.1; decision 210/QĐ-UBND has 4 recipients."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from textual.widgets import DataTable

from tests.tui.test_workflows import (
    SIZE,
    agree,
    cursor_to,
    db_session,
    go,
    make,
    modal,
    opened,
    run,
    settle,
)
from tests.tui.test_workflows import demo_url as demo_url  # the demo-year fixture


def _line(url: str, code: str) -> dict[str, Any] | None:
    from budget.models import EstimateLine, EstimateVersion

    with db_session(url) as s:
        line = s.execute(
            select(EstimateLine)
            .join(EstimateVersion, EstimateVersion.id == EstimateLine.version_id)
            .where(EstimateVersion.version_no == 3, EstimateLine.code == code)
        ).scalar_one_or_none()
        if line is None:
            return None
        return {
            c: getattr(line, c)
            for c in (col.key for col in EstimateLine.__table__.columns)
            if c != "id"
        }


def _names(url: str) -> list[tuple[int, str]]:
    from budget.models import AwardDecision, AwardRecipient

    with db_session(url) as s:
        rows = s.execute(
            select(AwardRecipient.position, AwardRecipient.name)
            .join(AwardDecision, AwardDecision.id == AwardRecipient.decision_id)
            .where(AwardDecision.number == "210/QĐ-UBND")
            .order_by(AwardRecipient.position)
        )
        return [(p, n) for p, n in rows]


def _undo_summaries(url: str) -> list[str]:
    from budget.models import AuditEntry

    with db_session(url) as s:
        return list(
            s.execute(select(AuditEntry.summary).where(AuditEntry.action == "undo")).scalars()
        )


async def _notified(pilot: Any, text: str) -> None:
    await settle(
        pilot,
        lambda: any(n.message == text for n in pilot.app._notifications),
        f"the notification {text!r}",
        timeout=30,
    )


def test_ctrl_z_brings_back_a_deleted_draft_line(demo_url: str) -> None:
    from budget.db import open_database
    from budget.services import approval
    from budget.services.campaigns import find_campaign
    from budget.services.draft_undo import NOTHING
    from tui.modals.simple import FieldsDialog
    from tui.screens.estimate import EstimateScreen

    database = open_database(demo_url)
    with database.write_session() as s, s.begin():
        approval.adjust(s, find_campaign(s).id, actor="kiemthu", reason="Thử")
    database.dispose()
    before = _line(demo_url, "I.1")
    assert before is not None

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await pilot.press("ctrl+z")  # nothing edited yet in this session
            await _notified(pilot, NOTHING)
            screen = await go(
                pilot, "f3", EstimateScreen, lambda s: s.query_one("#estimate", DataTable).row_count
            )
            await settle(pilot, lambda: screen.data.view.status == "draft", "version 3")
            table = screen.query_one("#estimate", DataTable)
            await cursor_to(pilot, table, "line:I.1")
            await pilot.press("delete")
            await modal(pilot, FieldsDialog)
            await pilot.press("ctrl+s")
            await settle(pilot, lambda: _line(demo_url, "I.1") is None, "I.1 deleted", 30)
            await settle(pilot, lambda: app.screen is screen, "back on the estimate")
            await pilot.press("ctrl+z")
            await _notified(pilot, "Đã hoàn tác: xóa dòng I.1 của dự toán phiên bản 3.")
            await pilot.press("ctrl+z")
            await _notified(pilot, NOTHING)

    run(body)
    assert _line(demo_url, "I.1") == before
    assert _undo_summaries(demo_url) == ["Hoàn tác: xóa dòng I.1 của dự toán phiên bản 3"]


def test_ctrl_z_brings_back_a_removed_recipient(demo_url: str) -> None:
    from tui.screens.awards import AwardsScreen

    before = _names(demo_url)
    assert len(before) == 4

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await go(pilot, "f5", AwardsScreen, lambda s: len(s.decisions) == 2)
            assert screen.selected == "210/QĐ-UBND"
            recipients = screen.query_one("#recipients", DataTable)
            recipients.focus()
            await pilot.pause()
            recipients.move_cursor(row=1)  # STT 2
            await pilot.pause()
            await pilot.press("x")
            await agree(pilot)
            await settle(pilot, lambda: len(_names(demo_url)) == 3, "STT 2 removed", 30)
            await app.workers.wait_for_complete()
            await pilot.press("ctrl+z")
            await _notified(pilot, "Đã hoàn tác: xóa người nhận khỏi quyết định 210/QĐ-UBND.")

    run(body)
    assert _names(demo_url) == before
