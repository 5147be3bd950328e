"""Copying a plan to the next year from the campaigns page (F12, c): the dialog asks
the new plan's number and date, shows every re-priced line before anything is
written, and writes the copy only when the user agrees.

Hand-worked from templates/norms (awards read on 15/7 and 15/12 of the year):
2025 under NĐ 152/2025/NĐ-CP at base salary 2.340.000: Giấy khen cá nhân
0,3 -> 702.000 -> 710.000, tập thể 0,6 -> 1.404.000 -> 1.410.000, hộ gia đình
0,45 -> 1.053.000 -> 1.060.000. 2026 at 2.530.000 (NĐ 161/2026/NĐ-CP from
01/7/2026): 760.000, 1.520.000 and 0,45 -> 1.138.500 -> 1.140.000.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from textual.widgets import DataTable, Input, Static

from tests.tui.test_workflows import (
    SIZE,
    cell_text,
    closed,
    db_session,
    go,
    make,
    modal,
    opened,
    plain,
    run,
    settle,
)

EXPECTED = {  # line: (old price, new price)
    "V.1": (710_000, 760_000),
    "V.2": (1_410_000, 1_520_000),
    "V.3": (710_000, 760_000),
    "V.4": (1_410_000, 1_520_000),
    "V.5": (1_060_000, 1_140_000),
}


def test_copy_to_2026_shows_the_changes_then_writes_them(db_url: str, norms: Any) -> None:
    from budget.db import open_database
    from budget.models import Campaign, EstimateLine, EstimateVersion
    from budget.services import campaigns, organisation
    from tui.modals.copy_plan import CopyPlanDialog, RepriceReview
    from tui.screens.campaigns import CampaignsScreen

    database = open_database(db_url)
    with database.session() as s, s.begin():
        organisation.create_organisation(s, code="phu-ly", actor="kt", commune_name="Phú Lý")
        campaigns.create_campaign(
            s, norms, year=2025, actor="kt", template_key="chinh-quyen-than-thien",
            plan_date=date(2025, 2, 10), code="cqtt-2025", number="12/KH-UBND",
        )  # fmt: skip
    database.dispose()

    async def body() -> None:
        app = make(db_url)
        async with app.run_test(size=SIZE) as pilot:
            await opened(pilot)
            await go(
                pilot, "f12", CampaignsScreen,
                lambda s: s.query_one("#campaigns", DataTable).row_count == 2,
            )  # fmt: skip
            await pilot.press("c")
            dialog = await modal(pilot, CopyPlanDialog)
            assert dialog.query_one("#year", Input).value == "2026"
            dialog.query_one("#number", Input).value = "05/KH-UBND"
            dialog.query_one("#date", Input).value = "20/01/2026"
            await pilot.press("ctrl+s")
            review = await modal(pilot, RepriceReview)
            table = review.query_one("#reprice", DataTable)
            shown = {key.value: [cell_text(c) for c in table.get_row(key)] for key in table.rows}
            assert {k: (v[3], v[4]) for k, v in shown.items()} == {
                k: (f"{old:,}".replace(",", "."), f"{new:,}".replace(",", "."))
                for k, (old, new) in EXPECTED.items()
            }
            assert shown["V.1"][5] == "+400.000"  # 8 × 50.000
            bases = plain(review.query_one("#reprice-bases", Static))
            assert "152/2025/NĐ-CP" in bases and "161/2026/NĐ-CP" in bases
            assert "lương cơ sở 2.530.000 đồng từ 01/07/2026" in bases
            heading = plain(review.query_one("#reprice-heading", Static))
            assert "số 05/KH-UBND · ngày 20/01/2026" in heading
            # 8×50.000 + 2×110.000 + 12×50.000 + 4×110.000 + 2×80.000 = 1.820.000
            assert "5 dòng đổi đơn giá" in heading and "tăng 1.820.000 đồng" in heading
            with db_session(db_url) as s:  # the preview wrote nothing
                assert s.execute(select(func.count(Campaign.id))).scalar_one() == 1

            await pilot.press("ctrl+s")
            await closed(pilot, review)
            await closed(pilot, dialog)
            await settle(pilot, lambda: "cqtt-2026" in app.sub_title, "the app on the copy")

    run(body)
    with db_session(db_url) as s:
        copy = s.execute(select(Campaign).where(Campaign.year == 2026)).scalar_one()
        assert (copy.code, copy.number, copy.plan_date) == (
            "cqtt-2026",
            "05/KH-UBND",
            date(2026, 1, 20),
        )
        version = s.execute(
            select(EstimateVersion).where(EstimateVersion.campaign_id == copy.id)
        ).scalar_one()
        assert version.status == "draft"
        prices = dict(
            s.execute(
                select(EstimateLine.code, EstimateLine.unit_price).where(
                    EstimateLine.version_id == version.id, EstimateLine.code.in_(list(EXPECTED))
                )
            ).all()
        )
        assert prices == {k: new for k, (_, new) in EXPECTED.items()}
