"""What the register is filtered by (no SQLAlchemy: the CLI's quick first page reads it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from budget.text import fold


@dataclass(frozen=True)
class VoucherFilter:
    line: str | None = None
    part: str | None = None
    vtype: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str | None = None


def search_pattern(search: str | None) -> str | None:
    """The LIKE pattern (escape character "\\") the register matches ``search_key``
    with: accent-folded, its own "%", "_" and "\\" taken as text; None for no search."""
    if not search or not search.strip():
        return None
    needle = fold(search.strip()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{needle}%"
