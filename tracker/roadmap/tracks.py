"""The `tracks:` section: parallel lines of work, how much time each gets, and the rules that
tie them to the rest of the plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import (
    ALL_DAYS,
    WEEKDAYS,
    AlgorithmProblem,
    PerDayPhase,
    Range,
    Sessions,
    Stage,
    Track,
    WeeklyPhase,
)
from ..yamlsource import Path
from .amounts import read_range
from .context import Context, as_dict, as_text, items, weekdays

DEFAULT_TRACK = Track(id="study", name="Study")
# A track's time is given by one of these (or by none: then it shares the day by priority).
TIME_RULES = ("share", "per_week", "sessions")


def read_tracks(ctx: Context, raw: Any) -> list[Track]:
    if raw is None:
        return [DEFAULT_TRACK]
    tracks: list[Track] = []
    ids = []
    for index, item in items(raw):
        path = ("tracks", index)
        ident = as_text(item.get("id"))
        ids.append((ident, (*path, "id")))
        tracks.append(_track(ctx, item, path, ident))
    ctx.unique(ids, "track")
    if raw and not any(t.kind == "topics" for t in tracks) and tracks:
        ctx.error(("tracks",), "no track of kind topics: the stages' topics need one "
                               "(add a track without kind, e.g. id: study)")
    return tracks or [DEFAULT_TRACK]


def _track(ctx: Context, item: dict[str, Any], path: Path, ident: str) -> Track:
    kind = item.get("kind", "topics")
    check_time_rules(ctx, item, path, kind)
    phases = read_per_day(ctx, item.get("per_day"), (*path, "per_day"))
    minutes = read_range(ctx, item.get("minutes_per_item", 45), (*path, "minutes_per_item"))
    for key in ("per_week", "sessions", "task"):
        if key in item:
            ctx.uses((*path, key), key)
    return Track(
        id=ident, name=str(item.get("name", ident)), kind=kind,
        share=item.get("share") if isinstance(item.get("share"), int | float) else None,
        weekdays=weekdays(item.get("weekdays")) or ALL_DAYS,
        per_day=phases if kind == "problems" else (),
        item_minutes=minutes or Range.exact(45),
        color=item.get("color"),
        per_week=read_per_week(ctx, item.get("per_week"), (*path, "per_week")),
        sessions=read_sessions(ctx, item.get("sessions"), (*path, "sessions")),
        task=item.get("task") if isinstance(item.get("task"), str) else None)


def check_time_rules(ctx: Context, item: dict[str, Any], path: Path, kind: str) -> None:
    """A track's time comes from one rule; a problems track's from its problems a day.

    Used for a track and for what a stage says about one (`kind` is the track's kind).
    """
    given = [key for key in TIME_RULES if key in item]
    if kind == "problems":
        for key in [*given, *(["task"] if "task" in item else [])]:
            what = "a share" if key == "share" else key
            ctx.error((*path, key), f"a problems track's time is per_day × minutes_per_item, "
                                    f"not {what}: remove {key}", at_key=True)
    elif len(given) > 1:
        ctx.error((*path, given[1]), f"give the track's time one way: {' or '.join(given)}, "
                                     f"not both; remove one", at_key=True)
    if kind != "problems" and "per_day" in item:
        ctx.error((*path, "per_day"), "per_day counts problems: only a track with "
                                      "kind: problems has it; remove it or set kind", at_key=True)


def read_per_day(ctx: Context, raw: Any, path: Path) -> tuple[PerDayPhase, ...]:
    """Problems a day: one count (or range) for the whole plan, or phases from a date on."""
    if raw is None:
        return (PerDayPhase(dt.date.min, Range.exact(1)),)
    if not isinstance(raw, list):
        counts = read_range(ctx, raw, path)
        return (PerDayPhase(dt.date.min, counts),) if counts else ()
    phases: list[PerDayPhase] = []
    for index, item in items(raw):
        start = ctx.date(item.get("from"), (*path, index, "from"))
        if start is None:
            continue
        if phases and start <= phases[-1].start:
            ctx.error((*path, index, "from"), f"phases must be in date order: {start} "
                                              f"comes after {phases[-1].start}")
        counts = read_range(ctx, item.get("count"), (*path, index, "count"))
        if counts is None:
            continue  # the schema has said why
        by_weekday = as_dict(item.get("by_weekday"))
        exceptions = {WEEKDAYS.index(k): read_range(ctx, v, (*path, index, "by_weekday", k))
                      for k, v in by_weekday.items() if k in WEEKDAYS}
        phases.append(PerDayPhase(start, counts, {
            day: amount for day, amount in exceptions.items() if amount is not None}))
    return tuple(phases)


def read_per_week(ctx: Context, raw: Any, path: Path) -> tuple[WeeklyPhase, ...]:
    """A weekly quota in hours: one amount for the whole plan, or phases from a date on."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        hours = read_range(ctx, raw, path)
        return (WeeklyPhase(dt.date.min, hours),) if hours else ()
    phases: list[WeeklyPhase] = []
    for index, item in items(raw):
        start = ctx.date(item.get("from"), (*path, index, "from"))
        hours = read_range(ctx, item.get("hours"), (*path, index, "hours"))
        if start is None or hours is None:
            continue
        if phases and start <= phases[-1].start:
            ctx.error((*path, index, "from"), f"phases must be in date order: {start} "
                                              f"comes after {phases[-1].start}")
        phases.append(WeeklyPhase(start, hours))
    return tuple(phases)


def read_sessions(ctx: Context, raw: Any, path: Path) -> Sessions | None:
    if not isinstance(raw, dict):
        return None
    count = read_range(ctx, raw.get("count"), (*path, "count"))
    hours = read_range(ctx, raw.get("hours"), (*path, "hours"))
    if count is None or hours is None:
        return None
    if count.high < 1:
        ctx.error((*path, "count"), "no sessions a week: give at least 1, or remove sessions")
        return None
    if hours.low <= 0:
        ctx.error((*path, "hours"), "a session needs some hours: give its length, e.g. 1.5")
        return None
    return Sessions(count, hours)


def check_track_rules(ctx: Context, tracks: list[Track], problems: list[AlgorithmProblem],
                      stages: list[Stage]) -> None:
    """What tracks must agree on with each other, the stages and the problem pool."""
    timed = {track_id for stage in stages for track_id, rules in stage.track_rules.items()
             if rules.per_week or rules.sessions}
    _check_shares(ctx, tracks, timed)
    for index, track in enumerate(tracks):
        if track.kind == "problems" and not problems:
            ctx.error(("tracks", index), f"track '{track.id}' draws algorithm problems, but "
                                         f"the pool is empty: add them under problems:")


def _check_shares(ctx: Context, tracks: list[Track], timed: set[str]) -> None:
    """Every topics track sharing the day has a share, and the shares add up to 100 %.

    A track timed by a weekly quota or sessions (its own, or a stage's) and given no share
    does not share the day.
    """
    sharing = [t for t in tracks if t.kind == "topics" and (
        t.share is not None or not (t.per_week or t.sessions or t.id in timed))]
    given = [t for t in sharing if t.share is not None]
    if given and len(given) < len(sharing):
        missing = ", ".join(t.id for t in sharing if t.share is None)
        ctx.error(("tracks",), f"give every topics track a share, or none: {missing} "
                               f"has none")
    elif given and abs(sum(t.share or 0 for t in given) - 100) > 0.01:
        total = sum(t.share or 0 for t in given)
        ctx.error(("tracks",), f"the topics tracks' shares add up to {total:g}%, not "
                               f"100%: adjust them")
