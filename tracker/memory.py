"""What the learner remembers: the review log, read from the ticks of daily plans, replayed
with FSRS into each card's memory.

GitHub stays the store of record. A scored daily plan says what happened to each card that
day: a problem ticked was solved, a question ticked was answered (either makes a card, whose
first review comes the next day), a review box ticked was recalled (Good), its small box
ticked was recalled with effort (Hard), and a review box left unticked was forgotten (Again);
a problem of the redo day ticked was rewritten closed-book (Good; left unticked, it was not
redone, and stays due).
A plan with no box ticked at all was a day off: its reviews did not happen and stay due.

Replaying that log through py-fsrs gives every card's stability, difficulty and next due day;
the same log always gives the same memory. FSRS works in UTC moments and whole days: a local
day is stamped as noon UTC of the same date, so whole days stay whole across daylight saving
and the due moment's date is the learner's local due day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from fsrs import Card, Rating, Scheduler, State

from .state import HARD, PROBLEM, QUESTION, REDO, REVIEW, REVIEW_HARD, PlanRecord

# FSRS-6's default weights, fixed here: py-fsrs changed its defaults within version 6, and a
# replay must give the same schedule whichever 6.x is installed.
WEIGHTS = (0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666,
           0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658,
           0.1542)
MAX_INTERVAL = 365  # a card comes back at least once a year
MATURE_DAYS = 21  # an interval this long means the card is learnt (Anki's word: mature)

# What a day's plan says about a card.
GOOD, HARD_RECALL, AGAIN = "g", "h", "a"  # a review rated by the ticks
SOLVED, SOLVED_HARD = "s", "S"  # a problem solved (flagged hard) or a question answered
RATINGS = {GOOD: Rating.Good, HARD_RECALL: Rating.Hard, AGAIN: Rating.Again,
           SOLVED: Rating.Good, SOLVED_HARD: Rating.Hard}
PROBLEM_CARD, QUESTION_CARD, NOTE_CARD = "p", "q", "k"  # the kinds of card, by id prefix


@dataclass(frozen=True)
class Event:
    """One thing that happened to a card on a day."""

    card: str
    mark: str


ReviewLog = Mapping[dt.date, Sequence[Event]]


@dataclass(frozen=True)
class Memory:
    """A card as the learner remembers it, after the reviews so far."""

    card: str
    first_day: dt.date  # the day it was solved, answered or first reviewed
    due: dt.date
    last_review: dt.date | None
    stability: float | None  # days until recall falls to 90%; None before the first review
    difficulty: float | None
    reviews: int
    lapses: int  # reviews rated "forgot" after the first

    @property
    def interval(self) -> int:
        """Days from the last review (or from the day it was made) to the next."""
        return (self.due - (self.last_review or self.first_day)).days

    @property
    def phase(self) -> str:
        """`new` (not reviewed yet), `learning`, or `mature` (an interval of 3 weeks or more)."""
        if not self.reviews:
            return "new"
        return "mature" if self.interval >= MATURE_DAYS else "learning"


def card_kind(card: str) -> str:
    return card.split(":", 1)[0]


def stamp(day: dt.date) -> dt.datetime:
    """The UTC moment that stands for a local day in FSRS."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


@cache
def scheduler(retention: float) -> Scheduler:
    """FSRS for whole days: no same-day learning steps, no random fuzz (a replay must give
    the same days every time; the daily budget spreads the load instead)."""
    return Scheduler(parameters=WEIGHTS, desired_retention=retention, learning_steps=(),
                     relearning_steps=(), maximum_interval=MAX_INTERVAL, enable_fuzzing=False)


# -- the log ---------------------------------------------------------------------------------------

def day_events(boxes: Mapping[str, bool]) -> tuple[Event, ...]:
    """What one scored daily plan's boxes say about the cards, reviews first."""
    if not any(boxes.values()):
        return ()  # a day off: nothing was reviewed, nothing forgotten
    reviews, learnt = [], []
    for ident, ticked in boxes.items():
        kind, _, rest = ident.partition(":")
        if kind == REVIEW:
            card = rest if ":" in rest else f"{PROBLEM_CARD}:{rest}"  # plans before cards
            hard = boxes.get(f"{REVIEW_HARD}:{rest}", False)
            reviews.append(Event(card, HARD_RECALL if hard else GOOD if ticked else AGAIN))
        elif kind == PROBLEM and ticked:
            hard = boxes.get(f"{HARD}:{rest}", False)
            learnt.append(Event(f"{PROBLEM_CARD}:{rest}", SOLVED_HARD if hard else SOLVED))
        elif kind == QUESTION and ticked:
            learnt.append(Event(f"{QUESTION_CARD}:{rest}", SOLVED))
        elif kind == REDO and ticked:  # rewritten closed-book: recalled
            reviews.append(Event(f"{PROBLEM_CARD}:{rest}", GOOD))
    return (*reviews, *learnt)


