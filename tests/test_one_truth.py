"""One truth on the page: a stage's status, its projected finish, what counts as done, and
the two kinds of percent, each decided by one rule and never contradicting another figure."""

from __future__ import annotations

import datetime as dt

from tracker import dashboard, figures
from tracker.ledger import Ledger, PlanFact, TopicFact
from tracker.roadmap import parse_roadmap
from tracker.store.base import Issue, Trusted

D = dt.date

THREE_STAGES = """\
version: 1
learner: {name: Ada, timezone: Europe/Berlin, locale: en}
schedule: {start: 2026-03-02, hours: 3}
stages:
  - id: one
    title: Python
    start: 2026-03-02
    due: 2026-03-29
    topics:
      - id: syntax
        title: Syntax
        estimate: 14h
        steps: [a, b, c, d, e, f, g, h, i, j, k, l, m, n]
  - id: two
    title: Numpy
    start: 2026-03-30
    due: 2026-04-12
    topics:
      - {id: arrays, title: Arrays, estimate: 4h, steps: [a, b, c, d]}
  - id: three
    title: Torch
    start: 2026-04-13
    due: 2026-04-26
    topics:
      - {id: tensors, title: Tensors, estimate: 9h, steps: [a, b, c, d, e, f, g, h, i]}
"""


def plan():
    return parse_roadmap(THREE_STAGES)


def topics(**ticked: tuple[int, int]) -> dict[str, TopicFact]:
    """Open topics with (ticked, boxes)."""
    return {ident: TopicFact(n, True, False, None, done, boxes)
            for n, (ident, (done, boxes)) in enumerate(ticked.items(), start=1)}


def stages(book: Ledger, today: dt.date) -> dict[str, dict]:
    return {s["id"]: s for s in figures.compute(plan(), book, {}, today)["stages"]}


def test_a_stage_worked_on_before_its_start_is_ahead_not_not_started() -> None:
    # Three of the four steps of stage two, a week before its calendar start.
    book = Ledger(topics=topics(syntax=(10, 14), arrays=(3, 4), tensors=(0, 9)))
    two = stages(book, D(2026, 3, 23))["two"]
    assert (two["percent"], two["status"]) == (75, "ahead")


def test_not_started_is_said_only_at_zero() -> None:
    book = Ledger(topics=topics(syntax=(0, 14), arrays=(0, 4), tensors=(1, 9)))
    on_its_first_day = stages(book, D(2026, 3, 2))
    assert on_its_first_day["one"]["status"] == "not_started"
    assert on_its_first_day["two"]["status"] == "not_started"
    assert on_its_first_day["three"]["status"] == "ahead"  # one step done early
    # On its first day, a step of a stage of nine a day is neither ahead nor behind.
    short = plan().stages[2]
    assert figures.stage_status(1, 9, short.start, short.start, short.start, None) == "on_track"
    # A week in with nothing done and no pace: behind, not "not started".
    assert stages(book, D(2026, 3, 9))["one"]["status"] == "behind"


def test_the_status_follows_the_plans_line_with_a_days_slack() -> None:
    # Stage one: 14 steps over 28 days, half a step a day. After 10 full days the line
    # stands at 5 steps.
    today = D(2026, 3, 12)
    assert stages(Ledger(topics=topics(syntax=(5, 14))), today)["one"]["status"] == "on_track"
    assert stages(Ledger(topics=topics(syntax=(6, 14))), today)["one"]["status"] == "ahead"
    assert stages(Ledger(topics=topics(syntax=(4, 14))), today)["one"]["status"] == "on_track"
    assert stages(Ledger(topics=topics(syntax=(2, 14))), today)["one"]["status"] == "behind"
    assert stages(Ledger(topics=topics(syntax=(14, 14))), today)["one"]["status"] == "done"


def test_behind_but_finishing_in_time_at_this_pace_is_on_track() -> None:
    # 2 of 14 after 10 days, and 4 steps ticked in the daily plans since the start (11
    # days): 12 to go take 33 days at that pace, past the 29th: behind.
    plans = {"2026-03-10": PlanFact(1, 4, 4, 2, 0), "2026-03-11": PlanFact(2, 4, 4, 2, 0)}
    slow = Ledger(topics=topics(syntax=(2, 14)), plans=plans)
    assert stages(slow, D(2026, 3, 12))["one"]["status"] == "behind"
    # With 12 steps ticked in the last few days the pace finishes it in time.
    plans = {f"2026-03-{d:02d}": PlanFact(d, 3, 3, 3, 0) for d in range(8, 12)}
    fast = Ledger(topics=topics(syntax=(2, 14)), plans=plans)
    assert stages(fast, D(2026, 3, 12))["one"]["status"] == "on_track"


def test_projections_finish_the_stages_in_roadmap_order() -> None:
    # Stage one at 2/14, stage three untouched at 0/9: at any pace the fewer steps of stage
    # three must not be projected to finish before stage one.
    plans = {"2026-03-09": PlanFact(1, 2, 2, 2, 0)}
    book = Ledger(topics=topics(syntax=(2, 14), arrays=(0, 4), tensors=(0, 9)), plans=plans)
    found = stages(book, D(2026, 3, 10))
    one, two, three = (dt.date.fromisoformat(found[s]["projected"])
                       for s in ("one", "two", "three"))
    assert one < two < three
    # 2 steps over the 9 days since the start: 12 to go for stage one take 54 days, today
    # the first of them; stage two's 4 after those, stage three's 9 after those again.
    assert one == D(2026, 3, 10) + dt.timedelta(days=54 - 1)
    assert three == D(2026, 3, 10) + dt.timedelta(days=113 - 1)


