"""Hostile edits by people, on both stores: each scenario is followed by more tracker runs.

After each scenario the tracker must keep working (no exception), keep the learner's text,
never adopt a stranger's issue, and converge: a second run at the same moment writes nothing.
Where the tracker does not do so yet, the test is a strict xfail whose reason names the defect.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tracker import keys
from tracker.daily import open_daily_plan
from tracker.reconcile import reconcile
from tracker.retro import open_retro
from tracker.roadmap import parse_roadmap
from tracker.rows import issue_block
from tracker.state import StudyState, read_state
from tracker.store.base import Issue, Store, trusted_authors
from tracker.sync import sync
from tracker.tick import tick

from conftest import REPO
from sync_harness import Harness, harness
from test_daily import PLAN, PROBLEMS, at

STAGE_TWO = """\
  - id: two
    title: Serving
    due: 2026-04-19
    topics:
      - id: serve
        title: Serve a model
        estimate: 2h
        steps: [{id: s1, text: vLLM quickstart}, {id: s2, text: Benchmark it}]
"""
TEXT = PLAN.format(tz="Asia/Shanghai", locale="en", problems="\n".join(
    f"  - {{id: {i}, title: {t}, url: 'https://leetcode.cn/problems/{slug}/', "
    f"difficulty: {level}}}" for i, t, slug, level in PROBLEMS)) + STAGE_TWO
# A roadmap edit that makes the tracker re-render two topic blocks (peft and rl).
EDITED = TEXT.replace("text: Cards", "text: Flash cards").replace("text: DPO idea",
                                                                   "text: DPO and IPO")
NOTES = "\n\nMy notes: LoRA = low-rank adapters; ask Wei whether rank 8 or 16.\n"
DAY1, DAY2, DAY3 = "2026-03-23", "2026-03-24", "2026-03-25"
LIMIT = 65_536


@pytest.fixture(params=["local", "github"])
def world(request: pytest.FixtureRequest, tmp_path: Path):
    with harness(request.param, tmp_path / "store") as h:
        yield h


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "README.md").write_text("# My study log\n\nWritten by me.\n", encoding="utf-8")
    return folder


# -- running the tracker -------------------------------------------------------------------------
def set_clock(world: Harness, moment: dt.datetime) -> None:
    if world.fake is not None:
        world.fake.set_time(moment)
    else:
        world.tracker.clock.now = moment.astimezone(dt.UTC)  # type: ignore[attr-defined]


def run(world: Harness, root: Path, day: str, time: str, text: str = TEXT) -> list[str]:
    """Every command, as the scheduled job and a person running them by hand would."""
    moment = at(day, time)
    set_clock(world, moment)
    (root / "roadmap.yml").write_text(text, encoding="utf-8")
    plan = parse_roadmap(text)
    lines = sync(plan, world.tracker).lines()
    lines += reconcile(plan, world.tracker).lines
    lines += open_daily_plan(plan, world.tracker, moment).lines
    lines += open_retro(plan, world.tracker, moment).lines
    lines += tick(plan, world.tracker, moment, root=root, roadmap_path=root / "roadmap.yml",
                  templates=REPO / "templates", commits={}).lines
    return lines


def picture(store: Store) -> dict[str, object]:
    """Everything a run could change, duplicates included."""
    issues = [(i.number, i.title, i.body, i.state, i.state_reason, sorted(i.labels),
               i.milestone, i.comments) for i in store.list_issues()]
    milestones = sorted((m.number, m.title, m.description, m.state, m.due)
                        for m in store.list_milestones())
    labels = sorted((label.name, label.color) for label in store.list_labels())
    return {"issues": issues, "milestones": milestones, "labels": labels}


def assert_converges(world: Harness, root: Path, day: str, time: str,
                     text: str = TEXT) -> None:
    """One more run gives the state it found and writes nothing."""
    run(world, root, day, time, text)
    before = picture(world.tracker)
    world.reset_counts()
    lines = run(world, root, day, time, text)
    assert world.writes() == 0, lines
    assert picture(world.tracker) == before
    assert "dashboard: The dashboard is up to date." in lines


# -- looking -------------------------------------------------------------------------------------
def issue_no(world: Harness, number: int) -> Issue:
    return next(i for i in world.learner.list_issues() if i.number == number)


def titled(world: Harness, title: str) -> list[int]:
    return [i.number for i in world.learner.list_issues() if i.title == title]


def copies(world: Harness, kind: str, ident: str) -> list[Issue]:
    """Issues by trusted authors carrying this key."""
    trusted = trusted_authors(world.tracker)
    found = []
    for issue in world.learner.list_issues():
        body = issue_block(issue)
        if body and trusted.wrote(issue) and (body.key.kind, body.key.id) == (
                kind, ident):
            found.append(issue)
    return found


def state(world: Harness) -> StudyState:
    return read_state(world.tracker.list_issues(), trusted_authors(world.tracker))


def edit(world: Harness, number: int, old: str, new: str) -> str:
    """The learner edits an issue body by hand; returns the new body."""
    body = issue_no(world, number).body
    assert old in body, old
    body = body.replace(old, new, 1)
    world.learner.update_issue(number, body=body)
    return body


def tick_plan(world: Harness, day: str, *ids: str) -> None:
    """The learner ticks items of a day's plan on their phone."""
    plan = state(world).plans[dt.date.fromisoformat(day)]
    body = keys.tick(plan.row.issue.body, set(ids))
    assert body != plan.row.issue.body, ids
    world.learner.update_issue(plan.number, body=body)


