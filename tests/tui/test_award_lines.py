"""Issue 16.4 through the TUI: the user sees and chooses the line an award decision
pays from, the voucher lands on it; duplicates are confirmed; a recipient is
removed before payment. Figures from budget/demo.py: giấy khen cá nhân and hộ gia
đình 0,15 × 2.340.000 = 351.000 -> 360.000; the next phiếu chi is PC-0018."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from textual.widgets import DataTable, SelectionList, TextArea

from tests.tui.test_workflows import (
    SIZE,
    agree,
    closed,
    db_session,
    fill,
    go,
    make,
    modal,
    opened,
    plain,
    run,
    settle,
)
from tests.tui.test_workflows import demo_url as demo_url  # the demo-year fixture


def _recipients(url: str, number: str) -> list[tuple[int, str, str, int]]:
    from budget.models import AwardDecision, AwardRecipient

    with db_session(url) as s:
        rows = s.execute(
            select(
                AwardRecipient.position,
                AwardRecipient.name,
                AwardRecipient.line_code,
                AwardRecipient.amount,
            )
            .join(AwardDecision, AwardDecision.id == AwardRecipient.decision_id)
            .where(AwardDecision.number == number)
            .order_by(AwardRecipient.position)
        ).all()
    return [tuple(r) for r in rows]


def test_the_chosen_line_is_where_the_voucher_lands(demo_url: str) -> None:
    from budget.models import AwardDecision, Voucher
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
            dialog: Any = await modal(pilot, AwardLinesDialog)
            await settle(pilot, lambda: dialog.choices, "the estimate lines")
            fill(dialog, number=number, date="20/12/2024", title="Khen thưởng tổng kết bổ sung")
            # the tổng kết lines are proposed, and shown with what remains on them
            await settle(pilot, lambda: dialog.selected, "the proposal")
            assert dialog.selected == ("V.3", "V.4", "V.5")
            status = plain(dialog.query_one("#lines-status"))
            assert "V.3 (còn 4.320.000)" in status  # 12 × 360.000, nothing paid yet
            # the user decides otherwise: everything from V.3
            lines = dialog.query_one("#lines", SelectionList)
            lines.deselect("V.4")
            lines.deselect("V.5")
            assert dialog.selected == ("V.3",)
            await pilot.press("ctrl+s")
            await closed(pilot, dialog)
            await settle(pilot, lambda: screen.selected == number, "the new decision")
            assert "dòng chi V.3" in plain(screen.query_one("#decision-info"))

            await pilot.press("a")
            dialog = await modal(pilot, RecipientsDialog)
            dialog.query_one("#pasted", TextArea).text = (
                "Lê Văn Mới; Công chức Văn phòng; giay_khen_ca_nhan\n"
                "Hộ bà Năm Tư; ấp Lý Lịch 1; giay_khen_ho_gia_dinh"
            )
            await pilot.press("ctrl+s")
            await closed(pilot, dialog)
            assert _recipients(demo_url, number) == [
                (1, "Lê Văn Mới", "V.3", 360_000),
                (2, "Hộ bà Năm Tư", "V.3", 360_000),  # not V.5: the user chose V.3
            ]

            await settle(pilot, lambda: screen.selected == number, "decision still selected")
            await pilot.press("p")
            dialog = await modal(pilot, FieldsDialog)
            assert "dòng V.3: 720.000 (còn 4.320.000)" in dialog.intro
            await pilot.press("ctrl+s")
            await agree(pilot, naming="Chi thưởng theo quyết định")
            await closed(pilot, dialog)

        with db_session(demo_url) as s:
            decision = s.execute(
                select(AwardDecision).where(AwardDecision.number == number)
            ).scalar_one()
            paid = s.execute(
                select(Voucher.number, Voucher.line_code, Voucher.amount).where(
                    Voucher.award_decision_id == decision.id
                )
            ).all()
        assert [tuple(v) for v in paid] == [("PC-0018", "V.3", 2 * 360_000)]

    run(body)


def test_a_duplicate_is_confirmed_and_a_recipient_removed(demo_url: str) -> None:
    from tui.modals.recipients import RecipientsDialog
    from tui.modals.simple import ConfirmDialog
    from tui.screens.awards import AwardsScreen

    number = "210/QĐ-UBND"  # unpaid: An, Bích, Bộ phận tiếp nhận, Hộ ông Sáu

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await go(pilot, "f5", AwardsScreen, lambda s: len(s.decisions) == 2)
            assert screen.selected == number
            await pilot.press("a")
            dialog: Any = await modal(pilot, RecipientsDialog)
            fill(dialog, name="  nguyễn  văn AN ", title="Ấp 3")
            await pilot.press("ctrl+s")
            question = await modal(pilot, ConfirmDialog)
            assert "«Nguyễn Văn An»" in question.question and "STT 1" in question.question
            await pilot.press("escape")  # not confirmed: nothing added
            await settle(pilot, lambda: app.screen is dialog, "back in the dialog")
            assert len(_recipients(demo_url, number)) == 4
            await pilot.press("ctrl+s")
            question = await modal(pilot, ConfirmDialog)
            await pilot.press("ctrl+s")  # confirmed: a different person of the same name
            await closed(pilot, dialog)
            assert [r[1] for r in _recipients(demo_url, number)][-1] == "nguyễn  văn AN"

            await settle(pilot, lambda: len(screen._current().recipients) == 5, "5 recipients")
            screen.query_one("#recipients", DataTable).move_cursor(row=1)  # STT 2, Bích
            await pilot.press("x")
            question = await modal(pilot, ConfirmDialog)
            assert "STT 2 «Trần Thị Bích»" in question.question
            await pilot.press("ctrl+s")
            await settle(pilot, lambda: len(_recipients(demo_url, number)) == 4, "removed")
            await app.workers.wait_for_complete()
        assert [(r[0], r[1]) for r in _recipients(demo_url, number)] == [
            (1, "Nguyễn Văn An"),
            (2, "Bộ phận tiếp nhận và trả kết quả xã"),
            (3, "Hộ ông Nguyễn Văn Sáu"),
            (4, "nguyễn  văn AN"),
        ]

    run(body)


def test_a_recipient_is_corrected_in_the_dialog(demo_url: str) -> None:
    from textual.widgets import Input, Select

    from tui.modals.recipients import RecipientEditDialog
    from tui.screens.awards import AwardsScreen

    number = "210/QĐ-UBND"  # lines V.3, V.4, V.5; STT 4 Hộ ông Nguyễn Văn Sáu on V.5

    async def body() -> None:
        app = make(demo_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            screen = await go(pilot, "f5", AwardsScreen, lambda s: len(s.decisions) == 2)
            screen.query_one("#recipients", DataTable).move_cursor(row=3)
            await pilot.press("e")
            dialog: Any = await modal(pilot, RecipientEditDialog)
            assert dialog.query_one("#name", Input).value == "Hộ ông Nguyễn Văn Sáu"
            dialog.query_one("#name", Input).value = "Tổ tự quản ấp Lý Lịch 2"
            dialog.query_one("#form", Select).value = "giay_khen_tap_the"
            await pilot.press("ctrl+s")
            await closed(pilot, dialog)
        # a collective now: 0,3 × 2.340.000 = 702.000 -> 710.000, on the tổng kết collective line
        assert _recipients(demo_url, number)[3] == (4, "Tổ tự quản ấp Lý Lịch 2", "V.4", 710_000)

    run(body)
