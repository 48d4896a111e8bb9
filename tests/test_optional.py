"""Optional items ("可选，但推荐", "(工具书)…不用通读"): shown as optional, never carried over,
never lowering the day's score."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tracker import daily, figures, keys
from tracker.ledger import Ledger
from tracker.reconcile import reconcile
from tracker.state import PlanRecord, StudyState, read_state, scored_boxes
from tracker.store.base import trusted_authors
from tracker.sync import sync

from sync_harness import harness
from test_format_11 import roadmap
from test_weekly import open_state

MON = dt.date(2026, 11, 30)
PLAN = """
stages:
  - id: a
    title: A
    weeks: 1
    topics:
      - id: t
        title: Attention
        estimate: 2h
        steps: [read, {id: blog, text: write a blog post, optional: true}]
      - {id: ref, title: Reference book, optional: true, estimate: 1h, steps: [skim the index]}
routines:
  - {id: moc, title: Weekly MOC, minutes: 30, optional: true}
  - {id: recap, title: Recap, minutes: 15}
"""


def test_a_score_counts_an_optional_box_only_once_it_is_ticked() -> None:
    boxes = {"t:t:read": True, "t:t:blog": False, "o:moc": False, "o:recap": True}
    optional = frozenset({"t:t:blog", "o:moc"})
    assert scored_boxes(boxes, optional) == {"t:t:read": True, "o:recap": True}
    assert scored_boxes({**boxes, "o:moc": True}, optional) == {
        "t:t:read": True, "o:moc": True, "o:recap": True}
    assert len(scored_boxes(boxes)) == 4  # a plan that names nothing optional: as before


def test_the_plan_shows_optional_items_as_optional_and_says_which_they_are(
        tmp_path: Path) -> None:
    plan = roadmap(PLAN)
    with harness("local", tmp_path) as world:
        check_the_plan(plan, world)


def check_the_plan(plan, world) -> None:  # type: ignore[no-untyped-def]
    store = world.tracker
    sync(plan, store)
    now = dt.datetime(2026, 11, 30, 8, tzinfo=plan.learner.tz)
    store.clock.now = now
    issue = daily.open_daily_plan(plan, store, now).opened
    assert issue is not None
    body = keys.parse(issue.body)
    assert sorted(body.key.written["opt"]) == ["o:moc", "t:ref:skim-the-index", "t:t:blog"]
    lines = {line.rsplit("<!-- item:", 1)[1].split(" ")[0]: line
             for line in body.block.splitlines() if "<!-- item:" in line}
    assert "optional" in lines["t:t:blog"] and "optional" in lines["o:moc"]
    assert "optional" in lines["t:ref:skim-the-index"]
    assert "optional" not in lines["t:t:read"] and "optional" not in lines["o:recap"]
    # Everything required ticked, nothing optional: a full day, in the plan and the ledger.
    world.learner.update_issue(issue.number, body=keys.tick(issue.body, {"t:t:read", "o:recap"}))
    state = read_state(store.list_issues(), trusted_authors(store))
    record = state.plans[MON]
    assert record.score == (2, 2)
    ledger = Ledger()
    ledger.update(store.list_issues(), trusted_authors(store), plan.learner.tz)
    fact = ledger.plans[MON.isoformat()]
    assert (fact.done, fact.total) == (2, 2)


def test_an_optional_item_left_unticked_is_not_carried_over() -> None:
    plan = roadmap(PLAN)
    previous = PlanRecord(MON, 1, False, {"t:t:read": False, "t:t:blog": False,
                                          "t:ref:skim-the-index": False}, None)  # type: ignore[arg-type]
    state = StudyState(None, open_state(plan).topics, {MON: previous}, {})  # type: ignore[arg-type]
    pieces, _ = daily.carried_work(plan, state, previous)
    assert [p.item() for p in pieces] == ["t:t:read"]


def test_an_optional_topic_left_open_never_keeps_its_stage_open(tmp_path: Path) -> None:
    plan = roadmap(PLAN)
    with harness("local", tmp_path) as world:
        sync(plan, world.tracker)
        issue = world.issue("topic", "t")
        world.learner.update_issue(issue.number, body=keys.tick(issue.body, {"read"}))
        report = reconcile(plan, world.tracker)
        # The blog post is optional: the topic is done without it; the reference book is
        # optional: the stage is done without it.
        assert report.closed_topics == ["t"]
        assert report.closed_stages == ["a"]
    # The dashboard agrees: the topic closed counts all its boxes, the reference none.
    done = figures.stage_progress(plan, {"t": 2, "ref": 0}, figures.Pace(0, 0),
                                  MON + dt.timedelta(days=3))
    assert (done[0].status, done[0].done, done[0].total) == ("done", 2, 2)
