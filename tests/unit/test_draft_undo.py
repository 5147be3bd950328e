"""Undo of a draft edit through the core (budget/services/draft_undo.py): the rows go
back exactly as they were, the undo is audited, and frozen data is refused.

Demo year (budget/demo.py): version 2 is approved and latest; ``plan adjust``
makes version 3, a draft copy, where line II.1 (pano) has quantity 3. Decision
210/QĐ-UBND is unpaid with 4 recipients."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from budget.errors import ValidationError
from budget.models import AuditEntry, AwardDecision, AwardRecipient, EstimateLine, EstimateVersion
from budget.services import approval
from budget.services.award_edit import remove_recipient
from budget.services.campaigns import find_campaign
from budget.services.draft_undo import track_line, track_recipients, undo
from budget.services.estimate_edit import LineChange, add_line, remove_line, set_line
from tests.conftest import run_cli

ACTOR = "kiemthu"


@contextlib.contextmanager
def write(url: str) -> Iterator[Session]:
    from budget.db import open_database

    database = open_database(url)
    try:
        with database.write_session() as session, session.begin():
            yield session
    finally:
        database.dispose()


@pytest.fixture
def draft(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BUDGET_NOW", "2024-12-20T08:00:00")
    assert run_cli("--db", db_url, "demo").code == 0
    assert run_cli("--db", db_url, "plan", "adjust", "--reason", "Thử").code == 0
    return db_url


def _cid(session: Session) -> int:
    return find_campaign(session).id


def _lines(session: Session) -> dict[str, dict[str, Any]]:
    """Every line of version 3, column by column (the id aside)."""
    version = session.execute(
        select(EstimateVersion).where(EstimateVersion.version_no == 3)
    ).scalar_one()
    rows = session.execute(select(EstimateLine).where(EstimateLine.version_id == version.id))
    return {
        line.code: {
            c: getattr(line, c)
            for c in (col.key for col in EstimateLine.__table__.columns)
            if c != "id"
        }
        for line in rows.scalars()
    }


def _undo_entries(session: Session) -> list[str]:
    return list(
        session.execute(
            select(AuditEntry.summary).where(AuditEntry.action == "undo").order_by(AuditEntry.id)
        ).scalars()
    )


def test_an_edit_a_removal_and_an_addition_are_undone_exactly(draft: str, norms: Any) -> None:
    with write(draft) as s:
        before = _lines(s)
        assert before["II.1"]["quantity"] == "3"
        cid = _cid(s)
        edited = track_line(
            s,
            cid,
            "II.1",
            lambda: (
                set_line(s, norms, cid, "II.1", change=LineChange(quantity="5"), actor=ACTOR).code
            ),
        )
        assert _lines(s)["II.1"]["quantity"] == "5"
        removed = track_line(
            s, cid, "I.1", lambda: (remove_line(s, cid, "I.1", actor=ACTOR), "I.1")[1]
        )
        added = track_line(
            s,
            cid,
            None,
            lambda: (
                add_line(
                    s,
                    norms,
                    cid,
                    part="II",
                    change=LineChange(
                        content="Loa", quantity="1", unit_price=900_000, mlnsnn="6599"
                    ),
                    actor=ACTOR,
                ).code
            ),
        )
    assert edited.undo is not None and removed.undo is not None and added.undo is not None
    assert edited.undo.label == "sửa dòng II.1 của dự toán phiên bản 3"
    assert removed.undo.label == "xóa dòng I.1 của dự toán phiên bản 3"
    with write(draft) as s:
        lines = _lines(s)
        assert "I.1" not in lines and added.value in lines
        assert lines[added.value]["amount"] == 900_000
    for item in (added.undo, removed.undo, edited.undo):  # newest first, as Ctrl+Z does
        with write(draft) as s:
            undo(s, item, actor=ACTOR)
    with write(draft) as s:
        assert _lines(s) == before  # every column of every line as before the edits
        assert _undo_entries(s) == [
            f"Hoàn tác: thêm dòng {added.value} của dự toán phiên bản 3",
            "Hoàn tác: xóa dòng I.1 của dự toán phiên bản 3",
            "Hoàn tác: sửa dòng II.1 của dự toán phiên bản 3",
        ]


def test_a_line_changed_since_or_a_submitted_version_is_refused(draft: str, norms: Any) -> None:
    with write(draft) as s:
        cid = _cid(s)
        first = track_line(
            s,
            cid,
            "II.1",
            lambda: (
                set_line(s, norms, cid, "II.1", change=LineChange(quantity="5"), actor=ACTOR).code
            ),
        )
        set_line(s, norms, cid, "II.1", change=LineChange(quantity="6"), actor=ACTOR)
    assert first.undo is not None
    with pytest.raises(ValidationError) as changed, write(draft) as s:
        undo(s, first.undo, actor=ACTOR)
    assert changed.value.message == (
        "Không hoàn tác được: dòng II.1 đã đổi sau khi sửa dòng II.1 của dự toán phiên bản 3."
    )
    with write(draft) as s:
        cid = _cid(s)
        second = track_line(
            s,
            cid,
            "II.1",
            lambda: (
                set_line(s, norms, cid, "II.1", change=LineChange(quantity="7"), actor=ACTOR).code
            ),
        )
        approval.submit(s, cid, actor=ACTOR)
    assert second.undo is not None
    with pytest.raises(ValidationError) as frozen, write(draft) as s:
        undo(s, second.undo, actor=ACTOR)
    assert frozen.value.message == (
        "Không hoàn tác được: dự toán phiên bản 3 đang trình duyệt, không sửa được nữa."
    )
    with write(draft) as s:
        assert _lines(s)["II.1"]["quantity"] == "7"
        assert _undo_entries(s) == []


def _recipients(session: Session) -> list[tuple[int, str, str, int]]:
    decision = session.execute(
        select(AwardDecision).where(AwardDecision.number == "210/QĐ-UBND")
    ).scalar_one()
    rows = session.execute(
        select(AwardRecipient)
        .where(AwardRecipient.decision_id == decision.id)
        .order_by(AwardRecipient.position)
    ).scalars()
    return [(r.position, r.name, r.form, r.amount) for r in rows]


def test_a_removed_recipient_comes_back_and_a_paid_decision_is_refused(
    draft: str, norms: Any
) -> None:
    with write(draft) as s:
        before = _recipients(s)
        assert len(before) == 4 and sum(r[3] for r in before) == 1_790_000
        cid = _cid(s)
        tracked = track_recipients(
            s,
            cid,
            "210/QĐ-UBND",
            lambda: remove_recipient(s, cid, "210/QĐ-UBND", 2, norms, actor=ACTOR),
        )
        after = _recipients(s)
    assert [r[0] for r in after] == [1, 2, 3]  # STT 3 and 4 moved up
    assert [r[1] for r in after] == [before[0][1], before[2][1], before[3][1]]
    assert tracked.undo is not None
    assert tracked.undo.label == "xóa người nhận khỏi quyết định 210/QĐ-UBND"
    with write(draft) as s:
        undo(s, tracked.undo, actor=ACTOR)
    with write(draft) as s:
        assert _recipients(s) == before
        cid = _cid(s)
        again = track_recipients(
            s,
            cid,
            "210/QĐ-UBND",
            lambda: remove_recipient(s, cid, "210/QĐ-UBND", 1, norms, actor=ACTOR),
        )
    assert run_cli("--db", draft, "plan", "submit").code == 0
    approve = ("plan", "approve", "--decision", "150/QĐ-UBND", "--date", "20/12/2024")
    assert run_cli("--db", draft, *approve).code == 0
    paid = run_cli("--db", draft, "award", "pay", "210/QĐ-UBND", "--override-reason", "Thử")
    assert paid.code == 0, paid.err
    assert again.undo is not None
    with pytest.raises(ValidationError) as refused, write(draft) as s:
        undo(s, again.undo, actor=ACTOR)
    assert refused.value.message == "Quyết định «210/QĐ-UBND» đã chi thưởng, không hoàn tác được."
    with write(draft) as s:
        assert len(_recipients(s)) == 3
