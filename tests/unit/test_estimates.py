"""Estimates at service level: lines and their arithmetic, the lifecycle
draft -> submitted -> approved -> adjustment, frozen approved versions, copying.

Every expected amount is worked out by hand in the test (quantity × [multiplier ×]
unit price, rounded once, half up, to whole đồng).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from budget.errors import ValidationError
from budget.models import EstimateVersion
from budget.norms import load_norms
from budget.services import approval, campaigns, estimate_edit, organisation
from budget.services.estimate_edit import LineChange
from budget.services.estimates import estimate_view

ACTOR = "kiemthu"
TEMPLATE = "chinh-quyen-than-thien"

# The template for 2024, line by line (norms read on 01/01/2024 unless the line
# says norm_on: water 40.000, meals 100.000; awards on 15/07 and 15/12 2024:
# 0,15 × 2.340.000 = 351.000 -> 360.000 and 0,3 × 2.340.000 = 702.000 -> 710.000).
TEMPLATE_PART_TOTALS = {
    "I": 1_650_000 + 1_350_000 + 85 * 12_000 + 85 * 40_000 + 45 * 100_000,
    "II": 2 * 1_850_000
    + 3 * 465_000
    + 8 * 285_000
    + 2 * 680_000
    + 45 * 9_500
    + 3 * 2_450_000
    + 3_290_000
    + 2 * 845_000
    + 1_180_000
    + 965_000,
    "III": 1_250_000 + 60 * 9_500 + 60 * 40_000 + 30 * 100_000,
    "IV": 1_720_000 + 1_350_000 + 90 * 12_000 + 90 * 40_000 + 50 * 100_000,
    "V": 8 * 360_000 + 2 * 710_000 + 12 * 360_000 + 4 * 710_000 + 2 * 360_000 + 28 * 45_000,
}
TEMPLATE_LINE_COUNTS = {"I": 5, "II": 10, "III": 4, "IV": 5, "V": 6}


# -- helpers -------------------------------------------------------------------------


def _org(s) -> None:  # type: ignore[no-untyped-def]
    organisation.create_organisation(
        s, code="phu-ly", actor=ACTOR, commune_name="Phú Lý", chairman_name="Nguyễn Hữu Bình"
    )


def _template_campaign(database, year: int = 2024):  # type: ignore[no-untyped-def]
    with database.session() as s, s.begin():
        _org(s)
        return campaigns.create_campaign(
            s, load_norms(), year=year, actor=ACTOR, template_key=TEMPLATE
        )


def _empty_campaign(database, norms, year: int = 2024):  # type: ignore[no-untyped-def]
    with database.session() as s, s.begin():
        _org(s)
        return campaigns.create_campaign(s, norms, year=year, actor=ACTOR)


def _lines_of(view) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [
        (
            ln.code,
            ln.part,
            ln.content,
            ln.quantity,
            ln.multiplier,
            ln.unit_price,
            ln.amount,
            ln.mlnsnn,
        )
        for ln in view.lines
    ]


def _submit_and_approve(database, cid: int, number: str, on: date):  # type: ignore[no-untyped-def]
    with database.session() as s, s.begin():
        approval.submit(s, cid, actor=ACTOR)
        return approval.approve(s, cid, decision_number=number, decision_date=on, actor=ACTOR)


# -- creating ------------------------------------------------------------------------


def test_template_campaign_has_the_template_lines_and_totals(database):  # type: ignore[no-untyped-def]
    info = _template_campaign(database)
    assert (info.code, info.year, info.template) == ("cqtt-2024", 2024, TEMPLATE)
    with database.session() as s:
        view = estimate_view(s, info.id)
    assert (view.version_no, view.status) == (1, "draft")
    assert {p.code: p.total for p in view.parts} == TEMPLATE_PART_TOTALS
    assert {p.code: len(p.lines) for p in view.parts} == TEMPLATE_LINE_COUNTS
    assert view.total == sum(TEMPLATE_PART_TOTALS.values()) == 68_967_500
    by_code = {ln.code: ln for ln in view.lines}
    # meals: 45 people × 1 day × 100.000
    assert (by_code["I.5"].quantity, by_code["I.5"].multiplier) == ("45", "1")
    assert (by_code["I.5"].unit_price, by_code["I.5"].amount) == (100_000, 45 * 1 * 100_000)
    assert by_code["I.5"].norm_ref == "an_hoi_nghi_xa"
    # individual award (norm_on 15/07/2024 -> new base salary): 8 × 360.000
    assert (by_code["V.1"].unit_price, by_code["V.1"].amount) == (360_000, 8 * 360_000)
    # collective award: 0,3 × 2.340.000 = 702.000 -> rounded up to 710.000
    assert (by_code["V.2"].unit_price, by_code["V.2"].amount) == (710_000, 2 * 710_000)
    assert by_code["V.5"].mlnsnn == "6249"


def test_empty_campaign_has_an_empty_draft(database, norms):  # type: ignore[no-untyped-def]
    info = _empty_campaign(database, norms)
    assert info.code == "kh-2024"
    with database.session() as s:
        view = estimate_view(s, info.id)
    assert (view.version_no, view.status, view.parts, view.total) == (1, "draft", (), 0)


# -- lines ---------------------------------------------------------------------------


def test_line_arithmetic_rounds_once_half_up(database, norms):  # type: ignore[no-untyped-def]
    info = _empty_campaign(database, norms)
    with database.session() as s, s.begin():
        assert estimate_edit.add_part(s, info.id, title="Hội nghị", actor=ACTOR) == "I"
        assert estimate_edit.add_part(s, info.id, title="Khen thưởng", actor=ACTOR) == "II"

        # 2,5 × 1.234.567 = 3.086.417,5 -> 3.086.418 (half up)
        first = estimate_edit.add_line(
            s,
            norms,
            info.id,
            part="I",
            change=LineChange(
                content="Thuê hội trường",
                unit="buổi",
                quantity="2,5",
                unit_price=1_234_567,
                mlnsnn="6657",
            ),
            actor=ACTOR,
        )
        assert (first.code, first.amount, first.unit_price) == ("I.1", 3_086_418, 1_234_567)
        assert first.version_no == 1
        assert first.version_total == 3_086_418

        # 45 people × 2 days × 100.000 (norm an_hoi_nghi_xa)
        meals = estimate_edit.add_line(
            s,
            norms,
            info.id,
            part="I",
            change=LineChange(
                content="Hỗ trợ tiền ăn đại biểu không hưởng lương",
                unit="người",
                quantity="45",
                multiplier="2",
                multiplier_unit="ngày",
                norm="an_hoi_nghi_xa",
                mlnsnn="6658",
            ),
            actor=ACTOR,
        )
        assert (meals.code, meals.unit_price, meals.amount) == ("I.2", 100_000, 45 * 2 * 100_000)
        assert meals.version_total == 3_086_418 + 9_000_000

        # reward on 01/08/2024: 0,15 × 2.340.000 = 351.000 -> 360.000
        award = estimate_edit.add_line(
            s,
            norms,
            info.id,
            part="II",
            change=LineChange(
                content="Giấy khen cá nhân",
                unit="người",
                quantity="3",
                norm="reward:giay_khen_ca_nhan",
                norm_on=date(2024, 8, 1),
                mlnsnn="6202",
            ),
            actor=ACTOR,
        )
        assert (award.code, award.unit_price, award.amount) == ("II.1", 360_000, 3 * 360_000)

        # without norm_on the norm is read on 01/01/2024: 0,15 × 1.800.000 = 270.000
        early = estimate_edit.add_line(
            s,
            norms,
            info.id,
            part="II",
            change=LineChange(
                content="Giấy khen cá nhân (đầu năm)",
                quantity="1",
                norm="reward:giay_khen_ca_nhan",
                mlnsnn="6202",
            ),
            actor=ACTOR,
        )
        assert (early.code, early.unit_price, early.amount) == ("II.2", 270_000, 270_000)

        # rounded once: 1,5 × 1,5 × 1.000.001 = 2.250.002,25 -> 2.250.002
        # (rounding 1,5 × 1.000.001 first would give 1.500.002 × 1,5 = 2.250.003)
        once = estimate_edit.add_line(
            s,
            norms,
            info.id,
            part="I",
            change=LineChange(
                content="Thuê xe",
                quantity="1,5",
                multiplier="1.5",
                unit_price=1_000_001,
                mlnsnn="6657",
            ),
            actor=ACTOR,
        )
        assert (once.code, once.amount) == ("I.3", 2_250_002)
        assert once.version_total == 3_086_418 + 9_000_000 + 3 * 360_000 + 270_000 + 2_250_002

    with database.session() as s:
        view = estimate_view(s, info.id)
    by_code = {ln.code: ln for ln in view.lines}
    assert (by_code["I.1"].quantity, by_code["I.1"].multiplier) == ("2.5", None)
    assert (by_code["I.2"].quantity, by_code["I.2"].multiplier) == ("45", "2")
    assert by_code["I.2"].multiplier_unit == "ngày"
    assert by_code["II.1"].norm_ref == "reward:giay_khen_ca_nhan"
    assert {p.code: p.total for p in view.parts} == {
        "I": 3_086_418 + 45 * 2 * 100_000 + 2_250_002,
        "II": 3 * 360_000 + 270_000,
    }


def test_set_line_remove_line_and_bad_input(database, norms):  # type: ignore[no-untyped-def]
    info = _empty_campaign(database, norms)
    with database.session() as s, s.begin():
        estimate_edit.add_part(s, info.id, title="Hội nghị", actor=ACTOR)
        for content, qty, price in (("Trang trí", "1", 1_650_000), ("In tài liệu", "85", 12_000)):
            estimate_edit.add_line(
                s,
                norms,
                info.id,
                part="I",
                change=LineChange(content=content, quantity=qty, unit_price=price, mlnsnn="6657"),
                actor=ACTOR,
            )
        estimate_edit.add_line(
            s,
            norms,
            info.id,
            part="I",
            change=LineChange(
                content="Tiền ăn",
                quantity="45",
                multiplier="2",
                norm="an_hoi_nghi_xa",
                mlnsnn="6658",
            ),
            actor=ACTOR,
        )
        # quantity of I.2: 90 × 12.000
        result = estimate_edit.set_line(
            s, norms, info.id, "I.2", change=LineChange(quantity="90"), actor=ACTOR
        )
        assert (result.amount, result.version_total) == (
            90 * 12_000,
            1_650_000 + 90 * 12_000 + 45 * 2 * 100_000,
        )
        # a hand price replaces the norm: 45 × 2 × 80.000
        result = estimate_edit.set_line(
            s, norms, info.id, "I.3", change=LineChange(unit_price=80_000), actor=ACTOR
        )
        assert (result.unit_price, result.amount) == (80_000, 45 * 2 * 80_000)
        # "" removes the multiplier: 45 × 80.000
        result = estimate_edit.set_line(
            s, norms, info.id, "I.3", change=LineChange(multiplier=""), actor=ACTOR
        )
        assert result.amount == 45 * 80_000
        # back to the norm: 45 × 100.000
        result = estimate_edit.set_line(
            s, norms, info.id, "I.3", change=LineChange(norm="an_hoi_nghi_xa"), actor=ACTOR
        )
        assert (result.unit_price, result.amount) == (100_000, 45 * 100_000)

        total = estimate_edit.remove_line(s, info.id, "I.1", actor=ACTOR, reason="Không cần")
        assert total == 90 * 12_000 + 45 * 100_000

        with pytest.raises(ValidationError):  # price and norm at once
            estimate_edit.set_line(
                s,
                norms,
                info.id,
                "I.2",
                change=LineChange(unit_price=1, norm="an_hoi_nghi_xa"),
                actor=ACTOR,
            )
        with pytest.raises(ValidationError):  # three decimals too many
            estimate_edit.set_line(
                s, norms, info.id, "I.2", change=LineChange(quantity="1,23456"), actor=ACTOR
            )
        with pytest.raises(ValidationError):  # no budget code on a new line
            estimate_edit.add_line(
                s,
                norms,
                info.id,
                part="I",
                change=LineChange(content="X", quantity="1", unit_price=1),
                actor=ACTOR,
            )
        with pytest.raises(ValidationError):  # code already taken
            estimate_edit.add_line(
                s,
                norms,
                info.id,
                part="I",
                code="I.2",
                change=LineChange(content="X", quantity="1", unit_price=1, mlnsnn="6657"),
                actor=ACTOR,
            )

    with database.session() as s:
        view = estimate_view(s, info.id)
    assert [ln.code for ln in view.lines] == ["I.2", "I.3"]
    assert view.total == 90 * 12_000 + 45 * 100_000


# -- lifecycle -----------------------------------------------------------------------


def test_return_to_draft_only_from_submitted(database):  # type: ignore[no-untyped-def]
    info = _template_campaign(database)
    with database.session() as s, s.begin():
        with pytest.raises(ValidationError):  # a draft cannot be returned
            approval.return_to_draft(s, info.id, actor=ACTOR, reason="Sửa")
        submitted = approval.submit(s, info.id, actor=ACTOR)
        assert (submitted.version_no, submitted.status, submitted.total) == (
            1,
            "submitted",
            sum(TEMPLATE_PART_TOTALS.values()),
        )
        with pytest.raises(ValidationError):  # submitted: no editing
            estimate_edit.remove_line(s, info.id, "I.1", actor=ACTOR)
        with pytest.raises(ValidationError):  # a reason is required
            approval.return_to_draft(s, info.id, actor=ACTOR, reason="  ")
        returned = approval.return_to_draft(s, info.id, actor=ACTOR, reason="Thiếu báo giá")
        assert (returned.version_no, returned.status) == (1, "draft")
        # editable again
        assert estimate_edit.remove_line(s, info.id, "I.1", actor=ACTOR) == (
            sum(TEMPLATE_PART_TOTALS.values()) - 1_650_000
        )
        approval.submit(s, info.id, actor=ACTOR)
        approval.approve(
            s, info.id, decision_number="15/QĐ-UBND", decision_date=date(2024, 3, 1), actor=ACTOR
        )
        with pytest.raises(ValidationError):  # approved: cannot be returned
            approval.return_to_draft(s, info.id, actor=ACTOR, reason="Sửa")


def test_submit_empty_and_approve_without_submit_are_refused(database, norms):  # type: ignore[no-untyped-def]
    info = _empty_campaign(database, norms)
    with database.session() as s, s.begin():
        with pytest.raises(ValidationError):
            approval.submit(s, info.id, actor=ACTOR)
        with pytest.raises(ValidationError):
            approval.approve(
                s, info.id, decision_number="1/QĐ", decision_date=date(2024, 3, 1), actor=ACTOR
            )


def test_approve_then_frozen_by_services_and_database(database, norms):  # type: ignore[no-untyped-def]
    info = _template_campaign(database)
    total = sum(TEMPLATE_PART_TOTALS.values())
    with database.session() as s, s.begin():
        approval.submit(s, info.id, actor=ACTOR)
        with pytest.raises(ValidationError):  # a date two years off the plan's year
            approval.approve(
                s,
                info.id,
                decision_number="15/QĐ-UBND",
                decision_date=date(2022, 3, 1),
                actor=ACTOR,
            )
        approved = approval.approve(
            s,
            info.id,
            decision_number=" 15/QĐ-UBND ",
            decision_date=date(2024, 3, 1),
            actor=ACTOR,
        )
    assert (approved.version_no, approved.status, approved.total) == (1, "approved", total)
    assert (approved.decision_number, approved.decision_date) == ("15/QĐ-UBND", date(2024, 3, 1))

    with database.session() as s:
        view = estimate_view(s, info.id)
    assert (view.status, view.decision_number, view.approver) == (
        "approved",
        "15/QĐ-UBND",
        "Nguyễn Hữu Bình",
    )

    refused = [
        lambda s: approval.submit(s, info.id, actor=ACTOR),
        lambda s: approval.approve(
            s, info.id, decision_number="16", decision_date=date(2024, 4, 1), actor=ACTOR
        ),
        lambda s: estimate_edit.add_line(
            s,
            norms,
            info.id,
            part="I",
            change=LineChange(content="X", quantity="1", unit_price=1, mlnsnn="6657"),
            actor=ACTOR,
        ),
        lambda s: estimate_edit.set_line(
            s, norms, info.id, "I.1", change=LineChange(quantity="2"), actor=ACTOR
        ),
        lambda s: estimate_edit.remove_line(s, info.id, "I.1", actor=ACTOR),
        lambda s: estimate_edit.add_part(s, info.id, title="Phần mới", actor=ACTOR),
    ]
    for call in refused:
        with database.session() as s, s.begin(), pytest.raises(ValidationError):
            call(s)

    with database.session() as s:
        version_id = s.execute(
            select(EstimateVersion.id).where(
                EstimateVersion.campaign_id == info.id, EstimateVersion.version_no == 1
            )
        ).scalar_one()
    raw = [
        "UPDATE estimate_lines SET amount = 1 WHERE version_id = :v",
        "DELETE FROM estimate_lines WHERE version_id = :v",
        "UPDATE estimate_parts SET title = 'x' WHERE version_id = :v",
        "UPDATE estimate_versions SET decision_number = 'x' WHERE id = :v",
    ]
    for sql in raw:
        with pytest.raises(DBAPIError, match="frozen"), database.session() as s, s.begin():
            s.execute(text(sql), {"v": version_id})

    with database.session() as s:
        view = estimate_view(s, info.id)
    assert view.total == total and view.decision_number == "15/QĐ-UBND"


def test_adjustment_copies_version_one_and_becomes_current(database, norms):  # type: ignore[no-untyped-def]
    info = _template_campaign(database)
    total_v1 = sum(TEMPLATE_PART_TOTALS.values())
    _submit_and_approve(database, info.id, "15/QĐ-UBND", date(2024, 3, 1))
    with database.session() as s:
        v1_lines = _lines_of(estimate_view(s, info.id, 1))

    with database.session() as s, s.begin():
        adjusted = approval.adjust(s, info.id, actor=ACTOR, reason="Bổ sung khen thưởng")
        assert (adjusted.version_no, adjusted.status, adjusted.total) == (2, "draft", total_v1)
        with pytest.raises(ValidationError):  # one open draft at a time
            approval.adjust(s, info.id, actor=ACTOR)

    with database.session() as s:
        v2 = estimate_view(s, info.id, 2)
        current = estimate_view(s, info.id)
    assert _lines_of(v2) == v1_lines
    assert len(v1_lines) == sum(TEMPLATE_LINE_COUNTS.values())
    assert v2.title.startswith("Điều chỉnh, bổ sung")
    # the approved version 1 is still the one in force while version 2 is a draft
    assert (current.version_no, current.status) == (1, "approved")

    with database.session() as s, s.begin():
        # 12 -> 15 individuals at the year-end review: 15 × 360.000
        changed = estimate_edit.set_line(
            s, norms, info.id, "V.3", change=LineChange(quantity="15"), actor=ACTOR
        )
        assert (changed.version_no, changed.amount) == (2, 15 * 360_000)
        assert changed.version_total == total_v1 + 3 * 360_000
        estimate_edit.remove_line(s, info.id, "I.1", actor=ACTOR)
        approval.submit(s, info.id, actor=ACTOR)
        with pytest.raises(ValidationError):  # an adjustment cannot predate the original
            approval.approve(
                s,
                info.id,
                decision_number="40/QĐ-UBND",
                decision_date=date(2024, 2, 1),
                actor=ACTOR,
            )
        v2_result = approval.approve(
            s, info.id, decision_number="40/QĐ-UBND", decision_date=date(2024, 9, 1), actor=ACTOR
        )
    total_v2 = total_v1 + 3 * 360_000 - 1_650_000
    assert (v2_result.version_no, v2_result.status, v2_result.total) == (2, "approved", total_v2)

    with database.session() as s:
        current = estimate_view(s, info.id)
        first = estimate_view(s, info.id, 1)
    assert (current.version_no, current.decision_number, current.total) == (
        2,
        "40/QĐ-UBND",
        total_v2,
    )
    assert "I.1" not in {ln.code for ln in current.lines}
    # version 1 is untouched
    assert _lines_of(first) == v1_lines and first.total == total_v1


def test_copy_campaign_copies_the_current_approved_lines(database, norms):  # type: ignore[no-untyped-def]
    info = _template_campaign(database)
    _submit_and_approve(database, info.id, "15/QĐ-UBND", date(2024, 3, 1))
    with database.session() as s, s.begin():
        approval.adjust(s, info.id, actor=ACTOR)
        estimate_edit.set_line(
            s, norms, info.id, "II.1", change=LineChange(quantity="3"), actor=ACTOR
        )
        approval.submit(s, info.id, actor=ACTOR)
        approval.approve(
            s, info.id, decision_number="40/QĐ-UBND", decision_date=date(2024, 9, 1), actor=ACTOR
        )
    with database.session() as s:
        source = estimate_view(s, info.id)
    assert source.version_no == 2

    with database.session() as s, s.begin():
        copy = campaigns.copy_campaign(s, "cqtt-2024", year=2025, actor=ACTOR)
    assert (copy.code, copy.year) == ("cqtt-2025", 2025)
    assert "2025" in copy.title and "2024" not in copy.title

    with database.session() as s:
        copied = estimate_view(s, copy.id)
    assert (copied.version_no, copied.status) == (1, "draft")
    assert _lines_of(copied) == _lines_of(source)
    # II.1 from the adjustment: 3 × 1.850.000
    assert {ln.code: ln.amount for ln in copied.lines}["II.1"] == 3 * 1_850_000
    assert copied.total == sum(TEMPLATE_PART_TOTALS.values()) + 1_850_000
    assert "2025" in copied.title and "2024" not in copied.title
