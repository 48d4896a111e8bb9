"""Load `roadmap.yml`: read it, check it against the schema and the rules a schema can't say,
and build the `Roadmap`. Every problem is collected, so the learner fixes them all in one go.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator, Sequence
from pathlib import Path as FsPath
from typing import Any

from . import schema_check
from .diagnostics import Diagnostic, RoadmapError, format_path
from .ids import default_id
from .model import (
    ALL_DAYS,
    WEEKDAYS,
    AlgorithmProblem,
    Checkbox,
    Checkpoint,
    InterviewQuestion,
    Learner,
    PerDayPhase,
    Resource,
    Roadmap,
    Routine,
    Schedule,
    Stage,
    Topic,
    Track,
)
from .roadmap_review import review_settings
from .schema_check import suggest
from .yamlsource import Path, SourceMap, YamlSyntaxError, load

DEFAULT_TRACK = Track(id="study", name="Study")
_STAND_IN_DAY = dt.date(2000, 1, 3)
_CODE_SPAN = re.compile(r"`[^`]*`")
_MARKUP = re.compile(r"<[A-Za-z/!][^>]*>|!?\[[^\]]*\]\([^)]*\)|\*\*|__")
_ZONE_ALIASES = {
    "beijing": "Asia/Shanghai", "china": "Asia/Shanghai", "cst": "Asia/Shanghai",
    "shanghai": "Asia/Shanghai", "hong kong": "Asia/Hong_Kong", "taipei": "Asia/Taipei",
    "tokyo": "Asia/Tokyo", "singapore": "Asia/Singapore", "london": "Europe/London",
    "berlin": "Europe/Berlin", "paris": "Europe/Paris", "new york": "America/New_York",
    "est": "America/New_York", "pst": "America/Los_Angeles", "san francisco":
    "America/Los_Angeles", "seattle": "America/Los_Angeles", "sydney": "Australia/Sydney",
}


def load_roadmap(path: str | FsPath, today: dt.date | None = None) -> Roadmap:
    """Read and check the roadmap at `path`; raise `RoadmapError` listing every problem.

    `today` (the learner's local date) is day 1 of a plan whose start is `auto`."""
    path = FsPath(path)
    name = _display_name(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise RoadmapError([Diagnostic(1, 1, "(file)", "no such file: create it from the "
                                       "example in docs/roadmap-format.md, or pass the right path",
                                       name)]) from None
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw[: err.start].rfind(b"\n") + 1) + 1
        raise RoadmapError([Diagnostic(line, col, "(file)", f"not UTF-8 text ({err.reason}): "
                                       f"save the file as UTF-8", name)]) from None
    return parse_roadmap(text, name, near=path, today=today)


def parse_roadmap(text: str, file: str = "roadmap.yml", near: FsPath | None = None,
                  today: dt.date | None = None) -> Roadmap:
    """Check and build a roadmap from its YAML text; `file` names it in messages, `near` is
    where to look for the schema (beside the roadmap file), `today` is day 1 of a plan whose
    start is `auto` (by default the learner's date now)."""
    try:
        data, source, yaml_problems = load(text)
    except YamlSyntaxError as err:
        raise RoadmapError([Diagnostic(err.mark.line, err.mark.col, "(syntax)", err.message,
                                       file)]) from None
    found = [Diagnostic(p.mark.line, p.mark.col, format_path(p.path), p.message, file)
             for p in yaml_problems]
    if data is None:
        raise RoadmapError([*found, Diagnostic(1, 1, "(top level)", "the file is empty: start "
                                               "from the example in docs/roadmap-format.md "
                                               "(version: 1, learner:, schedule:, stages:)", file)])
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else "a single value"
        top = source.value(())
        raise RoadmapError([*found, Diagnostic(top.line, top.col, "(top level)",
                                               f"the file holds {what}; "
                                               "it must be a mapping of keys (version: 1, "
                                               "learner:, schedule:, stages:)", file)])
    try:
        found += schema_check.check(data, source, file, near.resolve().parent if near else None)
    except schema_check.SchemaMissing as error:
        raise RoadmapError([Diagnostic(1, 1, "(schema)", str(error), file)]) from None
    builder = _Builder(source, file, today)
    roadmap = builder.build(data)
    found += builder.found
    if roadmap is not None and not found:
        found += _check_rendered(roadmap, source, file)
    if found or roadmap is None:
        raise RoadmapError(found)
    return roadmap


def _display_name(path: FsPath) -> str:
    try:
        return str(path.resolve().relative_to(FsPath.cwd().resolve()))
    except ValueError:
        return str(path)


def _check_rendered(roadmap: Roadmap, source: SourceMap, file: str) -> list[Diagnostic]:
    from .render import (
        GITHUB_BODY_LIMIT,
        TemplateMissing,
        environment,
        topic_body_length,
        widest_numbers,
    )

    try:
        environment()
    except TemplateMissing as error:
        return [Diagnostic(1, 1, "(templates)", str(error), file)]
    found = []
    numbers = widest_numbers(roadmap)
    for si, stage in enumerate(roadmap.stages):
        for ti, topic in enumerate(stage.topics):
            size = topic_body_length(roadmap, topic, numbers)
            if size > GITHUB_BODY_LIMIT:
                path = ("stages", si, "topics", ti)
                mark = source.value(path)
                found.append(Diagnostic(mark.line, mark.col, format_path(path),
                                        f"the topic's issue would be {size:,} characters long; "
                                        f"GitHub allows {GITHUB_BODY_LIMIT:,}: split it into "
                                        f"smaller topics or shorten its text", file))
    return found


def _items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _days(value: Any) -> frozenset[int]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(WEEKDAYS.index(d) for d in value if d in WEEKDAYS)


class _Builder:
    """Builds the model from checked data, adding the problems only the whole plan shows."""

    def __init__(self, source: SourceMap, file: str, today: dt.date | None = None) -> None:
        self.source = source
        self.file = file
        self.today = today
        self.zone: zoneinfo.ZoneInfo | None = None  # the learner's, once read
        self.found: list[Diagnostic] = []
        self.broken = False
        self.hours_per_day = 4.0  # what "1d" of estimate means, once the schedule is read

    # -- reporting ------------------------------------------------------------------------------
    def error(self, path: Path, message: str, at_key: bool = False) -> None:
        mark = self.source.key(path) if at_key else self.source.value(path)
        self.found.append(Diagnostic(mark.line, mark.col, format_path(path), message, self.file))
        self.broken = True

    def date(self, value: Any, path: Path) -> dt.date | None:
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            self.broken = True  # the schema has said why
            return None
        year, month, day = (int(p) for p in value.split("-"))
        try:
            return dt.date(year, month, day)
        except ValueError:
            if 1 <= month <= 12 and year >= 1:
                last = calendar.monthrange(year, month)[1]
                why = f"{calendar.month_name[month]} {year} has {last} days"
            else:
                why = "there are 12 months"
            self.error(path, f"{value} is not a real date ({why}): correct it")
            return None

    def first_run_day(self) -> dt.date:
        """Day 1 of a plan that starts on its first run: the learner's date today."""
        if self.today is not None:
            return self.today
        return dt.datetime.now(self.zone or dt.UTC).date()

    def unique(self, ids: Sequence[tuple[str, Path]], kind: str) -> None:
        first: dict[str, Path] = {}
        for ident, path in ids:
            if ident in first:
                line = self.source.value(first[ident]).line
                self.error(path, f"the {kind} id '{ident}' is used twice (also at line {line}): "
                                 f"ids must be unique; rename one")
            else:
                first[ident] = path

    def ident(self, item: dict[str, Any], text: Any) -> str:
        explicit = item.get("id")
        if isinstance(explicit, str):
            return explicit
        return default_id(text) if isinstance(text, str) else ""

    def title(self, value: Any, path: Path) -> str:
        if not isinstance(value, str):
            return ""
        if "\n" in value.strip():
            self.error(path, "a title is one line: remove the line breaks")
        markup = _MARKUP.search(_CODE_SPAN.sub("", value))  # `code` shows as code in titles
        if markup:
            self.error(path, f"titles are plain text on GitHub, so '{markup.group(0)}' would "
                             f"show as typed: remove the markup")
        return value.strip()

    # -- sections -------------------------------------------------------------------------------
    def build(self, data: dict[str, Any]) -> Roadmap | None:
        learner = self.learner(data.get("learner"))
        schedule = self.schedule(data.get("schedule"))
        if schedule is not None and schedule.hours_per_day > 0:
            self.hours_per_day = schedule.hours_per_day
        tracks = self.tracks(data.get("tracks"))
        problems = self.problems(data.get("problems"))
        # With no usable start date, checks go on from a stand-in, so every problem is found.
        start = schedule.start if schedule else _STAND_IN_DAY
        stages = self.stages(data.get("stages"), start, tracks)
        self.track_rules(tracks, problems, stages, data.get("tracks"))
        topic_ids = {t.id for s in stages for t in s.topics}
        questions = self.questions(data.get("interview_questions"), topic_ids,
                                   {s.id for s in stages})
        routines = self.routines(data.get("routines"), {s.id for s in stages})
        checkpoints = self.checkpoints(data.get("checkpoints"), start)
        review = review_settings(data.get("review"), self.error)
        if self.broken or learner is None or schedule is None or not stages:
            return None
        return Roadmap(learner=learner, schedule=schedule, tracks=tuple(tracks),
                       stages=tuple(stages), problems=tuple(problems),
                       interview_questions=tuple(questions), routines=tuple(routines),
                       checkpoints=tuple(checkpoints), review=review)

    def learner(self, raw: Any) -> Learner | None:
        if not isinstance(raw, dict):
            return None
        zone = raw.get("timezone")
        if isinstance(zone, str) and zone:
            self.check_zone(zone, ("learner", "timezone"))
        if not all(isinstance(raw.get(k), str) for k in ("name", "timezone")):
            return None
        goal = raw.get("goal")
        if isinstance(goal, str) and "\n" in goal.strip():
            self.error(("learner", "goal"), "the goal is one line: remove the line breaks")
        emails = raw.get("emails")
        return Learner(name=raw["name"], timezone=raw["timezone"],
                       locale=raw.get("locale", "zh-CN"),
                       goal=goal.strip() or None if isinstance(goal, str) else None,
                       emails=tuple(e.strip() for e in emails if isinstance(e, str))
                       if isinstance(emails, list) else ())

    def check_zone(self, zone: str, path: Path) -> None:
        try:
            self.zone = zoneinfo.ZoneInfo(zone)
            return
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
        names = zoneinfo.available_timezones()
        alias = _ZONE_ALIASES.get(zone.strip().lower())
        if alias:
            hint = f" (did you mean '{alias}'?)"
        elif re.fullmatch(r"(?i)(utc|gmt)?\s*[+-]\d{1,2}(:?\d\d)?", zone.strip()):
            hint = (": a fixed offset ignores daylight saving; name the city's zone, "
                    "e.g. Asia/Shanghai for UTC+8")
        else:
            hint = suggest(zone, sorted(names)) or suggest(zone.split("/")[-1], sorted(
                {n.split("/")[-1]: n for n in names}))
            by_city = {n.split("/")[-1].lower(): n for n in names}
            city = zone.replace(" ", "_").split("/")[-1].lower()
            if city in by_city:
                hint = f" (did you mean '{by_city[city]}'?)"
        self.error(path, f"unknown time zone '{zone}': use an IANA name such as Asia/Shanghai "
                         f"or Europe/Berlin{hint}")

    def schedule(self, raw: Any) -> Schedule | None:
        if not isinstance(raw, dict):
            return None
        auto = raw.get("start") == "auto"
        start = self.first_run_day() if auto else self.date(raw.get("start"),
                                                             ("schedule", "start"))
        retro = _mapping(raw.get("retro"))
        hours_raw = raw.get("hours", 4)
        if isinstance(hours_raw, dict):
            hours = {i: float(hours_raw.get(d, 0)) for i, d in enumerate(WEEKDAYS)
                     if isinstance(hours_raw.get(d, 0), int | float)}
        elif isinstance(hours_raw, int | float) and not isinstance(hours_raw, bool):
            hours = dict.fromkeys(range(7), float(hours_raw))
        else:
            return None
        light, rest = _days(raw.get("light_days")), _days(raw.get("rest_days"))
        for day in sorted(light & rest):
            self.error(("schedule", "light_days"), f"{WEEKDAYS[day]} is both a light day and a "
                                                   f"rest day: keep it in one list")
        if start is None:
            return None
        schedule = Schedule(
            start=start,
            day_opens_at=_time(raw.get("day_opens_at"), dt.time(7, 0)),
            retro_weekday=WEEKDAYS.index(retro.get("weekday", "sun"))
            if retro.get("weekday", "sun") in WEEKDAYS else 6,
            retro_at=_time(retro.get("at"), dt.time(20, 0)),
            hours=hours, light_days=light, rest_days=rest,
            light_factor=float(raw.get("light_factor", 0.5))
            if isinstance(raw.get("light_factor", 0.5), int | float) else 0.5,
            start_auto=auto,
        )
        if schedule.hours_per_day == 0:
            self.error(("schedule", "hours"), "the week has no study hours: give at least one "
                                              "day some hours")
        return schedule

    def tracks(self, raw: Any) -> list[Track]:
        if raw is None:
            return [DEFAULT_TRACK]
        tracks: list[Track] = []
        ids = []
        for index, item in _items(raw):
            path = ("tracks", index)
            ident = item["id"] if isinstance(item.get("id"), str) else ""
            ids.append((ident, (*path, "id")))
            phases = self.per_day(item.get("per_day"), (*path, "per_day"))
            kind = item.get("kind", "topics")
            if kind == "problems" and "share" in item:
                self.error((*path, "share"), "a problems track's time is per_day × "
                                             "minutes_per_item, not a share: remove share",
                           at_key=True)
            if kind != "problems" and "per_day" in item:
                self.error((*path, "per_day"), "per_day counts problems: only a track with "
                                               "kind: problems has it; remove it or set kind",
                           at_key=True)
            tracks.append(Track(
                id=ident, name=str(item.get("name", ident)), kind=kind,
                share=item.get("share") if isinstance(item.get("share"), int | float) else None,
                weekdays=_days(item.get("weekdays")) or ALL_DAYS,
                per_day=phases if kind == "problems" else (),
                minutes_per_item=item.get("minutes_per_item", 45)
                if isinstance(item.get("minutes_per_item", 45), int) else 45,
                color=item.get("color")))
        self.unique(ids, "track")
        if raw and not any(t.kind == "topics" for t in tracks) and tracks:
            self.error(("tracks",), "no track of kind topics: the stages' topics need one "
                                    "(add a track without kind, e.g. id: study)")
        return tracks or [DEFAULT_TRACK]

    def per_day(self, raw: Any, path: Path) -> tuple[PerDayPhase, ...]:
        if raw is None:
            return (PerDayPhase(dt.date.min, 1),)
        if isinstance(raw, int) and not isinstance(raw, bool):
            return (PerDayPhase(dt.date.min, raw),)
        phases: list[PerDayPhase] = []
        for index, item in _items(raw):
            start = self.date(item.get("from"), (*path, index, "from"))
            if start is None:
                continue
            if phases and start <= phases[-1].start:
                self.error((*path, index, "from"), f"phases must be in date order: {start} "
                                                   f"comes after {phases[-1].start}")
            weekdays = _mapping(item.get("by_weekday"))
            count = item.get("count")
            if not isinstance(count, int) or isinstance(count, bool):
                continue  # the schema has said why
            phases.append(PerDayPhase(start, count, {
                WEEKDAYS.index(k): v for k, v in weekdays.items() if k in WEEKDAYS}))
        return tuple(phases)

    def track_rules(self, tracks: list[Track], problems: list[AlgorithmProblem],
                    stages: list[Stage], raw_tracks: Any) -> None:
        topic_tracks = [t for t in tracks if t.kind == "topics"]
        given = [t for t in topic_tracks if t.share is not None]
        if given and len(given) < len(topic_tracks):
            missing = ", ".join(t.id for t in topic_tracks if t.share is None)
            self.error(("tracks",), f"give every topics track a share, or none: {missing} "
                                    f"has none")
        elif given and abs(sum(t.share or 0 for t in given) - 100) > 0.01:
            total = sum(t.share or 0 for t in given)
            self.error(("tracks",), f"the topics tracks' shares add up to {total:g}%, not "
                                    f"100%: adjust them")
        for index, track in enumerate(tracks):
            if track.kind == "problems" and not problems:
                self.error(("tracks", index), f"track '{track.id}' draws algorithm problems, but "
                                              f"the pool is empty: add them under problems:")
        known = {t.id for t in tracks}
        for si, stage in enumerate(stages):
            path = ("stages", si, "shares")
            for track_id in stage.shares:
                if track_id not in known:
                    self.error((*path, track_id), f"no track '{track_id}'"
                                                  f"{suggest(track_id, known)}", at_key=True)
            if stage.shares and abs(sum(stage.shares.values()) - 100) > 0.01:
                self.error(path, f"the shares add up to {sum(stage.shares.values()):g}%, not "
                                 f"100%: adjust them")

    def stages(self, raw: Any, start: dt.date | None, tracks: list[Track]) -> list[Stage]:
        stages: list[Stage] = []
        stage_ids: list[tuple[str, Path]] = []
        topic_ids: list[tuple[str, Path]] = []
        topic_stage: dict[str, tuple[str, Path]] = {}
        topic_tracks = [t for t in tracks if t.kind == "topics"]
        default_track = topic_tracks[0].id if topic_tracks else DEFAULT_TRACK.id
        all_track_ids = {t.id for t in tracks}
        previous_due = start - dt.timedelta(days=1) if start else None
        for si, item in _items(raw):
            path = ("stages", si)
            title = self.title(item.get("title"), (*path, "title"))
            ident = self.ident(item, title)
            stage_ids.append((ident, (*path, "id") if "id" in item else (*path, "title")))
            first, due = self.stage_dates(item, path, previous_due)
            previous_due = due or previous_due
            topics = []
            for ti, topic_raw in _items(item.get("topics")):
                topic = self.topic(topic_raw, (*path, "topics", ti), ident, default_track,
                                   all_track_ids, {t.id for t in topic_tracks})
                if topic is None:
                    continue
                id_path = (*path, "topics", ti, "id" if "id" in topic_raw else "title")
                if topic.id in topic_stage and topic_stage[topic.id][0] != ident:
                    other, other_path = topic_stage[topic.id]
                    line = self.source.value(other_path).line
                    self.error(id_path, f"topic '{topic.id}' is already in stage '{other}' "
                                        f"(line {line}): a topic belongs to one stage; remove "
                                        f"one, or give this one another id")
                else:
                    topic_ids.append((topic.id, id_path))
                topic_stage.setdefault(topic.id, (ident, id_path))
                topics.append(topic)
            if first is None or due is None:  # reported; keep the stage for the other checks
                self.broken = True
                first = first or _STAND_IN_DAY
                due = due or first
            shares = _mapping(item.get("shares"))
            stages.append(Stage(id=ident, title=title, start=first, due=due,
                                goal=item.get("goal"), shares=dict(shares), topics=tuple(topics)))
        self.unique(stage_ids, "stage")
        self.unique(topic_ids, "topic")
        self.dependencies(raw, stages)
        return stages

    def stage_dates(self, item: dict[str, Any], path: Path,
                    previous_due: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
        durations = [k for k in ("days", "weeks", "months") if k in item]
        if "due" in item and durations:
            self.error((*path, durations[0]), f"give either due or {durations[0]}, not both: "
                                              f"remove one", at_key=True)
        elif "due" not in item and not durations:
            self.error(path, "the stage needs an end: add due: YYYY-MM-DD, or a duration "
                             "(days:, weeks: or months:)")
        elif len(durations) > 1:
            self.error((*path, durations[1]), f"give one duration, not {' and '.join(durations)}",
                       at_key=True)
        first = (self.date(item["start"], (*path, "start")) if "start" in item
                 else previous_due + dt.timedelta(days=1) if previous_due else None)
        if first is None:
            return None, None
        if "due" in item:
            due = self.date(item["due"], (*path, "due"))
            if due is not None and due < first:
                where = "its start" if "start" in item else "the previous stage's end"
                self.error((*path, "due"), f"due {due} is before {where} ({first}): move due "
                                           f"later or start earlier")
                return None, None
            return first, due
        length = item.get(durations[0]) if durations else None
        if not isinstance(length, int) or isinstance(length, bool) or length < 1:
            return None, None
        if durations[0] == "months":
            return first, _add_months(first, length) - dt.timedelta(days=1)
        days = length * (7 if durations[0] == "weeks" else 1)
        return first, first + dt.timedelta(days=days - 1)

    def topic(self, raw: dict[str, Any], path: Path, stage_id: str, default_track: str,
              track_ids: set[str], topic_track_ids: set[str]) -> Topic | None:
        title = self.title(raw.get("title"), (*path, "title"))
        if not title:
            return None
        ident = self.ident(raw, title)
        track = raw.get("track", default_track)
        if "track" in raw and isinstance(track, str):
            if track not in track_ids:
                self.error((*path, "track"), f"no track '{track}'"
                                             f"{suggest(track, track_ids)}: use one of "
                                             f"{', '.join(sorted(track_ids))} or add it under "
                                             f"tracks:")
            elif track not in topic_track_ids:
                self.error((*path, "track"), f"track '{track}' draws problems from the pool; "
                                             f"topics belong to a track of kind topics")
        steps = self.checklist(raw.get("steps"), (*path, "steps"))
        done_when = self.checklist(raw.get("done_when"), (*path, "done_when"))
        self.unique([(c.id, p) for c, p in steps + done_when], "checkbox")
        if not raw.get("steps") and not raw.get("done_when"):
            self.error(path, "the topic has nothing to tick: add steps: or done_when: "
                             "(one checkbox each)")
        resources = tuple(
            Resource(title=r.get("title", ""), url=r.get("url"), kind=r.get("kind"),
                     languages=tuple(r["language"]) if isinstance(r.get("language"), list)
                     else ((r["language"],) if isinstance(r.get("language"), str) else ()),
                     note=r.get("note"))
            for _, r in _items(raw.get("resources")))
        for ri, r in _items(raw.get("resources")):
            self.title(r.get("title"), (*path, "resources", ri, "title"))
        deps = _list(raw.get("depends_on"))
        labels = _list(raw.get("labels"))
        priority = raw.get("priority", 2)
        return Topic(
            id=ident, title=title, stage_id=stage_id, track_id=str(track),
            priority=priority if isinstance(priority, int) else 2,
            estimate_hours=_estimate(raw.get("estimate"), self.hours_per_day), why=raw.get("why"),
            steps=tuple(c for c, _ in steps), done_when=tuple(c for c, _ in done_when),
            resources=resources, deliverable=raw.get("deliverable"),
            depends_on=tuple(d for d in deps if isinstance(d, str)),
            labels=tuple(str(x) for x in labels))

    def checklist(self, raw: Any, path: Path) -> list[tuple[Checkbox, Path]]:
        boxes = []
        for index, item in enumerate(raw if isinstance(raw, list) else []):
            if isinstance(item, str):
                text, ident, where = item, default_id(item), (*path, index)
            elif isinstance(item, dict) and isinstance(item.get("text"), str):
                text = item["text"]
                ident = item["id"] if isinstance(item.get("id"), str) else default_id(text)
                where = (*path, index, "id" if "id" in item else "text")
            else:
                continue
            if "\n" in text.strip():
                self.error((*path, index), "a checkbox is one line: remove the line breaks "
                                           "(or split it into two checkboxes)")
            boxes.append((Checkbox(ident, text.strip()), where))
        return boxes

    def dependencies(self, raw: Any, stages: list[Stage]) -> None:
        topics: dict[str, Topic] = {}
        for stage in stages:
            for topic in stage.topics:
                topics.setdefault(topic.id, topic)  # a duplicate id is reported elsewhere
        where: dict[str, Path] = {}
        for si, raw_stage in _items(raw):
            for ti, raw_topic in _items(raw_stage.get("topics")):
                title = raw_topic.get("title")
                ident = self.ident(raw_topic, title.strip() if isinstance(title, str) else title)
                where.setdefault(ident, ("stages", si, "topics", ti))
        for topic in topics.values():
            path = where.get(topic.id, ())
            for di, dep in enumerate(topic.depends_on):
                dep_path = (*path, "depends_on", di)
                if dep == topic.id:
                    self.error(dep_path, f"topic '{dep}' depends on itself: remove it from "
                                         f"depends_on")
                elif dep not in topics:
                    self.error(dep_path, f"no topic '{dep}'{suggest(dep, list(topics))}: "
                                         f"depends_on lists ids of topics in this roadmap")
        for cycle in _cycles({t.id: [d for d in t.depends_on if d in topics and d != t.id]
                              for t in topics.values()}):
            path = where.get(cycle[0], ())
            self.error((*path, "depends_on"), f"dependency cycle {' → '.join(cycle)} → "
                                              f"{cycle[0]}: none of them could ever start; "
                                              f"remove one of these dependencies", at_key=True)

    def problems(self, raw: Any) -> list[AlgorithmProblem]:
        found = []
        ids = []
        for index, item in _items(raw):
            self.title(item.get("title"), ("problems", index, "title"))
            ident = str(item.get("id", ""))
            ids.append((ident, ("problems", index, "id")))
            found.append(AlgorithmProblem(id=ident, title=str(item.get("title", "")),
                                          url=item.get("url"), difficulty=item.get("difficulty"),
                                          tags=tuple(item.get("tags") or ())))
        self.unique(ids, "problem")
        return found

    def questions(self, raw: Any, topic_ids: set[str],
                  stage_ids: set[str]) -> list[InterviewQuestion]:
        found = []
        ids = []
        for index, item in enumerate(raw if isinstance(raw, list) else []):
            path = ("interview_questions", index)
            if isinstance(item, str):
                item = {"question": item}
            if not isinstance(item, dict) or not isinstance(item.get("question"), str):
                continue
            ident = self.ident(item, item["question"])
            ids.append((ident, path))
            topic = item.get("topic")
            if isinstance(topic, str) and topic not in topic_ids:
                self.error((*path, "topic"), f"no topic '{topic}'{suggest(topic, topic_ids)}")
            stage = item.get("stage")
            if isinstance(stage, str) and stage not in stage_ids:
                self.error((*path, "stage"), f"no stage '{stage}'{suggest(stage, stage_ids)}")
            if topic is not None and stage is not None:
                self.error((*path, "stage"), "a question follows its topic or its stage: keep "
                                             "one (the topic already says its stage)",
                           at_key=True)
            found.append(InterviewQuestion(id=ident, question=item["question"].strip(),
                                           topic_id=topic, hint=item.get("hint"),
                                           tags=tuple(item.get("tags") or ()),
                                           stage_id=stage if isinstance(stage, str) else None))
        self.unique(ids, "interview question")
        return found

    def routines(self, raw: Any, stage_ids: set[str]) -> list[Routine]:
        found: list[Routine] = []
        ids = []
        for index, item in _items(raw):
            path = ("routines", index)
            title = self.title(item.get("title"), (*path, "title"))
            ident = self.ident(item, title)
            ids.append((ident, (*path, "id") if "id" in item else (*path, "title")))
            stages = _list(item.get("stages"))
            for si, stage in enumerate(stages):
                if stage not in stage_ids:
                    self.error((*path, "stages", si),
                               f"no stage '{stage}'{suggest(str(stage), stage_ids)}")
            section = item.get("section") if item.get("section") in ("review", "redo") \
                else None
            if section and any(r.section == section for r in found):
                self.error((*path, "section"), f"another routine is already the plan's "
                                               f"{section} section: keep one")
            found.append(Routine(id=ident, title=title,
                                 weekdays=_days(item.get("weekdays")) or ALL_DAYS,
                                 minutes=item.get("minutes"), stage_ids=tuple(stages),
                                 section=section))
        self.unique(ids, "routine")
        return found

    def checkpoints(self, raw: Any, start: dt.date | None) -> list[Checkpoint]:
        found = []
        ids = []
        for index, item in _items(raw):
            path = ("checkpoints", index)
            title = self.title(item.get("title"), (*path, "title"))
            ident = self.ident(item, title)
            ids.append((ident, (*path, "id") if "id" in item else (*path, "title")))
            if ("due" in item) == ("after" in item):
                self.error(path, "give a checkpoint either due: YYYY-MM-DD or after: "
                                 "\"3 months\" (one of them)")
                continue
            due = (self.date(item["due"], (*path, "due")) if "due" in item
                   else _after(item["after"], start) if start else None)
            items = self.checklist(item.get("items"), (*path, "items"))
            self.unique([(c.id, p) for c, p in items], "checkbox")
            if due is not None:
                found.append(Checkpoint(id=ident, title=title, due=due,
                                        items=tuple(c for c, _ in items)))
        self.unique(ids, "checkpoint")
        return found


def _time(value: Any, default: dt.time) -> dt.time:
    if isinstance(value, str) and re.fullmatch(r"\d\d:\d\d", value):
        hour, minute = (int(p) for p in value.split(":"))
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    return default


def _estimate(value: Any, hours_per_day: float) -> float | None:
    """Hours of effort; a day of estimate is an average study day of this schedule."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?[mhd]", value):
        number, unit = float(value[:-1]), value[-1]
        return {"m": number / 60, "h": number, "d": number * hours_per_day}[unit]
    return None


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _after(text: Any, start: dt.date) -> dt.date | None:
    match = re.fullmatch(r"([1-9]\d*) (day|week|month)s?", str(text))
    if not match:
        return None
    count, unit = int(match.group(1)), match.group(2)
    if unit == "month":
        return _add_months(start, count)
    return start + dt.timedelta(days=count * (7 if unit == "week" else 1))


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each dependency cycle once, starting from its first topic in file order."""
    cycles: list[list[str]] = []
    seen_sets: set[frozenset[str]] = set()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        trail.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt):]
                if frozenset(cycle) not in seen_sets:
                    seen_sets.add(frozenset(cycle))
                    cycles.append(cycle)
            elif nxt not in state:
                visit(nxt, trail)
        trail.pop()
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [])
    return cycles


__all__ = ["RoadmapError", "load_roadmap", "parse_roadmap"]
