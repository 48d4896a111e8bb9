"""`tracker sync` on both stores: first sync, no-op, edits, ticks, strangers, budgets."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from tracker.model import Roadmap
from tracker.roadmap import load_roadmap, parse_roadmap
from tracker.sync import Pacer, sync

from conftest import DEFAULT_START, REPO, shipped_roadmap
from sync_harness import Harness, harness, snapshot

BACKENDS = ["local", "github"]
PLANS = ["roadmap.yml", "examples/ai-engineer.yml", "examples/internship-sprint.yml"]


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path):
    with harness(request.param, tmp_path) as h:
        yield h


def objects(roadmap: Roadmap) -> int:
    from tracker.labels import desired_labels

    return len(desired_labels(roadmap)) + len(roadmap.stages) + len(roadmap.topics)


@pytest.mark.parametrize("plan", PLANS)
def test_first_sync_writes_one_request_per_object_then_nothing(world: Harness, plan: str) -> None:
    roadmap = load_roadmap(REPO / plan, today=DEFAULT_START)
    report = sync(roadmap, world.tracker)
    assert report.applied == objects(roadmap)
    assert world.writes() == objects(roadmap)
    if world.fake:
        # Three listings (labels, milestones, issues) on an empty repository, then the creates.
        assert world.fake.count(method="GET") == 3
    world.reset_counts()
    again = sync(roadmap, world.tracker)
    assert again.changes == []
    assert world.writes() == 0
    if world.fake:
        assert world.fake.count() == 3  # one page of each listing, at 100 a page
    state = snapshot(world.tracker)
    topics = {k: v for k, v in state["issues"].items() if k.startswith("topic:")}
    assert len(topics) == len(roadmap.topics)
    assert len(state["milestones"]) == len(roadmap.stages)


def test_topic_issue_reads_well(world: Harness) -> None:
    roadmap = shipped_roadmap()
    sync(roadmap, world.tracker)
    issue = world.issue("topic", "linux-nohup-drill")
    assert issue.title == "行动：模拟训练挂后台"
    assert set(issue.labels) == {"topic", "track:practice", "P1"}
    body = issue.body
    assert "**第一阶段：生存基石 (Linux)** · 动手 · P1 · 预计 1h" in body
    assert "- [ ] 用 nohup 把它挂到后台运行 <!-- step:nohup-run -->" in body
    deps = world.issue("topic", "linux-core-commands")
    assert f"### 先完成\n- #{deps.number}\n" in body
    milestone = next(m for m in world.tracker.list_milestones() if m.number == issue.milestone)
    assert milestone.title == "第一阶段：生存基石 (Linux)"
    assert milestone.due == dt.date(2026, 11, 30)  # the calendar day, despite GitHub's quirk
    assert "在服务器上“活下来”" in milestone.description


BASE = """\
version: 1
learner: {name: A, timezone: Asia/Shanghai, locale: en}
schedule: {start: 2026-12-01, hours: 4}
tracks:
  - {id: theory, name: Theory}
  - {id: practice, name: Practice}
stages:
  - id: one
    title: Stage one
    due: 2026-12-10
    topics:
      - id: a
        title: Topic A
        steps: [{id: a1, text: First step}, {id: a2, text: Second step}]
      - id: b
        title: Topic B
        track: practice
        depends_on: [a]
        steps: [{id: b1, text: Only step}]
  - id: two
    title: Stage two
    days: 5
    topics:
      - id: c
        title: Topic C
        steps: [{id: c1, text: Step}]
        done_when: [{id: c-done, text: It works}]
"""


def edited(old: str, new: str, text: str = BASE) -> Roadmap:
    assert old in text, old
    return parse_roadmap(text.replace(old, new))


def prepare(world: Harness) -> None:
    """A synced plan with a tick and a learner's note on topic A."""
    sync(parse_roadmap(BASE), world.tracker)
    world.tick("topic", "a", "a1")
    issue = world.issue("topic", "a")
    world.learner.update_issue(issue.number, body=issue.body + "\n\nMy notes: pipes!")
    world.reset_counts()


