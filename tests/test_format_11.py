"""Format 1.1: what the seeds say, read into the model with its defaults, and contradictions
reported with the line and the fix."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from tracker.model import Range, Sessions
from tracker.roadmap import RoadmapError, parse_roadmap

HEAD = """\
version: 1.1
learner: {name: A, timezone: Asia/Shanghai, locale: en}
schedule:
  start: 2026-11-30
  hours: {mon: 8, tue: 8, wed: 8, thu: 8, fri: 8, sat: 4, sun: 8}
  light_days: [sat]
"""
ONE_STAGE = """
stages:
  - id: a
    title: A
    weeks: 4
    topics: [{title: T, steps: [x]}]
"""


def roadmap(body: str, head: str = HEAD):
    return parse_roadmap(head + "".join(textwrap.dedent(part) for part in body.split("@@")))


def problems(body: str, head: str = HEAD) -> list[str]:
    with pytest.raises(RoadmapError) as caught:
        roadmap(body, head)
    return [f"{d.line}: {d.message}" for d in caught.value.diagnostics]


def test_ranges_are_read_as_minimum_and_maximum_in_every_numeric_place() -> None:
    plan = roadmap("""
        tracks:
          - {id: study, name: Study}
          - {id: algo, name: Algo, kind: problems, per_day: 2～3, minutes_per_item: 45-60}
        stages:
          - id: a
            title: A
            weeks: 4
            topics: [{title: T, estimate: 1.5-2d, steps: [x]}]
        problems: [{id: p, title: P}]
        routines: [{title: Review, minutes: 10至20}]
        """)
    topic = plan.topics[0]
    day = plan.schedule.hours_per_day  # (8 × 6 + 2) / 7 on average
    assert topic.estimate == Range(1.5 * day, 2 * day)
    assert topic.estimate_hours == 1.5 * day  # what a format-1 reader of the model sees
    algo = plan.tracks_by_id["algo"]
    assert algo.counts_on(dt.date(2026, 12, 1)) == Range(2, 3)
    assert algo.count_on(dt.date(2026, 12, 1)) == 2
    assert (algo.item_minutes, algo.minutes_per_item) == (Range(45, 60), 45)
    assert (plan.routines[0].duration, plan.routines[0].minutes) == (Range(10, 20), 10)


def test_a_range_of_daily_hours_plans_its_minimum_and_keeps_its_maximum() -> None:
    plan = roadmap(ONE_STAGE, head=HEAD.replace(
        "hours: {mon: 8, tue: 8, wed: 8, thu: 8, fri: 8, sat: 4, sun: 8}", "hours: 2-3"))
    monday, saturday = dt.date(2026, 11, 30), dt.date(2026, 12, 5)
    assert plan.schedule.budget_on(monday) == 2
    assert plan.schedule.budget_range_on(monday) == Range(2, 3)
    assert plan.schedule.budget_range_on(saturday) == Range(1, 1.5)  # a light day


def test_a_range_written_backwards_is_reported_with_the_range_turned_round() -> None:
    found = problems("""
        tracks:
          - {id: study, name: Study}
          - {id: algo, name: Algo, kind: problems, per_day: 3-2}
        problems: [{id: p, title: P}]
        @@""" + ONE_STAGE)
    assert found == ["10: the range 3-2 runs backwards: write the minimum first (2-3)"]


def test_a_file_of_format_1_using_what_1_1_added_is_asked_to_say_so() -> None:
    found = problems("""
        tracks:
          - {id: exam, name: Exam, per_week: 6, weekdays: [sat, sun]}
        routines: [{title: Review, minutes: 10-20}]
        @@""" + ONE_STAGE, head=HEAD.replace("version: 1.1", "version: 1"))
    assert found == ["1: this file uses format 1.1 (per_week on line 9, a range on line 10): "
                     "write version: 1.1"]


def test_weekly_quotas_change_from_a_date_and_by_stage() -> None:
    plan = roadmap("""
        tracks:
          - {id: study, name: Study}
          - id: exam
            name: Exam
            weekdays: [sat, sun]
            task: A past paper, then its review
            per_week: [{from: 2026-11-30, hours: 3-4}, {from: 2026-12-14, hours: 6}]
        stages:
          - id: a
            title: A
            weeks: 4
            topics: [{title: T, steps: [x]}]
          - id: b
            title: B
            weeks: 2
            tracks: {exam: {per_week: 10, weekdays: [mon, wed, fri, sat, sun]}}
            topics: [{title: U, steps: [y]}]
        """)
    on = {day: plan.track_on("exam", dt.date.fromisoformat(day))
          for day in ("2026-12-05", "2026-12-19", "2027-01-02")}
    assert on["2026-12-05"].per_week == Range(3, 4)
    assert on["2026-12-05"].weekdays == frozenset({5, 6})
    assert on["2026-12-05"].task == "A past paper, then its review"
    assert on["2026-12-19"].per_week == Range(6, 6)
    assert on["2027-01-02"].per_week == Range(10, 10)  # stage b says so
    assert on["2027-01-02"].weekdays == frozenset({0, 2, 4, 5, 6})


def test_a_stage_gives_a_track_sessions_and_weekdays_that_end_with_the_stage() -> None:
    plan = roadmap("""
        tracks:
          - {id: theory, name: Theory, share: 70}
          - {id: practice, name: Practice, share: 30}
        stages:
          - id: a
            title: A
            weeks: 3
            tracks:
              practice: {sessions: {count: 2-3, hours: 1.5-2}, weekdays: [tue, thu, sun]}
            topics: [{title: T, steps: [x]}]
          - id: b
            title: B
            weeks: 2
            topics: [{title: U, steps: [y]}]
        """)
    during = plan.track_on("practice", dt.date(2026, 12, 1))
    assert during.sessions == Sessions(Range(2, 3), Range(1.5, 2))
    assert during.share is None  # sessions replace the track's share in this stage
    assert during.weekdays == frozenset({1, 3, 6})
    after = plan.track_on("practice", dt.date(2026, 12, 22))
    assert (after.sessions, after.share, after.weekdays) == (None, 30, frozenset(range(7)))
    assert plan.track_on("theory", dt.date(2026, 12, 1)).share == 70


def test_a_stage_can_give_shares_under_tracks_as_well_as_under_shares() -> None:
    plan = roadmap("""
        tracks:
          - {id: theory, name: Theory}
          - {id: practice, name: Practice}
        stages:
          - id: a
            title: A
            weeks: 3
            tracks: {theory: {share: 70}, practice: {share: 30, weekdays: [tue, thu]}}
            topics: [{title: T, steps: [x]}]
        """)
    assert plan.stages[0].shares == {"theory": 70, "practice": 30}


def test_optional_topics_steps_and_routines() -> None:
    plan = roadmap("""
        stages:
          - id: a
            title: A
            weeks: 1
            topics:
              - {title: Reference, optional: true, steps: [skim the index]}
              - {title: T, steps: [read, {text: write a blog post, optional: true}]}
        routines: [{title: MOC, weekdays: [sun], optional: true}, {title: Review}]
        """)
    reference, topic = plan.topics
    assert reference.optional and not topic.optional
    assert [box.optional for box in topic.steps] == [False, True]
    assert [r.optional for r in plan.routines] == [True, False]


def test_paces_set_hours_and_stage_lengths_and_default_to_the_first() -> None:
    body = """
        paces:
          - id: full-time
            hours: 8
            stages: {a: 1 month, b: 2 months}
          - id: part-time
            hours: 2-3
            stages: {a: 2 months, b: 4 months}
        stages:
          - {id: a, title: A, topics: [{title: T, steps: [x]}]}
          - {id: b, title: B, topics: [{title: U, steps: [y]}]}
        """
    full = roadmap(body)
    assert [(s.start, s.due) for s in full.stages] == [
        (dt.date(2026, 11, 30), dt.date(2026, 12, 29)),
        (dt.date(2026, 12, 30), dt.date(2027, 2, 27))]
    part = roadmap("pace: part-time\n" + textwrap.dedent(body))
    assert part.stages[0].due == dt.date(2027, 1, 29)  # two months after the start
    assert part.pace_on(dt.date(2026, 12, 1)).id == "part-time"
    assert part.schedule.budget_range_on(dt.date(2026, 11, 30)) == Range(2, 3)


def test_switching_pace_moves_the_rest_of_the_plan_not_what_is_behind() -> None:
    plan = roadmap("""
        pace:
          - {pace: full-time}
          - {pace: part-time, from: 2026-12-15}
        paces:
          - {id: full-time, hours: 8, stages: {a: 10 days, b: 20 days, c: 10 days}}
          - {id: part-time, hours: 2, stages: {a: 20 days, b: 40 days, c: 20 days}}
        stages:
          - {id: a, title: A, topics: [{title: T, steps: [x]}]}
          - {id: b, title: B, topics: [{title: U, steps: [y]}]}
          - {id: c, title: C, topics: [{title: V, steps: [z]}]}
        """)
    a, b, c = plan.stages
    assert (a.start, a.due) == (dt.date(2026, 11, 30), dt.date(2026, 12, 9))  # done by then
    # b began on 12-10 for 20 days; on 12-15, 5 of them are behind (a quarter): the other
    # three quarters take three quarters of 40 days.
    assert (b.start, b.due) == (dt.date(2026, 12, 10), dt.date(2027, 1, 13))
    assert (c.start, c.due) == (dt.date(2027, 1, 14), dt.date(2027, 2, 2))
    assert plan.schedule.budget_on(dt.date(2026, 12, 14)) == 8
    assert plan.schedule.budget_on(dt.date(2026, 12, 15)) == 2


def test_a_decision_s_stages_start_after_it_each_on_its_own_line() -> None:
    plan = roadmap("""
        stages:
          - {id: now, title: Now, weeks: 2, topics: [{title: T, steps: [x]}]}
          - {id: job, title: Job, weeks: 3, topics: [{title: Apply, steps: [x]}]}
          - {id: job-2, title: Job 2, weeks: 1, topics: [{title: Onboard, steps: [x]}]}
          - {id: grad, title: Grad, weeks: 4, topics: [{title: Study, steps: [x]}]}
        checkpoints:
          - id: decide
            title: Decide
            due: 2027-02-28
            choices:
              - {id: work, text: A big company, stages: [job, job-2]}
              - {id: study, text: No offer, stages: [grad]}
        """)
    stages = plan.stages_by_id
    assert stages["job"].start == stages["grad"].start == dt.date(2027, 3, 1)
    assert stages["job-2"].start == dt.date(2027, 3, 22)
    assert stages["job"].branch == ("decide", "work") and stages["now"].branch is None
    assert [c.id for c in plan.checkpoints[0].choices] == ["work", "study"]


def test_plan_resources_and_projects() -> None:
    plan = roadmap("""
        stages:
          - id: a
            title: A
            weeks: 2
            topics: [{id: t, title: T, steps: [x]}, {id: u, title: U, steps: [y]}]
        resources:
          - {title: Datawhale, url: "https://datawhale.club/", group: Platforms, stages: [a]}
        projects:
          - {id: rag, title: RAG system, goal: A question-answering system, topics: [t, u]}
        """)
    assert plan.resources[0].group == "Platforms" and plan.resources[0].stage_ids == ("a",)
    assert plan.projects[0].topic_ids == ("t", "u")


@pytest.mark.parametrize(("body", "expected"), [
    ("""
     tracks:
       - {id: study, name: Study}
       - {id: exam, name: Exam, per_week: 11, weekdays: [sat, sun]}
     @@""" + ONE_STAGE,
     "10: 11 h a week does not fit its days: they hold 10 h (sat 2 h, sun 8 h); lower the "
     "quota, add weekdays, or raise their hours"),
    ("""
     tracks:
       - {id: study, name: Study}
       - {id: project, name: Project, sessions: {count: 2-3, hours: 2}, weekdays: [tue, thu]}
     @@""" + ONE_STAGE,
     "10: 2–3 sessions a week need 3 study days, at most one a day, but the track's days with "
     "hours are 2 (tue, thu): add weekdays or plan fewer sessions"),
    ("""
     tracks:
       - {id: study, name: Study}
       - {id: project, name: Project, sessions: {count: 2, hours: 3}, weekdays: [sat, sun]}
     @@""" + ONE_STAGE,
     "10: a 3 h session does not fit sat 2 h, sun 8 h: shorten the sessions or raise those "
     "days' hours"),
    ("""
     tracks:
       - {id: study, name: Study}
       - {id: project, name: Project, per_week: 4, share: 30}
     @@""" + ONE_STAGE,
     "10: give the track's time one way: share or per_week, not both; remove one"),
])
def test_weekly_time_that_cannot_fit_its_days(body: str, expected: str) -> None:
    assert expected in problems(body)




def test_a_day_of_estimate_is_a_study_day_at_the_pace_the_plan_starts_with() -> None:
    body = """
        paces:
          - {id: full-time, hours: 8, stages: {a: 1 month}}
          - {id: part-time, hours: 2-3, stages: {a: 2 months}}
        stages:
          - {id: a, title: A, topics: [{title: T, estimate: 10d, steps: [x]}]}
        """
    head = HEAD.replace("  hours: {mon: 8, tue: 8, wed: 8, thu: 8, fri: 8, sat: 4, sun: 8}\n"
                        "  light_days: [sat]\n", "")
    assert roadmap(body, head).topics[0].estimate == Range(80, 80)
    part_time = roadmap("pace: part-time\n" + textwrap.dedent(body), head)
    assert part_time.topics[0].estimate == Range(20, 20)  # ten days of 2 h (the minimum)


def test_a_track_timed_by_its_stages_needs_no_share_beside_tracks_that_have_one() -> None:
    plan = roadmap("""
        tracks:
          - {id: theory, name: Theory, share: 70}
          - {id: practice, name: Practice, share: 30}
          - {id: exam, name: Exam, weekdays: [sat, sun], task: A past paper}
        stages:
          - id: a
            title: A
            weeks: 2
            tracks: {exam: {per_week: 3-4}}
            topics: [{title: T, steps: [x]}]
        """)
    assert plan.track_on("exam", dt.date(2026, 12, 5)).per_week == Range(3, 4)
    assert plan.track_on("exam", dt.date(2026, 12, 5)).share is None


def test_estimates_in_every_unit_and_as_ranges_of_hours() -> None:
    plan = roadmap("""
        stages:
          - id: a
            title: A
            weeks: 1
            topics:
              - {title: A1, estimate: 3, steps: [x]}
              - {title: A2, estimate: 90m, steps: [x]}
              - {title: A3, estimate: 2h, steps: [x]}
              - {title: A4, estimate: 12-16, steps: [x]}
              - {title: A5, estimate: 90-120m, steps: [x]}
              - {title: A6, estimate: 2-2, steps: [x]}
        """)
    assert [t.estimate for t in plan.topics] == [
        Range(3, 3), Range(1.5, 1.5), Range(2, 2), Range(12, 16), Range(1.5, 2), Range(2, 2)]


def test_ranges_written_backwards_anywhere_are_reported_where_they_are() -> None:
    found = problems("""
        stages:
          - id: a
            title: A
            weeks: 1
            topics: [{title: T, estimate: 2-1.5d, steps: [x]}]
        """, head=HEAD.replace("sat: 4, sun: 8}", "sat: 4, sun: 3-2}"))
    assert found == [
        "5: the range 3-2 runs backwards: write the minimum first (2-3)",
        "12: the range 2-1.5d runs backwards: write the minimum first (1.5-2d)"]


def test_hours_per_weekday_may_be_ranges() -> None:
    plan = roadmap(ONE_STAGE, head=HEAD.replace("mon: 8,", "mon: 2-3,"))
    assert plan.schedule.budget_range_on(dt.date(2026, 11, 30)) == Range(2, 3)
    assert plan.schedule.budget_range_on(dt.date(2026, 12, 1)) == Range(8, 8)


def test_hours_that_are_no_number_are_the_schema_s_to_report() -> None:
    found = problems(ONE_STAGE, head=HEAD.replace(
        "hours: {mon: 8, tue: 8, wed: 8, thu: 8, fri: 8, sat: 4, sun: 8}", "hours: lots"))
    assert found == ["5: 'lots' is not a number or a range: write e.g. 1.5, or the minimum and "
                     "the maximum, e.g. 1.5-2"]


def test_a_stage_may_last_one_day_and_a_decision_s_stage_must_start_after_it() -> None:
    body = """
        stages:
          - {id: now, title: Now, start: 2026-12-01, due: 2026-12-01,
             topics: [{title: T, steps: [x]}]}
          - {id: job, title: Job, start: 2027-02-28, weeks: 1, topics: [{title: U, steps: [y]}]}
        checkpoints:
          - id: decide
            title: Decide
            due: 2027-02-28
            choices: [{id: job, text: Work, stages: [job]}, {id: stay, text: Stay}]
        """
    assert problems(body) == [
        "11: stage 'job' follows a decision due 2027-02-28: start it after that day"]


def test_a_pace_that_does_not_list_a_stage_leaves_it_its_own_length() -> None:
    plan = roadmap("""
        pace: part-time
        paces:
          - {id: full-time, stages: {a: 1 month}}
          - {id: part-time, stages: {a: 2 months}}
        stages:
          - {id: a, title: A, topics: [{title: T, steps: [x]}]}
          - {id: b, title: B, weeks: 2, topics: [{title: U, steps: [y]}]}
        """)
    assert [(s.start, s.due) for s in plan.stages] == [
        (dt.date(2026, 11, 30), dt.date(2027, 1, 29)), (dt.date(2027, 1, 30), dt.date(2027, 2, 12))]


def test_switching_pace_inside_a_stage_of_months_and_rounding_up_what_is_left() -> None:
    plan = roadmap("""
        pace:
          - {pace: fast}
          - {pace: slow, from: 2026-12-01}
        paces:
          - {id: fast, stages: {a: 3 days, b: 1 month}}
          - {id: slow, stages: {a: 20 days, b: 2 months}}
        stages:
          - {id: a, title: A, topics: [{title: T, steps: [x]}]}
          - {id: b, title: B, topics: [{title: U, steps: [y]}]}
        """)
    a, b = plan.stages
    # One day of three at the fast pace; two thirds of 20 days is 13.3, so 14 days more.
    assert (a.start, a.due) == (dt.date(2026, 11, 30), dt.date(2026, 12, 14))
    assert (b.start, b.due) == (dt.date(2026, 12, 15), dt.date(2027, 2, 14))


def test_a_first_pace_given_a_later_day_holds_from_the_start() -> None:
    plan = roadmap("""
        pace: [{pace: slow, from: 2026-12-07}]
        paces:
          - {id: fast, stages: {a: 1 week}}
          - {id: slow, stages: {a: 2 weeks}}
        stages:
          - {id: a, title: A, topics: [{title: T, steps: [x]}]}
        """)
    assert plan.stages[0].due == dt.date(2026, 12, 13)
    assert plan.pace_on(dt.date(2026, 11, 30)).id == "slow"
