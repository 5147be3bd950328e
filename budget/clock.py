"""The one place the tool asks for the time, so tests can freeze it.

Set ``BUDGET_NOW=2024-03-15T08:00:00`` to freeze the clock (tests, snapshots).
Timestamps are naive UTC.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


def now() -> datetime:
    frozen = os.environ.get("BUDGET_NOW")
    if frozen:
        return datetime.fromisoformat(frozen).replace(tzinfo=None)
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    return now().date()
