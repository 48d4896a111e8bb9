"""The study plan as the rest of the tracker sees it: typed, complete, with every default filled.

Built by `tracker.roadmap.load_roadmap` from a validated `roadmap.yml`; nothing here reads files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from functools import cached_property
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_DAYS = frozenset(range(7))


@dataclass(frozen=True)
class Range:
    """An amount as the roadmap gives it: one number, or a minimum and a maximum ("2-3").

    The plan uses the minimum on tight days and more on free ones; the retro counts against
    the minimum.
    """

    low: float
    high: float

    @classmethod
    def exact(cls, value: float) -> Range:
        return cls(value, value)

    @property
    def exact_value(self) -> bool:
        return self.low == self.high

    def times(self, factor: float) -> Range:
        return Range(self.low * factor, self.high * factor)

    def __str__(self) -> str:
        return f"{self.low:g}" if self.exact_value else f"{self.low:g}–{self.high:g}"


@dataclass(frozen=True)
class Checkbox:
    """A step or an acceptance criterion; its id keeps its tick across re-renders."""

    id: str
    text: str
    optional: bool = False  # may be skipped: never carried, never lowering a score


@dataclass(frozen=True)
class Resource:
    title: str
    url: str | None = None
    kind: str | None = None
    languages: tuple[str, ...] = ()
    note: str | None = None
    group: str | None = None  # a plan-level resource's heading
    stage_ids: tuple[str, ...] = ()  # the stages a plan-level resource suits


@dataclass(frozen=True)
class Topic:
    """A unit of study: one issue."""

    id: str
    title: str
    stage_id: str
    track_id: str
    priority: int = 2
    estimate: Range | None = None  # hours
    why: str | None = None
    steps: tuple[Checkbox, ...] = ()
    done_when: tuple[Checkbox, ...] = ()
    resources: tuple[Resource, ...] = ()
    deliverable: str | None = None
    depends_on: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    optional: bool = False  # may be skipped: never carried, never keeping its stage open

    @property
    def checkboxes(self) -> tuple[Checkbox, ...]:
        return self.steps + self.done_when

    @property
    def estimate_hours(self) -> float | None:
        """The estimate's minimum, in hours (what a plan counts on)."""
        return self.estimate.low if self.estimate else None


@dataclass(frozen=True)
class Stage:
    """A stage of the plan: one milestone, due at the end of its last day; an ongoing stage
    ("持续学习") has no last day."""

    id: str
    title: str
    start: dt.date
    due: dt.date | None  # None: ongoing
    goal: str | None = None
    shares: dict[str, float] = field(default_factory=dict, hash=False, compare=True)
    topics: tuple[Topic, ...] = ()
    # What this stage says about tracks (format 1.1), by track id; shares are in `shares` too.
    track_rules: dict[str, TrackRules] = field(default_factory=dict, hash=False, compare=True)
    branch: tuple[str, str] | None = None  # (checkpoint id, choice id) that leads to it

    @property
    def ongoing(self) -> bool:
        return self.due is None

    @property
    def until(self) -> dt.date:
        """The last day, or the end of time for an ongoing stage (for sorting and overlaps)."""
        return self.due or dt.date.max

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.until


@dataclass(frozen=True)
class PerDayPhase:
    """Problems a day from `start` on, with exceptions by weekday."""

    start: dt.date
    counts: Range
    weekday_counts: dict[int, Range] = field(default_factory=dict, hash=False, compare=True)

    @property
    def count(self) -> int:
        return int(self.counts.low)

    @property
    def by_weekday(self) -> dict[int, int]:
        return {day: int(r.low) for day, r in self.weekday_counts.items()}

    def counts_on(self, weekday: int) -> Range:
        return self.weekday_counts.get(weekday, self.counts)


@dataclass(frozen=True)
class WeeklyPhase:
    """A weekly quota of hours from `start` on."""

    start: dt.date
    hours: Range


@dataclass(frozen=True)
class Sessions:
    """Sessions a week, each of a given length in hours, at most one a day."""

    count: Range
    hours: Range


@dataclass(frozen=True)
class TrackRules:
    """What a stage says about a track; None where it says nothing (the track's own rule holds)."""

    share: float | None = None
    weekdays: frozenset[int] | None = None
    per_week: Range | None = None
    sessions: Sessions | None = None
    per_day: Range | None = None
    task: str | None = None


