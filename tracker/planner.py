"""Choosing what to study: the day's focus, its problems, its question, its routines.

Pure functions of the roadmap, the learner's state and a date. The same choice of next steps
serves the daily plan (one day's hours) and the retro's suggestion for next week.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from .model import (
    AlgorithmProblem,
    Checkbox,
    Checkpoint,
    InterviewQuestion,
    Roadmap,
    Routine,
    Stage,
    Topic,
)
from .state import StudyState

DEFAULT_TOPIC_HOURS = 2.0  # a topic without an estimate
MAX_FOCUS_ITEMS = 8  # more does not fit a phone screen, nor a day
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Pick:
    """One step of a topic chosen for a day."""

    topic: Topic
    box: Checkbox
    hours: float


def box_hours(topic: Topic) -> float:
    boxes = len(topic.checkboxes) or 1
    return (topic.estimate_hours or DEFAULT_TOPIC_HOURS) / boxes


def open_boxes(topic: Topic, state: StudyState) -> list[Checkbox]:
    """The topic's boxes not ticked yet, in order; none for a closed or unsynced topic."""
    row = state.topics.get(topic.id)
    if row is None or not row.open:
        return []
    return [box for box in topic.checkboxes if box.id not in row.ticked]


def ready(topic: Topic, roadmap: Roadmap, state: StudyState) -> bool:
    """A topic waits while a topic it depends on is still open."""
    for dep in topic.depends_on:
        if dep not in roadmap.topics_by_id:
            continue
        row = state.topics.get(dep)
        if row is None or row.open:
            return False
    return True


def active_stages(roadmap: Roadmap, state: StudyState, day: dt.date) -> list[Stage]:
    """Stages begun by `day` that still have open topics, oldest first (overdue ones too).

    A learner ahead of the plan, with every begun stage done, works ahead: the next stage
    with open topics comes in early rather than leaving the day empty.
    """
    ordered = sorted(roadmap.stages, key=lambda s: (s.start, s.due))
    open_stages = [s for s in ordered if any(open_boxes(t, state) for t in s.topics)]
    begun = [s for s in open_stages if s.start <= day]
    return begun or open_stages[:1]


def current_stages(roadmap: Roadmap, state: StudyState, day: dt.date) -> list[Stage]:
    """What the header shows: the stages of today, else the overdue ones still open."""
    return list(roadmap.stages_on(day)) or active_stages(roadmap, state, day)[:1]


def candidates(roadmap: Roadmap, state: StudyState, day: dt.date) -> list[Topic]:
    order = {t.id: i for i, t in enumerate(roadmap.topics)}
    topics = [t for s in active_stages(roadmap, state, day) for t in s.topics
              if open_boxes(t, state) and ready(t, roadmap, state)]
    stage_start = {s.id: s.start for s in roadmap.stages}
    return sorted(topics, key=lambda t: (stage_start[t.stage_id], t.priority, order[t.id]))


def track_budgets(roadmap: Roadmap, day: dt.date, hours: float,
                  tracks_with_work: set[str]) -> dict[str | None, float]:
    """Hours per topics track today: shares among the tracks that run today and have work.

    Without shares, one pool (None) serves every track, by priority alone.
    """
    running = [t for t in roadmap.tracks if t.kind == "topics" and t.runs_on(day)
               and t.id in tracks_with_work]
    if not running:
        return {}
    stages = roadmap.stages_on(day)
    stage_shares = next((s.shares for s in stages if s.shares), {})
    shares = {t.id: stage_shares.get(t.id, t.share) for t in running}
    if all(share is None for share in shares.values()):
        return {None: hours}
    weights = {k: float(v or 0) for k, v in shares.items()}
    total = sum(weights.values())
    if total <= 0:
        return {k: hours / len(weights) for k in weights}
    return {k: hours * w / total for k, w in weights.items() if w > 0}


