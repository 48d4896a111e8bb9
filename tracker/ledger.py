"""The few facts the dashboard needs from each row, kept between runs in a small JSON file.

A steady-state run lists only the issues updated since the last one (the listing's `since`),
updates their facts and leaves the others as they were; `--full` rebuilds the same ledger from
every issue. Facts are plain counts and dates, so the file stays small after years of plans.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from typing import Any

from . import keys
from .committed import rows_json
from .memory import day_events, encode
from .rows import issue_block
from .state import (
    NEXT_UP,
    PROBLEM,
    TOPIC_STEP,
    closed_as_done,
    item_kind,
    optional_items,
    scored_boxes,
    step_share,
)
from .store.base import Issue, Trusted

LEDGER_VERSION = 2  # 2: the review log of each plan


@dataclass(frozen=True)
class TopicFact:
    number: int
    open: bool
    completed: bool  # closed as completed (not removed from the roadmap)
    closed_on: str | None  # local date, ISO
    ticked: int
    boxes: int


@dataclass(frozen=True)
class PlanFact:
    number: int
    done: int
    total: int
    steps: float  # topic steps ticked in the plan (a session: its share of a step)
    problems: int  # problems ticked in the plan
    open: bool = False  # still open: a later morning scores and closes it


@dataclass(frozen=True)
class RetroFact:
    number: int
    title: str


@dataclass
class Ledger:
    topics: dict[str, TopicFact] = field(default_factory=dict)
    plans: dict[str, PlanFact] = field(default_factory=dict)  # by local date, ISO
    retros: dict[str, RetroFact] = field(default_factory=dict)  # by ISO week
    reviews: dict[str, str] = field(default_factory=dict)  # by local date: the plan's log
    rows: dict[str, str] = field(default_factory=dict)  # issue number -> "kind:id"
    seen: dict[str, str] = field(default_factory=dict)  # trusted issue number -> updated_at
    since: str | None = None  # the newest updated_at seen, for the next run's `since`
    store: str | None = None  # the identity of the store it was read from (`caches.describes`)
    # The last `since` listing taken in, where the store's tags last (`Store.keeps_tags`): the
    # `since` it asked for and GitHub's ETag of it, to ask again with `If-None-Match`.
    listed: tuple[str, str] | None = None

    def to_json(self) -> str:
        """Compact, one row a line, so the committed file stays small and diffs stay readable."""
        def table(rows: dict[str, Any]) -> str:
            return rows_json({k: list(astuple(v)) for k, v in rows.items()})

        rows = {k: v for k, v in sorted(self.rows.items(), key=lambda kv: int(kv[0]))}
        seen = {k: v for k, v in sorted(self.seen.items(), key=lambda kv: int(kv[0]))}
        return ("{\n"
                f' "version": {LEDGER_VERSION},\n'
                f' "store": {json.dumps(self.store)},\n'
                f' "since": {json.dumps(self.since)},\n'
                f' "topics": {table(self.topics)},\n'
                f' "plans": {table(self.plans)},\n'
                f' "retros": {table(self.retros)},\n'
                f' "reviews": {rows_json(self.reviews)},\n'
                f' "rows": {json.dumps(rows, ensure_ascii=False, separators=(",", ":"))},\n'
                f' "seen": {json.dumps(seen, separators=(",", ":"))},\n'
                f' "listed": {json.dumps(list(self.listed) if self.listed else None)}\n'
                "}\n")

    @classmethod
    def from_json(cls, text: str) -> Ledger | None:
        """The saved ledger, or None if it is missing, damaged or of another version."""
        try:
            data: dict[str, Any] = json.loads(text)
            if data.get("version") != LEDGER_VERSION:
                return None
            return cls(
                topics={k: TopicFact(*v) for k, v in data["topics"].items()},
                plans={k: PlanFact(*v) for k, v in data["plans"].items()},
                retros={k: RetroFact(*v) for k, v in data["retros"].items()},
                reviews={str(k): str(v) for k, v in data["reviews"].items()},
                rows=dict(data["rows"]), seen=dict(data["seen"]), since=data.get("since"),
                store=data.get("store"), listed=_listed(data.get("listed")))
        except (ValueError, KeyError, TypeError):
            return None

    def changed_since(self, issues: Iterable[Issue], trusted: Trusted) -> list[Issue]:
        """The trusted issues of a `since` listing that were edited after this ledger saw them."""
        return [i for i in issues if trusted.wrote(i)
                and self.seen.get(str(i.number)) != _stamp(i.updated_at)]

    def update(self, issues: Iterable[Issue], trusted: Trusted, tz: dt.tzinfo) -> bool:
        """Take in listed issues; True if any fact changed."""
        owners: dict[str, int] = {}
        for number, slot in self.rows.items():
            owners[slot] = min(owners.get(slot, int(number)), int(number))
        changed = False
        for issue in issues:
            self.listed = None  # the listing's tag is good only for what the ledger took in
            stamp = _stamp(issue.updated_at)
            if self.since is None or stamp > self.since:
                self.since = stamp
            if trusted.wrote(issue):
                self.seen[str(issue.number)] = stamp
            changed |= self._take(issue, trusted, tz, owners)
        return changed

    def _take(self, issue: Issue, trusted: Trusted, tz: dt.tzinfo,
              owners: dict[str, int]) -> bool:
        body = issue_block(issue) if trusted.wrote(issue) else None
        number = str(issue.number)
        before = self.rows.get(number)
        slot = f"{body.key.kind}:{body.key.id}" if body else None
        changed = False
        if before and before != slot:  # its key was removed or changed by hand
            del self.rows[number]
            rest = [int(n) for n, s in self.rows.items() if s == before]
            if rest:
                owners[before] = min(rest)  # the next copy takes over at its next listing
            else:
                owners.pop(before, None)
                self._forget(before)
            changed = True
        if body is None or slot is None:
            return changed
        self.rows[number] = slot
        owners[slot] = min(owners.get(slot, issue.number), issue.number)
        if owners[slot] != issue.number:
            return changed  # an older copy of the same key is the row
        kind, ident = body.key.kind, body.key.id
        boxes = keys.boxes(body.block)
        fact: Any
        if kind == "topic":
            closed_on = issue.closed_at.astimezone(tz).date().isoformat() if issue.closed_at \
                else None
            fact = TopicFact(issue.number, issue.state == "open",
                             closed_as_done(issue.state, issue.state_reason),
                             closed_on, sum(boxes.values()), len(boxes))
            table: dict[str, Any] = self.topics
        elif kind == "daily":
            changed |= self._log_reviews(ident, boxes)
            scored = scored_boxes(boxes, optional_items(body.key))
            fact = PlanFact(issue.number, sum(scored.values()), len(scored),
                            steps_ticked(boxes),
                            sum(v for k, v in boxes.items() if item_kind(k) == PROBLEM),
                            issue.state == "open")
            table = self.plans
        elif kind == "retro":
            fact = RetroFact(issue.number, issue.title)
            table = self.retros
        else:
            return changed
        if table.get(ident) != fact:
            table[ident] = fact
            changed = True
        return changed

    def _log_reviews(self, day: str, boxes: dict[str, bool]) -> bool:
        """Keep what the plan of `day` says about the cards (see `tracker.memory`)."""
        events = encode(day_events(boxes))
        if self.reviews.get(day, "") == events:
            return False
        if events:
            self.reviews[day] = events
        else:
            self.reviews.pop(day, None)
        return True

    def _forget(self, slot: str) -> None:
        kind, _, ident = slot.partition(":")
        if kind == "daily":
            self.reviews.pop(ident, None)
        table = {"topic": self.topics, "daily": self.plans, "retro": self.retros}.get(kind)
        if table is not None:
            table.pop(ident, None)  # type: ignore[attr-defined]


def steps_ticked(boxes: dict[str, bool]) -> float:
    """Topic steps a plan's ticks amount to (a session counts as its share of its step);
    a whole number stays an int, so the saved ledger does not change form."""
    total = round(sum(step_share(k) for k, v in boxes.items()
                      if v and item_kind(k) in (TOPIC_STEP, NEXT_UP)), 3)
    return int(total) if total == int(total) else total


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _listed(value: Any) -> tuple[str, str] | None:
    """The saved `listed`: a `since` and a tag, or None."""
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return value[0], value[1]
    return None
