"""Issue 16.4 / 14.7 at service level: the lines an award decision pays from are the
user's choice, recipients are corrected or removed before payment with an audit
entry, duplicates and invisible names are refused.

The estimate (approved 01/02/2024), awards read on 01/08/2024 (base 2.340.000):

  I.1  Thuê hội trường                    1 × 3.000.000 = 3.000.000  6657
  II.1 Giấy khen cá nhân (sơ kết)         2 × 360.000   =   720.000  6202
  II.2 Giấy khen cá nhân (tổng kết)       3 × 360.000   = 1.080.000  6202
  II.3 Giấy khen tập thể (tổng kết)       1 × 710.000   =   710.000  6202

individual 0,15 × 2.340.000 = 351.000 -> 360.000; collective 0,3 × 2.340.000 =
702.000 -> 710.000 (rounded up to ten thousands).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from budget.errors import NotFoundError, ValidationError
from budget.models import AuditEntry, Voucher
from budget.services import approval, award_edit, awards, campaigns, organisation, vouchers
from budget.services.award_lines import propose_lines
from budget.services.award_names import DuplicateRecipientError
from budget.services.awards import RecipientInput
from tests.unit.test_vouchers_awards import _line

ACTOR = "kiemthu"
AWARD_DAY = date(2024, 8, 1)
TONG_KET = "Khen thưởng tổng kết phong trào thi đua năm 2024"
AN = RecipientInput("Nguyễn Văn An", "giay_khen_ca_nhan", "Công chức Văn phòng")
BE = RecipientInput("Lê Thị Bé", "giay_khen_ca_nhan", "Ấp 1")
AP = RecipientInput("Ấp Tân Hòa", "giay_khen_tap_the", "xã Phú Lý")


def _campaign(database, norms) -> int:  # type: ignore[no-untyped-def]
    from budget.services import estimate_edit

    with database.session() as s, s.begin():
        organisation.create_organisation(
            s, code="phu-ly", actor=ACTOR, commune_name="Phú Lý", chairman_name="Nguyễn Hữu Bình"
        )
        cid = campaigns.create_campaign(s, norms, year=2024, actor=ACTOR).id
        estimate_edit.add_part(s, cid, title="Hội nghị", actor=ACTOR)
        estimate_edit.add_part(s, cid, title="Khen thưởng", actor=ACTOR, key="khen_thuong")
        _line(s, norms, cid, "I", "Thuê hội trường", "1", "6657", price=3_000_000)
        for content, qty, form in (
            ("Giấy khen cá nhân (sơ kết)", "2", "giay_khen_ca_nhan"),
            ("Giấy khen cá nhân (tổng kết)", "3", "giay_khen_ca_nhan"),
            ("Giấy khen tập thể (tổng kết)", "1", "giay_khen_tap_the"),
        ):
            _line(
                s, norms, cid, "II", content, qty, "6202", norm=f"reward:{form}", norm_on=AWARD_DAY
            )
        approval.submit(s, cid, actor=ACTOR)
        approval.approve(
            s, cid, decision_number="10/QĐ-UBND", decision_date=date(2024, 2, 1), actor=ACTOR
        )
    return cid


def _remaining(database, cid, code) -> int:  # type: ignore[no-untyped-def]
    with database.session() as s:
        return vouchers.line_balance(s, cid, code).remaining


def _new(s, cid, number="210/QĐ-UBND", **kwargs):  # type: ignore[no-untyped-def]
    return awards.create_decision(
        s,
        cid,
        number=number,
        decision_date=date(2024, 12, 20),
        actor=ACTOR,
        title=TONG_KET,
        **kwargs,
    )


def test_a_tong_ket_decision_pays_from_the_lines_chosen_not_the_one_with_room(database, norms):  # type: ignore[no-untyped-def]
    cid = _campaign(database, norms)
    with database.session() as s, s.begin():
        # the default shown to the user: the tổng kết lines, by the decision's title
        assert propose_lines(s, cid, TONG_KET) == ("II.2", "II.3")
        assert propose_lines(s, cid, "Khen thưởng SƠ  KẾT 6 tháng") == ("II.1",)
        assert propose_lines(s, cid, "Khen thưởng đột xuất") == ()  # two individual lines
        _new(s, cid)
    # nothing chosen and two individual lines: asked, not guessed from the room on II.1
    with database.session() as s, s.begin(), pytest.raises(ValidationError, match="II.1, II.2"):
        awards.add_recipients(s, cid, "210/QĐ-UBND", [AN], norms, actor=ACTOR)
    with database.session() as s, s.begin():
        view = awards.set_decision_lines(
            s, cid, "210/QĐ-UBND", ["II.2", "II.3"], norms, actor=ACTOR
        )
        assert view.lines == ("II.2", "II.3")
        view = awards.add_recipients(s, cid, "210/QĐ-UBND", [AN, BE, AP], norms, actor=ACTOR)
    assert [(r.name, r.line_code, r.amount) for r in view.recipients] == [
        ("Nguyễn Văn An", "II.2", 360_000),
        ("Lê Thị Bé", "II.2", 360_000),
        ("Ấp Tân Hòa", "II.3", 710_000),
    ]
    with database.session() as s, s.begin():
        payout = awards.pay_decision(s, cid, "210/QĐ-UBND", norms, actor=ACTOR)
    assert payout.vouchers == (("PC-0001", "II.2", 2 * 360_000), ("PC-0002", "II.3", 710_000))
    assert _remaining(database, cid, "II.1") == 720_000  # the sơ kết line is untouched
    assert _remaining(database, cid, "II.2") == 1_080_000 - 720_000
    assert _remaining(database, cid, "II.3") == 0
    with database.session() as s, s.begin(), pytest.raises(ValidationError, match="đã chi"):
        awards.set_decision_lines(s, cid, "210/QĐ-UBND", ["II.1"], norms, actor=ACTOR)


def test_one_chosen_line_pays_everyone_and_overspend_needs_a_reason(database, norms):  # type: ignore[no-untyped-def]
    cid = _campaign(database, norms)
    with database.session() as s, s.begin():
        view = _new(s, cid, lines=("II.1",))
        assert view.lines == ("II.1",)
        view = awards.add_recipients(s, cid, "210/QĐ-UBND", [AN, BE, AP], norms, actor=ACTOR)
    assert {r.line_code for r in view.recipients} == {"II.1"}
    # 360.000 + 360.000 + 710.000 = 1.430.000 on a line of 720.000: the voucher rule applies
    with database.session() as s, s.begin(), pytest.raises(ValidationError, match="Vượt dự toán"):
        awards.pay_decision(s, cid, "210/QĐ-UBND", norms, actor=ACTOR)
    with database.session() as s:
        assert s.execute(select(Voucher.id)).first() is None
    with database.session() as s, s.begin():
        payout = awards.pay_decision(
            s, cid, "210/QĐ-UBND", norms, actor=ACTOR, override_reason="QĐ bổ sung đã duyệt"
        )
    assert payout.vouchers == (("PC-0001", "II.1", 1_430_000),)
    assert _remaining(database, cid, "II.1") == 720_000 - 1_430_000


def test_bad_line_choices_are_refused(database, norms):  # type: ignore[no-untyped-def]
    cid = _campaign(database, norms)
    with database.session() as s, s.begin(), pytest.raises(NotFoundError, match="IX.9"):
        _new(s, cid, lines=("II.2", "IX.9"))
    with database.session() as s, s.begin():
        _new(s, cid, lines=("II.1", "II.2"))  # two individual lines: which one?
    with database.session() as s, s.begin(), pytest.raises(ValidationError, match="Có 2 dòng"):
        awards.add_recipients(s, cid, "210/QĐ-UBND", [AN], norms, actor=ACTOR)
    with database.session() as s, s.begin(), pytest.raises(ValidationError, match="tập thể"):
        awards.set_decision_lines(s, cid, "210/QĐ-UBND", ["II.2", "I.1"], norms, actor=ACTOR)
        awards.add_recipients(s, cid, "210/QĐ-UBND", [AP], norms, actor=ACTOR)


def _audit(database, action):  # type: ignore[no-untyped-def]
    with database.session() as s:
        return (
            s.execute(
                select(AuditEntry)
                .where(AuditEntry.entity == "award_decision", AuditEntry.action == action)
                .order_by(AuditEntry.id)
            )
            .scalars()
            .all()
        )


def test_correct_and_remove_before_payment_frozen_after(database, norms):  # type: ignore[no-untyped-def]
    cid = _campaign(database, norms)
    with database.session() as s, s.begin():
        _new(s, cid, lines=("II.2", "II.3"))
        awards.add_recipients(s, cid, "210/QĐ-UBND", [AN, BE, AP], norms, actor=ACTOR)
    edits_before = len(_audit(database, "edit"))
    with database.session() as s, s.begin():
        # Bé is really a collective: the amount and the line follow the form
        view = award_edit.update_recipient(
            s,
            cid,
            "210/QĐ-UBND",
            2,
            norms,
            actor=ACTOR,
            name="Ấp Tân Phú",
            title="xã Phú Lý",
            form="giay_khen_tap_the",
        )
    assert [(r.position, r.name, r.line_code, r.amount) for r in view.recipients] == [
        (1, "Nguyễn Văn An", "II.2", 360_000),
        (2, "Ấp Tân Phú", "II.3", 710_000),
        (3, "Ấp Tân Hòa", "II.3", 710_000),
    ]
    assert view.total == 360_000 + 2 * 710_000
    entry = _audit(database, "edit")[edits_before]
    assert json.loads(entry.before_json)["name"] == "Lê Thị Bé"
    assert json.loads(entry.after_json)["amount"] == 710_000
    with database.session() as s, s.begin():
        view = award_edit.remove_recipient(
            s, cid, "210/QĐ-UBND", 1, norms, actor=ACTOR, reason="Đã khen ở đợt sơ kết"
        )
    assert [(r.position, r.name) for r in view.recipients] == [(1, "Ấp Tân Phú"), (2, "Ấp Tân Hòa")]
    (removed,) = _audit(database, "delete")
    assert (json.loads(removed.before_json)["name"], removed.reason) == (
        "Nguyễn Văn An",
        "Đã khen ở đợt sơ kết",
    )
    with database.session() as s, s.begin():  # 2 × 710.000 on II.3 (710.000): over, with a reason
        payout = awards.pay_decision(
            s, cid, "210/QĐ-UBND", norms, actor=ACTOR, override_reason="Bổ sung"
        )
    assert payout.vouchers == (("PC-0001", "II.3", 1_420_000),)
    with database.session() as s, s.begin(), pytest.raises(ValidationError, match="đã chi thưởng"):
        award_edit.update_recipient(s, cid, "210/QĐ-UBND", 1, norms, actor=ACTOR, name="X")
    with database.session() as s, s.begin(), pytest.raises(ValidationError, match="đã chi thưởng"):
        award_edit.remove_recipient(s, cid, "210/QĐ-UBND", 1, norms, actor=ACTOR)
    with database.session() as s:
        view = awards.decision_view(s, cid, "210/QĐ-UBND", norms)
    assert [r.name for r in view.recipients] == ["Ấp Tân Phú", "Ấp Tân Hòa"]
    with database.session() as s, s.begin(), pytest.raises(NotFoundError, match="STT 9"):
        _new(s, cid, number="211/QĐ-UBND", lines=("II.2",))
        award_edit.remove_recipient(s, cid, "211/QĐ-UBND", 9, norms, actor=ACTOR)


@pytest.mark.parametrize(
    "name",
    ["nguyễn  văn an", " NGUYỄN VĂN AN ", "Nguye\u0302\u0303n Va\u0306n An", "Nguyễn\u200b Văn An"],
)
def test_the_same_name_twice_is_refused_unless_confirmed(database, norms, name):  # type: ignore[no-untyped-def]
    cid = _campaign(database, norms)
    with database.session() as s, s.begin():
        _new(s, cid, lines=("II.2", "II.3"))
        awards.add_recipients(s, cid, "210/QĐ-UBND", [AN], norms, actor=ACTOR)
    with database.session() as s, s.begin(), pytest.raises(DuplicateRecipientError) as exc:
        awards.add_recipients(
            s,
            cid,
            "210/QĐ-UBND",
            [AP, RecipientInput(name, "giay_khen_ca_nhan")],
            norms,
            actor=ACTOR,
        )
    assert "«Nguyễn Văn An» (Công chức Văn phòng) đã có ở STT 1" in exc.value.message
    with database.session() as s:  # the whole list was refused, Ấp Tân Hòa too
        assert len(awards.decision_view(s, cid, "210/QĐ-UBND", norms).recipients) == 1
    with database.session() as s, s.begin():
        view = awards.add_recipients(
            s,
            cid,
            "210/QĐ-UBND",
            [RecipientInput(name, "giay_khen_ca_nhan")],
            norms,
            actor=ACTOR,
            allow_duplicate=True,
        )
    assert view.total == 2 * 360_000


def test_a_list_naming_someone_twice_and_a_rename_onto_another(database, norms):  # type: ignore[no-untyped-def]
    cid = _campaign(database, norms)
    with database.session() as s, s.begin():
        _new(s, cid, lines=("II.2", "II.3"))
    with (
        database.session() as s,
        s.begin(),
        pytest.raises(DuplicateRecipientError, match="hai lần"),
    ):
        awards.add_recipients(s, cid, "210/QĐ-UBND", [AN, BE, AN], norms, actor=ACTOR)
    with database.session() as s, s.begin():
        awards.add_recipients(s, cid, "210/QĐ-UBND", [AN, BE], norms, actor=ACTOR)
    with database.session() as s, s.begin(), pytest.raises(DuplicateRecipientError, match="STT 1"):
        award_edit.update_recipient(
            s, cid, "210/QĐ-UBND", 2, norms, actor=ACTOR, name="nguyễn văn an"
        )
    with database.session() as s, s.begin():  # its own name, corrected in case, is no duplicate
        view = award_edit.update_recipient(
            s, cid, "210/QĐ-UBND", 1, norms, actor=ACTOR, name="NGUYỄN VĂN AN"
        )
    assert [r.name for r in view.recipients] == ["NGUYỄN VĂN AN", "Lê Thị Bé"]


@pytest.mark.parametrize("name", ["\u0301\u0301", "\u200b", "\u200b\u0301 \u200d", "\u3164"])
def test_invisible_names_are_refused(database, norms, name):  # type: ignore[no-untyped-def]
    cid = _campaign(database, norms)
    with database.session() as s, s.begin():
        _new(s, cid, lines=("II.2",))
        awards.add_recipients(s, cid, "210/QĐ-UBND", [AN], norms, actor=ACTOR)
    with database.session() as s, s.begin(), pytest.raises(ValidationError, match="nhìn thấy"):
        awards.add_recipients(
            s, cid, "210/QĐ-UBND", [RecipientInput(name, "giay_khen_ca_nhan")], norms, actor=ACTOR
        )
    with database.session() as s, s.begin(), pytest.raises(ValidationError, match="nhìn thấy"):
        award_edit.update_recipient(s, cid, "210/QĐ-UBND", 1, norms, actor=ACTOR, name=name)
    with database.session() as s:
        view = awards.decision_view(s, cid, "210/QĐ-UBND", norms)
    assert [r.name for r in view.recipients] == ["Nguyễn Văn An"]
