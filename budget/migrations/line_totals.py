"""The running total of every line (migration 0011), kept by the database.

A posting decides on the line's balance. Summing the line's vouchers costs a walk
over all of them (22,000 index entries per line at 1,000,000 vouchers: about
5 ms, many times the insert itself). ``line_totals`` holds, per campaign and
line, what its vouchers add up to; a trigger on every insert into ``vouchers``
adds the new row's deltas in the same statement's transaction. The ledger is
append-only (vouchers are never updated or deleted), so inserts are the only
change the totals follow: postings, imports, reversals, settlements and award
payouts alike, whichever client wrote them.

Nothing else may change a total:

* SQLite: a new total must be the first voucher of its line and the newest
  voucher; an updated total must add exactly the newest voucher, once (its id
  must pass the last one applied); deleting one is refused.
* PostgreSQL: the trigger function is SECURITY DEFINER and the login roles get
  SELECT only; row-level security lets a login read its communes' totals (and a
  province reviewer its province's); a guard refuses deletes and any update that
  changes a key or does not count more vouchers. Since migration 0012 the trigger
  fires once per INSERT statement and adds the statement's vouchers line by line
  (see _advance_statement for why).

The statements are written once here and imported by the migration; the
open-time guard check compares the database's triggers with them.
"""

from __future__ import annotations

from budget.migrations.frozen_guards import _raise
from budget.migrations.pg_security import _err, _q, function_sql

TOTALS = "line totals are kept by the database"

COLUMNS = (
    "campaign_id, line_code, organisation_id, spent, committed, voucher_count, last_voucher_id"
)

#: The totals of the vouchers already there, before the triggers watch the table.
BACKFILL = (
    f"INSERT INTO line_totals ({COLUMNS}) "
    "SELECT campaign_id, line_code, min(organisation_id), sum(spent_delta), "
    "sum(committed_delta), count(*), max(id) FROM vouchers GROUP BY campaign_id, line_code"
)

#: (campaign_id, line_code) of every line whose running total is not the sum of its
#: vouchers, or that has a total and no voucher (audit verify reports them). Two
#: halves, not a FULL OUTER JOIN: SQLite before 3.39 has none.
MISMATCHES = (
    "SELECT v.campaign_id, v.line_code "
    "FROM (SELECT campaign_id, line_code, sum(spent_delta) AS spent, "
    "sum(committed_delta) AS committed, count(*) AS n FROM vouchers "
    "GROUP BY campaign_id, line_code) v "
    "LEFT JOIN line_totals t ON t.campaign_id = v.campaign_id AND t.line_code = v.line_code "
    "WHERE t.voucher_count IS NULL OR v.spent <> t.spent "
    "OR v.committed <> t.committed OR v.n <> t.voucher_count "
    "UNION "
    "SELECT t.campaign_id, t.line_code FROM line_totals t WHERE NOT EXISTS ("
    "SELECT 1 FROM vouchers v WHERE v.campaign_id = t.campaign_id AND v.line_code = t.line_code) "
    "ORDER BY 1, 2"
)


