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
