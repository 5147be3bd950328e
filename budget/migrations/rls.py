"""Row-level security for an office that shares one PostgreSQL between communes.

Every row belongs to one organisation (directly, or through its campaign,
version or decision). A connected login role sees and changes only the rows
of the communes it is a member of, with what its role allows:

* accountant: reads and writes (estimates, vouchers, awards), cannot approve;
* chairman: reads, approves or returns estimates, cannot post vouchers;
* viewer: reads.

The owner and superusers (migrations, ``budget admin``) are not restricted.
"""

from __future__ import annotations

from alembic import op

FUNCTIONS = """
CREATE OR REPLACE FUNCTION budget_role(org integer) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT role FROM budget_memberships WHERE rolname = session_user AND organisation_id = org
$$;
CREATE OR REPLACE FUNCTION budget_campaign_org(campaign integer) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT organisation_id FROM campaigns WHERE id = campaign
$$;
CREATE OR REPLACE FUNCTION budget_version_org(version integer) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT c.organisation_id FROM estimate_versions v JOIN campaigns c ON c.id = v.campaign_id
  WHERE v.id = version
$$;
CREATE OR REPLACE FUNCTION budget_decision_org(decision integer) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT organisation_id FROM award_decisions WHERE id = decision
$$;
"""

# table -> SQL expression giving the row's organisation
ORG_OF = {
    "organisations": "id",
    "campaigns": "organisation_id",
    "estimate_versions": "budget_campaign_org(campaign_id)",
    "estimate_parts": "budget_version_org(version_id)",
    "estimate_lines": "budget_version_org(version_id)",
    "vouchers": "organisation_id",
    "award_decisions": "organisation_id",
    "award_recipients": "budget_decision_org(decision_id)",
    "audit_entries": "organisation_id",
}


def _policies() -> list[str]:
    stmts = []
    for table, org in ORG_OF.items():
        role = f"budget_role({org})"
        stmts.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        stmts.append(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING ({role} IS NOT NULL)")
        if table == "organisations":
            stmts.append(
                f"CREATE POLICY {table}_settings ON {table} FOR UPDATE "
                f"USING ({role} IN ('accountant', 'chairman')) "
                f"WITH CHECK ({role} IN ('accountant', 'chairman'))"
            )
        elif table == "audit_entries":
            stmts.append(
                f"CREATE POLICY {table}_append ON {table} FOR INSERT "
                f"WITH CHECK ({role} IS NOT NULL)"
            )
        elif table == "estimate_versions":
            stmts.append(
                f"CREATE POLICY {table}_insert ON {table} FOR INSERT "
                f"WITH CHECK ({role} = 'accountant' AND status <> 'approved')"
            )
            stmts.append(
                f"CREATE POLICY {table}_update ON {table} FOR UPDATE "
                f"USING ({role} IN ('accountant', 'chairman')) "
                f"WITH CHECK (({role} = 'accountant' AND status <> 'approved') "
                f"OR {role} = 'chairman')"
            )
            stmts.append(
                f"CREATE POLICY {table}_delete ON {table} FOR DELETE USING ({role} = 'accountant')"
            )
        else:
            stmts.append(
                f"CREATE POLICY {table}_write ON {table} FOR ALL "
                f"USING ({role} = 'accountant') WITH CHECK ({role} = 'accountant')"
            )
    return stmts


def create_rls() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTIONS)
    for statement in _policies():
        op.execute(statement)


def drop_rls() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ORG_OF:
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for suffix in ("read", "settings", "append", "insert", "update", "delete", "write"):
            op.execute(f"DROP POLICY IF EXISTS {table}_{suffix} ON {table}")
    for fn in ("budget_role", "budget_campaign_org", "budget_version_org", "budget_decision_org"):
        op.execute(f"DROP FUNCTION IF EXISTS {fn}(integer)")
