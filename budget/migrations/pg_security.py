"""PostgreSQL hardening of migration 0005: row-level security that holds against
a hostile session.

* Every function (SECURITY DEFINER or trigger) runs with a fixed
  ``search_path = <schema>, pg_temp`` (pg_temp last: a session's temporary table
  named like ours is never read) and names every table with its schema.
* Audit entries are appended only by writers (accountant, chairman) of their
  own commune, and their actor must be the database login's name.
* The per-commune advisory lock is taken through ``budget_lock_organisation``,
  which only a writer of that commune (or the schema owner) may take.
* The lines of a submitted estimate are frozen like an approved one's.
* ``audit_heads`` (count and head hash per commune) is kept by a trigger.

Role privileges (which role may INSERT/UPDATE what, TEMP and CREATE revoked)
are granted by ``budget admin setup`` (budget/services/admin.py), since the
login roles live outside the schema.
"""

from __future__ import annotations

from budget.migrations.frozen_guards import APPEND_ONLY, FROZEN, HEAD, LEDGER, PAID, SUBMITTED

LOCK_NAMESPACE = 8_472
WRITERS = "('accountant', 'chairman')"
ACTOR = "audit actor must be the database login"
LOCK = "only a writer of this commune may take its lock"
DRAFT = "only an accountant of this commune may delete its draft rows"


def _q(schema: str) -> str:
    return '"' + schema.replace('"', '""') + '"'


def _owner(schema: str) -> str:
    """True when the session's login owns the schema (or is a superuser)."""
    return (
        "pg_catalog.pg_has_role(session_user, (SELECT nspowner FROM pg_catalog.pg_namespace "
        f"WHERE nspname = '{schema}'), 'MEMBER')"
    )


def _err(message: str, code: str = "integrity_constraint_violation") -> str:
    return f"RAISE EXCEPTION '{message}' USING ERRCODE = '{code}';"


