"""What the register is filtered by (no SQLAlchemy: the CLI's quick first page reads it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class VoucherFilter:
    line: str | None = None
    part: str | None = None
    vtype: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    search: str | None = None
