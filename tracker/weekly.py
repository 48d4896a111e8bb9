"""A track's time by the week: weekly quotas and sessions, placed over the week's days, and
which days are tight.

The seeds say it so: "笔试真题每周投入6个小时" on the weekend, "开源 每周投入3个小时",
"每周2-3次，每次1.5-2小时" on "周二/四晚上", and "周二与周四，算法允许刷的少一点". Pure functions of
the roadmap, the learner's state and a date; a week is Monday to Sunday.

- A quota asks each week for its hours, shared by the days it may use: the track's weekdays
  that have study hours, from the plan's start on (a week begun mid-way, or shared by two
  phases, asks for each day's part). The hours go in blocks of about `BLOCK_HOURS`, spread
  evenly over those days, no day given more than its budget (what it cannot hold goes to the
  next day). What a day leaves undone moves to the next allowed day of the same week, never
  into the next week.
- Sessions go to the first allowed days of the week, one a day, the minimum first; a session
  missed moves to the next allowed day; on a free day a session more is planned, up to the
  maximum.
- A day is tight when it is a light day or holds another line's weekly time by the week's
  placement (a session, a quota's block); else it is free. Ranges take their minimum on tight
  days and their maximum on free ones. Tightness depends on the calendar alone, so the same
  day is always tight or free, whatever was ticked.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import Range, Roadmap, Topic
from .state import PlanRecord, StudyState, item_id, item_kind, parse_step_item, step_share

BLOCK_HOURS = 2.0  # a quota's hours go in blocks of about this length
STEP_HOURS = 1 / 12  # a day's share of a quota is rounded to 5 minutes
LEAST_HOURS = 0.25  # less than this is not worth a box: a quarter of an hour
TASK = "k"  # a plan item for a track's weekly time when no topic of it is open: k:track:minutes
_DAY = dt.timedelta(days=1)
_EPSILON = 1e-9


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def task_item(track_id: str, hours: float) -> str:
    """A task box's id, which keeps the time it stood for: `k:exam:120`."""
    return item_id(TASK, track_id, str(round(hours * 60)))


def _has_hours(roadmap: Roadmap, day: dt.date) -> bool:
    return roadmap.schedule.budget_range_on(day).high > 0


def allowed_days(roadmap: Roadmap, track_id: str, monday: dt.date, rule: str) -> list[dt.date]:
    """The days of the week from `monday` that the track's quota (`rule` "per_week") or its
    sessions ("sessions") may use: in the plan, on the track's weekdays, with study hours."""
    days = []
    for offset in range(7):
        day = monday + offset * _DAY
        rules = roadmap.track_on(track_id, day)
        if day >= roadmap.schedule.start and getattr(rules, rule) is not None \
                and rules.runs_on(day) and _has_hours(roadmap, day):
            days.append(day)
    return days


def week_quota(roadmap: Roadmap, track_id: str, monday: dt.date) -> Range:
    """The hours the week asks of the track: each allowed day brings its phase's weekly hours
    divided among the phase's weekdays that have study hours."""
    low = high = 0.0
    for day in allowed_days(roadmap, track_id, monday, "per_week"):
        rules = roadmap.track_on(track_id, day)
        assert rules.per_week is not None
        count = sum(1 for w in rules.weekdays if _has_hours(roadmap, monday + w * _DAY))
        low += rules.per_week.low / count
        high += rules.per_week.high / count
    return Range(low, high)