def function_bodies(schema: str) -> dict[str, tuple[str, str, str, bool]]:
    """name -> (arguments, returns, body, security definer); plpgsql unless returns sql:."""
    s = _q(schema)
    children = f"""
DECLARE st text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT status INTO st FROM {s}.estimate_versions WHERE id = OLD.version_id;
    IF st = 'approved' THEN {_err(FROZEN)} END IF;
    IF st = 'submitted' THEN {_err(SUBMITTED)} END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    SELECT status INTO st FROM {s}.estimate_versions WHERE id = NEW.version_id;
    IF st = 'approved' THEN {_err(FROZEN)} END IF;
    IF st = 'submitted' THEN {_err(SUBMITTED)} END IF;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END"""
    return {
        # -- read by the row-level security policies (SQL, SECURITY DEFINER) --
        "budget_role": (
            "org integer",
            "text",
            f"SELECT role FROM {s}.budget_memberships "
            "WHERE rolname = session_user AND organisation_id = org",
            True,
        ),
        "budget_campaign_org": (
            "campaign integer",
            "integer",
            f"SELECT organisation_id FROM {s}.campaigns WHERE id = campaign",
            True,
        ),
        "budget_version_org": (
            "version integer",
            "integer",
            f"SELECT c.organisation_id FROM {s}.estimate_versions v "
            f"JOIN {s}.campaigns c ON c.id = v.campaign_id WHERE v.id = version",
            True,
        ),
        "budget_decision_org": (
            "decision integer",
            "integer",
            f"SELECT organisation_id FROM {s}.award_decisions WHERE id = decision",
            True,
        ),
        # -- whose row another row points at: a reference must stay in its commune --
        "budget_voucher_org": (
            "voucher integer",
            "integer",
            f"SELECT organisation_id FROM {s}.vouchers WHERE id = voucher",
            True,
        ),
        "budget_part_org": (
            "part integer",
            "integer",
            f"SELECT c.organisation_id FROM {s}.estimate_parts p "
            f"JOIN {s}.estimate_versions v ON v.id = p.version_id "
            f"JOIN {s}.campaigns c ON c.id = v.campaign_id WHERE p.id = part",
            True,
        ),
        "budget_entry_org": (
            "entry integer",
            "integer",
            f"SELECT organisation_id FROM {s}.audit_entries WHERE id = entry",
            True,
        ),
        "budget_fund_org": (
            "fund integer",
            "integer",
            f"SELECT organisation_id FROM {s}.fund_registers WHERE id = fund",
            True,
        ),
        "budget_actor": (
            "",
            "text",
            f"SELECT coalesce(max(display_name), session_user::text) "
            f"FROM {s}.budget_memberships WHERE rolname = session_user HAVING count(*) > 0",
            True,
        ),
        # -- the per-commune writers' lock --
        "budget_lock_organisation": (
            "org integer",
            "void",
            f"""
BEGIN
  IF {s}.budget_role(org) IN {WRITERS} OR pg_catalog.pg_has_role(session_user,
       (SELECT nspowner FROM pg_catalog.pg_namespace WHERE nspname = '{schema}'), 'MEMBER') THEN
    PERFORM pg_catalog.pg_advisory_xact_lock({LOCK_NAMESPACE}, org);
  ELSE
    {_err(LOCK, "insufficient_privilege")}
  END IF;
END""",
            True,
        ),
        # -- deleting a draft's rows: accountants hold no DELETE right (a DELETE
        #    holder may LOCK the table in any mode and stall every commune) --
        "budget_remove_line": (
            "line integer",
            "void",
            f"""
DECLARE org integer;
BEGIN
  SELECT {s}.budget_version_org(version_id) INTO org FROM {s}.estimate_lines WHERE id = line;
  IF coalesce({s}.budget_role(org), '') <> 'accountant' AND NOT {_owner(schema)} THEN
    {_err(DRAFT, "insufficient_privilege")}
  END IF;
  DELETE FROM {s}.estimate_lines WHERE id = line;
END""",
            True,
        ),
        "budget_clear_version": (
            "version integer",
            "void",
            f"""
BEGIN
  IF coalesce({s}.budget_role({s}.budget_version_org(version)), '') <> 'accountant'
     AND NOT {_owner(schema)} THEN
    {_err(DRAFT, "insufficient_privilege")}
  END IF;
  DELETE FROM {s}.estimate_lines WHERE version_id = version;
  DELETE FROM {s}.estimate_parts WHERE version_id = version;
END""",
            True,
        ),
        # -- guards (trigger functions) --
        "budget_versions_frozen": (
            "",
            "trigger",
            f"""
BEGIN
  IF OLD.status = 'approved' THEN
    {_err(FROZEN)}
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END""",
            False,
        ),
        "budget_children_frozen": ("", "trigger", children, False),
        "budget_append_only": ("", "trigger", f"\nBEGIN\n  {_err(APPEND_ONLY)}\nEND", False),
        "budget_ledger_append_only": ("", "trigger", f"\nBEGIN\n  {_err(LEDGER)}\nEND", False),
        "budget_award_paid": ("", "trigger", f"\nBEGIN\n  {_err(PAID)}\nEND", False),
        "budget_award_recipients_paid": (
            "",
            "trigger",
            f"""
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
       SELECT 1 FROM {s}.award_decisions WHERE id = OLD.decision_id AND paid_at IS NOT NULL) THEN
    {_err(PAID)}
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND EXISTS (
       SELECT 1 FROM {s}.award_decisions WHERE id = NEW.decision_id AND paid_at IS NOT NULL) THEN
    {_err(PAID)}
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END""",
            False,
        ),
        "budget_audit_actor": (
            "",
            "trigger",
            f"""
DECLARE who text;
BEGIN
  who := {s}.budget_actor();
  IF who IS NOT NULL AND NEW.actor IS DISTINCT FROM who THEN
    {_err(ACTOR, "insufficient_privilege")}
  END IF;
  RETURN NEW;
END""",
            True,
        ),
        "budget_stamp_actor": (
            "",
            "trigger",
            f"""
DECLARE who text;
BEGIN
  who := {s}.budget_actor();
  IF who IS NOT NULL THEN
    NEW := pg_catalog.jsonb_populate_record(NEW, pg_catalog.jsonb_build_object(TG_ARGV[0], who));
  END IF;
  RETURN NEW;
END""",
            False,
        ),
        "budget_audit_head_advance": (
            "",
            "trigger",
            f"""
BEGIN
  INSERT INTO {s}.audit_heads AS h (org_key, entry_count, head_hash)
  VALUES (coalesce(NEW.organisation_id, 0), 1, NEW.hash)
  ON CONFLICT (org_key) DO UPDATE SET entry_count = h.entry_count + 1,
    head_hash = EXCLUDED.head_hash;
  RETURN NULL;
END""",
            True,
        ),
        "budget_audit_heads_guard": (
            "",
            "trigger",
            f"""
BEGIN
  IF TG_OP = 'DELETE' OR NEW.org_key <> OLD.org_key
     OR NEW.entry_count <> OLD.entry_count + 1 THEN
    {_err(HEAD)}
  END IF;
  RETURN NEW;
END""",
            False,
        ),
    }


