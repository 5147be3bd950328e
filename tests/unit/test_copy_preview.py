"""Copying a 2025 plan into 2026: the preview shows what will change and keeps nothing.

Worked by hand from templates/norms (the shipped template reads its awards on
15/7 and 15/12 of the plan's year):

* 2025, NĐ 152/2025/NĐ-CP (from 01/7/2025), base salary 2.340.000 (NĐ 73/2024):
  individual 0,3 -> 702.000 -> 710.000; collective 0,6 -> 1.404.000 -> 1.410.000;
  household 0,45 -> 1.053.000 -> 1.060.000 (rounded up to ten thousands).
* 2026, base salary 2.530.000 from 01/7/2026 (NĐ 161/2026/NĐ-CP):
  0,3 -> 759.000 -> 760.000; 0,6 -> 1.518.000 -> 1.520.000;
  0,45 -> 1.138.500 -> 1.140.000. Conference norms (TT 40/2017) do not change.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from budget.models import AuditEntry, Campaign
from budget.services import campaigns, organisation
from budget.services.estimates import estimate_view
from budget.services.reprice import copy_and_reprice, preview_copy

TEMPLATE = "chinh-quyen-than-thien"
ACTOR = "kiemthu"

CHANGES_2025_2026 = {
    "V.1": (710_000, 760_000, 8 * 710_000, 8 * 760_000),
    "V.2": (1_410_000, 1_520_000, 2 * 1_410_000, 2 * 1_520_000),
    "V.3": (710_000, 760_000, 12 * 710_000, 12 * 760_000),
    "V.4": (1_410_000, 1_520_000, 4 * 1_410_000, 4 * 1_520_000),
    "V.5": (1_060_000, 1_140_000, 2 * 1_060_000, 2 * 1_140_000),
}


def test_preview_of_a_2025_copy_shows_the_2026_prices_and_keeps_nothing(database, norms):  # type: ignore[no-untyped-def]
    with database.session() as s, s.begin():
        organisation.create_organisation(s, code="phu-ly", actor=ACTOR, commune_name="Phú Lý")
        info = campaigns.create_campaign(
            s, norms, year=2025, actor=ACTOR, template_key=TEMPLATE, plan_date=date(2025, 2, 10)
        )
        source = estimate_view(s, info.id)
        prices = {ln.code: ln.unit_price for ln in source.lines if ln.norm_ref}
        assert {k: prices[k] for k in CHANGES_2025_2026} == {
            k: old for k, (old, _, _, _) in CHANGES_2025_2026.items()
        }
        campaigns_before = s.execute(select(func.count(Campaign.id))).scalar_one()
        audit_before = s.execute(select(func.count(AuditEntry.id))).scalar_one()

        preview = preview_copy(
            s, norms, info.code, year=2026, actor=ACTOR, number="5/KH-UBND",
            plan_date=date(2026, 1, 20),
        )  # fmt: skip

        assert {
            c.code: (c.old_price, c.new_price, c.old_amount, c.new_amount) for c in preview.changes
        } == CHANGES_2025_2026
        v1 = next(c for c in preview.changes if c.code == "V.1")
        assert v1.on == date(2026, 7, 15)
        assert v1.difference == 8 * 50_000
        assert "152/2025/NĐ-CP" in v1.basis
        assert "lương cơ sở 2.530.000 đồng từ 01/07/2026" in v1.basis
        assert "161/2026/NĐ-CP" in v1.basis
        # nothing was kept: no campaign, no audit entry
        assert s.execute(select(func.count(Campaign.id))).scalar_one() == campaigns_before
        assert s.execute(select(func.count(AuditEntry.id))).scalar_one() == audit_before

        # the copy itself gives the same changes, and the new plan's number and date
        result = copy_and_reprice(
            s, norms, info.code, year=2026, actor=ACTOR, number="5/KH-UBND",
            plan_date=date(2026, 1, 20),
        )  # fmt: skip
        assert [(c.code, c.new_price) for c in result.changes] == [
            (c.code, c.new_price) for c in preview.changes
        ]
        copied = s.get(Campaign, result.campaign.id)
        assert copied is not None
        assert (copied.year, copied.number, copied.plan_date) == (
            2026,
            "5/KH-UBND",
            date(2026, 1, 20),
        )
