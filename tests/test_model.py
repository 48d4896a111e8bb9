"""The compiled roadmap: dates, budgets and counts the daily plan will rely on."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from tracker.roadmap import RoadmapError, parse_roadmap

BASE = """\
version: 1
learner: {name: A, timezone: Europe/Berlin, locale: en}
schedule:
  start: 2026-01-30
  hours: {mon: 4, tue: 4, wed: 4, thu: 4, fri: 4, sat: 4, sun: 2}
  light_days: [sat]
  rest_days: [sun]
"""


def plan(extra: str) -> str:
    return BASE + textwrap.dedent(extra)


def test_stage_dates_follow_from_durations() -> None:
    roadmap = parse_roadmap(plan("""
        stages:
          - {id: a, title: A, days: 3, topics: [{title: T1, steps: [x]}]}
          - {id: b, title: B, weeks: 2, topics: [{title: T2, steps: [x]}]}
          - {id: c, title: C, months: 1, topics: [{title: T3, steps: [x]}]}
          - {id: d, title: D, start: 2026-04-01, due: 2026-04-01, topics: [{title: T4, steps: [x]}]}
        """))
    spans = [(s.id, s.start, s.due) for s in roadmap.stages]
    assert spans == [
        ("a", dt.date(2026, 1, 30), dt.date(2026, 2, 1)),
        ("b", dt.date(2026, 2, 2), dt.date(2026, 2, 15)),
        # One calendar month from 16 February ends on 15 March.
        ("c", dt.date(2026, 2, 16), dt.date(2026, 3, 15)),
        ("d", dt.date(2026, 4, 1), dt.date(2026, 4, 1)),
    ]
    assert roadmap.first_day == dt.date(2026, 1, 30)
    assert roadmap.last_day == dt.date(2026, 4, 1)


def test_month_duration_from_the_31st_ends_in_a_short_month() -> None:
    roadmap = parse_roadmap(plan("""
        stages:
          - {id: a, title: A, start: 2026-01-31, months: 1, topics: [{title: T, steps: [x]}]}
        """))
    assert roadmap.stages[0].due == dt.date(2026, 2, 27)


def test_budget_light_and_rest_days_and_day_estimates() -> None:
    roadmap = parse_roadmap(plan("""
        stages:
          - id: a
            title: A
            days: 7
            topics:
              - {title: Two days, estimate: 2d, steps: [x]}
              - {title: Ninety minutes, estimate: 90m, steps: [x]}
        """))
    schedule = roadmap.schedule
    assert schedule.budget_on(dt.date(2026, 1, 30)) == 4  # Friday
    assert schedule.budget_on(dt.date(2026, 1, 31)) == 2  # Saturday, light: half of 4
    assert schedule.budget_on(dt.date(2026, 2, 1)) == 0  # Sunday, rest
    # A "day" of estimate is the average study day: (5 * 4 + 2) / 6 hours.
    assert schedule.hours_per_day == pytest.approx(22 / 6)
    two_days, ninety = roadmap.topics
    assert two_days.estimate_hours == pytest.approx(44 / 6)
    assert ninety.estimate_hours == 1.5


def test_problems_per_day_phases_and_weekday_exceptions() -> None:
    roadmap = parse_roadmap(plan("""
        tracks:
          - {id: theory, name: Theory}
          - id: algo
            name: Algorithms
            kind: problems
            weekdays: [mon, tue, wed, thu, fri, sat]
            per_day:
              - {from: 2026-01-30, count: 1}
              - {from: 2026-03-01, count: 3, by_weekday: {tue: 2}}
        problems:
          - {id: lc-1, title: Two Sum, url: "https://leetcode.cn/problems/two-sum/"}
        stages:
          - {id: a, title: A, days: 60, topics: [{title: T, steps: [x]}]}
        """))
    algo = roadmap.tracks_by_id["algo"]
    assert algo.count_on(dt.date(2026, 2, 3)) == 1  # a Tuesday before the second phase
    assert algo.count_on(dt.date(2026, 3, 2)) == 3  # Monday
    assert algo.count_on(dt.date(2026, 3, 3)) == 2  # Tuesday exception
    assert algo.count_on(dt.date(2026, 3, 8)) == 0  # Sunday: the track does not run
    assert roadmap.topics[0].track_id == "theory"  # the first topics track is the default


def test_default_ids_come_from_titles_and_stay_stable() -> None:
    text = plan("""
        stages:
          - title: Linux basics
            days: 1
            topics:
              - title: 深度学习原理
                steps: [读第一章, {text: Write the notes}]
        """)
    first, second = parse_roadmap(text), parse_roadmap(text)
    assert first.stages[0].id == "linux-basics"
    topic = first.topics[0]
    assert topic.id == second.topics[0].id
    assert topic.id.isascii() and len(topic.id) == 8
    assert [box.id for box in topic.steps] == [box.id for box in second.topics[0].steps]
    assert topic.steps[1].id == "write-the-notes"


def test_no_tracks_means_one_study_track() -> None:
    roadmap = parse_roadmap(plan("""
        stages:
          - {id: a, title: A, days: 1, topics: [{title: T, steps: [x]}]}
        """))
    assert [t.id for t in roadmap.tracks] == ["study"]
    assert roadmap.topics[0].track_id == "study"


def test_every_problem_is_reported_in_one_go() -> None:
    with pytest.raises(RoadmapError) as caught:
        parse_roadmap(plan("""
            stages:
              - id: a
                title: A
                days: 1
                topics:
                  - {id: x, title: X, steps: [s], depends_on: [y]}
                  - {id: y, title: Y, steps: [s], depends_on: [x], track: nope}
                  - {id: x, title: Again, steps: [s]}
            """))
    messages = [d.message for d in caught.value.diagnostics]
    assert any("dependency cycle x → y → x" in m for m in messages)
    assert any("no track 'nope'" in m for m in messages)
    assert any("topic id 'x' is used twice" in m for m in messages)
    lines = [d.line for d in caught.value.diagnostics]
    assert lines == sorted(lines)


def test_a_topic_too_big_for_a_github_issue_is_refused_with_its_line() -> None:
    steps = "".join(f"              - Step {n} - {'read the chapter carefully ' * 12}\n"
                    for n in range(250))
    with pytest.raises(RoadmapError) as caught:
        parse_roadmap(plan("""
            stages:
              - id: a
                title: A
                days: 1
                topics:
                  - id: huge
                    title: Huge
                    steps:
            """) + steps)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.line == 14  # where the topic starts
    assert "GitHub allows 65,536" in diagnostic.message
    assert "split it into smaller topics" in diagnostic.message


def test_a_colon_in_an_unquoted_step_is_explained() -> None:
    with pytest.raises(RoadmapError) as caught:
        parse_roadmap(plan("""
            stages:
              - id: a
                title: A
                days: 1
                topics:
                  - {id: t, title: T, steps: [ok]}
                  - id: u
                    title: U
                    steps:
                      - 第1步: 读文档
            """))
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.line == 18
    assert "put the whole text in quotes" in diagnostic.message


def test_the_learners_goal_and_commit_emails_are_optional() -> None:
    stages = """\
    stages:
      - {id: s, title: S, days: 7, topics: [{id: t, title: T, steps: [a]}]}
    """
    bare = parse_roadmap(plan(stages))
    assert (bare.learner.goal, bare.learner.emails) == (None, ())
    text = plan(stages).replace(
        "locale: en}", "locale: en, goal: ' ML engineer by 2027 ', "
                       "emails: [ada@example.com, a.l@work.example]}")
    learner = parse_roadmap(text).learner
    assert learner.goal == "ML engineer by 2027"
    assert learner.emails == ("ada@example.com", "a.l@work.example")
