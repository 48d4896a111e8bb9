"""The `stages:` section: each stage's dates, its topics, what it says about tracks, and the
dependencies between topics."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Duration, Pace, PaceSwitch, Resource, Stage, Topic, Track, TrackRules
from ..schema_check import suggest
from ..yamlsource import Path
from .amounts import read_estimate, read_range
from .context import STAND_IN_DAY, Context, as_dict, as_list, ident, items, weekdays
from .timeline import StageSpec, lay_out
from .tracks import DEFAULT_TRACK, check_time_rules, read_sessions

_UNITS = {"days": "day", "weeks": "week", "months": "month"}


@dataclass
class Timing:
    """What stage dates depend on besides the stages: the start, paces, decisions."""

    start: dt.date | None
    paces: Sequence[Pace] = ()
    plan: Sequence[PaceSwitch] = ()
    # stage id -> (checkpoint id, choice id, the checkpoint's day)
    branches: dict[str, tuple[str, str, dt.date]] = field(default_factory=dict)


class _TopicIds:
    """Topic ids seen so far, to report one used twice or in two stages."""

    def __init__(self) -> None:
        self.paths: list[tuple[str, Path]] = []
        self.stage_of: dict[str, tuple[str, Path]] = {}


def read_stages(ctx: Context, raw: Any, timing: Timing,
                tracks: list[Track]) -> tuple[list[Stage], list[StageSpec]]:
    """The stages, and their timing as written (to try other paces with)."""
    specs: list[StageSpec] = []
    stage_ids: list[tuple[str, Path]] = []
    seen = _TopicIds()
    parts = []
    for si, item in items(raw):
        path = ("stages", si)
        title = ctx.title(item.get("title"), (*path, "title"))
        stage_id = ident(item, title)
        stage_ids.append((stage_id, (*path, "id") if "id" in item else (*path, "title")))
        specs.append(_spec(ctx, item, path, stage_id, timing))
        topics = _topics(ctx, item, path, stage_id, tracks, seen)
        shares, rules = read_stage_tracks(ctx, item, path, tracks)
        parts.append((stage_id, title, item, topics, shares, rules))
    if timing.start is None:
        ctx.broken = True  # reported; lay the stages out from a stand-in to find the rest
    dates, problems = lay_out(specs, timing.start or STAND_IN_DAY, timing.paces, timing.plan)
    for problem in problems:
        ctx.error(problem.path, problem.message)
    stages = []
    for (stage_id, title, item, topics, shares, rules), span in zip(parts, dates, strict=True):
        if span is None:  # reported; keep the stage for the other checks
            ctx.broken = True
            span = (STAND_IN_DAY, STAND_IN_DAY)
        branch = timing.branches.get(stage_id)
        stages.append(Stage(id=stage_id, title=title, start=span[0], due=span[1],
                            goal=item.get("goal"), shares=shares, topics=tuple(topics),
                            track_rules=rules, branch=branch[:2] if branch else None))
    ctx.unique(stage_ids, "stage")
    ctx.unique(seen.paths, "topic")
    check_dependencies(ctx, raw, stages)
    return stages, specs


def _spec(ctx: Context, item: dict[str, Any], path: Path, stage_id: str,
          timing: Timing) -> StageSpec:
    """The stage's timing as written, its keys checked against each other."""
    durations = [k for k in _UNITS if k in item]
    ongoing = item.get("ongoing") is True
    if "ongoing" in item:
        ctx.uses((*path, "ongoing"), "ongoing")
    if ongoing:
        _check_no_end(ctx, path, stage_id, [k for k in ("due", *durations) if k in item],
                      timing)
    else:
        _check_end(ctx, item, path, stage_id, durations, timing)
    start = ctx.date(item["start"], (*path, "start")) if "start" in item else None
    due = ctx.date(item["due"], (*path, "due")) if "due" in item else None
    length = item.get(durations[0]) if durations else None
    own = (Duration(length, _UNITS[durations[0]]) if isinstance(length, int)
           and not isinstance(length, bool) and length >= 1 else None)
    branch = timing.branches.get(stage_id)
    broken = ("start" in item and start is None) or ("due" in item and due is None) or (
        bool(durations) and own is None)
    return StageSpec(id=stage_id, path=path, start=start, due=due, length=own,
                     line=branch[:2] if branch else None,
                     follows=branch[2] if branch else None, broken=broken, ongoing=ongoing)


