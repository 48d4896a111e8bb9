"""Weekly quotas and sessions over the week's days, and tight and free days (pure)."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from tracker import daily, planner, weekly
from tracker.model import Roadmap
from tracker.roadmap import parse_roadmap
from tracker.state import PlanRecord, StudyState, TopicRow, item_id

D = dt.date
MON = D(2026, 11, 30)  # the plan's first day, a Monday
HEAD = """\
version: 1.1
learner: {name: A, timezone: Asia/Shanghai, locale: en}
schedule:
  start: 2026-11-30
  hours: {mon: 9, tue: 9, wed: 9, thu: 9, fri: 9, sat: 4, sun: 7}
  light_days: [sat]
"""
STAGE = """
stages:
  - id: a
    title: A
    weeks: 4
    topics: [{title: T, steps: [x]}]
"""


def roadmap(tracks: str, stages: str = STAGE) -> Roadmap:
    return parse_roadmap(HEAD + textwrap.dedent(tracks) + textwrap.dedent(stages))


def state(*plans: tuple[dt.date, dict[str, bool]]) -> StudyState:
    records = {day: PlanRecord(day, n + 1, False, boxes, None)  # type: ignore[arg-type]
               for n, (day, boxes) in enumerate(plans)}
    return StudyState(None, {}, records, {})  # type: ignore[arg-type]


def quota(plan: Roadmap, done: StudyState, day: dt.date, track: str = "exam") -> float:
    box = weekly.quota_today(plan, done, track, day)
    return box.hours if box else 0.0


EXAM = """
tracks:
  - {id: study, name: Study}
  - {id: exam, name: Exam, weekdays: [sat, sun], per_week: 6, task: A past paper}
"""


def test_a_weekend_quota_fills_saturday_to_its_budget_and_sunday_with_the_rest() -> None:
    plan = roadmap(EXAM)
    sat, sun = MON + 5 * weekly._DAY, MON + 6 * weekly._DAY
    assert [quota(plan, state(), MON + n * weekly._DAY) for n in range(5)] == [0.0] * 5
    assert quota(plan, state(), sat) == 2.0  # a light day: 4 h × 0.5
    done_saturday = state((sat, {weekly.task_item("exam", 2.0): True}))
    assert quota(plan, done_saturday, sun) == 4.0
    # Saturday's box left unticked: its hours move to Sunday, the next allowed day.
    missed = state((sat, {weekly.task_item("exam", 2.0): False}))
    assert quota(plan, missed, sun) == 6.0
    # Never into the next week: Monday of the next week has no quota, the next weekend
    # starts afresh.
    next_sat = sat + 7 * weekly._DAY
    assert quota(plan, missed, next_sat) == 2.0


def a_week_done(plan: Roadmap, track: str) -> list[float]:
    """The quota's hours each day of the first week, every box ticked the day it came."""
    plans: list[tuple[dt.date, dict[str, bool]]] = []
    hours = []
    for n in range(7):
        day = MON + n * weekly._DAY
        today = quota(plan, state(*plans), day, track)
        hours.append(today)
        plans.append((day, {weekly.task_item(track, today): True} if today else {}))
    return hours


def test_a_quota_on_any_day_goes_in_blocks_spread_over_the_week() -> None:
    plan = roadmap("""
        tracks:
          - {id: study, name: Study}
          - {id: oss, name: Open source, per_week: 3}
        """)
    assert a_week_done(plan, "oss") == [1.5, 0, 0, 1.5, 0, 0, 0]  # Monday and Thursday
    missed_monday = state((MON, {weekly.task_item("oss", 1.5): False}))
    assert quota(plan, missed_monday, MON + weekly._DAY, "oss") == 1.5  # moved to Tuesday
    six = roadmap("""
        tracks:
          - {id: study, name: Study}
          - {id: oss, name: Open source, per_week: 6}
        """)
    assert a_week_done(six, "oss") == [2, 0, 2, 0, 2, 0, 0]