def quota_blocks(roadmap: Roadmap, track_id: str, monday: dt.date,
                 hours: float, use_high: bool) -> dict[dt.date, float]:
    """The week's `hours` over the allowed days: in blocks spread evenly, none past its day's
    budget (the rest goes on to the following days)."""
    days = allowed_days(roadmap, track_id, monday, "per_week")
    if not days or hours <= _EPSILON:
        return {}
    count = min(len(days), max(1, math.ceil(hours / BLOCK_HOURS - _EPSILON)))
    chosen = {days[n * len(days) // count] for n in range(count)}
    placed: dict[dt.date, float] = {}
    spill = 0.0
    for day in days:
        budget = roadmap.schedule.budget_range_on(day)
        want = spill + (hours / count if day in chosen else 0.0)
        placed[day] = min(want, budget.high if use_high else budget.low)
        spill = want - placed[day]
    return placed


def session_days(roadmap: Roadmap, track_id: str, monday: dt.date) -> list[dt.date]:
    """The days the week's minimum of sessions falls on, by the calendar: the first allowed
    days of the week, one session a day."""
    days = allowed_days(roadmap, track_id, monday, "sessions")
    if not days:
        return []
    sessions = roadmap.track_on(track_id, days[0]).sessions
    assert sessions is not None
    return days[:int(sessions.count.low)]


def boxed_by_calendar(roadmap: Roadmap, day: dt.date) -> set[str]:
    """The tracks whose weekly time the week's placement puts on `day` (ticks aside)."""
    found: set[str] = set()
    if not roadmap.has_weekly_time:
        return found
    monday = monday_of(day)
    for track in roadmap.tracks:
        if track.kind != "topics":
            continue
        rules = roadmap.track_on(track.id, day)
        if rules.per_week is not None:
            low = week_quota(roadmap, track.id, monday).low
            if quota_blocks(roadmap, track.id, monday, low, False).get(day, 0.0) > _EPSILON:
                found.add(track.id)
        if rules.sessions is not None and day in session_days(roadmap, track.id, monday):
            found.add(track.id)
    return found


def is_free(roadmap: Roadmap, day: dt.date, track_id: str | None = None) -> bool:
    """Whether `day` is free for a range (of `track_id`, or of the day's other work): not a
    light day, and no other line's weekly time placed on it."""
    if day.weekday() in roadmap.schedule.light_days:
        return False
    return not (boxed_by_calendar(roadmap, day) - {track_id})


def pick(amount: Range, free: bool) -> float:
    """A range's minimum on a tight day, its maximum on a free one."""
    return amount.high if free else amount.low


# -- what was done this week ---------------------------------------------------------------------
def _track_items(roadmap: Roadmap, track_id: str,
                 boxes: Mapping[str, bool]) -> Iterable[tuple[str, bool, float]]:
    """A plan's items that are the track's weekly time: its task box, its topics' steps; with
    whether each is ticked and the hours it stands for."""
    topics: Mapping[str, Topic] = roadmap.topics_by_id
    for ident, ticked in boxes.items():
        if item_kind(ident) == TASK:
            _, track, minutes = (ident.split(":") + ["", ""])[:3]
            if track == track_id and minutes.isdigit():
                yield ident, ticked, int(minutes) / 60
            continue
        parsed = parse_step_item(ident)
        topic = topics.get(parsed[0]) if parsed else None
        if topic is not None and topic.track_id == track_id:
            yield ident, ticked, _step_hours(topic) * step_share(ident)


def _step_hours(topic: Topic) -> float:
    from .planner import box_hours  # the planner's own rule for a step's time

    return box_hours(topic)


def hours_done(roadmap: Roadmap, track_id: str, plans: Iterable[PlanRecord]) -> float:
    """Hours of the track's weekly time ticked in these plans."""
    return sum(hours for plan in plans
               for _, ticked, hours in _track_items(roadmap, track_id, plan.boxes) if ticked)


def sessions_done(roadmap: Roadmap, track_id: str, plans: Iterable[PlanRecord]) -> int:
    """Sessions of the track done in these plans: plans with a box of its time ticked."""
    return sum(1 for plan in plans
               if any(ticked for _, ticked, _ in _track_items(roadmap, track_id, plan.boxes)))


def _week_before(state: StudyState, day: dt.date) -> list[PlanRecord]:
    return state.plans_between(monday_of(day), day - _DAY)


# -- today's weekly time -------------------------------------------------------------------------
@dataclass(frozen=True)
class Box:
    """A track's weekly time on one day."""

    track_id: str
    kind: str  # "quota" | "session"
    hours: float  # planned today
    week: Range  # the week's hours (quota) or sessions (session)
    done: float  # hours or sessions done this week before today
    task: str | None  # the box's text when no topic of the track is open


def quota_today(roadmap: Roadmap, state: StudyState, track_id: str, day: dt.date) -> Box | None:
    """The quota's hours today: what the week's placement has put on the days up to today,
    less what was done this week before today (a shortfall moves on, within the week)."""
    rules = roadmap.track_on(track_id, day)
    monday = monday_of(day)
    if rules.per_week is None or day not in allowed_days(roadmap, track_id, monday, "per_week"):
        return None
    week = week_quota(roadmap, track_id, monday)
    free = is_free(roadmap, day, track_id)
    placed = quota_blocks(roadmap, track_id, monday, pick(week, free), free)
    due = sum(hours for when, hours in placed.items() if when <= day)
    done = hours_done(roadmap, track_id, _week_before(state, day))
    budget = roadmap.schedule.budget_range_on(day)
    hours = round(min(due - done, pick(budget, free)) / STEP_HOURS) * STEP_HOURS
    if hours < LEAST_HOURS - _EPSILON:
        return None
    return Box(track_id, "quota", hours, week, done, rules.task)


def session_today(roadmap: Roadmap, state: StudyState, track_id: str,
                  day: dt.date) -> Box | None:
    """A session today, if the week still owes its minimum (the first allowed days take
    them), or, on a free day, if the week has room for one more."""
    rules = roadmap.track_on(track_id, day)
    monday = monday_of(day)
    sessions = rules.sessions
    if sessions is None or day not in allowed_days(roadmap, track_id, monday, "sessions"):
        return None
    done = sessions_done(roadmap, track_id, _week_before(state, day))
    free = is_free(roadmap, day, track_id)
    if done >= sessions.count.low and not (free and done < sessions.count.high):
        return None
    return Box(track_id, "session", pick(sessions.hours, free), sessions.count, done,
               rules.task)


def boxes_today(roadmap: Roadmap, state: StudyState, day: dt.date) -> list[Box]:
    """Every track's weekly time today, in the roadmap's order of tracks."""
    found = []
    for track in roadmap.tracks:
        if track.kind != "topics":
            continue
        box = quota_today(roadmap, state, track.id, day) or \
            session_today(roadmap, state, track.id, day)
        if box is not None:
            found.append(box)
    return found


def timed_tracks(roadmap: Roadmap, day: dt.date) -> set[str]:
    """The tracks whose time on `day` is weekly (a quota or sessions), not a share of it."""
    return {t.id for t in roadmap.tracks if t.kind == "topics"
            and (roadmap.track_on(t.id, day).per_week is not None
                 or roadmap.track_on(t.id, day).sessions is not None)}
