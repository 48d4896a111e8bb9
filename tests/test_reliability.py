"""What real learners do to their repository, on both stores: caches from another store, keys
pasted into notes, milestones deleted by hand, topics filled to GitHub's body limit.

Each scenario is followed by more runs, which must keep the learner's text and converge.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tracker import keys
from tracker.caches import describes
from tracker.cli import connect
from tracker.daily import open_daily_plan
from tracker.roadmap import parse_roadmap
from tracker.rows import issue_block, own_block
from tracker.state import TOPIC_STEP, item_kind
from tracker.store.base import ACTIONS_BOT, Issue, Store, Trusted, trusted_authors
from tracker.store.github import GitHubStore
from tracker.store.local import LocalStore
from tracker.sync import sync
from tracker.tick import tick

from conftest import REPO
from fake_github import FakeGitHub
from sync_harness import Harness, github_store, harness
from test_daily import at
from test_hostile import (
    DAY1,
    DAY2,
    DAY3,
    EDITED,
    LIMIT,
    NOTES,
    TEXT,
    assert_converges,
    copies,
    edit,
    issue_no,
    padded,
    run,
    set_clock,
    started,
    state,
    tick_plan,
    titled,
)

TOPICS = ("peft", "rl", "rag", "serve")


@pytest.fixture(params=["local", "github"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def world(backend: str, tmp_path: Path) -> Iterator[Harness]:
    with harness(backend, tmp_path / "store") as h:
        yield h


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "README.md").write_text("# My study log\n", encoding="utf-8")
    return folder


def scheduled(world: Harness, root: Path, day: str, time: str, text: str = TEXT) -> list[str]:
    """The hourly job alone, as the workflow runs it."""
    moment = at(day, time)
    set_clock(world, moment)
    (root / "roadmap.yml").write_text(text, encoding="utf-8")
    return tick(parse_roadmap(text), world.tracker, moment, root=root,
                roadmap_path=root / "roadmap.yml", templates=REPO / "templates",
                commits={}).lines


# -- caches tied to their store ------------------------------------------------------------------
@contextmanager
def started_over(backend: str, tmp_path: Path, root: Path) -> Iterator[Harness]:
    """A checkout synced and ticked against one store, then pointed at a fresh one: local mode
    after `rm -rf .tracker`, GitHub after forking another learner's repository."""
    with harness(backend, tmp_path / "store") as first:
        scheduled(first, root, DAY1, "08:00")
        assert len(state(first).topics) == len(TOPICS)
    assert (root / "dashboard" / "synced.json").exists()
    if backend == "local":
        for path in (tmp_path / "store").iterdir():
            path.unlink()  # rm -rf .tracker
        with harness(backend, tmp_path / "store") as world:
            yield world
    else:
        with harness(backend, tmp_path / "fork", owner="newcomer") as world:
            yield world


def test_a_checkout_whose_store_started_over_syncs_and_plans_again(
        backend: str, tmp_path: Path, root: Path) -> None:
    with started_over(backend, tmp_path, root) as world:
        lines = scheduled(world, root, DAY2, "08:00")
        assert {i for i in TOPICS if len(copies(world, "topic", i)) == 1} == set(TOPICS), lines
        plan = state(world).plans[dt.date.fromisoformat(DAY2)]
        assert any(item_kind(box) == TOPIC_STEP for box in plan.boxes), plan.row.issue.body
        assert "0.0h" not in plan.row.issue.body
        assert_converges(world, root, DAY2, "09:00")


def test_the_first_hour_after_starting_over_is_not_taken_for_a_quiet_one(
        backend: str, tmp_path: Path, root: Path) -> None:
    with started_over(backend, tmp_path, root) as world:
        lines = scheduled(world, root, DAY1, "09:00")
        assert not any(line.startswith("Nothing edited since") for line in lines), lines
        assert len(state(world).topics) == len(TOPICS)
        assert len(copies(world, "daily", DAY1)) == 1
        assert_converges(world, root, DAY1, "10:00")


