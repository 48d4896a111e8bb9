"""Laying stages out in time when the pace changes: pure, on `StageSpec`s."""

from __future__ import annotations

import datetime as dt

from tracker.model import Duration, Pace, PaceSwitch
from tracker.roadmap.timeline import StageSpec, lay_out, length_days, paced_end

D = dt.date
FULL = Pace("full", "Full", durations={"a": Duration(10, "day"), "b": Duration(2, "week")})
PART = Pace("part", "Part", durations={"a": Duration(20, "day"), "b": Duration(4, "week")})
SPECS = [StageSpec("a", ("stages", 0)), StageSpec("b", ("stages", 1))]


def test_months_last_as_long_as_the_calendar_says() -> None:
    assert length_days(D(2026, 1, 31), Duration(1, "month")) == 28  # to 28 February
    assert length_days(D(2026, 3, 1), Duration(1, "month")) == 31
    assert length_days(D(2026, 3, 1), Duration(2, "week")) == 14


def test_a_switch_before_a_stage_begins_gives_it_the_new_length_whole() -> None:
    plan = [PaceSwitch("full", D(2026, 1, 1)), PaceSwitch("part", D(2026, 1, 11))]
    dates, problems = lay_out(SPECS, D(2026, 1, 1), [FULL, PART], plan)
    assert problems == []
    assert dates == [(D(2026, 1, 1), D(2026, 1, 10)), (D(2026, 1, 11), D(2026, 2, 7))]


def test_two_switches_inside_one_stage_keep_what_is_done_at_each_pace() -> None:
    lengths = {"full": Duration(10, "day"), "part": Duration(20, "day")}
    plan = [PaceSwitch("full", D(2026, 1, 1)), PaceSwitch("part", D(2026, 1, 3)),
            PaceSwitch("full", D(2026, 1, 7))]
    # 2 of 10 days at full pace (20 %), then 4 of 20 at part pace (20 %): 60 % is left,
    # 6 days at full pace from the 7th.
    assert paced_end(D(2026, 1, 1), lengths, plan) == D(2026, 1, 12)


def test_switching_back_and_forth_on_the_same_lengths_changes_nothing() -> None:
    same = {"full": Duration(10, "day"), "part": Duration(10, "day")}
    plan = [PaceSwitch("full", D(2026, 1, 1)), PaceSwitch("part", D(2026, 1, 4))]
    assert paced_end(D(2026, 1, 1), same, plan) == D(2026, 1, 10)


def test_a_fixed_due_date_and_a_due_before_the_start_are_kept_and_reported() -> None:
    specs = [StageSpec("a", ("stages", 0), length=Duration(5, "day")),
             StageSpec("b", ("stages", 1), due=D(2026, 1, 3))]
    dates, problems = lay_out(specs, D(2026, 1, 1), [], [])
    assert dates == [(D(2026, 1, 1), D(2026, 1, 5)), None]
    assert [p.message for p in problems] == [
        "due 2026-01-03 is before the previous stage's end (2026-01-06): move due later or "
        "start earlier"]


def test_a_decision_s_stages_each_follow_their_own_line() -> None:
    decided = D(2026, 2, 28)
    specs = [StageSpec("now", ("stages", 0), length=Duration(1, "week")),
             StageSpec("job", ("stages", 1), length=Duration(1, "week"),
                       line=("decide", "job"), follows=decided),
             StageSpec("grad", ("stages", 2), length=Duration(2, "week"),
                       line=("decide", "grad"), follows=decided),
             StageSpec("job-2", ("stages", 3), length=Duration(1, "week"),
                       line=("decide", "job"), follows=decided),
             StageSpec("later", ("stages", 4), length=Duration(1, "day"))]
    dates, _ = lay_out(specs, D(2026, 1, 1), [], [])
    assert dates == [(D(2026, 1, 1), D(2026, 1, 7)), (D(2026, 3, 1), D(2026, 3, 7)),
                     (D(2026, 3, 1), D(2026, 3, 14)), (D(2026, 3, 8), D(2026, 3, 14)),
                     (D(2026, 1, 8), D(2026, 1, 8))]
