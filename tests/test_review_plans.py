"""The daily plan's review section, as the learner sees it: golden plans in both locales, and
what the ticks of one plan do to the next."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import pytest

from tracker import keys, review_figures
from tracker.card_files import read_cards
from tracker.daily import open_daily_plan, plan_context, plan_day
from tracker.demo import play
from tracker.memory import GOOD, HARD_RECALL, Event, log_from_plans
from tracker.memory_cache import Cached, memories
from tracker.model import KnowledgeCard, Roadmap
from tracker.retro import open_retro
from tracker.review_figures import card_states, memory_of_plans
from tracker.reviews import reviews_for
from tracker.roadmap import load_roadmap, parse_roadmap
from tracker.rows import issue_block
from tracker.state import HARD, PROBLEM, REVIEW, REVIEW_HARD, read_state
from tracker.store.base import trusted_authors
from tracker.store.local import LocalStore
from tracker.sync import sync

from conftest import REPO
from sync_harness import Harness, harness
from test_daily import at, roadmap, roadmap_text, state_of

GOLDEN = Path(__file__).parent / "golden"
NOTES = (
    KnowledgeCard("attn-scale", "Why divide attention scores by √d_k?",
                  "Dot products grow with d_k and push softmax into its flat tails, where the "
                  "gradients vanish.\n\n```python\nscores = q @ k.T / math.sqrt(d_k)\n```",
                  "cards/transformer.md", 3, ("attention",)),
    KnowledgeCard("kv-cache", "What does the KV cache save?",
                  "Recomputing the keys and values of past tokens at every step.\n\n"
                  "<!-- my note: check the vLLM paged variant -->", "cards/transformer.md", 9),
)


def with_cards(plan: Roadmap) -> Roadmap:
    return dataclasses.replace(plan, cards=NOTES)


def tagged(locale: str) -> Roadmap:
    """The daily tests' roadmap, its problems tagged (the hint of their review) and every
    question with its key points, and the learner's two cards."""
    text = roadmap_text(locale=locale).replace("difficulty: easy}", "difficulty: easy, "
                                               "tags: [array, hash-map]}")
    text = text.replace("{id: q2, question: 'DPO vs PPO?'}",
                        "{id: q2, question: 'DPO vs PPO?', hint: 'No reward model, no RL "
                        "loop: a classification loss on preference pairs.'}")
    return with_cards(parse_roadmap(text))


def week_of_reviews(world: Harness, plan: Roadmap, last: str = "2026-03-27") -> None:
    """Five days of plans: the learner solves, answers, and rates the reviews in turn:
    recalled, recalled with effort (the small box alone), forgotten."""
    sync(plan, world.tracker)
    day = dt.date(2026, 3, 23)
    while day <= dt.date.fromisoformat(last):
        if world.fake is None:
            world.tracker.clock.now = at(day.isoformat(), "08:00").astimezone(dt.UTC)  # type: ignore
        open_daily_plan(plan, world.tracker, at(day.isoformat(), "08:00"))
        today = state_of(world).plans[day]
        ticks: set[str] = set()
        reviews = [i for i in today.boxes if i.startswith("r:")]
        for n, ident in enumerate(reviews):
            if n % 3 == 0:
                ticks.add(ident)
            elif n % 3 == 1:
                ticks.add("rh:" + ident[2:])
        ticks |= {i for i in today.boxes if i[:2] in ("p:", "q:", "t:")}
        world.learner.update_issue(today.number, body=keys.tick(today.row.issue.body, ticks))
        day += dt.timedelta(days=1)


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_the_review_section_matches_the_golden_plan(tmp_path: Path, locale: str) -> None:
    # Tuesday: Monday's problems and question come back for the first time, with the
    # learner's two new cards.
    plan = tagged(locale)
    with harness("local", tmp_path) as world:
        week_of_reviews(world, plan, last="2026-03-23")
        world.tracker.clock.now = at("2026-03-24", "08:00").astimezone(dt.UTC)  # type: ignore
        opened = open_daily_plan(plan, world.tracker, at("2026-03-24", "08:00")).opened
        assert opened is not None
        text = f"# {opened.title}\n\n{issue_block(opened).block}\n"  # type: ignore[union-attr]
    path = GOLDEN / f"review.{locale}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} changed: look at it (scripts/preview.py), then rerun with UPDATE_GOLDEN=1 "
        f"if it is right")
    section = text.split("### 🔁")[1].split("\n### ")[0]
    assert "<!-- my note" not in section  # the learner's comments stay in their card file
    assert section.count("<details>") == section.count("</details>") >= 2