def test_a_store_is_named_by_its_repository_and_its_id_or_by_its_database(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def named(repository: str, api: str = "https://api.github.com", **more: str) -> str:
        return GitHubStore("token", repository, api, **more).identity

    assert named("Learner/Study") == named("learner/study") == "github:api.github.com/learner/study"
    assert named("learner/study", repository_id="42") == "github:api.github.com/learner/study#42"
    assert named("learner/study", "https://ghe.example.com/api/v3") != named("learner/study")
    assert named("newcomer/study") != named("learner/study")
    first = LocalStore(tmp_path / "a" / "tracker.db")
    assert LocalStore(tmp_path / "a" / "tracker.db").identity == first.identity
    assert LocalStore(tmp_path / "b" / "tracker.db").identity != first.identity
    assert describes(first.identity, first) and not describes(None, first)
    # Actions gives the repository's id for its own repository only.
    monkeypatch.setenv("GITHUB_TOKEN", "token")
    monkeypatch.setenv("GITHUB_REPOSITORY", "learner/study")
    monkeypatch.setenv("GITHUB_REPOSITORY_ID", "42")
    assert connect("github", tmp_path / "db", "learner/study", None).identity.endswith("#42")
    assert "#" not in connect("github", tmp_path / "db", "learner/other", None).identity


# -- the key that counts -------------------------------------------------------------------------
JOURNAL = "## Journal\n\nMonday went well. Yesterday's plan, for the record:\n\n"


def test_a_plan_pasted_into_a_topics_notes_does_not_take_the_topic_over(
        world: Harness, root: Path) -> None:
    peft = started(world, root)
    plan = copies(world, "daily", DAY1)[0]
    tick_plan(world, DAY1, "t:peft:s1")
    pasted = JOURNAL + issue_no(world, plan.number).body + "\n\n"
    world.learner.update_issue(peft.number, body=pasted + peft.body)
    run(world, root, DAY1, "09:00")
    run(world, root, DAY2, "08:00", EDITED)
    topic = issue_no(world, peft.number)
    assert topic.state == "open" and topic.body.startswith(pasted) and NOTES in topic.body
    assert "- [x] Read the LoRA paper <!-- step:s1 -->" in topic.body
    assert "Flash cards" in topic.body  # its own block follows the roadmap
    assert titled(world, peft.title) == [peft.number]
    real = issue_no(world, plan.number)
    assert real.state == "closed" and real.body.startswith(plan.body.split("\n", 1)[0])
    assert re.search(r"^- \[x\] Read the LoRA paper.*<!-- item:t:peft:s1 -->$", real.body,
                     re.MULTILINE)
    assert titled(world, plan.title) == [plan.number]
    assert "t:peft:s1" not in state(world).plans[dt.date.fromisoformat(DAY2)].boxes
    assert_converges(world, root, DAY2, "09:00", EDITED)


def test_yesterdays_plan_pasted_above_todays_leaves_both_plans_whole(
        world: Harness, root: Path) -> None:
    started(world, root)
    run(world, root, DAY2, "08:00")
    yesterday, today = copies(world, "daily", DAY1)[0], copies(world, "daily", DAY2)[0]
    pasted = JOURNAL + yesterday.body + "\n\n"
    world.learner.update_issue(today.number, body=pasted + today.body)
    run(world, root, DAY2, "09:00")
    assert issue_no(world, today.number).state == "open"
    assert issue_no(world, today.number).body == pasted + today.body
    assert issue_no(world, yesterday.number).body == yesterday.body
    assert titled(world, today.title) == [today.number]
    assert state(world).plans[dt.date.fromisoformat(DAY2)].number == today.number
    run(world, root, DAY3, "08:00")
    assert issue_no(world, today.number).state == "closed"
    assert issue_no(world, today.number).body == pasted + today.body
    assert_converges(world, root, DAY3, "09:00")


def test_another_topics_block_in_the_notes_stays_text(world: Harness, root: Path) -> None:
    peft = started(world, root)
    rl = world.issue("topic", "rl")
    below = "\n\nCopied from the RL topic, to compare:\n\n" + rl.body + "\n"
    world.learner.update_issue(peft.number, body=peft.body + below)
    run(world, root, DAY1, "09:00", EDITED)
    topic = issue_no(world, peft.number)
    assert topic.body.endswith(below) and "Flash cards" in topic.body
    assert issue_no(world, rl.number).body != rl.body  # the real rl follows the roadmap
    assert "DPO and IPO" not in below
    assert titled(world, peft.title) == [peft.number] and titled(world, rl.title) == [rl.number]
    assert_converges(world, root, DAY1, "10:00", EDITED)


def test_every_block_of_a_body_is_found_with_the_rest_kept_as_text() -> None:
    mine = keys.compose(keys.Key("topic", "peft", {"t": keys.digest("PEFT")}), "- [ ] a")
    pasted = keys.compose(keys.Key("daily", "2026-03-23"), "- [x] b")
    body = f"notes\n{pasted}\nmore\n{mine}\nend"
    first, second = keys.blocks(body)
    assert keys.parse(body) == first and first.key == keys.Key("daily", "2026-03-23")
    assert (first.before, first.block) == ("notes\n", "- [x] b")
    assert first.after == f"\nmore\n{mine}\nend"
    assert (second.before, second.block, second.after) == (f"notes\n{pasted}\nmore\n", "- [ ] a",
                                                           "\nend")
    assert keys.compose(second.key, second.block, second.before, second.after) == body
    # Its end marker deleted, a block stops where the next key starts.
    cut = body.replace(keys.END, "", 1)
    opened = keys.blocks(cut)[0]
    assert opened.open_ended and opened.block == "- [x] b\n\nmore"
    assert keys.blocks("no key here") == [] and keys.blocks(None) == []


def test_the_key_that_counts_is_of_the_issues_kind_and_title() -> None:
    def block(kind: str, ident: str, title: str | None = None) -> str:
        written = {"t": keys.digest(title)} if title else {}
        return keys.compose(keys.Key(kind, ident, written), f"- [ ] {ident}")

    def own(body: str, title: str, *labels: str) -> tuple[str, str] | None:
        found = own_block(body, title, labels)
        return (found.key.kind, found.key.id) if found else None

    plan, topic = block("daily", "d1", "📅 day 1"), block("topic", "peft", "PEFT")
    assert own(plan + "\n" + topic, "PEFT", "topic", "P1") == ("topic", "peft")
    assert own(topic + "\n" + plan, "📅 day 1", "daily-plan") == ("daily", "d1")
    yesterday, today = block("daily", "d1", "📅 day 1"), block("daily", "d2", "📅 day 2")
    assert own(yesterday + "\n" + today, "📅 day 2", "daily-plan") == ("daily", "d2")
    assert own(yesterday + "\n" + today, "📅 day 2") == ("daily", "d2")  # labels removed
    # Neither kind nor title tells: the first block counts, as with one block.
    assert own(yesterday + "\n" + today, "renamed", "daily-plan") == ("daily", "d1")
    assert own(block("retro", "w1"), "anything") == ("retro", "w1")
    assert own("", "x") is None


# -- a milestone deleted by hand -----------------------------------------------------------------
FOUNDATION_BOXES = {"peft": ("s1", "s2", "s3", "d1"), "rl": ("s1", "s2"), "rag": ("s1", "s2")}


def milestones(world: Harness) -> dict[str, tuple[int, str]]:
    return {m.title: (m.number, m.state) for m in world.tracker.list_milestones()}


def test_a_stage_milestone_deleted_by_hand_is_made_again_with_its_topics(
        world: Harness, root: Path) -> None:
    started(world, root)
    old, _ = milestones(world)["Foundations"]
    world.delete_milestone(old)
    # Issues left without their milestone may not count as edited, so a listing of what
    # changed does not show it: the reading of every issue, once a week, finds it gone.
    week_later = (dt.date.fromisoformat(DAY1) + dt.timedelta(days=7)).isoformat()
    lines = scheduled(world, root, week_later, "08:00")
    assert any("read once a week" in line for line in lines), lines
    new, state_now = milestones(world)["Foundations"]
    assert new != old and state_now == "open"
    assert {t: world.issue("topic", t).milestone for t in FOUNDATION_BOXES} == dict.fromkeys(
        FOUNDATION_BOXES, new)
    assert world.issue("topic", "serve").milestone == milestones(world)["Serving"][0]
    set_clock(world, at(week_later, "09:30"))
    for topic, boxes in FOUNDATION_BOXES.items():
        for box in boxes:
            world.tick("topic", topic, box)
    scheduled(world, root, week_later, "10:00")
    assert milestones(world)["Foundations"] == (new, "closed")  # it fills up and closes
    assert_converges(world, root, week_later, "11:00")


def test_a_topic_taken_out_of_its_milestone_by_hand_stays_out(world: Harness,
                                                               root: Path) -> None:
    started(world, root)
    rl = world.issue("topic", "rl")
    world.learner.update_issue(rl.number, milestone=None)
    run(world, root, DAY1, "09:00", EDITED)
    assert issue_no(world, rl.number).milestone is None
    assert "DPO and IPO" in issue_no(world, rl.number).body
    assert_converges(world, root, DAY1, "10:00", EDITED)


# -- a topic at GitHub's body limit --------------------------------------------------------------
def too_long_notes(world: Harness, number: int) -> list[str]:
    trusted = trusted_authors(world.tracker)
    return [c.body for c in world.tracker.list_comments(number)
            if c.author.lower() in trusted and "too long for GitHub" in c.body]


def test_a_browser_saved_topic_at_the_body_limit_still_takes_plan_ticks(
        world: Harness, root: Path) -> None:
    peft = started(world, root)
    # Saved from the browser: every line ends with CRLF, and the notes fill the body.
    full = padded(issue_no(world, peft.number).body.replace("\n", "\r\n"))
    world.learner.update_issue(peft.number, body=full)
    tick_plan(world, DAY1, "t:peft:s1")
    lines = run(world, root, DAY1, "09:00")
    assert not any("too long" in line or "Left topic" in line for line in lines), lines
    body = issue_no(world, peft.number).body
    assert body == full.replace("- [ ] Read the LoRA paper", "- [x] Read the LoRA paper", 1)
    assert_converges(world, root, DAY1, "10:00")


def test_a_topic_closing_at_the_body_limit_keeps_its_last_tick(world: Harness,
                                                               root: Path) -> None:
    peft = started(world, root)
    for box in ("s2", "s3", "d1"):
        world.tick("topic", "peft", box)
    full = padded(issue_no(world, peft.number).body, LIMIT - 5)  # no room to note the close
    world.learner.update_issue(peft.number, body=full)
    tick_plan(world, DAY1, "t:peft:s1")
    lines = run(world, root, DAY1, "09:00")
    after = issue_no(world, peft.number)
    assert (after.state, after.state_reason) == ("closed", "completed")
    assert after.body == full.replace("- [ ] Read the LoRA paper", "- [x] Read the LoRA paper")
    assert not any("too long" in line for line in lines), lines
    assert_converges(world, root, DAY1, "10:00")


def test_a_tick_with_no_room_in_its_topic_counts_and_is_said_once(world: Harness,
                                                                   root: Path) -> None:
    peft = started(world, root)
    # The learner shortened a box and its id by hand: the plan's tick needs the box written
    # afresh from the roadmap, which is longer than what the notes leave room for.
    edit(world, peft.number, "Read the LoRA paper <!-- step:s1 -->", "LoRA <!-- step:mine -->")
    full = padded(issue_no(world, peft.number).body)
    world.learner.update_issue(peft.number, body=full)
    tick_plan(world, DAY1, "t:peft:s1")
    first = run(world, root, DAY1, "09:00")
    said = [line for line in first if f"#{peft.number}" in line and "too long" in line]
    assert len(said) == 1 and "move some notes to a comment" in said[0], first
    [note] = too_long_notes(world, peft.number)
    assert "“Read the LoRA paper”" in note and "Move some of your notes" in note
    assert issue_no(world, peft.number).body == full
    second = run(world, root, DAY2, "08:00")
    assert not any("too long" in line for line in second), second
    plan = state(world).plans[dt.date.fromisoformat(DAY2)]
    assert "t:peft:s1" not in plan.boxes  # it counts: not planned again
    assert len(too_long_notes(world, peft.number)) == 1
    assert_converges(world, root, DAY2, "09:00")


# -- waits said ----------------------------------------------------------------------------------
def test_a_run_waiting_for_another_on_the_local_store_says_so(tmp_path: Path) -> None:
    said: list[str] = []

    class Said:
        def waiting(self, text: str) -> None:
            said.append(text)

        def resumed(self, text: str) -> None:
            said.append(text)

    first = LocalStore(tmp_path / "tracker.db")
    second = LocalStore(tmp_path / "tracker.db", waits=Said())
    holding, release = threading.Event(), threading.Event()

    def other_run() -> None:
        with first.lock():
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=other_run)
    thread.start()
    holding.wait(10)
    threading.Timer(0.2, release.set).start()
    with second.lock():
        pass
    thread.join()
    assert said == [f"Another tracker run is using {tmp_path / 'tracker.db'}: waiting for it to "
                    f"finish", "The other run finished; going on."]
    with second.lock():  # nobody else holds it: nothing to say
        pass
    assert len(said) == 2


