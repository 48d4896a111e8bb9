"""Choosing a day's reviews: due cards, most overdue first, within the budget; what does not
fit is spread over the next days; retired cards stay out."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tracker.memory import Memory
from tracker.model import KnowledgeCard, ReviewSettings, Roadmap
from tracker.reviews import (
    deck,
    due_on,
    forecast,
    redo_cards,
    review_settings,
    reviews_for,
    within_budget,
)
from tracker.roadmap import parse_roadmap

D = dt.date(2026, 3, 2)  # a Monday

ROADMAP = """\
version: 1
learner: {name: A, timezone: Asia/Shanghai, locale: en}
schedule: {start: 2026-03-02, hours: 4, rest_days: [sun]}
tracks:
  - {id: theory, name: Theory}
  - {id: algo, name: Algorithms, kind: problems}
problems:
  - {id: lc-1, title: Two Sum, url: 'https://leetcode.com/problems/two-sum/', tags: [hash]}
  - {id: lc-2, title: Add Two Numbers}
  - {id: lc-3, title: Longest Substring}
interview_questions:
  - {id: q1, question: 'What is LoRA?', hint: A low-rank update.}
  - {id: q2, question: 'Why KV cache?'}
stages:
  - id: one
    title: One
    weeks: 8
    topics:
      - {id: peft, title: PEFT, steps: [Read]}