EDITS = {
    "rename": (("title: Topic A", "title: Topic A, renamed"), 1),
    "new step": (("{id: a2, text: Second step}]",
                  "{id: a2, text: Second step}, {id: a3, text: Third}]"), 1),
    "reworded step": (("text: Second step", "text: Second step (reworded)"), 1),
    "changed duration": (("days: 5", "days: 7"), 1),
    # Stage two starts the day after stage one ends, so both milestones move.
    "changed due date": (("due: 2026-12-10", "due: 2026-12-12"), 2),
    "new label": (("title: Topic C\n", "title: Topic C\n        labels: [hard]\n"), 1),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_each_edit_costs_exactly_its_writes_and_keeps_ticks_and_notes(
        world: Harness, edit: str) -> None:
    prepare(world)
    (old, new), writes = EDITS[edit]
    report = sync(edited(old, new), world.tracker)
    assert world.writes() == writes, report.lines()
    a = world.issue("topic", "a")
    assert "- [x] First step <!-- step:a1 -->" in a.body
    assert a.body.endswith("\n\nMy notes: pipes!")
    world.reset_counts()
    assert sync(edited(old, new), world.tracker).changes == []
    assert world.writes() == 0


def test_rename_in_roadmap_updates_title_but_learner_rename_is_kept(world: Harness) -> None:
    prepare(world)
    a = world.issue("topic", "a")
    world.learner.update_issue(a.number, title="My own title for A")
    sync(parse_roadmap(BASE), world.tracker)
    assert world.issue("topic", "a").title == "My own title for A"
    sync(edited("title: Topic A", "title: Topic A v2"), world.tracker)
    assert world.issue("topic", "a").title == "Topic A v2"


def test_moved_topic_changes_milestone_in_one_write(world: Harness) -> None:
    prepare(world)
    moved = BASE.replace("""      - id: c
        title: Topic C
        steps: [{id: c1, text: Step}]
        done_when: [{id: c-done, text: It works}]
""", "").replace("""        steps: [{id: b1, text: Only step}]
""", """        steps: [{id: b1, text: Only step}]
      - id: c
        title: Topic C
        steps: [{id: c1, text: Step}]
        done_when: [{id: c-done, text: It works}]
  - id: two-b
    title: Stage two
    days: 5
    topics:
      - {id: d, title: Topic D, steps: [x]}
""").replace("""  - id: two
    title: Stage two
    days: 5
    topics:
""", "")
    report = sync(parse_roadmap(moved), world.tracker)
    moves = [c for c in report.changes if c.ident == "c"]
    assert len(moves) == 1 and "moved to stage one" in moves[0].reasons
    c = world.issue("topic", "c")
    milestones = {m.number: m.title for m in world.tracker.list_milestones()}
    assert milestones[c.milestone] == "Stage one"


def test_removed_topic_is_closed_not_planned_with_a_comment_and_reopened_when_back(
        world: Harness) -> None:
    prepare(world)
    without_b = BASE.replace("""      - id: b
        title: Topic B
        track: practice
        depends_on: [a]
        steps: [{id: b1, text: Only step}]
""", "")
    report = sync(parse_roadmap(without_b), world.tracker)
    assert [c.describe().split(":")[0] for c in report.changes] == ["close topic #{} b".format(
        world.issue("topic", "b").number)]
    assert world.writes() == 2  # the close, and the comment saying why
    b = world.issue("topic", "b")
    assert (b.state, b.state_reason) == ("closed", "not_planned")
    comments = world.tracker.list_comments(b.number)
    assert len(comments) == 1 and "no longer in `roadmap.yml`" in comments[0].body
    world.reset_counts()
    assert sync(parse_roadmap(without_b), world.tracker).changes == []
    sync(parse_roadmap(BASE), world.tracker)
    b = world.issue("topic", "b")
    assert b.state == "open"
    assert sync(parse_roadmap(BASE), world.tracker).changes == []


def test_learner_closes_and_reopens_are_kept(world: Harness) -> None:
    prepare(world)
    a = world.issue("topic", "a")
    world.learner.update_issue(a.number, state="closed", state_reason="completed")
    sync(edited("text: Second step", "text: Second step (reworded)"), world.tracker)
    a = world.issue("topic", "a")
    assert a.state == "closed"
    assert "Second step (reworded)" in a.body
    # Removed from the roadmap, then reopened by hand: the learner decided; it stays open.
    without_c = BASE.replace("""      - id: c
        title: Topic C
        steps: [{id: c1, text: Step}]
        done_when: [{id: c-done, text: It works}]
""", "      - {id: e, title: Topic E, steps: [x]}\n")
    sync(parse_roadmap(without_c), world.tracker)
    c = world.issue("topic", "c")
    world.learner.update_issue(c.number, state="open")
    world.reset_counts()
    assert sync(parse_roadmap(without_c), world.tracker).changes == []
    assert world.issue("topic", "c").state == "open"


def test_learner_labels_survive_a_roadmap_label_change(world: Harness) -> None:
    prepare(world)
    c = world.issue("topic", "c")
    world.learner.update_issue(c.number, labels=[*c.labels, "needs-review"])
    sync(edited("title: Topic C\n", "title: Topic C\n        labels: [hard]\n"), world.tracker)
    assert set(world.issue("topic", "c").labels) == {"topic", "track:theory", "P2", "hard",
                                                     "needs-review"}


def test_a_strangers_forged_issue_is_never_touched(world: Harness) -> None:
    sync(parse_roadmap(BASE), world.tracker)
    a = world.issue("topic", "a")
    forged = world.stranger.create_issue("Topic A (forged)", a.body.replace("First step",
                                                                           "Pwned step"), [],
                                         None)
    removed = BASE.replace("title: Topic A\n", "title: Topic A\n").replace(
        "      - id: c\n", "      - id: c-new\n")
    world.reset_counts()
    sync(parse_roadmap(removed), world.tracker)
    after = next(i for i in world.learner.list_issues() if i.number == forged.number)
    assert (after.title, after.body, after.state) == (forged.title, forged.body, forged.state)
    assert world.tracker.list_comments(forged.number) == []
    # And the stranger's copy is not taken for the real row: the real one is still updated.
    assert world.issue("topic", "a").number == a.number


def test_dry_run_writes_nothing_and_says_what_it_would_do(world: Harness) -> None:
    report = sync(parse_roadmap(BASE), world.tracker, dry_run=True)
    assert world.writes() == 0
    lines = report.lines()
    assert lines[0] == f"Would make {len(report.changes)} change(s):"
    assert any(re.search(r"create topic a: Topic A \(new topic\)", line) for line in lines)


def test_a_roadmap_too_big_for_one_run_finishes_in_the_next(world: Harness) -> None:
    topics = "".join(f"      - {{id: t{n}, title: Topic {n}, steps: [x]}}\n" for n in range(30))
    big = parse_roadmap(textwrap.dedent("""\
        version: 1
        learner: {name: A, timezone: Asia/Shanghai, locale: en}
        schedule: {start: 2026-12-01}
        stages:
          - id: s
            title: S
            days: 30
            topics:
        """) + topics)
    first = sync(big, world.tracker, pacer=Pacer(cap=20))
    made = sum(1 for c in first.changes if c.action == "create")
    assert made == 20
    assert first.left == objects(big) - 20
    assert "left to create" in first.lines()[-1]
    second = sync(big, world.tracker, pacer=Pacer(cap=20))
    assert second.left == 0
    assert len(snapshot(world.tracker)["issues"]) == 30


def test_same_commands_give_the_same_state_on_both_stores(tmp_path: Path) -> None:
    states = []
    for backend in BACKENDS:
        with harness(backend, tmp_path / backend) as world:
            prepare(world)
            sync(edited("text: Second step", "text: Second step (reworded)"), world.tracker)
            world.tick("topic", "c", "c-done")
            sync(edited("title: Topic A", "title: Topic A2"), world.tracker)
            state = snapshot(world.tracker)
            # The tracker writes as the learner locally and as the Actions bot on GitHub.
            state["issues"] = {name.split("@")[0]: row for name, row in state["issues"].items()}
            states.append(state)
    assert states[0]["issues"].keys() == states[1]["issues"].keys()
    for name in states[0]["issues"]:
        local, remote = states[0]["issues"][name], states[1]["issues"][name]
        assert local == {**remote}, name
    assert states[0]["milestones"] == states[1]["milestones"]
    assert {n for n, _, _ in states[0]["labels"]} == {n for n, _, _ in states[1]["labels"]}
