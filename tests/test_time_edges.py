"""Time at the edges: a learner who moves time zone, and a plan that has run out of time."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tracker import keys
from tracker.daily import open_daily_plan
from tracker.retro import open_retro
from tracker.state import read_state
from tracker.store.base import trusted_authors
from tracker.sync import sync

from conftest import REPO
from sync_harness import Harness, harness
from test_daily import at, roadmap


@pytest.fixture(params=["local", "github"])
def world(request: pytest.FixtureRequest, tmp_path: Path):
    with harness(request.param, tmp_path) as h:
        yield h


def plans(world: Harness) -> dict[dt.date, int]:
    state = read_state(world.tracker.list_issues(), trusted_authors(world.tracker))
    return {day: plan.number for day, plan in state.plans.items()}


def test_moving_from_shanghai_to_new_york_mid_plan_makes_no_duplicate(world: Harness) -> None:
    shanghai, new_york = roadmap("Asia/Shanghai"), roadmap("America/New_York")
    sync(shanghai, world.tracker)
    open_daily_plan(shanghai, world.tracker, at("2026-03-24", "08:00"))
    open_daily_plan(shanghai, world.tracker, at("2026-03-25", "08:00", "Asia/Shanghai"))
    # Landed in New York: it is still the evening of the 24th there, whose plan exists.
    report = open_daily_plan(new_york, world.tracker, at("2026-03-24", "20:00", "America/New_York"))
    assert report.opened is None
    # Its morning of the 25th: that plan exists too (opened in Shanghai).
    report = open_daily_plan(new_york, world.tracker, at("2026-03-25", "09:00", "America/New_York"))
    assert report.opened is None
    report = open_daily_plan(new_york, world.tracker, at("2026-03-26", "07:30", "America/New_York"))
    assert report.opened is not None
    assert sorted(plans(world)) == [dt.date(2026, 3, 24), dt.date(2026, 3, 25),
                                    dt.date(2026, 3, 26)]


@pytest.mark.parametrize("tz", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_a_day_at_either_end_of_the_clock(world: Harness, tz: str) -> None:
    """UTC+14 and UTC-12 see the same UTC moment on different dates; each gets its own day."""
    plan = roadmap(tz)
    sync(plan, world.tracker)
    moment = dt.datetime(2026, 3, 25, 19, 30, tzinfo=dt.UTC)  # 09:30 on the 26th; 07:30 on the 25th
    report = open_daily_plan(plan, world.tracker, moment)
    local = moment.astimezone(plan.learner.tz).date()
    assert local == (dt.date(2026, 3, 26) if tz == "Pacific/Kiritimati" else dt.date(2026, 3, 25))
    assert report.opened is not None and keys.parse(report.opened.body).key.id == local.isoformat()


def test_a_roadmap_whose_stages_are_all_overdue_still_plans_the_next_steps(
        world: Harness) -> None:
    plan = roadmap()
    sync(plan, world.tracker)
    late = at("2026-05-04", "08:00")  # the only stage was due on 5 April
    report = open_daily_plan(plan, world.tracker, late)
    block = keys.parse(report.opened.body).block
    assert "Foundations · 29 days overdue" in block
    assert "<!-- item:t:peft:s1 -->" in block  # the work goes on where it stands
    retro = open_retro(plan, world.tracker, at("2026-05-10", "21:00"))
    assert "🟠 behind · Foundations" in keys.parse(retro.opened.body).block


@pytest.mark.parametrize(("day", "line", "gap"), [
    ("2026-04-04", "Foundations · 1 day left (due 5 Apr)", "1 day since the last plan"),
    ("2026-04-06", "Foundations · 1 day overdue", "1 day since the last plan"),
    ("2026-04-07", "Foundations · 2 days overdue", "2 days since the last plan"),
])
def test_a_single_day_is_said_in_the_singular(world: Harness, day: str, line: str,
                                               gap: str) -> None:
    # Seen at 390 px in English: "1 days left (due 3 Dec)".
    plan = roadmap()
    sync(plan, world.tracker)
    before = dt.date.fromisoformat(day) - dt.timedelta(days=2 if gap.startswith("1 ") else 3)
    open_daily_plan(plan, world.tracker, at(before.isoformat(), "08:00"))
    report = open_daily_plan(plan, world.tracker, at(day, "08:00"))
    block = keys.parse(report.opened.body).block
    assert line in block
    assert gap in block
    assert "day(s)" not in block


def test_english_counts_say_one_in_the_singular() -> None:
    from tracker.render import plural
    assert [plural(n, "commit") for n in (0, 1, 2, -1)] == \
        ["0 commits", "1 commit", "2 commits", "-1 commit"]
    # No English template writes a number straight before a plural noun: it goes through plural.
    bare = re.compile(r"\}\} (days|steps|topics|problems|commits|cards|reviews)\b")
    for template in sorted((REPO / "templates" / "en").glob("*.j2")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            assert not bare.search(line), f"{template.name}:{number}"
