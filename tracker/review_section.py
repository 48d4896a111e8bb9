"""The daily plan's review section: each due card as a box to tick, with its answer folded.

Ticking a card's box means "recalled"; the small box under it, "recalled, with effort"; a card
left unticked when the plan is scored was forgotten (see `tracker.memory`). The answer sits in
a `<details>` under the question, to check after answering.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .memory import NOTE_CARD, PROBLEM_CARD, QUESTION_CARD
from .reviews import DueCard, StudyCard
from .state import REVIEW, REVIEW_HARD, item_id

MAX_ANSWER = 1200  # characters of an answer shown in the plan; the card file has the rest
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LABELS = {
    "zh-CN": {PROBLEM_CARD: "提示", NOTE_CARD: "答案", QUESTION_CARD: "要点",
              "more": "……（全文见 {}）"},
    "en": {PROBLEM_CARD: "hint", NOTE_CARD: "answer", QUESTION_CARD: "key points",
           "more": "… (the whole answer is in {})"},
}


def answer_text(card: StudyCard, locale: str) -> str:
    """The answer as the plan shows it: the learner's comments left out (they could close the
    tracker's block), cut at a paragraph if very long, with a pointer to the card's file."""
    text = _COMMENT.sub("", card.back).strip()
    if len(text) <= MAX_ANSWER:
        return text
    cut = text.rfind("\n\n", 0, MAX_ANSWER)
    shown = text[: cut if cut > 0 else MAX_ANSWER].rstrip()
    if shown.count("```") % 2:  # never leave a code block open
        shown += "\n```"
    return shown + "\n\n" + _LABELS[locale]["more"].format(card.source or "cards/")


def review_items(due: Sequence[DueCard], locale: str) -> list[dict[str, Any]]:
    """The section's items, in the order chosen (most overdue first)."""
    labels = _LABELS["zh-CN" if locale.startswith("zh") else "en"]
    items = []
    for entry in due:
        card = entry.card
        items.append({
            "id": item_id(REVIEW, card.id),
            "hard_id": item_id(REVIEW_HARD, card.id),
            "text": " ".join(card.front.split()),
            "link": card.link,
            "answer": answer_text(card, locale),
            "answer_label": labels[card.kind],
            "minutes": card.minutes,
            "new": entry.memory is None or not entry.memory.reviews,
        })
    return items
