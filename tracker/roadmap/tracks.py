"""The `tracks:` section: parallel lines of work, and the rules that tie them to the rest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import ALL_DAYS, WEEKDAYS, AlgorithmProblem, PerDayPhase, Stage, Track
from ..schema_check import suggest
from ..yamlsource import Path
from .context import Context, as_dict, as_text, items, weekdays

DEFAULT_TRACK = Track(id="study", name="Study")


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
    phases = read_per_day(ctx, item.get("per_day"), (*path, "per_day"))
    kind = item.get("kind", "topics")
    if kind == "problems" and "share" in item:
        ctx.error((*path, "share"), "a problems track's time is per_day × minutes_per_item, "
                                    "not a share: remove share", at_key=True)
    if kind != "problems" and "per_day" in item:
        ctx.error((*path, "per_day"), "per_day counts problems: only a track with "
                                      "kind: problems has it; remove it or set kind", at_key=True)
    minutes = item.get("minutes_per_item", 45)
    return Track(
        id=ident, name=str(item.get("name", ident)), kind=kind,
        share=item.get("share") if isinstance(item.get("share"), int | float) else None,
        weekdays=weekdays(item.get("weekdays")) or ALL_DAYS,
        per_day=phases if kind == "problems" else (),
        minutes_per_item=minutes if isinstance(minutes, int) else 45,
        color=item.get("color"))


def read_per_day(ctx: Context, raw: Any, path: Path) -> tuple[PerDayPhase, ...]:
    """Problems a day: one count for the whole plan, or phases from a date on."""
    if raw is None:
        return (PerDayPhase(dt.date.min, 1),)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return (PerDayPhase(dt.date.min, raw),)
    phases: list[PerDayPhase] = []
    for index, item in items(raw):
        start = ctx.date(item.get("from"), (*path, index, "from"))
        if start is None:
            continue
        if phases and start <= phases[-1].start:
            ctx.error((*path, index, "from"), f"phases must be in date order: {start} "
                                              f"comes after {phases[-1].start}")
        by_weekday = as_dict(item.get("by_weekday"))
        count = item.get("count")
        if not isinstance(count, int) or isinstance(count, bool):
            continue  # the schema has said why
        phases.append(PerDayPhase(start, count, {
            WEEKDAYS.index(k): v for k, v in by_weekday.items() if k in WEEKDAYS}))
    return tuple(phases)


def check_track_rules(ctx: Context, tracks: list[Track], problems: list[AlgorithmProblem],
                      stages: list[Stage]) -> None:
    """What tracks must agree on with each other, the problem pool and the stages."""
    _check_shares(ctx, tracks)
    for index, track in enumerate(tracks):
        if track.kind == "problems" and not problems:
            ctx.error(("tracks", index), f"track '{track.id}' draws algorithm problems, but "
                                         f"the pool is empty: add them under problems:")
    known = {t.id for t in tracks}
    for si, stage in enumerate(stages):
        path = ("stages", si, "shares")
        for track_id in stage.shares:
            if track_id not in known:
                ctx.error((*path, track_id), f"no track '{track_id}'"
                                             f"{suggest(track_id, known)}", at_key=True)
        if stage.shares and abs(sum(stage.shares.values()) - 100) > 0.01:
            ctx.error(path, f"the shares add up to {sum(stage.shares.values()):g}%, not "
                            f"100%: adjust them")


def _check_shares(ctx: Context, tracks: list[Track]) -> None:
    topic_tracks = [t for t in tracks if t.kind == "topics"]
    given = [t for t in topic_tracks if t.share is not None]
    if given and len(given) < len(topic_tracks):
        missing = ", ".join(t.id for t in topic_tracks if t.share is None)
        ctx.error(("tracks",), f"give every topics track a share, or none: {missing} "
                               f"has none")
    elif given and abs(sum(t.share or 0 for t in given) - 100) > 0.01:
        total = sum(t.share or 0 for t in given)
        ctx.error(("tracks",), f"the topics tracks' shares add up to {total:g}%, not "
                               f"100%: adjust them")
