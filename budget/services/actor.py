"""Who is acting: the configured user (BUDGET_USER or --user) or the OS user."""

from __future__ import annotations

import getpass
import os

USER_ENV = "BUDGET_USER"


def current_actor() -> str:
    configured = os.environ.get(USER_ENV, "").strip()
    if configured:
        from budget.text import printable

        return printable(configured, 100).replace("?", "") or "unknown"
    try:
        return getpass.getuser()[:100]
    except (KeyError, OSError):  # no passwd entry in a container
        return "unknown"


def login_actor(session) -> str | None:  # type: ignore[no-untyped-def]
    """On PostgreSQL, the name of the database login (through its memberships).

    None on SQLite and for a login that is no commune's member (the owner running
    ``budget admin``): there the configured user (--user) is recorded. A login's
    changes can not be recorded under another name: a trigger refuses that too.
    """
    if session.get_bind().dialect.name != "postgresql":
        return None
    if "budget_actor" not in session.info:
        from sqlalchemy import text

        session.info["budget_actor"] = session.execute(text("SELECT budget_actor()")).scalar()
    actor: str | None = session.info["budget_actor"]
    return actor
