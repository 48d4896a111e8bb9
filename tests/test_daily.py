"""Daily plans, reconcile and retro: choices, time zones, request budgets, golden renders."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from tracker import daily, keys, planner
from tracker.daily import open_daily_plan
from tracker.memory import retrievability
from tracker.model import Roadmap
from tracker.reconcile import reconcile
from tracker.retro import due_retro_day, open_retro
from tracker.review_figures import memory_of_plans
from tracker.roadmap import parse_roadmap
from tracker.state import read_state
from tracker.store.base import trusted_authors
from tracker.sync import sync

from conftest import assert_golden
from sync_harness import Harness, harness

GOLDEN = Path(__file__).parent / "golden"

PLAN = """\
version: 1
learner: {{name: A, timezone: {tz}, locale: {locale}}}
schedule:
  start: 2026-03-23
  day_opens_at: "07:00"
  hours: {{mon: 4, tue: 4, wed: 4, thu: 4, fri: 4, sat: 4, sun: 2}}
  light_days: [sat]
tracks:
  - {{id: theory, name: Theory, share: 70}}
  - {{id: practice, name: Practice, share: 30, weekdays: [tue, thu]}}
  - {{id: algo, name: Algorithms, kind: problems, per_day: 2, minutes_per_item: 30}}
problems:
{problems}
interview_questions:
  - id: q1
    question: What is LoRA?
    topic: peft
    hint: Low-rank update of frozen weights.
  - {{id: q2, question: 'DPO vs PPO?'}}
  - {{id: q3, question: 'Why KV cache?'}}
routines:
  - {{id: review, title: Review yesterday without the code, minutes: 15}}
  - {{id: report, title: Write the weekly report, weekdays: [sun], minutes: 30}}
stages:
  - id: one
    title: Foundations
    due: 2026-04-05
    topics:
      - id: peft
        title: PEFT and LoRA
        estimate: 6h
        priority: 1
        steps:
          - {{id: s1, text: Read the LoRA paper}}
          - {{id: s2, text: QLoRA changes}}
          - {{id: s3, text: Cards}}
        done_when: [{{id: d1, text: Explain LoRA in two minutes}}]
      - id: rl
        title: PPO and DPO
        estimate: 4h
        priority: 2
        depends_on: [peft]
        steps: [{{id: s1, text: RLHF steps}}, {{id: s2, text: DPO idea}}]
      - id: rag
        title: RAG project soft start
        track: practice
        estimate: 3h
        steps: [{{id: s1, text: Run the demo}}, {{id: s2, text: Draw the architecture}}]