# -- an organisation's repository ----------------------------------------------------------------
@contextmanager
def study_group(backend: str, tmp_path: Path) -> Iterator[tuple[Harness, Store]]:
    """The repository `study-group/study`, owned by an organisation: the workflow (the bot) and
    alice, a member with write access who also runs the tracker by hand with her own token."""
    if backend == "local":
        bot = LocalStore(tmp_path / "tracker.db", owner="study-group", actor=ACTIONS_BOT,
                         collaborators=["alice"])
        yield Harness("local", bot, bot.as_user("alice"), bot.as_user("passer-by")), \
            bot.as_user("alice")
        return
    with FakeGitHub(owner="study-group") as fake:
        fake.add_user("member", "alice", id=1004, permission="write",
                      author_association="MEMBER")
        yield Harness("github", github_store(fake), github_store(fake, "member"),
                      github_store(fake, "stranger"), fake), github_store(fake, "member")


def test_an_organisations_repository_trusts_its_members_rows_and_not_strangers(
        backend: str, tmp_path: Path, root: Path) -> None:
    with study_group(backend, tmp_path) as (world, alice):
        plan = parse_roadmap(TEXT)
        set_clock(world, at(DAY1, "08:00"))
        sync(plan, alice)  # by hand, on her laptop: the rows are hers
        open_daily_plan(plan, alice, at(DAY1, "08:00"))
        forged = world.stranger.create_issue(
            "PEFT and LoRA", keys.compose(keys.Key("topic", "peft"), "- [x] s1 <!-- step:s1 -->"),
            [], None)
        tick_plan(world, DAY1, "t:peft:s1")
        lines = run(world, root, DAY1, "09:00")  # then the workflow, as the Actions bot
        assert "Nothing to change: the store already matches the roadmap." in lines, lines
        for ident in TOPICS:
            assert len([i for i in world.tracker.list_issues() if i.title == plan.topics_by_id[
                ident].title and i.author != "passer-by"]) == 1, ident
        peft = world.issue("topic", "peft")
        assert peft.author == "alice" and "- [x] Read the LoRA paper" in peft.body
        assert issue_no(world, forged.number).body == forged.body  # a stranger's, untouched
        assert len(copies(world, "daily", DAY1)) == 1
        assert_converges(world, root, DAY1, "10:00")


