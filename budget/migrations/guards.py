"""Database-level guards the services also enforce, written once per dialect.

* An approved estimate version, its parts and its lines can never be
  updated or deleted, and nothing can be added to it.
* The audit log is append-only.

Migrations call :func:`create_guards` / :func:`drop_guards`; they are plain
SQL triggers so a tool that bypasses the application is refused too.
"""

from __future__ import annotations

FROZEN = "approved estimate version is frozen"
APPEND_ONLY = "audit log is append-only"

# (trigger name, table, event, condition on OLD/NEW in SQL)
_SQLITE_TRIGGERS = [
    ("trg_versions_frozen_update", "estimate_versions", "UPDATE", "OLD.status = 'approved'"),
    ("trg_versions_frozen_delete", "estimate_versions", "DELETE", "OLD.status = 'approved'"),
]
_CHILD_TABLES = ("estimate_parts", "estimate_lines")


def _approved(ref: str) -> str:
    return f"(SELECT status FROM estimate_versions WHERE id = {ref}.version_id) = 'approved'"


def sqlite_statements() -> list[str]:
    """The SQLite triggers of migration 0001, exactly as created."""
    stmts = []
    for name, table, event, cond in _SQLITE_TRIGGERS:
        stmts.append(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW WHEN {cond} "
            f"BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END"
        )
    for table in _CHILD_TABLES:
        for event, cond in (
            ("INSERT", _approved("NEW")),
            ("UPDATE", f"{_approved('OLD')} OR {_approved('NEW')}"),
            ("DELETE", _approved("OLD")),
        ):
            stmts.append(
                f"CREATE TRIGGER trg_{table}_frozen_{event.lower()} BEFORE {event} ON {table} "
                f"FOR EACH ROW WHEN {cond} BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END"
            )
    for event in ("UPDATE", "DELETE"):
        stmts.append(
            f"CREATE TRIGGER trg_audit_append_only_{event.lower()} BEFORE {event} ON audit_entries "
            f"FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )
    return stmts


_PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION budget_versions_frozen() RETURNS trigger AS $$
BEGIN
  IF OLD.status = 'approved' THEN
    RAISE EXCEPTION '{FROZEN}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION budget_children_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
       SELECT 1 FROM estimate_versions WHERE id = OLD.version_id AND status = 'approved') THEN
    RAISE EXCEPTION '{FROZEN}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND EXISTS (
       SELECT 1 FROM estimate_versions WHERE id = NEW.version_id AND status = 'approved') THEN
    RAISE EXCEPTION '{FROZEN}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION budget_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;
"""


def _pg_statements() -> list[str]:
    stmts = [_PG_FUNCTIONS]
    stmts.append(
        "CREATE TRIGGER trg_versions_frozen BEFORE UPDATE OR DELETE ON estimate_versions "
        "FOR EACH ROW EXECUTE FUNCTION budget_versions_frozen()"
    )
    for table in _CHILD_TABLES:
        stmts.append(
            f"CREATE TRIGGER trg_{table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION budget_children_frozen()"
        )
    stmts.append(
        "CREATE TRIGGER trg_audit_append_only BEFORE UPDATE OR DELETE ON audit_entries "
        "FOR EACH ROW EXECUTE FUNCTION budget_append_only()"
    )
    return stmts


def create_guards() -> None:
    from alembic import op

    dialect = op.get_bind().dialect.name
    statements = _pg_statements() if dialect == "postgresql" else sqlite_statements()
    for statement in statements:
        op.execute(statement)


def drop_guards() -> None:
    from alembic import op

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_versions_frozen ON estimate_versions")
        for table in _CHILD_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_frozen ON {table}")
        op.execute("DROP TRIGGER IF EXISTS trg_audit_append_only ON audit_entries")
        for fn in ("budget_versions_frozen", "budget_children_frozen", "budget_append_only"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}()")
        return
    names = [name for name, *_ in _SQLITE_TRIGGERS]
    names += [f"trg_{t}_frozen_{e}" for t in _CHILD_TABLES for e in ("insert", "update", "delete")]
    names += ["trg_audit_append_only_update", "trg_audit_append_only_delete"]
    for name in names:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


# -- guards added with the vouchers and awards (migration 0002) ------------------------

LEDGER = "posted vouchers are never changed"
PAID = "a paid award decision is frozen"


def _pg_raise_function(name: str, message: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;
"""