@dataclass(frozen=True)
class Track:
    """A parallel line of work: through topics, or through the problem pool."""

    id: str
    name: str
    kind: str = "topics"
    share: float | None = None
    weekdays: frozenset[int] = ALL_DAYS
    per_day: tuple[PerDayPhase, ...] = ()
    item_minutes: Range = Range(45, 45)
    color: str | None = None
    per_week: tuple[WeeklyPhase, ...] = ()  # a weekly quota of hours, by date
    sessions: Sessions | None = None
    task: str | None = None  # the box's text for the track's time when no topic is open

    @property
    def minutes_per_item(self) -> int:
        return int(self.item_minutes.low)

    def runs_on(self, day: dt.date) -> bool:
        return day.weekday() in self.weekdays

    def weekly_hours_on(self, day: dt.date) -> Range | None:
        """The weekly quota of the phase `day` falls in, if any."""
        hours = None
        for phase in self.per_week:
            if phase.start <= day:
                hours = phase.hours
        return hours

    def counts_on(self, day: dt.date) -> Range:
        """The range of problems the track's per_day asks for on `day` (weekdays aside)."""
        counts = Range(0, 0)
        for phase in self.per_day:
            if phase.start <= day:
                counts = phase.counts_on(day.weekday())
        return counts

    def count_on(self, day: dt.date) -> int:
        """How many items (problems) this track asks for on `day`."""
        if not self.runs_on(day):
            return 0
        count = 0
        for phase in self.per_day:
            if phase.start <= day:
                count = phase.by_weekday.get(day.weekday(), phase.count)
        return count


@dataclass(frozen=True)
class AlgorithmProblem:
    id: str
    title: str
    url: str | None = None
    difficulty: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class InterviewQuestion:
    id: str
    question: str
    topic_id: str | None = None
    hint: str | None = None
    tags: tuple[str, ...] = ()
    stage_id: str | None = None  # asked once this stage has begun (when it has no topic)


@dataclass(frozen=True)
class Routine:
    id: str
    title: str
    weekdays: frozenset[int] = ALL_DAYS
    duration: Range | None = None  # minutes
    stage_ids: tuple[str, ...] = ()
    # A routine that *is* a section of the plan ("review" yesterday's problems, "redo" the
    # week's): its title and minutes go to that section rather than to a box of its own.
    section: str | None = None
    optional: bool = False

    @property
    def minutes(self) -> int | None:
        """The duration's minimum, in minutes."""
        return int(self.duration.low) if self.duration else None


@dataclass(frozen=True)
class Choice:
    """One option of a decision, and the stages it leads to."""

    id: str
    text: str
    stage_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Checkpoint:
    id: str
    title: str
    due: dt.date
    items: tuple[Checkbox, ...]
    choices: tuple[Choice, ...] = ()  # a decision: tick one


@dataclass(frozen=True)
class Duration:
    """A length of time: so many days, weeks or calendar months."""

    count: int
    unit: str  # "day" | "week" | "month"

    def __str__(self) -> str:
        return f"{self.count} {self.unit}{'s' if self.count != 1 else ''}"


@dataclass(frozen=True)
class Pace:
    """A way through the plan: hours a day and the stages' lengths."""

    id: str
    name: str
    hours: dict[int, Range] | None = field(default=None, hash=False, compare=True)
    durations: dict[str, Duration] = field(default_factory=dict, hash=False, compare=True)


@dataclass(frozen=True)
class PaceSwitch:
    """The pace followed from `start` on."""

    pace_id: str
    start: dt.date


@dataclass(frozen=True)
class Project:
    """A project spanning topics and stages, listed once for the whole plan."""

    id: str
    title: str
    goal: str | None = None
    url: str | None = None
    topic_ids: tuple[str, ...] = ()
    resources: tuple[Resource, ...] = ()
    deliverable: str | None = None


@dataclass(frozen=True)
class TrackDay:
    """A track's rules on one day: its own, overridden by what that day's stages say."""

    track: Track
    share: float | None
    weekdays: frozenset[int]
    per_week: Range | None
    sessions: Sessions | None
    per_day: Range
    task: str | None

    def runs_on(self, day: dt.date) -> bool:
        return day.weekday() in self.weekdays


@dataclass(frozen=True)
class Learner:
    name: str
    timezone: str
    locale: str = "zh-CN"
    goal: str | None = None  # one line under the name on the progress page
    emails: tuple[str, ...] = ()  # commit addresses besides the GitHub noreply one

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class HoursPeriod:
    """Study hours per weekday from `start` on (a pace's hours, or ranges of hours)."""

    start: dt.date
    hours: dict[int, Range] = field(hash=False, compare=True)


@dataclass(frozen=True)
class Schedule:
    start: dt.date
    day_opens_at: dt.time = dt.time(7, 0)
    retro_weekday: int = 6
    retro_at: dt.time = dt.time(20, 0)
    hours: dict[int, float] = field(default_factory=lambda: dict.fromkeys(range(7), 4.0),
                                    hash=False, compare=True)
    light_days: frozenset[int] = frozenset()
    light_factor: float = 0.5
    rest_days: frozenset[int] = frozenset()
    start_auto: bool = False  # `start: auto`: day 1 is the first run's day, then written down
    # Hours that change with the pace, or are ranges (format 1.1); `hours` are the minimums
    # before the first period.
    hours_periods: tuple[HoursPeriod, ...] = ()

    def budget_on(self, day: dt.date) -> float:
        """Study hours planned for `day`: none on rest days, a share on light days."""
        return self.budget_range_on(day).low

    def budget_range_on(self, day: dt.date) -> Range:
        """The day's budget as a range (the same at both ends unless hours are a range)."""
        weekday = day.weekday()
        if weekday in self.rest_days:
            return Range(0.0, 0.0)
        hours = Range.exact(self.hours.get(weekday, 0.0))
        for period in self.hours_periods:
            if period.start <= day:
                hours = period.hours.get(weekday, Range(0.0, 0.0))
        return hours.times(self.light_factor) if weekday in self.light_days else hours

    @property
    def hours_per_day(self) -> float:
        """The average daily budget over a week: what a "day" of estimate means."""
        week = [self.budget_on(self.start + dt.timedelta(days=i)) for i in range(7)]
        studied = [h for h in week if h > 0]
        return sum(studied) / len(studied) if studied else 0.0


