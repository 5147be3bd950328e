"""SQLite guards of migration 0005: frozen rows cannot be swapped out.

``INSERT OR REPLACE`` / ``REPLACE INTO`` (and ``UPDATE OR REPLACE``) resolve a
key conflict by deleting the existing row, and SQLite fires no delete trigger
for that unless ``PRAGMA recursive_triggers`` is on (which a hostile client
does not set). So every frozen table gets a BEFORE INSERT trigger (and, where
updates are otherwise allowed, a BEFORE UPDATE one) that refuses a new row
whose key, on any unique key, is that of a frozen row. These fire on every
connection. ``INSERT ... ON CONFLICT DO UPDATE`` is refused by the same BEFORE
INSERT trigger (and, were it to get that far, by the update triggers).

While an estimate is submitted its parts and lines are frozen too (the
chairman approves what was submitted), and the chain head (``audit_heads``) is
kept by a trigger on ``audit_entries`` and refuses any other change.
"""

from __future__ import annotations

FROZEN = "approved estimate version is frozen"
SUBMITTED = "submitted estimate is awaiting approval"
APPEND_ONLY = "audit log is append-only"
LEDGER = "posted vouchers are never changed"
PAID = "a paid award decision is frozen"
HEAD = "audit chain head is kept by the database"

_VERSION_APPROVED = "x.status = 'approved'"
_PARENT_APPROVED = "(SELECT status FROM estimate_versions WHERE id = x.version_id) = 'approved'"
_DECISION_PAID = "(SELECT paid_at FROM award_decisions WHERE id = x.decision_id) IS NOT NULL"

# table -> (unique keys, condition on the existing row x for it to be frozen, message,
#           whether updates are otherwise allowed)
FROZEN_TABLES: dict[str, tuple[tuple[tuple[str, ...], ...], str, str, bool]] = {
    "vouchers": (
        (("id",), ("organisation_id", "type", "year", "number"), ("reverses_id",)),
        "1",
        LEDGER,
        False,
    ),
    "estimate_versions": (
        (("id",), ("campaign_id", "version_no")),
        _VERSION_APPROVED,
        FROZEN,
        True,
    ),
    "estimate_parts": ((("id",), ("version_id", "code")), _PARENT_APPROVED, FROZEN, True),
    "estimate_lines": ((("id",), ("version_id", "code")), _PARENT_APPROVED, FROZEN, True),
    "award_decisions": (
        (("id",), ("organisation_id", "number")),
        "x.paid_at IS NOT NULL",
        PAID,
        True,
    ),
    "award_recipients": ((("id",),), _DECISION_PAID, PAID, True),
    "audit_entries": ((("id",), ("hash",)), "1", APPEND_ONLY, False),
    "audit_content": ((("id",),), "1", APPEND_ONLY, False),
    "audit_coverage": ((("table_name",),), "1", APPEND_ONLY, False),
}


def _collides(keys: tuple[tuple[str, ...], ...]) -> str:
    return " OR ".join(
        "(" + " AND ".join(f"x.{col} = NEW.{col}" for col in key) + ")" for key in keys
    )


def _raise(message: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, '{message}'); END"


def sqlite_statements() -> list[str]:
    """Every SQLite trigger migration 0005 creates, in order, exactly as created."""
    stmts = []
    for table, (keys, frozen, message, updatable) in FROZEN_TABLES.items():
        stmts.append(
            f"CREATE TRIGGER trg_{table}_no_replace_insert BEFORE INSERT ON {table} "
            f"FOR EACH ROW WHEN EXISTS (SELECT 1 FROM {table} AS x WHERE "
            f"({_collides(keys)}) AND {frozen}) {_raise(message)}"
        )
        if updatable:
            stmts.append(
                f"CREATE TRIGGER trg_{table}_no_replace_update BEFORE UPDATE ON {table} "
                f"FOR EACH ROW WHEN EXISTS (SELECT 1 FROM {table} AS x WHERE x.id <> OLD.id "
                f"AND ({_collides(keys)}) AND {frozen}) {_raise(message)}"
            )
    submitted = "(SELECT status FROM estimate_versions WHERE id = {}.version_id) = 'submitted'"
    for table in ("estimate_parts", "estimate_lines"):
        for event, cond in (
            ("INSERT", submitted.format("NEW")),
            ("UPDATE", submitted.format("OLD") + " OR " + submitted.format("NEW")),
            ("DELETE", submitted.format("OLD")),
        ):
            stmts.append(
                f"CREATE TRIGGER trg_{table}_submitted_{event.lower()} BEFORE {event} ON {table} "
                f"FOR EACH ROW WHEN {cond} {_raise(SUBMITTED)}"
            )
    for table in ("audit_content", "audit_coverage"):
        for event in ("UPDATE", "DELETE"):
            stmts.append(
                f"CREATE TRIGGER trg_{table}_append_only_{event.lower()} BEFORE {event} "
                f"ON {table} FOR EACH ROW {_raise(APPEND_ONLY)}"
            )
    org_key = "coalesce(NEW.organisation_id, 0)"
    stmts.append(
        "CREATE TRIGGER trg_audit_head_advance AFTER INSERT ON audit_entries FOR EACH ROW BEGIN "
        f"UPDATE audit_heads SET entry_count = entry_count + 1, head_hash = NEW.hash "
        f"WHERE org_key = {org_key}; "
        f"INSERT INTO audit_heads (org_key, entry_count, head_hash) SELECT {org_key}, 1, NEW.hash "
        f"WHERE NOT EXISTS (SELECT 1 FROM audit_heads WHERE org_key = {org_key}); END"
    )
    newest = "(SELECT hash FROM audit_entries WHERE id = (SELECT max(id) FROM audit_entries))"
    stmts.append(
        "CREATE TRIGGER trg_audit_heads_insert BEFORE INSERT ON audit_heads FOR EACH ROW WHEN "
        "EXISTS (SELECT 1 FROM audit_heads AS x WHERE x.org_key = NEW.org_key) "
        f"OR NEW.entry_count <> 1 OR NEW.head_hash IS NOT {newest} {_raise(HEAD)}"
    )
    stmts.append(
        "CREATE TRIGGER trg_audit_heads_update BEFORE UPDATE ON audit_heads FOR EACH ROW WHEN "
        "NEW.org_key <> OLD.org_key OR NEW.entry_count <> OLD.entry_count + 1 "
        f"OR NEW.head_hash IS NOT {newest} {_raise(HEAD)}"
    )
    stmts.append(
        f"CREATE TRIGGER trg_audit_heads_delete BEFORE DELETE ON audit_heads FOR EACH ROW "
        f"{_raise(HEAD)}"
    )
    return stmts


def trigger_name(statement: str) -> str:
    return statement.split()[2]
