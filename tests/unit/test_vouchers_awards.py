"""Vouchers and award decisions at service level, on an approved estimate.

The estimate used throughout (approved 01/02/2024):

  I.1  Thuê hội trường            1 × 3.000.000           = 3.000.000  (6657)
  I.2  In tài liệu thi đua      100 × 12.000              = 1.200.000  (6651)
  II.1 Giấy khen cá nhân         10 × 360.000             = 3.600.000  (6202)
  II.2 Giấy khen tập thể          2 × 710.000             = 1.420.000  (6202)
  II.3 Giấy khen hộ gia đình      2 × 360.000             =   720.000  (6249)

Awards on 01/08/2024 under Nghị định 98/2023 with base salary 2.340.000:
  individual 0,15 × 2.340.000 = 351.000 -> 360.000 (up) / 350.000 (nearest)
  collective 0,3  × 2.340.000 = 702.000 -> 710.000 (up) / 700.000 (nearest)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from budget.errors import NotFoundError, ValidationError
from budget.reports.register import VoucherFilter, count_vouchers, list_vouchers
from budget.services import (
    approval,
    audit,
    awards,
    campaigns,
    estimate_edit,
    organisation,
    vouchers,
)
from budget.services.awards import RecipientInput
from budget.services.estimate_edit import LineChange

ACTOR = "kiemthu"
AWARD_DAY = date(2024, 8, 1)


def _line(s, norms, cid, part, content, qty, mlnsnn, *, price=None, norm=None, norm_on=None):  # type: ignore[no-untyped-def]
    return estimate_edit.add_line(
        s,
        norms,
        cid,
        part=part,
        change=LineChange(
            content=content,
            quantity=qty,
            unit_price=price,
            norm=norm,
            norm_on=norm_on,
            mlnsnn=mlnsnn,
        ),
        actor=ACTOR,
    )


def _approved_campaign(database, norms, *, year: int = 2024, create_org: bool = True) -> int:  # type: ignore[no-untyped-def]
    award_day = date(year, 8, 1)
    with database.session() as s, s.begin():
        if create_org:
            organisation.create_organisation(
                s,
                code="phu-ly",
                actor=ACTOR,
                commune_name="Phú Lý",
                chairman_name="Nguyễn Hữu Bình",
            )
        cid = campaigns.create_campaign(s, norms, year=year, actor=ACTOR).id
        estimate_edit.add_part(s, cid, title="Hội nghị", actor=ACTOR)
        estimate_edit.add_part(s, cid, title="Khen thưởng", actor=ACTOR, key="khen_thuong")
        assert (
            _line(s, norms, cid, "I", "Thuê hội trường", "1", "6657", price=3_000_000).amount
            == 3_000_000
        )
        assert (
            _line(s, norms, cid, "I", "In tài liệu Thi đua", "100", "6651", price=12_000).amount
            == 1_200_000
        )
        _line(
            s,
            norms,
            cid,
            "II",
            "Giấy khen cá nhân",
            "10",
            "6202",
            norm="reward:giay_khen_ca_nhan",
            norm_on=award_day,
        )
        _line(
            s,
            norms,
            cid,
            "II",
            "Giấy khen tập thể",
            "2",
            "6202",
            norm="reward:giay_khen_tap_the",
            norm_on=award_day,
        )
        _line(
            s,
            norms,
            cid,
            "II",
            "Giấy khen hộ gia đình",
            "2",
            "6249",
            norm="reward:giay_khen_ho_gia_dinh",
            norm_on=award_day,
        )
        approval.submit(s, cid, actor=ACTOR)
        approval.approve(
            s, cid, decision_number="10/QĐ-UBND", decision_date=date(year, 2, 1), actor=ACTOR
        )
    return cid


def _post(
    s,
    cid,
    line,
    amount,
    day,
    *,
    vtype="phieu_chi",
    payee="Nguyễn Văn Bình",  # type: ignore[no-untyped-def]
    content="Chi hội nghị",
    number=None,
    override=None,
):
    return vouchers.post_voucher(
        s,
        cid,
        line_code=line,
        amount=amount,
        entry_date=day,
        payee=payee,
        content=content,
        actor=ACTOR,
        vtype=vtype,
        number=number,
        override_reason=override,
    )


def _balance(database, cid, code):  # type: ignore[no-untyped-def]
    with database.session() as s:
        b = vouchers.line_balance(s, cid, code)
    return (b.approved, b.spent, b.committed, b.remaining)


# -- vouchers -------------------------------------------------------------------------


def test_voucher_needs_an_approved_estimate(database, norms):  # type: ignore[no-untyped-def]
    with database.session() as s, s.begin():
        organisation.create_organisation(s, code="x", actor=ACTOR, commune_name="Phú Lý")
        cid = campaigns.create_campaign(s, norms, year=2024, actor=ACTOR).id
        with pytest.raises(ValidationError):
            _post(s, cid, "I.1", 1_000, date(2024, 3, 1))


def test_payments_advance_and_line_balance(database, norms):  # type: ignore[no-untyped-def]
    cid = _approved_campaign(database, norms)
    with database.session() as s, s.begin():
        first = _post(s, cid, "I.1", 1_000_000, date(2024, 3, 10))
        assert (first.number, first.kind, first.type) == ("PC-0001", "payment", "phieu_chi")
        b = first.balance
        assert (b.approved, b.spent, b.committed, b.remaining) == (
            3_000_000,
            1_000_000,
            0,
            3_000_000 - 1_000_000,
        )
        advance = _post(s, cid, "I.1", 800_000, date(2024, 4, 1), vtype="tam_ung")
        assert (advance.number, advance.kind) == ("TU-0001", "advance")
        b = advance.balance
        assert (b.spent, b.committed, b.remaining) == (
            1_000_000,
            800_000,
            3_000_000 - 1_000_000 - 800_000,
        )
        second = _post(s, cid, "I.1", 1_200_000, date(2024, 4, 2))  # exactly the rest
        assert second.number == "PC-0002" and second.override_reason is None
        assert second.balance.remaining == 0

    assert _balance(database, cid, "I.1") == (3_000_000, 2_200_000, 800_000, 0)
    assert _balance(database, cid, "I.2") == (1_200_000, 0, 0, 1_200_000)

    with database.session() as s, s.begin():
        with pytest.raises(ValidationError):  # not a number of đồng
            _post(s, cid, "I.2", 0, date(2024, 3, 1))
        with pytest.raises(ValidationError):  # outside the plan's year
            _post(s, cid, "I.2", 1_000, date(2025, 1, 2))
        with pytest.raises(NotFoundError):  # no such line
            _post(s, cid, "IX.9", 1_000, date(2024, 3, 1))
        with pytest.raises(ValidationError):  # unknown type
            _post(s, cid, "I.2", 1_000, date(2024, 3, 1), vtype="phieu_thu")


def test_overspend_needs_a_reason_and_is_audited(database, norms):  # type: ignore[no-untyped-def]
    cid = _approved_campaign(database, norms)
    with database.session() as s, s.begin():
        _post(s, cid, "I.2", 500_000, date(2024, 3, 15))
    with database.session() as s, s.begin():
        # remaining 1.200.000 - 500.000 = 700.000; 800.000 is over
        with pytest.raises(ValidationError):
            _post(s, cid, "I.2", 800_000, date(2024, 3, 20))
        with pytest.raises(ValidationError):  # a blank reason is no reason
            _post(s, cid, "I.2", 800_000, date(2024, 3, 20), override="   ")
    with database.session() as s, s.begin():
        over = _post(s, cid, "I.2", 800_000, date(2024, 3, 20), override="Giá giấy tăng")
    assert over.number == "PC-0002" and over.override_reason == "Giá giấy tăng"
    assert over.balance.remaining == 1_200_000 - 500_000 - 800_000 == -100_000
    assert _balance(database, cid, "I.2") == (1_200_000, 1_300_000, 0, -100_000)

    with database.session() as s:
        entries = audit.list_entries(s)
    overrides = [e for e in entries if e.action == "override"]
    assert len(overrides) == 1
    assert (overrides[0].entity, overrides[0].entity_id, overrides[0].reason) == (
        "voucher",
        "PC-0002",
        "Giá giấy tăng",
    )
    assert [e.entity_id for e in entries if e.action == "post"] == ["PC-0002", "PC-0001"]


def test_numbering_per_type_and_after_a_given_number(database, norms):  # type: ignore[no-untyped-def]
    cid = _approved_campaign(database, norms)
    with database.session() as s, s.begin():
        numbers = [
            _post(s, cid, "I.1", 10_000, date(2024, 3, 1)).number,
            _post(s, cid, "I.1", 10_000, date(2024, 3, 1)).number,
            _post(s, cid, "I.1", 10_000, date(2024, 3, 1), vtype="rut_du_toan").number,
            _post(s, cid, "I.1", 10_000, date(2024, 3, 1), vtype="uy_nhiem_chi").number,
            _post(s, cid, "I.1", 10_000, date(2024, 3, 1), vtype="tam_ung").number,
            _post(s, cid, "I.1", 10_000, date(2024, 3, 2), number="PC-0007").number,
            _post(s, cid, "I.1", 10_000, date(2024, 3, 3)).number,
            _post(s, cid, "I.1", 10_000, date(2024, 3, 3), vtype="rut_du_toan").number,
            _post(s, cid, "I.1", 10_000, date(2024, 3, 4), number="Số 15/PC").number,
            _post(s, cid, "I.1", 10_000, date(2024, 3, 4)).number,
        ]
        assert numbers == [
            "PC-0001",
            "PC-0002",
            "RDT-0001",
            "UNC-0001",
            "TU-0001",
            "PC-0007",
            "PC-0008",
            "RDT-0002",
            "Số 15/PC",
            "PC-0009",
        ]
        with pytest.raises(ValidationError):  # taken this year for this type
            _post(s, cid, "I.1", 10_000, date(2024, 3, 5), number="PC-0007")
        # the same number is free for another type
        assert (
            _post(
                s, cid, "I.1", 10_000, date(2024, 3, 5), vtype="rut_du_toan", number="PC-0007"
            ).number
            == "PC-0007"
        )
        assert _post(s, cid, "I.1", 10_000, date(2024, 3, 5)).number == "PC-0010"
    assert _balance(database, cid, "I.1") == (
        3_000_000,
        11 * 10_000,
        10_000,
        3_000_000 - 12 * 10_000,
    )


def test_reverse_negates_and_only_once(database, norms):  # type: ignore[no-untyped-def]
    cid = _approved_campaign(database, norms)
    with database.session() as s, s.begin():
        _post(s, cid, "I.1", 1_000_000, date(2024, 3, 10))
        _post(s, cid, "I.1", 300_000, date(2024, 3, 11))
        rev = vouchers.reverse_voucher(
            s, cid, "PC-0001", reason="Ghi nhầm dòng", actor=ACTOR, entry_date=date(2024, 3, 12)
        )
        assert (rev.number, rev.kind, rev.amount, rev.entry_date) == (
            "PC-0001-H",
            "reversal",
            1_000_000,
            date(2024, 3, 12),
        )
        b = rev.balance
        assert (b.spent, b.committed, b.remaining) == (300_000, 0, 3_000_000 - 300_000)
        with pytest.raises(ValidationError):  # twice
            vouchers.reverse_voucher(s, cid, "PC-0001", reason="Lần hai", actor=ACTOR)
        with pytest.raises(ValidationError):  # a reversal is not reversed
            vouchers.reverse_voucher(s, cid, "PC-0001-H", reason="Hủy", actor=ACTOR)
        with pytest.raises(ValidationError):  # before the voucher's own date
            vouchers.reverse_voucher(
                s, cid, "PC-0002", reason="Hủy", actor=ACTOR, entry_date=date(2024, 3, 1)
            )
        with pytest.raises(ValidationError):  # a reason is required
            vouchers.reverse_voucher(s, cid, "PC-0002", reason="", actor=ACTOR)
        with pytest.raises(NotFoundError):
            vouchers.reverse_voucher(s, cid, "PC-0099", reason="Hủy", actor=ACTOR)
    assert _balance(database, cid, "I.1") == (3_000_000, 300_000, 0, 2_700_000)


def test_advance_settlement_and_its_reversal(database, norms):  # type: ignore[no-untyped-def]
    cid = _approved_campaign(database, norms)
    with database.session() as s, s.begin():
        _post(s, cid, "I.1", 1_000_000, date(2024, 3, 10))
        _post(s, cid, "I.1", 800_000, date(2024, 4, 1), vtype="tam_ung", payee="Trần Thị Thu")
        # Above the advance is new spending on I.1: 3.000.000 - 1.000.000 - 800.000 =
        # 1.200.000 left, so 800.000 + 1.200.001 is over the line.
        with pytest.raises(ValidationError):
            vouchers.settle_advance(
                s, cid, "TU-0001", amount=2_000_001, entry_date=date(2024, 4, 20), actor=ACTOR
            )
        with pytest.raises(ValidationError):  # before the advance
            vouchers.settle_advance(
                s, cid, "TU-0001", amount=1, entry_date=date(2024, 3, 31), actor=ACTOR
            )
        with pytest.raises(NotFoundError):  # a payment is not an advance: no such advance
            vouchers.settle_advance(
                s, cid, "PC-0001", amount=1, entry_date=date(2024, 4, 20), actor=ACTOR
            )
        settled = vouchers.settle_advance(
            s, cid, "TU-0001", amount=650_000, entry_date=date(2024, 4, 20), actor=ACTOR
        )
        assert (settled.number, settled.kind, settled.amount, settled.returned) == (
            "TT-0001",
            "settlement",
            650_000,
            800_000 - 650_000,
        )
        b = settled.balance
        assert (b.spent, b.committed, b.remaining) == (
            1_000_000 + 650_000,
            0,
            3_000_000 - 1_000_000 - 650_000,
        )
        with pytest.raises(ValidationError):  # settled already
            vouchers.settle_advance(
                s, cid, "TU-0001", amount=1, entry_date=date(2024, 4, 21), actor=ACTOR
            )
        with pytest.raises(ValidationError):  # the settlement must go first
            vouchers.reverse_voucher(
                s, cid, "TU-0001", reason="Hủy", actor=ACTOR, entry_date=date(2024, 4, 22)
            )

    with database.session() as s, s.begin():
        undo = vouchers.reverse_voucher(
            s, cid, "TT-0001", reason="Sai số tiền", actor=ACTOR, entry_date=date(2024, 4, 22)
        )
        assert undo.number == "TT-0001-H"
        b = undo.balance
        assert (b.spent, b.committed) == (1_000_000, 800_000)
        # the advance is open again and can be settled again
        again = vouchers.settle_advance(
            s, cid, "TU-0001", amount=800_000, entry_date=date(2024, 4, 23), actor=ACTOR
        )
        assert (again.number, again.returned) == ("TT-0002", 0)
        assert (again.balance.spent, again.balance.committed) == (1_000_000 + 800_000, 0)
    assert _balance(database, cid, "I.1") == (3_000_000, 1_800_000, 0, 1_200_000)

    # an unsettled advance can be reversed; a reversed advance cannot be settled
    with database.session() as s, s.begin():
        _post(s, cid, "I.2", 200_000, date(2024, 5, 1), vtype="tam_ung")
        vouchers.reverse_voucher(
            s, cid, "TU-0002", reason="Không đi nữa", actor=ACTOR, entry_date=date(2024, 5, 2)
        )
        with pytest.raises(ValidationError):
            vouchers.settle_advance(
                s, cid, "TU-0002", amount=1, entry_date=date(2024, 5, 3), actor=ACTOR
            )
    assert _balance(database, cid, "I.2") == (1_200_000, 0, 0, 1_200_000)


def _register_fixture(database, norms) -> int:  # type: ignore[no-untyped-def]
    """The ledger the register tests read, in date order:

    03/03 PC-0001 I.1 1.000.000 Nguyễn Văn Bình   reversed
    03/05 PC-0001-H I.1 (reversal of PC-0001)      reversal
    03/10 PC-0002 I.2   500.000 "In tài liệu Thi đua" posted
    04/01 TU-0001 I.1   800.000 Trần Thị Thu       settled
    04/02 TU-0002 I.1   100.000 Lê Văn Cường       open
    04/20 TT-0001 I.1   (settles TU-0001, 650.000) posted
    05/15 RDT-0001 II.1 360.000 Phạm Thị Dung      posted
    """
    cid = _approved_campaign(database, norms)
    with database.session() as s, s.begin():
        _post(s, cid, "I.1", 1_000_000, date(2024, 3, 3), content="Thuê hội trường")
        vouchers.reverse_voucher(
            s, cid, "PC-0001", reason="Ghi nhầm", actor=ACTOR, entry_date=date(2024, 3, 5)
        )
        _post(
            s,
            cid,
            "I.2",
            500_000,
            date(2024, 3, 10),
            payee="Cửa hàng Hoa Mai",
            content="In tài liệu Thi đua",
        )
        _post(
            s,
            cid,
            "I.1",
            800_000,
            date(2024, 4, 1),
            vtype="tam_ung",
            payee="Trần Thị Thu",
            content="Tạm ứng mua hoa",
        )
        _post(
            s,
            cid,
            "I.1",
            100_000,
            date(2024, 4, 2),
            vtype="tam_ung",
            payee="Lê Văn Cường",
            content="Tạm ứng nước uống",
        )
        vouchers.settle_advance(
            s, cid, "TU-0001", amount=650_000, entry_date=date(2024, 4, 20), actor=ACTOR
        )
        _post(
            s,
            cid,
            "II.1",
            360_000,
            date(2024, 5, 15),
            vtype="rut_du_toan",
            payee="Phạm Thị Dung",
            content="Tiền thưởng giấy khen",
        )
    return cid


def test_register_statuses_and_amounts(database, norms):  # type: ignore[no-untyped-def]
    cid = _register_fixture(database, norms)
    with database.session() as s:
        rows = list_vouchers(s, cid)
        total = count_vouchers(s, cid)
    assert [(r.number, r.status) for r in rows] == [
        ("PC-0001", "reversed"),
        ("PC-0001-H", "reversal"),
        ("PC-0002", "posted"),
        ("TU-0001", "settled"),
        ("TU-0002", "open"),
        ("TT-0001", "posted"),
        ("RDT-0001", "posted"),
    ]
    assert total == 7
    by_number = {r.number: r for r in rows}
    assert (by_number["PC-0001-H"].spent_delta, by_number["PC-0001-H"].amount) == (
        -1_000_000,
        1_000_000,
    )
    # a settlement shows what was spent; its deltas move 800.000 out of committed
    tt = by_number["TT-0001"]
    assert (tt.amount, tt.spent_delta, tt.committed_delta) == (650_000, 650_000, -800_000)
    assert by_number["TU-0001"].amount == 800_000
    assert by_number["RDT-0001"].mlnsnn == "6202"
    # sums of the deltas are the balances
    assert sum(r.spent_delta for r in rows) == 500_000 + 650_000 + 360_000
    assert sum(r.committed_delta for r in rows) == 100_000


def test_register_filters_search_and_paging(database, norms):  # type: ignore[no-untyped-def]
    cid = _register_fixture(database, norms)

    def numbers(flt: VoucherFilter, **kw) -> list[str]:  # type: ignore[no-untyped-def]
        with database.session() as s:
            return [r.number for r in list_vouchers(s, cid, flt, **kw)]

    def count(flt: VoucherFilter) -> int:
        with database.session() as s:
            return count_vouchers(s, cid, flt)

    assert numbers(VoucherFilter(line="I.2")) == ["PC-0002"]
    assert numbers(VoucherFilter(line="I.1")) == [
        "PC-0001",
        "PC-0001-H",
        "TU-0001",
        "TU-0002",
        "TT-0001",
    ]
    assert numbers(VoucherFilter(part="II")) == ["RDT-0001"]
    assert numbers(VoucherFilter(part="khen_thuong")) == ["RDT-0001"]
    assert numbers(VoucherFilter(part="I")) == [
        "PC-0001",
        "PC-0001-H",
        "PC-0002",
        "TU-0001",
        "TU-0002",
        "TT-0001",
    ]
    assert numbers(VoucherFilter(vtype="tam_ung")) == ["TU-0001", "TU-0002"]
    assert numbers(VoucherFilter(vtype="phieu_chi")) == ["PC-0001", "PC-0001-H", "PC-0002"]
    assert numbers(VoucherFilter(date_from=date(2024, 4, 1), date_to=date(2024, 4, 20))) == [
        "TU-0001",
        "TU-0002",
        "TT-0001",
    ]
    assert numbers(VoucherFilter(date_from=date(2024, 4, 21))) == ["RDT-0001"]
    assert numbers(VoucherFilter(date_to=date(2024, 3, 5))) == ["PC-0001", "PC-0001-H"]
    # accent-insensitive search over number, payee, content
    assert numbers(VoucherFilter(search="thi dua")) == ["PC-0002"]
    assert numbers(VoucherFilter(search="THI ĐUA")) == ["PC-0002"]
    assert numbers(VoucherFilter(search="nguyen")) == ["PC-0001", "PC-0001-H"]
    assert numbers(VoucherFilter(search="cuong")) == ["TU-0002"]
    assert numbers(VoucherFilter(search="rdt-0001")) == ["RDT-0001"]
    assert numbers(VoucherFilter(search="100%")) == []
    assert numbers(VoucherFilter(search="tam_ung")) == []  # "_" is not a wildcard
    # combined
    assert numbers(VoucherFilter(line="I.1", vtype="tam_ung", search="thu")) == ["TU-0001"]
    assert count(VoucherFilter(line="I.1", vtype="tam_ung", search="thu")) == 1
    assert count(VoucherFilter(part="I")) == 6
    assert count(VoucherFilter(search="nguyen")) == 2
    # paging
    assert numbers(VoucherFilter(), limit=3) == ["PC-0001", "PC-0001-H", "PC-0002"]
    assert numbers(VoucherFilter(), limit=3, offset=3) == ["TU-0001", "TU-0002", "TT-0001"]
    assert numbers(VoucherFilter(), limit=3, offset=6) == ["RDT-0001"]
    assert numbers(VoucherFilter(), limit=3, offset=9) == []
    assert numbers(VoucherFilter(line="I.1"), limit=2, offset=1) == ["PC-0001-H", "TU-0001"]


# -- awards --------------------------------------------------------------------------


def test_award_decision_amounts_and_payment(database, norms):  # type: ignore[no-untyped-def]
    cid = _approved_campaign(database, norms)
    with database.session() as s, s.begin():
        with pytest.raises(ValidationError):  # not in the plan's year
            awards.create_decision(
                s, cid, number="25/QĐ-UBND", decision_date=date(2023, 7, 20), actor=ACTOR
            )
        created = awards.create_decision(
            s,
            cid,
            number="25/QĐ-UBND",
            decision_date=date(2024, 7, 20),
            actor=ACTOR,
            title="Khen thưởng sơ kết",
        )
        assert (created.signer, created.rounding, created.total, created.paid) == (
            "Nguyễn Hữu Bình",
            "up",
            0,
            False,
        )
        with pytest.raises(ValidationError):  # the number is taken
            awards.create_decision(
                s, cid, number="25/QĐ-UBND", decision_date=date(2024, 7, 21), actor=ACTOR
            )
        view = awards.add_recipients(
            s,
            cid,
            "25/QĐ-UBND",
            [
                RecipientInput("Nguyễn Văn An", "giay_khen_ca_nhan", "Công chức Văn phòng"),
                RecipientInput("Lê Thị Bé", "giay_khen_ca_nhan", "Ấp 1"),
                RecipientInput("Ấp Tân Hòa", "giay_khen_tap_the"),
                RecipientInput("Hộ ông Trần Văn Cư", "giay_khen_ho_gia_dinh", "Ấp 2"),
            ],
            norms,
            actor=ACTOR,
        )
    assert [(r.kind, r.amount, r.line_code) for r in view.recipients] == [
        ("ca_nhan", 360_000, "II.1"),
        ("ca_nhan", 360_000, "II.1"),
        ("tap_the", 710_000, "II.2"),
        ("ho_gia_dinh", 360_000, "II.3"),
    ]
    assert all(r.base_salary == 2_340_000 for r in view.recipients)
    assert [r.coefficient for r in view.recipients] == ["0.15", "0.15", "0.3", "0.15"]
    assert view.total == 2 * 360_000 + 710_000 + 360_000

    with (
        database.session() as s,
        s.begin(),
        pytest.raises(ValidationError),
    ):  # an unknown form names the row
        awards.add_recipients(
            s, cid, "25/QĐ-UBND", [RecipientInput("X", "bang_khen")], norms, actor=ACTOR
        )
    with database.session() as s, s.begin(), pytest.raises(ValidationError):  # before the decision
        awards.pay_decision(s, cid, "25/QĐ-UBND", norms, actor=ACTOR, entry_date=date(2024, 7, 19))
    with database.session() as s, s.begin():
        payout = awards.pay_decision(s, cid, "25/QĐ-UBND", norms, actor=ACTOR)
    assert payout.vouchers == (
        ("PC-0001", "II.1", 2 * 360_000),
        ("PC-0002", "II.2", 710_000),
        ("PC-0003", "II.3", 360_000),
    )
    assert payout.total == 2 * 360_000 + 710_000 + 360_000
    assert _balance(database, cid, "II.1") == (3_600_000, 720_000, 0, 3_600_000 - 720_000)
    assert _balance(database, cid, "II.2") == (1_420_000, 710_000, 0, 1_420_000 - 710_000)
    assert _balance(database, cid, "II.3") == (720_000, 360_000, 0, 720_000 - 360_000)
    with database.session() as s:
        rows = list_vouchers(s, cid)
        paid = awards.decision_view(s, cid, "25/QĐ-UBND", norms)
    assert [(r.entry_date, r.amount) for r in rows] == [
        (date(2024, 7, 20), 720_000),
        (date(2024, 7, 20), 710_000),
        (date(2024, 7, 20), 360_000),
    ]
    assert (paid.paid, paid.vouchers) == (True, ("PC-0001", "PC-0002", "PC-0003"))

    with database.session() as s, s.begin(), pytest.raises(ValidationError):  # never twice
        awards.pay_decision(s, cid, "25/QĐ-UBND", norms, actor=ACTOR)
    with (
        database.session() as s,
        s.begin(),
        pytest.raises(ValidationError),
    ):  # paid: no more recipients
        awards.add_recipients(
            s,
            cid,
            "25/QĐ-UBND",
            [RecipientInput("Y", "giay_khen_ca_nhan")],
            norms,
            actor=ACTOR,
        )
    assert _balance(database, cid, "II.1")[1] == 720_000


def test_award_rounding_nearest_from_the_organisation(database, norms):  # type: ignore[no-untyped-def]
    cid = _approved_campaign(database, norms)
    with database.session() as s, s.begin():
        organisation.update_settings(s, {"rounding": "nearest"}, actor=ACTOR)
        decision = awards.create_decision(
            s, cid, number="26/QĐ-UBND", decision_date=date(2024, 7, 20), actor=ACTOR
        )
        assert decision.rounding == "nearest"
        view = awards.add_recipients(
            s,
            cid,
            "26/QĐ-UBND",
            [
                RecipientInput("Nguyễn Văn An", "giay_khen_ca_nhan"),
                RecipientInput("Ấp Tân Hòa", "giay_khen_tap_the"),
                RecipientInput("Hộ ông Cư", "giay_khen_ho_gia_dinh"),
            ],
            norms,
            actor=ACTOR,
        )
    # 351.000 -> 350.000; 702.000 -> 700.000
    assert [r.amount for r in view.recipients] == [350_000, 700_000, 350_000]
    assert view.total == 350_000 + 700_000 + 350_000
    with database.session() as s, s.begin():
        payout = awards.pay_decision(s, cid, "26/QĐ-UBND", norms, actor=ACTOR)
    assert [v[2] for v in payout.vouchers] == [350_000, 700_000, 350_000]


def test_read_recipients_csv(tmp_path: Path):
    good = tmp_path / "danh_sach.csv"
    good.write_text(
        "\ufeffHọ và tên,Chức vụ/Đơn vị,Hình thức\n"
        "Nguyễn Văn An,Công chức Văn phòng,giay_khen_ca_nhan\n"
        "\n"
        "  Ấp Tân Hòa ,,giay_khen_tap_the\n"
        '"Hộ ông Trần Văn Cư","Ấp 2, xã Phú Lý",giay_khen_ho_gia_dinh\n',
        encoding="utf-8",
    )
    assert awards.read_recipients_csv(good) == [
        RecipientInput("Nguyễn Văn An", "giay_khen_ca_nhan", "Công chức Văn phòng"),
        RecipientInput("Ấp Tân Hòa", "giay_khen_tap_the", ""),
        RecipientInput("Hộ ông Trần Văn Cư", "giay_khen_ho_gia_dinh", "Ấp 2, xã Phú Lý"),
    ]
    english = tmp_path / "list.csv"
    english.write_text("form,name\ngiay_khen_ca_nhan,Lê Thị Bé\n", encoding="utf-8")
    assert awards.read_recipients_csv(english) == [
        RecipientInput("Lê Thị Bé", "giay_khen_ca_nhan", "")
    ]

    missing = tmp_path / "thieu.csv"
    missing.write_text("Họ và tên,Chức vụ/Đơn vị\nNguyễn Văn An,Công chức\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="form"):
        awards.read_recipients_csv(missing)
    empty_cell = tmp_path / "o_trong.csv"
    empty_cell.write_text("Họ và tên,Hình thức\nNguyễn Văn An,\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        awards.read_recipients_csv(empty_cell)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name,form\nJosé,giay_khen_ca_nhan\n".encode("latin-1"))
    with pytest.raises(ValidationError):
        awards.read_recipients_csv(latin)


def test_csv_recipients_into_a_decision(database, norms, tmp_path: Path):  # type: ignore[no-untyped-def]
    cid = _approved_campaign(database, norms)
    path = tmp_path / "ds.csv"
    path.write_text(
        "Họ và tên,Chức vụ/Đơn vị,Hình thức\n"
        "Nguyễn Văn An,Công chức,giay_khen_ca_nhan\n"
        "Ấp Tân Hòa,,giay_khen_tap_the\n",
        encoding="utf-8",
    )
    with database.session() as s, s.begin():
        awards.create_decision(
            s, cid, number="27/QĐ-UBND", decision_date=date(2024, 7, 20), actor=ACTOR
        )
        view = awards.add_recipients(
            s, cid, "27/QĐ-UBND", awards.read_recipients_csv(path), norms, actor=ACTOR
        )
    assert [(r.name, r.amount) for r in view.recipients] == [
        ("Nguyễn Văn An", 360_000),
        ("Ấp Tân Hòa", 710_000),
    ]


def test_decision_in_2025_uses_decree_152(database, norms):  # type: ignore[no-untyped-def]
    cid = _approved_campaign(database, norms, year=2025)
    with database.session() as s:
        # the 2025 estimate line read the norm on 01/08/2025: 0,3 × 2.340.000 = 702.000 -> 710.000
        assert vouchers.line_balance(s, cid, "II.1").approved == 10 * 710_000
    with database.session() as s, s.begin():
        awards.create_decision(
            s, cid, number="05/QĐ-UBND", decision_date=date(2025, 8, 1), actor=ACTOR
        )
        view = awards.add_recipients(
            s,
            cid,
            "05/QĐ-UBND",
            [
                RecipientInput("Nguyễn Văn An", "giay_khen_ca_nhan"),
                RecipientInput("Ấp Tân Hòa", "giay_khen_tap_the"),
                RecipientInput("Hộ ông Cư", "giay_khen_ho_gia_dinh"),
            ],
            norms,
            actor=ACTOR,
        )
    # Nghị định 152/2025: 0,3 × 2.340.000 = 702.000 -> 710.000;
    # 0,6 × 2.340.000 = 1.404.000 -> 1.410.000; 0,45 × 2.340.000 = 1.053.000 -> 1.060.000
    assert [(r.coefficient, r.amount) for r in view.recipients] == [
        ("0.3", 710_000),
        ("0.6", 1_410_000),
        ("0.45", 1_060_000),
    ]
    with database.session() as s, s.begin():
        awards.create_decision(
            s, cid, number="04/QĐ-UBND", decision_date=date(2025, 6, 30), actor=ACTOR
        )
        earlier = awards.add_recipients(
            s,
            cid,
            "04/QĐ-UBND",
            [RecipientInput("Lê Thị Bé", "giay_khen_ca_nhan")],
            norms,
            actor=ACTOR,
        )
    # still Nghị định 98/2023 on 30/06/2025: 0,15 × 2.340.000 = 351.000 -> 360.000
    assert [(r.coefficient, r.amount) for r in earlier.recipients] == [("0.15", 360_000)]


def test_collective_twice_the_rounded_individual(database, norms):  # type: ignore[no-untyped-def]
    cid = _approved_campaign(database, norms)
    with database.session() as s, s.begin():
        organisation.update_settings(s, {"collective_rule": "twice_rounded"}, actor=ACTOR)
        awards.create_decision(
            s, cid, number="28/QĐ-UBND", decision_date=date(2024, 7, 20), actor=ACTOR
        )
        view = awards.add_recipients(
            s,
            cid,
            "28/QĐ-UBND",
            [RecipientInput("Ấp Tân Hòa", "giay_khen_tap_the")],
            norms,
            actor=ACTOR,
        )
    # 2 × 360.000 (the individual amount, already rounded up) instead of 710.000
    assert [r.amount for r in view.recipients] == [2 * 360_000]


def _remove_line_by_adjustment(database, norms, cid: int, code: str) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s, s.begin():
        approval.adjust(s, cid, actor=ACTOR)
        estimate_edit.remove_line(s, cid, code, actor=ACTOR, reason="Không tổ chức nữa")
        approval.submit(s, cid, actor=ACTOR)
        approval.approve(
            s, cid, decision_number="20/QĐ-UBND", decision_date=date(2024, 6, 1), actor=ACTOR
        )


def test_a_line_with_spending_is_removed_only_after_its_reversal(database, norms):  # type: ignore[no-untyped-def]
    # Issue 16: an adjustment may not remove a line that still has spending on it.
    cid = _approved_campaign(database, norms)
    with database.session() as s, s.begin():
        _post(s, cid, "I.2", 500_000, date(2024, 3, 10))
    with pytest.raises(ValidationError, match="dòng I.2 đã chi 500.000 đồng"):
        _remove_line_by_adjustment(database, norms, cid, "I.2")
    with database.session() as s, s.begin():
        vouchers.reverse_voucher(
            s, cid, "PC-0001", reason="Ghi nhầm", actor=ACTOR, entry_date=date(2024, 3, 12)
        )
    _remove_line_by_adjustment(database, norms, cid, "I.2")
    with (
        database.session() as s,
        s.begin(),
        pytest.raises(NotFoundError),
    ):  # no new spending on a removed line
        _post(s, cid, "I.2", 1_000, date(2024, 6, 10))
    with database.session() as s:
        rows = list_vouchers(s, cid, VoucherFilter(line="I.2"))
    assert [(r.number, r.status, r.spent_delta) for r in rows] == [
        ("PC-0001", "reversed", 500_000),
        ("PC-0001-H", "reversal", -500_000),
    ]


def test_a_line_with_an_open_advance_is_removed_only_after_settling(database, norms):  # type: ignore[no-untyped-def]
    cid = _approved_campaign(database, norms)
    with database.session() as s, s.begin():
        _post(s, cid, "I.2", 500_000, date(2024, 3, 10), vtype="tam_ung")
    with pytest.raises(ValidationError, match="tạm ứng 500.000"):
        _remove_line_by_adjustment(database, norms, cid, "I.2")
    with database.session() as s, s.begin():
        settled = vouchers.settle_advance(
            s, cid, "TU-0001", amount=0, entry_date=date(2024, 3, 20), actor=ACTOR
        )
        assert settled.returned == 500_000
    _remove_line_by_adjustment(database, norms, cid, "I.2")
    with database.session() as s:
        rows = list_vouchers(s, cid, VoucherFilter(line="I.2"))
    assert [(r.number, r.status) for r in rows] == [("TU-0001", "settled"), ("TT-0001", "posted")]
    assert sum(r.committed_delta for r in rows) == 500_000 - 500_000