@dataclass(frozen=True)
class ReviewSettings:
    """How much reviewing a day holds, and how well the learner wants to remember.

    The budget is minutes a day, or a number of cards a day (then `minutes` is None).
    """

    minutes: int | None = 20
    cards: int | None = None
    retention: float = 0.9


@dataclass(frozen=True)
class KnowledgeCard:
    """A card the learner wrote in `cards/`: a question (front) and its answer (back)."""

    id: str
    front: str
    back: str
    file: str  # the file, relative to the roadmap's folder, e.g. cards/peft.md
    line: int  # the line of its question
    tags: tuple[str, ...] = ()
    topic_id: str | None = None


@dataclass(frozen=True)
class Roadmap:
    """The whole plan."""

    learner: Learner
    schedule: Schedule
    tracks: tuple[Track, ...]
    stages: tuple[Stage, ...]
    problems: tuple[AlgorithmProblem, ...] = ()
    interview_questions: tuple[InterviewQuestion, ...] = ()
    routines: tuple[Routine, ...] = ()
    checkpoints: tuple[Checkpoint, ...] = ()
    version: str = "1"
    review: ReviewSettings = ReviewSettings()
    cards: tuple[KnowledgeCard, ...] = ()  # read from cards/ beside the roadmap, if any
    paces: tuple[Pace, ...] = ()
    pace_plan: tuple[PaceSwitch, ...] = ()  # the paces followed, from their first days
    resources: tuple[Resource, ...] = ()  # for the whole plan
    projects: tuple[Project, ...] = ()

    @cached_property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(t for s in self.stages for t in s.topics)

    @cached_property
    def topics_by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    @cached_property
    def stages_by_id(self) -> dict[str, Stage]:
        return {s.id: s for s in self.stages}

    @cached_property
    def tracks_by_id(self) -> dict[str, Track]:
        return {t.id: t for t in self.tracks}

    @property
    def has_problems(self) -> bool:
        """Whether the plan draws algorithm problems: a pool, and a track working through it.
        Without both, problems appear nowhere: not in plans, retros, badges or the page."""
        return bool(self.problems) and any(t.kind == "problems" for t in self.tracks)

    @property
    def first_day(self) -> dt.date:
        return min([self.schedule.start, *(s.start for s in self.stages)])

    @property
    def last_day(self) -> dt.date:
        """The plan's last dated day: the last due date, or an ongoing stage's first day."""
        return max(s.due or s.start for s in self.stages)

    def stages_on(self, day: dt.date) -> tuple[Stage, ...]:
        """The stages in progress on `day` (they may overlap)."""
        return tuple(s for s in self.stages if s.covers(day))

    @cached_property
    def has_weekly_time(self) -> bool:
        """Whether any track's time is a weekly quota or sessions (in a stage or its own)."""
        return any(t.per_week or t.sessions for t in self.tracks) or any(
            r.per_week is not None or r.sessions is not None
            for s in self.stages for r in s.track_rules.values())

    def pace_on(self, day: dt.date) -> Pace | None:
        """The pace followed on `day`, if the roadmap defines paces."""
        chosen = None
        for switch in self.pace_plan:
            if switch.start <= day or chosen is None:
                chosen = switch.pace_id
        return next((p for p in self.paces if p.id == chosen), None)

    def track_on(self, track_id: str, day: dt.date) -> TrackDay:
        """The track's rules on `day`: what that day's stages say about it wins over its own.

        A stage that gives the track's time (a share, a weekly quota or sessions) replaces the
        track's own time rule; the roadmap reader has made sure that stages in progress on the
        same day do not disagree.
        """
        track = self.tracks_by_id[track_id]
        said = TrackRules()
        for stage in self.stages_on(day):
            if track_id in stage.track_rules:
                said = _overlay(said, stage.track_rules[track_id])
        timed = said.share is not None or said.per_week is not None or said.sessions is not None
        return TrackDay(
            track=track,
            share=said.share if timed else track.share,
            weekdays=track.weekdays if said.weekdays is None else said.weekdays,
            per_week=said.per_week if timed else track.weekly_hours_on(day),
            sessions=said.sessions if timed else track.sessions,
            per_day=track.counts_on(day) if said.per_day is None else said.per_day,
            task=track.task if said.task is None else said.task,
        )


def _overlay(under: TrackRules, over: TrackRules) -> TrackRules:
    """`under` with what `over` says put on top."""
    return TrackRules(**{f.name: getattr(over, f.name) if getattr(over, f.name) is not None
                         else getattr(under, f.name) for f in fields(TrackRules)})