def log_from_plans(plans: Iterable[PlanRecord]) -> dict[dt.date, tuple[Event, ...]]:
    """The review log of these plans, by day (days with nothing left out)."""
    log = {}
    for plan in plans:
        events = day_events(plan.boxes)
        if events:
            log[plan.day] = events
    return log


def encode(events: Sequence[Event]) -> str:
    """A day's events as one short line of text, for the ledger: `p:lc-94=s q:q3=g`."""
    return " ".join(f"{e.card}={e.mark}" for e in events)


def decode(text: str) -> tuple[Event, ...]:
    events = []
    for part in text.split():
        card, _, mark = part.rpartition("=")
        if card and mark in RATINGS:
            events.append(Event(card, mark))
    return tuple(events)


# -- the replay ------------------------------------------------------------------------------------

@dataclass
class _Card:
    """A card during the replay: FSRS's card and what the figures need besides."""

    fsrs: Card
    first_day: dt.date
    last_day: dt.date
    reviews: int = 0
    lapses: int = 0


def replay(log: ReviewLog, before: dt.date, retention: float,
           start: Mapping[str, Memory] | None = None,
           after: dt.date | None = None) -> dict[str, Memory]:
    """Every card's memory after the log's days before `before`, in day order.

    With `start` (the memory after the days up to `after`), only the later days are replayed:
    the result is the same as replaying the whole log.
    """
    fsrs = scheduler(retention)
    cards = {card: _from_memory(m) for card, m in (start or {}).items()}
    for day in sorted(log):
        if day >= before or (after is not None and day <= after):
            continue
        for event in log[day]:
            _apply(fsrs, cards, event, day)
    return {card: _to_memory(card, c) for card, c in sorted(cards.items())}


def _apply(fsrs: Scheduler, cards: dict[str, _Card], event: Event, day: dt.date) -> None:
    card = cards.get(event.card)
    if card is None and event.mark in (SOLVED, SOLVED_HARD):
        # Solved or answered today: a new card, first reviewed tomorrow.
        cards[event.card] = _Card(Card(card_id=0, due=stamp(day + dt.timedelta(days=1))),
                                  first_day=day, last_day=day)
        return
    if card is None:  # one of the learner's cards, reviewed for the first time
        card = cards[event.card] = _Card(Card(card_id=0, due=stamp(day)), first_day=day,
                                         last_day=day - dt.timedelta(days=1))
    if day <= card.last_day:
        return  # one event a card a day: the first one counts
    rating = RATINGS[event.mark]
    card.fsrs, _ = fsrs.review_card(card.fsrs, rating, stamp(day))
    card.last_day = day
    card.lapses += rating == Rating.Again and card.reviews > 0
    card.reviews += 1


def _to_memory(ident: str, card: _Card) -> Memory:
    last = card.fsrs.last_review
    return Memory(card=ident, first_day=card.first_day, due=card.fsrs.due.date(),
                  last_review=last.date() if last else None, stability=card.fsrs.stability,
                  difficulty=card.fsrs.difficulty, reviews=card.reviews, lapses=card.lapses)


def _from_memory(memory: Memory) -> _Card:
    reviewed = memory.reviews > 0
    fsrs = Card(card_id=0, state=State.Review if reviewed else State.Learning,
                step=None if reviewed else 0, stability=memory.stability,
                difficulty=memory.difficulty, due=stamp(memory.due),
                last_review=stamp(memory.last_review) if memory.last_review else None)
    last = memory.last_review or memory.first_day
    return _Card(fsrs, memory.first_day, last, memory.reviews, memory.lapses)


def retrievability(memory: Memory, day: dt.date, retention: float) -> float | None:
    """The chance the learner recalls the card on `day`; None before its first review."""
    if memory.stability is None or memory.last_review is None:
        return None
    return scheduler(retention).get_card_retrievability(_from_memory(memory).fsrs, stamp(day))
