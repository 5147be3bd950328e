"""budget.reports.line_map: each line's part and budget code across the approved
versions, the one mapping reconcile (and so the summary and dashboard) share."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.orm import Session

from budget.errors import ValidationError
from budget.reports.line_map import UNKNOWN_LINE, MappedLine, line_map
from budget.reports.reconcile import reconcile
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, int]]:
    from budget.db import open_database
    from budget.services.campaigns import find_campaign

    db = tmp_path_factory.mktemp("demo") / "budget.db"
    assert run_cli("--db", str(db), "demo").code == 0
    database = open_database(str(db))
    with database.session() as session:
        yield session, find_campaign(session).id
    database.dispose()


def test_the_version_in_force_and_the_adjusted_amounts(demo: tuple[Session, int]) -> None:
    session, campaign = demo
    mapping = line_map(session, campaign)
    # 52/QĐ-UBND approved version 1; 95/QĐ-UBND (10/09/2024) the adjustment, version 2.
    assert (mapping.version_no, mapping.original_version_no) == (2, 1)
    assert mapping.decision_number == "95/QĐ-UBND"
    assert [code for code, _ in mapping.part_titles] == ["I", "II", "III", "IV", "V"]
    assert mapping.title_of("III") == "Hội nghị sơ kết phong trào thi đua"
    by_code = {m.code: m for m in mapping.lines}
    assert len(mapping.lines) == 30 and mapping.lines[0].code == "I.1"
    assert (by_code["II.1"].part, by_code["II.1"].mlnsnn) == ("II", "6600")
    assert (by_code["II.1"].original, by_code["II.1"].approved) == (3_700_000, 5_550_000)
    assert (by_code["IV.5"].original, by_code["IV.5"].approved) == (5_000_000, 6_000_000)


def test_before_the_adjustment_the_first_version_is_in_force(demo: tuple[Session, int]) -> None:
    session, campaign = demo
    mapping = line_map(session, campaign, as_of=date(2024, 9, 9))
    assert mapping.version_no == 1 and mapping.decision_number == "52/QĐ-UBND"
    ii1 = next(m for m in mapping.lines if m.code == "II.1")
    assert (ii1.original, ii1.approved) == (3_700_000, 3_700_000)
    with pytest.raises(ValidationError, match="tại ngày 26/05/2024"):
        line_map(session, campaign, as_of=date(2024, 5, 26))


def test_a_charged_code_no_version_held_comes_last_without_a_part(
    demo: tuple[Session, int],
) -> None:
    session, campaign = demo
    mapping = line_map(session, campaign, charged=["I.1", "Z.9"])
    assert len(mapping.lines) == 31
    assert mapping.lines[-1] == MappedLine("Z.9", "", UNKNOWN_LINE, "", 0, 0)


def test_reconcile_rows_are_the_mapped_lines(demo: tuple[Session, int]) -> None:
    session, campaign = demo
    rec = reconcile(session, campaign)
    mapped = line_map(session, campaign).lines
    assert [(r.code, r.part, r.content, r.mlnsnn) for r in rec.lines] == [
        (m.code, m.part, m.content, m.mlnsnn) for m in mapped
    ]
    assert [(r.figures.original, r.figures.approved) for r in rec.lines] == [
        (m.original, m.approved) for m in mapped
    ]
