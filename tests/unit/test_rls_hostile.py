"""A hostile session on the shared PostgreSQL office (issue 14, item 1).

Two communes A (An Hòa) and B (Bình Lợi). A viewer, an accountant and a
chairman of A log in as real LOGIN roles (psycopg, trust on 127.0.0.1) and
attack: temporary tables shadowing the tables the row-level security reads,
objects of their own on the search path, table rights, locks. Every attack must
fail (an error, or no row touched); after each test B's data and A's submitted
estimate are exactly as set up and B's audit chain verifies (``unchanged``).
The forged actor and the honest work are in test_rls_hostile_actor.py.
"""

from __future__ import annotations

import pytest

from tests.conftest import run_cli
from tests.unit.hostile_office import (
    ACC_A_NAME,
    DENIED,
    PG_OFFICE,
    RLS,
    USERS,
    Office,
    _attempt,
    _audit_entry,
    _fails,
    _url_as,
    _voucher,
)

pytestmark = PG_OFFICE

# -- 1. temporary tables shadowing the tables the policies read ----------------------------


def test_temp_tables_are_refused_outright(office: Office, unchanged: None) -> None:
    for key in ("view_a", "acc_a", "chair_a"):
        with office.login(key) as conn:
            outcome = _attempt(
                conn, "CREATE TEMP TABLE budget_memberships (rolname text, organisation_id int)"
            )
            _fails(outcome, "permission denied to create temporary tables")


SHADOWS = (
    "CREATE TEMP TABLE budget_memberships (rolname text, organisation_id int, role text, "
    "display_name text)",
    "INSERT INTO budget_memberships VALUES (session_user, {b}, 'accountant', 'Chủ tịch'), "
    "(session_user, {a}, 'chairman', 'Chủ tịch')",
    "CREATE TEMP TABLE campaigns (id int, organisation_id int)",
    "INSERT INTO campaigns VALUES ({cb}, {a}), ({p}, {a})",
    "CREATE TEMP TABLE organisations (id int, code text)",
    "INSERT INTO organisations VALUES ({b}, 'xa-a')",
    "CREATE TEMP TABLE estimate_versions (id int, campaign_id int, status text)",
    "INSERT INTO estimate_versions VALUES ({pv}, {cb}, 'draft')",
    "CREATE TEMP TABLE vouchers (id int, organisation_id int)",
    "INSERT INTO vouchers VALUES ({vb}, {a})",
    "SET search_path = pg_temp, {s}",
)


@pytest.mark.parametrize("key", ["view_a", "acc_a"])
def test_temp_table_shadowing_changes_nothing(office: Office, unchanged: None, key: str) -> None:
    """Even where TEMP were granted again, the SECURITY DEFINER functions read the
    schema's tables (search_path schema first, pg_temp last, qualified names)."""
    user = USERS[key]
    with office.owner() as owner:
        owner.execute(f'GRANT TEMPORARY ON DATABASE {owner.info.dbname} TO "{user}"')
    o = office
    fmt = {
        "a": o.org_a,
        "b": o.org_b,
        "cb": o.campaign_b,
        "p": o.pending,
        "pv": o.pending_version,
        "vb": o.voucher_b,
        "s": o.schema,
    }
    try:
        with office.login(key) as conn:
            conn.autocommit = True
            for statement in SHADOWS:
                conn.execute(statement.format(**fmt))
            # The shadows are there: an unqualified name reads them.
            assert conn.execute("SELECT role FROM budget_memberships ORDER BY 1").fetchall() == [
                ("accountant",),
                ("chairman",),
            ]
            conn.autocommit = False
            s = o.schema
            own_role = "viewer" if key == "view_a" else "accountant"
            assert conn.execute(f"SELECT {s}.budget_role({o.org_b})").fetchall() == [(None,)]
            assert conn.execute(f"SELECT {s}.budget_role({o.org_a})").fetchall() == [(own_role,)]
            conn.rollback()
            seen = _attempt(conn, f"SELECT * FROM {s}.vouchers WHERE organisation_id = {o.org_b}")
            assert seen == 0
            assert _attempt(conn, f"SELECT * FROM {s}.campaigns WHERE id = {o.campaign_b}") == 0
            assert _attempt(conn, f"SELECT * FROM {s}.organisations WHERE id = {o.org_b}") == 0
            forged = _voucher(o.org_b, o.campaign_b).format(s=s)
            _fails(_attempt(conn, forged), DENIED if key == "view_a" else RLS)
            settings = (
                f"UPDATE {s}.organisations SET chairman_name = 'Kẻ gian', cashier_name = 'Kẻ gian' "
                f"WHERE id = {o.org_b}"
            )
            _fails(_attempt(conn, settings), DENIED if key == "view_a" else None)
            approve = (
                f"UPDATE {s}.estimate_versions SET status = 'approved', decision_number = '9/QĐ', "
                f"decision_date = '2025-02-01' WHERE id = {o.pending_version}"
            )
            _fails(_attempt(conn, approve), DENIED if key == "view_a" else None)
            lock = f"SELECT {s}.budget_lock_organisation({o.org_b})"
            _fails(_attempt(conn, lock), "only a writer of this commune")
    finally:
        with office.owner() as owner:
            owner.execute(f'REVOKE TEMPORARY ON DATABASE {owner.info.dbname} FROM "{user}"')


