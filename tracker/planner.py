"""Choosing what to study: the day's focus, its problems, its question, its routines.

Pure functions of the roadmap, the learner's state and a date. Each one decides one thing and
is named after it; `tracker.daily` puts the day together from them, and the retro's suggestion
for next week uses the same order of work.

The rules, in the learner's words (README.md, "The daily loop", says the same):
- Work comes in this order: the topics the learner put first in last week's retro, then the
  stages begun so far (oldest first), then the stages after them; within a stage by priority,
  then roadmap order. A topic waits while a topic it depends on is open, unless that topic's
  last steps are planned earlier the same day (a reading order is a sequence, not a day).
- A step longer than a session (`SESSION_HOURS`) is split into sessions of equal length, ticked
  one at a time ("session 2 of 4"); the step in the topic is ticked when its last session is.
- The day is filled to its budget, within `TOLERANCE` (or as closely as the steps' lengths
  allow); tracks with shares get their part, and what a track cannot use goes to the others.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from . import weekly
from .model import (
    AlgorithmProblem,
    Checkbox,
    Checkpoint,
    InterviewQuestion,
    Roadmap,
    Routine,
    Stage,
    Topic,
)
from .state import (
    CHECKPOINT,
    QUESTION,
    TOPIC_STEP,
    WEEK,
    StudyState,
    item_id,
    parse_step_item,
    sessions_ticked,
)

DEFAULT_TOPIC_HOURS = 2.0  # a topic without an estimate
SESSION_HOURS = 2.0  # a step longer than this is done in sessions, one box each
SESSIONS_PER_STEP = 1  # sessions of one step in a day, while other work is ready
TOLERANCE = 0.15  # a day's plan is within 15 % of the day's hours when there is work enough
MAX_FOCUS_ITEMS = 16  # boxes of new work at most: a phone screen, grouped by topic
NEXT_UP_ITEMS = 2  # what a plan ticked off early gets next
QUESTION_MINUTES = 15  # answering the day's interview question out loud, then the hint
REDO_MINUTES = 30  # rewriting one problem closed-book on the redo day
REDO_MAX = 3  # problems redone on the redo day
_DAY = dt.timedelta(days=1)
_EPSILON = 1e-9


@dataclass(frozen=True)
class Piece:
    """A step of a topic as planned for a day: the whole step, or one of its sessions."""

    topic: Topic
    box: Checkbox
    hours: float
    session: int = 0  # 1-based; 0 when the step is done in one go
    sessions: int = 1

    @property
    def optional(self) -> bool:
        """A step that may be skipped: of an optional topic, or optional itself."""
        return self.topic.optional or self.box.optional

    def item(self, kind: str = TOPIC_STEP) -> str:
        """The plan item's id: `t:topic:step`, or `t:topic:step:2/4` for a session."""
        parts = [self.topic.id, self.box.id]
        if self.session:
            parts.append(f"{self.session}/{self.sessions}")
        return item_id(kind, *parts)


def box_hours(topic: Topic) -> float:
    """A step's time: the topic's estimate shared equally among its boxes."""
    boxes = len(topic.checkboxes) or 1
    return (topic.estimate_hours or DEFAULT_TOPIC_HOURS) / boxes


def session_count(topic: Topic) -> int:
    """How many sessions each step of `topic` takes."""
    return max(1, math.ceil(box_hours(topic) / SESSION_HOURS - _EPSILON))


def open_boxes(topic: Topic, state: StudyState) -> list[Checkbox]:
    """The topic's boxes not ticked yet, in order; none for a closed or unsynced topic."""
    row = state.topics.get(topic.id)
    if row is None or not row.open:
        return []
    return [box for box in topic.checkboxes if box.id not in row.ticked]


def remaining_pieces(topic: Topic, state: StudyState,
                     done: Mapping[tuple[str, str], set[int]]) -> list[Piece]:
    """What is left of a topic, in order: its open steps, or their sessions not yet ticked."""
    count = session_count(topic)
    hours = box_hours(topic) / count
    pieces = []
    for box in open_boxes(topic, state):
        if count == 1:
            pieces.append(Piece(topic, box, hours))
            continue
        ticked = done.get((topic.id, box.id), set())
        pieces += [Piece(topic, box, hours, n, count) for n in range(1, count + 1)
                   if n not in ticked]
    return pieces


