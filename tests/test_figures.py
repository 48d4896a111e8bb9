"""Dashboard figures on a known history, checked by hand."""

from __future__ import annotations

import datetime as dt

from tracker import figures
from tracker.ledger import Ledger, PlanFact, RetroFact, TopicFact
from tracker.streak import current_streak, longest_streak

from test_daily import roadmap

D = dt.date


def ledger() -> Ledger:
    """A week: peft done (4 boxes), rl half (1 of 2), rag untouched; five plans."""
    return Ledger(
        topics={"peft": TopicFact(1, False, True, "2026-03-26", 4, 4),
                "rl": TopicFact(2, True, False, None, 1, 2),
                "rag": TopicFact(3, True, False, None, 0, 2)},
        plans={"2026-03-23": PlanFact(4, 4, 5, 1, 2),  # 80%: studied
               "2026-03-24": PlanFact(5, 2, 5, 1, 1),  # 40%: not studied
               "2026-03-25": PlanFact(6, 3, 6, 2, 1),  # 50%: studied (the threshold)
               "2026-03-26": PlanFact(7, 6, 6, 1, 2),  # 100%
               "2026-03-28": PlanFact(8, 0, 4, 0, 0)},  # Saturday, nothing ticked
        retros={"2026-W13": RetroFact(9, "Week 13 retro")},
    )


def test_every_figure_on_a_known_week() -> None:
    plan = roadmap()
    commits = {D(2026, 3, 24): 2, D(2026, 3, 27): 1}
    data = figures.compute(plan, ledger(), commits, D(2026, 3, 28))
    assert data["progress"] == {"steps_done": 5, "steps_planned": 8, "percent": 62,
                                "topics_done": 1, "topics_planned": 3}
    # Hours: peft 6h over 4 boxes, rl 4h over 2, rag 3h over 2; done = 6 + 2.
    assert data["hours"] == {"estimated": 13.0, "done": 8.0, "percent": 61}
    # Study days: 23 (80%), 24 (commits), 25 (50%), 26 (100%), 27 (a commit); 28 not yet.
    assert data["streak"] == {"current": 5, "longest": 5, "days_studied": 5}
    assert data["problems_done"] == 6
    assert data["commits"] == 3
    assert data["latest_retro"] == {"week": "2026-W13", "title": "Week 13 retro", "number": 9}
    assert data["recent"] == [{"closed_on": "2026-03-26", "title": "PEFT and LoRA",
                               "number": 1}]
    [stage] = data["stages"]
    # 5 of 8 done after 5 of 14 days: the plan's line stands at 8 * 5/14 = 2.9, and a step
    # more than that is ahead.
    assert (stage["done"], stage["total"], stage["percent"], stage["status"]) == (5, 8, 62,
                                                                                   "ahead")
    # Pace: 5 steps over the 6 days since the start: 3 to go at 0.83 a day is 4 days, today
    # the first of them.
    assert stage["projected"] == "2026-03-31"
    # The plan began this week: no empty weeks from before it.
    assert data["weeks"] == [{"monday": "2026-03-23", "done": 15, "total": 26}]


def test_the_weeks_start_at_the_plans_start_and_keep_the_last_twelve() -> None:
    plan = roadmap()
    weeks = figures.compute(plan, ledger(), {}, D(2026, 4, 8))["weeks"]
    assert [w["monday"] for w in weeks] == ["2026-03-23", "2026-03-30", "2026-04-06"]
    later = figures.compute(plan, ledger(), {}, D(2026, 7, 1))["weeks"]
    assert len(later) == 12 and later[-1]["monday"] == "2026-06-29"
    assert figures.compute(plan, ledger(), {}, D(2026, 3, 20))["weeks"] == []


def test_a_stage_behind_schedule_and_one_not_started() -> None:
    plan = roadmap()
    slow = Ledger(topics={"peft": TopicFact(1, True, False, None, 1, 4)},
                  plans={"2026-03-23": PlanFact(2, 1, 5, 1, 0)})
    [stage] = figures.compute(plan, slow, {}, D(2026, 4, 2))["stages"]
    # 1 of 8 after 11 of 14 days; 1 step in the last 11 days: 7 more take 77 days, today
    # the first of them.
    assert stage["status"] == "behind"
    assert stage["projected"] == "2026-06-17"
    # A step done before the stage's start is ahead of it, never "not started".
    [early] = figures.compute(plan, slow, {}, D(2026, 3, 20))["stages"]
    assert early["status"] == "ahead"
    [untouched] = figures.compute(plan, Ledger(), {}, D(2026, 3, 20))["stages"]
    assert untouched["status"] == "not_started"


def test_streaks_skip_rest_days_and_wait_for_today() -> None:
    days = {D(2026, 3, 20), D(2026, 3, 21), D(2026, 3, 23), D(2026, 3, 24)}
    sundays = frozenset({6})
    # Sunday the 22nd is a rest day: the run goes on across it.
    assert current_streak(days, sundays, D(2026, 3, 24)) == 4
    # Today (the 25th) is not over yet: the streak still stands.
    assert current_streak(days, sundays, D(2026, 3, 25)) == 4
    # A missed working day breaks it.
    assert current_streak(days, sundays, D(2026, 3, 26)) == 0
    assert current_streak(days, frozenset(), D(2026, 3, 24)) == 2
    assert longest_streak(days, sundays) == 4
    assert longest_streak(days, frozenset()) == 2
    assert longest_streak(set(), sundays) == 0


