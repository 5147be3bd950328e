"""The chairman's summary keeps its plans on a database that was never analysed
(issue 13): without sqlite_stat1, SQLite would read every voucher of the campaign
through ix_vouchers_largest to find the few overrides and open advances; the
reports' INDEXED BY hints must reach the SQL and pin the small partial indexes."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event

from budget.demo import build_demo
from budget.norms import load_norms
from budget.reports.summary import build_summary


def test_summary_plans_use_the_partial_indexes_without_statistics(database, db_url):  # type: ignore[no-untyped-def]
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's planner")
    with database.write_session() as session, session.begin():
        cid = build_demo(session, load_norms(), actor="kiemthu").campaign.id
    path = db_url.removeprefix("sqlite:///")
    raw = sqlite3.connect(path)
    raw.execute("DROP TABLE IF EXISTS sqlite_stat1")
    raw.commit()
    statements: list[tuple[str, object]] = []
    event.listen(
        database.engine, "before_cursor_execute", lambda c, cur, s, p, *a: statements.append((s, p))
    )
    database.engine.dispose()  # new connections: no statistics cached
    with database.session() as session:
        build_summary(session, cid, load_norms())
    plans = {
        sql: " | ".join(row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + sql, params))
        for sql, params in statements
        if "override_reason IS NOT NULL" in sql or "kind = 'advance'" in sql
    }
    raw.close()
    assert len(plans) == 2, list(plans)
    overrides = next(p for s, p in plans.items() if "override_reason IS NOT NULL" in s)
    advances = next(p for s, p in plans.items() if "kind = 'advance'" in s)
    assert overrides.startswith("SEARCH vouchers USING INDEX ix_vouchers_overrides (campaign_id=?)")
    assert advances.startswith("SEARCH vouchers USING INDEX ix_vouchers_advances (campaign_id=?)")
    assert "SCAN vouchers" not in overrides + advances
    # the small demo's sizes may hide the bad choice: the hints themselves must be sent
    sent = " ".join(plans)
    assert "INDEXED BY ix_vouchers_overrides" in sent
    assert "INDEXED BY ix_vouchers_advances" in sent