def finished(topic_id: str, roadmap: Roadmap, state: StudyState) -> bool:
    """A dependency is met once its topic is closed (or it is not in the roadmap at all)."""
    if topic_id not in roadmap.topics_by_id:
        return True
    row = state.topics.get(topic_id)
    return row is not None and not row.open


def ready(topic: Topic, roadmap: Roadmap, state: StudyState) -> bool:
    """A topic waits while a topic it depends on is still open."""
    return all(finished(dep, roadmap, state) for dep in topic.depends_on)


def begun_stages(roadmap: Roadmap, state: StudyState, day: dt.date) -> list[Stage]:
    """Stages begun by `day` that still have open topics, oldest first (overdue ones too)."""
    ordered = sorted(planned_stages(roadmap, state), key=lambda s: (s.start, s.until))
    return [s for s in ordered if s.start <= day and any(open_boxes(t, state) for t in s.topics)]


def chosen_branches(roadmap: Roadmap, state: StudyState) -> dict[str, str]:
    """The choice made at each decision: ticked in a daily plan (the earliest plan that ticks
    one; in it, the first ticked in the roadmap's order)."""
    decisions = [c for c in roadmap.checkpoints if c.choices]
    chosen: dict[str, str] = {}
    if not decisions:
        return chosen
    for _, plan in sorted(state.plans.items()):
        for checkpoint in decisions:
            ticked = [c.id for c in checkpoint.choices
                      if plan.boxes.get(item_id(CHECKPOINT, checkpoint.id, c.id))]
            if ticked and checkpoint.id not in chosen:
                chosen[checkpoint.id] = ticked[0]
    return chosen


def is_planned(stage: Stage, chosen: Mapping[str, str]) -> bool:
    """A stage is planned unless it is on a decision's branch not (or not yet) chosen."""
    return stage.branch is None or chosen.get(stage.branch[0]) == stage.branch[1]


def planned_stages(roadmap: Roadmap, state: StudyState) -> list[Stage]:
    """The stages planned: those of no decision, and those of the choices made."""
    chosen = chosen_branches(roadmap, state)
    return [s for s in roadmap.stages if is_planned(s, chosen)]


def work_order(roadmap: Roadmap, state: StudyState, day: dt.date,
               first: tuple[str, ...] = ()) -> list[Topic]:
    """Open topics in the order they are worked on (see the module's rules)."""
    index = {t.id: i for i, t in enumerate(roadmap.topics)}
    stage_rank = {s.id: (s.start > day, s.start, s.until)
                  for s in roadmap.stages}
    chosen = {ident: n for n, ident in enumerate(first)}
    planned = {s.id for s in planned_stages(roadmap, state)}
    topics = [t for t in roadmap.topics if open_boxes(t, state) and t.stage_id in planned]
    return sorted(topics, key=lambda t: (t.id not in chosen, chosen.get(t.id, 0),
                                         stage_rank[t.stage_id], t.priority, index[t.id]))


def track_budgets(roadmap: Roadmap, day: dt.date, hours: float,
                  tracks_with_work: set[str]) -> dict[str | None, float]:
    """Hours per topics track today: shares among the tracks that run today and have work.

    Without shares, one pool (None) serves every track, by the order of work alone.
    """
    timed = weekly.timed_tracks(roadmap, day)  # their time is a quota or sessions, not a share
    running = [t for t in roadmap.tracks if t.kind == "topics" and runs_on(roadmap, t.id, day)
               and t.id in tracks_with_work and t.id not in timed]
    if not running:
        return {}
    stages = roadmap.stages_on(day)
    stage_shares = next((s.shares for s in stages if s.shares), {})
    shares = {t.id: stage_shares.get(t.id, t.share) for t in running}
    if all(share is None for share in shares.values()):
        return {None: hours}
    weights = {k: float(v or 0) for k, v in shares.items()}
    total = sum(weights.values())
    if total <= 0:
        return {k: hours / len(weights) for k in weights}
    return {k: hours * w / total for k, w in weights.items() if w > 0}


