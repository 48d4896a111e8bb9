"""The workflow's schedule (`.github/workflows/tracker.yml`), checked against the roadmap.

The workflow runs a few times a day rather than every hour, so its `on.schedule` must know the
learner's day: a run in the hour after `schedule.day_opens_at` every day, and one in the hour
after the retro's time on the retro's weekday. `timezone:` (an IANA name beside `cron:`) makes
GitHub read the cron in local time; without it the cron is UTC. Either way, the check walks a
year of the learner's days, daylight saving included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .diagnostics import Diagnostic
from .model import Roadmap
from .yamlsource import Mark, YamlSyntaxError, load

WORKFLOW = ".github/workflows/tracker.yml"
# The minute of the hour the runs start, after the learner's hour: GitHub delays and drops
# more runs at the top of the hour.
OFFSET = dt.timedelta(minutes=17)
_NAMES = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6,
          "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
          "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_FIELDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_CRON_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class CronError(ValueError):
    """A cron expression this check cannot read."""


@dataclass(frozen=True)
class Cron:
    """A POSIX cron expression: the minutes, hours, days, months and weekdays it fires on."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday, as cron counts
    any_day: bool
    any_weekday: bool

    @classmethod
    def parse(cls, text: str) -> Cron:
        parts = text.split()
        if len(parts) != 5:
            raise CronError(f"'{text}' has {len(parts)} fields; cron has five")
        sets = [_field(part, low, high) for part, (low, high) in zip(parts, _FIELDS, strict=True)]
        weekdays = frozenset(d % 7 for d in sets[4])
        return cls(sets[0], sets[1], sets[2], sets[3], weekdays, parts[2] == "*",
                   parts[4] == "*")

    def fires_at(self, wall: dt.datetime) -> bool:
        """Whether it fires at this wall-clock minute."""
        if wall.minute not in self.minutes or wall.hour not in self.hours \
                or wall.month not in self.months:
            return False
        day = wall.day in self.days
        weekday = (wall.weekday() + 1) % 7 in self.weekdays
        if self.any_day or self.any_weekday:  # cron: both restricted means either one
            return day and weekday
        return day or weekday