def create_ledger_guards() -> None:
    """Vouchers are append-only; a paid award decision and its recipients are frozen."""
    from alembic import op

    if op.get_bind().dialect.name == "postgresql":
        op.execute(_pg_raise_function("budget_ledger_append_only", LEDGER))
        op.execute(_pg_raise_function("budget_award_paid", PAID))
        op.execute(
            "CREATE TRIGGER trg_vouchers_append_only BEFORE UPDATE OR DELETE ON vouchers "
            "FOR EACH ROW EXECUTE FUNCTION budget_ledger_append_only()"
        )
        op.execute(
            "CREATE TRIGGER trg_award_decisions_paid BEFORE UPDATE OR DELETE ON award_decisions "
            "FOR EACH ROW WHEN (OLD.paid_at IS NOT NULL) EXECUTE FUNCTION budget_award_paid()"
        )
        op.execute(f"""
CREATE OR REPLACE FUNCTION budget_award_recipients_paid() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
       SELECT 1 FROM award_decisions WHERE id = OLD.decision_id AND paid_at IS NOT NULL) THEN
    RAISE EXCEPTION '{PAID}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND EXISTS (
       SELECT 1 FROM award_decisions WHERE id = NEW.decision_id AND paid_at IS NOT NULL) THEN
    RAISE EXCEPTION '{PAID}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
""")
        op.execute(
            "CREATE TRIGGER trg_award_recipients_paid BEFORE INSERT OR UPDATE OR DELETE "
            "ON award_recipients FOR EACH ROW EXECUTE FUNCTION budget_award_recipients_paid()"
        )
        return
    for statement in sqlite_ledger_statements():
        op.execute(statement)


def sqlite_ledger_statements() -> list[str]:
    """The SQLite triggers of migration 0002, exactly as created (the open-time check
    compares them with the database's)."""
    stmts = []
    for event in ("UPDATE", "DELETE"):
        stmts.append(
            f"CREATE TRIGGER trg_vouchers_append_only_{event.lower()} BEFORE {event} ON vouchers "
            f"FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{LEDGER}'); END"
        )
        stmts.append(
            f"CREATE TRIGGER trg_award_decisions_paid_{event.lower()} BEFORE {event} "
            f"ON award_decisions FOR EACH ROW WHEN OLD.paid_at IS NOT NULL "
            f"BEGIN SELECT RAISE(ABORT, '{PAID}'); END"
        )
    paid = "(SELECT paid_at FROM award_decisions WHERE id = {}.decision_id) IS NOT NULL"
    for event, cond in (
        ("INSERT", paid.format("NEW")),
        ("UPDATE", paid.format("OLD") + " OR " + paid.format("NEW")),
        ("DELETE", paid.format("OLD")),
    ):
        stmts.append(
            f"CREATE TRIGGER trg_award_recipients_paid_{event.lower()} BEFORE {event} "
            f"ON award_recipients FOR EACH ROW WHEN {cond} "
            f"BEGIN SELECT RAISE(ABORT, '{PAID}'); END"
        )
    return stmts


def drop_ledger_guards() -> None:
    from alembic import op

    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_vouchers_append_only ON vouchers")
        op.execute("DROP TRIGGER IF EXISTS trg_award_decisions_paid ON award_decisions")
        op.execute("DROP TRIGGER IF EXISTS trg_award_recipients_paid ON award_recipients")
        for fn in (
            "budget_ledger_append_only",
            "budget_award_paid",
            "budget_award_recipients_paid",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}()")
        return
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS trg_vouchers_append_only_{event}")
        op.execute(f"DROP TRIGGER IF EXISTS trg_award_decisions_paid_{event}")
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS trg_award_recipients_paid_{event}")
