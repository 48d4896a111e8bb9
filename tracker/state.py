"""What the learner has done, read from the tracker's rows: topics, daily plans, retros."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from . import keys
from .rows import IssueRow, Rows, read_rows
from .store.base import Issue, Trusted

# Items of a daily plan, by the prefix of their id.
TOPIC_STEP, PROBLEM, HARD, REVIEW, QUESTION, ROUTINE, CHECKPOINT = (
    "t", "p", "h", "r", "q", "o", "c")
REDO = "d"  # a problem rewritten closed-book on the redo day
NEXT_UP = "n"  # a step added to a plan ticked off early: a bonus, like a topic step
WEEK = "w"  # a retro's choice for next week: a topic first, a lighter or heavier week
REVIEW_HARD = "rh"  # the small box beside a review: recalled, with effort
# "This one was hard" is a flag, and "next up" is more than the day asked: neither is work the
# day's score counts (a ticked next-up step still counts as a step done). Nor is the small
# "hard" box of a review: the review itself is the work.
NOT_SCORED = {HARD, NEXT_UP, REVIEW_HARD}
OPTIONAL_KEY = "opt"  # in a daily plan's key: its optional items, which count once ticked


def optional_items(key: keys.Key) -> frozenset[str]:
    """The items a daily plan's key says are optional ("opt")."""
    listed = key.written.get(OPTIONAL_KEY)
    return frozenset(i for i in listed if isinstance(i, str)) if isinstance(listed, list) \
        else frozenset()


def item_id(kind: str, *parts: str) -> str:
    return ":".join((kind, *parts))


def item_kind(ident: str) -> str:
    return ident.split(":", 1)[0]


def closed_as_done(state: str, state_reason: str | None) -> bool:
    """Whether a topic issue counts as done: closed, and not as "not planned" (removed from
    the roadmap) or as a duplicate of another issue. A close without a reason is GitHub's
    older "completed"."""
    return state == "closed" and state_reason not in ("not_planned", "duplicate")


def step_share(ident: str) -> float:
    """How much of a topic step a plan item is: 1, or 1/n for a session `…:k/n` of it."""
    last = ident.rsplit(":", 1)[-1]
    count = last.split("/", 1)[1] if "/" in last else ""
    return 1 / int(count) if count.isdigit() and int(count) > 0 else 1.0


def scored_boxes(boxes: Mapping[str, bool],
                 optional: Iterable[str] = ()) -> dict[str, bool]:
    """The boxes that count in a plan's score, ticked or not. A review recalled with effort
    (its small box ticked) is a review done, even if its own box was left unticked. An
    optional box (`optional`: the ids the plan's key lists) counts only once ticked: it can
    raise the score, never lower it."""
    scored = {}
    skipped = frozenset(optional)
    for ident, ticked in boxes.items():
        kind, _, rest = ident.partition(":")
        if kind in NOT_SCORED or (ident in skipped and not ticked):
            continue
        hard = kind == REVIEW and boxes.get(f"{REVIEW_HARD}:{rest}", False)
        scored[ident] = ticked or hard
    return scored


@dataclass(frozen=True)
class TopicRow:
    id: str
    number: int
    open: bool
    ticked: frozenset[str]  # ticked in the topic or in a daily plan: what counts as done
    boxes: tuple[str, ...]
    closed_at: dt.datetime | None
    state_reason: str | None
    milestone: int | None
    milestone_open: bool
    removed: bool
    # Ticked in the topic's own body. A plan's tick is carried there by reconcile; until then
    # (or if the body has no room for it) it counts from the plan.
    in_body: frozenset[str] = frozenset()

    @property
    def done(self) -> bool:
        return closed_as_done("open" if self.open else "closed", self.state_reason)


@dataclass(frozen=True)
class PlanRecord:
    """A daily plan issue: its day and its boxes, ticked or not."""

    day: dt.date
    number: int
    open: bool
    boxes: dict[str, bool] = field(hash=False)
    row: IssueRow = field(hash=False, compare=False)

    @property
    def optional(self) -> frozenset[str]:
        """The plan's optional items, as its key lists them."""
        return optional_items(self.row.key) if self.row is not None else frozenset()

    @property
    def scored(self) -> dict[str, bool]:
        return scored_boxes(self.boxes, self.optional)

    @property
    def score(self) -> tuple[int, int]:
        """(ticked, total) of the plan's work items."""
        scored = self.scored
        return sum(scored.values()), len(scored)

    def ticked(self, kind: str) -> list[str]:
        return [k for k, v in self.boxes.items() if v and item_kind(k) == kind]

    def items(self, kind: str) -> list[str]:
        return [k for k in self.boxes if item_kind(k) == kind]


