"""SQLite: REPLACE / UPSERT cannot swap out a frozen row, and a dropped guard stops writes."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import run_cli


@pytest.fixture
def demo_db(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "demo.db"
    assert run_cli("--db", str(path), "demo").code == 0
    return path


ATTACKS = [
    ("vouchers", "INSERT OR REPLACE INTO vouchers SELECT * FROM vouchers WHERE id = 1"),
    ("vouchers", "REPLACE INTO vouchers SELECT * FROM vouchers WHERE id = 1"),
    (
        "vouchers",
        "INSERT INTO vouchers SELECT * FROM vouchers WHERE id = 1 "
        "ON CONFLICT(id) DO UPDATE SET amount = 1",
    ),
    (
        "estimate_versions",
        "REPLACE INTO estimate_versions SELECT * FROM estimate_versions "
        "WHERE status = 'approved' LIMIT 1",
    ),
    (
        "estimate_lines",
        "REPLACE INTO estimate_lines SELECT * FROM estimate_lines WHERE "
        "version_id IN (SELECT id FROM estimate_versions WHERE status = 'approved') LIMIT 1",
    ),
    (
        "estimate_parts",
        "REPLACE INTO estimate_parts SELECT * FROM estimate_parts WHERE "
        "version_id IN (SELECT id FROM estimate_versions WHERE status = 'approved') LIMIT 1",
    ),
    (
        "award_decisions",
        "REPLACE INTO award_decisions SELECT * FROM award_decisions WHERE paid_at IS NOT NULL",
    ),
    ("award_recipients", "REPLACE INTO award_recipients SELECT * FROM award_recipients LIMIT 1"),
    ("audit_entries", "REPLACE INTO audit_entries SELECT * FROM audit_entries WHERE id = 1"),
    ("audit_content", "REPLACE INTO audit_content SELECT * FROM audit_content WHERE id = 1"),
    ("audit_heads", "REPLACE INTO audit_heads SELECT org_key, 1, head_hash FROM audit_heads"),
]


@pytest.mark.parametrize(("table", "sql"), ATTACKS)
def test_replace_and_upsert_of_frozen_rows_are_refused(demo_db, table, sql):  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(demo_db)  # a raw client: no pragmas of ours
    before = conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    assert before, table
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(sql)
    conn.rollback()
    assert conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() == before
    conn.close()


def test_a_dropped_guard_stops_writing_but_not_reading(demo_db):  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(demo_db)
    conn.execute("DROP TRIGGER trg_vouchers_no_replace_insert")
    conn.commit()
    conn.close()
    listed = run_cli("--db", str(demo_db), "voucher", "list")
    assert listed.code == 0 and "26 chứng từ." in listed.out
    wrote = run_cli("--db", str(demo_db), "org", "set", "--chairman", "Nguyễn Văn B")
    assert wrote.code == 2
    assert "thiếu cơ chế bảo vệ (trg_vouchers_no_replace_insert)" in wrote.err
    assert "chỉ được xem, không được ghi" in wrote.err


def test_a_dropped_guard_also_stops_a_core_posting_on_a_plain_session(demo_db):  # type: ignore[no-untyped-def]
    """Posting writes with Core inserts (no flush): a session that did not come
    from write_session() must still be refused when a guard is missing."""
    from datetime import date

    from budget.db import open_database
    from budget.guard_check import GuardsMissingError
    from budget.services.campaigns import find_campaign
    from budget.services.vouchers import post_voucher

    conn = sqlite3.connect(demo_db)
    conn.execute("DROP TRIGGER trg_vouchers_no_replace_insert")
    conn.commit()
    count = conn.execute("SELECT count(*) FROM vouchers").fetchone()[0]
    conn.close()
    database = open_database(str(demo_db))
    try:
        with database.session() as session, session.begin():
            campaign = find_campaign(session).id
            with pytest.raises(GuardsMissingError):
                post_voucher(
                    session,
                    campaign,
                    line_code="I.1",
                    amount=1_000,
                    entry_date=date(2024, 12, 1),
                    payee="Ai đó",
                    content="thử",
                    actor="kiemthu",
                    override_reason="thử chi vượt",
                )
    finally:
        database.dispose()
    conn = sqlite3.connect(demo_db)
    assert conn.execute("SELECT count(*) FROM vouchers").fetchone()[0] == count
    conn.close()
