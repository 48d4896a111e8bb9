"""Sixty days of hourly runs, on both stores, with a learner who ticks about 70% of the boxes.

Each hour runs what the scheduled job runs: reconcile, daily, retro. The learner ticks at
random hours, skips some days, and twice the runner is down for two days.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pytest

from tracker import keys
from tracker.daily import open_daily_plan
from tracker.reconcile import reconcile
from tracker.retro import open_retro, week_id
from tracker.roadmap import load_roadmap
from tracker.state import parse_step_item, read_state
from tracker.store.base import trusted_authors
from tracker.store.local import LocalStore
from tracker.sync import sync

from conftest import REPO
from fake_github import FakeGitHub
from sync_harness import Harness, github_store, snapshot

DAYS = 60
START = dt.datetime(2025, 8, 29, 0, 30, tzinfo=dt.UTC)  # 08:30 in Shanghai
OUTAGES = {dt.date(2025, 9, 10), dt.date(2025, 9, 11), dt.date(2025, 10, 2),
           dt.date(2025, 10, 3)}  # no run at all: the cron was dropped
SKIPPED = {dt.date(2025, 9, 6), dt.date(2025, 9, 20), dt.date(2025, 10, 12)}  # no ticks


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def world(backend: str, tmp_path: Path, clock: Clock):
    if backend == "local":
        store = LocalStore(tmp_path / "db", owner="learner", clock=clock)
        return Harness("local", store, store.as_user("learner"), store.as_user("passer-by")), None
    fake = FakeGitHub().start()
    fake.set_time(clock.now)
    return Harness("github", github_store(fake), github_store(fake, "owner"),
                   github_store(fake, "stranger"), fake), fake


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["local", "github"])
def test_sixty_days_of_hourly_runs(backend: str, tmp_path: Path) -> None:
    roadmap = load_roadmap(REPO / "examples/internship-sprint.yml")
    tz = roadmap.learner.tz
    clock = Clock(START)
    h, fake = world(backend, tmp_path, clock)
    rng = random.Random(7)
    try:
        sync(roadmap, h.tracker)
        learner_ticked: set[tuple[int, str]] = set()
        ran: set[dt.date] = set()
        tick_hours = {}
        for offset in range(DAYS):
            day = (START.astimezone(tz) + dt.timedelta(days=offset)).date()
            tick_hours[day] = sorted(rng.sample(range(9, 24), 2))
        for hour in range(DAYS * 24):
            clock.now = START + dt.timedelta(hours=hour)
            if fake:
                fake.set_time(clock.now)
            local = clock.now.astimezone(tz)
            if local.date() not in OUTAGES:
                if local.time() >= roadmap.schedule.day_opens_at:
                    ran.add(local.date())
                listing = h.tracker.list_issues()
                reconcile(roadmap, h.tracker, listing)
                open_daily_plan(roadmap, h.tracker, clock.now)
                open_retro(roadmap, h.tracker, clock.now)
            if local.date() not in SKIPPED and local.hour in tick_hours.get(local.date(), ()):
                learner_ticked |= tick_today(h, local.date(), rng)
        final = h.tracker.list_issues()
        state = read_state(final, trusted_authors(h.tracker))
        snapshot(h.tracker)  # raises on any duplicate row

        # One plan per day the job ran after the morning; none for the outage days.
        assert len(ran) >= DAYS - len(OUTAGES)
        assert set(state.plans) == ran
        # Every plan but today's is closed, each with exactly one score comment.
        last_day = max(state.plans)
        assert [d for d, p in state.plans.items() if p.open] == [last_day]
        for day, plan in state.plans.items():
            if day != last_day:
                comments = h.tracker.list_comments(plan.number)
                assert len(comments) == 1 and "study-tracker:comment score" in comments[0].body

        # One retro per week whose Sunday evening came while the job ran.
        weeks = {week_id(d) for d in ran if d.weekday() == 6}  # the job ran on every Sunday
        assert set(state.retros) == weeks
        assert sum(1 for r in state.retros.values() if r.open) == 1

        # Carried over: whatever a plan left unticked, and is still not done, is in the next,
        # or the next says how many steps wait (they did not fit its hours).
        days = sorted(state.plans)
        for before, after in zip(days, days[1:], strict=False):
            previous, plan = state.plans[before], state.plans[after]
            block = keys.parse(plan.row.issue.body).block
            carried = set(plan.boxes)
            missing = []
            for ident, ticked in previous.boxes.items():
                parsed = parse_step_item(ident) if ident.startswith("t:") else None
                if ticked or parsed is None:
                    continue
                topic = state.topics[parsed[0]]
                if topic.open and parsed[1] not in topic.ticked and ident not in carried:
                    missing.append(ident)
            if missing:
                assert f"上次没做完的还有 {len(missing)} 项留到之后" in block, (before, missing)
            assert "### ↩️ 上次没做完" not in block or any(
                not previous.boxes.get(i, True) for i in carried)

        # Topics are closed exactly when all their boxes are ticked; stages likewise.
        for topic_id, row in state.topics.items():
            complete = set(row.boxes) <= row.ticked
            assert (not row.open) == complete, topic_id
        milestones = {m.number: m for m in h.tracker.list_milestones()}
        for stage in roadmap.stages:
            numbers = {state.topics[t.id].milestone for t in stage.topics}
            all_closed = all(not state.topics[t.id].open for t in stage.topics)
            for number in numbers:
                assert (milestones[number].state == "closed") == all_closed, stage.id

        # Nothing the learner ticked was ever unticked.
        bodies = {i.number: i.body for i in final}
        for number, box in learner_ticked:
            assert re.search(r"- \[x\] .*<!-- item:" + re.escape(box) + " -->", bodies[number])

        # And the learner ticked about 70% of what was planned on the days they studied.
        done = sum(p.score[0] for d, p in state.plans.items() if d not in SKIPPED)
        total = sum(p.score[1] for d, p in state.plans.items() if d not in SKIPPED)
        assert 0.5 < done / total < 0.95
    finally:
        if fake:
            fake.stop()


def tick_today(h: Harness, day: dt.date, rng: random.Random) -> set[tuple[int, str]]:
    """The learner opens today's plan on the phone and ticks some of what is left."""
    trusted = trusted_authors(h.tracker)
    state = read_state(h.learner.list_issues(), trusted)
    plan = state.plans.get(day)
    if plan is None or not plan.open:
        return set()
    left = [i for i, ticked in plan.boxes.items() if not ticked]
    chosen = {i for i in left if rng.random() < 0.55}
    if not chosen:
        return set()
    body = keys.tick(plan.row.issue.body, chosen)
    h.learner.update_issue(plan.number, body=body)
    return {(plan.number, i) for i in chosen}