@dataclass
class Focus:
    """The day's new work, chosen piece by piece, in the order it is to be done."""

    pieces: list[Piece] = field(default_factory=list)
    limited: bool = False  # the item limit stopped the filling
    finished: set[str] = field(default_factory=set)  # topics planned to their last step

    @property
    def hours(self) -> float:
        return sum(p.hours for p in self.pieces)

    def items(self) -> set[str]:
        return {p.item() for p in self.pieces}


@dataclass
class _Filler:
    """Takes pieces in the order of work until a budget is met, meeting dependencies as the
    day's own plan finishes topics."""

    roadmap: Roadmap
    state: StudyState
    day: dt.date
    order: list[Topic]
    done: Mapping[tuple[str, str], set[int]]
    exclude: frozenset[str]
    max_items: int
    focus: Focus = field(default_factory=Focus)
    # Tracks not taken from when filling from any track: their time is weekly, planned apart.
    weekly: frozenset[str] = frozenset()

    def fill(self, track: str | None, budget: float, ceiling: float,
             per_step: int | None, first_room: float | None = None,
             closest: bool = False) -> float:
        """Add pieces of `track`'s topics (None: every track) worth about `budget` hours,
        never past `ceiling`, at most `per_step` sessions of one step; the hours added.

        The first piece may take up to `first_room`, so a track whose share is smaller than
        its next step still gets that step when the day has room for it. With `closest`, a
        piece past the ceiling is taken too when it brings the hours closer to `budget`."""
        used = 0.0
        for topic in self._ready_in_order(track):
            if used >= budget - _EPSILON:
                break
            room = first_room if first_room is not None and used == 0 else ceiling
            used += self._take(topic, budget - used, max(ceiling, room) - used, per_step,
                               closest)
            if self.focus.limited:
                break
        return used

    def _take(self, topic: Topic, budget: float, ceiling: float,
              per_step: int | None, closest: bool) -> float:
        """Take the topic's next pieces, in order, while they fit."""
        taken = self.focus.items()
        pieces = [p for p in remaining_pieces(topic, self.state, self.done)
                  if p.item() not in self.exclude]
        used = 0.0
        for piece in pieces:
            if piece.item() in taken:
                continue
            if used >= budget - _EPSILON:
                break
            if len(self.focus.pieces) >= self.max_items:
                self.focus.limited = True
                break
            if not _fits(piece.hours, budget - used, ceiling - used, closest) or (
                    per_step is not None and piece.session
                    and _sessions_of(self.focus.pieces, piece) >= per_step):
                break  # the rest of this topic comes in order, on another day
            self.focus.pieces.append(piece)
            taken.add(piece.item())
            used += piece.hours
        if all(p.item() in taken for p in pieces):
            self.focus.finished.add(topic.id)
        return used

    def _ready_in_order(self, track: str | None) -> Iterator[Topic]:
        """The track's topics running today, each as soon as its dependencies are finished
        (by today's plan too), in the order of work."""
        rank = {t.id: n for n, t in enumerate(self.order)}
        mine = {t.id: t for t in self.order
                if (t.track_id == track or (track is None and t.track_id not in self.weekly))
                and runs_on(self.roadmap, t.track_id, self.day)}
        waiting_on: dict[str, list[str]] = {}
        heap = []
        for topic in mine.values():
            unmet = self._unmet(topic)
            if unmet:
                for dep in unmet:
                    waiting_on.setdefault(dep, []).append(topic.id)
            else:
                heap.append((rank[topic.id], topic.id))
        heapq.heapify(heap)
        seen: set[str] = set()
        while heap:
            _, ident = heapq.heappop(heap)
            if ident in seen:
                continue
            seen.add(ident)
            yield mine[ident]
            if ident in self.focus.finished:  # planned to its end: free what waits on it
                for other in waiting_on.pop(ident, []):
                    if other not in seen and not self._unmet(mine[other]):
                        heapq.heappush(heap, (rank[other], other))

    def _unmet(self, topic: Topic) -> set[str]:
        return {d for d in topic.depends_on if d not in self.focus.finished
                and not finished(d, self.roadmap, self.state)}


