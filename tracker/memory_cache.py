"""The cards' memory, kept between runs in `dashboard/cards.json` beside the dashboard's ledger.

Only a cache: the memory is always what replaying the review log gives (`tracker.memory`). The
file remembers the last day it was replayed through and a digest of the log up to that day. A
run whose log still has that beginning replays only the days after it; a log changed in the
past (a late tick in an old plan), another retention, a damaged or missing file: the whole log
is replayed again, to exactly the same memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from .committed import rows_json
from .memory import MAX_INTERVAL, WEIGHTS, Memory, ReviewLog, encode, replay

CACHE = "dashboard/cards.json"
VERSION = 1


@dataclass(frozen=True)
class Cached:
    """The memory after the log's days up to `through`, and the digest of those days."""

    through: dt.date
    digest: str
    memories: dict[str, Memory]

    def to_json(self) -> str:
        """One card a line, so the committed file diffs by card."""
        cards = rows_json({card: _row(m) for card, m in self.memories.items()})
        return ("{\n"
                f' "version": {VERSION},\n'
                f' "through": "{self.through.isoformat()}",\n'
                f' "digest": "{self.digest}",\n'
                f' "cards": {cards}\n'
                "}\n")

    @classmethod
    def from_json(cls, text: str) -> Cached | None:
        """The saved memory, or None if the file is damaged or of another version."""
        try:
            data: dict[str, Any] = json.loads(text)
            if data.get("version") != VERSION:
                return None
            return cls(dt.date.fromisoformat(data["through"]), str(data["digest"]),
                       {str(card): _memory(str(card), row)
                        for card, row in data["cards"].items()})
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def _row(memory: Memory) -> list[Any]:
    return [memory.first_day.isoformat(), memory.due.isoformat(),
            memory.last_review.isoformat() if memory.last_review else None,
            memory.stability, memory.difficulty, memory.reviews, memory.lapses]


def _memory(card: str, row: list[Any]) -> Memory:
    first, due, last, stability, difficulty, reviews, lapses = row
    return Memory(card, dt.date.fromisoformat(first), dt.date.fromisoformat(due),
                  dt.date.fromisoformat(last) if last else None,
                  None if stability is None else float(stability),
                  None if difficulty is None else float(difficulty), int(reviews), int(lapses))


def digest(log: ReviewLog, through: dt.date, retention: float) -> str:
    """A fingerprint of the log's days up to `through` and of how they are scheduled."""
    hasher = hashlib.sha256(json.dumps([VERSION, retention, WEIGHTS, MAX_INTERVAL]).encode())
    for day in sorted(log):
        if day <= through:
            hasher.update(f"{day.isoformat()} {encode(log[day])}\n".encode())
    return hasher.hexdigest()[:16]


def memories(log: ReviewLog, before: dt.date, retention: float,
             cached: Cached | None = None) -> tuple[dict[str, Memory], Cached]:
    """The cards' memory after the log's days before `before`, and the cache to keep.

    From `cached` when it was made from the same log, up to a day before `before`; otherwise
    replayed from the start.
    """
    through = before - dt.timedelta(days=1)
    usable = (cached is not None and cached.through <= through
              and cached.digest == digest(log, cached.through, retention))
    if usable and cached is not None:
        memory = replay(log, before, retention, start=cached.memories, after=cached.through)
    else:
        memory = replay(log, before, retention)
    return memory, Cached(through, digest(log, through, retention), memory)
