"""What the tracker knows of the store between runs, kept in `dashboard/state.json`.

A run lists only the issues updated since the last one (the listing's `since`) and takes the
rest from here; `--full` rebuilds the same ledger from every issue. It holds:

- a record of each issue the tracker counts (`Record`): every field of the issue, and of its
  body what the later steps read (the key and the boxes of its own block, in order, ticked or
  not), but not the text: from a record `Record.issue` makes an issue whose body the readers
  parse as the real one, with the text marked unread (`keys.unread_body`);
- the dashboard's facts derived from them (topics, plans, retros, the review log), small
  counts and dates;
- the labels and milestones last listed, with the tag of that listing (GitHub's ETag), and
  the tag of the last `since` listing, for conditional requests that cost no request of the
  hour's quota when nothing changed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
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
from .store.base import Issue, Label, Milestone, Trusted

LEDGER_VERSION = 3  # 2: the review log of each plan; 3: a record of each issue, the listings


@dataclass(frozen=True)
class Record:
    """An issue as the tracker last read it, its body reduced to what its readers use. Two
    fields no step reads of an issue it did not just make are not kept: when it was created
    and its GraphQL id (pinning uses the new plan's own)."""

    number: int
    title: str
    state: str
    state_reason: str | None
    labels: tuple[str, ...]
    milestone: int | None
    milestone_state: str | None
    author: str
    author_association: str
    updated_at: str  # UTC, to the second, as GitHub gives it
    closed_at: str | None
    comments: int
    assignees: tuple[str, ...]
    key: dict[str, Any] | None  # the own block's key: kind, id and what the tracker wrote
    open_ended: bool  # its end marker was deleted
    boxes: str  # the own block's boxes in order: "+id" ticked, "-id" not, space-separated
    plain: bool  # the body is the tracker's block alone: no text above or below it
    digest: str  # of the whole body (`keys.body_digest`)

    @classmethod
    def of(cls, issue: Issue) -> Record:
        """The record of an issue read from the store (not one made from a record)."""
        body = issue_block(issue)
        key = {"kind": body.key.kind, "id": body.key.id, **body.key.written} if body else None
        boxes = keys.boxes(body.block) if body else {}
        return cls(
            issue.number, issue.title, issue.state, issue.state_reason, tuple(issue.labels),
            issue.milestone, issue.milestone_state, issue.author, issue.author_association,
            stamp(issue.updated_at), stamp(issue.closed_at) if issue.closed_at else None,
            issue.comments, tuple(issue.assignees), key, bool(body and body.open_ended),
            " ".join(("+" if ticked else "-") + ident for ident, ticked in boxes.items()),
            body is not None and body.before == "" and body.after == "",
            keys.body_digest(issue.body))

    @property
    def slot(self) -> str | None:
        """"kind:id" of its key, the row it stands for."""
        return f"{self.key['kind']}:{self.key['id']}" if self.key else None

    def issue(self) -> Issue:
        """The issue as last read, its body made from the record: the key and the boxes are
        the real ones, the rest of the text is marked unread."""
        key = None
        if self.key is not None:
            written = {k: v for k, v in self.key.items() if k not in ("kind", "id")}
            key = keys.Key(self.key["kind"], self.key["id"], written)
        boxes = self.box_states()
        body = keys.unread_body(key, boxes, open_ended=self.open_ended, plain=self.plain,
                                digest=self.digest)
        updated = moment(self.updated_at)
        return Issue(
            self.number, self.title, body, self.state, self.state_reason, self.labels,
            self.milestone, self.author, updated, updated,
            moment(self.closed_at) if self.closed_at else None, self.milestone_state,
            self.comments, self.assignees, "", self.author_association)

    def box_states(self) -> dict[str, bool]:
        """The own block's boxes in order: ticked or not."""
        return {part[1:]: part[0] == "+" for part in self.boxes.split()}

    def row(self) -> list[Any]:
        return [getattr(self, name) for name in _RECORD_FIELDS]

    @classmethod
    def from_row(cls, row: list[Any]) -> Record:
        if len(row) != len(_RECORD_FIELDS):
            raise ValueError(f"a record of {len(row)} fields, not {len(_RECORD_FIELDS)}")
        values = list(row)
        for index in _TUPLE_FIELDS:  # JSON gives lists
            values[index] = tuple(values[index])
        return cls(*values)


_RECORD_FIELDS = tuple(Record.__dataclass_fields__)
_TUPLE_FIELDS = (_RECORD_FIELDS.index("labels"), _RECORD_FIELDS.index("assignees"))


@dataclass
class Cached:
    """A listing of labels or milestones as last made, and its tag (GitHub's ETag)."""

    tag: str | None
    items: list[Any]


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
    records: dict[int, Record] = field(default_factory=dict)  # every trusted issue, by number
    # The newest updated_at a listing showed, for the next run's `since`. The tracker's own
    # writes do not move it: an edit made while a run was working is then never skipped.
    since: str | None = None
    store: str | None = None  # the identity of the store it was read from (`caches.describes`)
    listed: tuple[str, str] | None = None  # the last `since` listing: its `since` and tag
    labels: Cached | None = None
    milestones: Cached | None = None
    read_all: str | None = None  # the learner's day every issue was last read (`reading`)
    rows: dict[int, str] = field(default_factory=dict)  # issue number -> "kind:id" (derived)
    # The last listing brought many issues: its new `since` is worth saving on its own.
    far: bool = field(default=False, compare=False)
    # The milestones this run wrote, by number, and their state: an issue's answer to an
    # earlier write of the run shows the state its milestone had then.
    written_milestones: dict[int, str] = field(default_factory=dict, compare=False)

    def to_json(self, tags: bool = True) -> str:
        """Compact, one row a line, so the committed file stays small and diffs stay readable.
        Without `tags`, the listings' tags are left out (they would not hold in a later run:
        the store's token is new for every run)."""
        def table(rows: dict[str, Any]) -> str:
            return rows_json({k: list(vars(v).values()) for k, v in rows.items()})

        def compact(value: Any) -> str:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

        def listing(cached: Cached | None) -> str:
            if cached is None:
                return "null"
            return compact({"tag": cached.tag if tags else None, "items": [_listed_row(item)
                                                         for item in cached.items]})

        records = [f"  {json.dumps(str(n))}: {compact(r.row())}"
                   for n, r in sorted(self.records.items())]
        issues = "{\n" + ",\n".join(records) + "\n }" if records else "{}"
        return ("{\n"
                f' "version": {LEDGER_VERSION},\n'
                f' "store": {json.dumps(self.store)},\n'
                f' "since": {json.dumps(self.since)},\n'
                f' "listed": {compact(self.listed if tags else None)},\n'
                f' "read_all": {json.dumps(self.read_all)},\n'
                f' "labels": {listing(self.labels)},\n'
                f' "milestones": {listing(self.milestones)},\n'
                f' "topics": {table(self.topics)},\n'
                f' "plans": {table(self.plans)},\n'
                f' "retros": {table(self.retros)},\n'
                f' "reviews": {rows_json(self.reviews)},\n'
                f' "issues": {issues}\n'
                "}\n")

    @classmethod
    def from_json(cls, text: str) -> Ledger | None:
        """The saved ledger, or None if it is missing, damaged or of another version."""
        try:
            data: dict[str, Any] = json.loads(text)
            if data.get("version") != LEDGER_VERSION:
                return None
            records = {int(n): Record.from_row(row) for n, row in data["issues"].items()}
            listed = data.get("listed")
            return cls(
                topics={k: TopicFact(*v) for k, v in data["topics"].items()},
                plans={k: PlanFact(*v) for k, v in data["plans"].items()},
                retros={k: RetroFact(*v) for k, v in data["retros"].items()},
                reviews={str(k): str(v) for k, v in data["reviews"].items()},
                records=records, since=data.get("since"), store=data.get("store"),
                listed=(str(listed[0]), str(listed[1])) if listed else None,
                labels=_cached(data.get("labels"), _label),
                milestones=_cached(data.get("milestones"), _milestone),
                read_all=data.get("read_all"),
                rows={n: r.slot for n, r in records.items() if r.slot})
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None

    def changed_since(self, issues: Iterable[Issue], trusted: Trusted) -> list[Issue]:
        """The trusted issues of a listing that differ from what this ledger knew of them
        (compared whole, not by `updated_at` alone: an edit made in the second of the
        tracker's own last write is not missed)."""
        return [i for i in issues if trusted.wrote(i) and not keys.is_unread(i.body)
                and Record.of(i) != self.records.get(i.number)]

    def update(self, issues: Iterable[Issue], trusted: Trusted, tz: dt.tzinfo, *,
               listed: bool = True) -> bool:
        """Take in issues; True if any fact changed. `listed`: they come from a listing,
        whose newest `updated_at` is the next run's `since`; the answers to the tracker's
        own writes are taken in with `listed=False`. An issue made from a record (its body
        unread) gives its facts, and leaves its record as it is."""
        owners: dict[str, int] = {}
        for number, slot in self.rows.items():
            owners[slot] = min(owners.get(slot, number), number)
        changed = False
        shown: dict[int, str] = {}  # milestone -> its state, as the listing shows it
        for issue in issues:
            unread = keys.is_unread(issue.body)
            updated = stamp(issue.updated_at)
            if listed and not unread and (self.since is None or updated > self.since):
                self.since = updated
            if not trusted.wrote(issue):
                self.records.pop(issue.number, None)
            elif not unread:
                self.records[issue.number] = self._as_now(Record.of(issue))
                if listed and issue.milestone and issue.milestone_state:
                    shown[issue.milestone] = issue.milestone_state
            changed |= self._take(issue, trusted, tz, owners)
        self._milestones_are(shown)
        return changed

    def _milestones_are(self, states: dict[int, str]) -> None:
        """A listing shows each issue with its milestone's state as it is now: the other
        issues of that milestone, not listed, are in the same state (closing a milestone
        changes no issue's `updated_at`)."""
        for number, record in list(self.records.items()):
            state = states.get(record.milestone or 0)
            if state is not None and state != record.milestone_state:
                self.records[number] = replace(record, milestone_state=state)

    def take_milestones(self, milestones: Iterable[Milestone], *, every: bool,
                        tag: str | None = None) -> None:
        """What milestones listed or written say of the issues in them: GitHub shows each
        issue with its milestone's state, and without a milestone once it is deleted; these
        change no issue's `updated_at`. `every`: the milestones are the whole listing, whose
        tag is `tag`; else they were written (the listing's tag no longer holds)."""
        known = {m.number: m for m in milestones}
        if not known and not every:
            return
        for number, record in list(self.records.items()):
            if record.milestone is None:
                continue
            found = known.get(record.milestone)
            if found is None and every:
                self.records[number] = replace(record, milestone=None, milestone_state=None)
            elif found is not None and found.state != record.milestone_state:
                self.records[number] = replace(record, milestone_state=found.state)
        if not every:
            self.written_milestones.update({m.number: m.state for m in known.values()})
        if every:
            self.milestones = Cached(tag, sorted(known.values(), key=lambda m: m.number))
        elif self.milestones is not None:
            merged = {m.number: m for m in self.milestones.items}
            merged.update(known)
            self.milestones = Cached(None, sorted(merged.values(), key=lambda m: m.number))

    def _as_now(self, record: Record) -> Record:
        """A record with the state of its milestone as this run last wrote it."""
        state = self.written_milestones.get(record.milestone or 0)
        if state is None or state == record.milestone_state:
            return record
        return replace(record, milestone_state=state)

    def take_labels(self, labels: Iterable[Label]) -> None:
        """Labels the tracker made: the last listing's tag no longer holds."""
        made = list(labels)
        if made and self.labels is not None:
            merged = {label.name: label for label in self.labels.items}
            merged.update({label.name: label for label in made})
            self.labels = Cached(None, sorted(merged.values(), key=lambda label: label.name))

    def issues(self) -> list[Issue]:
        """Every issue the ledger has a record of, as last read (bodies unread)."""
        return [record.issue() for _, record in sorted(self.records.items())]

    def _take(self, issue: Issue, trusted: Trusted, tz: dt.tzinfo,
              owners: dict[str, int]) -> bool:
        body = issue_block(issue) if trusted.wrote(issue) else None
        number = issue.number
        before = self.rows.get(number)
        slot = f"{body.key.kind}:{body.key.id}" if body else None
        changed = False
        if before and before != slot:  # its key was removed or changed by hand
            del self.rows[number]
            rest = [n for n, s in self.rows.items() if s == before]
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


def stamp(moment: dt.datetime) -> str:
    """A moment as GitHub writes it: UTC, to the second."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def moment(text: str) -> dt.datetime:
    """A moment GitHub wrote (`stamp`); `fromisoformat` reads it many times faster than
    `strptime`, which matters for thousands of records."""
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def _listed_row(item: Label | Milestone) -> list[Any]:
    if isinstance(item, Milestone):
        return [item.number, item.title, item.description, item.state,
                item.due.isoformat() if item.due else None]
    return [item.name, item.color, item.description]


def _label(row: list[Any]) -> Label:
    return Label(*row)


def _milestone(row: list[Any]) -> Milestone:
    number, title, description, state, due = row
    return Milestone(number, title, description, state,
                     dt.date.fromisoformat(due) if due else None)


def _cached(data: Any, make: Any) -> Cached | None:
    if data is None:
        return None
    return Cached(data["tag"], [make(row) for row in data["items"]])