def _check_end(ctx: Context, item: dict[str, Any], path: Path, stage_id: str,
               durations: list[str], timing: Timing) -> None:
    """A stage ends on its due date, or after one duration, its own or its pace's."""
    paced = [p.id for p in timing.paces if stage_id in p.durations]
    if "due" in item and durations:
        ctx.error((*path, durations[0]), f"give either due or {durations[0]}, not both: "
                                         f"remove one", at_key=True)
    elif "due" in item and paced:
        ctx.error((*path, "due"), f"pace '{paced[0]}' sets this stage's length, so it cannot "
                                  f"have a due date: remove due, or take the stage out of the "
                                  f"pace's stages", at_key=True)
    elif "due" not in item and not durations:
        unpaced = [p.id for p in timing.paces if stage_id not in p.durations]
        if not timing.paces:
            ctx.error(path, "the stage needs an end: add due: YYYY-MM-DD, or a duration "
                            "(days:, weeks: or months:), or ongoing: true for a stage that "
                            "goes on")
        elif unpaced:
            ctx.error(path, f"the stage needs an end at pace '{unpaced[0]}': give it a length "
                            f"in that pace's stages, or give the stage a duration (days:, "
                            f"weeks: or months:)")
    elif len(durations) > 1:
        ctx.error((*path, durations[1]), f"give one duration, not {' and '.join(durations)}",
                  at_key=True)


def _check_no_end(ctx: Context, path: Path, stage_id: str, ends: list[str],
                  timing: Timing) -> None:
    """An ongoing stage has no due date and no length, its own or a pace's."""
    for key in ends:
        ctx.error((*path, key), f"an ongoing stage has no end: remove {key}, or ongoing",
                  at_key=True)
    for pace in timing.paces:
        if stage_id in pace.durations:
            ctx.error(path, f"stage '{stage_id}' is ongoing, so pace '{pace.id}' cannot give "
                            f"it a length: take it out of that pace's stages")


def _topics(ctx: Context, item: dict[str, Any], path: Path, stage_id: str,
            tracks: list[Track], seen: _TopicIds) -> list[Topic]:
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
    return topics


def read_stage_tracks(ctx: Context, item: dict[str, Any], path: Path,
                      tracks: list[Track]) -> tuple[dict[str, float], dict[str, TrackRules]]:
    """The stage's shares (from `shares:` and from `tracks:`) and what it says about tracks."""
    by_id = {t.id: t for t in tracks}
    shares = dict(as_dict(item.get("shares")))
    for track_id in shares:
        if track_id not in by_id:
            ctx.error((*path, "shares", track_id), f"no track '{track_id}'"
                                                   f"{suggest(track_id, by_id)}", at_key=True)
    rules: dict[str, TrackRules] = {}
    said = as_dict(item.get("tracks"))
    for track_id, raw in said.items():
        where = (*path, "tracks", track_id)
        ctx.uses(where, "a stage's tracks")
        if track_id not in by_id:
            ctx.error(where, f"no track '{track_id}'{suggest(track_id, by_id)}: use one of "
                             f"{', '.join(sorted(by_id))}", at_key=True)
        elif isinstance(raw, dict):
            rules[track_id] = _track_rules(ctx, raw, where, by_id[track_id])
            share = rules[track_id].share
            if share is not None and track_id in shares:
                line = ctx.line_of((*path, "shares", track_id))
                ctx.error((*where, "share"), f"track '{track_id}' already has a share under "
                                             f"shares (line {line}): give it in one place",
                          at_key=True)
            elif share is not None:
                shares[track_id] = share
    if shares and abs(sum(shares.values()) - 100) > 0.01:
        place = (*path, "shares") if "shares" in item else (*path, "tracks")
        ctx.error(place, f"the shares add up to {sum(shares.values()):g}%, not 100%: adjust "
                         f"them")
    return shares, rules