# (trigger, table, timing and events, function): every guard the app checks at open.
TRIGGERS = [
    (
        "trg_versions_frozen",
        "estimate_versions",
        "BEFORE UPDATE OR DELETE",
        "budget_versions_frozen",
    ),
    (
        "trg_estimate_parts_frozen",
        "estimate_parts",
        "BEFORE INSERT OR UPDATE OR DELETE",
        "budget_children_frozen",
    ),
    (
        "trg_estimate_lines_frozen",
        "estimate_lines",
        "BEFORE INSERT OR UPDATE OR DELETE",
        "budget_children_frozen",
    ),
    ("trg_audit_append_only", "audit_entries", "BEFORE UPDATE OR DELETE", "budget_append_only"),
    (
        "trg_vouchers_append_only",
        "vouchers",
        "BEFORE UPDATE OR DELETE",
        "budget_ledger_append_only",
    ),
    ("trg_award_decisions_paid", "award_decisions", "BEFORE UPDATE OR DELETE", "budget_award_paid"),
    (
        "trg_award_recipients_paid",
        "award_recipients",
        "BEFORE INSERT OR UPDATE OR DELETE",
        "budget_award_recipients_paid",
    ),
    (
        "trg_audit_content_append_only",
        "audit_content",
        "BEFORE UPDATE OR DELETE",
        "budget_append_only",
    ),
    (
        "trg_audit_coverage_append_only",
        "audit_coverage",
        "BEFORE UPDATE OR DELETE",
        "budget_append_only",
    ),
    ("trg_audit_actor", "audit_entries", "BEFORE INSERT", "budget_audit_actor"),
    ("trg_audit_head_advance", "audit_entries", "AFTER INSERT", "budget_audit_head_advance"),
    ("trg_audit_heads_guard", "audit_heads", "BEFORE UPDATE OR DELETE", "budget_audit_heads_guard"),
]
NEW_TRIGGERS = TRIGGERS[7:]

#: Functions of tables that migration 0005 does not yet have (created by 0008).
LATER_FUNCTIONS = ("budget_fund_org",)