# -- 2. objects of one's own ---------------------------------------------------------------


def test_no_one_creates_objects_in_the_schema(office: Office, unchanged: None) -> None:
    s = office.schema
    for key in ("view_a", "acc_a", "chair_a"):
        with office.login(key) as conn:
            for sql in (
                f"CREATE TABLE {s}.budget_memberships2 (x int)",
                f"CREATE FUNCTION {s}.budget_role(org bigint) RETURNS text LANGUAGE sql "
                "AS $$ SELECT 'chairman' $$",
                f"CREATE VIEW {s}.v AS SELECT 1",
                "CREATE TABLE public.budget_memberships (x int)",
                "CREATE SCHEMA evil",
            ):
                _fails(_attempt(conn, sql), DENIED)


def test_a_schema_of_ones_own_on_the_search_path_changes_nothing(
    office: Office, unchanged: None
) -> None:
    """A user with a schema of their own (granted by a careless admin) puts forged
    tables and functions first on the search path: the policies do not read them."""
    o, s, user = office, office.schema, USERS["acc_a"]
    own = f"own_{user}"
    with office.owner() as owner:
        owner.execute(f'CREATE SCHEMA "{own}" AUTHORIZATION "{user}"')
    with office.login("acc_a", search_path=f"{own},{s}") as conn:
        conn.autocommit = True
        conn.execute(
            "CREATE TABLE budget_memberships (rolname text, organisation_id int, role text)"
        )
        conn.execute(
            f"INSERT INTO budget_memberships VALUES (session_user, {o.org_b}, 'accountant'), "
            f"(session_user, {o.org_a}, 'chairman')"
        )
        conn.execute("CREATE TABLE campaigns (id int, organisation_id int)")
        conn.execute(f"INSERT INTO campaigns VALUES ({o.campaign_b}, {o.org_a})")
        conn.execute(
            "CREATE FUNCTION budget_role(org integer) RETURNS text LANGUAGE sql "
            "AS $$ SELECT 'chairman'::text $$"
        )
        conn.execute(
            "CREATE FUNCTION budget_campaign_org(c integer) RETURNS integer LANGUAGE sql "
            f"AS $$ SELECT {o.org_a} $$"
        )
        conn.autocommit = False
        assert conn.execute(f"SELECT {s}.budget_role({o.org_b})").fetchall() == [(None,)]
        conn.rollback()
        # Unqualified names now mean the attacker's objects, the policies still ours.
        assert _attempt(conn, "SELECT * FROM vouchers WHERE organisation_id = %s", o.org_b) == 0
        forged = _voucher(o.org_b, o.campaign_b).format(s=s)
        _fails(_attempt(conn, forged), RLS)
        settings = f"UPDATE organisations SET chairman_name = 'Kẻ gian' WHERE id = {o.org_b}"
        _fails(_attempt(conn, settings))
        approve = (
            f"UPDATE estimate_versions SET status = 'approved', decision_number = '9/QĐ', "
            f"decision_date = '2025-02-01' WHERE id = {o.pending_version}"
        )
        _fails(_attempt(conn, approve))


