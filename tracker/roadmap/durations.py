"""Lengths of time written in the roadmap: estimates, calendar months, "3 months" from a day."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month `months` later, or the month's last day if it is shorter."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def after(text: Any, start: dt.date) -> dt.date | None:
    """The day `text` ("3 months", "6 weeks", "10 days") after `start`."""
    match = re.fullmatch(r"([1-9]\d*) (day|week|month)s?", str(text))
    if not match:
        return None
    count, unit = int(match.group(1)), match.group(2)
    if unit == "month":
        return add_months(start, count)
    return start + dt.timedelta(days=count * (7 if unit == "week" else 1))