def test_done_counts_the_track_s_steps_ticked_in_the_week_s_plans() -> None:
    plan = roadmap("""
        tracks:
          - {id: study, name: Study}
          - {id: oss, name: Open source, per_week: 3}
        """, """
        stages:
          - id: a
            title: A
            weeks: 4
            topics:
              - {id: t, title: T, steps: [x]}
              - {id: contrib, title: Contribute, track: oss, estimate: 3h, steps: [a, b]}
        """)
    ticked = state((MON, {item_id("t", "contrib", "a"): True}))  # 1.5 h of the quota
    assert weekly.hours_done(plan, "oss", ticked.plans.values()) == 1.5
    assert quota(plan, ticked, MON + 3 * weekly._DAY, "oss") == 1.5
    assert weekly.quota_today(plan, ticked, "oss", MON + weekly._DAY) is None


def test_a_week_begun_mid_way_or_shared_by_two_phases_asks_for_its_part() -> None:
    plan = roadmap("""
        tracks:
          - {id: study, name: Study}
          - id: oss
            name: Open source
            per_week: [{from: 2026-11-30, hours: 3}, {from: 2026-12-10, hours: 7}]
        """)
    assert weekly.week_quota(plan, "oss", MON).low == pytest.approx(3)
    # The week of 7 December: Monday to Wednesday at 3 h a week, Thursday on at 7 h a week.
    assert weekly.week_quota(plan, "oss", MON + 7 * weekly._DAY).low == \
        pytest.approx(3 * 3 / 7 + 4 * 7 / 7)
    late = parse_roadmap(HEAD.replace("start: 2026-11-30", "start: 2026-12-03") + textwrap.dedent(
        """
        tracks:
          - {id: study, name: Study}
          - {id: oss, name: Open source, per_week: 7}
        """) + STAGE)
    assert weekly.week_quota(late, "oss", MON).low == pytest.approx(4)  # Thursday to Sunday


def test_a_range_quota_takes_its_minimum_on_a_tight_day_and_more_on_a_free_one() -> None:
    plan = roadmap(EXAM.replace("per_week: 6", "per_week: 3-4"))
    sat, sun = MON + 5 * weekly._DAY, MON + 6 * weekly._DAY
    assert quota(plan, state(), sat) == 1.5  # light, so tight: half of the minimum
    assert quota(plan, state((sat, {weekly.task_item("exam", 1.5): True})), sun) == 2.5


SESSIONS = """
tracks:
  - {id: theory, name: Theory}
  - id: practice
    name: Practice
    weekdays: [tue, thu, sun]
    sessions: {count: 2-3, hours: 1.5-2}
"""


def session(plan: Roadmap, done: StudyState, day: dt.date) -> float:
    box = weekly.session_today(plan, done, "practice", day)
    return box.hours if box else 0.0


def test_sessions_take_the_first_days_then_a_free_day_up_to_the_maximum() -> None:
    plan = roadmap(SESSIONS)
    tue, thu, sun = (MON + n * weekly._DAY for n in (1, 3, 6))
    assert session(plan, state(), MON) == 0.0
    assert session(plan, state(), tue) == 2.0  # free: the longer session
    two = state((tue, {weekly.task_item("practice", 2): True}),
                (thu, {weekly.task_item("practice", 2): True}))
    assert session(plan, two, sun) == 2.0  # the minimum done; Sunday is free: one more
    three = state(*[(day, {weekly.task_item("practice", 2): True}) for day in (tue, thu, sun)])
    assert weekly.sessions_done(plan, "practice", three.plans.values()) == 3
    missed = state((tue, {weekly.task_item("practice", 2): False}))
    assert session(plan, missed, thu) == 2.0 and session(plan, missed, sun) == 2.0


def test_a_day_with_another_line_s_weekly_time_is_tight_for_the_rest() -> None:
    plan = roadmap(SESSIONS + "  - {id: algo, name: Algo, kind: problems, per_day: 2-3, "
                   "minutes_per_item: 45-75}\nproblems: [{id: p1, title: P1}, {id: p2, "
                   "title: P2}, {id: p3, title: P3}]\n")
    tue, wed, sat = (MON + n * weekly._DAY for n in (1, 2, 5))
    assert weekly.boxed_by_calendar(plan, tue) == {"practice"}
    assert not weekly.is_free(plan, tue)  # the project evening: less of the rest
    assert weekly.is_free(plan, tue, "practice")  # but not for the session itself
    assert weekly.is_free(plan, wed)
    assert not weekly.is_free(plan, sat)  # a light day
    assert planner.minutes_per_problem(plan, tue) == 45
    assert planner.minutes_per_problem(plan, wed) == 75
    assert len(planner.problems_for(plan, tue)) == 2
    assert len(planner.problems_for(plan, wed)) == 3