"""


def day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def plan(notes: int = 0, **review: object) -> Roadmap:
    roadmap = parse_roadmap(ROADMAP)
    cards = tuple(KnowledgeCard(f"n{i}", f"Question {i}?", f"Answer {i}.", "cards/n.md", i + 1)
                  for i in range(notes))
    settings = dataclasses.replace(ReviewSettings(), **review)  # type: ignore[arg-type]
    return dataclasses.replace(roadmap, cards=cards, review=settings)


def remembered(card: str, due: dt.date, last: dt.date, stability: float = 3.0) -> Memory:
    return Memory(card, last, due, last, stability, 5.0, 1, 0)


def test_the_deck_holds_your_cards_and_what_you_solved_or_answered() -> None:
    roadmap = plan(notes=1)
    memories = {"p:lc-1": remembered("p:lc-1", day(1), day(0)),
                "q:q1": remembered("q:q1", day(1), day(0)),
                "p:gone": remembered("p:gone", day(1), day(0))}  # no longer in the roadmap
    cards = deck(roadmap, memories)
    assert list(cards) == ["k:n0", "p:lc-1", "q:q1"]
    assert (cards["p:lc-1"].front, cards["p:lc-1"].link, cards["p:lc-1"].back) == (
        "Two Sum", "https://leetcode.com/problems/two-sum/", "hash")
    assert (cards["q:q1"].back, cards["k:n0"].source) == ("A low-rank update.", "cards/n.md")
    assert [c.minutes for c in cards.values()] == [2, 5, 3]


def test_most_overdue_first_then_least_recalled_then_your_new_cards() -> None:
    roadmap = plan(notes=2)
    memories = {"p:lc-1": remembered("p:lc-1", day(9), day(6)),  # due today
                "p:lc-2": remembered("p:lc-2", day(7), day(4)),  # two days overdue
                "p:lc-3": remembered("p:lc-3", day(9), day(0), stability=5),  # due, recalled less
                "q:q1": remembered("q:q1", day(12), day(9)),  # not due
                "k:n1": remembered("k:n1", day(8), day(5))}  # one day overdue
    due = due_on(deck(roadmap, memories), memories, day(9), 0.9)
    assert [d.card.id for d in due] == ["p:lc-2", "k:n1", "p:lc-3", "p:lc-1", "k:n0"]
    assert [d.overdue for d in due] == [2, 1, 0, 0, 0]
    assert due[-1].memory is None and due[-1].recall is None


def test_the_budget_in_minutes_takes_the_most_urgent_that_fit() -> None:
    roadmap = plan(notes=3, minutes=12)
    memories = {"p:lc-1": remembered("p:lc-1", day(0), day(-3)),
                "p:lc-2": remembered("p:lc-2", day(0), day(-2)),
                "p:lc-3": remembered("p:lc-3", day(0), day(-1))}
    chosen = reviews_for(roadmap, memories, day(0))
    # 5 + 5 minutes of problems, then a 2-minute card fits where a third problem would not
    assert [d.card.id for d in chosen] == ["p:lc-1", "p:lc-2", "k:n0"]
    assert sum(d.card.minutes for d in chosen) == 12


def test_the_budget_in_cards_is_a_count() -> None:
    roadmap = plan(notes=5, minutes=None, cards=3)
    chosen = reviews_for(roadmap, {}, day(0))
    assert [d.card.id for d in chosen] == ["k:n0", "k:n1", "k:n2"]
    assert within_budget([], roadmap.review) == []


def test_a_backlog_is_spread_over_the_next_days_never_piled_onto_one() -> None:
    roadmap = plan(notes=23, minutes=None, cards=10)
    loads = forecast(roadmap, {}, day(0), 7)
    assert [(load.planned, load.waiting) for load in loads] == [
        (10, 13), (10, 3), (3, 0), (0, 0), (0, 0), (0, 0), (0, 0)]
    assert max(load.planned for load in loads) <= 10


def test_a_rest_day_holds_no_review_and_the_next_day_takes_them_first() -> None:
    roadmap = plan(minutes=None, cards=2)
    memories = {f"p:lc-{i}": remembered(f"p:lc-{i}", day(6), day(3)) for i in (1, 2, 3)}
    loads = forecast(roadmap, memories, day(6), 2)  # Sunday (rest), Monday
    assert [(load.day.weekday(), load.planned, load.waiting) for load in loads] == [
        (6, 0, 3), (0, 2, 1)]


def test_minutes_of_the_forecast_stay_within_the_budget() -> None:
    roadmap = plan(notes=20, minutes=15)
    memories = {f"p:lc-{i}": remembered(f"p:lc-{i}", day(0), day(-2)) for i in (1, 2, 3)}
    loads = forecast(roadmap, memories, day(0), 14)
    assert all(load.minutes <= 15 for load in loads)
    assert sum(load.planned for load in loads) == 23


def test_the_redo_day_takes_flagged_problems_then_the_due_ones_least_recalled() -> None:
    roadmap = plan()
    memories = {"p:lc-1": remembered("p:lc-1", day(20), day(0), stability=20),  # not due
                "p:lc-2": remembered("p:lc-2", day(3), day(0), stability=2),  # due, forgotten
                "p:lc-3": remembered("p:lc-3", day(4), day(0), stability=4),  # due
                "p:lc-9": remembered("p:lc-9", day(3), day(0), stability=1),  # gone
                "q:q1": remembered("q:q1", day(3), day(0), stability=1)}  # not a problem
    redo = redo_cards(roadmap, memories, day(5))
    assert [d.card.id for d in redo] == ["p:lc-2", "p:lc-3"]
    assert redo[0].recall is not None and redo[1].recall is not None
    assert redo[0].recall < redo[1].recall
    flagged = redo_cards(roadmap, memories, day(5), flagged=["p:lc-1"], count=2)
    assert [d.card.id for d in flagged] == ["p:lc-1", "p:lc-2"]  # asked for: first, even if not due
    assert redo_cards(roadmap, memories, day(5), skip=frozenset({"p:lc-2"}))[0].card.id == "p:lc-3"
    week = {"p:lc-1": Memory("p:lc-1", day(4), day(5), None, None, None, 0, 0),
            "p:lc-2": Memory("p:lc-2", day(3), day(4), None, None, None, 0, 0),
            "p:lc-3": remembered("p:lc-3", day(5), day(2), stability=3)}
    # What is known to be fading first, then the week's new problems, oldest first.
    assert [d.card.id for d in redo_cards(roadmap, week, day(5))] == ["p:lc-3", "p:lc-2",
                                                                       "p:lc-1"]


def test_a_routine_that_is_the_review_section_sets_its_minutes() -> None:
    roadmap = parse_roadmap(ROADMAP + "routines:\n  - {id: r, title: Review, minutes: 10, "
                                      "section: review}\n")
    assert review_settings(roadmap) == ReviewSettings(minutes=10)
    counted = dataclasses.replace(roadmap, review=ReviewSettings(minutes=None, cards=4))
    assert review_settings(counted) == ReviewSettings(minutes=None, cards=4)
    assert review_settings(plan(minutes=15)) == ReviewSettings(minutes=15)