"""
PROBLEMS = [("lc-1", "Two Sum", "two-sum", "easy"),
            ("lc-94", "Inorder", "binary-tree-inorder-traversal", "easy"),
            ("lc-98", "Validate BST", "validate-binary-search-tree", "medium"),
            ("lc-124", "Max Path Sum", "binary-tree-maximum-path-sum", "hard"),
            ("lc-200", "Islands", "number-of-islands", "medium")]


def roadmap_text(tz: str = "Asia/Shanghai", locale: str = "en") -> str:
    problems = "\n".join(
        f"  - {{id: {i}, title: {t}, url: 'https://leetcode.cn/problems/{slug}/', "
        f"difficulty: {level}}}" for i, t, slug, level in PROBLEMS)
    return PLAN.format(tz=tz, locale=locale, problems=problems)


def roadmap(tz: str = "Asia/Shanghai", locale: str = "en") -> Roadmap:
    return parse_roadmap(roadmap_text(tz, locale))


@pytest.fixture(params=["local", "github"])
def world(request: pytest.FixtureRequest, tmp_path: Path):
    with harness(request.param, tmp_path) as h:
        yield h


def at(day: str, time: str, tz: str = "Asia/Shanghai") -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=ZoneInfo(tz))


def state_of(h: Harness):
    return read_state(h.tracker.list_issues(), trusted_authors(h.tracker))


# -- choosing ----------------------------------------------------------------------------------
def test_focus_honours_shares_weekdays_dependencies_and_light_days(world: Harness) -> None:
    plan = roadmap()
    sync(plan, world.tracker)
    state = state_of(world)
    monday, tuesday, saturday = (dt.date(2026, 3, 23), dt.date(2026, 3, 24),
                                 dt.date(2026, 3, 28))
    mon = planner.choose_focus(plan, state, monday, 5.0).pieces
    assert {p.topic.track_id for p in mon} == {"theory"}  # practice runs on Tue/Thu only
    # 1.5 hours a box (6h over 4 boxes); rl waits for peft, which 5 hours do not finish.
    assert [(p.topic.id, p.box.id) for p in mon] == [("peft", "s1"), ("peft", "s2"),
                                                      ("peft", "s3")]
    tue = planner.choose_focus(plan, state, tuesday, 2.75, slack=0.4).pieces
    theory = [p for p in tue if p.topic.track_id == "theory"]
    assert sum(p.hours for p in theory) <= 2.75 * 0.7 + 1e-9
    # Practice's 30 % is less than its first step, which still comes: the day has room.
    assert [p.box.id for p in tue if p.topic.track_id == "practice"] == ["s1"]
    assert plan.schedule.budget_on(saturday) == 2.0


def test_problems_rotate_without_repeats_until_the_pool_is_used() -> None:
    plan = roadmap()
    days = [dt.date(2026, 3, 23) + dt.timedelta(days=n) for n in range(5)]
    drawn = [p.id for d in days for p in planner.problems_for(plan, d)]
    assert drawn[:5] == ["lc-1", "lc-94", "lc-98", "lc-124", "lc-200"]
    assert drawn[5:10] == drawn[:5]  # a new round only when the pool is used up


# -- time ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("tz", "when", "opens"), [
    ("Asia/Shanghai", "2026-03-24T06:59", False),
    ("Asia/Shanghai", "2026-03-24T07:00", True),
    # Berlin springs forward on 29 March: 07:30 CEST is 05:30 UTC.
    ("Europe/Berlin", "2026-03-29T07:30", True),
    ("Europe/Berlin", "2026-03-29T06:59", False),
    ("Pacific/Kiritimati", "2026-03-24T07:01", True),  # UTC+14
    ("Etc/GMT+12", "2026-03-24T23:59", True),  # UTC−12
])
def test_the_plan_opens_after_the_local_morning(world: Harness, tz: str, when: str,
                                                opens: bool) -> None:
    plan = roadmap(tz)
    sync(plan, world.tracker)
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=plan.learner.tz)
    report = open_daily_plan(plan, world.tracker, moment.astimezone(dt.UTC))
    assert (report.opened is not None) == opens
    if opens:
        assert keys.parse(report.opened.body).key.id == when[:10]


def test_just_after_midnight_yesterdays_plan_stays_open(world: Harness) -> None:
    plan = roadmap()
    sync(plan, world.tracker)
    open_daily_plan(plan, world.tracker, at("2026-03-24", "23:59"))
    report = open_daily_plan(plan, world.tracker, at("2026-03-25", "00:01"))
    assert report.opened is None and report.closed == []
    assert state_of(world).plans[dt.date(2026, 3, 24)].open


def test_a_start_date_in_the_future_opens_nothing(world: Harness) -> None:
    plan = roadmap()
    report = open_daily_plan(plan, world.tracker, at("2026-03-01", "09:00"))
    assert report.opened is None and "starts on 2026-03-23" in report.lines[0]
    assert world.writes() == 0


def test_retro_day_is_found_in_the_learners_week() -> None:
    plan = roadmap("Pacific/Kiritimati")
    sunday = dt.date(2026, 3, 29)
    assert due_retro_day(plan, at("2026-03-29", "19:59", "Pacific/Kiritimati")) is None  # week 1
    assert due_retro_day(plan, at("2026-03-29", "20:00", "Pacific/Kiritimati")) == sunday
    # A late run on Tuesday still catches up with Sunday's retro.
    assert due_retro_day(plan, at("2026-03-31", "09:00", "Pacific/Kiritimati")) == sunday


# -- budgets ------------------------------------------------------------------------------------
def test_daily_request_budget_on_github(world: Harness) -> None:
    if world.fake is None:
        pytest.skip("request counts are GitHub's")
    plan = roadmap()
    sync(plan, world.tracker)
    open_daily_plan(plan, world.tracker, at("2026-03-23", "08:00"))
    world.reset_counts()
    assert open_daily_plan(plan, world.tracker, at("2026-03-23", "06:00")).opened is None
    assert world.fake.count() == 0  # before the morning: nothing to ask
    assert open_daily_plan(plan, world.tracker, at("2026-03-23", "21:00")).opened is None
    assert world.fake.count() == 1  # today's plan is among the newest issues
    world.reset_counts()
    report = open_daily_plan(plan, world.tracker, at("2026-03-24", "08:00"))
    assert report.opened is not None
    methods = [r.method for r in world.fake.requests]
    assert methods == ["GET", "POST", "PATCH", "POST"]  # one listing, comment, close, create


def test_reconcile_with_nothing_to_do_writes_nothing(world: Harness) -> None:
    plan = roadmap()
    sync(plan, world.tracker)
    open_daily_plan(plan, world.tracker, at("2026-03-23", "08:00"))
    world.reset_counts()
    reconcile(plan, world.tracker)
    assert world.writes() == 0


# -- check-back ----------------------------------------------------------------------------------
def test_ticks_flow_to_topics_which_close_and_close_their_stage(world: Harness) -> None:
    plan = roadmap()
    sync(plan, world.tracker)
    open_daily_plan(plan, world.tracker, at("2026-03-23", "08:00"))
    today = state_of(world).plans[dt.date(2026, 3, 23)]
    # 4 hours less 1.5 of problems, review and question: two steps of 1.5 h, not a third.
    assert "t:peft:s2" in today.boxes and "t:peft:s3" not in today.boxes
    world.learner.update_issue(today.number, body=keys.tick(today.row.issue.body,
                                                            {"t:peft:s1", "p:lc-1"}))
    report = reconcile(plan, world.tracker)
    assert report.ticked == {"peft": {"s1"}}
    peft = world.issue("topic", "peft")
    assert "- [x] Read the LoRA paper" in peft.body and "- [ ] QLoRA changes" in peft.body
    assert world.tracker.list_comments(peft.number) == []  # a tick that fits says nothing
    # The learner ticks the rest directly in the topics: they close, and so does the stage.
    for topic_id, boxes in {"peft": {"s2", "s3", "d1"}, "rl": {"s1", "s2"},
                            "rag": {"s1", "s2"}}.items():
        issue = world.issue("topic", topic_id)
        world.learner.update_issue(issue.number, body=keys.tick(issue.body, boxes))
    report = reconcile(plan, world.tracker)
    assert sorted(report.closed_topics) == ["peft", "rag", "rl"]
    assert report.closed_stages == ["one"]
    assert world.issue("topic", "peft").state_reason == "completed"
    assert [m.state for m in world.tracker.list_milestones()] == ["closed"]
    # Unticking in a plan never unticks a topic; a topic reopened by hand stays open.
    world.learner.update_issue(today.number, body=today.row.issue.body)
    rl = world.issue("topic", "rl")
    world.learner.update_issue(rl.number, state="open")
    world.reset_counts()
    reconcile(plan, world.tracker)
    assert world.writes() == 0
    assert "- [x] Read the LoRA paper" in world.issue("topic", "peft").body
    assert world.issue("topic", "rl").state == "open"


def test_a_stage_with_a_topic_not_yet_made_stays_open(world: Harness) -> None:
    # The learner added a topic to the stage in roadmap.yml; before the sync that makes its
    # issue, the stage's other topics all close. The stage is not finished.
    plan = roadmap()
    sync(plan, world.tracker)
    grown = parse_roadmap(roadmap_text().replace(
        "      - id: rag\n",
        "      - id: evals\n        title: Evaluating a fine-tune\n        estimate: 2h\n"
        "        steps: [{id: s1, text: Pick a benchmark}]\n      - id: rag\n"))
    for topic_id, boxes in {"peft": {"s1", "s2", "s3", "d1"}, "rl": {"s1", "s2"},
                            "rag": {"s1", "s2"}}.items():
        issue = world.issue("topic", topic_id)
        world.learner.update_issue(issue.number, body=keys.tick(issue.body, boxes))
    report = reconcile(grown, world.tracker)
    assert sorted(report.closed_topics) == ["peft", "rag", "rl"]
    assert report.closed_stages == []
    assert [m.state for m in world.tracker.list_milestones()] == ["open"]


def test_a_step_ticked_in_its_topic_is_left_out_of_later_plans(world: Harness) -> None:
    plan = roadmap()
    sync(plan, world.tracker)
    peft = world.issue("topic", "peft")
    world.learner.update_issue(peft.number, body=keys.tick(peft.body, {"s1"}))
    open_daily_plan(plan, world.tracker, at("2026-03-23", "08:00"))
    boxes = state_of(world).plans[dt.date(2026, 3, 23)].boxes
    assert "t:peft:s1" not in boxes and "t:peft:s2" in boxes


# -- missed days --------------------------------------------------------------------------------
def test_missed_days_leave_no_backlog_and_the_open_items_come_along(world: Harness) -> None:
    plan = roadmap()
    sync(plan, world.tracker)
    open_daily_plan(plan, world.tracker, at("2026-03-23", "08:00"))
    report = open_daily_plan(plan, world.tracker, at("2026-03-26", "10:00"))
    state = state_of(world)
    assert sorted(state.plans) == [dt.date(2026, 3, 23), dt.date(2026, 3, 26)]
    block = keys.parse(report.opened.body).block
    assert "2 days since the last plan (23 Mar)" in block
    first = state.plans[dt.date(2026, 3, 23)]
    carried = [i for i in first.boxes if i.startswith(("t:", "p:"))]
    later = state.plans[dt.date(2026, 3, 26)].boxes
    # What fits Thursday's hours comes along; the plan counts the steps that wait.
    waiting = [i for i in carried if i not in later]
    assert all(i.startswith("t:") for i in waiting)
    assert len(waiting) < len(carried)
    if waiting:
        assert f"{len(waiting)} more step(s) left last time wait for another day" in block


# -- retro ---------------------------------------------------------------------------------------
def test_the_redo_day_puts_flagged_problems_first_then_the_most_forgotten(world: Harness
                                                                          ) -> None:
    plan = roadmap()
    sync(plan, world.tracker)
    for day in ("2026-03-23", "2026-03-24", "2026-03-25"):
        open_daily_plan(plan, world.tracker, at(day, "08:00"))
        today = state_of(world).plans[dt.date.fromisoformat(day)]
        ticks = {"h:lc-98"} if day == "2026-03-24" else set()
        ticks |= {i for i in today.boxes if i in ("p:lc-1", "p:lc-94", "p:lc-98", "p:lc-124",
                                                  "p:lc-200", "t:peft:s1")}
        world.learner.update_issue(today.number, body=keys.tick(today.row.issue.body, ticks))
    state = state_of(world)
    sunday = dt.date(2026, 3, 29)
    memory = memory_of_plans(plan, state.plans.values(), sunday)
    redo = daily.redo_today(plan, state, sunday, memory, [])
    assert redo[0].card.id == "p:lc-98"  # flagged "hard one?" on Tuesday
    # Then the two whose review on Wednesday was left unticked (forgotten), not lc-1, which
    # was solved again that day.
    assert {d.card.id for d in redo[1:]} == {"p:lc-94", "p:lc-124"}
    lc1 = retrievability(memory["p:lc-1"], sunday, 0.9)
    assert lc1 is not None and all(d.recall is not None and d.recall < lc1 for d in redo[1:])
    # Sunday's own problems (the pool came round) are solved, not redone.
    sundays = daily.plan_day(plan, state, sunday)
    assert not {d.card.id for d in sundays.redo} & {f"p:{p.id}" for p in sundays.problems}


def test_retro_opens_once_and_closes_last_weeks(world: Harness) -> None:
    plan = roadmap()
    sync(plan, world.tracker)
    assert open_retro(plan, world.tracker, at("2026-03-29", "19:00")).opened is None
    first = open_retro(plan, world.tracker, at("2026-03-29", "20:30")).opened
    assert first is not None and first.title == "🗓️ Week 13 retro · 23 Mar–29 Mar"
    assert open_retro(plan, world.tracker, at("2026-03-29", "23:00")).opened is None
    second = open_retro(plan, world.tracker, at("2026-04-05", "21:00"))
    assert second.opened is not None
    retros = state_of(world).retros
    assert {w: r.open for w, r in retros.items()} == {"2026-W13": False, "2026-W14": True}


# -- golden renders ------------------------------------------------------------------------------
@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_rendered_plan_and_retro_match_the_golden_files(tmp_path: Path, locale: str) -> None:
    plan = roadmap(locale=locale)
    with harness("local", tmp_path) as world:
        sync(plan, world.tracker)
        for day in ("2026-03-23", "2026-03-24", "2026-03-25", "2026-03-26", "2026-03-27",
                    "2026-03-28", "2026-03-29"):
            world.tracker.clock.now = at(day, "08:00").astimezone(dt.UTC)  # type: ignore
            reconcile(plan, world.tracker)
            opened = open_daily_plan(plan, world.tracker, at(day, "08:00")).opened
            if day == "2026-03-26":
                daily = opened
            today = state_of(world).plans[dt.date.fromisoformat(day)]
            # Two boxes of every three, in the plan's order: the same every run.
            ticks = {box for n, box in enumerate(today.boxes) if n % 3 != 2}
            world.learner.update_issue(today.number, body=keys.tick(today.row.issue.body, ticks))
        reconcile(plan, world.tracker)
        report = open_retro(plan, world.tracker, at("2026-03-29", "20:30"))
        rendered = {"daily": f"# {daily.title}\n\n{keys.parse(daily.body).block}\n",
                    "retro": f"# {report.opened.title}\n\n"
                             f"{keys.parse(report.opened.body).block}\n"}
    for kind, text in rendered.items():
        assert_golden(GOLDEN / f"{kind}.{locale}.md", text)


def test_bodies_stay_under_githubs_limit_whatever_the_roadmap(tmp_path: Path) -> None:
    steps = "".join(f"        - {{id: s{n}, text: '{'x' * 200} {n}'}}\n" for n in range(200))
    big = parse_roadmap(textwrap.dedent("""\
        version: 1
        learner: {name: A, timezone: UTC, locale: en}
        schedule: {start: 2026-03-23, hours: 24}
        stages:
          - id: s
            title: S
            days: 30
            topics:
              - id: t
                title: T
                estimate: 1h
                steps:
        """) + steps)
    with harness("local", tmp_path) as world:
        sync(big, world.tracker)
        report = open_daily_plan(big, world.tracker, at("2026-03-23", "08:00", "UTC"))
        assert len(report.opened.body) < 65_536
        assert len(state_of(world).plans[dt.date(2026, 3, 23)].boxes) == planner.MAX_FOCUS_ITEMS


def test_a_learner_who_ticks_nothing_for_two_weeks_gets_no_pile_up(world: Harness) -> None:
    plan = roadmap()
    sync(plan, world.tracker)
    sizes = []
    for n in range(14):
        day = dt.date(2026, 3, 23) + dt.timedelta(days=n)
        open_daily_plan(plan, world.tracker, at(day.isoformat(), "08:00"))
        sizes.append(len(state_of(world).plans[day].boxes))
    assert max(sizes) <= 12 + 2 * 2 + 2  # carried cap, problems with their flags, routines
    assert sizes[-1] <= sizes[2] + 2


def test_a_learner_ahead_of_the_plan_works_on_the_next_stage(tmp_path: Path) -> None:
    plan = parse_roadmap(roadmap_text().replace("""  - id: one
    title: Foundations
    due: 2026-04-05
    topics:""", """  - id: zero
    title: Warm-up
    due: 2026-03-24
    topics:
      - {id: warm, title: Warm up, steps: [{id: w1, text: Stretch}]}
  - id: one
    title: Foundations
    start: 2026-03-30
    due: 2026-04-05
    topics:"""))
    with harness("local", tmp_path) as world:
        sync(plan, world.tracker)
        warm = world.issue("topic", "warm")
        world.learner.update_issue(warm.number, body=keys.tick(warm.body, {"w1"}))
        reconcile(plan, world.tracker)
        report = open_daily_plan(plan, world.tracker, at("2026-03-24", "08:00"))
        # Warm-up is done on its last day; Foundations starts on the 30th, but not waiting.
        assert "<!-- item:t:peft:s1 -->" in report.opened.body
