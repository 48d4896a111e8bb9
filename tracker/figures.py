"""The dashboard's figures: pure functions of the roadmap, the ledger, commits and a date.

A study day is a day whose plan got at least half of its boxes ticked, or with a commit by the
learner (see `tracker.streak`). Hours done are the estimates of the ticked steps.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .ledger import Ledger
from .model import Roadmap
from .planner import box_hours
from .streak import current_streak, is_study_day, longest_streak

PACE_WINDOW = 14  # days of recent progress that set a stage's projected finish
WEEKS_SHOWN = 12
RECENT_SHOWN = 5
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class StageProgress:
    id: str
    title: str
    start: dt.date
    due: dt.date | None  # None: an ongoing stage
    done: int
    total: int
    status: str  # one of STATUSES
    projected: dt.date | None

    @property
    def percent(self) -> int:
        return math.floor(100 * self.done / self.total) if self.total else 100


# A stage is one of these, by `stage_status`: the one rule every page and issue shows.
STATUSES = ("done", "ahead", "on_track", "behind", "not_started", "ongoing")


@dataclass(frozen=True)
class Pace:
    """Steps ticked in daily plans over a number of recent days."""

    steps: float  # a session of a long step counts as its share of the step
    days: int

    @property
    def per_day(self) -> float:
        return self.steps / self.days if self.days > 0 else 0.0

    def days_for(self, steps: int) -> int | None:
        """Whole days `steps` more take at this pace, today being the first; None without a
    pace."""
        if self.steps <= 0 or self.days <= 0:
            return None
        # Rounded before the ceiling, so 3 steps at 1.5 a day are 2 days, not 3 by a hair.
        return math.ceil(round(steps * self.days / self.steps, 6))


def topic_done(roadmap: Roadmap, ledger: Ledger) -> dict[str, int]:
    """Boxes done per topic of the roadmap: all of them once the topic is completed."""
    done = {}
    for topic in roadmap.topics:
        fact = ledger.topics.get(topic.id)
        boxes = len(topic.checkboxes)
        if fact is None:
            done[topic.id] = 0
        elif fact.completed:
            done[topic.id] = boxes
        else:
            done[topic.id] = min(fact.ticked, boxes)
    return done


def recent_pace(ledger: Ledger, roadmap: Roadmap, today: dt.date) -> Pace:
    """Steps ticked in daily plans over the last two weeks (or since the start)."""
    first = max(roadmap.schedule.start, today - dt.timedelta(days=PACE_WINDOW - 1))
    days = (today - first).days + 1
    if days <= 0:
        return Pace(0, 0)
    steps = sum(p.steps for d, p in ledger.plans.items()
                if first <= dt.date.fromisoformat(d) <= today)
    return Pace(steps, days)


def stage_status(done: int, total: int, start: dt.date, due: dt.date | None, today: dt.date,
                 projected: dt.date | None) -> str:
    """Where a stage stands against the plan's straight line from its start to its due date.

    A stage the recent pace finishes after its due date is "behind", wherever it stands
    against the line (work done early included), so that its status never contradicts its
    projection. Otherwise: the line counts the days before today (today is not over); a step,
    or a day's worth of steps if that is more, either side of it is on track; further ahead is
    "ahead"; further behind is "behind" unless there is a pace (which then finishes in time).
    "Not started" only with nothing done, before or on the stage's first day.
    """
    if done >= total:
        return "done"
    if done == 0 and today <= start:
        return "not_started"
    if due is None:
        return "ongoing"  # no end: never behind, nor ahead of a line it does not have
    if projected is not None and projected > due:
        return "behind"
    if today < start:
        return "ahead"  # work done before the stage's calendar start
    length = (due - start).days + 1
    elapsed = min((today - start).days, length)
    expected = total * elapsed / length
    slack = max(1.0, total / length)
    if done >= expected + slack:
        return "ahead"
    if done + slack >= expected or projected is not None:  # a pace that finishes in time
        return "on_track"
    return "behind"


def not_taken(roadmap: Roadmap, ledger: Ledger) -> frozenset[str]:
    """The stages of a decision's way not taken: every topic of it closed, none as done."""
    return frozenset(s.id for s in roadmap.stages if s.branch is not None and s.topics and all(
        (f := ledger.topics.get(t.id)) is not None and not f.open and not f.completed
        for t in s.topics))


def stage_progress(roadmap: Roadmap, done_by_topic: Mapping[str, int], recent: Pace,
                   today: dt.date, left_out: frozenset[str] = frozenset()
                   ) -> list[StageProgress]:
    """Each stage's progress, status and projected finish; the stages of `left_out` (the ways
    of a decision not taken) are not listed.

    Projections take the stages in roadmap order, as the daily plan does: a stage's finish
    is when its own steps and every earlier stage's remaining steps are done at the recent
    pace, so a later stage is never projected before an earlier one. Today is a day of work
    (it is not over), so what a day takes is done by today. A stage really finished is done
    whatever its place.
    """
    out = []
    queue = 0
    for stage in roadmap.stages:
        if stage.id in left_out:
            continue
        required = [t for t in stage.topics if not t.optional]  # an optional topic may stay open
        total = sum(len(t.checkboxes) for t in required)
        done = sum(done_by_topic.get(t.id, 0) for t in required)
        projected = None
        if done < total and not stage.ongoing:  # an ongoing stage is out of projections
            queue += total - done
            days = recent.days_for(queue)
            projected = today + dt.timedelta(days=days - 1) if days is not None else None
        status = stage_status(done, total, stage.start, stage.due, today, projected)
        out.append(StageProgress(stage.id, stage.title, stage.start, stage.due, done, total,
                                 status, projected))
    return out


