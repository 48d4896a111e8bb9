"""`tracker cards`: the learner's cards with their next review day and how likely they are to
be recalled, read from the daily plans of either store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .memory import NOTE_CARD, Memory, retrievability
from .memory_cache import CACHE, Cached
from .model import Roadmap
from .render import plural
from .review_figures import card_states, memory_of_plans
from .reviews import StudyCard, deck, reviews_for
from .state import read_state
from .store.base import Store, trusted_authors

FRONT_WIDTH = 48  # a terminal line: the question is cut after this many characters


@dataclass
class CardsReport:
    lines: list[str] = field(default_factory=list)


def _due(memory: Memory | None, today: dt.date) -> str:
    if memory is None:
        return "new"
    if memory.due == today:
        return "today"
    if memory.due < today:
        return f"{(today - memory.due).days}d late"
    return memory.due.isoformat()


def _front(card: StudyCard) -> str:
    text = " ".join(card.front.split())
    return text if len(text) <= FRONT_WIDTH else text[: FRONT_WIDTH - 1] + "…"


def card_table(roadmap: Roadmap, memory: Mapping[str, Memory], today: dt.date,
               show_retired: bool = False) -> list[str]:
    """The cards, soonest due first, with a summary line above them."""
    cards = deck(roadmap, memory)
    states = card_states(roadmap, memory)
    review = roadmap.review
    budget = plural(review.cards, "card") if review.cards else f"{review.minutes} min"
    todays = reviews_for(roadmap, memory, today)
    retired = states["retired"]
    listed = f" (--retired lists {'it' if retired == 1 else 'them'})" \
        if retired and not show_retired else ""
    lines = [f"{plural(len(cards), 'card')}: {states['new']} new, {states['learning']} "
             f"learning, {states['mature']} mature; {retired} retired{listed}",
             f"review budget {budget} a day, retention {review.retention:g}; today "
             f"{plural(len(todays), 'review')} ({sum(d.card.minutes for d in todays)} min)",
             ""]
    rows = []
    for ident, card in cards.items():
        known = memory.get(ident)
        recall = retrievability(known, today, review.retention) if known else None
        rows.append(((known.due if known else dt.date.min), recall or 0.0, ident,
                     _due(known, today), "–" if recall is None else f"{recall:.0%}",
                     _front(card)))
    width = max([len(row[2]) for row in rows] + [4])
    lines.append(f"{'due':<11} {'recall':>6}  {'card':<{width}}  question")
    for _, _, ident, due, shown, front in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        lines.append(f"{due:<11} {shown:>6}  {ident:<{width}}  {front}")
    if show_retired:
        for ident, known in sorted(memory.items()):
            if ident not in cards:
                lines.append(f"{'retired':<11} {'':>6}  {ident:<{width}}  "
                             f"{_retired(ident, known)}")
    return lines


def _retired(ident: str, memory: Memory) -> str:
    """A retired card's line: when it was last reviewed, and for a card of the learner's
    (retired when its id changed, as a reworded '## ' question does) how to keep its history."""
    said = f"last reviewed {memory.last_review or memory.first_day}"
    kind, _, own = ident.partition(":")
    if kind != NOTE_CARD:
        return said
    return f"{said}; reworded? give it the id {{#{own}}} or id: {own}"


def list_cards(roadmap: Roadmap, store: Store, now: dt.datetime, root: Path,
               show_retired: bool = False) -> CardsReport:
    """Read the daily plans (one listing), replay their reviews and list the cards."""
    today = now.astimezone(roadmap.learner.tz).date()
    state = read_state(store.list_issues(), trusted_authors(store))
    try:
        cached = Cached.from_json((root / CACHE).read_text(encoding="utf-8"))
    except OSError:
        cached = None
    memory = memory_of_plans(roadmap, state.plans.values(), today, cached)
    return CardsReport(card_table(roadmap, memory, today, show_retired))
