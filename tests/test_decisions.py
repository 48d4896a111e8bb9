"""Decision checkpoints (seed 002's "大厂或明星独角兽 / 中厂 / 纯粹无offer"): the choices are boxes;
until one is ticked no branch is planned; then the chosen branch's stages are the plan and the
others' topics are closed as not planned."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from tracker import daily, figures, keys, planner
from tracker.ledger import Ledger
from tracker.reconcile import reconcile
from tracker.state import read_state
from tracker.store.base import trusted_authors
from tracker.sync import sync

from sync_harness import Harness, harness
from test_format_11 import roadmap

PLAN = """
stages:
  - id: sprint
    title: Sprint
    weeks: 1
    topics: [{id: cv, title: CV, estimate: 1h, steps: [write]}]
  - id: job
    title: Work
    ongoing: true
    topics: [{id: intern, title: Summer internship, steps: [apply]}]
  - id: study
    title: Graduate exam
    ongoing: true
    topics: [{id: exam, title: Graduate exam, steps: [enrol]}]
checkpoints:
  - id: offer
    title: Offers in
    due: 2026-12-06
    choices:
      - {id: big, text: A big company's offer, stages: [job]}
      - {id: none, text: No offer, stages: [study]}
"""
DUE = dt.date(2026, 12, 6)


def morning(plan, world: Harness, day: dt.date):  # type: ignore[no-untyped-def]
    now = dt.datetime.combine(day, dt.time(8), tzinfo=plan.learner.tz)
    world.tracker.clock.now = now  # type: ignore[attr-defined]
    reconcile(plan, world.tracker)
    return daily.open_daily_plan(plan, world.tracker, now).opened


def state_of(world: Harness):  # type: ignore[no-untyped-def]
    return read_state(world.tracker.list_issues(), trusted_authors(world.tracker))


def test_no_branch_is_planned_before_the_choice_and_only_the_chosen_one_after(
        tmp_path: Path) -> None:
    plan = roadmap(PLAN)
    with harness("local", tmp_path) as world:
        sync(plan, world.tracker)
        cv = world.issue("topic", "cv")
        world.learner.update_issue(cv.number, body=keys.tick(cv.body, {"write"}))
        # The decision is asked on its day and every day after until a choice is ticked;
        # meanwhile neither branch is planned.
        for day in (DUE, DUE + dt.timedelta(days=1)):
            issue = morning(plan, world, day)
            assert issue is not None
            boxes = keys.boxes(keys.parse(issue.body).block)
            assert "c:offer:big" in boxes and "c:offer:none" in boxes, day
            assert not any(b.startswith("t:") for b in boxes), day
        assert planner.chosen_branches(plan, state_of(world)) == {}
        # An unticked choice does not lower the day's score.
        state = state_of(world)
        assert state.plans[DUE].score[1] == len(state.plans[DUE].scored)
        assert "c:offer:big" not in state.plans[DUE].scored
        world.learner.update_issue(issue.number, body=keys.tick(issue.body, {"c:offer:big"}))
        nxt = morning(plan, world, DUE + dt.timedelta(days=2))
        assert nxt is not None
        boxes = keys.boxes(keys.parse(nxt.body).block)
        assert "t:intern:apply" in boxes and "t:exam:enrol" not in boxes
        assert not any(b.startswith("c:offer") for b in boxes)  # decided: not asked again
        assert planner.chosen_branches(plan, state_of(world)) == {"offer": "big"}
        # The branch not taken is closed as not planned, once.
        exam = world.issue("topic", "exam")
        assert (exam.state, exam.state_reason) == ("closed", "not_planned")
        assert world.issue("topic", "intern").state == "open"
        milestones = {m.title: m.state for m in world.tracker.list_milestones()}
        assert milestones["Graduate exam"] == "closed" and milestones["Work"] == "open"
        world.reset_counts()
        again = reconcile(plan, world.tracker)
        assert world.writes() == 0, again.lines
        # The dashboard and the retro no longer list the way not taken.
        ledger = Ledger()
        ledger.update(world.tracker.list_issues(), trusted_authors(world.tracker),
                      plan.learner.tz)
        listed = figures.compute(plan, ledger, {}, DUE + dt.timedelta(days=2))["stages"]
        assert [s["id"] for s in listed] == ["sprint", "job"]
        # The learner wants that topic after all and reopens it: it stays open.
        world.learner.update_issue(exam.number, state="open")
        reconcile(plan, world.tracker)
        assert world.issue("topic", "exam").state == "open"


def test_a_day_short_because_the_rest_waits_on_the_decision_says_so() -> None:
    plan = roadmap(PLAN)
    from test_weekly import open_state

    state = open_state(plan)
    state.topics["cv"] = replace(state.topics["cv"], open=False)  # the sprint is done
    day = daily.plan_day(plan, state, DUE)
    assert not day.pieces() and [c.id for c in day.checkpoints] == ["offer"]
    assert daily.shortfall(plan, state, day) == "decision"


def test_before_the_decision_s_day_a_plan_with_its_topics_done_says_done() -> None:
    plan = roadmap(PLAN)
    from test_weekly import open_state

    state = open_state(plan)
    state.topics["cv"] = replace(state.topics["cv"], open=False)
    day = daily.plan_day(plan, state, DUE - dt.timedelta(days=2))
    assert not day.checkpoints  # the decision is not asked before its day
    assert daily.shortfall(plan, state, day) == "done"
