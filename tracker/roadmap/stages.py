"""The `stages:` section: each stage's dates, its topics, and the dependencies between topics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import Resource, Stage, Topic, Track
from ..schema_check import suggest
from ..yamlsource import Path
from .context import STAND_IN_DAY, Context, as_dict, as_list, ident, items
from .durations import add_months, estimate_hours
from .tracks import DEFAULT_TRACK


class _TopicIds:
    """Topic ids seen so far, to report one used twice or in two stages."""

    def __init__(self) -> None:
        self.paths: list[tuple[str, Path]] = []
        self.stage_of: dict[str, tuple[str, Path]] = {}


def read_stages(ctx: Context, raw: Any, start: dt.date | None,
                tracks: list[Track]) -> list[Stage]:
    stages: list[Stage] = []
    stage_ids: list[tuple[str, Path]] = []
    seen = _TopicIds()
    previous_due = start - dt.timedelta(days=1) if start else None
    for si, item in items(raw):
        path = ("stages", si)
        stage, due = _stage(ctx, item, path, previous_due, tracks, seen)
        stage_ids.append((stage.id, (*path, "id") if "id" in item else (*path, "title")))
        previous_due = due or previous_due
        stages.append(stage)
    ctx.unique(stage_ids, "stage")
    ctx.unique(seen.paths, "topic")
    check_dependencies(ctx, raw, stages)
    return stages


def _stage(ctx: Context, item: dict[str, Any], path: Path, previous_due: dt.date | None,
           tracks: list[Track], seen: _TopicIds) -> tuple[Stage, dt.date | None]:
    """The stage, and its last day if its dates could be worked out."""
    title = ctx.title(item.get("title"), (*path, "title"))
    stage_id = ident(item, title)
    first, due = stage_dates(ctx, item, path, previous_due)
    topics = []
    for ti, topic_raw in items(item.get("topics")):
        topic = read_topic(ctx, topic_raw, (*path, "topics", ti), stage_id, tracks)
        if topic is None:
            continue
        id_path = (*path, "topics", ti, "id" if "id" in topic_raw else "title")
        if topic.id in seen.stage_of and seen.stage_of[topic.id][0] != stage_id:
            other, other_path = seen.stage_of[topic.id]
            ctx.error(id_path, f"topic '{topic.id}' is already in stage '{other}' "
                               f"(line {ctx.line_of(other_path)}): a topic belongs to one "
                               f"stage; remove one, or give this one another id")
        else:
            seen.paths.append((topic.id, id_path))
        seen.stage_of.setdefault(topic.id, (stage_id, id_path))
        topics.append(topic)
    known_due = due
    if first is None or due is None:  # reported; keep the stage for the other checks
        ctx.broken = True
        first = first or STAND_IN_DAY
        due = due or first
    shares = as_dict(item.get("shares"))
    return Stage(id=stage_id, title=title, start=first, due=due, goal=item.get("goal"),
                 shares=dict(shares), topics=tuple(topics)), known_due


def stage_dates(ctx: Context, item: dict[str, Any], path: Path,
                previous_due: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """A stage's first and last day, from its start (or the previous stage's end) and its due
    date or duration."""
    durations = [k for k in ("days", "weeks", "months") if k in item]
    if "due" in item and durations:
        ctx.error((*path, durations[0]), f"give either due or {durations[0]}, not both: "
                                         f"remove one", at_key=True)
    elif "due" not in item and not durations:
        ctx.error(path, "the stage needs an end: add due: YYYY-MM-DD, or a duration "
                        "(days:, weeks: or months:)")
    elif len(durations) > 1:
        ctx.error((*path, durations[1]), f"give one duration, not {' and '.join(durations)}",
                  at_key=True)
    first = (ctx.date(item["start"], (*path, "start")) if "start" in item
             else previous_due + dt.timedelta(days=1) if previous_due else None)
    if first is None:
        return None, None
    if "due" in item:
        due = ctx.date(item["due"], (*path, "due"))
        if due is not None and due < first:
            where = "its start" if "start" in item else "the previous stage's end"
            ctx.error((*path, "due"), f"due {due} is before {where} ({first}): move due "
                                      f"later or start earlier")
            return None, None
        return first, due
    length = item.get(durations[0]) if durations else None
    if not isinstance(length, int) or isinstance(length, bool) or length < 1:
        return None, None
    if durations[0] == "months":
        return first, add_months(first, length) - dt.timedelta(days=1)
    days = length * (7 if durations[0] == "weeks" else 1)
    return first, first + dt.timedelta(days=days - 1)


def read_topic(ctx: Context, raw: dict[str, Any], path: Path, stage_id: str,
               tracks: list[Track]) -> Topic | None:
    title = ctx.title(raw.get("title"), (*path, "title"))
    if not title:
        return None
    track = _topic_track(ctx, raw, path, tracks)
    steps = ctx.checklist(raw.get("steps"), (*path, "steps"))
    done_when = ctx.checklist(raw.get("done_when"), (*path, "done_when"))
    ctx.unique([(c.id, p) for c, p in steps + done_when], "checkbox")
    if not raw.get("steps") and not raw.get("done_when"):
        ctx.error(path, "the topic has nothing to tick: add steps: or done_when: "
                        "(one checkbox each)")
    deps = as_list(raw.get("depends_on"))
    labels = as_list(raw.get("labels"))
    priority = raw.get("priority", 2)
    return Topic(
        id=ident(raw, title), title=title, stage_id=stage_id, track_id=track,
        priority=priority if isinstance(priority, int) else 2,
        estimate_hours=estimate_hours(raw.get("estimate"), ctx.hours_per_day),
        why=raw.get("why"), steps=tuple(c for c, _ in steps),
        done_when=tuple(c for c, _ in done_when),
        resources=read_resources(ctx, raw.get("resources"), (*path, "resources")),
        deliverable=raw.get("deliverable"),
        depends_on=tuple(d for d in deps if isinstance(d, str)),
        labels=tuple(str(x) for x in labels))


def _topic_track(ctx: Context, raw: dict[str, Any], path: Path, tracks: list[Track]) -> str:
    """The topic's track, checked: it must exist and be of kind topics."""
    topic_tracks = {t.id for t in tracks if t.kind == "topics"}
    default = next((t.id for t in tracks if t.kind == "topics"), DEFAULT_TRACK.id)
    track = raw.get("track", default)
    if "track" in raw and isinstance(track, str):
        known = {t.id for t in tracks}
        if track not in known:
            ctx.error((*path, "track"), f"no track '{track}'{suggest(track, known)}: use one "
                                        f"of {', '.join(sorted(known))} or add it under "
                                        f"tracks:")
        elif track not in topic_tracks:
            ctx.error((*path, "track"), f"track '{track}' draws problems from the pool; "
                                        f"topics belong to a track of kind topics")
    return str(track)


