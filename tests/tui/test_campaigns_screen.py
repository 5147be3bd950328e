"""The commune-wide page (F12): both campaigns of 2026 and the fund they share,
built by tests/unit/test_fund_postings.build_year. Figures by hand: each 2026 plan
totals 83.387.500 (tests/unit/test_fund.py); "cqtt-a" paid I.5 4.500.000 and
"cqtt-b" paid IV.5 5.000.000 from the fund. Fund: 40.000.000 opening +
10.000.000 allocated, 9.500.000 spent -> balance 40.500.000; emulation work
9.500.000 against a cap of 20 % = 10.000.000."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Static

from tests.tui.test_workflows import cell_text, go, make, opened, plain, run, settle
from tests.unit.test_fund_postings import build_year


def test_campaigns_screen_lists_both_and_enter_switches(db_url: str, norms: Any) -> None:
    from budget.db import open_database
    from budget.models import Organisation
    from tui.screens.campaigns import CampaignsScreen

    database = open_database(db_url)
    with database.session() as s, s.begin():
        org, a, b = build_year(s, norms)
        org_id = org.id
    database.dispose()

    async def body() -> None:
        app = make(db_url)
        async with app.run_test(size=(120, 36)) as pilot:
            await opened(pilot)
            assert app.backend.campaign_id == b.id  # the commune's current campaign
            screen = await go(
                pilot, "f12", CampaignsScreen,
                lambda s: s.query_one("#campaigns", DataTable).row_count == 3,
            )  # fmt: skip
            table = screen.query_one("#campaigns", DataTable)
            rows = {key.value: [cell_text(c) for c in table.get_row(key)] for key in table.rows}
            assert rows["cqtt-a"][2:] == ["83.387.500", "4.500.000", "0", "78.887.500"]
            assert rows["cqtt-b"][2:] == ["83.387.500", "5.000.000", "0", "78.387.500"]
            assert rows["__total__"][2:] == ["166.775.000", "9.500.000", "0", "157.275.000"]
            fund = plain(screen.query_one("#campaigns-fund", Static))
            assert "đầu năm 40.000.000 · trích lập 10.000.000 · đã chi 9.500.000" in fund
            assert "số dư 40.500.000" in fund
            assert "đã chi 9.500.000" in fund and "trần 20 % = 10.000.000" in fund

            table.focus()
            table.move_cursor(row=table.get_row_index("cqtt-a"))
            await pilot.press("enter")
            await settle(pilot, lambda: app.backend.campaign_id == a.id, "the switch")
            await settle(
                pilot,
                lambda: (
                    "đang làm việc: cqtt-a" in plain(screen.query_one("#campaigns-heading", Static))
                ),
                "the heading",
            )
            assert "cqtt-a" in app.sub_title

    run(body)
    database = open_database(db_url)
    with database.session() as s:  # the commune's current campaign is untouched
        assert s.get(Organisation, org_id).current_campaign_id == b.id
    database.dispose()


def test_line_form_sets_the_funding_source(db_url: str, norms: Any) -> None:
    """I.5 (launch meals, Mục 6xxx other than 62xx) is on regular spending by
    default; the line dialog moves it to a source the commune defined."""
    from datetime import date

    from sqlalchemy import select
    from textual.widgets import Select

    from budget.db import open_database
    from budget.models import EstimateLine
    from budget.services import campaigns, fund, organisation
    from tests.tui.test_workflows import closed, modal
    from tui.modals.line_form import LineForm
    from tui.screens.estimate import EstimateScreen

    database = open_database(db_url)
    with database.session() as s, s.begin():
        org = organisation.create_organisation(s, code="phu-ly", actor="kt", commune_name="Phú Lý")
        info = campaigns.create_campaign(
            s, norms, year=2026, actor="kt", template_key="chinh-quyen-than-thien",
            plan_date=date(2026, 1, 15), code="cqtt",
        )  # fmt: skip
        fund.add_source(s, org.id, "xa_hoi_hoa", "Xã hội hóa", actor="kt")
    database.dispose()

    async def body() -> None:
        app = make(db_url)
        async with app.run_test(size=(120, 36)) as pilot:
            await opened(pilot)
            screen = await go(pilot, "f3", EstimateScreen, lambda s: s.data is not None)
            table = screen.query_one("#estimate", DataTable)
            table.focus()
            table.move_cursor(row=table.get_row_index("line:I.5"))
            await pilot.press("enter")
            form = await modal(pilot, LineForm)
            source = form.query_one("#source", Select)
            assert source.value == "thuong_xuyen"  # the default for its budget code
            labels = [str(label) for label, _ in form.source_choices]
            assert labels[-3:] == ["Quỹ thi đua, khen thưởng", "Chi thường xuyên", "Xã hội hóa"]
            source.value = "xa_hoi_hoa"
            await pilot.press("ctrl+s")
            await closed(pilot, form)

    run(body)
    database = open_database(db_url)
    with database.session() as s:
        stored = s.execute(
            select(EstimateLine.funding_source).where(EstimateLine.code == "I.5")
        ).scalar_one()
    database.dispose()
    assert stored == "xa_hoi_hoa"
    assert info.code == "cqtt"
