"""Four weeks of each shipped roadmap, as a learner lives them: the plan opens each morning,
about 70 % of it is ticked, two days are skipped, the retro opens on its evening.

Every plan is checked the moment it opens: its hours against the day's budget, its boxes'
lengths, its streak against the dashboard's, its question against where the learner is.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest

from tracker import figures, keys, planner
from tracker.daily import open_daily_plan
from tracker.ledger import Ledger
from tracker.model import Roadmap
from tracker.reconcile import reconcile
from tracker.retro import open_retro
from tracker.roadmap import load_roadmap
from tracker.state import StudyState, parse_step_item, read_state
from tracker.store.base import trusted_authors
from tracker.sync import sync

from conftest import DEFAULT_START, REPO
from sync_harness import Harness, harness

DAYS = 28
SKIPPED = (9, 19)  # days (from the start) the learner does nothing at all
TICK_SHARE = 0.7
ROADMAPS = ["roadmap.yml", "examples/ai-engineer.yml", "examples/internship-sprint.yml"]
_HOURS = re.compile(r"⏱️ (?:今日约 |about )([\d.]+)h")
_STREAK = re.compile(r"🔥 (?:连续学习 (\d+) 天|(\d+)-day streak)")
# The plan's own one-line reasons for hours off the budget.
_REASONS = {"done": ("都完成了", "is done"), "blocked": ("前置主题", "depend on"),
            "tracks": ("轨道今天不安排", "tracks do not run"),
            "weekly": ("按周安排时间", "weekly time"),
            "fixed": ("固定安排", "fixed items"), "steps": ("下一个步骤", "next step"),
            "limit": ("步骤很细", "steps are small")}


def at(plan: Roadmap, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 5), tzinfo=plan.learner.tz).astimezone(dt.UTC)


def state_of(world: Harness) -> StudyState:
    return read_state(world.tracker.list_issues(), trusted_authors(world.tracker))


def dashboard_streak(plan: Roadmap, world: Harness, today: dt.date) -> int:
    ledger = Ledger()
    ledger.update(world.tracker.list_issues(), trusted_authors(world.tracker), plan.learner.tz)
    return figures.compute(plan, ledger, {}, today)["streak"]["current"]


def piece_hours(plan: Roadmap, ident: str) -> float:
    parsed = parse_step_item(ident)
    assert parsed is not None
    topic = plan.topics_by_id[parsed[0]]
    return planner.box_hours(topic) / planner.session_count(topic)


def check_plan(plan: Roadmap, block: str, before: StudyState, day: dt.date,
               streak: int) -> str | None:
    """Assert what every plan must be; return the reason it gives for hours off budget."""
    budget = plan.schedule.budget_on(day)
    stated = float(_HOURS.search(block).group(1))  # type: ignore[union-attr]
    reason = next((r for r, words in _REASONS.items() if any(w in block for w in words)), None)
    within = (1 - planner.TOLERANCE) * budget - 0.05 <= stated <= \
        (1 + planner.TOLERANCE) * budget + 0.05
    assert within or reason, f"{day}: {stated}h of {budget}h and no reason given"
    boxes = keys.boxes(block)
    assert all(piece_hours(plan, i) <= planner.SESSION_HOURS + 1e-9
               for i in boxes if i.startswith("t:")), day
    match = _STREAK.search(block)
    assert match and int(match.group(1) or match.group(2)) == streak, (day, streak)
    for ident in boxes:
        if ident.startswith("q:"):
            question = next(q for q in plan.interview_questions if q.id == ident[2:])
            if question.topic_id:
                assert planner.begun(question.topic_id, before), (day, ident)
                assert f"item:t:{question.topic_id}:" not in block, (day, ident)
    return None if within else reason


def learner_ticks(world: Harness, day: dt.date, rng: random.Random) -> None:
    plan = state_of(world).plans.get(day)
    if plan is None or not plan.open:
        return
    left = [box for box, ticked in plan.boxes.items() if not ticked]
    chosen = {box for box in left if rng.random() < TICK_SHARE ** 0.5}
    issue = world.tracker.get_issue(plan.number)
    world.learner.update_issue(plan.number, body=keys.tick(issue.body, chosen))


@pytest.mark.slow
@pytest.mark.parametrize("path", ROADMAPS)
def test_four_weeks_of_each_roadmap(path: str, tmp_path: Path) -> None:
    plan = load_roadmap(REPO / path, today=DEFAULT_START)
    rng = random.Random(28)
    reasons: dict[str, int] = {}
    asked: list[str | None] = []
    with harness("local", tmp_path) as world:
        sync(plan, world.tracker)
        for offset in range(DAYS):
            day = plan.schedule.start + dt.timedelta(days=offset)
            world.tracker.clock.now = at(plan, day, 8)  # type: ignore[attr-defined]
            reconcile(plan, world.tracker)
            before = state_of(world)
            opened = open_daily_plan(plan, world.tracker, at(plan, day, 8)).opened
            if opened is None:
                asked.append(None)
                continue
            block = keys.parse(opened.body).block  # type: ignore[union-attr]
            reason = check_plan(plan, block, before, day, dashboard_streak(plan, world, day))
            if reason:
                reasons[reason] = reasons.get(reason, 0) + 1
            asked.append(next((i for i in keys.boxes(block) if i.startswith("q:")), None))
            if offset not in SKIPPED:
                for hour in (13, 21):
                    world.tracker.clock.now = at(plan, day, hour)  # type: ignore[attr-defined]
                    learner_ticks(world, day, rng)
                    reconcile(plan, world.tracker)
            open_retro(plan, world.tracker, at(plan, day, 22))
    assert all(a is None or a != b for a, b in zip(asked, asked[1:], strict=False)), asked
    # Off the budget only for want of ready work (or of work outside the weekly time), through
    # the learner's own fixed items, or
    # for a phone's length of small steps (a plan ticked off then gets its next steps).
    assert set(reasons) <= {"done", "blocked", "tracks", "weekly", "fixed", "limit"}, reasons