def read_resources(ctx: Context, raw: Any, path: Path) -> tuple[Resource, ...]:
    resources = []
    for index, item in items(raw):
        ctx.title(item.get("title"), (*path, index, "title"))
        language = item.get("language")
        languages = (tuple(language) if isinstance(language, list)
                     else (language,) if isinstance(language, str) else ())
        resources.append(Resource(title=item.get("title", ""), url=item.get("url"),
                                  kind=item.get("kind"), languages=languages,
                                  note=item.get("note")))
    return tuple(resources)


def check_dependencies(ctx: Context, raw: Any, stages: list[Stage]) -> None:
    """Every dependency names a topic of the roadmap, none is the topic itself, no cycles."""
    topics: dict[str, Topic] = {}
    for stage in stages:
        for topic in stage.topics:
            topics.setdefault(topic.id, topic)  # a duplicate id is reported elsewhere
    where = _topic_paths(raw)
    for topic in topics.values():
        path = where.get(topic.id, ())
        for di, dep in enumerate(topic.depends_on):
            dep_path = (*path, "depends_on", di)
            if dep == topic.id:
                ctx.error(dep_path, f"topic '{dep}' depends on itself: remove it from "
                                    f"depends_on")
            elif dep not in topics:
                ctx.error(dep_path, f"no topic '{dep}'{suggest(dep, list(topics))}: depends_on "
                                    f"lists ids of topics in this roadmap")
    for cycle in _cycles({t.id: [d for d in t.depends_on if d in topics and d != t.id]
                          for t in topics.values()}):
        path = where.get(cycle[0], ())
        ctx.error((*path, "depends_on"), f"dependency cycle {' → '.join(cycle)} → "
                                         f"{cycle[0]}: none of them could ever start; "
                                         f"remove one of these dependencies", at_key=True)


def _topic_paths(raw: Any) -> dict[str, Path]:
    """Where each topic id is first written in the file."""
    where: dict[str, Path] = {}
    for si, stage in items(raw):
        for ti, topic in items(stage.get("topics")):
            title = topic.get("title")
            topic_id = ident(topic, title.strip() if isinstance(title, str) else title)
            where.setdefault(topic_id, ("stages", si, "topics", ti))
    return where


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