# -- 3. table rights by role ---------------------------------------------------------------

# (who, statement, what the refusal says; None: it touches no row)
RIGHTS = {
    "viewer_inserts_audit_entry": ("view_a", _audit_entry("{a}", "x"), DENIED),
    "viewer_inserts_audit_content": (
        "view_a",
        "INSERT INTO {s}.audit_content (entry_id, organisation_id, table_name, row_id, label, "
        "data, hash) SELECT max(id), {a}, 'vouchers', 1, 'x', '{{}}', 'x' FROM {s}.audit_entries",
        DENIED,
    ),
    "viewer_inserts_voucher": ("view_a", _voucher("{a}", "{ca}"), DENIED),
    "viewer_updates_settings": (
        "view_a",
        "UPDATE {s}.organisations SET chairman_name = 'x'",
        DENIED,
    ),
    "chairman_posts_voucher": ("chair_a", _voucher("{a}", "{ca}"), DENIED),
    "accountant_approves": (
        "acc_a",
        "UPDATE {s}.estimate_versions SET status = 'approved', decision_number = '9/QĐ', "
        "decision_date = '2025-02-01' WHERE id = {pv}",
        None,
    ),
    "accountant_returns_submitted_to_draft": (
        "acc_a",
        "UPDATE {s}.estimate_versions SET status = 'draft' WHERE id = {pv}",
        None,
    ),
    "accountant_edits_submitted_lines": (
        "acc_a",
        "UPDATE {s}.estimate_lines SET unit_price = unit_price * 10, amount = amount * 10 "
        "WHERE version_id = {pv}",
        "submitted estimate is awaiting approval",
    ),
    "accountant_deletes_submitted_lines": (
        "acc_a",
        "DELETE FROM {s}.estimate_lines WHERE version_id = {pv}",
        DENIED,
    ),
    "accountant_clears_submitted_version": (
        "acc_a",
        "SELECT {s}.budget_clear_version({pv})",
        "awaiting approval",
    ),
    "accountant_removes_submitted_line": (
        "acc_a",
        "SELECT {s}.budget_remove_line(min(id)) FROM {s}.estimate_lines WHERE version_id = {pv}",
        "awaiting approval",
    ),
    "accountant_clears_approved_version": (
        "acc_a",
        "SELECT {s}.budget_clear_version({av})",
        "approved estimate version is frozen",
    ),
    "accountant_clears_b_version": (
        "acc_a",
        "SELECT {s}.budget_clear_version({bv})",
        "only an accountant of this commune",
    ),
    "chairman_clears_pending_version": (
        "chair_a",
        "SELECT {s}.budget_clear_version({pv})",
        "only an accountant of this commune",
    ),
    "viewer_removes_line": (
        "view_a",
        "SELECT {s}.budget_remove_line(min(id)) FROM {s}.estimate_lines WHERE version_id = {pv}",
        "only an accountant of this commune",
    ),
    "accountant_adds_submitted_line": (
        "acc_a",
        "INSERT INTO {s}.estimate_lines (version_id, part_id, position, code, content, unit, "
        "quantity, multiplier, unit_price, amount, mlnsnn, norm_ref) SELECT version_id, part_id, "
        "position + 100, code || '.9', content, unit, quantity, multiplier, unit_price, amount, "
        "mlnsnn, norm_ref FROM {s}.estimate_lines WHERE version_id = {pv} AND code = 'I.1'",
        "awaiting approval",
    ),
    "accountant_renames_submitted_part": (
        "acc_a",
        "UPDATE {s}.estimate_parts SET title = 'x' WHERE version_id = {pv}",
        "awaiting approval",
    ),
    "accountant_moves_submitted_line_out": (
        "acc_a",
        "UPDATE {s}.estimate_lines SET version_id = {av} WHERE version_id = {pv}",
        "awaiting approval",
    ),
    "accountant_edits_approved_lines": (
        "acc_a",
        "UPDATE {s}.estimate_lines SET amount = amount + 1 WHERE version_id = {av}",
        "approved estimate version is frozen",
    ),
    "chairman_edits_lines": (
        "chair_a",
        "UPDATE {s}.estimate_lines SET amount = amount + 1 WHERE version_id = {pv}",
        DENIED,
    ),
    "chairman_reopens_approved": (
        "chair_a",
        "UPDATE {s}.estimate_versions SET status = 'draft' WHERE id = {av}",
        None,
    ),
    "chairman_moves_submitted_to_b": (
        "chair_a",
        "UPDATE {s}.estimate_versions SET campaign_id = {cb} WHERE id = {pv}",
        RLS,
    ),
    "accountant_moves_campaign_to_b": (
        "acc_a",
        "UPDATE {s}.campaigns SET organisation_id = {b} WHERE id = {ca}",
        RLS,
    ),
    "accountant_forges_actor": ("acc_a", _audit_entry("{a}", "Chủ tịch"), "audit actor must be"),
    "accountant_appends_to_b_chain": ("acc_a", _audit_entry("{b}", ACC_A_NAME), RLS),
    "accountant_appends_to_common_chain": (
        "acc_a",
        _audit_entry("NULL", ACC_A_NAME),
        RLS,
    ),
    "accountant_books_voucher_in_b_campaign": ("acc_a", _voucher("{a}", "{cb}"), RLS),
    "accountant_reverses_b_voucher": ("acc_a", _voucher("{a}", "{ca}", reverses_id="{vb}"), RLS),
    "accountant_settles_b_advance": ("acc_a", _voucher("{a}", "{ca}", settles_id="{vb}"), RLS),
    "accountant_opens_decision_in_b_campaign": (
        "acc_a",
        "INSERT INTO {s}.award_decisions (organisation_id, campaign_id, number, decision_date, "
        "signer, title, rounding, collective_rule, household_rule, created_by, created_at) "
        "VALUES ({a}, {cb}, 'QĐ-X', '2024-05-01', 'x', '', 'none', 'coefficient', "
        "'coefficient', 'x', now())",
        RLS,
    ),
    "accountant_bases_version_on_b": (
        "acc_a",
        "INSERT INTO {s}.estimate_versions (campaign_id, version_no, status, based_on_id, title, "
        "created_at, created_by) VALUES ({ca}, 98, 'draft', {bv}, '', now(), 'x')",
        RLS,
    ),
    "accountant_links_line_to_b_part": (
        "acc_a",
        "INSERT INTO {s}.estimate_versions (campaign_id, version_no, status, title, created_at, "
        "created_by) VALUES ({ca}, 99, 'draft', '', now(), 'x'); "
        "INSERT INTO {s}.estimate_lines (version_id, part_id, position, code, content, unit, "
        "quantity, multiplier_unit, unit_price, amount, mlnsnn, note) SELECT max(id), {pb}, 1, "
        "'I.1', 'x', '', '1', '', 1, 1, '6657', '' FROM {s}.estimate_versions "
        "WHERE campaign_id = {ca}",
        RLS,
    ),
    "accountant_allocates_from_b_fund": (
        "acc_a",
        "INSERT INTO {s}.fund_allocations (fund_id, organisation_id, amount, decision_number, "
        "decision_date, note, created_at, created_by) "
        "VALUES ({fb}, {a}, 1000, 'x', '2024-05-01', '', now(), 'x')",
        RLS,
    ),
    "accountant_attaches_content_to_b_entry": (
        "acc_a",
        "INSERT INTO {s}.audit_content (entry_id, organisation_id, table_name, row_id, label, "
        "data, hash) VALUES ({eb}, {a}, 'vouchers', {vb}, 'x', '{{}}', 'x')",
        RLS,
    ),
    "accountant_moves_audit_head": (
        "acc_a",
        "UPDATE {s}.audit_heads SET entry_count = entry_count + 1",
        DENIED,
    ),
    "accountant_promotes_itself": (
        "acc_a",
        "UPDATE {s}.budget_memberships SET role = 'chairman' WHERE rolname = session_user",
        DENIED,
    ),
    # The running totals (migration 0011) are the trigger's alone: a forged total
    # would let a posting pass the balance check.
    "accountant_inserts_line_total": (
        "acc_a",
        "INSERT INTO {s}.line_totals (campaign_id, line_code, organisation_id, spent, "
        "committed, voucher_count, last_voucher_id) VALUES ({ca}, 'ZZ', {a}, 0, 0, 1, 1)",
        DENIED,
    ),
    "accountant_zeroes_line_totals": ("acc_a", "UPDATE {s}.line_totals SET spent = 0", DENIED),
    "accountant_reads_b_line_totals": (
        "acc_a",
        "SELECT * FROM {s}.line_totals WHERE organisation_id = {b}",
        None,
    ),
    "viewer_becomes_accountant_group": ("view_a", "SET ROLE budget_accountants", DENIED),
    "accountant_becomes_chairman_group": ("acc_a", "SET ROLE budget_chairmen", DENIED),
    "accountant_reads_memberships": ("acc_a", "SELECT * FROM {s}.budget_memberships", DENIED),
}
for _who in ("view_a", "acc_a", "chair_a"):
    for _table in ("vouchers", "audit_entries", "audit_content", "line_totals"):
        RIGHTS[f"{_who}_updates_{_table}"] = (
            _who,
            f"UPDATE {{s}}.{_table} SET organisation_id = organisation_id",
            DENIED,
        )
        RIGHTS[f"{_who}_deletes_{_table}"] = (_who, f"DELETE FROM {{s}}.{_table}", DENIED)
        RIGHTS[f"{_who}_truncates_{_table}"] = (_who, f"TRUNCATE {{s}}.{_table}", DENIED)