# (trigger, table, timing and events, column): the "who" columns of a row are the
# database login's name (as audit entries' actor), whatever the client sent
# (migration 0008). None of them is hashed into the audit chain.
STAMPS = [
    ("trg_vouchers_actor", "vouchers", "BEFORE INSERT", "entered_by"),
    ("trg_campaigns_actor", "campaigns", "BEFORE INSERT", "created_by"),
    ("trg_estimate_versions_actor", "estimate_versions", "BEFORE INSERT", "created_by"),
    ("trg_award_decisions_actor", "award_decisions", "BEFORE INSERT", "created_by"),
    (
        "trg_award_decisions_payer",
        "award_decisions",
        "BEFORE UPDATE OF paid_by",
        "paid_by",
    ),
    ("trg_fund_registers_actor", "fund_registers", "BEFORE INSERT", "created_by"),
    ("trg_fund_allocations_actor", "fund_allocations", "BEFORE INSERT", "created_by"),
]


def create_function_sql(schema: str, name: str) -> str:
    return function_sql(schema, name, function_bodies(schema)[name])


def function_sql(schema: str, name: str, definition: tuple[str, str, str, bool]) -> str:
    """CREATE OR REPLACE of one function given as (arguments, returns, body, definer)."""
    args, returns, body, definer = definition
    language = "sql STABLE" if returns not in ("trigger", "void") else "plpgsql"
    security = " SECURITY DEFINER" if definer else ""
    return (
        f"CREATE OR REPLACE FUNCTION {_q(schema)}.{name}({args}) RETURNS {returns} "
        f"LANGUAGE {language}{security} SET search_path = {_q(schema)}, pg_temp "
        f"AS $body${body}$body$"
    )


# table -> SQL expression giving the row's organisation (the policies' key)
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
    "audit_content": "organisation_id",
    "audit_heads": "org_key",
}
POLICY_SUFFIXES = ("read", "settings", "append", "insert", "update", "delete", "write")

# table -> what a written row's references must satisfy besides the role: a row
# never points at another commune's campaign, voucher, decision, part or entry
# (foreign keys are checked without row-level security).
SAME_COMMUNE = {
    "vouchers": (
        "{s}.budget_campaign_org(campaign_id) = organisation_id"
        " AND (award_decision_id IS NULL"
        " OR {s}.budget_decision_org(award_decision_id) = organisation_id)"
        " AND (reverses_id IS NULL OR {s}.budget_voucher_org(reverses_id) = organisation_id)"
        " AND (settles_id IS NULL OR {s}.budget_voucher_org(settles_id) = organisation_id)"
    ),
    "award_decisions": "{s}.budget_campaign_org(campaign_id) = organisation_id",
    "audit_content": "{s}.budget_entry_org(entry_id) = organisation_id",
    "estimate_lines": "{s}.budget_part_org(part_id) = {s}.budget_version_org(version_id)",
    "estimate_versions": (
        "(based_on_id IS NULL"
        " OR {s}.budget_version_org(based_on_id) = {s}.budget_campaign_org(campaign_id))"
    ),
}


