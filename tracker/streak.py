"""Study days and streaks.

A study day is a day whose daily plan had at least half of its work items ticked
(`STUDY_THRESHOLD`), or on which the learner committed to the repository. Rest days from the
schedule neither count nor break a streak; a day that is not over yet does not break one either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from .state import PlanRecord

STUDY_THRESHOLD = 0.5
_DAY = dt.timedelta(days=1)


def is_study_day(done: int, total: int) -> bool:
    """The rule: at least half of a plan's work items ticked."""
    return total > 0 and done / total >= STUDY_THRESHOLD


def studied(plan: PlanRecord) -> bool:
    return is_study_day(*plan.score)


def study_days(plans: Iterable[PlanRecord], commits: Mapping[dt.date, int]) -> set[dt.date]:
    days = {plan.day for plan in plans if studied(plan)}
    days.update(day for day, count in commits.items() if count > 0)
    return days


def current_streak(days: set[dt.date], rest_weekdays: frozenset[int], today: dt.date) -> int:
    """Study days in a row up to today, or up to yesterday while today is not over."""
    day = today if today in days else today - _DAY
    streak = 0
    while True:
        if day in days:
            streak += 1
        elif day.weekday() not in rest_weekdays:
            return streak
        if not days or day < min(days):
            return streak
        day -= _DAY


def longest_streak(days: set[dt.date], rest_weekdays: frozenset[int]) -> int:
    """The longest run of study days, rest days bridging it."""
    best = run = 0
    if not days:
        return 0
    day, last = min(days), max(days)
    while day <= last:
        if day in days:
            run += 1
            best = max(best, run)
        elif day.weekday() not in rest_weekdays:
            run = 0
        day += _DAY
    return best