@pytest.fixture(params=["local", "github"])
def world(request: pytest.FixtureRequest, tmp_path: Path):
    with harness(request.param, tmp_path) as h:
        yield h


def test_the_ticks_of_a_plan_are_the_ratings_of_the_next(world: Harness) -> None:
    plan = with_cards(roadmap())
    week_of_reviews(world, plan, last="2026-03-24")
    state = state_of(world)
    tuesday = state.plans[dt.date(2026, 3, 24)]
    reviews = [i[2:] for i in tuesday.boxes if i.startswith("r:")]
    assert reviews[:2] == ["p:lc-1", "p:lc-94"]  # Monday's problems, the next day
    memory = memory_of_plans(plan, state.plans.values(), dt.date(2026, 3, 25))
    # Ticked: recalled, two days to the next review; the small box alone: hard, one day.
    assert (memory["p:lc-1"].interval, memory["p:lc-94"].interval) == (2, 1)
    assert memory["p:lc-94"].due == dt.date(2026, 3, 25) < memory["p:lc-1"].due
    wednesday = plan_day(plan, state, dt.date(2026, 3, 25), memory)
    due = [d.card.id for d in wednesday.review]
    assert "p:lc-1" not in due
    # Within 20 minutes, the cards never reviewed (Tuesday's problems) come before lc-94,
    # which was recalled only yesterday; it waits for the next day with room.
    assert sum(d.card.minutes for d in wednesday.review) <= 20
    assert due[:2] == ["p:lc-98", "p:lc-124"]


def test_a_plan_with_no_tick_leaves_its_reviews_due(world: Harness) -> None:
    plan = with_cards(roadmap())
    week_of_reviews(world, plan, last="2026-03-23")
    state = state_of(world)
    open_daily_plan(plan, world.tracker, at("2026-03-24", "08:00"))  # not touched all day
    open_daily_plan(plan, world.tracker, at("2026-03-25", "08:00"))
    state = state_of(world)
    wednesday = [i[2:] for i in state.plans[dt.date(2026, 3, 25)].boxes if i.startswith("r:")]
    assert {"p:lc-1", "p:lc-94"} <= set(wednesday)
    memory = memory_of_plans(plan, state.plans.values(), dt.date(2026, 3, 26))
    assert memory["p:lc-1"].reviews == 0  # nothing was forgotten on the day off


def test_the_log_reads_what_the_learner_meant(world: Harness) -> None:
    plan = with_cards(roadmap())
    week_of_reviews(world, plan, last="2026-03-25")
    log = log_from_plans(state_of(world).plans.values())
    tuesday = log[dt.date(2026, 3, 24)]
    assert tuesday[:2] == (Event("p:lc-1", GOOD), Event("p:lc-94", HARD_RECALL))


