"""Approve, pay and reverse ask first, naming what becomes final; Esc on that
question writes nothing.  Figures from the demo year (budget/demo.py): PC-0001 is
1.650.000 on I.1; the approved version 2 totals 71.817.500 (a copy as version 3
has the same total); decision 210/QĐ-UBND (4 recipients, 1.790.000) is not paid yet."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from textual.widgets import DataTable, Input

from tests.tui.test_workflows import (
    SIZE,
    cursor_to,
    db_session,
    go,
    make,
    modal,
    opened,
    register_key,
    run,
    settle,
    voucher_count,
    vouchers_screen,
)
from tests.tui.test_workflows import demo_url as demo_url  # the demo-year fixture


async def refuse(pilot: Any, question: str) -> None:
    """The confirmation says ``question``; Esc closes it and leaves the form open."""
    from tui.modals.simple import ConfirmDialog, FieldsDialog

    form = pilot.app.screen
    await pilot.press("ctrl+s")
    dialog = await modal(pilot, ConfirmDialog)
    assert dialog.question == question
    await pilot.press("escape")
    await settle(pilot, lambda: pilot.app.screen is form, "back on the form")
    assert isinstance(form, FieldsDialog)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.2)


def test_esc_on_reverse_confirmation_writes_nothing(demo_url: str) -> None:
    from tui.modals.simple import FieldsDialog

    before = voucher_count(demo_url)

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await vouchers_screen(pilot)
            table = screen.query_one("#register", DataTable)
            await cursor_to(pilot, table, register_key(screen, "PC-0001"))
            await pilot.press("x")
            form = await modal(pilot, FieldsDialog)
            form.query_one("#reason", Input).value = "Ghi nhầm dòng"
            await refuse(
                pilot,
                "Hủy chứng từ PC-0001 (1.650.000 đồng, dòng I.1): bút toán hủy ghi vào sổ, "
                "không xóa hay khôi phục được nữa. Hủy chứng từ?",
            )

    run(body)
    from budget.models import Voucher

    assert voucher_count(demo_url) == before
    with db_session(demo_url) as s:
        assert s.execute(select(Voucher).where(Voucher.number == "PC-0001-H")).first() is None


def test_esc_on_pay_confirmation_writes_nothing(demo_url: str) -> None:
    from budget.models import AwardDecision, Voucher
    from tui.modals.simple import FieldsDialog
    from tui.screens.awards import AwardsScreen

    before = voucher_count(demo_url)

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await go(pilot, "f5", AwardsScreen, lambda s: len(s.decisions) == 2)
            assert screen.selected == "210/QĐ-UBND"
            await pilot.press("p")
            await modal(pilot, FieldsDialog)
            await refuse(
                pilot,
                "Chi thưởng theo quyết định 210/QĐ-UBND (1.790.000 đồng, 4 người/tập thể): "
                "sau khi chi, quyết định và danh "
                "sách người nhận không sửa được nữa. Chi thưởng?",
            )

    run(body)
    assert voucher_count(demo_url) == before
    with db_session(demo_url) as s:
        decision = s.execute(
            select(AwardDecision).where(AwardDecision.number == "210/QĐ-UBND")
        ).scalar_one()
        assert decision.paid_at is None
        paid = s.execute(
            select(func.count(Voucher.id)).where(Voucher.award_decision_id == decision.id)
        ).scalar_one()
        assert paid == 0


def test_esc_on_approve_confirmation_writes_nothing(demo_url: str) -> None:
    from budget.models import EstimateVersion
    from budget.services import approval
    from budget.services.campaigns import find_campaign
    from tui.modals.simple import FieldsDialog
    from tui.screens.estimate import EstimateScreen

    with db_session(demo_url) as s, s.begin():
        cid = find_campaign(s).id
        approval.adjust(s, cid, actor="kiemthu", reason="Thử")
        approval.submit(s, cid, actor="kiemthu")

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await go(
                pilot, "f3", EstimateScreen, lambda s: s.query_one("#estimate", DataTable).row_count
            )
            await settle(pilot, lambda: screen.data.view.status == "submitted", "version 3")
            await pilot.press("p")
            form = await modal(pilot, FieldsDialog)
            form.query_one("#decision", Input).value = "150/QĐ-UBND"
            await refuse(
                pilot,
                "Phê duyệt dự toán phiên bản 3 (71.817.500 đồng): sau khi duyệt không sửa "
                "được nữa. Phê duyệt?",
            )

    run(body)
    with db_session(demo_url) as s:
        v3 = s.execute(select(EstimateVersion).where(EstimateVersion.version_no == 3)).scalar_one()
        assert (v3.status, v3.decision_number) == ("submitted", None)