def padded(body: str, length: int = LIMIT) -> str:
    """`body` with the learner's notes below it, up to exactly `length` characters."""
    line = "- a note I keep on this topic: what LoRA's rank trades off, and why\n"
    notes = NOTES + line * ((length - len(body) - len(NOTES)) // len(line) + 1)
    return (body + notes)[:length]


def started(world: Harness, root: Path) -> Issue:
    """Synced, the first morning's plan open; the topic `peft` with the learner's notes."""
    run(world, root, DAY1, "08:00")
    peft = world.issue("topic", "peft")
    world.learner.update_issue(peft.number, body=peft.body + NOTES)
    return issue_no(world, peft.number)


# -- 1. the block markers ------------------------------------------------------------------------
def test_begin_marker_deleted_keeps_the_same_topic_issue(world: Harness, root: Path) -> None:
    peft = started(world, root)
    begin = peft.body.split("\n", 1)[0]
    edit(world, peft.number, begin + "\n", "")
    run(world, root, DAY1, "09:00")
    tick_plan(world, DAY1, "t:peft:s1")
    run(world, root, DAY1, "10:00", EDITED)
    assert titled(world, "PEFT and LoRA") == [peft.number]
    body = issue_no(world, peft.number).body
    assert NOTES in body
    assert "- [x] Read the LoRA paper <!-- step:s1 -->" in body
    assert_converges(world, root, DAY1, "11:00", EDITED)


def test_end_marker_deleted_then_roadmap_edit_keeps_the_notes(world: Harness,
                                                               root: Path) -> None:
    peft = started(world, root)
    world.tick("topic", "peft", "s2")
    edit(world, peft.number, keys.END, "")
    run(world, root, DAY1, "09:00")
    assert NOTES in issue_no(world, peft.number).body
    run(world, root, DAY1, "10:00", EDITED)
    assert titled(world, "PEFT and LoRA") == [peft.number]
    body = issue_no(world, peft.number).body
    assert NOTES in body
    assert "Flash cards" in body and "- [x] QLoRA changes <!-- step:s2 -->" in body
    assert_converges(world, root, DAY1, "11:00", EDITED)


def test_whole_block_deleted_is_written_back_into_the_same_issue(world: Harness,
                                                                  root: Path) -> None:
    peft = started(world, root)
    world.learner.update_issue(peft.number, body=NOTES.strip() + "\n")
    run(world, root, DAY1, "09:00")
    assert titled(world, "PEFT and LoRA") == [peft.number]
    body = issue_no(world, peft.number).body
    assert NOTES.strip() in body
    assert "- [ ] Read the LoRA paper <!-- step:s1 -->" in body
    assert_converges(world, root, DAY1, "10:00")


def test_retro_begin_marker_deleted_opens_no_second_retro(world: Harness, root: Path) -> None:
    started(world, root)
    run(world, root, "2026-03-29", "20:30")
    retro = copies(world, "retro", "2026-W13")[0]
    begin = retro.body.split("\n", 1)[0]
    reflection = "\n\nWhat went well: I kept the streak. What to change: sleep earlier.\n"
    world.learner.update_issue(retro.number, body=retro.body.replace(begin + "\n", "", 1)
                               + reflection)
    run(world, root, "2026-03-29", "21:30")
    assert titled(world, retro.title) == [retro.number]
    assert issue_no(world, retro.number).body.endswith(reflection)
    assert_converges(world, root, "2026-03-29", "22:00")


# -- 2. the block twice --------------------------------------------------------------------------
def test_block_pasted_twice_the_first_copy_is_worked_on(world: Harness, root: Path) -> None:
    peft = started(world, root)
    block = peft.body[: peft.body.index(keys.END) + len(keys.END)]
    world.learner.update_issue(peft.number, body=peft.body + "\n" + block + "\n")
    run(world, root, DAY1, "09:00")
    tick_plan(world, DAY1, "t:peft:s1")
    run(world, root, DAY1, "10:00", EDITED)
    assert titled(world, "PEFT and LoRA") == [peft.number]
    body = issue_no(world, peft.number).body
    assert NOTES in body
    first = keys.parse(body)
    assert first is not None and "- [x] Read the LoRA paper <!-- step:s1 -->" in first.block
    assert "Flash cards" in first.block
    assert_converges(world, root, DAY1, "11:00", EDITED)
    run(world, root, DAY2, "08:00", EDITED)
    assert "t:peft:s1" not in state(world).plans[dt.date(2026, 3, 24)].boxes
    assert_converges(world, root, DAY2, "09:00", EDITED)


# -- 3. broken checkboxes ------------------------------------------------------------------------
def test_squashed_ticked_box_still_counts(world: Harness, root: Path) -> None:
    peft = started(world, root)
    world.tick("topic", "peft", "s1")
    edit(world, peft.number, "- [x] Read the LoRA paper", "-[x] Read the LoRA paper")
    run(world, root, DAY2, "08:00")
    assert "t:peft:s1" not in state(world).plans[dt.date(2026, 3, 24)].boxes
    run(world, root, DAY2, "09:00", EDITED)
    body = issue_no(world, peft.number).body
    assert NOTES in body and "Flash cards" in body
    assert re.search(r"^- ?\[x\] Read the LoRA paper <!-- step:s1 -->$", body, re.MULTILINE)
    assert_converges(world, root, DAY2, "10:00", EDITED)


def test_box_without_its_id_comment_keeps_the_topic_open(world: Harness, root: Path) -> None:
    peft = started(world, root)
    edit(world, peft.number, "QLoRA changes <!-- step:s2 -->", "QLoRA changes")
    for box in ("s1", "s3", "d1"):
        world.tick("topic", "peft", box)
    run(world, root, DAY1, "09:00")
    after = issue_no(world, peft.number)
    assert after.state == "open"
    assert NOTES in after.body and "- [ ] QLoRA changes" in after.body
    assert_converges(world, root, DAY1, "10:00")


def test_box_with_a_changed_id_still_receives_plan_ticks(world: Harness, root: Path) -> None:
    peft = started(world, root)
    edit(world, peft.number, "<!-- step:s3 -->", "<!-- step:s3-mine -->")
    world.tick("topic", "peft", "s1")
    world.tick("topic", "peft", "s2")
    run(world, root, DAY2, "08:00")
    assert "t:peft:s3" in state(world).plans[dt.date(2026, 3, 24)].boxes
    tick_plan(world, DAY2, "t:peft:s3")
    run(world, root, DAY2, "12:00")
    body = issue_no(world, peft.number).body
    assert NOTES in body
    assert re.search(r"^- \[x\] Cards", body, re.MULTILINE)
    assert_converges(world, root, DAY2, "13:00")


# -- 4. GitHub's body limit ----------------------------------------------------------------------
def test_notes_up_to_the_body_limit_do_not_break_sync(world: Harness, root: Path) -> None:
    peft = started(world, root)
    full = padded(issue_no(world, peft.number).body)
    world.learner.update_issue(peft.number, body=full)
    lines = run(world, root, DAY1, "09:00", EDITED)
    assert issue_no(world, peft.number).body == full
    assert "DPO and IPO" in world.issue("topic", "rl").body
    assert any(f"#{peft.number}" in line and re.search(r"too long|limit|65[,.]?536", line)
               for line in lines), lines
    assert_converges(world, root, DAY1, "10:00", EDITED)


def test_topic_at_the_body_limit_still_closes(world: Harness, root: Path) -> None:
    peft = started(world, root)
    for box in ("s1", "s2", "s3", "d1"):
        world.tick("topic", "peft", box)
    full = padded(issue_no(world, peft.number).body)
    world.learner.update_issue(peft.number, body=full)
    run(world, root, DAY1, "09:00")
    after = issue_no(world, peft.number)
    assert (after.state, after.state_reason) == ("closed", "completed")
    assert after.body == full
    assert_converges(world, root, DAY1, "10:00")


def test_plan_ticks_reach_a_topic_at_the_body_limit(world: Harness, root: Path) -> None:
    peft = started(world, root)
    full = padded(issue_no(world, peft.number).body)
    world.learner.update_issue(peft.number, body=full)
    tick_plan(world, DAY1, "t:peft:s1")
    run(world, root, DAY1, "09:00")
    body = issue_no(world, peft.number).body
    assert len(body) == LIMIT and "- [x] Read the LoRA paper <!-- step:s1 -->" in body
    assert body.replace("- [x] Read", "- [ ] Read", 1) == full
    assert_converges(world, root, DAY1, "10:00")


# -- 5. titles, labels, milestones by hand -------------------------------------------------------
def test_renamed_and_relabelled_topic_keeps_the_learners_title_and_labels(
        world: Harness, root: Path) -> None:
    peft = started(world, root)
    world.learner.update_issue(peft.number, title="LoRA, my way", labels=["favourite"])
    foundations = next(m for m in world.tracker.list_milestones() if m.title == "Foundations")
    world.learner.update_milestone(foundations.number, title="Basics, my way")
    run(world, root, DAY1, "09:00", EDITED)
    after = issue_no(world, peft.number)
    assert after.title == "LoRA, my way" and list(after.labels) == ["favourite"]
    assert after.milestone == foundations.number
    assert {m.title for m in world.tracker.list_milestones()} == {"Basics, my way", "Serving"}
    assert "Flash cards" in after.body and NOTES in after.body
    run(world, root, DAY2, "08:00", EDITED)
    assert "t:peft:s1" in state(world).plans[dt.date(2026, 3, 24)].boxes
    assert [i.number for i in copies(world, "topic", "peft")] == [peft.number]
    assert_converges(world, root, DAY2, "09:00", EDITED)


def test_topic_moved_to_another_milestone_by_hand(world: Harness, root: Path) -> None:
    started(world, root)
    milestones = {m.title: m.number for m in world.tracker.list_milestones()}
    rl = world.issue("topic", "rl")
    world.learner.update_issue(rl.number, milestone=milestones["Serving"])
    run(world, root, DAY1, "09:00", EDITED)
    assert issue_no(world, rl.number).milestone == milestones["Serving"]
    for topic, boxes in {"peft": ("s1", "s2", "s3", "d1"), "rl": ("s1", "s2"),
                         "rag": ("s1", "s2")}.items():
        for box in boxes:
            world.tick("topic", topic, box)
    run(world, root, DAY1, "10:00", EDITED)
    assert issue_no(world, rl.number).state == "closed"
    states = {m.title: m.state for m in world.tracker.list_milestones()}
    assert states == {"Foundations": "closed", "Serving": "open"}
    assert_converges(world, root, DAY1, "11:00", EDITED)


# -- 6. daily plans closed, reopened, ticked by hand ---------------------------------------------
def test_todays_plan_closed_early_stays_closed_and_is_not_doubled(world: Harness,
                                                                  root: Path) -> None:
    started(world, root)
    today = copies(world, "daily", DAY1)[0]
    world.learner.update_issue(today.number, state="closed", state_reason="completed")
    run(world, root, DAY1, "13:00")
    assert len(copies(world, "daily", DAY1)) == 1
    assert issue_no(world, today.number).state == "closed"
    run(world, root, DAY2, "08:00")
    assert issue_no(world, today.number).state == "closed"
    assert len(copies(world, "daily", DAY2)) == 1
    assert "t:peft:s1" in state(world).plans[dt.date(2026, 3, 24)].boxes  # carried over
    assert_converges(world, root, DAY2, "09:00")


def test_reopened_plan_stays_open(world: Harness, root: Path) -> None:
    started(world, root)
    run(world, root, DAY2, "08:00")
    first = copies(world, "daily", DAY1)[0]
    assert first.state == "closed"
    world.learner.update_issue(first.number, state="open")
    run(world, root, DAY2, "12:00")
    run(world, root, DAY3, "08:00")
    assert issue_no(world, first.number).state == "open"
    scores = [c for c in world.tracker.list_comments(first.number)
              if "study-tracker:comment score" in c.body]
    assert len(scores) == 1
    assert_converges(world, root, DAY3, "09:00")


def test_ticks_in_a_closed_plan_still_reach_the_topic(world: Harness, root: Path) -> None:
    peft = started(world, root)
    run(world, root, DAY2, "08:00")
    first = copies(world, "daily", DAY1)[0]
    assert first.state == "closed"
    tick_plan(world, DAY1, "t:peft:s1")
    run(world, root, DAY2, "12:00")
    assert "- [x] Read the LoRA paper <!-- step:s1 -->" in issue_no(world, peft.number).body
    assert issue_no(world, first.number).state == "closed"
    assert_converges(world, root, DAY2, "13:00")


# -- 7. strangers --------------------------------------------------------------------------------
def untouched(world: Harness, forged: Issue) -> None:
    now = issue_no(world, forged.number)
    assert (now.title, now.body, now.state, sorted(now.labels), now.milestone) == (
        forged.title, forged.body, forged.state, sorted(forged.labels), forged.milestone)
    assert all(c.author.lower() not in trusted_authors(world.tracker)
               for c in world.tracker.list_comments(forged.number))


def test_strangers_copy_of_a_topic_is_ignored(world: Harness, root: Path) -> None:
    peft = started(world, root)
    ticked = keys.tick(peft.body, {"s1", "s2", "s3", "d1"}) + "\n\nmine now"
    forged = world.stranger.create_issue("PEFT and LoRA", ticked, [], None)
    run(world, root, DAY1, "09:00", EDITED)
    untouched(world, forged)
    real = issue_no(world, peft.number)
    assert real.state == "open" and "Flash cards" in real.body and NOTES in real.body
    assert "- [ ] Read the LoRA paper" in real.body
    assert [i.number for i in copies(world, "topic", "peft")] == [peft.number]
    assert_converges(world, root, DAY1, "10:00", EDITED)
    untouched(world, forged)


def test_strangers_forged_plan_for_today_does_not_stop_the_real_one(world: Harness,
                                                                    root: Path) -> None:
    peft = started(world, root)
    set_clock(world, at(DAY2, "06:00"))
    forged = world.stranger.create_issue(
        "📅 Tue 24 Mar · day 2", keys.compose(keys.Key("daily", DAY2),
                                              "- [x] Read <!-- item:t:peft:s1 -->"), [], None)
    run(world, root, DAY2, "08:00")
    plans = copies(world, "daily", DAY2)
    assert len(plans) == 1 and plans[0].number != forged.number
    assert "- [ ] Read the LoRA paper" in issue_no(world, peft.number).body
    run(world, root, DAY3, "08:00")
    untouched(world, forged)
    assert_converges(world, root, DAY3, "09:00")
    untouched(world, forged)


def test_strangers_forged_retro_does_not_stop_the_real_one(world: Harness, root: Path) -> None:
    started(world, root)
    forged = world.stranger.create_issue(
        "🗓️ Week 13 retro", keys.compose(keys.Key("retro", "2026-W13"), "lol"), [], None)
    run(world, root, "2026-03-29", "20:30")
    retros = copies(world, "retro", "2026-W13")
    assert len(retros) == 1 and retros[0].number != forged.number
    run(world, root, "2026-04-05", "21:00")
    assert issue_no(world, retros[0].number).state == "closed"
    untouched(world, forged)
    assert_converges(world, root, "2026-04-05", "22:00")
    untouched(world, forged)


def test_strangers_score_comment_does_not_stop_the_real_score(world: Harness,
                                                             root: Path) -> None:
    started(world, root)
    plan = copies(world, "daily", DAY1)[0]
    world.stranger.create_comment(plan.number,
                                  f"<!-- study-tracker:comment score {DAY1} -->\n📊 10/10!")
    run(world, root, DAY2, "08:00")
    trusted = trusted_authors(world.tracker)
    scores = [c for c in world.tracker.list_comments(plan.number)
              if c.author.lower() in trusted and f"comment score {DAY1}" in c.body]
    assert len(scores) == 1
    assert_converges(world, root, DAY2, "09:00")


def test_strangers_marker_comment_does_not_silence_the_removal_note(world: Harness,
                                                                   root: Path) -> None:
    started(world, root)
    rag = world.issue("topic", "rag")
    world.stranger.create_comment(rag.number, "<!-- study-tracker:comment close-topic rag -->")
    start, end = TEXT.index("      - id: rag\n"), TEXT.index("  - id: two\n")
    without_rag = TEXT[:start] + TEXT[end:]
    run(world, root, DAY1, "09:00", without_rag)
    after = issue_no(world, rag.number)
    assert (after.state, after.state_reason) == ("closed", "not_planned")
    trusted = trusted_authors(world.tracker)
    assert any(c.author.lower() in trusted and "no longer in `roadmap.yml`" in c.body
               for c in world.tracker.list_comments(rag.number))
    assert_converges(world, root, DAY1, "10:00", without_rag)


def test_a_retried_create_never_adopts_a_strangers_forgery(world: Harness,
                                                           root: Path) -> None:
    if world.fake is None:
        pytest.skip("a lost create is a GitHub fault")
    started(world, root)
    set_clock(world, at(DAY2, "06:00"))
    forged = world.stranger.create_issue(
        "📅 Tue 24 Mar · day 2", keys.compose(keys.Key("daily", DAY2), "forged"), [], None)
    world.fake.inject("5xx", 1, method="POST", path=re.compile(r"/issues$"))
    set_clock(world, at(DAY2, "08:00"))
    report = open_daily_plan(parse_roadmap(TEXT), world.tracker, at(DAY2, "08:00"))
    assert report.opened is not None and report.opened.number != forged.number
    assert len(copies(world, "daily", DAY2)) == 1
    untouched(world, forged)


# -- 8. the key edited into invalid JSON ---------------------------------------------------------
def broken_key(body: str) -> str:
    return body.replace('{"', '{', 1)  # a quote deleted: no longer JSON


def test_topic_key_made_invalid_json_keeps_the_same_issue(world: Harness, root: Path) -> None:
    peft = started(world, root)
    world.learner.update_issue(peft.number, body=broken_key(peft.body))
    run(world, root, DAY1, "09:00")
    tick_plan(world, DAY1, "t:peft:s1")
    run(world, root, DAY1, "10:00")
    assert titled(world, "PEFT and LoRA") == [peft.number]
    body = issue_no(world, peft.number).body
    assert NOTES in body and "- [x] Read the LoRA paper <!-- step:s1 -->" in body
    assert_converges(world, root, DAY1, "11:00")


def test_todays_plan_key_made_invalid_json_opens_no_second_plan(world: Harness,
                                                               root: Path) -> None:
    peft = started(world, root)
    plan = copies(world, "daily", DAY1)[0]
    body = broken_key(keys.tick(plan.body, {"t:peft:s1"}))
    world.learner.update_issue(plan.number, body=body)
    run(world, root, DAY1, "09:00")
    assert titled(world, plan.title) == [plan.number]
    assert "- [x] Read the LoRA paper" in issue_no(world, peft.number).body
    assert_converges(world, root, DAY1, "10:00")


def test_topic_key_valid_json_of_the_wrong_shape_does_not_crash(world: Harness,
                                                                  root: Path) -> None:
    peft = started(world, root)
    body = re.sub(r'"l":\[[^\]]*\]', '"l":7', peft.body, count=1)
    assert body != peft.body
    world.learner.update_issue(peft.number, body=body)
    run(world, root, DAY1, "09:00", EDITED)
    assert titled(world, "PEFT and LoRA") == [peft.number]
    after = issue_no(world, peft.number)
    assert NOTES in after.body and "Flash cards" in after.body
    assert set(after.labels) == set(peft.labels)
    assert_converges(world, root, DAY1, "10:00", EDITED)


# -- 9. two trusted copies of one key ------------------------------------------------------------
def test_two_trusted_copies_are_worked_on_as_one_and_no_third_is_made(world: Harness,
                                                                       root: Path) -> None:
    peft = started(world, root)
    plan = copies(world, "daily", DAY1)[0]
    # An interrupted run left a second plan (the tracker's); the learner re-filed the topic.
    extra = world.tracker.create_issue(plan.title, plan.body, list(plan.labels), None)
    world.learner.create_issue(peft.title, peft.body, list(peft.labels), peft.milestone)
    # The learner ticks in the newer plan, the one on top of their list.
    world.learner.update_issue(extra.number, body=keys.tick(extra.body, {"t:peft:s1"}))
    run(world, root, DAY1, "09:00", EDITED)
    assert len(titled(world, peft.title)) == 2 and len(titled(world, plan.title)) == 2
    kept = copies(world, "topic", "peft")[0]
    assert kept.number == peft.number and NOTES in kept.body
    assert "- [x] Read the LoRA paper" in kept.body and "Flash cards" in kept.body
    run(world, root, DAY2, "08:00", EDITED)
    assert len(copies(world, "daily", DAY2)) == 1
    assert len(titled(world, peft.title)) == 2 and len(titled(world, plan.title)) == 2
    assert "t:peft:s1" not in state(world).plans[dt.date(2026, 3, 24)].boxes
    assert_converges(world, root, DAY2, "09:00", EDITED)
