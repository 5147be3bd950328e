"""The date a reversal is booked on.

A mistake is undone in the period it was made, so a March voucher reversed in
December still shows as a March correction in the monthly chart. The tool has
no month-by-month closing: a campaign's period is open while its year has not
passed (until 31/12 of the campaign's year). When it has, the reversal falls
on today, which the year check then refuses with a clear message unless the
user gives a date.
"""

from __future__ import annotations

from datetime import date


def period_open(campaign_year: int, day: date, today: date) -> bool:
    return day.year == campaign_year and today.year <= campaign_year


def default_reversal_date(campaign_year: int, original: date, today: date) -> date:
    """The original voucher's date if its period is still open, else today."""
    return original if period_open(campaign_year, original, today) else today


__all__ = ["default_reversal_date", "period_open"]