@pytest.mark.parametrize("case", list(RIGHTS))
def test_role_rights(office: Office, unchanged: None, case: str) -> None:
    who, sql, match = RIGHTS[case]
    o = office
    with office.owner() as owner:
        last_b = owner.execute(
            "SELECT max(id) FROM audit_entries WHERE organisation_id = %s", (o.org_b,)
        ).fetchone()[0]
    statement = sql.format(
        s=o.schema,
        a=o.org_a,
        b=o.org_b,
        ca=o.campaign_a,
        cb=o.campaign_b,
        pv=o.pending_version,
        av=o.approved_version_a,
        eb=last_b,
        vb=o.voucher_b,
        bv=o.version_b,
        pb=o.part_b,
        fb=o.fund_b,
    )
    with office.login(who) as conn:
        _fails(_attempt(conn, statement), match)


# -- 4. locks ------------------------------------------------------------------------------


def test_the_raw_advisory_locks_are_revoked(office: Office, unchanged: None) -> None:
    from budget.db import open_database
    from budget.services.admin import advisory_locks_open

    db = open_database(office.url)
    try:
        with db.session() as s:
            assert advisory_locks_open(s) is False  # the suite runs as postgres, a superuser
    finally:
        db.dispose()
    for key in ("view_a", "acc_a"):
        with office.login(key) as conn:
            for fn in (
                "pg_advisory_xact_lock(8472, {o})",
                "pg_advisory_lock(8472, {o})",
                "pg_try_advisory_xact_lock(8472, {o})",
                "pg_advisory_xact_lock_shared(8472, {o})",
                "pg_advisory_xact_lock(36387811672064)",
            ):
                sql = "SELECT " + fn.format(o=office.org_b)
                _fails(_attempt(conn, sql), "permission denied for function pg_")


