"""Row-level security for a province reviewer (migration 0010), and read policies
that cost one look-up per query instead of one per row.

Since the 2025 reform a province reads its communes directly. A login listed in
``budget_province_reviewers`` for a province code reads every commune whose
``organisations.province_code`` is that code, and writes nothing:

* ``budget_role(org)`` answers ``'reviewer'`` for those communes. Every write
  policy asks for ``'accountant'`` or a writer (``pg_security.WRITERS``), the
  commune lock (``budget_lock_organisation``) too, so none lets a reviewer in.
* The reviewer login is in ``budget_users`` only (SELECT), in no writer group:
  INSERT, UPDATE and DELETE are refused by the table rights before any policy.
* ``province_code`` is left out of the writers' column rights
  (``budget/services/admin.py``): a commune cannot move itself out of its
  province's sight.

The read policies are rewritten as ``organisation_id = ANY ((SELECT
budget_readable()))``: the scalar sub-select is an InitPlan, evaluated once per
query, where ``budget_role(organisation_id) IS NOT NULL`` called a SECURITY
DEFINER function (never inlined) for every row. The rows a login may read are
the same: its communes' (memberships) and, for a reviewer, its province's.
Child tables without an organisation column (versions, parts, lines,
recipients) compare their parent's id with the readable campaigns, versions or
decisions, also computed once per query.

These statements supersede ``budget_role`` and the ``*_read`` policies of
``pg_security`` (migrations 0005 and 0008 keep creating their own, older ones:
a migration's text never changes). PostgreSQL only.
"""

from __future__ import annotations

from typing import Any

from budget.migrations.pg_security import ORG_OF, _q

#: table -> the column compared with the readable ids, and which readable set.
READ_KEYS = {
    "organisations": ("id", "budget_readable"),
    "campaigns": ("organisation_id", "budget_readable"),
    "estimate_versions": ("campaign_id", "budget_readable_campaigns"),
    "estimate_parts": ("version_id", "budget_readable_versions"),
    "estimate_lines": ("version_id", "budget_readable_versions"),
    "vouchers": ("organisation_id", "budget_readable"),
    "award_decisions": ("organisation_id", "budget_readable"),
    "award_recipients": ("decision_id", "budget_readable_decisions"),
    "audit_entries": ("organisation_id", "budget_readable"),
    "audit_content": ("organisation_id", "budget_readable"),
    "audit_heads": ("org_key", "budget_readable"),
    "funding_sources": ("organisation_id", "budget_readable"),
    "fund_registers": ("organisation_id", "budget_readable"),
    "fund_allocations": ("organisation_id", "budget_readable"),
}
assert set(ORG_OF) <= set(READ_KEYS)


def _functions(schema: str) -> dict[str, tuple[str, str, str]]:
    """name -> (arguments, returns, SQL body); all STABLE SECURITY DEFINER."""
    s = _q(schema)
    readable = (
        f"SELECT organisation_id FROM {s}.budget_memberships WHERE rolname = session_user "
        f"UNION SELECT o.id FROM {s}.organisations o JOIN {s}.budget_province_reviewers r "
        "ON r.province_code = o.province_code "
        "WHERE r.rolname = session_user AND o.province_code <> ''"
    )
    functions = {
        "budget_role": (
            "org integer",
            "text",
            f"SELECT coalesce((SELECT role FROM {s}.budget_memberships "
            "WHERE rolname = session_user AND organisation_id = org), "
            f"(SELECT 'reviewer'::text FROM {s}.organisations o "
            f"JOIN {s}.budget_province_reviewers r ON r.province_code = o.province_code "
            "WHERE o.id = org AND o.province_code <> '' AND r.rolname = session_user LIMIT 1))",
        ),
        "budget_readable": (
            "",
            "integer[]",
            f"SELECT coalesce(array_agg(id ORDER BY id), '{{}}') FROM ({readable}) t(id)",
        ),
        "budget_readable_campaigns": (
            "",
            "integer[]",
            f"SELECT coalesce(array_agg(c.id ORDER BY c.id), '{{}}') FROM {s}.campaigns c "
            f"WHERE c.organisation_id IN ({readable})",
        ),
        "budget_readable_versions": (
            "",
            "integer[]",
            f"SELECT coalesce(array_agg(v.id ORDER BY v.id), '{{}}') FROM {s}.estimate_versions v "
            f"JOIN {s}.campaigns c ON c.id = v.campaign_id WHERE c.organisation_id IN ({readable})",
        ),
        "budget_readable_decisions": (
            "",
            "integer[]",
            f"SELECT coalesce(array_agg(d.id ORDER BY d.id), '{{}}') FROM {s}.award_decisions d "
            f"WHERE d.organisation_id IN ({readable})",
        ),
        # What the tool asks at open: is this login a province reviewer (and of where)?
        "budget_reviewer_provinces": (
            "",
            "text[]",
            f"SELECT coalesce(array_agg(province_code ORDER BY province_code), '{{}}') "
            f"FROM {s}.budget_province_reviewers WHERE rolname = session_user",
        ),
    }
    return {
        name: (
            args,
            returns,
            body if name == "budget_role" else f"\nBEGIN\n  RETURN ({body});\nEND",
        )
        for name, (args, returns, body) in functions.items()
    }


def province_functions() -> list[str]:
    """The functions this module creates or replaces."""
    return list(_functions("public"))


