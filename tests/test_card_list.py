"""`tracker cards`' table: the cards soonest due first, when each is due in words a learner
reads at a glance, the chance of recalling it today, and the retired ones on request."""

from __future__ import annotations

import dataclasses

from tracker.card_list import FRONT_WIDTH, card_table
from tracker.model import KnowledgeCard
from tracker.review_figures import memory_on

from test_reviews import day, plan, remembered

LONG = "Why does attention divide its scores by the square root of the key's dimension?"


def table(show_retired: bool = False) -> list[str]:
    roadmap = plan(notes=3, minutes=10)
    cards = (*roadmap.cards[:2], KnowledgeCard("long", LONG, "So softmax keeps its gradients.",
                                               "cards/long.md", 1))
    roadmap = dataclasses.replace(roadmap, cards=cards)
    memory = {"k:n0": remembered("k:n0", day(10), day(7), 3.0),  # due today
              "k:n1": remembered("k:n1", day(7), day(5), 2.0),  # three days late
              "p:lc-1": remembered("p:lc-1", day(14), day(9), 5.0),  # in four days
              "k:gone": remembered("k:gone", day(12), day(8))}  # its file deleted
    return card_table(roadmap, memory, day(10), show_retired)


def test_the_summary_counts_the_cards_and_today_s_reviews() -> None:
    summary, budget, blank, header, *_ = table()
    assert summary == "4 cards: 1 new, 3 learning, 0 mature; 1 retired (--retired lists it)"
    # Today: the late card (2 min) and the one due today (2 min), then the new one (2 min).
    assert budget == "review budget 10 min a day, retention 0.9; today 3 reviews (6 min)"
    assert blank == ""
    assert header.split() == ["due", "recall", "card", "question"]


def columns(row: str) -> tuple[str, str, str]:
    """A row's due day, recall and card id (the columns are fixed widths)."""
    return row[:11].strip(), row[12:18].strip(), row[20:].split()[0]


def test_cards_come_soonest_due_first_with_their_day_and_recall() -> None:
    rows = [columns(row) for row in table()[4:]]
    assert [(due, card) for due, _, card in rows] == [
        ("new", "k:long"), ("3d late", "k:n1"), ("today", "k:n0"), ("2026-03-16", "p:lc-1")]
    assert rows[0][1] == "–"  # a card never reviewed has no recall yet
    recalls = [int(recall.rstrip("%")) for _, recall, _ in rows[1:]]
    assert all(0 < r < 100 for r in recalls)
    assert recalls[0] < recalls[1] < recalls[2]  # the later, the less likely recalled


def test_a_long_question_is_cut_to_a_terminal_line() -> None:
    row = table()[4]
    front = row.split("k:long", 1)[1].strip()
    assert len(front) == FRONT_WIDTH and front.endswith("…")
    assert LONG.startswith(front[:-1])


def test_retired_cards_are_listed_only_when_asked() -> None:
    assert not any("k:gone" in row for row in table())
    [retired] = [row for row in table(show_retired=True) if "k:gone" in row]
    # A card of the learner's retires when its id changes (a reworded '## ' question): the
    # line says how to give the history back.
    assert retired.startswith("retired") and retired.endswith(
        "last reviewed 2026-03-10; reworded? give it the id {#gone} or id: gone")


def test_the_memory_on_a_day_is_what_the_table_is_read_from() -> None:
    roadmap = plan(notes=1)
    memory, _ = memory_on(roadmap, {}, day(0))
    assert card_table(roadmap, memory, day(0))[0] == \
        "1 card: 1 new, 0 learning, 0 mature; 0 retired"
