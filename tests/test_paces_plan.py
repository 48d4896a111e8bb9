"""Seed 001's two paces, planned: full-time "每天 8 小时" and part-time "每天 2-3 小时"."""

from __future__ import annotations

import datetime as dt

from tracker import daily
from tracker.roadmap import parse_roadmap

from conftest import REPO
from test_weekly import open_state

D = dt.date
TEXT = (REPO / "examples" / "ai-engineer.yml").read_text(encoding="utf-8")


def test_part_time_ends_stage_0_two_months_after_the_start_and_plans_2_to_3_hours() -> None:
    full = parse_roadmap(TEXT)
    part = parse_roadmap(TEXT.replace("pace: full-time", "pace: part-time", 1))
    assert full.stages[0].start == part.stages[0].start == D(2026, 11, 30)
    assert full.stages[0].due == D(2026, 12, 29)
    assert part.stages[0].due == D(2027, 1, 29)  # "2 个月"
    assert part.stages[1].start == D(2027, 1, 30)
    day = D(2026, 12, 1)
    assert daily.plan_day(full, open_state(full), day).budget == 8
    assert daily.plan_day(part, open_state(part), day).budget == 3  # a free day: the most


def test_switching_to_part_time_mid_plan_moves_only_the_stages_not_finished() -> None:
    full = parse_roadmap(TEXT)
    switched = parse_roadmap(TEXT.replace(
        "pace: full-time", "pace: [{pace: full-time}, {pace: part-time, from: 2027-01-15}]", 1))
    assert switched.stages[0] == full.stages[0]  # finished on 29 December: as it was
    # Stage 1 began on 30 December at full time (2 months); from 15 January part time gives
    # what is left of it twice the length.
    assert switched.stages[1].start == full.stages[1].start
    assert switched.stages[1].due > full.stages[1].due
    assert daily.plan_day(switched, open_state(switched), D(2027, 1, 14)).budget == 8
    assert daily.plan_day(switched, open_state(switched), D(2027, 1, 19)).budget == 3