def choose_focus(roadmap: Roadmap, state: StudyState, day: dt.date, hours: float,
                 exclude: frozenset[str] = frozenset(),
                 max_items: int = MAX_FOCUS_ITEMS) -> dict[str | None, list[Pick]]:
    """The next unticked steps to fill `hours`, per track (None: one pool for all tracks)."""
    topics = candidates(roadmap, state, day)
    with_work = {t.track_id for t in topics}
    budgets = track_budgets(roadmap, day, hours, with_work)
    chosen: dict[str | None, list[Pick]] = {}
    for track, budget in budgets.items():
        used = 0.0
        picks: list[Pick] = []
        count = 0
        # Each track gets its part of the item limit, so a busy track cannot crowd out the rest.
        limit = max(1, round(max_items * budget / hours)) if hours > 0 else max_items
        for topic in topics:
            if track is not None and topic.track_id != track:
                continue
            if not roadmap.tracks_by_id[topic.track_id].runs_on(day):
                continue
            for box in open_boxes(topic, state):
                if f"{topic.id}:{box.id}" in exclude:
                    continue
                need = box_hours(topic)
                if picks and used + need > budget + 1e-9:
                    break
                if count >= limit:
                    break
                picks.append(Pick(topic, box, need))
                used += need
                count += 1
            if used >= budget - 1e-9 or count >= limit:
                break
        if picks:
            chosen[track] = picks
    return chosen


def problems_for(roadmap: Roadmap, day: dt.date) -> list[AlgorithmProblem]:
    """The day's problems: the pool in order, continuing where the previous day stopped, so
    none repeats until the whole pool has come round. Derived from the date alone."""
    pool = roadmap.problems
    tracks = [t for t in roadmap.tracks if t.kind == "problems"]
    if not pool or not tracks or day < roadmap.schedule.start:
        return []

    def count(on: dt.date) -> int:
        if roadmap.schedule.budget_on(on) <= 0:
            return 0
        return sum(t.count_on(on) for t in tracks)

    before = 0
    cursor = roadmap.schedule.start
    while cursor < day:
        before += count(cursor)
        cursor += _DAY
    today = min(count(day), len(pool))
    return [pool[(before + i) % len(pool)] for i in range(today)]


def question_for(roadmap: Roadmap, day: dt.date) -> InterviewQuestion | None:
    """One question a day, picked from the date: a shuffled round of the bank, then another."""
    bank = roadmap.interview_questions
    if not bank or day < roadmap.schedule.start:
        return None
    cycle, position = divmod((day - roadmap.schedule.start).days, len(bank))
    order = sorted(bank, key=lambda q: hashlib.sha256(f"{cycle}:{q.id}".encode()).hexdigest())
    return order[position]


def routines_for(roadmap: Roadmap, day: dt.date) -> list[Routine]:
    stages = {s.id for s in roadmap.stages_on(day)}
    return [r for r in roadmap.routines if day.weekday() in r.weekdays
            and (not r.stage_ids or stages & set(r.stage_ids))]


def checkpoints_due(roadmap: Roadmap, day: dt.date) -> list[Checkpoint]:
    return [c for c in roadmap.checkpoints if c.due == day]


def weekly_focus(roadmap: Roadmap, state: StudyState, monday: dt.date,
                 max_items: int = 12) -> dict[str | None, list[Pick]]:
    """Next week's suggested steps per track: each track's hours over the week's days, filled
    with its next unticked steps (for the retro's "next week" list)."""
    topics = candidates(roadmap, state, monday + dt.timedelta(days=6))
    with_work = {t.track_id for t in topics}
    hours: dict[str | None, float] = {}
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        for track, share in track_budgets(roadmap, day, roadmap.schedule.budget_on(day),
                                          with_work).items():
            hours[track] = hours.get(track, 0.0) + share
    chosen: dict[str | None, list[Pick]] = {}
    total = sum(hours.values())
    for track, budget in hours.items():
        limit = max(1, round(max_items * budget / total)) if total else max_items
        picks: list[Pick] = []
        used = 0.0
        for topic in topics:
            if track is not None and topic.track_id != track:
                continue
            for box in open_boxes(topic, state):
                need = box_hours(topic)
                if (picks and used + need > budget + 1e-9) or len(picks) >= limit:
                    break
                picks.append(Pick(topic, box, need))
                used += need
            if used >= budget - 1e-9 or len(picks) >= limit:
                break
        if picks:
            chosen[track] = picks
    return chosen
