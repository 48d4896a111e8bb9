"""Open-ended stages ("阶段 5：高级专题（持续学习）"): no due date, never behind, left out of the
projected finish, shown as ongoing wherever a due date would be."""

from __future__ import annotations

import datetime as dt

from tracker import daily, figures, keys, sync
from tracker.ledger import Ledger, PlanFact, TopicFact
from tracker.reconcile import reconcile
from tracker.retro import open_retro
from tracker.rows import Rows
from tracker.summary import summarize

from sync_harness import harness
from test_format_11 import roadmap

D = dt.date
TWO_STAGES = """
stages:
  - id: basics
    title: Basics
    weeks: 2
    topics: [{id: py, title: Python, steps: [a, b, c, d]}]
  - id: advanced
    title: Advanced (ongoing)
    ongoing: true
    topics: [{id: mm, title: Multimodal, steps: [e, f, g, h]}]
"""
THEN_JOBS = TWO_STAGES + """\
  - id: jobs
    title: Jobs
    start: 2027-01-11
    weeks: 4
    topics: [{id: cv, title: CV, steps: [i, j, k, l]}]
"""


def test_an_ongoing_stage_has_no_due_date_and_starts_after_the_stage_before() -> None:
    plan = roadmap(TWO_STAGES)
    basics, advanced = plan.stages
    assert (basics.start, basics.due) == (D(2026, 11, 30), D(2026, 12, 13))
    assert (advanced.start, advanced.due) == (D(2026, 12, 14), None)
    assert advanced.ongoing and advanced.covers(D(2030, 1, 1))
    assert plan.last_day == D(2026, 12, 14)
    assert "dates:       2026-11-30 → 2026-12-13 (14 days), then ongoing" in summarize(plan)


def test_an_ongoing_stage_is_never_behind_and_out_of_the_projected_finish() -> None:
    plan = roadmap(THEN_JOBS)
    # Half of each stage done, slowly: 4 steps in the last 14 days.
    slow = Ledger(topics={"py": TopicFact(1, True, False, None, 2, 4),
                          "mm": TopicFact(2, True, False, None, 2, 4)},
                  plans={"2027-03-01": PlanFact(3, 4, 4, 4, 0)})
    basics, advanced, jobs = figures.compute(plan, slow, {}, D(2027, 3, 10))["stages"]
    assert basics["status"] == "behind"
    assert advanced["status"] == "ongoing" and advanced["due"] is None
    assert advanced["projected"] is None
    # 2 steps left before, 4 after, at 4 steps in 14 days: the ongoing stage's 2 steps left
    # are not in the queue (6 steps, 21 days from today; not 8 steps, 28 days).
    assert basics["projected"] == "2027-03-16"  # today counts as a day of work
    assert jobs["projected"] == "2027-03-30"
    # Not begun yet: not started, as any stage.
    untouched = figures.compute(plan, Ledger(), {}, D(2026, 12, 10))["stages"][1]
    assert untouched["status"] == "not_started"


def test_the_daily_plan_and_the_milestone_say_ongoing_not_a_due_date() -> None:
    plan = roadmap(TWO_STAGES)
    advanced = plan.stages[1]
    line = daily.stage_line(advanced, D(2027, 1, 5), "en")
    assert line["ongoing"] and line["due"] is None and line["days_left"] is None
    assert sync.milestone_description(plan, advanced) == "2026-12-14 → ongoing"
    [create] = [c for c in sync.plan_milestones(plan, Rows())
                if c.ident == "advanced"]
    assert create.fields["due"] is None


def test_the_retro_shows_an_ongoing_stage_begun_early_as_ongoing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The learner does a step of the ongoing stage in the first week, before its start.
    plan = roadmap(TWO_STAGES)
    with harness("local", tmp_path) as world:
        sync.sync(plan, world.tracker)
        issue = world.issue("topic", "mm")
        world.learner.update_issue(issue.number, body=keys.tick(issue.body, {"e"}))
        reconcile(plan, world.tracker)
        sunday = dt.datetime(2026, 12, 6, 22, tzinfo=plan.learner.tz)
        world.tracker.clock.now = sunday  # type: ignore[attr-defined]
        retro = open_retro(plan, world.tracker, sunday).opened
        assert retro is not None
        line = next(x for x in retro.body.splitlines() if "Advanced" in x)
        assert line.startswith("- 🔁 ongoing · Advanced (ongoing): 1/4")
        assert "due" not in line and "late" not in line
    progress = figures.stage_progress(plan, {"mm": 1}, figures.Pace(0, 0), D(2026, 12, 6))
    assert progress[1].status == "ongoing"  # begun before its start: ongoing, not "ahead"


def test_an_ongoing_stages_milestone_is_created_without_a_due_date_field(tmp_path) -> None:
    # GitHub describes `due_on` as a date-time string: a milestone with no due date leaves the
    # field out rather than sending null.
    with harness("github", tmp_path) as world:
        sync.sync(roadmap(TWO_STAGES), world.tracker)
        assert world.fake is not None
        created = {r.body["title"]: r.body for r in world.fake.requests
                   if r.method == "POST" and r.path.endswith("/milestones")}
        advanced = next(b for t, b in created.items() if "Advanced" in t)
        basics = next(b for t, b in created.items() if "Basics" in t)
        assert "due_on" not in advanced
        assert basics["due_on"] == "2026-12-13T12:00:00Z"
