"""The figures of spaced review, for the retro, the dashboard and `progress.json`.

Pure functions of the roadmap, the review log, the cards' memory and a date. A review counts
on the day of its plan; the plan of today is not scored yet, so "the last 30 days" are the 30
days before today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .memory import AGAIN, GOOD, HARD_RECALL, Memory, ReviewLog, decode, log_from_plans
from .memory_cache import CACHE, Cached, memories
from .model import Roadmap
from .review_chart import forecast_chart
from .reviews import deck, forecast
from .state import PlanRecord

WINDOW = 30  # days of reviews behind the retention figure
AHEAD = 14  # days of the review forecast
PHASES = ("new", "learning", "mature")
_DAY = dt.timedelta(days=1)


def log_from_ledger(reviews: Mapping[str, str]) -> dict[dt.date, tuple[Any, ...]]:
    """The review log the dashboard's ledger keeps, one line a day, as events by day."""
    log = {}
    for day, line in reviews.items():
        try:
            events = decode(line)
            if events:
                log[dt.date.fromisoformat(day)] = events
        except ValueError:
            continue  # a hand-edited day: the next full rebuild reads it again
    return log


def memory_on(roadmap: Roadmap, log: ReviewLog, today: dt.date,
              cached: Cached | None = None) -> tuple[dict[str, Memory], Cached]:
    """The cards' memory on the morning of `today` (the plans before it replayed)."""
    return memories(log, today, roadmap.review.retention, cached)


def memory_of_plans(roadmap: Roadmap, plans: Iterable[PlanRecord], today: dt.date,
                    cached: Cached | None = None) -> dict[str, Memory]:
    """The cards' memory on the morning of `today`, from the daily plans read from the store
    (and the memory the dashboard kept, when it was made from the same log)."""
    return memory_on(roadmap, log_from_plans(plans), today, cached)[0]


def recalled(log: ReviewLog, first: dt.date, last: dt.date) -> tuple[int, int]:
    """Reviews rated in the plans of `first`..`last`, and how many were recalled."""
    rated = [e for day, events in log.items() if first <= day <= last for e in events
             if e.mark in (GOOD, HARD_RECALL, AGAIN)]
    return len(rated), sum(1 for e in rated if e.mark != AGAIN)


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def card_states(roadmap: Roadmap, memory: Mapping[str, Memory]) -> dict[str, int]:
    """Cards by phase: new (not reviewed yet), learning, mature (an interval of three weeks or
    more); and retired ones (a deleted card file, a problem gone from the roadmap)."""
    cards = deck(roadmap, memory)
    counts = dict.fromkeys(PHASES, 0)
    for ident in cards:
        phase = memory[ident].phase if ident in memory else "new"
        counts[phase] += 1
    counts["retired"] = sum(1 for ident in memory if ident not in cards)
    return counts


def progress(roadmap: Roadmap, log: ReviewLog, memory: Mapping[str, Memory],
             today: dt.date) -> dict[str, Any]:
    """The `cards` and `reviews` parts of progress.json."""
    states = card_states(roadmap, memory)
    done, kept = recalled(log, today - WINDOW * _DAY, today - _DAY)
    loads = forecast(roadmap, memory, today, AHEAD)
    review = roadmap.review
    return {
        "cards": {**states, "total": sum(states[p] for p in PHASES)},
        "reviews": {
            "budget": {"minutes": review.minutes, "cards": review.cards},
            "retention_goal": review.retention,
            "last_30_days": done,
            "recalled_30_days": share(kept, done),
            "today": loads[0].planned,
            "waiting": loads[-1].waiting,
            "next_14_days": [{"day": load.day.isoformat(), "reviews": load.planned,
                              "minutes": load.minutes} for load in loads],
        },
    }


def week(roadmap: Roadmap, log: ReviewLog, memory: Mapping[str, Memory], monday: dt.date,
         today: dt.date) -> dict[str, Any]:
    """The retro's review figures: the week's reviews, the share recalled, the cards due next
    week (those already waiting included)."""
    done, kept = recalled(log, monday, min(monday + 6 * _DAY, today - _DAY))
    next_monday, next_sunday = monday + 7 * _DAY, monday + 13 * _DAY
    loads = forecast(roadmap, memory, today, max((next_sunday - today).days + 1, 0))
    coming = sum(load.planned for load in loads if load.day >= next_monday)
    return {"reviews": done, "recalled": kept, "share": share(kept, done),
            "due_next_week": coming + (loads[-1].waiting if loads else 0)}


def dashboard_part(roadmap: Roadmap, reviews: Mapping[str, str], today: dt.date,
                   cached: Cached | None, folder: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The dashboard's review figures (for progress.json and the page) and its files: the
    14-day chart, light and dark, and the cards' memory kept for the next run."""
    log = log_from_ledger(reviews)
    memory, fresh = memory_on(roadmap, log, today, cached)
    data = progress(roadmap, log, memory, today)
    loads = forecast(roadmap, memory, today, AHEAD)
    files = {CACHE: fresh.to_json()}
    for dark, suffix in ((False, ""), (True, "-dark")):
        files[f"{folder}/reviews{suffix}.svg"] = forecast_chart(
            loads, roadmap.review, locale=roadmap.learner.locale, dark=dark)
    return data, files
