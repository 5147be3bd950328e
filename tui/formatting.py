"""Display helpers shared by the screens (money, dates, percent, bars)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from budget.money import format_vnd
from budget.vocabulary import usage_level


def money(amount: int | None) -> str:
    return "" if amount is None else format_vnd(amount)


def count(value: int) -> str:
    """A count with dot groups, as amounts are written: 1000026 -> "1.000.026"."""
    return format_vnd(value)


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the cut marked with …."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def day(value: date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}".replace(".", ",") + " %"


def bar(used: int, total: int, width: int = 20) -> str:
    """A text bar: █ for used, ░ for the rest; full when over."""
    if total <= 0:
        return "░" * width
    filled = min(width, used * width // total)
    return "█" * filled + "░" * (width - filled)


def level(used: int, total: int) -> str:
    """ "over", "near" (≥ 90 %) or "ok": the CSS class for colours."""
    return usage_level(used, total)


def headers(*names: str) -> list[str]:
    """Column headings in the interface language."""
    from budget.i18n import tr

    return [tr(name) for name in names]