def test_only_a_writer_of_the_commune_takes_its_lock(office: Office, unchanged: None) -> None:
    s, o = office.schema, office
    with office.login("view_a") as conn:
        _fails(_attempt(conn, f"SELECT {s}.budget_lock_organisation({o.org_a})"), "only a writer")
    with office.login("acc_a") as conn:
        _fails(_attempt(conn, f"SELECT {s}.budget_lock_organisation({o.org_b})"), "only a writer")
        assert _attempt(conn, f"SELECT {s}.budget_lock_organisation({o.org_a})") == 1


def test_a_viewer_cannot_lock_rows_or_block_writers(office: Office, unchanged: None) -> None:
    s = office.schema
    with office.login("view_a") as conn:
        for clause in ("FOR UPDATE", "FOR NO KEY UPDATE", "FOR SHARE", "FOR KEY SHARE"):
            _fails(_attempt(conn, f"SELECT id FROM {s}.vouchers {clause}"), DENIED)
        for mode in (
            "ROW SHARE",
            "ROW EXCLUSIVE",
            "SHARE UPDATE EXCLUSIVE",
            "SHARE",
            "SHARE ROW EXCLUSIVE",
            "EXCLUSIVE",
            "ACCESS EXCLUSIVE",
        ):
            for table in ("vouchers", "audit_entries", "estimate_lines", "organisations"):
                sql = f"LOCK TABLE {s}.{table} IN {mode} MODE"
                _fails(_attempt(conn, sql), DENIED)
    # The one mode left to a reader (ACCESS SHARE, what any SELECT takes) blocks no writer:
    # B's accountant inserts while A's viewer holds it.
    with office.login("view_a") as reader, office.login("acc_b") as writer:
        reader.execute(f"LOCK TABLE {s}.vouchers IN ACCESS SHARE MODE")
        writer.execute("SET lock_timeout = '2s'")
        forged = _voucher(office.org_b, office.campaign_b, "LOCKTEST").format(s=s)
        assert writer.execute(forged).rowcount == 1
        writer.rollback()
        reader.rollback()