def test_days_are_the_learners_local_days(tmp_path) -> None:
    """A topic closed just after midnight local, and on a daylight-saving day, counts then."""
    from tracker.store.base import trusted_authors
    from tracker.sync import sync

    from sync_harness import harness

    plan = roadmap("Europe/Berlin")
    with harness("local", tmp_path) as world:
        sync(plan, world.tracker)
        issue = world.issue("topic", "peft")
        # 23:30 UTC on the 28th is 00:30 on the 29th in Berlin (still CET, UTC+1).
        world.tracker.clock.now = dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC)  # type: ignore
        world.tracker.update_issue(issue.number, state="closed", state_reason="completed")
        rl = world.issue("topic", "rl")
        # 22:30 UTC on the 29th is 00:30 on the 30th in Berlin, now CEST (UTC+2).
        world.tracker.clock.now = dt.datetime(2026, 3, 29, 22, 30, tzinfo=dt.UTC)  # type: ignore
        world.tracker.update_issue(rl.number, state="closed", state_reason="completed")
        book = Ledger()
        book.update(world.tracker.list_issues(), trusted_authors(world.tracker), plan.learner.tz)
    assert book.topics["peft"].closed_on == "2026-03-29"
    assert book.topics["rl"].closed_on == "2026-03-30"


def test_activity_levels() -> None:
    book = ledger()
    studied = figures.study_days(book, {D(2026, 3, 27): 4})
    levels = figures.activity_levels(book, {D(2026, 3, 27): 4}, studied)
    assert levels == {D(2026, 3, 23): 3, D(2026, 3, 24): 1, D(2026, 3, 25): 2,
                      D(2026, 3, 26): 4, D(2026, 3, 27): 3}


def test_the_dashboard_and_the_daily_plan_count_the_same_study_days(tmp_path) -> None:
    """One rule: the page's study days (from the ledger) are the daily plan header's (from the
    study state), on the same history."""
    from test_dashboard import lived

    from tracker import streak
    from tracker.state import read_state
    from tracker.store.base import trusted_authors

    from sync_harness import harness

    with harness("local", tmp_path) as world:
        lived(world, 20)
        issues = world.tracker.list_issues()
        trusted = trusted_authors(world.tracker)
        book = Ledger()
        book.update(issues, trusted, roadmap().learner.tz)
        state = read_state(issues, trusted)
    commits = {D(2026, 3, 25): 1}
    assert figures.study_days(book, commits) == streak.study_days(state.plans.values(), commits)
    assert len(figures.study_days(book, {})) >= 5  # a history with study days in it


def test_heatmap_levels_at_their_edges() -> None:
    book = Ledger(plans={"2026-03-02": PlanFact(1, 3, 4, 3, 0),  # exactly three quarters
                         "2026-03-03": PlanFact(2, 0, 0, 0, 0),  # a plan with no boxes
                         "2026-03-04": PlanFact(3, 4, 4, 4, 0)})  # the whole plan
    commits = {D(2026, 3, 4): 1, D(2026, 3, 5): 1, D(2026, 3, 6): 3, D(2026, 3, 7): 2,
               D(2026, 3, 8): 0}
    levels = figures.activity_levels(book, commits, figures.study_days(book, commits))
    # A commit never lowers a day; one or two commits are a study day, three a strong one;
    # an empty plan and a day of no commits are no activity.
    assert levels == {D(2026, 3, 2): 3, D(2026, 3, 4): 4, D(2026, 3, 5): 2,
                      D(2026, 3, 6): 3, D(2026, 3, 7): 2}


MIDWEEK = """\
version: 1
learner: {name: Ada, timezone: Europe/Berlin, locale: en}
schedule: {start: 2026-03-04, hours: 3}
stages:
  - id: one
    title: Python
    start: 2026-03-04
    due: 2026-03-31
    topics:
      - {id: a, title: A, estimate: 50m, steps: [a, b, c]}
      - {id: b, title: B, estimate: 2h, steps: [a, b]}
      - {id: c, title: C, estimate: 1h, steps: [a]}
      - {id: d, title: D, estimate: 1h, steps: [a]}
      - {id: e, title: E, estimate: 1h, steps: [a]}
      - {id: f, title: F, estimate: 1h, steps: [a]}
      - {id: g, title: G, estimate: 1h, steps: [a]}
"""


def test_a_plan_begun_midweek_its_weeks_hours_and_latest_finishes() -> None:
    from tracker.roadmap import parse_roadmap

    closed = {ident: TopicFact(n, False, True, f"2026-03-0{n + 3}", boxes, boxes)
              for n, (ident, boxes) in enumerate((("b", 2), ("c", 1), ("d", 1), ("e", 1),
                                                  ("f", 1), ("g", 1)), start=1)}
    book = Ledger(topics={"a": TopicFact(9, True, False, None, 1, 3), **closed},
                  plans={"2026-03-04": PlanFact(10, 2, 4, 2, 0),  # Wednesday, day 1
                         "2026-03-09": PlanFact(11, 3, 3, 3, 0)})  # the next Monday
    data = figures.compute(parse_roadmap(MIDWEEK), book, {}, D(2026, 3, 10))
    # The week the plan began in is shown from its Monday; each week holds its own 7 days.
    assert data["weeks"] == [{"monday": "2026-03-02", "done": 2, "total": 4},
                             {"monday": "2026-03-09", "done": 3, "total": 3}]
    # 50 min over three steps is 0.28 h a step: 7.83 h planned, 7.28 h done, to a tenth.
    assert data["hours"] == {"estimated": 7.8, "done": 7.3, "percent": 92}
    # The five latest finishes, newest first: B, closed first, no longer shown.
    assert [r["title"] for r in data["recent"]] == ["G", "F", "E", "D", "C"]