def test_a_stage_s_weekdays_hold_while_it_is_in_progress() -> None:
    plan = roadmap("""
        tracks:
          - {id: theory, name: Theory, share: 70}
          - {id: practice, name: Practice, share: 30}
        """, """
        stages:
          - id: a
            title: A
            weeks: 1
            tracks: {practice: {weekdays: [tue, thu]}}
            topics: [{title: T, steps: [x]}]
          - id: b
            title: B
            weeks: 1
            topics: [{title: U, steps: [y]}]
        """)
    assert [planner.runs_on(plan, "practice", MON + n * weekly._DAY) for n in range(7)] == [
        False, True, False, True, False, False, False]
    assert all(planner.runs_on(plan, "practice", MON + n * weekly._DAY) for n in range(7, 14))
    budgets = planner.track_budgets(plan, MON, 6, {"theory", "practice"})
    assert budgets == {"theory": 6}


def open_state(plan: Roadmap) -> StudyState:
    """Every topic synced and open, nothing ticked."""
    rows = {t.id: TopicRow(t.id, n + 1, True, frozenset(), tuple(b.id for b in t.checkboxes),
                           None, None, None, True, False)
            for n, t in enumerate(plan.topics)}
    return StudyState(None, rows, {}, {})  # type: ignore[arg-type]


def test_a_day_short_because_the_rest_is_weekly_time_says_so() -> None:
    plan = roadmap("""
        tracks:
          - {id: study, name: Study}
          - {id: oss, name: Open source, per_week: 3}
        """, """
        stages:
          - id: a
            title: A
            weeks: 4
            topics:
              - {id: t, title: T, estimate: 1h, steps: [x]}
              - {id: contrib, title: Contribute, track: oss, estimate: 6h, steps: [a, b, c, d]}
        """)
    day = daily.plan_day(plan, open_state(plan), MON)
    assert [w.box.hours for w in day.weekly] == [1.5]  # Monday's block of the 3 h
    assert day.planned < 0.85 * day.budget
    # Not "the next step is longer than the time left": the open-source steps wait for the
    # days the week gives them.
    assert daily.shortfall(plan, open_state(plan), day) == "weekly"


def weekly_hours_lived(plan: Roadmap, first: dt.date, last: dt.date) -> dict[
        tuple[dt.date, str], dict[dt.date, float]]:
    """Each day's weekly time, by (Monday, track), for a learner who ticks every box of it."""
    state = open_state(plan)
    out: dict[tuple[dt.date, str], dict[dt.date, float]] = {}
    day = first
    while day <= last:
        today = daily.plan_day(plan, state, day)
        boxes: dict[str, bool] = {}
        for w in today.weekly:
            out.setdefault((weekly.monday_of(day), w.box.track_id), {})[day] = w.hours
            items = [p.item() for p in w.pieces] or [weekly.task_item(w.box.track_id, w.hours)]
            boxes.update(dict.fromkeys(items, True))
        state.plans[day] = PlanRecord(day, len(state.plans) + 1, False, boxes, None)  # type: ignore[arg-type]
        day += weekly._DAY
    return out


def test_the_internship_sprint_plans_its_weekly_exam_practice_and_open_source() -> None:
    from pathlib import Path

    from tracker.roadmap import load_roadmap

    plan = load_roadmap(Path(__file__).parent.parent / "examples" / "internship-sprint.yml")
    lived = weekly_hours_lived(plan, D(2025, 9, 29), D(2025, 11, 30))
    phase2 = [D(2025, 9, 29) + n * 7 * weekly._DAY for n in range(4)]  # whole weeks in it
    phase3 = [D(2025, 11, 3) + n * 7 * weekly._DAY for n in range(4)]
    for monday in phase2:
        exam = lived[monday, "exam"]
        # "笔试真题每周投入6个小时", on the weekend: 2 h on the light Saturday, 4 h on Sunday.
        assert set(exam) == {monday + 5 * weekly._DAY, monday + 6 * weekly._DAY}, monday
        assert sum(exam.values()) == pytest.approx(6, abs=0.1), (monday, exam)
        # "开源 每周投入3个小时".
        assert sum(lived[monday, "oss"].values()) == pytest.approx(3, abs=0.1), monday
    for monday in phase3:
        # "笔试题每周怎么滴也要刷够10小时", and open source "6小时左右".
        assert sum(lived[monday, "exam"].values()) == pytest.approx(10, abs=0.1), monday
        assert sum(lived[monday, "oss"].values()) == pytest.approx(6, abs=0.1), monday