def function_bodies(schema: str) -> dict[str, tuple[str, str, str, bool]]:
    """Every function as the schema has it now: pg_security's, with this module's
    (budget_role among them) in their place; what the guard check compares."""
    from budget.migrations import pg_security

    bodies = pg_security.function_bodies(schema)
    for name, (args, returns, body) in _functions(schema).items():
        bodies[name] = (args, returns, body, True)
    return bodies


def _create(schema: str, name: str) -> str:
    args, returns, body = _functions(schema)[name]
    s = _q(schema)
    # The readable sets are PL/pgSQL: its plans are cached for the session, where a
    # SQL function's body is planned again in every query (about 1 ms each time).
    language = "sql" if name == "budget_role" else "plpgsql"
    return (
        f"CREATE OR REPLACE FUNCTION {s}.{name}({args}) RETURNS {returns} "
        f"LANGUAGE {language} STABLE SECURITY DEFINER SET search_path = {s}, pg_temp "
        f"AS $body${body}$body$"
    )


def read_policies(schema: str) -> list[str]:
    s = _q(schema)
    stmts = []
    for table, (column, readable) in READ_KEYS.items():
        stmts.append(f"DROP POLICY IF EXISTS {table}_read ON {s}.{table}")
        stmts.append(f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY")
        stmts.append(
            f"CREATE POLICY {table}_read ON {s}.{table} FOR SELECT "
            f"USING ({column} = ANY ((SELECT {s}.{readable}())::integer[]))"
        )
    return stmts


#: Tables whose writers' policy was one FOR ALL policy (``{table}_write``).
SPLIT_WRITES = (
    "campaigns",
    "estimate_parts",
    "estimate_lines",
    "award_decisions",
    "award_recipients",
    "funding_sources",
    "fund_registers",
    "fund_allocations",
)

WRITE_VERBS = ("insert", "update", "delete")

_POLICY_EXPRS = (
    "SELECT pg_catalog.pg_get_expr(p.polqual, p.polrelid), "
    "pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) FROM pg_catalog.pg_policy p "
    "WHERE p.polname = :name AND p.polrelid = CAST(:table AS regclass)"
)


def split_write_policies(bind: Any, schema: str) -> list[str]:
    """Each ``{table}_write FOR ALL`` policy as three (INSERT, UPDATE, DELETE) with the
    same expressions, read from the catalogue. A FOR ALL policy also applies to
    SELECT, where PostgreSQL ORs it with the read policy and evaluates its per-row
    function first: every read paid the writers' check. The writes allowed are
    the same; the rows read are the same (the writers' rows are readable rows)."""
    from sqlalchemy import text

    s = _q(schema)
    stmts = []
    for table in SPLIT_WRITES:
        found = bind.execute(
            text(_POLICY_EXPRS), {"name": f"{table}_write", "table": f"{s}.{table}"}
        ).first()
        if found is None:
            continue
        using, check = found
        check = check or using
        stmts += [f"DROP POLICY IF EXISTS {table}_{k} ON {s}.{table}" for k in WRITE_VERBS]
        stmts += [
            f"DROP POLICY {table}_write ON {s}.{table}",
            f"CREATE POLICY {table}_insert ON {s}.{table} FOR INSERT WITH CHECK ({check})",
            f"CREATE POLICY {table}_update ON {s}.{table} FOR UPDATE "
            f"USING ({using}) WITH CHECK ({check})",
            f"CREATE POLICY {table}_delete ON {s}.{table} FOR DELETE USING ({using})",
        ]
    return stmts


def join_write_policies(bind: Any, schema: str) -> list[str]:
    """The downgrade of ``split_write_policies``."""
    from sqlalchemy import text

    s = _q(schema)
    stmts = []
    for table in SPLIT_WRITES:
        found = bind.execute(
            text(_POLICY_EXPRS), {"name": f"{table}_update", "table": f"{s}.{table}"}
        ).first()
        if found is None:
            continue
        using, check = found
        stmts += [f"DROP POLICY IF EXISTS {table}_{k} ON {s}.{table}" for k in WRITE_VERBS]
        stmts.append(
            f"CREATE POLICY {table}_write ON {s}.{table} FOR ALL "
            f"USING ({using}) WITH CHECK ({check})"
        )
    return stmts


def upgrade_statements(schema: str) -> list[str]:
    return [_create(schema, name) for name in _functions(schema)] + read_policies(schema)


def downgrade_statements(schema: str) -> list[str]:
    """Back to 0009: the per-row read policies and the commune-only budget_role."""
    from budget.migrations.pg_security import create_function_sql

    s = _q(schema)
    stmts = [create_function_sql(schema, "budget_role")]
    for table in READ_KEYS:
        stmts.append(f"DROP POLICY IF EXISTS {table}_read ON {s}.{table}")
        if table in ORG_OF:
            org = ORG_OF[table]
            key = f"{s}.{org}" if org.startswith("budget_") else org
            stmts.append(
                f"CREATE POLICY {table}_read ON {s}.{table} FOR SELECT "
                f"USING ({s}.budget_role({key}) IS NOT NULL)"
            )
        else:
            stmts.append(
                f"CREATE POLICY {table}_read ON {s}.{table} FOR SELECT "
                f"USING ({s}.budget_role(organisation_id) IS NOT NULL)"
            )
    for name in _functions(schema):
        if name != "budget_role":
            stmts.append(f"DROP FUNCTION IF EXISTS {s}.{name}()")
    return stmts
