"""One posting costs a few statements (issue 13): BEGIN, one read (the campaign, the
line of the current approved version, its sums, the last number, whether a fund
register is kept, the chain head), the voucher, the audit entry and its content row."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from budget.demo import build_demo
from budget.norms import load_norms
from budget.services.audit import first_broken_entry
from budget.services.vouchers import line_balance, post_voucher

MAX_STATEMENTS = 5


def test_one_posting_issues_at_most_five_statements(database, db_url):  # type: ignore[no-untyped-def]
    if not db_url.startswith("sqlite"):
        pytest.skip("the count is SQLite's (PostgreSQL adds its locks)")
    with database.write_session() as session, session.begin():
        cid = build_demo(session, load_norms(), actor="kiemthu").campaign.id
    with database.session() as session:
        before = line_balance(session, cid, "IV.5")
    statements: list[str] = []
    event.listen(database.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with database.write_session() as session, session.begin():
        posted = post_voucher(
            session,
            cid,
            line_code="IV.5",
            amount=12_000,
            entry_date=date(2024, 12, 20),
            payee="Căn tin UBND xã",
            content="Nước uống",
            actor="kiemthu",
        )
    assert len(statements) <= MAX_STATEMENTS, statements
    assert posted.balance.spent == before.spent + 12_000
    assert posted.balance.remaining == before.remaining - 12_000
    with database.session() as session:
        assert line_balance(session, cid, "IV.5").spent == before.spent + 12_000
        assert first_broken_entry(session) is None
