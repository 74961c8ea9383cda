"""Follow-up after a work exit: due dates at 6, 12 and 18 months, and return to benefit."""

from __future__ import annotations

import calendar
from datetime import date

FOLLOW_UP_MONTHS = (6, 12, 18)
RETURN_WINDOW_MONTHS = 12


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, clamped to the last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_due_dates(exit_date: date) -> dict[int, date]:
    """The follow-up moments after a work exit, keyed by months."""
    return {m: add_months(exit_date, m) for m in FOLLOW_UP_MONTHS}


def is_return_to_benefit(
    exit_date: date, restart_date: date, window_months: int = RETURN_WINDOW_MONTHS
) -> bool:
    """A benefit restart after a work exit within the window counts as a return (draaideur)."""
    return exit_date < restart_date <= add_months(exit_date, window_months)