def test_the_memory_file_never_changes_a_plan(world: Harness) -> None:
    plan = tagged("en")
    week_of_reviews(world, plan, last="2026-03-25")
    state = state_of(world)
    day = dt.date(2026, 3, 26)
    plain = plan_context(plan, state, day, {})
    log = log_from_plans(state.plans.values())
    _, fresh = memories(log, day, plan.review.retention)
    _, older = memories(log, day - dt.timedelta(days=2), plan.review.retention)
    stale = Cached(fresh.through, fresh.digest, {})  # damaged: right digest, no cards
    other = Cached(fresh.through, "0" * 16, {})  # made from another past
    for cached in (fresh, older, other):
        assert plan_context(plan, state, day, {}, cached) == plain
    assert plan_context(plan, state, day, {}, stale) != plain  # so the digest is what guards


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_the_retro_gives_the_week_s_reviews_and_next_week_s_cards_a_line_each(
        tmp_path: Path, locale: str) -> None:
    # On a 390 px phone one line with both figures wrapped its last word alone onto a line.
    plan = tagged(locale)
    with harness("local", tmp_path) as world:
        week_of_reviews(world, plan, last="2026-03-29")
        report = open_retro(plan, world.tracker, at("2026-03-29", "20:30"))
        assert report.opened is not None
        state = state_of(world)
    figures = review_figures.week(plan, log_from_plans(state.plans.values()),
                                  memory_of_plans(plan, state.plans.values(),
                                                  dt.date(2026, 3, 29)),
                                  dt.date(2026, 3, 23), dt.date(2026, 3, 29))
    assert figures["reviews"] > figures["recalled"] > 0 and figures["due_next_week"] > 1
    share = round(100 * figures["recalled"] / figures["reviews"])
    lines = {"en": [f"- Reviews: {figures['reviews']}, {share}% recalled",
                    f"- Cards due next week: {figures['due_next_week']}"],
             "zh-CN": [f"- 复习：{figures['reviews']} 次，记住 {share}%",
                       f"- 下周待复习：{figures['due_next_week']} 张"]}[locale]
    body = report.opened.body.splitlines()
    assert all(line in body for line in lines), [b for b in body if "复习" in b or "Rev" in b]


def test_editing_a_card_keeps_its_history_deleting_it_retires_it(tmp_path: Path) -> None:
    """Through the card file itself: an answer reworded, the file renamed with its id kept,
    the file deleted (the card retired: never in a plan, counted apart), the file back."""
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "kv.md").write_text("# What does the KV cache save?\nRecomputing.\n", "utf-8")
    base = roadmap()

    def read() -> Roadmap:
        return read_cards(cards, base, base=tmp_path)

    with harness("local", tmp_path / "store") as world:
        sync(base, world.tracker)
        week_of_reviews(world, read(), last="2026-03-23")  # its first review, rated
        state = state_of(world)
        assert state.plans[dt.date(2026, 3, 23)].boxes.get("r:k:kv") is not None
    after = dt.date(2026, 3, 24)
    history = memory_of_plans(read(), state.plans.values(), after)["k:kv"]
    assert history.reviews == 1

    (cards / "kv.md").write_text("# What does the KV cache save?\n\nThe keys and values of "
                                 "past tokens, at every step.\n", "utf-8")
    edited = read()
    assert memory_of_plans(edited, state.plans.values(), after)["k:kv"] == history
    assert "past tokens" in edited.cards[0].back

    (cards / "kv.md").unlink()
    (cards / "attention.md").write_text("---\nid: kv\n---\n# What does the KV cache save?\n"
                                        "Recomputing.\n", "utf-8")
    assert memory_of_plans(read(), state.plans.values(), after)["k:kv"] == history

    (cards / "attention.md").unlink()
    gone = read()
    memory = memory_of_plans(gone, state.plans.values(), after)
    assert memory["k:kv"] == history  # the log still holds it: putting the file back revives it
    assert card_states(gone, memory)["retired"] == 1
    for n in range(30):
        day = history.due + dt.timedelta(days=n)
        assert "k:kv" not in {d.card.id for d in reviews_for(gone, memory, day)}


def test_the_demo_learner_finds_a_few_problems_and_reviews_hard_not_most(
        tmp_path: Path) -> None:
    # The demo ticked the small "hard" boxes as often as the others, in two sittings a day:
    # nearly every problem flagged for the redo, nearly every review rated hard.
    path = REPO / "examples/internship-sprint.yml"
    play(load_roadmap(path), tmp_path / "demo", 21, roadmap_path=path,
         templates=REPO / "templates", readme=None)
    store = LocalStore(tmp_path / "demo/.tracker/tracker.db")
    try:
        plans = read_state(store.list_issues(), trusted_authors(store)).plans.values()
    finally:
        store.close()
    done = hard = 0
    for plan in plans:
        for main, flag in ((PROBLEM, HARD), (REVIEW, REVIEW_HARD)):
            for ident, ticked in plan.boxes.items():
                kind, _, rest = ident.partition(":")
                if kind == main and ticked:
                    done += 1
                    hard += plan.boxes.get(f"{flag}:{rest}", False)
    assert done > 20
    assert 0 < hard < done / 3, (hard, done)
