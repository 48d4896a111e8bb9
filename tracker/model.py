"""The study plan as the rest of the tracker sees it: typed, complete, with every default filled.

Built by `tracker.roadmap.load_roadmap` from a validated `roadmap.yml`; nothing here reads files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_DAYS = frozenset(range(7))


@dataclass(frozen=True)
class Checkbox:
    """A step or an acceptance criterion; its id keeps its tick across re-renders."""

    id: str
    text: str


@dataclass(frozen=True)
class Resource:
    title: str
    url: str | None = None
    kind: str | None = None
    languages: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Topic:
    """A unit of study: one issue."""

    id: str
    title: str
    stage_id: str
    track_id: str
    priority: int = 2
    estimate_hours: float | None = None
    why: str | None = None
    steps: tuple[Checkbox, ...] = ()
    done_when: tuple[Checkbox, ...] = ()
    resources: tuple[Resource, ...] = ()
    deliverable: str | None = None
    depends_on: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()

    @property
    def checkboxes(self) -> tuple[Checkbox, ...]:
        return self.steps + self.done_when


@dataclass(frozen=True)
class Stage:
    """A stage of the plan: one milestone, due at the end of its last day."""

    id: str
    title: str
    start: dt.date
    due: dt.date
    goal: str | None = None
    shares: dict[str, float] = field(default_factory=dict, hash=False, compare=True)
    topics: tuple[Topic, ...] = ()

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.due


@dataclass(frozen=True)
class PerDayPhase:
    start: dt.date
    count: int
    by_weekday: dict[int, int] = field(default_factory=dict, hash=False, compare=True)


@dataclass(frozen=True)
class Track:
    """A parallel line of work: through topics, or through the problem pool."""

    id: str
    name: str
    kind: str = "topics"
    share: float | None = None
    weekdays: frozenset[int] = ALL_DAYS
    per_day: tuple[PerDayPhase, ...] = ()
    minutes_per_item: int = 45
    color: str | None = None

    def runs_on(self, day: dt.date) -> bool:
        return day.weekday() in self.weekdays

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
    minutes: int | None = None
    stage_ids: tuple[str, ...] = ()
    # A routine that *is* a section of the plan ("review" yesterday's problems, "redo" the
    # week's): its title and minutes go to that section rather than to a box of its own.
    section: str | None = None


@dataclass(frozen=True)
class Checkpoint:
    id: str
    title: str
    due: dt.date
    items: tuple[Checkbox, ...]


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

    def budget_on(self, day: dt.date) -> float:
        """Study hours planned for `day`: none on rest days, a share on light days."""
        weekday = day.weekday()
        if weekday in self.rest_days:
            return 0.0
        hours = self.hours.get(weekday, 0.0)
        return hours * self.light_factor if weekday in self.light_days else hours

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
    version: int = 1
    review: ReviewSettings = ReviewSettings()
    cards: tuple[KnowledgeCard, ...] = ()  # read from cards/ beside the roadmap, if any

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
        return max(s.due for s in self.stages)

    def stages_on(self, day: dt.date) -> tuple[Stage, ...]:
        """The stages in progress on `day` (they may overlap)."""
        return tuple(s for s in self.stages if s.covers(day))