def test_who_is_trusted_the_bot_the_owner_members_and_collaborators() -> None:
    trusted = Trusted(frozenset({"study-group", ACTIONS_BOT}))

    def issue(author: str, association: str) -> Issue:
        moment = dt.datetime(2026, 3, 23, tzinfo=dt.UTC)
        return Issue(1, "t", "", "open", None, (), None, author, moment, moment,
                     author_association=association)

    assert trusted.wrote(issue(ACTIONS_BOT, "NONE"))
    assert trusted.wrote(issue("Study-Group", "NONE"))  # logins ignore case
    for association in ("OWNER", "MEMBER", "COLLABORATOR"):
        assert trusted.wrote(issue("alice", association))
    for association in ("CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "FIRST_TIMER", "NONE", ""):
        assert not trusted.wrote(issue("passer-by", association))
    assert "STUDY-GROUP" in trusted and "alice" not in trusted  # a login alone


def test_the_no_room_note_is_in_the_learners_language_and_a_comment_of_theirs_is_not_it(
        world: Harness, root: Path) -> None:
    chinese = TEXT.replace("locale: en", "locale: zh-CN")
    run(world, root, DAY1, "08:00", chinese)
    peft = world.issue("topic", "peft")
    world.learner.update_issue(peft.number, body=peft.body + NOTES)
    # The learner's own comment on the topic, written before the tracker had anything to say.
    world.learner.create_comment(peft.number, "今天的笔记：LoRA 的秩选 8 还是 16？")
    edit(world, peft.number, "Read the LoRA paper <!-- step:s1 -->", "LoRA <!-- step:mine -->")
    world.learner.update_issue(peft.number, body=padded(issue_no(world, peft.number).body))
    tick_plan(world, DAY1, "t:peft:s1")
    run(world, root, DAY1, "09:00", chinese)
    trusted = trusted_authors(world.tracker)
    notes = [c.body for c in world.tracker.list_comments(peft.number)
             if c.author.lower() in trusted and "太长" in c.body]
    assert len(notes) == 1
    assert "“Read the LoRA paper”" in notes[0] and "把一些笔记移到评论里" in notes[0]
    run(world, root, DAY2, "08:00", chinese)
    assert len([c for c in world.tracker.list_comments(peft.number) if "太长" in c.body]) == 1


# -- a plan tick that waits for a topic's repair -------------------------------------------------
def test_a_plan_tick_that_waits_for_a_broken_topic_is_carried_in_the_run_that_mends_it(
        world: Harness, root: Path) -> None:
    """The learner ticks a step in the plan and, in the same minute, deletes the end marker of
    its topic. Reconcile leaves that topic to sync's repair; the run that repairs it carries
    the tick too, rather than leaving it for a run that may be a quiet hour and never come to
    it (found by the property test that reading only what changed equals reading all)."""
    started(world, root)
    plan = world.issue("daily", DAY1)
    step = next(i for i in keys.boxes(plan.body) if item_kind(i) == TOPIC_STEP)
    _, topic_id, box = step.split(":")[:3]
    topic = world.issue("topic", topic_id)
    world.learner.update_issue(plan.number, body=keys.tick(plan.body, {step}))
    world.learner.update_issue(topic.number, body=topic.body.replace(keys.END, "", 1))
    lines = scheduled(world, root, DAY1, "09:00")
    mended = issue_block(world.issue("topic", topic_id))
    assert mended is not None and not mended.open_ended, lines
    assert keys.boxes(mended.block)[box] is True, lines
    assert_converges(world, root, DAY1, "10:00")


# -- an issue deleted by hand --------------------------------------------------------------------
def test_a_topic_deleted_by_hand_is_met_by_the_next_write_and_made_again(
        world: Harness, root: Path) -> None:
    """A listing of what changed never shows a deleted issue. The run that writes to it (a
    tick to carry) meets GitHub's 410 Gone and starts again from every issue: the topic is
    made again, with the tick."""
    started(world, root)
    plan = world.issue("daily", DAY1)
    step = next(i for i in keys.boxes(plan.body) if item_kind(i) == TOPIC_STEP)
    _, topic_id, box = step.split(":")[:3]
    gone = world.issue("topic", topic_id).number
    world.delete_issue(gone)
    scheduled(world, root, DAY1, "08:30")  # nothing to write to it yet: a quiet hour
    world.learner.update_issue(plan.number, body=keys.tick(plan.body, {step}))
    lines = scheduled(world, root, DAY1, "09:00")
    assert any(f"#{gone}" in line and "read every issue again" in line for line in lines), lines
    again = world.issue("topic", topic_id)
    own = issue_block(again)
    assert again.number != gone and own is not None and keys.boxes(own.block)[box] is True
    assert_converges(world, root, DAY1, "10:00")


def test_a_plan_deleted_by_hand_leaves_the_ledger_at_the_weekly_reading(
        world: Harness, root: Path) -> None:
    """Deleted issues nobody writes to are found by the reading of every issue, once a week:
    the dashboard stops counting a plan the learner deleted."""
    started(world, root)
    scheduled(world, root, DAY2, "08:00")
    plan = world.issue("daily", DAY1)
    world.delete_issue(plan.number)
    scheduled(world, root, DAY2, "09:00")
    saved = json.loads((root / "dashboard" / "state.json").read_text(encoding="utf-8"))
    assert DAY1 in saved["plans"]  # not seen yet: GitHub's `since` does not show deletions
    week_later = (dt.date.fromisoformat(DAY1) + dt.timedelta(days=7)).isoformat()
    lines = scheduled(world, root, week_later, "06:00")
    assert any("read once a week" in line for line in lines), lines
    saved = json.loads((root / "dashboard" / "state.json").read_text(encoding="utf-8"))
    assert DAY1 not in saved["plans"] and str(plan.number) not in saved["issues"]
