"""The dashboard's figures: pure functions of the roadmap, the ledger, commits and a date.

A study day is a day whose plan got at least half of its boxes ticked, or with a commit by the
learner (see `tracker.streak`). Hours done are the estimates of the ticked steps.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .ledger import Ledger
from .model import Roadmap
from .planner import box_hours
from .streak import STUDY_THRESHOLD, current_streak, longest_streak

PACE_WINDOW = 14  # days of recent progress that set a stage's projected finish
WEEKS_SHOWN = 12
RECENT_SHOWN = 5
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class StageProgress:
    id: str
    title: str
    start: dt.date
    due: dt.date
    done: int
    total: int
    status: str  # "done" | "on_track" | "behind" | "not_started"
    projected: dt.date | None

    @property
    def percent(self) -> int:
        return math.floor(100 * self.done / self.total) if self.total else 100


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


def pace(ledger: Ledger, roadmap: Roadmap, today: dt.date) -> float:
    """Steps ticked a day in daily plans over the last two weeks (or since the start)."""
    first = max(roadmap.schedule.start, today - dt.timedelta(days=PACE_WINDOW - 1))
    days = (today - first).days + 1
    if days <= 0:
        return 0.0
    steps = sum(p.steps for d, p in ledger.plans.items()
                if first <= dt.date.fromisoformat(d) <= today)
    return steps / days


def stage_progress(roadmap: Roadmap, done_by_topic: Mapping[str, int], steps_a_day: float,
                   today: dt.date) -> list[StageProgress]:
    """Each stage's progress, and whether it will be done by its due date at this pace."""
    out = []
    for stage in roadmap.stages:
        total = sum(len(t.checkboxes) for t in stage.topics)
        done = sum(done_by_topic.get(t.id, 0) for t in stage.topics)
        projected = None
        if done >= total:
            status = "done"
        elif stage.start > today:
            status = "not_started"
        else:
            length = (stage.due - stage.start).days + 1
            elapsed = min(length, (today - stage.start).days + 1)
            expected = total * elapsed / length
            if steps_a_day > 0:
                projected = today + dt.timedelta(days=math.ceil((total - done) / steps_a_day))
            on_track = done + 1e-9 >= expected or (projected is not None
                                                   and projected <= stage.due)
            status = "on_track" if on_track else "behind"
        out.append(StageProgress(stage.id, stage.title, stage.start, stage.due, done, total,
                                 status, projected))
    return out


def study_days(ledger: Ledger, commits: Mapping[dt.date, int]) -> set[dt.date]:
    days = {dt.date.fromisoformat(d) for d, p in ledger.plans.items()
            if p.total and p.done / p.total >= STUDY_THRESHOLD}
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
    stages = stage_progress(roadmap, done_by_topic, pace(ledger, roadmap, today), today)
    monday = today - dt.timedelta(days=today.weekday())
    weeks = []
    for back in range(WEEKS_SHOWN - 1, -1, -1):
        start = monday - dt.timedelta(weeks=back)
        plans = [ledger.plans.get((start + dt.timedelta(days=i)).isoformat()) for i in range(7)]
        weeks.append({"monday": start.isoformat(),
                      "done": sum(p.done for p in plans if p),
                      "total": sum(p.total for p in plans if p)})
    recent = sorted(((f.closed_on, t.title, f.number) for t in roadmap.topics
                     if (f := ledger.topics.get(t.id)) is not None and f.completed
                     and f.closed_on), reverse=True)[:RECENT_SHOWN]
    latest = max(ledger.retros.items(), default=None)
    return {
        "version": 1,
        "as_of": today.isoformat(),
        "learner": {"name": roadmap.learner.name, "timezone": roadmap.learner.timezone},
        "progress": {"steps_done": steps_done, "steps_planned": steps_planned,
                     "percent": math.floor(100 * steps_done / steps_planned)
                     if steps_planned else 0,
                     "topics_done": topics_done, "topics_planned": len(roadmap.topics)},
        "hours": {"estimated": round(hours_estimated, 1), "done": round(hours_done, 1)},
        "streak": {"current": current_streak(studied, rest, today),
                   "longest": longest_streak(studied, rest),
                   "days_studied": len({d for d in studied if d <= today})},
        "problems_done": sum(p.problems for p in ledger.plans.values()),
        "commits": sum(n for d, n in commits.items() if d <= today),
        "stages": [{"id": s.id, "title": s.title, "start": s.start.isoformat(),
                    "due": s.due.isoformat(), "done": s.done, "total": s.total,
                    "percent": s.percent, "status": s.status,
                    "projected": s.projected.isoformat() if s.projected else None}
                   for s in stages],
        "weeks": weeks,
        "recent": [{"closed_on": day, "title": title, "number": number}
                   for day, title, number in recent],
        "latest_retro": None if latest is None else {
            "week": latest[0], "title": latest[1].title, "number": latest[1].number},
    }