def policies(schema: str) -> list[str]:
    """Every policy, from scratch (the callers drop the old ones first)."""
    s = _q(schema)
    stmts = []
    for table, org in ORG_OF.items():
        role = (
            f"{s}.budget_role({s}.{org})"
            if org.startswith("budget_")
            else (f"{s}.budget_role({org})")
        )
        same = f" AND {SAME_COMMUNE[table].format(s=s)}" if table in SAME_COMMUNE else ""
        t = f"{s}.{table}"
        stmts.append(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
        stmts.append(f"CREATE POLICY {table}_read ON {t} FOR SELECT USING ({role} IS NOT NULL)")
        if table == "organisations":
            stmts.append(
                f"CREATE POLICY {table}_settings ON {t} FOR UPDATE "
                f"USING ({role} IN {WRITERS}) WITH CHECK ({role} IN {WRITERS})"
            )
        elif table in ("audit_entries", "audit_content"):
            stmts.append(
                f"CREATE POLICY {table}_append ON {t} FOR INSERT "
                f"WITH CHECK ({role} IN {WRITERS}{same})"
            )
        elif table == "audit_heads":
            pass  # kept by a SECURITY DEFINER trigger only
        elif table == "vouchers":
            stmts.append(
                f"CREATE POLICY {table}_append ON {t} FOR INSERT "
                f"WITH CHECK ({role} = 'accountant'{same})"
            )
        elif table == "estimate_versions":
            stmts.append(
                f"CREATE POLICY {table}_insert ON {t} FOR INSERT "
                f"WITH CHECK ({role} = 'accountant' AND status = 'draft'{same})"
            )
            stmts.append(
                f"CREATE POLICY {table}_update ON {t} FOR UPDATE "
                f"USING (({role} = 'accountant' AND status = 'draft') "
                f"OR ({role} = 'chairman' AND status = 'submitted')) "
                f"WITH CHECK ((({role} = 'accountant' AND status IN ('draft', 'submitted')) "
                f"OR ({role} = 'chairman' AND status IN ('approved', 'draft'))){same})"
            )
            stmts.append(
                f"CREATE POLICY {table}_delete ON {t} FOR DELETE "
                f"USING ({role} = 'accountant' AND status = 'draft')"
            )
        else:
            stmts.append(
                f"CREATE POLICY {table}_write ON {t} FOR ALL "
                f"USING ({role} = 'accountant') WITH CHECK ({role} = 'accountant'{same})"
            )
    return stmts


def _fund_policy(schema: str) -> list[str]:
    """fund_allocations (migration 0006): an allocation stays in its fund's commune."""
    s = _q(schema)
    role = f"{s}.budget_role(organisation_id)"
    return [
        f"DROP POLICY IF EXISTS fund_allocations_write ON {s}.fund_allocations",
        f"CREATE POLICY fund_allocations_write ON {s}.fund_allocations FOR ALL "
        f"USING ({role} = 'accountant') WITH CHECK ({role} = 'accountant' "
        f"AND {s}.budget_fund_org(fund_id) = organisation_id)",
    ]


def _recreate_policies(schema: str) -> list[str]:
    s = _q(schema)
    stmts = [
        f"DROP POLICY IF EXISTS {table}_{suffix} ON {s}.{table}"
        for table in ORG_OF
        for suffix in POLICY_SUFFIXES
    ]
    return stmts + policies(schema)


def hardening_statements(schema: str) -> list[str]:
    """Migration 0008 (and later ones): every function, the actor stamps and every
    policy again, drop and create, so an existing database gets them as they are now."""
    s = _q(schema)
    stmts = [create_function_sql(schema, name) for name in function_bodies(schema)]
    stmts.append(f"REVOKE ALL ON FUNCTION {s}.budget_lock_organisation(integer) FROM PUBLIC")
    for name, table, events, column in STAMPS:
        stmts.append(f"DROP TRIGGER IF EXISTS {name} ON {s}.{table}")
        stmts.append(
            f"CREATE TRIGGER {name} {events} ON {s}.{table} "
            f"FOR EACH ROW EXECUTE FUNCTION {s}.budget_stamp_actor('{column}')"
        )
    return stmts + _recreate_policies(schema) + _fund_policy(schema)


def upgrade_statements(schema: str) -> list[str]:
    s = _q(schema)
    stmts = [
        create_function_sql(schema, name)
        for name in function_bodies(schema)
        if name not in LATER_FUNCTIONS
    ]
    stmts.append(f"REVOKE ALL ON FUNCTION {s}.budget_lock_organisation(integer) FROM PUBLIC")
    for name, table, events, fn in NEW_TRIGGERS:
        stmts.append(
            f"CREATE TRIGGER {name} {events} ON {s}.{table} "
            f"FOR EACH ROW EXECUTE FUNCTION {s}.{fn}()"
        )
    for table in ORG_OF:
        for suffix in POLICY_SUFFIXES:
            stmts.append(f"DROP POLICY IF EXISTS {table}_{suffix} ON {s}.{table}")
    stmts += policies(schema)
    return stmts
