"""An adjustment may not cut a line below what is spent and committed on it
(issue 16, item 2). Runs on SQLite and PostgreSQL (``db_url``).

Figures from budget/demo.py, worked by hand:

* I.1 approved 1 × 1.650.000 = 1.650.000; PC-0001 paid 1.650.000 on it.
* IV.1 approved 1.720.000; advance TU-0002 of 1.500.000 still open (committed).
* II.10 approved 965.000; PC paid 1.045.000 with a logged override (overspent).
* II.4 approved 2 × 680.000 = 1.360.000; nothing spent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from budget.errors import ValidationError
from budget.models import EstimateVersion
from budget.services import approval
from budget.services.campaigns import find_campaign
from budget.services.estimate_edit import LineChange, remove_line, set_line
from tests.conftest import run_cli

ACTOR = "kiemthu"
WAY_OUT = "hãy lập chứng từ ghi giảm trước, hoặc giữ lại dòng"


@pytest.fixture
def demo(db_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from budget.db import open_database
    from budget.norms import load_norms

    monkeypatch.setenv("BUDGET_NOW", "2024-12-20T08:00:00")
    assert run_cli("--db", db_url, "demo").code == 0
    database = open_database(db_url)
    yield database, load_norms()
    database.dispose()


def _adjust_and_approve(demo: Any, edit: Callable[[Any, Any, int], None]) -> None:
    database, norms = demo
    with database.write_session() as s, s.begin():
        cid = find_campaign(s).id
        approval.adjust(s, cid, actor=ACTOR, reason="Điều chỉnh cuối năm")
        edit(s, norms, cid)
        approval.submit(s, cid, actor=ACTOR)
    with database.write_session() as s, s.begin():
        approval.approve(
            s,
            find_campaign(s).id,
            decision_number="130/QĐ-UBND",
            decision_date=date(2024, 12, 20),
            actor=ACTOR,
        )


def _statuses(demo: Any) -> list[tuple[int, str]]:
    database, _ = demo
    with database.session() as s:
        return [
            (no, status)
            for no, status in s.execute(
                select(EstimateVersion.version_no, EstimateVersion.status).order_by(
                    EstimateVersion.version_no
                )
            )
        ]


def test_removing_a_line_with_spending_is_refused(demo: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        _adjust_and_approve(
            demo, lambda s, norms, cid: remove_line(s, cid, "I.1", actor=ACTOR, reason="Bỏ")
        )
    assert refused.value.message == (
        "Không phê duyệt được: dòng I.1 đã chi 1.650.000 đồng nhưng bị xóa khỏi bản điều "
        f"chỉnh. Muốn giảm hoặc bỏ dòng, {WAY_OUT}."
    )
    # The adjustment stays submitted, the version in force is still version 2.
    assert _statuses(demo) == [(1, "approved"), (2, "approved"), (3, "submitted")]


def test_cutting_below_spent_and_committed_is_refused(demo: Any) -> None:
    def edit(s: Any, norms: Any, cid: int) -> None:
        # I.1: 1.600.000 < 1.650.000 spent; IV.1: 1.400.000 < 1.500.000 advanced.
        set_line(s, norms, cid, "I.1", change=LineChange(unit_price=1_600_000), actor=ACTOR)
        set_line(s, norms, cid, "IV.1", change=LineChange(unit_price=1_400_000), actor=ACTOR)

    with pytest.raises(ValidationError) as refused:
        _adjust_and_approve(demo, edit)
    assert refused.value.message == (
        "Không phê duyệt được: dòng I.1 chỉ còn 1.600.000 đồng, thấp hơn số đã chi "
        "1.650.000 đồng; dòng IV.1 chỉ còn 1.400.000 đồng, thấp hơn số đã chi 0, tạm ứng "
        f"1.500.000 (cộng 1.500.000) đồng. Muốn giảm hoặc bỏ dòng, {WAY_OUT}."
    )
    assert _statuses(demo)[-1] == (3, "submitted")


def test_cutting_to_exactly_what_is_used_and_untouched_lines_pass(demo: Any) -> None:
    def edit(s: Any, norms: Any, cid: int) -> None:
        # IV.1 down to exactly its 1.500.000 advance; II.4 (nothing spent) removed;
        # II.10 left overspent as it was (its override was logged when paid).
        set_line(s, norms, cid, "IV.1", change=LineChange(unit_price=1_500_000), actor=ACTOR)
        remove_line(s, cid, "II.4", actor=ACTOR, reason="Không làm hộp thư")

    _adjust_and_approve(demo, edit)
    assert _statuses(demo)[-1] == (3, "approved")


def test_a_reversal_makes_the_removal_possible(demo: Any) -> None:
    database, _ = demo
    from budget.services.vouchers import reverse_voucher

    with database.write_session() as s, s.begin():
        reverse_voucher(s, find_campaign(s).id, "PC-0001", reason="Chi nhầm dòng", actor=ACTOR)
    _adjust_and_approve(
        demo, lambda s, norms, cid: remove_line(s, cid, "I.1", actor=ACTOR, reason="Bỏ")
    )
    assert _statuses(demo)[-1] == (3, "approved")


def test_cli_refuses_with_one_line(db_url: str, demo: Any) -> None:
    assert run_cli("--db", db_url, "plan", "adjust", "--reason", "Bỏ dòng").code == 0
    result = run_cli("--db", db_url, "plan", "line", "remove", "I.1")
    assert result.code == 0, result.err
    assert run_cli("--db", db_url, "plan", "submit").code == 0
    result = run_cli(
        "--db", db_url, "plan", "approve", "--decision", "130/QĐ-UBND", "--date", "20/12/2024"
    )
    assert result.code == 2
    assert result.err.strip() == (
        "Lỗi: Không phê duyệt được: dòng I.1 đã chi 1.650.000 đồng nhưng bị xóa khỏi bản "
        f"điều chỉnh. Muốn giảm hoặc bỏ dòng, {WAY_OUT}."
    )
