"""Posting a voucher against the emulation-reward fund's balance and cap (issue #11).

Hand-worked: the fund of 2026 is 50.000.000 (40.000.000 opening + 10.000.000
allocated); the 20 % cap of TT 28/2025/TT-BTC is 10.000.000. Two campaigns from
the 2026 template ("chinh-quyen-than-thien", dated 15/01/2026) charge it:

* "cqtt-a" funds I.5 (launch meals, part "phat_dong", 45 × 100.000 = 4.500.000)
  from the fund and pays it in full: emulation work charged 4.500.000.
* "cqtt-b" funds IV.1 (1.720.000) and IV.5 (50 × 100.000 = 5.000.000), both in
  part "tong_ket", from the fund. Paying IV.5 brings the emulation work to
  9.500.000 (under the cap); then paying IV.1 would bring it to 11.220.000 >
  10.000.000: refused unless a reason is given.
* IV.2 of "cqtt-b" (1.350.000) stays on regular spending: it never counts.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from budget.errors import ValidationError
from budget.models import AuditEntry
from budget.services import approval, campaigns, fund, organisation
from budget.services.versions import latest_version
from budget.services.vouchers import line_balance, post_voucher

ACTOR = "kiemthu"
CAP = 10_000_000
REASON = "Chủ tịch UBND xã đồng ý chi tổng kết"


def _plan(s, norms, code, fund_lines):  # type: ignore[no-untyped-def]
    info = campaigns.create_campaign(
        s, norms, year=2026, actor=ACTOR, template_key="chinh-quyen-than-thien",
        plan_date=date(2026, 1, 15), code=code,
    )  # fmt: skip
    for line in fund_lines:
        fund.set_line_source(s, info.id, line, "quy_tdkt", actor=ACTOR)
    approval.submit(s, info.id, actor=ACTOR)
    version = latest_version(s, info.id)
    # Both plans' award lines (Mục 62xx) also come from the fund: approving the
    # second one goes over the fund, with a reason (tested in test_fund.py).
    fund.check_estimate(s, norms, info.id, version.id, override_reason="duyệt", actor=ACTOR)
    approval.approve(
        s, info.id, decision_number=f"{code}/QĐ", decision_date=date(2026, 2, 1), actor=ACTOR
    )
    return info


def _pay(s, norms, campaign_id, line, amount, reason=None):  # type: ignore[no-untyped-def]
    return post_voucher(
        s, campaign_id, line_code=line, amount=amount, entry_date=date(2026, 11, 20),
        payee="Nhà hàng Bình Minh", content="Chi tổng kết phong trào", actor=ACTOR,
        override_reason=reason, norms=norms,
    )  # fmt: skip


def build_year(s, norms):  # type: ignore[no-untyped-def]
    """The fund of 2026 and both campaigns, with I.5 of "cqtt-a" and IV.5 of "cqtt-b" paid."""
    org = organisation.create_organisation(s, code="phu-ly", actor=ACTOR, commune_name="Phú Lý")
    fund.open_fund(s, org.id, 2026, 40_000_000, actor=ACTOR)
    fund.allocate(
        s, org.id, 2026, 10_000_000, decision_number="12/QĐ-UBND",
        decision_date=date(2026, 1, 10), actor=ACTOR,
    )  # fmt: skip
    a = _plan(s, norms, "cqtt-a", ["I.5"])
    b = _plan(s, norms, "cqtt-b", ["IV.1", "IV.5"])
    _pay(s, norms, a.id, "I.5", 4_500_000)
    _pay(s, norms, b.id, "IV.5", 5_000_000)
    return org, a, b


def test_a_posting_past_the_emulation_cap_is_refused_then_overridden(database, norms):  # type: ignore[no-untyped-def]
    with database.session() as s, s.begin():
        org, a, b = build_year(s, norms)
        assert line_balance(s, b.id, "IV.1").approved == 1_720_000
        status = fund.fund_status(s, norms, org.id, 2026)
        assert (status.total, status.cap_limit) == (50_000_000, CAP)
        assert (status.spent, status.emulation_charged) == (9_500_000, 9_500_000)

        # Regular spending never counts: IV.2 is paid without a word about the fund.
        _pay(s, norms, b.id, "IV.2", 1_350_000)
        assert fund.fund_status(s, norms, org.id, 2026).emulation_charged == 9_500_000

        with pytest.raises(ValidationError) as refused:
            _pay(s, norms, b.id, "IV.1", 1_720_000)
        message = str(refused.value)
        assert "Quỹ thi đua, khen thưởng năm 2026" in message
        assert "1.720.000" in message and "11.220.000" in message
        assert "vượt trần 20 % quỹ (10.000.000 đồng" in message
        assert "--override-reason" in message
        assert line_balance(s, b.id, "IV.1").spent == 0  # nothing posted

        posted = _pay(s, norms, b.id, "IV.1", 1_720_000, reason=REASON)
        assert posted.override_reason == REASON
        assert fund.fund_status(s, norms, org.id, 2026).emulation_charged == 11_220_000
        entry = (
            s.execute(
                select(AuditEntry)
                .where(AuditEntry.action == "override", AuditEntry.entity == "fund")
                .order_by(AuditEntry.id.desc())
            )
            .scalars()
            .first()
        )
        assert entry is not None and entry.reason == REASON
        assert "11.220.000" in entry.summary


def test_a_posting_past_the_fund_balance_is_refused(database, norms):  # type: ignore[no-untyped-def]
    """An advance counts as charged: 50.000.000 - 9.500.000 = 40.500.000 left; an
    advance of 37.500.000 on award line V.1 of "cqtt-a" (over its line, with the
    line's reason) leaves 3.000.000; paying all of V.1 of "cqtt-b" (8 × 760.000 =
    6.080.000, within its line) would exceed the fund."""
    with database.session() as s, s.begin():
        org, a, b = build_year(s, norms)
        assert line_balance(s, b.id, "V.1").approved == 6_080_000
        post_voucher(
            s, a.id, line_code="V.1", amount=37_500_000, entry_date=date(2026, 12, 1),
            payee="Văn phòng UBND", content="Tạm ứng tiền thưởng", actor=ACTOR,
            vtype="tam_ung", override_reason="tạm ứng cả năm", norms=norms,
        )  # fmt: skip
        assert fund.fund_status(s, norms, org.id, 2026).available == 3_000_000
        with pytest.raises(ValidationError, match="còn 3.000.000 đồng trên tổng quỹ 50.000.000"):
            _pay(s, norms, b.id, "V.1", 6_080_000)
        _pay(s, norms, b.id, "V.1", 3_000_000)  # exactly what is left: accepted
        assert fund.fund_status(s, norms, org.id, 2026).available == 0


def test_an_award_payout_is_checked_as_a_whole(database, norms):  # type: ignore[no-untyped-def]
    """After an advance of 37.500.000 the fund has 3.000.000 left. A decision of
    20/7/2026 for five Giấy khen cá nhân (0,3 × 2.530.000 = 759.000 -> 760.000
    each, NĐ 152/2025) pays 3.800.000 from award line V.1: refused, then paid with
    a reason, logged once for the payout."""
    from budget.services import awards
    from budget.services.awards import RecipientInput

    with database.session() as s, s.begin():
        org, a, b = build_year(s, norms)
        post_voucher(
            s, a.id, line_code="V.1", amount=37_500_000, entry_date=date(2026, 7, 1),
            payee="Văn phòng UBND", content="Tạm ứng tiền thưởng", actor=ACTOR,
            vtype="tam_ung", override_reason="tạm ứng cả năm", norms=norms,
        )  # fmt: skip
        awards.create_decision(
            s,
            b.id,
            number="30/QĐ-UBND",
            decision_date=date(2026, 7, 20),
            actor=ACTOR,
            signer="Nguyễn Hữu Bình",
            line_code="V.1",  # chosen by the user (issue 16.4)
        )
        view = awards.add_recipients(
            s, b.id, "30/QĐ-UBND",
            [RecipientInput(f"Người {n}", "giay_khen_ca_nhan") for n in range(1, 6)],
            norms, actor=ACTOR,
        )  # fmt: skip
        assert [(r.amount, r.line_code) for r in view.recipients] == [(760_000, "V.1")] * 5
        with pytest.raises(ValidationError) as refused:
            awards.pay_decision(s, b.id, "30/QĐ-UBND", norms, actor=ACTOR)
        assert "chi thưởng theo quyết định 30/QĐ-UBND 3.800.000 đồng" in str(refused.value)
        assert "còn 3.000.000 đồng" in str(refused.value)
        payout = awards.pay_decision(
            s, b.id, "30/QĐ-UBND", norms, actor=ACTOR, override_reason=REASON
        )
        assert payout.total == 3_800_000
        assert fund.fund_status(s, norms, org.id, 2026).available == -800_000
        reasons = (
            s.execute(
                select(AuditEntry.reason).where(
                    AuditEntry.action == "override", AuditEntry.entity == "fund"
                )
            )
            .scalars()
            .all()
        )
        assert reasons.count(REASON) == 1


def test_a_voucher_file_is_checked_against_the_cap_as_a_whole(database, norms, tmp_path):  # type: ignore[no-untyped-def]
    """Two rows on IV.1 (1.000.000 + 720.000) would bring the emulation work from
    9.500.000 to 11.220.000 > 10.000.000: the whole file is refused; with a reason
    it goes in."""
    from budget.services.voucher_import import import_vouchers

    path = tmp_path / "chung-tu.csv"
    path.write_text(
        "Ngày,Dòng,Người nhận,Nội dung,Số tiền\n"
        "20/11/2026,IV.1,Nhà hàng,Tổng kết,1.000.000\n"
        "21/11/2026,IV.1,Nhà hàng,Tổng kết,720.000\n",
        encoding="utf-8",
    )
    with database.session() as s, s.begin():
        org, _, b = build_year(s, norms)
        refused = pytest.raises(ValidationError, match="đưa tổng lên 11.220.000 đồng")
        with refused, s.begin_nested():
            import_vouchers(s, b.id, path, actor=ACTOR)
        assert line_balance(s, b.id, "IV.1").spent == 0
        result = import_vouchers(s, b.id, path, actor=ACTOR, override_reason=REASON)
        assert result.total == 1_720_000
        assert fund.fund_status(s, norms, org.id, 2026).emulation_charged == 11_220_000


def _advance(s, norms, campaign_id, line, amount):  # type: ignore[no-untyped-def]
    return post_voucher(
        s, campaign_id, line_code=line, amount=amount, entry_date=date(2026, 11, 10),
        payee="Nhà hàng Bình Minh", content="Tạm ứng chi tổng kết", actor=ACTOR,
        vtype="tam_ung", norms=norms,
    )  # fmt: skip


def test_an_advance_settled_above_its_amount_is_checked_against_the_cap(database, norms):  # type: ignore[no-untyped-def]
    """After build_year the emulation work stands at 9.500.000 of a 10.000.000 cap.
    An advance of 400.000 on IV.1 of "cqtt-b" (fund line, part tổng kết, approved
    1.720.000) brings it to 9.900.000. Settling it with 1.000.000 spends 600.000
    above the advance: within the line (1.720.000 - 400.000 = 1.320.000 left) but
    9.900.000 + 600.000 = 10.500.000 > 10.000.000: refused without a reason, then
    written with one. Settling with 2.000.000 (1.600.000 above) passes the line too."""
    from budget.services.vouchers import settle_advance

    with database.session() as s, s.begin():
        org, a, b = build_year(s, norms)
        advance = _advance(s, norms, b.id, "IV.1", 400_000)
        assert fund.fund_status(s, norms, org.id, 2026).emulation_charged == 9_900_000

        def settle(amount, reason=None):  # type: ignore[no-untyped-def]
            return settle_advance(
                s, b.id, advance.number, amount=amount, entry_date=date(2026, 11, 25),
                actor=ACTOR, override_reason=reason, norms=norms,
            )  # fmt: skip

        with pytest.raises(ValidationError) as over_line:
            settle(2_000_000)
        assert "Chi quá số tạm ứng 1.600.000 đồng vượt dự toán dòng IV.1" in str(over_line.value)
        assert "còn lại 1.320.000 đồng" in str(over_line.value)

        with pytest.raises(ValidationError) as over_cap:
            settle(1_000_000)
        message = str(over_cap.value)
        assert (
            "chi công tác thi đua 600.000 đồng đưa tổng lên 10.500.000 đồng, vượt trần 20 % "
            "quỹ (10.000.000 đồng"
        ) in message
        balance = line_balance(s, b.id, "IV.1")
        assert (balance.spent, balance.committed) == (0, 400_000)  # nothing settled

        posted = settle(1_000_000, reason=REASON)
        assert (posted.paid_over, posted.returned, posted.override_reason) == (600_000, 0, REASON)
        balance = line_balance(s, b.id, "IV.1")
        assert (balance.spent, balance.committed) == (1_000_000, 0)
        status = fund.fund_status(s, norms, org.id, 2026)
        assert (status.spent, status.committed, status.emulation_charged) == (
            10_500_000,
            0,
            10_500_000,
        )
        entry = (
            s.execute(
                select(AuditEntry)
                .where(AuditEntry.action == "override", AuditEntry.entity == "fund")
                .order_by(AuditEntry.id.desc())
            )
            .scalars()
            .first()
        )
        assert entry is not None and entry.reason == REASON and "10.500.000" in entry.summary


def test_an_advance_settled_above_its_amount_within_the_cap_needs_no_reason(database, norms):  # type: ignore[no-untyped-def]
    """The same advance of 400.000 settled with 500.000: 100.000 above it brings the
    emulation work to exactly the cap, 10.000.000: written, nothing overridden."""
    from budget.services.vouchers import settle_advance

    with database.session() as s, s.begin():
        org, a, b = build_year(s, norms)
        advance = _advance(s, norms, b.id, "IV.1", 400_000)
        posted = settle_advance(
            s, b.id, advance.number, amount=500_000, entry_date=date(2026, 11, 25),
            actor=ACTOR, norms=norms,
        )  # fmt: skip
        assert (posted.paid_over, posted.override_reason) == (100_000, None)
        assert fund.fund_status(s, norms, org.id, 2026).emulation_charged == 10_000_000
