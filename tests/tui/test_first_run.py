"""First run on an empty SQLite file: the set-up dialog writes the commune, the
next one starts a plan from the shipped template, and the dashboard shows it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