def sqlite_statements() -> list[str]:
    """Every SQLite trigger of migration 0011, exactly as created."""
    key = "campaign_id = NEW.campaign_id AND line_code = NEW.line_code"
    newest = "(SELECT max(id) FROM vouchers)"
    return [
        "CREATE TRIGGER trg_line_totals_advance AFTER INSERT ON vouchers FOR EACH ROW BEGIN "
        "UPDATE line_totals SET spent = spent + NEW.spent_delta, "
        "committed = committed + NEW.committed_delta, voucher_count = voucher_count + 1, "
        f"last_voucher_id = NEW.id WHERE {key}; "
        f"INSERT INTO line_totals ({COLUMNS}) SELECT NEW.campaign_id, NEW.line_code, "
        "NEW.organisation_id, NEW.spent_delta, NEW.committed_delta, 1, NEW.id "
        f"WHERE NOT EXISTS (SELECT 1 FROM line_totals WHERE {key}); END",
        "CREATE TRIGGER trg_line_totals_insert BEFORE INSERT ON line_totals FOR EACH ROW WHEN "
        "EXISTS (SELECT 1 FROM line_totals AS x WHERE x.campaign_id = NEW.campaign_id "
        "AND x.line_code = NEW.line_code) OR NEW.voucher_count <> 1 "
        f"OR NEW.last_voucher_id IS NOT {newest} "
        "OR NOT EXISTS (SELECT 1 FROM vouchers v WHERE v.id = NEW.last_voucher_id "
        "AND v.campaign_id = NEW.campaign_id AND v.line_code = NEW.line_code "
        "AND v.organisation_id = NEW.organisation_id AND v.spent_delta = NEW.spent "
        f"AND v.committed_delta = NEW.committed) {_raise(TOTALS)}",
        "CREATE TRIGGER trg_line_totals_update BEFORE UPDATE ON line_totals FOR EACH ROW WHEN "
        "NEW.campaign_id <> OLD.campaign_id OR NEW.line_code <> OLD.line_code "
        "OR NEW.organisation_id <> OLD.organisation_id "
        "OR NEW.voucher_count <> OLD.voucher_count + 1 "
        f"OR NEW.last_voucher_id IS NOT {newest} OR NEW.last_voucher_id <= OLD.last_voucher_id "
        "OR NOT EXISTS (SELECT 1 FROM vouchers v WHERE v.id = NEW.last_voucher_id "
        "AND v.campaign_id = OLD.campaign_id AND v.line_code = OLD.line_code "
        "AND NEW.spent = OLD.spent + v.spent_delta "
        f"AND NEW.committed = OLD.committed + v.committed_delta) {_raise(TOTALS)}",
        f"CREATE TRIGGER trg_line_totals_delete BEFORE DELETE ON line_totals FOR EACH ROW "
        f"{_raise(TOTALS)}",
    ]


def _advance_row(s: str) -> str:
    """Migration 0011's advance: one upsert per voucher row."""
    return f"""
BEGIN
  INSERT INTO {s}.line_totals AS t ({COLUMNS})
  VALUES (NEW.campaign_id, NEW.line_code, NEW.organisation_id, NEW.spent_delta,
          NEW.committed_delta, 1, NEW.id)
  ON CONFLICT (campaign_id, line_code) DO UPDATE SET spent = t.spent + EXCLUDED.spent,
    committed = t.committed + EXCLUDED.committed, voucher_count = t.voucher_count + 1,
    last_voucher_id = greatest(t.last_voucher_id, EXCLUDED.last_voucher_id);
  RETURN NULL;
END"""


def _advance_statement(s: str) -> str:
    """Migration 0012's advance: once per INSERT statement, one upsert per line the
    statement touched, from its transition table. Updating one row once per voucher
    left PostgreSQL a chain of row versions per line that every next update walked
    (none can be pruned before the transaction ends): quadratic in a big import or
    a bulk load (20,000 updates of one row in one transaction: 6 s; 10,000: 1.5 s)."""
    return f"""
BEGIN
  INSERT INTO {s}.line_totals AS t ({COLUMNS})
  SELECT campaign_id, line_code, min(organisation_id), sum(spent_delta),
         sum(committed_delta), count(*), max(id)
  FROM new_vouchers GROUP BY campaign_id, line_code
  ON CONFLICT (campaign_id, line_code) DO UPDATE SET spent = t.spent + EXCLUDED.spent,
    committed = t.committed + EXCLUDED.committed,
    voucher_count = t.voucher_count + EXCLUDED.voucher_count,
    last_voucher_id = greatest(t.last_voucher_id, EXCLUDED.last_voucher_id);
  RETURN NULL;
END"""


def _guard(s: str, counted: str) -> str:
    return f"""
BEGIN
  IF TG_OP = 'DELETE' OR NEW.campaign_id <> OLD.campaign_id
     OR NEW.line_code <> OLD.line_code OR NEW.organisation_id <> OLD.organisation_id
     OR {counted} THEN
    {_err(TOTALS)}
  END IF;
  RETURN NEW;
END"""