@pytest.mark.parametrize("key", ["acc_a", "chair_a"])
def test_a_writer_cannot_lock_a_table_it_updates(office: Office, unchanged: None, key: str) -> None:
    """UPDATE is granted per column: the same updates, no table lock that blocks writers."""
    s = office.schema
    with office.login(key) as conn:
        for table in (
            "organisations",
            "campaigns",
            "estimate_versions",
            "award_decisions",
            "vouchers",
            "audit_entries",
            "audit_content",
            "fund_registers",
        ):
            for mode in ("SHARE", "EXCLUSIVE", "ACCESS EXCLUSIVE"):
                _fails(_attempt(conn, f"LOCK TABLE {s}.{table} IN {mode} MODE"), DENIED)
        for table in ("estimate_lines", "estimate_parts", "award_recipients"):
            # No DELETE right either: a draft's rows go through budget_remove_line
            # and budget_clear_version.
            sql = f"LOCK TABLE {s}.{table} IN ACCESS EXCLUSIVE MODE"
            _fails(_attempt(conn, sql), DENIED)


# -- 6. afterwards -------------------------------------------------------------------------


def test_b_verifies_as_the_owner_after_every_attack(office: Office, unchanged: None) -> None:
    result = run_cli("--db", _url_as(office.url, USERS["acc_b"]), "audit", "verify")
    assert (result.code, result.out.strip()) == (0, "Nhật ký nguyên vẹn.")
    whole = run_cli("--db", office.url, "audit", "verify")
    assert (whole.code, whole.out.strip()) == (0, "Nhật ký nguyên vẹn.")
