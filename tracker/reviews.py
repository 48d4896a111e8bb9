"""Which cards come back on a day: the ones due, most overdue first, within the review budget.

What does not fit waits for the next day with room, where it is more overdue and so comes
first: a backlog is spread over the following days at the budget's pace, never piled onto one.
Pure functions of the roadmap, the cards' memory and a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .memory import NOTE_CARD, PROBLEM_CARD, QUESTION_CARD, Memory, card_kind, retrievability
from .model import ReviewSettings, Roadmap

# Minutes a review takes: restating a problem's idea, answering a question aloud, a card.
MINUTES = {PROBLEM_CARD: 5, QUESTION_CARD: 3, NOTE_CARD: 2}
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class StudyCard:
    """A card as the daily plan shows it: the question, and the answer to check after."""

    id: str
    front: str
    back: str
    link: str | None = None  # a problem's page
    source: str | None = None  # where the answer lives: a card file, a topic
    tags: tuple[str, ...] = ()
    topic_id: str | None = None

    @property
    def kind(self) -> str:
        return card_kind(self.id)

    @property
    def minutes(self) -> int:
        return MINUTES.get(self.kind, 3)


@dataclass(frozen=True)
class DueCard:
    """A card due on a day, and how urgent it is."""

    card: StudyCard
    memory: Memory | None  # None: a card of the learner's not reviewed yet
    overdue: int  # days past its due day
    recall: float | None  # the chance of recalling it that day; None before a first review


@dataclass(frozen=True)
class DayLoad:
    """A day of the forecast: the reviews planned, and those still waiting for room after it."""

    day: dt.date
    planned: int
    minutes: int
    waiting: int


def deck(roadmap: Roadmap, memories: Mapping[str, Memory]) -> dict[str, StudyCard]:
    """The cards that can come back: the learner's own, and the problems and questions
    solved or answered in a plan that are still in the roadmap. Others are retired."""
    cards: dict[str, StudyCard] = {}
    for note in roadmap.cards:
        ident = f"{NOTE_CARD}:{note.id}"
        cards[ident] = StudyCard(ident, note.front, note.back, None, note.file, note.tags,
                                 note.topic_id)
    for problem in roadmap.problems:
        ident = f"{PROBLEM_CARD}:{problem.id}"
        if ident in memories:
            cards[ident] = StudyCard(ident, problem.title, ", ".join(problem.tags),
                                     problem.url, None, problem.tags)
    for question in roadmap.interview_questions:
        ident = f"{QUESTION_CARD}:{question.id}"
        if ident in memories:
            cards[ident] = StudyCard(ident, question.question, question.hint or "", None,
                                     None, question.tags, question.topic_id)
    return cards


def due_on(cards: Mapping[str, StudyCard], memories: Mapping[str, Memory], day: dt.date,
           retention: float, placed: frozenset[str] = frozenset()) -> list[DueCard]:
    """The cards due on `day` (not already `placed` on an earlier day), most urgent first:
    most days overdue, then least likely recalled; the learner's new cards come last, in the
    order of their files."""
    due = []
    for ident, card in cards.items():
        if ident in placed:
            continue
        memory = memories.get(ident)
        if memory is None:
            due.append(DueCard(card, None, 0, None))
        elif memory.due <= day:
            due.append(DueCard(card, memory, (day - memory.due).days,
                               retrievability(memory, day, retention)))
    order = {ident: n for n, ident in enumerate(cards)}
    return sorted(due, key=lambda d: (d.memory is None, -d.overdue,
                                      d.recall if d.recall is not None else 0.0,
                                      order[d.card.id]))


def review_settings(roadmap: Roadmap) -> ReviewSettings:
    """The day's review budget: `review:` of the roadmap, where the minutes of a routine that
    is the review section (`section: review`) stand for `review.minutes`."""
    section = next((r for r in roadmap.routines if r.section == "review" and r.minutes), None)
    if section is None or roadmap.review.cards is not None:
        return roadmap.review
    return replace(roadmap.review, minutes=section.minutes)


def within_budget(due: Sequence[DueCard], review: ReviewSettings) -> list[DueCard]:
    """The most urgent cards that fit the day's budget; a card too long for what is left
    leaves room for shorter ones after it."""
    if review.cards is not None:
        return list(due[: review.cards])
    left = review.minutes or 0
    chosen = []
    for item in due:
        if item.card.minutes <= left:
            chosen.append(item)
            left -= item.card.minutes
    return chosen


def reviews_for(roadmap: Roadmap, memories: Mapping[str, Memory], day: dt.date,
                skip: frozenset[str] = frozenset()) -> list[DueCard]:
    """The day's reviews: due cards, most overdue first, within the review budget; `skip` the
    cards the day has elsewhere (a problem redone, or to solve again)."""
    cards = deck(roadmap, memories)
    due = due_on(cards, memories, day, roadmap.review.retention, skip)
    return within_budget(due, review_settings(roadmap))


def forecast(roadmap: Roadmap, memories: Mapping[str, Memory], first: dt.date,
             days: int) -> list[DayLoad]:
    """The reviews of the next `days` days from `first`, as the plans will hold them if each
    is done: every day takes the most urgent of what is due, within the budget, and what does
    not fit waits. Days without a plan (rest days) hold none."""
    cards = deck(roadmap, memories)
    retention = roadmap.review.retention
    placed: set[str] = set()
    loads = []
    for offset in range(days):
        day = first + offset * _DAY
        due = due_on(cards, memories, day, retention, frozenset(placed))
        chosen = within_budget(due, review_settings(roadmap)) \
            if roadmap.schedule.budget_on(day) > 0 else []
        placed.update(item.card.id for item in chosen)
        loads.append(DayLoad(day, len(chosen), sum(i.card.minutes for i in chosen),
                             len(due) - len(chosen)))
    return loads


def redo_cards(roadmap: Roadmap, memories: Mapping[str, Memory], day: dt.date,
               flagged: Sequence[str] = (), skip: frozenset[str] = frozenset(),
               count: int = 3) -> list[DueCard]:
    """The problems to rewrite closed-book on the redo day: those the learner flagged "hard
    one?" (`flagged`, card ids) first, then the due ones they are least likely to recall,
    then those due for their first review (solved this week), oldest first. `skip` is left
    out. A redo is the card's review of the day."""
    cards = deck(roadmap, memories)
    chosen: list[DueCard] = []
    for ident, card in cards.items():
        memory = memories.get(ident)
        if card.kind != PROBLEM_CARD or memory is None or ident in skip:
            continue
        if ident in flagged or memory.due <= day:
            recall = retrievability(memory, day, roadmap.review.retention)
            chosen.append(DueCard(card, memory, max(0, (day - memory.due).days), recall))
    chosen.sort(key=lambda d: (d.card.id not in flagged, d.recall is None,
                               d.recall if d.recall is not None else 0.0,
                               d.memory.first_day if d.memory else day, d.card.id))
    return chosen[:count]