def test_a_later_stage_really_finished_is_done_whatever_the_order() -> None:
    book = Ledger(topics=topics(syntax=(2, 14), arrays=(4, 4), tensors=(0, 9)),
                  plans={"2026-03-09": PlanFact(1, 2, 2, 2, 0)})
    found = stages(book, D(2026, 3, 10))
    assert (found["two"]["status"], found["two"]["projected"]) == ("done", None)
    assert found["one"]["projected"] < found["three"]["projected"]


def issue(number: int, state: str, reason: str | None, body: str) -> Issue:
    moment = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)
    return Issue(number, "Syntax", body, state, reason, ("topic",), None, "learner", moment,
                 moment, moment if state == "closed" else None)


def test_a_topic_closed_as_duplicate_is_not_done() -> None:
    from tracker import keys

    body = keys.compose(keys.Key("topic", "syntax"),
                        "- [x] a <!-- step:a -->\n- [ ] b <!-- step:b -->\n")
    for reason, done in (("completed", True), (None, True), ("duplicate", False),
                         ("not_planned", False)):
        book = Ledger()
        book.update([issue(1, "closed", reason, body)], Trusted(frozenset({"learner"})),
                    plan().learner.tz)
        data = figures.compute(plan(), book, {}, D(2026, 3, 6))
        assert data["progress"]["topics_done"] == (1 if done else 0), reason
        # A duplicate counts the boxes it has ticked, no more.
        assert data["progress"]["steps_done"] == (14 if done else 1), reason


def test_hours_and_steps_are_each_labelled_with_their_own_percent() -> None:
    # Stage one's steps are an hour each; stage three's too; stage two's an hour each.
    book = Ledger(topics=topics(syntax=(7, 14), arrays=(0, 4), tensors=(0, 9)))
    data = figures.compute(plan(), book, {}, D(2026, 3, 16))
    assert data["progress"]["percent"] == 25  # 7 of 27 steps
    assert data["hours"] == {"estimated": 27.0, "done": 7.0, "percent": 25}
    files = dashboard.build(plan(), book, {}, D(2026, 3, 16))
    section = files["README.md"]
    assert "25% of the steps" in section
    assert "7 of 27 estimated hours (25%)" in section


def test_the_rule_of_status_and_projection_is_in_a_footnote() -> None:
    book = Ledger(topics=topics(syntax=(7, 14)), plans={"2026-03-15": PlanFact(1, 2, 2, 2, 0)})
    section = dashboard.build(plan(), book, {}, D(2026, 3, 16))["README.md"]
    assert "straight line from its start to its due date" in section
    assert "in roadmap order" in section


def test_a_stage_the_pace_finishes_late_is_never_said_to_be_on_schedule() -> None:
    # Stage one after 10 days: the line stands at 5 steps and 4 are done, within a step of it.
    # But 4 steps ticked over the 11 days since the start leave 10 steps for 28 more days:
    # past the 29th. The page must not say "on schedule, done by 8 Apr", nor the retro
    # "on schedule … (10 days late)": the stage is behind.
    plans = {"2026-03-05": PlanFact(1, 2, 2, 2, 0), "2026-03-10": PlanFact(2, 2, 2, 2, 0)}
    book = Ledger(topics=topics(syntax=(4, 14)), plans=plans)
    today = D(2026, 3, 12)
    one = stages(book, today)["one"]
    assert one["projected"] > one["due"]
    assert one["status"] == "behind"
    now = next(line for line in dashboard.build(plan(), book, {}, today)["README.md"]
               .splitlines() if line.startswith("**Now:**"))
    assert "behind, done by 8 Apr at this pace" in now


def test_a_stage_on_its_line_on_its_due_day_is_on_schedule_and_done_that_day() -> None:
    # Stage two, due 12 April, at 3 of 4 on that day, at a step a day over the last two weeks:
    # its last step is today's (today is not over), so it is done by the 12th, on schedule.
    plans = {(D(2026, 3, 30) + dt.timedelta(days=n)).isoformat(): PlanFact(n, 1, 1, 1, 0)
             for n in range(14)}
    book = Ledger(topics=topics(syntax=(14, 14), arrays=(3, 4)), plans=plans)
    two = stages(book, D(2026, 4, 12))["two"]
    assert (two["projected"], two["status"]) == ("2026-04-12", "on_track")


def test_work_done_early_on_a_stage_the_queue_makes_late_is_not_ahead() -> None:
    # A step of stage three done early, while stage one crawls: at 4 steps in 11 days the
    # stages before it take until June, past stage three's due date of 26 April.
    plans = {"2026-03-05": PlanFact(1, 2, 2, 2, 0), "2026-03-10": PlanFact(2, 2, 2, 2, 0)}
    book = Ledger(topics=topics(syntax=(4, 14), arrays=(0, 4), tensors=(1, 9)), plans=plans)
    three = stages(book, D(2026, 3, 12))["three"]
    assert three["projected"] > three["due"]
    assert three["status"] == "behind"
