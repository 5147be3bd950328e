"""The running total of every line (migration 0011): kept by the database on every
voucher, equal to the sum of the line's vouchers, and changed by nothing else."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import text

from budget.demo import build_demo
from budget.migrations.line_totals import MISMATCHES
from budget.norms import load_norms
from budget.services.vouchers import post_voucher, reverse_voucher, settle_advance
from tests.conftest import run_cli

LINE = "IV.5"


def _totals(session, cid: int, code: str) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    row = session.execute(
        text(
            "SELECT spent, committed, voucher_count FROM line_totals "
            "WHERE campaign_id = :c AND line_code = :l"
        ),
        {"c": cid, "l": code},
    ).first()
    return (0, 0, 0) if row is None else (int(row[0]), int(row[1]), int(row[2]))


def _summed(session, cid: int, code: str) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """The same figures the slow way: the vouchers themselves."""
    row = session.execute(
        text(
            "SELECT coalesce(sum(spent_delta), 0), coalesce(sum(committed_delta), 0), count(*) "
            "FROM vouchers WHERE campaign_id = :c AND line_code = :l"
        ),
        {"c": cid, "l": code},
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def test_totals_follow_payments_advances_settlements_and_reversals(database) -> None:  # type: ignore[no-untyped-def]
    with database.write_session() as session, session.begin():
        cid = build_demo(session, load_norms(), actor="kiemthu").campaign.id
    with database.session() as session:
        spent0, committed0, n0 = _summed(session, cid, LINE)
        assert _totals(session, cid, LINE) == (spent0, committed0, n0)
    common = {"entry_date": date(2024, 12, 20), "actor": "kiemthu"}
    with database.write_session() as session, session.begin():
        paid = post_voucher(
            session, cid, line_code=LINE, amount=12_000, payee="Căn tin", content="Nước", **common
        )
        advance = post_voucher(
            session,
            cid,
            line_code=LINE,
            amount=50_000,
            payee="Nguyễn Văn A",
            content="Tạm ứng mua nước",
            vtype="tam_ung",
            **common,
        )
    with database.write_session() as session, session.begin():
        settle_advance(session, cid, advance.number, amount=45_000, **common)
        reverse_voucher(session, cid, paid.number, reason="Ghi nhầm", vtype="phieu_chi", **common)
    # By hand: spent +12,000 (payment) -12,000 (its reversal) +45,000 (the settlement);
    # committed +50,000 (the advance) -50,000 (settled); four new vouchers.
    with database.session() as session:
        assert _totals(session, cid, LINE) == (spent0 + 45_000, committed0, n0 + 4)
        assert session.execute(text(MISMATCHES)).all() == []


@pytest.fixture
def demo_db(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "demo.db"
    assert run_cli("--db", str(path), "demo").code == 0
    return path


FORGERIES = [
    "UPDATE line_totals SET spent = 0",
    "UPDATE line_totals SET spent = spent - 1, voucher_count = voucher_count + 1",
    "DELETE FROM line_totals",
    "REPLACE INTO line_totals SELECT campaign_id, line_code, organisation_id, 0, 0, 1, "
    "last_voucher_id FROM line_totals",
    # A total for a line with no vouchers: a later posting would start from it.
    "INSERT INTO line_totals SELECT campaign_id, 'ZZ', organisation_id, -5000000, 0, 1, "
    "(SELECT max(id) FROM vouchers) FROM line_totals LIMIT 1",
    # Replaying the newest voucher once more.
    "UPDATE line_totals SET spent = spent + (SELECT spent_delta FROM vouchers "
    "WHERE id = last_voucher_id), voucher_count = voucher_count + 1 "
    "WHERE last_voucher_id = (SELECT max(id) FROM vouchers)",
]


@pytest.mark.parametrize("sql", FORGERIES)
def test_a_raw_client_cannot_forge_a_total(demo_db, sql) -> None:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(demo_db)  # a raw client: none of the app's pragmas
    before = conn.execute("SELECT * FROM line_totals ORDER BY 1, 2").fetchall()
    assert before
    with pytest.raises(sqlite3.IntegrityError, match="line totals are kept by the database"):
        conn.execute(sql)
    conn.rollback()
    assert conn.execute("SELECT * FROM line_totals ORDER BY 1, 2").fetchall() == before
    conn.close()


def test_a_raw_voucher_insert_still_moves_its_total(demo_db) -> None:  # type: ignore[no-untyped-def]
    """Whatever wrote the voucher (here a raw client), its line's total follows."""
    conn = sqlite3.connect(demo_db)
    cid, line, spent, count = conn.execute(
        "SELECT campaign_id, line_code, spent, voucher_count FROM line_totals "
        "ORDER BY campaign_id, line_code LIMIT 1"
    ).fetchone()
    conn.execute(
        "INSERT INTO vouchers (organisation_id, campaign_id, kind, type, year, number, "
        "entry_date, payee, content, amount, spent_delta, committed_delta, line_code, mlnsnn, "
        "reason, search_key, entered_by, entered_at) SELECT organisation_id, id, 'payment', "
        "'phieu_chi', year, 'RAW-1', '2024-06-01', 'x', 'x', 7000, 7000, 0, ?, '7049', '', '', "
        "'raw', '2024-06-01 00:00:00' FROM campaigns WHERE id = ?",
        (line, cid),
    )
    conn.commit()
    assert conn.execute(
        "SELECT spent, voucher_count FROM line_totals WHERE campaign_id = ? AND line_code = ?",
        (cid, line),
    ).fetchone() == (spent + 7000, count + 1)
    assert conn.execute(MISMATCHES).fetchall() == []
    conn.close()


