"""The first page of ``budget voucher list`` straight from a SQLite file.

Importing SQLAlchemy and the models costs more than reading one page of a
million-voucher register, so a page (a terminal screen, or ``--limit``) of a
SQLite file that is already open-ready is read here with ``sqlite3`` alone, on a
read-only connection. "Open-ready" means nothing the full open would do is due:
the file is this tool's at the current schema revision and today's backup is
made. Anything else (PostgreSQL, an old schema, the day's first open, a filter by
part, an unknown campaign, any SQLite error before the first line) answers
``False`` with nothing printed, and the command takes the full path, which also
gives the proper message.

The SQL is the register's own (budget/reports/register.py: the same columns,
status, filters and order); tests/unit/test_quick_register.py holds the two to
the same rows on a demo year with every filter this path takes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from budget.cli.listing import Window
from budget.reports.register_filter import VoucherFilter, search_pattern
from budget.vocabulary import ADVANCE, REVERSAL, SETTLEMENT

_STATUS = """CASE
      WHEN v.kind = :reversal THEN 'reversal'
      WHEN EXISTS (SELECT 1 FROM vouchers r WHERE r.reverses_id = v.id) THEN 'reversed'
      WHEN v.kind = :advance AND EXISTS (
          SELECT 1 FROM vouchers s
          WHERE s.settles_id = v.id AND s.kind = :settlement
            AND NOT EXISTS (SELECT 1 FROM vouchers sr WHERE sr.reverses_id = s.id))
        THEN 'settled'
      WHEN v.kind = :advance THEN 'open'
      ELSE 'posted'
    END"""

_COLUMNS = f"""v.id, v.number, v.type, v.kind, v.entry_date, v.line_code, v.mlnsnn,
    v.payee, v.content,
    CASE WHEN v.kind = :settlement THEN v.spent_delta ELSE v.amount END,
    v.spent_delta, v.committed_delta, {_STATUS}, v.override_reason, v.entered_by"""

_KINDS = {"reversal": REVERSAL, "advance": ADVANCE, "settlement": SETTLEMENT}


def _where(flt: VoucherFilter) -> tuple[str, dict[str, Any]]:
    """The register's filters (register._filtered) as SQL and parameters."""
    clauses = ["v.campaign_id = :campaign"]
    params: dict[str, Any] = {}
    if flt.line:
        clauses.append("v.line_code = :line")
        params["line"] = flt.line.strip()
    if flt.vtype:
        clauses.append("v.type = :vtype")
        params["vtype"] = flt.vtype
    if flt.date_from:
        clauses.append("v.entry_date >= :date_from")
        params["date_from"] = flt.date_from.isoformat()
    if flt.date_to:
        clauses.append("v.entry_date <= :date_to")
        params["date_to"] = flt.date_to.isoformat()
    pattern = search_pattern(flt.search)
    if pattern is not None:
        clauses.append("v.search_key LIKE :search ESCAPE '\\'")
        params["search"] = pattern
    return " AND ".join(clauses), params


def _sqlite_file(db_option: str | None) -> Path | None:
    from budget.paths import resolve_database_url

    url = resolve_database_url(db_option)
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url or "%" in url or url == prefix:
        return None
    path = Path(url[len(prefix) :])
    return path if path.is_file() else None


def _campaign(conn: sqlite3.Connection, code: str | None) -> int | None:
    """find_campaign's choice: the first organisation's campaign ``code``, else its
    current one, else its latest."""
    org = conn.execute(
        "SELECT id, current_campaign_id FROM organisations ORDER BY id LIMIT 1"
    ).fetchone()
    if org is None:
        return None
    org_id, current = org
    if code:
        found = conn.execute(
            "SELECT id FROM campaigns WHERE organisation_id = ? AND code = ?", (org_id, code)
        ).fetchone()
        return None if found is None else int(found[0])
    if current is not None:
        found = conn.execute("SELECT id FROM campaigns WHERE id = ?", (current,)).fetchone()
        if found is not None:
            return int(found[0])
    found = conn.execute(
        "SELECT id FROM campaigns WHERE organisation_id = ? ORDER BY year DESC, id DESC LIMIT 1",
        (org_id,),
    ).fetchone()
    return None if found is None else int(found[0])


def _connect(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to a file this tool can open without doing anything."""
    from budget.backup import SQLITE_HEADER, _uri, daily_backup_due
    from budget.migrations import HEAD_REVISION

    try:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return None
    except OSError:
        return None
    if daily_backup_due(path):
        return None
    conn = sqlite3.connect(_uri(path), uri=True)
    try:
        conn.execute("PRAGMA query_only = ON")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        conn.close()
        return None
    if revision is None or revision[0] != HEAD_REVISION:
        conn.close()
        return None
    return conn


def _dated(rows: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    for row in rows:
        yield row[:4] + (date.fromisoformat(row[4]),) + row[5:]


def quick_first_page(
    db_option: str | None, campaign: str | None, flt: VoucherFilter, win: Window
) -> bool:
    """Print one page of the register from SQLite; False (nothing printed) when the
    full path must do it."""
    if win.fetch is None or flt.part:
        return False
    path = _sqlite_file(db_option)
    if path is None:
        return False
    conn = _connect(path)
    if conn is None:
        return False
    try:
        campaign_id = _campaign(conn, campaign)
        if campaign_id is None:
            return False
        where, params = _where(flt)
        params |= _KINDS | {"campaign": campaign_id}
        page = conn.execute(
            f"SELECT {_COLUMNS} FROM vouchers v WHERE {where} "
            "ORDER BY v.entry_date, v.id LIMIT :limit OFFSET :offset",
            params | {"limit": win.fetch, "offset": win.offset},
        ).fetchall()
        total = 0  # asked only when the page leaves rows out (as the full path does)
        if len(page) > (win.limit or 0):
            sql = f"SELECT count(v.id) FROM vouchers v WHERE {where}"
            total = int(conn.execute(sql, params).fetchone()[0])
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    from budget.cli.register_table import write_register_table

    write_register_table(_dated(page), lambda: total, win)
    return True
