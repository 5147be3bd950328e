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