def _fits(hours: float, missing: float, room: float, closest: bool) -> bool:
    """A piece fits when it stays within the room or, with `closest`, when it brings the day
    closer to its hours than leaving it out would (a 2 h step on a day 1.2 h short)."""
    return hours <= room + _EPSILON or (closest and hours < 2 * missing - _EPSILON)


def _sessions_of(pieces: list[Piece], piece: Piece) -> int:
    return sum(1 for p in pieces if p.topic.id == piece.topic.id and p.box.id == piece.box.id)


def choose_focus(roadmap: Roadmap, state: StudyState, day: dt.date, hours: float,
                 slack: float = 0.0, exclude: frozenset[str] = frozenset(),
                 first: tuple[str, ...] = (), max_items: int = MAX_FOCUS_ITEMS,
                 finished_before: frozenset[str] = frozenset(),
                 carried: Sequence[Piece] = ()) -> Focus:
    """The next pieces of work to fill `hours` (up to `slack` more), of which the `carried`
    pieces already fill part, each in its track's share.

    Each track with a share first gets its part, at most `SESSIONS_PER_STEP` sessions of one
    step; then what is still missing is filled from any track that runs today, in the order
    of work, without that limit. `finished_before`: topics an earlier day of the same outlook
    finishes (for the retro's week ahead).
    """
    order = work_order(roadmap, state, day, first)
    exclude = exclude | {p.item() for p in carried}
    filler = _Filler(roadmap, state, day, order, sessions_ticked(state.plans.values()), exclude,
                     max_items, weekly=frozenset(weekly.timed_tracks(roadmap, day)))
    filler.focus.finished |= finished_before
    budgets = track_budgets(roadmap, day, hours, running_tracks(roadmap, day, order, carried))
    already = _hours_by_track(carried, budgets)
    used = sum(already.values())
    if hours - used <= _EPSILON:
        return filler.focus
    # The smallest share first: its first step must find room before the larger ones fill it.
    for track, budget in sorted(budgets.items(), key=lambda kv: kv[1]):
        left = budget - already.get(track, 0.0)
        if left <= _EPSILON:
            continue
        room = hours + slack - used
        ceiling = min(left + slack * budget / hours, room)
        used += filler.fill(track, left, ceiling, SESSIONS_PER_STEP, first_room=room)
    if used < hours - _EPSILON and not filler.focus.limited:
        filler.fill(None, hours - used, hours + slack - used, None, closest=True)
    return filler.focus


def weekly_pieces(roadmap: Roadmap, state: StudyState, day: dt.date, track_id: str,
                  hours: float, first: tuple[str, ...] = (),
                  exclude: frozenset[str] = frozenset()) -> list[Piece]:
    """The next pieces of the track's topics for its weekly time today (`hours`), in the
    order of work, as close to the hours as the steps allow."""
    order = work_order(roadmap, state, day, first)
    filler = _Filler(roadmap, state, day, order, sessions_ticked(state.plans.values()),
                     exclude, MAX_FOCUS_ITEMS)
    filler.fill(track_id, hours, hours * (1 + TOLERANCE), None, closest=True)
    return filler.focus.pieces


def running_tracks(roadmap: Roadmap, day: dt.date, topics: Iterable[Topic],
                   carried: Sequence[Piece] = ()) -> set[str]:
    """The tracks that run on `day` and have work: open topics, or pieces carried over."""
    tracks = {t.track_id for t in topics} | {p.topic.track_id for p in carried}
    return {t for t in tracks if runs_on(roadmap, t, day)}


def runs_on(roadmap: Roadmap, track_id: str, day: dt.date) -> bool:
    """Whether the track works on `day`: its weekdays, or those its stage of that day gives."""
    return roadmap.track_on(track_id, day).runs_on(day)


def _hours_by_track(pieces: Sequence[Piece],
                    budgets: Mapping[str | None, float]) -> dict[str | None, float]:
    """Hours of `pieces` per budget key (their track, or the one pool)."""
    hours: dict[str | None, float] = {}
    for piece in pieces:
        key = None if None in budgets else piece.topic.track_id
        hours[key] = hours.get(key, 0.0) + piece.hours
    return hours


