"""A reversal is dated (issue 16, item 5): by default on the original voucher's
date while the campaign's year is open, else today; never before the original.

Demo figures: PC-0001, 1.650.000 on I.1, dated 05/06/2024; "today" 20/12/2024.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from budget.services.reversal_dates import default_reversal_date
from tests.conftest import run_cli


@pytest.fixture
def demo_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BUDGET_NOW", "2024-12-20T08:00:00")
    assert run_cli("--db", db_url, "demo").code == 0
    return db_url


def _reversal(url: str, number: str) -> tuple[date, int]:
    from budget.db import open_database
    from budget.models import Voucher

    database = open_database(url)
    try:
        with database.session() as s:
            v = s.execute(select(Voucher).where(Voucher.number == number)).scalar_one()
            return v.entry_date, v.spent_delta
    finally:
        database.dispose()


def test_default_is_the_original_date_while_the_year_is_open() -> None:
    assert default_reversal_date(2024, date(2024, 3, 5), date(2024, 12, 20)) == date(2024, 3, 5)
    # The year has passed: today (which the year check then refuses, asking for a date).
    assert default_reversal_date(2024, date(2024, 3, 5), date(2025, 1, 8)) == date(2025, 1, 8)


def test_cli_reverse_defaults_to_the_original_date(demo_db: str) -> None:
    result = run_cli("--db", demo_db, "voucher", "reverse", "PC-0001", "--reason", "Ghi nhầm")
    assert result.code == 0, result.err
    assert _reversal(demo_db, "PC-0001-H") == (date(2024, 6, 5), -1_650_000)


def test_cli_reverse_with_a_date(demo_db: str) -> None:
    result = run_cli(
        "--db", demo_db, "voucher", "reverse", "PC-0001", "--date", "2024-06-10", "--reason", "X"
    )
    assert result.code == 0, result.err
    assert _reversal(demo_db, "PC-0001-H") == (date(2024, 6, 10), -1_650_000)


def test_reversal_before_the_original_is_refused(demo_db: str) -> None:
    result = run_cli(
        "--db", demo_db, "voucher", "reverse", "PC-0001", "--date", "04/06/2024", "--reason", "X"
    )
    assert result.code == 2
    assert result.err.strip() == (
        "Lỗi: Ngày hủy 04/06/2024 không được trước ngày chứng từ 05/06/2024."
    )