@dataclass(frozen=True)
class RetroRecord:
    week: str  # ISO week, e.g. 2026-W48
    number: int
    open: bool
    boxes: dict[str, bool] = field(default_factory=dict, hash=False)
    comments: int = 0  # replies on the issue: the learner's reflection, if any

    def chosen(self, kind: str) -> list[str]:
        """Ids (after the kind) of this kind's ticked boxes, in the retro's order."""
        return [k.split(":", 1)[1] for k, v in self.boxes.items() if v and item_kind(k) == kind]


@dataclass
class StudyState:
    rows: Rows
    topics: dict[str, TopicRow]
    plans: dict[dt.date, PlanRecord]
    retros: dict[str, RetroRecord]

    def plans_between(self, first: dt.date, last: dt.date) -> list[PlanRecord]:
        return [p for d, p in sorted(self.plans.items()) if first <= d <= last]

    def previous_plan(self, day: dt.date) -> PlanRecord | None:
        earlier = [d for d in self.plans if d < day]
        return self.plans[max(earlier)] if earlier else None


def parse_step_item(ident: str) -> tuple[str, str, int, int] | None:
    """(topic id, step id, session, sessions) of a plan's step item (`t:topic:step`, or
    `t:topic:step:2/4` for a session, or the same as a next-up `n:` item); session 0 for a
    whole step; None for other items."""
    if item_kind(ident) not in (TOPIC_STEP, NEXT_UP):
        return None
    parts = ident.split(":")
    if len(parts) < 3:
        return None
    if len(parts) >= 4:
        number, _, count = parts[3].partition("/")
        if number.isdigit() and count.isdigit():
            return parts[1], parts[2], int(number), int(count)
    return parts[1], parts[2], 0, 1


def sessions_ticked(plans: Iterable[PlanRecord]) -> dict[tuple[str, str], set[int]]:
    """The sessions ticked in any plan, by (topic, step)."""
    done: dict[tuple[str, str], set[int]] = {}
    for plan in plans:
        for ident, ticked in plan.boxes.items():
            parsed = parse_step_item(ident) if ticked else None
            if parsed and parsed[2]:
                done.setdefault(parsed[:2], set()).add(parsed[2])
    return done


def plan_ticks(plans: Iterable[PlanRecord]) -> dict[str, set[str]]:
    """Topic steps done in any of the daily plans, by topic: ticked whole (in the focus or a
    next-up section), or every one of their sessions ticked."""
    plans = list(plans)
    wanted: dict[str, set[str]] = {}
    counts: dict[tuple[str, str], int] = {}
    for plan in plans:
        for ident, ticked in plan.boxes.items():
            parsed = parse_step_item(ident)
            if parsed is None:
                continue
            if parsed[2]:
                counts[parsed[:2]] = parsed[3]  # the latest plan says how many there are
            elif ticked:
                wanted.setdefault(parsed[0], set()).add(parsed[1])
    for (topic_id, box_id), sessions in sessions_ticked(plans).items():
        if len(sessions) >= counts.get((topic_id, box_id), 1):
            wanted.setdefault(topic_id, set()).add(box_id)
    return wanted


def read_state(issues: Iterable[Issue], trusted: Trusted) -> StudyState:
    """The learner's state from one listing of issues (milestones are not needed)."""
    rows = read_rows(issues, [], trusted)
    plans = _plans(rows)
    from_plans = plan_ticks(plans.values())
    topics = {}
    for ident, row in rows.of_kind("topic").items():
        boxes = keys.boxes(row.body.block)
        in_body = frozenset(k for k, v in boxes.items() if v)
        topics[ident] = TopicRow(
            id=ident, number=row.issue.number, open=row.issue.state == "open",
            ticked=in_body | from_plans.get(ident, set()), boxes=tuple(boxes),
            closed_at=row.issue.closed_at, state_reason=row.issue.state_reason,
            milestone=row.issue.milestone, milestone_open=row.issue.milestone_state == "open",
            removed=bool(row.key.written.get("removed")), in_body=in_body)
    retros = {ident: RetroRecord(ident, row.issue.number, row.issue.state == "open",
                                 keys.boxes(row.body.block), row.issue.comments)
              for ident, row in rows.of_kind("retro").items()}
    return StudyState(rows, topics, plans, retros)


def _plans(rows: Rows) -> dict[dt.date, PlanRecord]:
    plans = {}
    for ident, row in rows.of_kind("daily").items():
        try:
            day = dt.date.fromisoformat(ident)
        except ValueError:
            continue
        plans[day] = PlanRecord(day, row.issue.number, row.issue.state == "open",
                                keys.boxes(row.body.block), row)
    return plans
