"""First run on an empty SQLite file: the set-up dialog writes the commune, the
next one starts a plan from the shipped template, and the dashboard shows it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from textual.widgets import Input, Select, Static

from tests.tui.test_workflows import SIZE, db_session, make, modal, plain, run, settle

NOW = "2024-12-20T08:00:00"


def test_empty_database_set_up_then_first_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from budget.models import Campaign, EstimateVersion, Organisation
    from tui.modals.simple import FieldsDialog

    monkeypatch.setenv("BUDGET_NOW", NOW)
    url = f"sqlite:///{tmp_path / 'new.db'}"

    async def body() -> None:
        app = make(url)
        async with app.run_test(size=SIZE) as pilot:
            first = await modal(pilot, FieldsDialog)
            await pilot.press("escape")  # not now: nothing written, r asks again
            await settle(pilot, lambda: app.screen is not first, "the dialog to close")
            assert not app.ready
            await pilot.press("r")
            await settle(
                pilot,
                lambda: isinstance(app.screen, FieldsDialog) and app.screen is not first,
                "the set-up again",
            )
            form = app.screen
            assert form.title_text == "BẮT ĐẦU: THÔNG TIN ĐƠN VỊ"
            # The lists: the unit's kind, the 34 provinces, dialect and rounding.
            kinds = form.query_one("#commune_kind", Select)
            assert [str(label) for label, _ in kinds._options] == ["xã", "phường", "đặc khu"]
            province = form.query_one("#province", Select)
            assert province.value is Select.NULL  # nothing chosen for her
            assert len([v for _, v in province._options if v is not Select.NULL]) == 34
            assert app.focused is form.query_one("#commune_name", Input)
            typed = {
                "commune_name": "Tân Hòa",
                "chairman_name": "Nguyễn Văn An",
                "accountant_name": "Trần Thị Bích",
                "preparer_name": "Lê Văn Cường",
            }
            for field, value in typed.items():
                form.query_one(f"#{field}", Input).value = value
            chosen = {
                "commune_kind": "phường",
                "province": "Tỉnh Đồng Tháp",
                "dialect": "nam",
                "rounding": "nearest",
            }
            for field, value in chosen.items():
                form.query_one(f"#{field}", Select).value = value
            await pilot.press("ctrl+s")
            await settle(
                pilot,
                lambda: isinstance(app.screen, FieldsDialog) and app.screen is not form,
                "the first-plan dialog",
            )
            plan = app.screen
            assert plan.title_text == "KẾ HOẠCH ĐẦU TIÊN"
            assert plan.query_one("#year", Input).value == "2024"
            plan.query_one("#number", Input).value = "12/KH-UBND"
            plan.query_one("#date", Input).value = "15/01/2024"
            await pilot.press("ctrl+s")
            await settle(pilot, lambda: app.ready, "the app to open the new plan")
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            from tui.screens.dashboard import DashboardScreen

            assert isinstance(app.screen, DashboardScreen)
            shown = " ".join(plain(w) for w in app.screen.query(Static))
            assert app.sub_title.startswith("cqtt-2024 · Kế hoạch phát động thi đua")
            # The plan's title names the unit by its kind: a phường, not a xã.
            assert app.sub_title.endswith("trên địa bàn phường Tân Hòa năm 2024")
            assert "ỦY BAN NHÂN DÂN PHƯỜNG TÂN HÒA" in shown

    run(body)
    with db_session(url) as s:
        org = s.execute(select(Organisation)).scalar_one()
        assert (org.commune_kind, org.commune_name, org.province) == (
            "phường",
            "Tân Hòa",
            "Tỉnh Đồng Tháp",
        )
        assert (org.chairman_name, org.accountant_name, org.preparer_name) == (
            "Nguyễn Văn An",
            "Trần Thị Bích",
            "Lê Văn Cường",
        )
        assert (org.dialect, org.rounding) == ("nam", "nearest")
        campaign = s.execute(select(Campaign)).scalar_one()
        assert (campaign.year, campaign.number, campaign.plan_date) == (
            2024,
            "12/KH-UBND",
            date(2024, 1, 15),
        )
        assert campaign.title.endswith("trên địa bàn phường Tân Hòa năm 2024")
        assert (
            "của Ủy ban nhân dân phường Tân Hòa về việc giao dự toán thu, chi ngân sách "
            "phường năm 2024;" in campaign.legal_bases
        )
        assert " xã " not in campaign.title
        version = s.execute(select(EstimateVersion)).scalar_one()
        assert (version.version_no, version.status) == (1, "draft")


# -- the whole year in the app alone (issue 15, item 3) ----------------------------------
# Hand-worked for a 2024 plan from the shipped template (awards read on 15/7 and
# 15/12/2024: NĐ 98/2023/NĐ-CP at base salary 2.340.000, rounded up):
# the estimate totals 68.967.500 (tests/unit/test_year_story.py TEMPLATE); its fund
# lines (Mục 6200: V.1..V.5) 2.880.000 + 1.420.000 + 4.320.000 + 2.840.000 + 720.000 =
# 12.180.000. Paid in the year: PC-0001 500.000 on II.4, and decision 300/QĐ-UBND for
# one individual 0,15 × 2.340.000 = 351.000 -> 360.000 and one collective 0,3 ×
# 2.340.000 = 702.000 -> 710.000: 1.070.000 from the fund. Spent 1.570.000.
TOTAL = 68_967_500
FUND_LINES = 2_880_000 + 1_420_000 + 4_320_000 + 2_840_000 + 720_000
PAID_AWARDS = 360_000 + 710_000
SPENT = 500_000 + PAID_AWARDS
OPENING = 20_000_000


def test_the_whole_year_in_the_app_from_an_empty_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, norms: Any
) -> None:
    import openpyxl
    from textual.widgets import DataTable, Select, SelectionList, TextArea

    from budget.models import AwardDecision, EstimateVersion, FundRegister, Voucher
    from tests.tui.test_workflows import agree, closed, fill, go, new_voucher_form
    from tui.modals.award_lines import AwardLinesDialog
    from tui.modals.export import ExportDialog
    from tui.modals.recipients import RecipientsDialog
    from tui.modals.simple import FieldsDialog
    from tui.screens.awards import AwardsScreen
    from tui.screens.campaigns import CampaignsScreen
    from tui.screens.estimate import EstimateScreen
    from tui.screens.summary import SummaryScreen

    monkeypatch.setenv("BUDGET_NOW", NOW)
    url = f"sqlite:///{tmp_path / 'year.db'}"
    target = tmp_path / "quyet-toan-2024.xlsx"

    async def body() -> None:
        app = make(url)
        async with app.run_test(size=SIZE) as pilot:
            # 1. set-up: the commune, then the first plan from the template
            form = await modal(pilot, FieldsDialog)
            await settle(pilot, lambda: form.query_one("#commune_name", Input), "the fields")
            for field, value in {
                "commune_name": "Phú Lý",
                "chairman_name": "Nguyễn Hữu Bình",
                "accountant_name": "Trần Thị Thu Hà",
                "preparer_name": "Trần Thị Thu Hà",
            }.items():
                form.query_one(f"#{field}", Input).value = value
            form.query_one("#province", Select).value = "Tỉnh Ninh Bình"  # from the list
            await pilot.press("ctrl+s")
            await settle(
                pilot,
                lambda: isinstance(app.screen, FieldsDialog) and app.screen is not form,
                "the first-plan dialog",
            )
            plan = app.screen
            await settle(pilot, lambda: plan.query_one("#number", Input), "the plan's fields")
            plan.query_one("#number", Input).value = "45/KH-UBND"
            plan.query_one("#date", Input).value = "15/01/2024"
            await pilot.press("ctrl+s")
            await settle(pilot, lambda: app.ready, "the app to open the new plan")

            # 2. the fund register of the year (F12, o)
            await go(
                pilot, "f12", CampaignsScreen,
                lambda s: s.page is not None and not s.page.fund.opened,
            )  # fmt: skip
            await pilot.press("o")
            dialog = await modal(pilot, FieldsDialog)
            dialog.query_one("#opening", Input).value = "20.000.000"
            await pilot.press("ctrl+s")
            await closed(pilot, dialog)

            # 3. the estimate: submit, approve (QĐ, date, the confirmation)
            estimate = await go(pilot, "f3", EstimateScreen, lambda s: s.data is not None)
            assert estimate.data.view.total == TOTAL
            await pilot.press("s")
            await settle(pilot, lambda: estimate.data.view.status == "submitted", "submitted")
            await pilot.press("p")
            dialog = await modal(pilot, FieldsDialog)
            dialog.query_one("#decision", Input).value = "52/QĐ-UBND"
            dialog.query_one("#date", Input).value = "31/01/2024"
            await pilot.press("ctrl+s")
            await agree(pilot, naming="Phê duyệt dự toán phiên bản 1")
            await closed(pilot, dialog)
            await settle(pilot, lambda: estimate.data.view.status == "approved", "approved")

            # 4. a voucher through the form
            from tui.screens.vouchers import VouchersScreen

            await go(pilot, "f4", VouchersScreen, lambda s: s.total == 0)
            voucher = await new_voucher_form(pilot)
            voucher.query_one("#vtype", Select).value = "phieu_chi"
            voucher.query_one("#line", Select).value = "II.4"
            fill(
                voucher, date="18/03/2024", amount="500.000", payee="Cơ sở mica Phú Lý",
                content="Hộp thư góp ý mica đặt tại trụ sở",
            )  # fmt: skip
            await pilot.press("ctrl+s")
            await closed(pilot, voucher)

            # 5. an award decision, its recipients, the payment
            awards = await go(pilot, "f5", AwardsScreen, lambda s: s.decisions is not None)
            await pilot.press("n")
            lines = await modal(pilot, AwardLinesDialog)
            await settle(pilot, lambda: lines.choices, "the estimate lines")
            fill(lines, number="300/QĐ-UBND", date="20/12/2024", title="Khen thưởng tổng kết")
            picker = lines.query_one("#lines", SelectionList)
            picker.select("V.3")
            picker.select("V.4")
            await pilot.press("ctrl+s")
            await closed(pilot, lines)
            await settle(pilot, lambda: awards.selected == "300/QĐ-UBND", "the new decision")
            await pilot.press("a")
            people = await modal(pilot, RecipientsDialog)
            people.query_one("#pasted", TextArea).text = (
                "Nguyễn Văn An; Công chức Văn phòng; giay_khen_ca_nhan\n"
                "Ấp Phú Thạch; xã Phú Lý; giay_khen_tap_the"
            )
            await pilot.press("ctrl+s")
            await closed(pilot, people)
            await settle(pilot, lambda: awards.selected == "300/QĐ-UBND", "still selected")
            await pilot.press("p")
            dialog = await modal(pilot, FieldsDialog)
            await pilot.press("ctrl+s")
            await agree(pilot, naming="Chi thưởng theo quyết định 300/QĐ-UBND")
            await closed(pilot, dialog)

            # 6. the settlement workbook (F8)
            await pilot.press("f8")
            export = await modal(pilot, ExportDialog)
            export.query_one("#kind", Select).value = "settlement"
            path = export.query_one("#path", Input)
            await settle(pilot, lambda: path.value.endswith(".xlsx"), "the default name")
            path.value = str(target)
            await pilot.press("ctrl+s")
            await settle(
                pilot,
                lambda: "Đã lưu" in plain(export.query_one("#form-error", Static)),
                "the export",
                timeout=30,
            )
            await pilot.press("escape")
            await settle(pilot, lambda: app.screen is not export, "the export dialog to close")

            # 7. the chairman's page (F7)
            summary = await go(
                pilot, "f7", SummaryScreen,
                lambda s: "68.967.500" in plain(s.query_one("#summary-heading", Static)),
            )  # fmt: skip
            heading = plain(summary.query_one("#summary-heading", Static))
            assert "Dự toán 68.967.500" in heading
            assert "Đã chi 1.570.000" in heading
            assert "Còn lại 67.397.500" in heading  # 68.967.500 - 1.570.000

            # the fund on the campaigns page: 20.000.000 - 1.070.000 = 18.930.000
            campaigns = await go(
                pilot, "f12", CampaignsScreen,
                lambda s: s.page is not None and s.page.fund.spent == PAID_AWARDS,
            )  # fmt: skip
            fund = plain(campaigns.query_one("#campaigns-fund", Static))
            assert "đầu năm 20.000.000" in fund and "số dư 18.930.000" in fund
            table = campaigns.query_one("#campaigns", DataTable)
            assert table.row_count == 2

    run(body)

    with db_session(url) as s:
        version = s.execute(select(EstimateVersion)).scalar_one()
        assert (version.status, version.decision_number, version.decision_date) == (
            "approved",
            "52/QĐ-UBND",
            date(2024, 1, 31),
        )
        register = s.execute(select(FundRegister)).scalar_one()
        assert (register.year, register.opening_balance) == (2024, OPENING)
        vouchers = s.execute(select(Voucher).order_by(Voucher.id)).scalars().all()
        assert [(v.number, v.line_code, v.amount) for v in vouchers[:1]] == [
            ("PC-0001", "II.4", 500_000)
        ]
        decision = s.execute(select(AwardDecision)).scalar_one()
        assert decision.paid_at is not None
        paid = [v for v in vouchers if v.award_decision_id == decision.id]
        assert sum(v.amount for v in paid) == PAID_AWARDS
        assert sum(v.spent_delta for v in vouchers) == SPENT
        from budget.services.fund import fund_status

        status = fund_status(s, norms, register.organisation_id, 2024)
        assert (status.approved, status.spent, status.balance) == (
            FUND_LINES,
            PAID_AWARDS,
            OPENING - PAID_AWARDS,
        )

    book = openpyxl.load_workbook(target, data_only=True)
    sheet = book["Quyết toán"]
    totals = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Tổng cộng")
    # Dự toán ban đầu, Dự toán, Thực hiện (đã chi), Tạm ứng, Còn lại, Chênh lệch
    assert list(totals[3:9]) == [TOTAL, TOTAL, SPENT, 0, TOTAL - SPENT, TOTAL - SPENT]