def current_stage(stages: Sequence[StageProgress], today: dt.date) -> StageProgress | None:
    """The stage the learner is in: the first unfinished one that has begun, in roadmap order;
    before any has begun, the first unfinished one; None once every stage is done."""
    unfinished = [s for s in stages if s.status != "done"]
    begun = [s for s in unfinished if s.start <= today]
    return next(iter(begun or unfinished), None)


def study_days(ledger: Ledger, commits: Mapping[dt.date, int]) -> set[dt.date]:
    """Study days by the one rule of `tracker.streak`, which the daily plan's header uses too."""
    days = {dt.date.fromisoformat(d) for d, p in ledger.plans.items()
            if is_study_day(p.done, p.total)}
    days.update(d for d, n in commits.items() if n > 0)
    return days


def activity_levels(ledger: Ledger, commits: Mapping[dt.date, int],
                    studied: set[dt.date]) -> dict[dt.date, int]:
    """0-4 per day for the heatmap: 1 some activity, 2 a study day, 3 three quarters of the
    plan or three commits, 4 the whole plan."""
    levels: dict[dt.date, int] = {}
    for text, plan in ledger.plans.items():
        day = dt.date.fromisoformat(text)
        ratio = plan.done / plan.total if plan.total else 0.0
        if ratio >= 1:
            levels[day] = 4
        elif ratio >= 0.75:
            levels[day] = 3
        elif day in studied:
            levels[day] = 2
        elif plan.done:
            levels[day] = 1
    for day, count in commits.items():
        if count > 0:
            levels[day] = max(levels.get(day, 0), 3 if count >= 3 else 2)
    return levels


def plan_weeks(roadmap: Roadmap, ledger: Ledger, today: dt.date) -> list[dict[str, Any]]:
    """Boxes done and planned in each week's daily plans, Monday to Sunday, from the week the
    plan starts in to this week: the last 12 of them, and none before the plan existed."""
    monday = today - dt.timedelta(days=today.weekday())
    first = roadmap.schedule.start - dt.timedelta(days=roadmap.schedule.start.weekday())
    weeks = []
    for back in range(WEEKS_SHOWN - 1, -1, -1):
        start = monday - dt.timedelta(weeks=back)
        if start < first:
            continue
        plans = [ledger.plans.get((start + dt.timedelta(days=i)).isoformat()) for i in range(7)]
        weeks.append({"monday": start.isoformat(),
                      "done": sum(p.done for p in plans if p),
                      "total": sum(p.total for p in plans if p)})
    return weeks


def compute(roadmap: Roadmap, ledger: Ledger, commits: Mapping[dt.date, int],
            today: dt.date) -> dict[str, Any]:
    """Every figure of the dashboard, as plain data (also the body of progress.json)."""
    done_by_topic = topic_done(roadmap, ledger)
    steps_planned = sum(len(t.checkboxes) for t in roadmap.topics)
    steps_done = sum(done_by_topic.values())
    topics_done = sum(1 for t in roadmap.topics
                      if (f := ledger.topics.get(t.id)) is not None and f.completed)
    hours_estimated = sum(box_hours(t) * len(t.checkboxes) for t in roadmap.topics)
    hours_done = sum(box_hours(t) * done_by_topic[t.id] for t in roadmap.topics)
    studied = study_days(ledger, commits)
    rest = roadmap.schedule.rest_days
    stages = stage_progress(roadmap, done_by_topic, recent_pace(ledger, roadmap, today), today,
                            not_taken(roadmap, ledger))
    weeks = plan_weeks(roadmap, ledger, today)
    recent = sorted(((f.closed_on, t.title, f.number) for t in roadmap.topics
                     if (f := ledger.topics.get(t.id)) is not None and f.completed
                     and f.closed_on), reverse=True)[:RECENT_SHOWN]
    latest = max(ledger.retros.items(), default=None)
    return {
        "version": 1,
        "as_of": today.isoformat(),
        "learner": {"name": roadmap.learner.name, "goal": roadmap.learner.goal,
                    "timezone": roadmap.learner.timezone},
        "progress": {"steps_done": steps_done, "steps_planned": steps_planned,
                     "percent": math.floor(100 * steps_done / steps_planned)
                     if steps_planned else 0,
                     "topics_done": topics_done, "topics_planned": len(roadmap.topics)},
        "hours": {"estimated": round(hours_estimated, 1), "done": round(hours_done, 1),
                  "percent": math.floor(100 * hours_done / hours_estimated + 1e-9)
                  if hours_estimated else 0},
        "streak": {"current": current_streak(studied, rest, today),
                   "longest": longest_streak(studied, rest),
                   "days_studied": len({d for d in studied if d <= today})},
        "problems_done": sum(p.problems for p in ledger.plans.values())
        if roadmap.has_problems else None,
        "commits": sum(n for d, n in commits.items() if d <= today),
        "stages": [{"id": s.id, "title": s.title, "start": s.start.isoformat(),
                    "due": s.due.isoformat() if s.due else None, "done": s.done,
                    "total": s.total,
                    "percent": s.percent, "status": s.status,
                    "projected": s.projected.isoformat() if s.projected else None}
                   for s in stages],
        "current_stage": current.id if (current := current_stage(stages, today)) else None,
        "weeks": weeks,
        "recent": [{"closed_on": day, "title": title, "number": number}
                   for day, title, number in recent],
        "latest_retro": None if latest is None else {
            "week": latest[0], "title": latest[1].title, "number": latest[1].number},
    }
