"""A hostile session on the shared PostgreSQL office, continued: the actor is the
database login whatever the client claims, the commune's own logins still work,
and migration 0008 reaches a database made before it."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_ENV, pg_schema_url, run_cli
from tests.unit.hostile_office import (
    ACC_A_NAME,
    PG_OFFICE,
    USERS,
    Office,
    _url_as,
)

pytestmark = PG_OFFICE

# -- 5. actor spoofing ---------------------------------------------------------------------


def test_the_actor_is_the_login_not_the_claimed_name(
    office: Office, unchanged: None, monkeypatch: pytest.MonkeyPatch, norms
) -> None:  # type: ignore[no-untyped-def]
    from budget.db import open_database
    from budget.services.actor import current_actor
    from budget.services.vouchers import post_voucher

    monkeypatch.setenv("BUDGET_USER", "Chủ tịch")
    acc_a = _url_as(office.url, USERS["acc_a"])
    result = run_cli(
        "--db",
        acc_a,
        "--user",
        "Chủ tịch",
        "voucher",
        "add",
        "--campaign",
        "cqtt-a",
        "--line",
        "I.2",
        "--amount",
        "250.000",
        "--date",
        "2024-05-02",
        "--payee",
        "Âm thanh",
        "--content",
        "Thuê âm thanh",
        "--number",
        "PC-0101",
    )
    assert result.code == 0, result.err
    db = open_database(acc_a)
    try:
        with db.write_session() as s, s.begin():
            post_voucher(
                s,
                office.campaign_a,
                line_code="I.2",
                amount=50_000,
                entry_date=date(2024, 5, 3),
                payee="Hoa",
                content="Hoa tươi",
                actor=current_actor(),
                number="PC-0102",
            )
    finally:
        db.dispose()
    with office.owner() as owner:
        vouchers = owner.execute(
            "SELECT number, amount, entered_by FROM vouchers WHERE organisation_id = %s "
            "AND number LIKE 'PC-01%%' ORDER BY number",
            (office.org_a,),
        ).fetchall()
        actors = owner.execute(
            "SELECT entity_id, actor FROM audit_entries WHERE organisation_id = %s "
            "AND entity_id LIKE 'PC-01%%' ORDER BY entity_id",
            (office.org_a,),
        ).fetchall()
    assert vouchers == [("PC-0101", 250_000, ACC_A_NAME), ("PC-0102", 50_000, ACC_A_NAME)]
    assert actors == [("PC-0101", ACC_A_NAME), ("PC-0102", ACC_A_NAME)]
    # The honest posting is in A's chain; A's verify holds too.
    verified = run_cli("--db", acc_a, "audit", "verify")
    assert (verified.code, verified.out.strip()) == (0, "Nhật ký nguyên vẹn.")


def test_the_commune_logins_still_do_their_work(office: Office, unchanged: None, norms) -> None:  # type: ignore[no-untyped-def]
    """No false refusal: A's accountant and chairman run a year through the services
    (every new same-commune check and actor stamp on the way), under their names."""
    from budget.db import open_database
    from budget.excel.estimate_import import ImportedEstimate, ImportedLine
    from budget.services import approval, awards, fund
    from budget.services.campaigns import create_campaign
    from budget.services.estimate_edit import remove_line
    from budget.services.estimate_import import import_estimate
    from budget.services.organisation import update_settings
    from budget.services.vouchers import post_voucher, reverse_voucher, settle_advance

    imported = ImportedEstimate(
        source="dutoan.xlsx",
        parts=(("I", "Phát động"),),
        lines=(
            ImportedLine("I", "I.1", "Băng rôn", "cái", Decimal(2), None, 150_000, "6657", ""),
            ImportedLine("I", "I.2", "Hoa", "lẵng", Decimal(1), None, 50_000, "6657", ""),
        ),
    )
    accountant = open_database(_url_as(office.url, USERS["acc_a"]))
    chairman = open_database(_url_as(office.url, USERS["chair_a"]))
    try:
        with accountant.write_session() as s, s.begin():
            info = create_campaign(
                s,
                norms,
                year=2026,
                actor="ai đó",
                org_code="xa-a",
                template_key="chinh-quyen-than-thien",
                code="cqtt-a-2026",
            )
            approval.submit(s, info.id, actor="ai đó")
        with chairman.write_session() as s, s.begin():
            approval.approve(
                s,
                info.id,
                decision_number="5/QĐ",
                decision_date=date(2026, 2, 1),
                actor="ai đó",
            )
        with accountant.write_session() as s, s.begin():
            update_settings(s, {"cashier_name": "Phạm Thủ Quỹ"}, actor="ai đó")
            fund.open_fund(s, office.org_a, 2026, 1_000_000, actor="ai đó")
            fund.allocate(
                s,
                office.org_a,
                2026,
                400_000,
                decision_number="7/QĐ",
                decision_date=date(2026, 2, 2),
                actor="ai đó",
            )
            awards.create_decision(
                s,
                info.id,
                number="12/QĐ-KT",
                decision_date=date(2026, 3, 1),
                actor="ai đó",
                signer="Trần Văn Chủ Tịch",
            )
            post_voucher(
                s,
                info.id,
                line_code="I.1",
                amount=300_000,
                entry_date=date(2026, 3, 2),
                payee="Cửa hàng",
                content="Băng rôn",
                actor="ai đó",
                number="PC-0201",
            )
            reverse_voucher(s, info.id, "PC-0201", reason="Ghi nhầm", actor="ai đó")
            post_voucher(
                s,
                info.id,
                line_code="I.1",
                amount=200_000,
                entry_date=date(2026, 3, 3),
                payee="Anh Ba",
                content="Tạm ứng",
                actor="ai đó",
                vtype="tam_ung",
                number="TU-0201",
            )
            settle_advance(
                s,
                info.id,
                "TU-0201",
                amount=150_000,
                entry_date=date(2026, 3, 9),
                actor="ai đó",
            )
            # An import turns the approved estimate into a new draft (version 2) and
            # replaces its rows (budget_clear_version); then one line goes
            # (budget_remove_line): accountants hold no DELETE right.
            import_estimate(s, info.id, imported, actor="ai đó")
            assert remove_line(s, info.id, "I.2", actor="ai đó") == 300_000
    finally:
        accountant.dispose()
        chairman.dispose()
    with office.owner() as owner:
        who = owner.execute(
            "SELECT 'campaign', created_by FROM campaigns WHERE id = %s UNION ALL "
            "SELECT 'version:' || status, created_by FROM estimate_versions WHERE campaign_id = %s "
            "UNION ALL SELECT 'fund', created_by FROM fund_registers WHERE organisation_id = %s "
            "AND year = 2026 UNION ALL SELECT 'allocation', created_by FROM fund_allocations "
            "WHERE organisation_id = %s UNION ALL SELECT 'decision', created_by "
            "FROM award_decisions WHERE campaign_id = %s ORDER BY 1",
            (info.id, info.id, office.org_a, office.org_a, info.id),
        ).fetchall()
        money = owner.execute(
            "SELECT sum(spent_delta), sum(committed_delta), count(*), "
            "count(DISTINCT entered_by), min(entered_by) FROM vouchers WHERE campaign_id = %s",
            (info.id,),
        ).fetchone()
        draft = owner.execute(
            "SELECT v.version_no, v.status, l.code, l.amount FROM estimate_versions v "
            "JOIN estimate_lines l ON l.version_id = v.id WHERE v.campaign_id = %s "
            "AND v.status = 'draft'",
            (info.id,),
        ).fetchall()
        cashier = owner.execute(
            "SELECT cashier_name FROM organisations WHERE id = %s", (office.org_a,)
        ).fetchone()
        approver = owner.execute(
            "SELECT actor FROM audit_entries WHERE organisation_id = %s AND action = 'approve' "
            "ORDER BY id DESC LIMIT 1",
            (office.org_a,),
        ).fetchone()
    assert who == [
        ("allocation", ACC_A_NAME),
        ("campaign", ACC_A_NAME),
        ("decision", ACC_A_NAME),
        ("fund", ACC_A_NAME),
        ("version:approved", ACC_A_NAME),
        ("version:draft", ACC_A_NAME),
    ]
    # PC 300.000 and its reversal −300.000; TU 200.000 committed, settled: 150.000 spent,
    # −200.000 committed. Four rows.
    assert money == (150_000, 0, 4, 1, ACC_A_NAME)
    assert approver == ("Trần Văn Chủ Tịch",)
    assert cashier == ("Phạm Thủ Quỹ",)
    assert draft == [(2, "draft", "I.1", 300_000)]


def test_migration_0008_hardens_a_database_made_before_it() -> None:
    """A database at 0007 with the earlier policies (no same-commune check, no actor
    stamps) gets both when it is next opened."""
    from budget.db import open_database
    from budget.guard_check import missing_guards
    from budget.migrations import HEAD_REVISION, line_totals, province_rls

    with pg_schema_url(os.environ[PG_ENV]) as url:
        open_database(url).dispose()
        engine = create_engine(url)
        with engine.begin() as conn:
            for name, table in (
                ("trg_vouchers_actor", "vouchers"),
                ("trg_campaigns_actor", "campaigns"),
            ):
                conn.execute(text(f"DROP TRIGGER {name} ON {table}"))
            conn.execute(text("DROP POLICY vouchers_append ON vouchers"))
            conn.execute(
                text(
                    "CREATE POLICY vouchers_append ON vouchers FOR INSERT "
                    "WITH CHECK (budget_role(organisation_id) = 'accountant')"
                )
            )
            # What 0011, 0010 and 0009 add after 0008, so that the database is really at 0007.
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            for statement in line_totals.postgres_downgrade(schema):
                conn.execute(text(statement))
            conn.execute(text("DROP TABLE line_totals"))
            undo = province_rls.join_write_policies(conn, schema)
            for statement in undo + province_rls.downgrade_statements(schema):
                conn.execute(text(statement))
            conn.execute(text("DROP TABLE budget_province_reviewers"))
            conn.execute(text("ALTER TABLE organisations DROP COLUMN province_code"))
            conn.execute(text("ALTER TABLE award_decisions DROP COLUMN line_codes"))
            conn.execute(text("UPDATE alembic_version SET version_num = '0007'"))
            # The province functions of 0010 are missing too (budget_role as 0008 made it).
            assert sorted(missing_guards(conn)) == sorted(
                [
                    "trg_campaigns_actor",
                    "trg_vouchers_actor",
                    *province_rls.province_functions(),
                    *line_totals.function_bodies(schema),
                    *(name for name, *_ in line_totals.TRIGGERS),
                    "RLS line_totals",
                ]
            )
        open_database(url).dispose()
        with engine.begin() as conn:
            check = conn.execute(
                text(
                    "SELECT pg_get_expr(p.polwithcheck, p.polrelid) FROM pg_policy p "
                    "WHERE p.polname = 'vouchers_append' AND p.polrelid = 'vouchers'::regclass"
                )
            ).scalar_one()
            assert "budget_campaign_org(campaign_id) = organisation_id" in check
            assert "budget_voucher_org(reverses_id)" in check
            assert missing_guards(conn) == []
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == (
                HEAD_REVISION
            )
        engine.dispose()


def test_the_admin_names_a_login_for_the_log(office: Office, unchanged: None) -> None:
    """``budget admin user --display-name``: the name the database writes as actor."""
    result = run_cli(
        "--db",
        office.url,
        "admin",
        "user",
        USERS["view_a"],
        "--commune",
        "xa-a",
        "--role",
        "viewer",
        "--display-name",
        "Ngô Thị Xem",
    )
    assert result.code == 0, result.err
    with office.login("view_a") as conn:
        assert conn.execute(f"SELECT {office.schema}.budget_actor()").fetchall() == [
            ("Ngô Thị Xem",)
        ]
