"""Format-1 roadmaps plan the same days as before format 1.1.

Three weeks of each format-1 fixture (`tests/roadmaps/v1/`) are lived as in the four-week
simulation: the plan opens each morning, some of it is ticked, a day is skipped, the retro
opens on its evening. What each morning's plan holds (its boxes and its stated hours) must be
what it held before format 1.1 was read; the record in `tests/golden/v1-plans/` was made by
the planner as it was then. After a deliberate change to the planner, look at the difference
and regenerate with `UPDATE_GOLDEN=1 pytest tests/test_v1_plans.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
from pathlib import Path

import pytest

from tracker import keys
from tracker.daily import open_daily_plan
from tracker.reconcile import reconcile
from tracker.retro import open_retro
from tracker.roadmap import load_roadmap
from tracker.state import read_state
from tracker.store.base import trusted_authors
from tracker.sync import sync

from sync_harness import harness

V1 = Path(__file__).resolve().parent / "roadmaps" / "v1"
GOLDEN = Path(__file__).resolve().parent / "golden" / "v1-plans"
DAYS = 21
SKIPPED = (6,)
_HOURS = re.compile(r"⏱️ (?:今日约 |about )([\d.]+)h")


def at(tz: dt.tzinfo, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 5), tzinfo=tz).astimezone(dt.UTC)


def live(name: str, tmp_path: Path) -> dict[str, dict[str, object]]:
    """Each morning's plan of three weeks of the fixture: its boxes and its stated hours."""
    plan = load_roadmap(V1 / name)
    rng = random.Random(11)
    days: dict[str, dict[str, object]] = {}
    with harness("local", tmp_path) as world:
        sync(plan, world.tracker)
        for offset in range(DAYS):
            day = plan.schedule.start + dt.timedelta(days=offset)
            world.tracker.clock.now = at(plan.learner.tz, day, 8)  # type: ignore[attr-defined]
            reconcile(plan, world.tracker)
            opened = open_daily_plan(plan, world.tracker, at(plan.learner.tz, day, 8)).opened
            if opened is None:
                continue
            block = keys.parse(opened.body).block  # type: ignore[union-attr]
            hours = _HOURS.search(block)
            days[day.isoformat()] = {"boxes": list(keys.boxes(block)),
                                     "hours": hours.group(1) if hours else None}
            if offset in SKIPPED:
                continue
            state = read_state(world.tracker.list_issues(), trusted_authors(world.tracker))
            boxes = state.plans[day].boxes
            chosen = {box for box in boxes if rng.random() < 0.75}
            issue = world.tracker.get_issue(opened.number)
            world.learner.update_issue(opened.number, body=keys.tick(issue.body, chosen))
            reconcile(plan, world.tracker)
            open_retro(plan, world.tracker, at(plan.learner.tz, day, 22))
    return days


@pytest.mark.slow
@pytest.mark.parametrize("name", ["roadmap.yml", "ai-engineer.yml", "internship-sprint.yml"])
def test_a_format_1_roadmap_plans_the_same_days(name: str, tmp_path: Path) -> None:
    days = live(name, tmp_path)
    golden = GOLDEN / (Path(name).stem + ".json")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(json.dumps(days, ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert list(days) == list(expected)
    for day, plan in expected.items():
        assert days[day] == plan, day
