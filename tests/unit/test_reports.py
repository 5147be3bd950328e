"""Reports at service level: reconciliation, the chairman's summary, the audit chain.

The scenario (every figure below is worked out by hand):

Version 1, approved 01/02/2024 (QĐ 10/QĐ-UBND)
  I.1  Thuê hội trường        1 × 3.000.000 = 3.000.000  6657
  I.2  Trang trí              1 × 1.500.000 = 1.500.000  6657
  I.3  In tài liệu          100 × 12.000    = 1.200.000  6651
  II.1 Giấy khen cá nhân     10 × 360.000   = 3.600.000  6202
  II.2 Khung giấy khen       20 × 45.000    =   900.000  6599
Version 2, approved 01/06/2024 (QĐ 20/QĐ-UBND): I.2 -> 1 × 2.000.000, II.2 removed,
  I.4  Nước uống              2 × 250.000   =   500.000  6699 added.

Vouchers
  10/03 PC-0001  I.1  1.000.000
  05/04 TU-0001  I.3  1.100.000 advance, never settled
  10/05 PC-0002  II.2   950.000 over the line (900.000), with a reason
  15/06 PC-0003  I.1  1.000.000
  20/06 PC-0004  I.4    600.000 over (500.000), with a reason; reversed 21/06
  01/07 TU-0002  I.2    500.000 advance, settled 10/07 for 400.000 (TT-0001)
  01/08 TU-0003  I.2    100.000 advance, reversed 02/08
  20/12 PC-0005  II.1 3.600.000 payout of award decision 25/QĐ-UBND (10 × 360.000)
Award decisions 30/QĐ-UBND (01/12, 2 × 360.000) and 31/QĐ-UBND (05/12, nobody) are unpaid.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from budget.errors import ValidationError
from budget.models import AuditEntry
from budget.reports.reconcile import Figures, reconcile
from budget.reports.summary import UnpaidDecision, build_summary
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


def _fig(f: Figures) -> tuple:
    return (f.original, f.approved, f.committed, f.spent, f.remaining, f.percent, f.over)


def _add(s, norms, cid, part, content, qty, mlnsnn, *, price=None, norm=None, norm_on=None):  # type: ignore[no-untyped-def]
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


def _post(s, cid, line, amount, day, *, vtype="phieu_chi", override=None):  # type: ignore[no-untyped-def]
    return vouchers.post_voucher(
        s,
        cid,
        line_code=line,
        amount=amount,
        entry_date=day,
        payee="Nguyễn Văn Bình",
        content=f"Chi dòng {line}",
        actor=ACTOR,
        vtype=vtype,
        override_reason=override,
    )


def _version_one(database, norms) -> int:  # type: ignore[no-untyped-def]
    with database.session() as s, s.begin():
        organisation.create_organisation(
            s, code="phu-ly", actor=ACTOR, commune_name="Phú Lý", chairman_name="Nguyễn Hữu Bình"
        )
        cid = campaigns.create_campaign(s, norms, year=2024, actor=ACTOR).id
        estimate_edit.add_part(s, cid, title="Hội nghị", actor=ACTOR)
        estimate_edit.add_part(s, cid, title="Khen thưởng", actor=ACTOR)
        _add(s, norms, cid, "I", "Thuê hội trường", "1", "6657", price=3_000_000)
        _add(s, norms, cid, "I", "Trang trí", "1", "6657", price=1_500_000)
        _add(s, norms, cid, "I", "In tài liệu", "100", "6651", price=12_000)
        _add(
            s,
            norms,
            cid,
            "II",
            "Giấy khen cá nhân",
            "10",
            "6202",
            norm="reward:giay_khen_ca_nhan",
            norm_on=date(2024, 8, 1),
        )
        _add(s, norms, cid, "II", "Khung giấy khen", "20", "6599", price=45_000)
        approval.submit(s, cid, actor=ACTOR)
        approval.approve(
            s, cid, decision_number="10/QĐ-UBND", decision_date=date(2024, 2, 1), actor=ACTOR
        )
    return cid


@contextmanager
def _approved_before_the_spending_rule() -> Iterator[None]:
    """A database from before issue 16.2's rule: an adjustment that removed a line
    with spending on it was approved then. Approval refuses it now, but reports
    must still render such a year exactly."""
    from unittest import mock

    with mock.patch.object(approval, "check_covers_spending", lambda *a, **k: None):
        yield


def _scenario(database, norms) -> int:  # type: ignore[no-untyped-def]
    cid = _version_one(database, norms)
    with database.session() as s, s.begin():
        _post(s, cid, "I.1", 1_000_000, date(2024, 3, 10))
        _post(s, cid, "I.3", 1_100_000, date(2024, 4, 5), vtype="tam_ung")
        _post(s, cid, "II.2", 950_000, date(2024, 5, 10), override="Giá khung tăng")
    with database.session() as s, s.begin():
        approval.adjust(s, cid, actor=ACTOR, reason="Điều chỉnh giữa năm")
        estimate_edit.set_line(
            s, norms, cid, "I.2", change=LineChange(unit_price=2_000_000), actor=ACTOR
        )
        estimate_edit.remove_line(s, cid, "II.2", actor=ACTOR)
        assert _add(s, norms, cid, "I", "Nước uống", "2", "6699", price=250_000).code == "I.4"
        approval.submit(s, cid, actor=ACTOR)
        with _approved_before_the_spending_rule():
            approval.approve(
                s, cid, decision_number="20/QĐ-UBND", decision_date=date(2024, 6, 1), actor=ACTOR
            )
    with database.session() as s, s.begin():
        _post(s, cid, "I.1", 1_000_000, date(2024, 6, 15))
        _post(s, cid, "I.4", 600_000, date(2024, 6, 20), override="Thêm khách")
        vouchers.reverse_voucher(
            s, cid, "PC-0004", reason="Ghi nhầm", actor=ACTOR, entry_date=date(2024, 6, 21)
        )
        _post(s, cid, "I.2", 500_000, date(2024, 7, 1), vtype="tam_ung")
        vouchers.settle_advance(
            s, cid, "TU-0002", amount=400_000, entry_date=date(2024, 7, 10), actor=ACTOR
        )
        _post(s, cid, "I.2", 100_000, date(2024, 8, 1), vtype="tam_ung")
        vouchers.reverse_voucher(
            s, cid, "TU-0003", reason="Hủy chuyến", actor=ACTOR, entry_date=date(2024, 8, 2)
        )
        awards.create_decision(
            s, cid, number="30/QĐ-UBND", decision_date=date(2024, 12, 1), actor=ACTOR
        )
        awards.add_recipients(
            s,
            cid,
            "30/QĐ-UBND",
            [
                RecipientInput("Lê Thị Bé", "giay_khen_ca_nhan"),
                RecipientInput("Trần Văn Cư", "giay_khen_ca_nhan"),
            ],
            norms,
            actor=ACTOR,
        )
        awards.create_decision(
            s, cid, number="31/QĐ-UBND", decision_date=date(2024, 12, 5), actor=ACTOR
        )
        awards.create_decision(
            s, cid, number="25/QĐ-UBND", decision_date=date(2024, 12, 20), actor=ACTOR
        )
        awards.add_recipients(
            s,
            cid,
            "25/QĐ-UBND",
            [RecipientInput(f"Cá nhân {i}", "giay_khen_ca_nhan") for i in range(1, 11)],
            norms,
            actor=ACTOR,
        )
        payout = awards.pay_decision(s, cid, "25/QĐ-UBND", norms, actor=ACTOR)
        assert payout.vouchers == (("PC-0005", "II.1", 10 * 360_000),)
    return cid


# -- reconcile ----------------------------------------------------------------------


def test_percent_rounds_half_up_to_one_decimal():
    assert Figures(0, 3_000_000, 0, 1_000_000).percent == Decimal("33.3")
    assert Figures(0, 3_000_000, 0, 2_000_000).percent == Decimal("66.7")
    assert Figures(0, 3, 0, 2).percent == Decimal("66.7")
    # 1/8 = 12,5 % exactly; 1/16 = 6,25 % -> 6,3 (half up, not half even)
    assert Figures(0, 16, 0, 1).percent == Decimal("6.3")
    assert Figures(0, 0, 0, 5).percent is None
    assert Figures(0, 100, 40, 61).over and not Figures(0, 100, 40, 60).over


def test_reconcile_lines_parts_codes_total(database, norms):  # type: ignore[no-untyped-def]
    cid = _scenario(database, norms)
    with database.session() as s:
        rec = reconcile(s, cid, norms=norms)
    assert (rec.version_no, rec.original_version_no) == (2, 1)
    assert (rec.decision_number, rec.decision_date, rec.as_of) == (
        "20/QĐ-UBND",
        date(2024, 6, 1),
        None,
    )
    lines = {r.code: _fig(r.figures) for r in rec.lines}
    assert [r.code for r in rec.lines] == ["I.1", "I.2", "I.3", "I.4", "II.1", "II.2"]
    assert lines == {
        # original, approved, committed, spent, remaining, percent, over
        "I.1": (3_000_000, 3_000_000, 0, 2 * 1_000_000, 1_000_000, Decimal("66.7"), False),
        # 500.000 advanced then settled for 400.000; 100.000 advanced then reversed
        "I.2": (
            1_500_000,
            2_000_000,
            500_000 - 500_000 + 100_000 - 100_000,
            400_000,
            2_000_000 - 400_000,
            Decimal("20.0"),
            False,
        ),
        # 1.100.000 / 1.200.000 = 91,66.. % -> 91,7
        "I.3": (1_200_000, 1_200_000, 1_100_000, 0, 100_000, Decimal("91.7"), False),
        # 600.000 posted and reversed
        "I.4": (0, 2 * 250_000, 0, 600_000 - 600_000, 500_000, Decimal("0.0"), False),
        "II.1": (3_600_000, 10 * 360_000, 0, 10 * 360_000, 0, Decimal("100.0"), False),
        # removed by the adjustment, but it had spending
        "II.2": (20 * 45_000, 0, 0, 950_000, -950_000, None, True),
    }
    removed = next(r for r in rec.lines if r.code == "II.2")
    assert (removed.part, removed.mlnsnn, removed.content) == ("II", "6599", "Khung giấy khen")

    parts = {g.code: g.figures for g in rec.parts}
    assert [g.code for g in rec.parts] == ["I", "II"]
    assert [g.title for g in rec.parts] == ["Hội nghị", "Khen thưởng"]
    assert _fig(parts["I"])[:4] == (
        3_000_000 + 1_500_000 + 1_200_000 + 0,
        3_000_000 + 2_000_000 + 1_200_000 + 500_000,
        1_100_000,
        2_000_000 + 400_000,
    )
    assert _fig(parts["II"])[:4] == (3_600_000 + 900_000, 3_600_000, 0, 3_600_000 + 950_000)

    codes = {g.code: g.figures for g in rec.codes}
    assert [g.code for g in rec.codes] == ["6202", "6599", "6651", "6657", "6699"]
    assert all(g.title for g in rec.codes)  # names from the norms
    assert _fig(codes["6657"])[:4] == (
        3_000_000 + 1_500_000,
        3_000_000 + 2_000_000,
        0,
        2_000_000 + 400_000,
    )
    assert _fig(codes["6599"])[:4] == (900_000, 0, 0, 950_000)
    assert _fig(codes["6651"])[:4] == (1_200_000, 1_200_000, 1_100_000, 0)
    assert _fig(codes["6202"])[:4] == (3_600_000, 3_600_000, 0, 3_600_000)
    assert _fig(codes["6699"])[:4] == (0, 500_000, 0, 0)

    total_spent = 2_000_000 + 400_000 + 3_600_000 + 950_000
    total_approved = 3_000_000 + 2_000_000 + 1_200_000 + 500_000 + 3_600_000
    assert _fig(rec.total) == (
        3_000_000 + 1_500_000 + 1_200_000 + 3_600_000 + 900_000,
        total_approved,
        1_100_000,
        total_spent,
        total_approved - total_spent - 1_100_000,
        # 8.050.000 / 10.300.000 = 78,15.. % -> 78,2
        Decimal("78.2"),
        False,
    )
    assert rec.total.difference == total_approved - 10_200_000 == 100_000
    # the three ways of adding up agree
    assert sum((g.figures for g in rec.parts), Figures(0, 0, 0, 0)) == rec.total
    assert sum((g.figures for g in rec.codes), Figures(0, 0, 0, 0)) == rec.total
    assert sum((r.figures for r in rec.lines), Figures(0, 0, 0, 0)) == rec.total


def test_reconcile_as_of_picks_the_version_and_vouchers_of_that_day(database, norms):  # type: ignore[no-untyped-def]
    cid = _scenario(database, norms)
    with database.session() as s:
        with pytest.raises(ValidationError):  # nothing approved yet on 31/01
            reconcile(s, cid, as_of=date(2024, 1, 31))

        march = reconcile(s, cid, as_of=date(2024, 3, 15))
        assert (march.version_no, march.decision_number, march.as_of) == (
            1,
            "10/QĐ-UBND",
            date(2024, 3, 15),
        )
        lines = {r.code: _fig(r.figures) for r in march.lines}
        assert [r.code for r in march.lines] == ["I.1", "I.2", "I.3", "II.1", "II.2"]
        assert lines["I.1"] == (
            3_000_000,
            3_000_000,
            0,
            1_000_000,
            2_000_000,
            Decimal("33.3"),
            False,
        )
        assert lines["I.2"][:2] == (1_500_000, 1_500_000)
        assert lines["II.2"] == (900_000, 900_000, 0, 0, 900_000, Decimal("0.0"), False)
        assert _fig(march.total)[:4] == (10_200_000, 10_200_000, 0, 1_000_000)

        may = reconcile(s, cid, as_of=date(2024, 5, 31))
        assert may.version_no == 1
        lines = {r.code: _fig(r.figures) for r in may.lines}
        assert lines["I.3"][2:4] == (1_100_000, 0)
        # 950.000 / 900.000 = 105,55.. % -> 105,6
        assert lines["II.2"] == (900_000, 900_000, 0, 950_000, -50_000, Decimal("105.6"), True)

        # the day version 2 takes effect; PC-0003 of 15/06 is not yet in
        june = reconcile(s, cid, as_of=date(2024, 6, 1))
        assert (june.version_no, june.original_version_no) == (2, 1)
        lines = {r.code: _fig(r.figures) for r in june.lines}
        assert lines["I.1"][3] == 1_000_000
        assert lines["I.2"][:2] == (1_500_000, 2_000_000)
        assert lines["II.2"] == (900_000, 0, 0, 950_000, -950_000, None, True)

        mid_june = reconcile(s, cid, as_of=date(2024, 6, 15))
        lines = {r.code: _fig(r.figures) for r in mid_june.lines}
        assert lines["I.1"][3:6] == (2_000_000, 1_000_000, Decimal("66.7"))


def test_line_added_then_removed_keeps_its_part_and_budget_code(database, norms):  # type: ignore[no-untyped-def]
    """A line that only an adjustment had (added in v2, spent, removed in v3) is
    still reported with approved 0 under its own part and budget code."""
    cid = _version_one(database, norms)
    with database.session() as s, s.begin():
        approval.adjust(s, cid, actor=ACTOR)
        assert _add(s, norms, cid, "I", "Nước uống", "2", "6699", price=250_000).code == "I.4"
        approval.submit(s, cid, actor=ACTOR)
        approval.approve(
            s, cid, decision_number="20/QĐ-UBND", decision_date=date(2024, 6, 1), actor=ACTOR
        )
    with database.session() as s, s.begin():
        _post(s, cid, "I.4", 300_000, date(2024, 6, 10))
        approval.adjust(s, cid, actor=ACTOR)
        estimate_edit.remove_line(s, cid, "I.4", actor=ACTOR)
        approval.submit(s, cid, actor=ACTOR)
        with _approved_before_the_spending_rule():
            approval.approve(
                s, cid, decision_number="30/QĐ-UBND", decision_date=date(2024, 9, 1), actor=ACTOR
            )
    with database.session() as s:
        rec = reconcile(s, cid, norms=norms)
    row = next(r for r in rec.lines if r.code == "I.4")
    assert _fig(row.figures) == (0, 0, 0, 300_000, -300_000, None, True)
    assert (row.part, row.mlnsnn) == ("I", "6699")
    assert {g.code for g in rec.parts} == {"I", "II"}
    assert {g.code: g.figures.spent for g in rec.codes}["6699"] == 300_000


def test_new_line_in_an_adjustment_does_not_take_a_removed_lines_code(database, norms):  # type: ignore[no-untyped-def]
    """Vouchers are tied to a line by its code: a line added after II.2 was removed
    in an adjustment must not inherit II.2's code (and with it II.2's spending)."""
    cid = _version_one(database, norms)
    with database.session() as s, s.begin():
        _post(s, cid, "II.2", 950_000, date(2024, 5, 10), override="Giá khung tăng")
    with database.session() as s, s.begin():
        approval.adjust(s, cid, actor=ACTOR)
        estimate_edit.remove_line(s, cid, "II.2", actor=ACTOR)
        new = _add(s, norms, cid, "II", "Hoa tươi trao thưởng", "10", "6599", price=50_000)
        approval.submit(s, cid, actor=ACTOR)
        with _approved_before_the_spending_rule():
            approval.approve(
                s, cid, decision_number="20/QĐ-UBND", decision_date=date(2024, 6, 1), actor=ACTOR
            )
    assert new.code != "II.2"
    with database.session() as s:
        rec = reconcile(s, cid)
    lines = {r.code: _fig(r.figures) for r in rec.lines}
    assert lines["II.2"] == (900_000, 0, 0, 950_000, -950_000, None, True)
    assert lines[new.code] == (0, 10 * 50_000, 0, 0, 500_000, Decimal("0.0"), False)


# -- summary ------------------------------------------------------------------------


def test_summary(database, norms):  # type: ignore[no-untyped-def]
    cid = _scenario(database, norms)
    with database.session() as s:
        summary = build_summary(s, cid, norms)
    assert [r.code for r in summary.near_limit] == ["I.3", "II.1", "II.2"]
    assert summary.overridden == ("II.2",)  # PC-0004's override was reversed
    expected_months = {
        3: 1_000_000,
        5: 950_000,
        6: 1_000_000 + 600_000 - 600_000,
        7: 400_000,
        12: 3_600_000,
    }
    assert summary.by_month == tuple((m, expected_months.get(m, 0)) for m in range(1, 13))
    assert sum(v for _, v in summary.by_month) == summary.reconciliation.total.spent
    assert [(v.number, v.amount) for v in summary.largest] == [
        ("PC-0005", 3_600_000),
        ("PC-0001", 1_000_000),
        ("PC-0003", 1_000_000),
        ("PC-0002", 950_000),
        ("TT-0001", 400_000),  # the settlement counts what was spent
    ]
    assert [(v.number, v.line_code, v.amount) for v in summary.open_advances] == [
        ("TU-0001", "I.3", 1_100_000)
    ]
    assert summary.unpaid_decisions == (
        UnpaidDecision("30/QĐ-UBND", date(2024, 12, 1), 2, 2 * 360_000),
        UnpaidDecision("31/QĐ-UBND", date(2024, 12, 5), 0, 0),
    )
    assert [g.code for g in summary.parts] == ["I", "II"]
    with database.session() as s:
        assert [v.number for v in build_summary(s, cid, largest=2).largest] == [
            "PC-0005",
            "PC-0001",
        ]

    # reversing the award payout: the decision is unpaid again, December spends nothing
    with database.session() as s, s.begin():
        vouchers.reverse_voucher(
            s, cid, "PC-0005", reason="Sai danh sách", actor=ACTOR, entry_date=date(2024, 12, 21)
        )
    with database.session() as s:
        after = build_summary(s, cid, norms)
    assert [d.number for d in after.unpaid_decisions] == ["30/QĐ-UBND", "31/QĐ-UBND", "25/QĐ-UBND"]
    assert after.unpaid_decisions[-1] == UnpaidDecision(
        "25/QĐ-UBND", date(2024, 12, 20), 10, 10 * 360_000
    )
    assert dict(after.by_month)[12] == 3_600_000 - 3_600_000
    assert [v.number for v in after.largest][:1] == ["PC-0001"]
    assert [r.code for r in after.near_limit] == ["I.3", "II.2"]


# -- audit --------------------------------------------------------------------------


def test_audit_chain_is_sound_and_append_only(database, norms):  # type: ignore[no-untyped-def]
    cid = _scenario(database, norms)
    with database.session() as s:
        assert audit.first_broken_entry(s) is None
        entries = audit.list_entries(s, limit=1000)
        first_id = s.execute(select(AuditEntry.id).order_by(AuditEntry.id).limit(1)).scalar_one()
    actions = {e.action for e in entries}
    assert {
        "create",
        "edit",
        "submit",
        "approve",
        "adjust",
        "post",
        "override",
        "reverse",
        "settle",
        "pay",
    } <= actions
    assert cid
    for sql in (
        "UPDATE audit_entries SET summary = 'x' WHERE id = :id",
        "DELETE FROM audit_entries WHERE id = :id",
    ):
        with pytest.raises(DBAPIError, match="append-only"), database.session() as s, s.begin():
            s.execute(text(sql), {"id": first_id})
    with database.session() as s:
        assert audit.first_broken_entry(s) is None


def test_audit_tampering_is_found(database, norms):  # type: ignore[no-untyped-def]
    _version_one(database, norms)
    with database.session() as s:
        ids = list(s.execute(select(AuditEntry.id).order_by(AuditEntry.id)).scalars())
        assert audit.first_broken_entry(s) is None
    assert len(ids) >= 5
    victim, following = ids[2], ids[3]

    # this test's own database only: lift the append-only guard
    with database.session() as s, s.begin():
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("DROP TRIGGER trg_audit_append_only ON audit_entries"))
        else:
            s.execute(text("DROP TRIGGER trg_audit_append_only_update"))
    with database.session() as s, s.begin():
        s.execute(
            text("UPDATE audit_entries SET summary = 'Sửa lén' WHERE id = :id"), {"id": victim}
        )
    with database.session() as s:
        assert audit.first_broken_entry(s) == victim

    # re-hashing the tampered entry only moves the break to the next one
    with database.session() as s, s.begin():
        entry = s.get(AuditEntry, victim)
        assert entry is not None
        forged = audit.entry_hash(entry.prev_hash, audit._hashed_fields(entry))
        s.execute(
            text("UPDATE audit_entries SET hash = :h WHERE id = :id"), {"h": forged, "id": victim}
        )
    with database.session() as s:
        assert audit.first_broken_entry(s) == following


def test_register_part_filter_agrees_with_the_reconciliation(database, norms):  # type: ignore[no-untyped-def]
    """PC-0002 was charged to II.2 before the adjustment removed it; the
    reconciliation counts it under part II, so the register's part II must too."""
    from budget.reports.register import VoucherFilter, count_vouchers, list_vouchers

    cid = _scenario(database, norms)
    with database.session() as s:
        rec = reconcile(s, cid)
        rows = list_vouchers(s, cid, VoucherFilter(part="II"))
        count = count_vouchers(s, cid, VoucherFilter(part="II"))
    part_ii = next(g for g in rec.parts if g.code == "II")
    assert part_ii.figures.spent == 3_600_000 + 950_000
    assert [r.number for r in rows] == ["PC-0002", "PC-0005"]
    assert count == 2
    assert sum(r.spent_delta for r in rows) == part_ii.figures.spent