def _track_rules(ctx: Context, raw: dict[str, Any], path: Path, track: Track) -> TrackRules:
    check_time_rules(ctx, raw, path, track.kind)
    share = raw.get("share")
    return TrackRules(
        share=float(share) if isinstance(share, int | float) else None,
        weekdays=weekdays(raw.get("weekdays")) or None,
        per_week=read_range(ctx, raw["per_week"], (*path, "per_week"))
        if "per_week" in raw else None,
        sessions=read_sessions(ctx, raw.get("sessions"), (*path, "sessions")),
        per_day=read_range(ctx, raw["per_day"], (*path, "per_day"))
        if "per_day" in raw else None,
        task=raw.get("task") if isinstance(raw.get("task"), str) else None)


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
    elif steps + done_when and all(c.optional for c, _ in steps + done_when):
        ctx.error(path, "every box of the topic is optional, so it could never be done: "
                        "make the topic optional (optional: true) and its boxes plain")
    if "optional" in raw:
        ctx.uses((*path, "optional"), "optional")
    deps = as_list(raw.get("depends_on"))
    labels = as_list(raw.get("labels"))
    priority = raw.get("priority", 2)
    return Topic(
        id=ident(raw, title), title=title, stage_id=stage_id, track_id=track,
        priority=priority if isinstance(priority, int) else 2,
        estimate=read_estimate(ctx, raw.get("estimate"), (*path, "estimate"),
                               ctx.hours_per_day),
        why=raw.get("why"), steps=tuple(c for c, _ in steps),
        done_when=tuple(c for c, _ in done_when),
        resources=read_resources(ctx, raw.get("resources"), (*path, "resources")),
        deliverable=raw.get("deliverable"),
        depends_on=tuple(d for d in deps if isinstance(d, str)),
        labels=tuple(str(x) for x in labels), optional=raw.get("optional") is True)


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
        stage_ids = as_list(item.get("stages"))
        resources.append(Resource(title=item.get("title", ""), url=item.get("url"),
                                  kind=item.get("kind"), languages=languages,
                                  note=item.get("note"), group=item.get("group"),
                                  stage_ids=tuple(str(s) for s in stage_ids)))
    return tuple(resources)


def check_dependencies(ctx: Context, raw: Any, stages: list[Stage]) -> None:
    """Every dependency names a topic of the roadmap, none is the topic itself, no cycles,
    and none waits on a topic that may never be done (optional, or on an untaken branch)."""
    topics: dict[str, Topic] = {}
    branch_of: dict[str, tuple[str, str] | None] = {}
    for stage in stages:
        for topic in stage.topics:
            topics.setdefault(topic.id, topic)  # a duplicate id is reported elsewhere
            branch_of.setdefault(topic.id, stage.branch)
    where = _topic_paths(raw)
    for topic in topics.values():
        path = where.get(topic.id, ())
        for di, dep in enumerate(topic.depends_on):
            dep_path = (*path, "depends_on", di)
            if dep == topic.id:
                ctx.error(dep_path, f"topic '{dep}' depends on itself: remove it from "
                                    f"depends_on")
            elif dep not in topics:
                ctx.error(dep_path, f"no topic '{dep}'{suggest(dep, topics)}: depends_on "
                                    f"lists ids of topics in this roadmap")
            else:
                _check_reachable(ctx, dep_path, topic, topics[dep], branch_of)
    for cycle in _cycles({t.id: [d for d in t.depends_on if d in topics and d != t.id]
                          for t in topics.values()}):
        path = where.get(cycle[0], ())
        ctx.error((*path, "depends_on"), f"dependency cycle {' → '.join(cycle)} → "
                                         f"{cycle[0]}: none of them could ever start; "
                                         f"remove one of these dependencies", at_key=True)


def _check_reachable(ctx: Context, path: Path, topic: Topic, dep: Topic,
                     branch_of: dict[str, tuple[str, str] | None]) -> None:
    if dep.optional and not topic.optional:
        ctx.error(path, f"'{topic.id}' depends on '{dep.id}', which is optional: it would wait "
                        f"for a topic you may skip; make '{dep.id}' required or remove the "
                        f"dependency")
    theirs = branch_of.get(dep.id)
    if theirs is not None and theirs != branch_of.get(topic.id):
        ctx.error(path, f"'{dep.id}' belongs to the choice '{theirs[1]}' of checkpoint "
                        f"'{theirs[0]}', which may not be taken: '{topic.id}' cannot depend "
                        f"on it; remove the dependency")


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