def _field(text: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.lower().split(","):
        step = 1
        if "/" in part:
            part, _, step_text = part.partition("/")
            step = _number(step_text, 1, high)
        if part == "*":
            first, last = low, high
        elif "-" in part:
            start, _, end = part.partition("-")
            first, last = _number(start, low, high), _number(end, low, high)
        else:
            first = _number(part, low, high)
            last = high if step > 1 else first
        if first > last:
            raise CronError(f"the range {part} runs backwards")
        values.update(range(first, last + 1, step))
    return frozenset(values)


def _number(text: str, low: int, high: int) -> int:
    value = _NAMES.get(text) if not text.isdigit() else int(text)
    if value is None or not low <= value <= high:
        raise CronError(f"'{text}' is not between {low} and {high}")
    return value


@dataclass(frozen=True)
class ScheduleEntry:
    """One `- cron:` line of `on.schedule`, with its time zone and where it stands."""

    cron: Cron
    text: str
    timezone: str | None
    mark: Mark
    timezone_mark: Mark | None

    @property
    def zone(self) -> dt.tzinfo:
        return ZoneInfo(self.timezone) if self.timezone else dt.UTC

    def fires_between(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Whether it fires at a minute in [start, end), both aware."""
        first, last = start.astimezone(self.zone), end.astimezone(self.zone)
        if first.utcoffset() != last.utcoffset():  # daylight saving starts or ends within
            return self._fires_minute_by_minute(start, end)
        wall_start, wall_end = first.replace(tzinfo=None), last.replace(tzinfo=None)
        hour = wall_start.replace(minute=0, second=0, microsecond=0)
        while hour < wall_end:
            if hour.hour in self.cron.hours:
                for minute in self.cron.minutes:
                    wall = hour.replace(minute=minute)
                    if wall_start <= wall < wall_end and self.cron.fires_at(wall):
                        return True
            hour += dt.timedelta(hours=1)
        return False

    def _fires_minute_by_minute(self, start: dt.datetime, end: dt.datetime) -> bool:
        moment = start.astimezone(dt.UTC).replace(second=0, microsecond=0)
        if moment < start:
            moment += dt.timedelta(minutes=1)
        while moment < end:
            if self.cron.fires_at(moment.astimezone(self.zone)):
                return True
            moment += dt.timedelta(minutes=1)
        return False


def read_schedule(text: str, file: str) -> tuple[list[ScheduleEntry], list[Diagnostic]]:
    """The schedule entries of a workflow file, or what keeps them from being read."""
    try:
        data, source, _ = load(text)
    except YamlSyntaxError as error:
        return [], [Diagnostic(error.mark.line, error.mark.col, "(syntax)", error.message, file)]
    triggers = data.get("on") if isinstance(data, dict) else None
    lines = triggers.get("schedule") if isinstance(triggers, dict) else None
    entries: list[ScheduleEntry] = []
    problems: list[Diagnostic] = []
    for index, line in enumerate(lines if isinstance(lines, list) else []):
        path = ("on", "schedule", index)
        mark = source.value((*path, "cron"))
        if not isinstance(line, dict) or not isinstance(line.get("cron"), str):
            problems.append(Diagnostic(mark.line, mark.col, "on.schedule",
                                       "each entry needs a cron: \"MIN HOUR * * *\"", file))
            continue
        zone = line.get("timezone")
        zone_mark = source.value((*path, "timezone"))
        try:
            if zone is not None:
                ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(Diagnostic(zone_mark.line, zone_mark.col, "on.schedule",
                                       f"unknown time zone '{zone}': write an IANA name, "
                                       f"the one of learner.timezone in roadmap.yml", file))
            continue
        try:
            cron = Cron.parse(line["cron"])
        except CronError as error:
            problems.append(Diagnostic(mark.line, mark.col, "on.schedule", str(error), file))
            continue
        entries.append(ScheduleEntry(cron, line["cron"], str(zone) if zone else None, mark,
                                     zone_mark if zone else None))
    return entries, problems


def schedule_problems(roadmap: Roadmap, entries: Sequence[ScheduleEntry], file: str,
                      today: dt.date) -> list[Diagnostic]:
    """Where the schedule disagrees with the roadmap, with the lines that would agree."""
    fix = "the schedule that fits roadmap.yml:\n" + suggested_schedule(roadmap)
    learner = roadmap.learner.timezone
    found = [Diagnostic(e.timezone_mark.line, e.timezone_mark.col, "on.schedule",
                        f"timezone: {e.timezone} is not learner.timezone ({learner}) in "
                        f"roadmap.yml: write timezone: {learner}", file)
             for e in entries if e.timezone and e.timezone_mark and e.timezone != learner]
    if found:
        return found
    where = entries[0].mark if entries else Mark(1, 1)
    schedule = roadmap.schedule
    late = _first_day_without_run(entries, roadmap, today, schedule.day_opens_at, range(7))
    if late is not None:
        found.append(Diagnostic(
            where.line, where.col, "on.schedule",
            f"no run in the hour after day_opens_at ({schedule.day_opens_at:%H:%M} "
            f"{learner}) on {late}: the day's plan would open late; {fix}", file))
    retro = _first_day_without_run(entries, roadmap, today, schedule.retro_at,
                                   [schedule.retro_weekday])
    if retro is not None:
        found.append(Diagnostic(
            where.line, where.col, "on.schedule",
            f"no run in the hour after the retro's time ({schedule.retro_at:%H:%M}, "
            f"{_CRON_WEEKDAYS[schedule.retro_weekday]}) on {retro}: the retro would open "
            f"late; {fix}", file))
    return found


def _first_day_without_run(entries: Iterable[ScheduleEntry], roadmap: Roadmap, today: dt.date,
                           at: dt.time, weekdays: Iterable[int]) -> dt.date | None:
    """The first of the next 366 days (of those weekdays) with no run in the hour after `at`,
    local time; the year covers both sides of daylight saving."""
    entries = list(entries)
    tz = roadmap.learner.tz
    wanted = set(weekdays)
    for offset in range(366):
        day = today + dt.timedelta(days=offset)
        if day.weekday() not in wanted:
            continue
        start = dt.datetime.combine(day, at, tz)
        if not any(e.fires_between(start, start + dt.timedelta(hours=1)) for e in entries):
            return day
    return None


def suggested_schedule(roadmap: Roadmap) -> str:
    """`on.schedule` for this roadmap: the morning and a catch-up an hour later, a run every
    two hours after that until the night (each carries the ticks made since), the retro."""
    schedule = roadmap.schedule
    zone = roadmap.learner.timezone
    morning = dt.datetime.combine(dt.date(2000, 1, 1), schedule.day_opens_at) + OFFSET
    retro = dt.datetime.combine(dt.date(2000, 1, 1), schedule.retro_at) + OFFSET
    later = list(range(morning.hour + 3, 24, 2))
    weekday = (schedule.retro_weekday + 1) % 7
    lines = [f"{morning.minute} {morning.hour},{(morning.hour + 1) % 24} * * *"]
    if later:
        lines.append(f"{morning.minute} {','.join(str(h) for h in later)} * * *")
    lines.append(f"{retro.minute} {retro.hour} * * {weekday}")
    return "".join(f'    - cron: "{line}"\n      timezone: {zone}\n' for line in lines)


def check_workflow(roadmap: Roadmap, root: Path, today: dt.date) -> list[Diagnostic]:
    """The problems of the workflow beside the roadmap; none when there is no workflow."""
    path = root / WORKFLOW
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    entries, problems = read_schedule(text, WORKFLOW)
    if problems:
        return problems
    if not entries:
        return [Diagnostic(1, 1, "on.schedule", "the workflow has no schedule, so no plan "
                           "opens by itself: add\n  schedule:\n" + suggested_schedule(roadmap),
                           WORKFLOW)]
    return schedule_problems(roadmap, entries, WORKFLOW, today)

