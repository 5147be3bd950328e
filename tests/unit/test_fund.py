"""The emulation-reward fund shared by two campaigns of 2026 (issue #11).

Hand-worked: a 2026 template plan dated 15/01/2026 prices its awards on
15/7 and 15/12 at 2.530.000: 8 × 760.000 + 2 × 1.520.000 + 12 × 760.000
+ 4 × 1.520.000 + 2 × 1.140.000 = 26.600.000 charged to the fund (Mục 62xx).
Fund: 30.000.000 opening + 30.000.000 allocated = 60.000.000; the 20 % cap
(TT 28/2025/TT-BTC) is 12.000.000.
"""

from __future__ import annotations

from datetime import date

import pytest

from budget.errors import ValidationError
from budget.services import approval, campaigns, fund, organisation
from budget.services.versions import latest_version
from budget.services.vouchers import post_voucher

ACTOR = "kiemthu"
AWARDS = 8 * 760_000 + 2 * 1_520_000 + 12 * 760_000 + 4 * 1_520_000 + 2 * 1_140_000
MEALS_LAUNCH = 45 * 100_000  # I.5
TONG_KET = 1_720_000 + 1_350_000 + 90 * 12_000 + 90 * 40_000 + 50 * 100_000  # part IV


def _plan(s, norms, code):  # type: ignore[no-untyped-def]
    return campaigns.create_campaign(
        s, norms, year=2026, actor=ACTOR, template_key="chinh-quyen-than-thien",
        plan_date=date(2026, 1, 15), code=code,
    )  # fmt: skip


def _approve(s, norms, info, number, reason=None):  # type: ignore[no-untyped-def]
    approval.submit(s, info.id, actor=ACTOR)
    version = latest_version(s, info.id)
    fund.check_estimate(s, norms, info.id, version.id, override_reason=reason, actor=ACTOR)
    approval.approve(
        s, info.id, decision_number=number, decision_date=date(2026, 2, 1), actor=ACTOR
    )


def test_two_campaigns_share_the_fund_and_its_cap(database, norms):  # type: ignore[no-untyped-def]
    assert AWARDS == 26_600_000 and TONG_KET == 12_750_000
    with database.session() as s, s.begin():
        org = organisation.create_organisation(s, code="phu-ly", actor=ACTOR, commune_name="Phú Lý")
        fund.open_fund(s, org.id, 2026, 30_000_000, actor=ACTOR)
        fund.allocate(
            s, org.id, 2026, 30_000_000, decision_number="12/QĐ-UBND",
            decision_date=date(2026, 1, 10), actor=ACTOR,
        )  # fmt: skip
        first = _plan(s, norms, "cqtt-2026")
        fund.set_line_source(s, first.id, "I.5", "quy_tdkt", actor=ACTOR)
        _approve(s, norms, first, "01/QĐ-UBND")
        post_voucher(
            s, first.id, line_code="V.1", amount=2_000_000, entry_date=date(2026, 7, 20),
            payee="Nguyễn Văn A", content="Chi thưởng sơ kết", actor=ACTOR,
        )  # fmt: skip
        status = fund.fund_status(s, norms, org.id, 2026)
        assert (status.total, status.approved, status.spent) == (
            60_000_000,
            AWARDS + MEALS_LAUNCH,
            2_000_000,
        )
        assert status.balance == 58_000_000
        assert (status.emulation_approved, status.cap_limit) == (4_500_000, 12_000_000)

        # All campaigns on one page. The 2026 plan's total by part, by hand:
        # I 11.920.000, II 23.637.500, III 7.220.000, IV 12.750.000,
        # V 26.600.000 + 28 × 45.000 = 27.860.000 -> 83.387.500.
        from budget.reports.campaigns import campaigns_page

        page = campaigns_page(s, norms, org.id, 2026)
        assert [(r.code, r.figures.approved, r.figures.spent) for r in page.rows] == [
            ("cqtt-2026", 83_387_500, 2_000_000)
        ]
        assert page.fund.balance == 58_000_000

        second = _plan(s, norms, "cqtt-2026-b")
        for n in range(1, 6):
            fund.set_line_source(s, second.id, f"IV.{n}", "quy_tdkt", actor=ACTOR)
        # 4.500.000 + 12.750.000 = 17.250.000 > 12.000.000, and fund lines
        # 2 × 26.600.000 + 17.250.000 = 70.450.000 > 60.000.000: refused without a reason.
        approval.submit(s, second.id, actor=ACTOR)
        version = latest_version(s, second.id)
        with pytest.raises(ValidationError, match="vượt trần 20 %"):
            fund.check_estimate(s, norms, second.id, version.id, override_reason=None, actor=ACTOR)
        over = fund.check_estimate(
            s, norms, second.id, version.id, override_reason="HĐND xã đồng ý", actor=ACTOR
        )
        assert over is not None
        assert (over.approved, over.emulation_approved) == (70_450_000, 17_250_000)