def test_the_retro_counts_the_week_s_time_against_the_minimum() -> None:
    from tracker import retro

    plan = roadmap(EXAM.replace("per_week: 6", "per_week: 3-4") + SESSIONS.split("tracks:\n")[1]
                   .replace("theory", "reading").replace("Theory", "Reading"))
    sat, sun = MON + 5 * weekly._DAY, MON + 6 * weekly._DAY
    tue = MON + weekly._DAY
    done = state((tue, {weekly.task_item("practice", 2): True}),
                 (sat, {weekly.task_item("exam", 1.5): True}),
                 (sun, {weekly.task_item("exam", 2): True}))
    rows = retro.weekly_time(plan, done, sun)
    # 3.5 h of a 3-4 h quota: the minimum is met; 1 session of 2-3: one short.
    assert rows == [
        {"track": "Exam", "kind": "quota", "done": "3.5h", "minimum": "3h", "met": True},
        {"track": "Practice", "kind": "session", "done": "1", "minimum": "2", "met": False}]


def test_a_routine_s_minutes_shown_are_those_counted_min_on_tight_days_max_on_free() -> None:
    plan = roadmap(SESSIONS + "routines: [{id: recap, title: Recap, minutes: 10-20}]\n")
    tue, wed = MON + weekly._DAY, MON + 2 * weekly._DAY  # a session day (tight), a free day
    for day, minutes in ((tue, 10), (wed, 20)):
        context = daily.plan_context(plan, open_state(plan), day)
        [recap] = context["routines"]
        assert round(recap["hours"] * 60) == minutes, day
        assert daily.plan_day(plan, open_state(plan), day).hours_of("routines") * 60 == \
            pytest.approx(minutes)


def test_a_week_begun_mid_way_shows_its_hours_rounded() -> None:
    plan = parse_roadmap(HEAD.replace("start: 2026-11-30", "start: 2026-12-01") + textwrap.dedent(
        """
        tracks:
          - {id: study, name: Study}
          - {id: oss, name: Open source, per_week: 3}
        """) + STAGE)
    [oss] = daily.plan_context(plan, open_state(plan), MON + weekly._DAY)["weekly"]
    assert oss["week"] == "2.6"  # Tuesday to Sunday of a 3-hour week: 6/7 of it


def test_sessions_stop_at_the_minimum_on_a_tight_day_and_at_the_maximum_on_a_free_one() -> None:
    # "每周2-3次": Saturday is a light day, so once two are done it takes none; a free Sunday
    # takes a third, and never a fourth.
    plan = roadmap(SESSIONS.replace("[tue, thu, sun]", "[tue, thu, sat, sun]"))
    tue, thu, sat, sun = (MON + n * weekly._DAY for n in (1, 3, 5, 6))
    ticked = {weekly.task_item("practice", 2): True}
    two = state((tue, ticked), (thu, ticked))
    assert session(plan, two, sat) == 0.0
    assert session(plan, two, sun) == 2.0
    three = state((tue, ticked), (thu, ticked), (sat, {weekly.task_item("practice", 1.5): True}))
    assert session(plan, three, sun) == 0.0


def test_a_weekly_quota_skips_a_day_without_hours() -> None:
    # A weekend quota with Sunday off: all of it goes to Saturday, none is lost to Sunday.
    plan = parse_roadmap(HEAD.replace("sun: 7}", "sun: 0}") + textwrap.dedent(
        EXAM.replace("per_week: 6", "per_week: 2")) + textwrap.dedent(STAGE))
    sat, sun = MON + 5 * weekly._DAY, MON + 6 * weekly._DAY
    assert quota(plan, state(), sat) == 2.0
    assert quota(plan, state(), sun) == 0.0