def function_bodies(schema: str, revision: str = "0012") -> dict[str, tuple[str, str, str, bool]]:
    """name -> (arguments, returns, body, security definer), as pg_security's, as
    migration ``revision`` (0011 or 0012, the current) made them."""
    s = _q(schema)
    if revision == "0011":
        advance, counted = _advance_row(s), "NEW.voucher_count <> OLD.voucher_count + 1"
    else:  # a statement's vouchers are counted at once: the count grows
        advance, counted = _advance_statement(s), "NEW.voucher_count <= OLD.voucher_count"
    return {
        "budget_line_totals_advance": ("", "trigger", advance, True),
        "budget_line_totals_guard": ("", "trigger", _guard(s, counted), False),
    }


#: (trigger, table, timing and events, function), as pg_security.TRIGGERS.
TRIGGERS = [
    ("trg_line_totals_advance", "vouchers", "AFTER INSERT", "budget_line_totals_advance"),
    ("trg_line_totals_guard", "line_totals", "BEFORE UPDATE OR DELETE", "budget_line_totals_guard"),
]

#: How each trigger fires, as migration 0012 made it (0011: every one FOR EACH ROW).
FIRES = {
    "trg_line_totals_advance": "REFERENCING NEW TABLE AS new_vouchers FOR EACH STATEMENT",
    "trg_line_totals_guard": "FOR EACH ROW",
}

#: table -> (the column compared with the readable ids, which readable set), as
#: province_rls.READ_KEYS (kept apart: migration 0010 creates READ_KEYS' policies).
READ_KEYS = {"line_totals": ("organisation_id", "budget_readable")}


def _trigger_sql(schema: str, revision: str) -> list[str]:
    s = _q(schema)
    return [
        f"CREATE TRIGGER {name} {events} ON {s}.{table} "
        f"{'FOR EACH ROW' if revision == '0011' else FIRES[name]} "
        f"EXECUTE FUNCTION {s}.{function}()"
        for name, table, events, function in TRIGGERS
    ]


def postgres_statements(schema: str) -> list[str]:
    """Migration 0011 on PostgreSQL: its functions, triggers, read policy and grant."""
    s = _q(schema)
    bodies = function_bodies(schema, "0011")
    stmts = [function_sql(schema, name, d) for name, d in bodies.items()]
    stmts += _trigger_sql(schema, "0011")
    for table, (column, readable) in READ_KEYS.items():
        stmts.append(f"ALTER TABLE {s}.{table} ENABLE ROW LEVEL SECURITY")
        stmts.append(
            f"CREATE POLICY {table}_read ON {s}.{table} FOR SELECT "
            f"USING ({column} = ANY ((SELECT {s}.{readable}())::integer[]))"
        )
    # An office already set up (budget admin setup) reads the new table at once;
    # writes stay the trigger's (no INSERT, UPDATE or DELETE is granted to anyone).
    stmts.append(
        "DO $grant$ BEGIN IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles "
        "WHERE rolname = 'budget_users') THEN "
        f"GRANT SELECT ON {s}.line_totals TO budget_users; END IF; END $grant$"
    )
    return stmts


def postgres_statement_level(schema: str, revision: str = "0012") -> list[str]:
    """Migration 0012 on PostgreSQL (``revision`` "0011": its downgrade): the
    functions and triggers replaced, as that revision made them."""
    s = _q(schema)
    stmts = [f"DROP TRIGGER IF EXISTS {name} ON {s}.{table}" for name, table, _, _ in TRIGGERS]
    bodies = function_bodies(schema, revision)
    stmts += [function_sql(schema, name, d) for name, d in bodies.items()]
    return stmts + _trigger_sql(schema, revision)


def postgres_downgrade(schema: str) -> list[str]:
    s = _q(schema)
    stmts = [f"DROP TRIGGER IF EXISTS {name} ON {s}.{table}" for name, table, _, _ in TRIGGERS]
    stmts += [f"DROP FUNCTION IF EXISTS {s}.{name}()" for name in function_bodies(schema)]
    return stmts