def fit_carried(roadmap: Roadmap, state: StudyState, day: dt.date, pieces: Sequence[Piece],
                hours: float, slack: float, limit: int) -> list[Piece]:
    """The carried pieces that fit today, oldest first, each within its track's share of
    `hours` (a track that does not run today carries nothing); the others wait, open in their
    topics, and come back in the order of work."""
    open_topics = [t for t in roadmap.topics if open_boxes(t, state)]
    budgets = track_budgets(roadmap, day, hours,
                            running_tracks(roadmap, day, open_topics, pieces))
    used: dict[str | None, float] = {}
    kept: list[Piece] = []
    for piece in pieces[:limit]:
        key = None if None in budgets else piece.topic.track_id
        if key not in budgets:
            continue
        share = budgets[key] / hours if hours > _EPSILON else 1.0
        if used.get(key, 0.0) + piece.hours > budgets[key] + slack * share + _EPSILON:
            continue
        kept.append(piece)
        used[key] = used.get(key, 0.0) + piece.hours
    return kept


def problems_for(roadmap: Roadmap, day: dt.date) -> list[AlgorithmProblem]:
    """The day's problems: the pool in order, continuing where the previous day stopped, so
    none repeats until the whole pool has come round. Derived from the date alone."""
    pool = roadmap.problems
    tracks = [t for t in roadmap.tracks if t.kind == "problems"]
    if not pool or not tracks or day < roadmap.schedule.start:
        return []

    def count(on: dt.date) -> int:
        if roadmap.schedule.budget_on(on) <= 0:
            return 0
        free = weekly.is_free(roadmap, on)
        return sum(int(weekly.pick(rules.per_day, free)) for t in tracks
                   if (rules := roadmap.track_on(t.id, on)).runs_on(on))

    before = 0
    cursor = roadmap.schedule.start
    while cursor < day:
        before += count(cursor)
        cursor += _DAY
    today = min(count(day), len(pool))
    return [pool[(before + i) % len(pool)] for i in range(today)]


def minutes_per_problem(roadmap: Roadmap, day: dt.date) -> int:
    """Minutes one problem takes on `day`: the problems tracks' own figure (the largest, if
    several; of a range, the minimum on a tight day, the maximum on a free one)."""
    free = weekly.is_free(roadmap, day)
    return max((int(weekly.pick(t.item_minutes, free)) for t in roadmap.tracks
                if t.kind == "problems"), default=45)


def begun_topics(state: StudyState) -> set[str]:
    """The topics begun: a box ticked (in the topic, or a step or session of it in a plan), or
    done."""
    begun = {ident for ident, row in state.topics.items() if row.done or row.ticked}
    for plan in state.plans.values():
        for ident, ticked in plan.boxes.items():
            parsed = parse_step_item(ident) if ticked else None
            if parsed is not None:
                begun.add(parsed[0])
    return begun & set(state.topics)


def begun(topic_id: str, state: StudyState) -> bool:
    return topic_id in begun_topics(state)


def question_for(roadmap: Roadmap, state: StudyState, day: dt.date,
                 in_plan: frozenset[str] = frozenset()) -> InterviewQuestion | None:
    """The day's interview question, following where the learner is.

    A question tied to a topic is asked once that topic has begun (and for review after it is
    done), a question tied to a stage once the stage has begun, an untied one any day. Never
    the question of the day before, never one whose topic has steps in today's plan
    (`in_plan`). Of those, the one asked the fewest times, then the one not asked for the
    longest, then the first in the bank.
    """
    if not roadmap.interview_questions or day < roadmap.schedule.start:
        return None
    asked: dict[str, list[dt.date]] = {}
    for plan_day, plan in sorted(state.plans.items()):
        if plan_day < day:
            for ident in plan.items(QUESTION):
                asked.setdefault(ident.split(":", 1)[1], []).append(plan_day)
    yesterday = state.previous_plan(day)
    last = {i.split(":", 1)[1] for i in yesterday.items(QUESTION)} if yesterday else set()
    started = begun_topics(state)
    eligible = [(n, q) for n, q in enumerate(roadmap.interview_questions)
                if q.id not in last and _question_due(q, roadmap, started, day, in_plan)]
    if not eligible:
        return None
    _, question = min(eligible, key=lambda nq: (len(asked.get(nq[1].id, [])),
                                                max(asked.get(nq[1].id, [dt.date.min])),
                                                nq[0]))
    return question


