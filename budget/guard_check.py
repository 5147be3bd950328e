"""Are the database's guards in place? Checked when a database is opened.

A guard is a trigger (or, on PostgreSQL, a trigger function, a SECURITY DEFINER
function or row-level security on a table) that keeps frozen rows frozen and the
communes apart. Each is checked by name and against the SQL the migrations
wrote; when any is missing or altered the application reads but refuses to write.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text

from budget.errors import DatabaseError, Phrase


def _normal(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


def expected_sqlite() -> dict[str, str]:
    from budget.migrations import frozen_guards, guards, line_totals

    statements = (
        guards.sqlite_statements()
        + guards.sqlite_ledger_statements()
        + frozen_guards.sqlite_statements()
        + line_totals.sqlite_statements()
    )
    return {frozen_guards.trigger_name(s): _normal(s) for s in statements}


def _missing_sqlite(conn: Any) -> list[str]:
    present = {
        name: _normal(sql)
        for name, sql in conn.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        )
    }
    return [name for name, sql in expected_sqlite().items() if present.get(name) != sql]


def _missing_postgres(conn: Any) -> list[str]:
    from budget.migrations import line_totals
    from budget.migrations.pg_security import STAMPS, TRIGGERS
    from budget.migrations.province_rls import READ_KEYS, function_bodies

    schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    bodies = function_bodies(schema) | line_totals.function_bodies(schema)
    functions = {
        name: (src, config or [], definer)
        for name, src, config, definer in conn.execute(
            text(
                "SELECT p.proname, p.prosrc, p.proconfig, p.prosecdef FROM pg_catalog.pg_proc p "
                "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = :s"
            ),
            {"s": schema},
        )
    }
    missing = []
    for name, (_args, _returns, body, definer) in bodies.items():
        found = functions.get(name)
        if (
            found is None
            or found[0] != body
            or found[2] != definer
            or not any(c.startswith("search_path=") and c.endswith("pg_temp") for c in found[1])
        ):
            missing.append(name)
    triggers = {
        (name, table): (enabled, fn)
        for name, table, enabled, fn in conn.execute(
            text(
                "SELECT t.tgname, c.relname, t.tgenabled, p.proname FROM pg_catalog.pg_trigger t "
                "JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid "
                "WHERE n.nspname = :s AND NOT t.tgisinternal"
            ),
            {"s": schema},
        )
    }
    stamps = [(name, table, events, "budget_stamp_actor") for name, table, events, _ in STAMPS]
    for name, table, _events, fn in TRIGGERS + stamps + line_totals.TRIGGERS:
        if triggers.get((name, table)) != ("O", fn):
            missing.append(name)
    secured = {
        table: flag
        for table, flag in conn.execute(
            text(
                "SELECT c.relname, c.relrowsecurity FROM pg_catalog.pg_class c "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = :s AND c.relkind = 'r'"
            ),
            {"s": schema},
        )
    }
    read_keys = READ_KEYS | line_totals.READ_KEYS
    missing += [f"RLS {table}" for table in read_keys if not secured.get(table)]
    return missing


def missing_guards(bind: Any) -> list[str]:
    """Names of the guards that are missing or not as the migrations made them."""
    if hasattr(bind, "connection") and not hasattr(bind, "exec_driver_sql"):
        bind = bind.connection()  # a Session: its connection
    if bind.dialect.name == "postgresql":
        return _missing_postgres(bind)
    return _missing_sqlite(bind)


def refuse_writes_error(missing: list[str]) -> GuardsMissingError:
    """The refusal naming the first three missing guards (and how many more)."""
    more = Phrase(" và {count} mục khác", count=len(missing) - 3) if len(missing) > 3 else ""
    return GuardsMissingError(
        "Cơ sở dữ liệu thiếu cơ chế bảo vệ ({shown}{more}): chỉ được xem, không được ghi. "
        "Hãy khôi phục từ bản sao lưu hoặc báo quản trị.",
        shown=", ".join(missing[:3]),
        more=more,
    )


class GuardsMissingError(DatabaseError):
    """The database lost guards: the application refuses to write to it."""
