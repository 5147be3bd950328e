"""One posting costs a few statements (issue 13): between BEGIN and COMMIT, one read
(the campaign, the line of the current approved version, its running total, the last
number, whether a fund register is kept, the chain head), the voucher, the audit
entry and its content row. Counted by SQLite itself (its trace callback), whichever
way they were sent: some go through SQLAlchemy, some straight to the driver."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from budget.demo import build_demo
from budget.norms import load_norms
from budget.services.audit import first_broken_entry
from budget.services.vouchers import line_balance, post_voucher

MAX_STATEMENTS = 4


def test_one_posting_issues_at_most_four_statements(database, db_url):  # type: ignore[no-untyped-def]
    if not db_url.startswith("sqlite"):
        pytest.skip("the count is SQLite's (PostgreSQL adds its locks)")
    with database.write_session() as session, session.begin():
        cid = build_demo(session, load_norms(), actor="kiemthu").campaign.id
    with database.session() as session:
        before = line_balance(session, cid, "IV.5")
    traced: list[str] = []
    event.listen(
        database.engine.pool,
        "checkout",
        lambda dbapi, *_: dbapi.set_trace_callback(traced.append),
    )
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
    # SQLite traces each statement of a trigger program with the text of the statement
    # that fired it: consecutive repeats are one statement sent.
    sent = [t for i, t in enumerate(traced) if i == 0 or traced[i - 1] != t]
    assert sent[0] == "BEGIN IMMEDIATE" and sent[-1] == "COMMIT", sent
    assert len(sent) - 2 <= MAX_STATEMENTS, sent
    assert any("line_totals" in t for t in sent[1:2]), sent  # the read takes the running total
    assert posted.balance.spent == before.spent + 12_000
    assert posted.balance.remaining == before.remaining - 12_000
    with database.session() as session:
        assert line_balance(session, cid, "IV.5").spent == before.spent + 12_000
        assert first_broken_entry(session) is None