def _question_due(question: InterviewQuestion, roadmap: Roadmap, started: set[str],
                  day: dt.date, in_plan: frozenset[str]) -> bool:
    if question.topic_id is not None:
        return question.topic_id not in in_plan and question.topic_id in started
    stage = roadmap.stages_by_id.get(question.stage_id or "")
    if stage is not None:
        return stage.start <= day or any(t.id in started for t in stage.topics)
    return True


def routines_for(roadmap: Roadmap, day: dt.date) -> list[Routine]:
    """The routines due on `day`: their weekday, and their stages if they name any."""
    stages = {s.id for s in roadmap.stages_on(day)}
    return [r for r in roadmap.routines if day.weekday() in r.weekdays
            and (not r.stage_ids or stages & set(r.stage_ids))]


def checkpoints_due(roadmap: Roadmap, day: dt.date,
                    chosen: Mapping[str, str] | None = None) -> list[Checkpoint]:
    """The checkpoints the day's plan shows: those due that day, and a decision from its day
    on until one of its choices is ticked."""
    made = chosen or {}
    return [c for c in roadmap.checkpoints
            if c.due == day or (c.choices and c.due <= day and c.id not in made)]


def is_redo_day(roadmap: Roadmap, day: dt.date) -> bool:
    """The week's problems are redone on the retro's weekday."""
    return day.weekday() == roadmap.schedule.retro_weekday


def week_ahead(roadmap: Roadmap, state: StudyState, monday: dt.date,
               first: tuple[str, ...] = ()) -> list[Piece]:
    """The pieces of work the seven days from `monday` would hold, day by day, at the
    schedule's hours (the retro's outlook, before the learner shapes the week)."""
    pieces: list[Piece] = []
    finished_by: frozenset[str] = frozenset()
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        hours = roadmap.schedule.budget_on(day)
        focus = choose_focus(roadmap, state, day, hours, TOLERANCE * hours,
                             frozenset(p.item() for p in pieces), first,
                             10 * MAX_FOCUS_ITEMS, finished_by)
        pieces += focus.pieces
        finished_by = frozenset(focus.finished)
    return pieces


def next_up(roadmap: Roadmap, state: StudyState, day: dt.date, planned: frozenset[str],
            first: tuple[str, ...] = (), count: int = NEXT_UP_ITEMS) -> list[Piece]:
    """A few more pieces for a plan ticked off early: the next in the order of work that the
    plan does not hold yet."""
    focus = choose_focus(roadmap, state, day, hours=1e9, exclude=planned, first=first,
                         max_items=count)
    return focus.pieces[:count]


LIGHTER, HEAVIER = 0.8, 1.2  # a week the learner asked, in the retro, to plan lighter/heavier


@dataclass(frozen=True)
class WeekChoices:
    """What the learner ticked in the last retro, for the seven days after it."""

    first: tuple[str, ...] = ()  # topic ids to put first
    factor: float = 1.0  # of each day's hours
    week: str | None = None  # the retro's ISO week


def retro_day_of(roadmap: Roadmap, week: str) -> dt.date | None:
    """The retro day of an ISO week id such as `2026-W49`."""
    try:
        year, number = week.split("-W")
        monday = dt.date.fromisocalendar(int(year), int(number), 1)
    except ValueError:
        return None
    return monday + dt.timedelta(days=roadmap.schedule.retro_weekday)


def week_choices(roadmap: Roadmap, state: StudyState, day: dt.date) -> WeekChoices:
    """The choices of the retro whose next seven days hold `day`, ticked by the learner."""
    for week, retro in sorted(state.retros.items(), reverse=True):
        retro_day = retro_day_of(roadmap, week)
        if retro_day is None or not retro_day < day <= retro_day + 7 * _DAY:
            continue
        chosen = retro.chosen(WEEK)
        first = tuple(c.split(":", 1)[1] for c in chosen if c.startswith("first:")
                      and c.split(":", 1)[1] in roadmap.topics_by_id)
        factor = 1.0 + (LIGHTER - 1.0) * ("lighter" in chosen) \
            + (HEAVIER - 1.0) * ("heavier" in chosen)
        return WeekChoices(first, factor, week)
    return WeekChoices()