def test_the_migration_totals_what_was_there(demo_db) -> None:  # type: ignore[no-untyped-def]
    """A database at 0010 (its vouchers, no totals) gets every line's total at open."""
    from budget.db import open_database
    from budget.migrations.frozen_guards import trigger_name
    from budget.migrations.line_totals import sqlite_statements

    conn = sqlite3.connect(demo_db)
    expected = conn.execute(
        "SELECT campaign_id, line_code, sum(spent_delta), sum(committed_delta), count(*) "
        "FROM vouchers GROUP BY campaign_id, line_code ORDER BY 1, 2"
    ).fetchall()
    assert len(expected) > 10
    for statement in sqlite_statements():
        conn.execute(f"DROP TRIGGER {trigger_name(statement)}")
    conn.execute("DROP TABLE line_totals")
    conn.execute("UPDATE alembic_version SET version_num = '0010'")
    conn.commit()
    conn.close()
    open_database(str(demo_db)).dispose()
    conn = sqlite3.connect(demo_db)
    assert (
        conn.execute(
            "SELECT campaign_id, line_code, spent, committed, voucher_count FROM line_totals "
            "ORDER BY 1, 2"
        ).fetchall()
        == expected
    )
    conn.close()


def test_one_statement_of_many_vouchers_adds_each_line_once(database) -> None:  # type: ignore[no-untyped-def]
    """An import's multi-row INSERT (PostgreSQL: the trigger runs once per statement,
    migration 0012) adds every row to its own line: here three rows into IV.5 and
    two into IV.6 in one statement, hand-summed."""
    with database.write_session() as session, session.begin():
        cid = build_demo(session, load_norms(), actor="kiemthu").campaign.id
    with database.session() as session:
        before = {code: _totals(session, cid, code) for code in ("IV.5", "IV.6")}
    rows = [("IV.5", 1_000), ("IV.5", 20_000), ("IV.6", 300_000), ("IV.5", 4_000), ("IV.6", 5)]
    pg = database.engine.dialect.name == "postgresql"
    day, at = ("DATE ", "TIMESTAMP ") if pg else ("", "")  # SQLite stores ISO text
    values = " UNION ALL ".join(
        f"SELECT organisation_id, id, 'payment', 'phieu_chi', year, 'BULK-{i}', "
        f"{day}'2024-12-01', 'x', 'x', {amount}, {amount}, 0, '{line}', '7049', '', '', "
        f"'raw', {at}'2024-12-01 00:00:00' FROM campaigns WHERE id = {cid}"
        for i, (line, amount) in enumerate(rows)
    )
    with database.write_session() as session, session.begin():
        session.execute(
            text(
                "INSERT INTO vouchers (organisation_id, campaign_id, kind, type, year, number, "
                "entry_date, payee, content, amount, spent_delta, committed_delta, line_code, "
                "mlnsnn, reason, search_key, entered_by, entered_at) " + values
            )
        )
    with database.session() as session:
        spent5, committed5, n5 = before["IV.5"]
        spent6, committed6, n6 = before["IV.6"]
        assert _totals(session, cid, "IV.5") == (spent5 + 25_000, committed5, n5 + 3)
        assert _totals(session, cid, "IV.6") == (spent6 + 300_005, committed6, n6 + 2)
        assert session.execute(text(MISMATCHES)).all() == []


def test_postgresql_totals_a_statement_at_a_time(database) -> None:  # type: ignore[no-untyped-def]
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's triggers fire per row and update in place")
    with database.session() as session:
        fires = session.execute(
            text(
                "SELECT t.tgtype & 1 FROM pg_catalog.pg_trigger t "
                "JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = 'trg_line_totals_advance' AND c.relnamespace = "
                "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema())"
            )
        ).scalar_one()
    assert fires == 0  # bit 0 of tgtype: FOR EACH ROW; clear: FOR EACH STATEMENT
