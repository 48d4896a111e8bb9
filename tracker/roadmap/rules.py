"""Contradictions between sections, found once the whole plan is read: a weekly quota larger
than the days that hold it, sessions that cannot fit their days, stages in progress together
that say different things about a track, a pace that leaves a stage without study time, and a
file that uses format 1.1 while saying `version: 1`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from ..model import WEEKDAYS, Pace, PaceSwitch, Range, Schedule, Stage, Track, TrackRules
from ..schema_check import suggest
from ..yamlsource import Path
from .context import Context, as_dict, items
from .timeline import StageSpec, lay_out

_WEEK = 7


def week_budget(schedule: Schedule, monday: dt.date, days: frozenset[int]) -> dict[int, Range]:
    """The budget of each of `days` (weekday numbers) in the week starting `monday`."""
    return {day: schedule.budget_range_on(monday + dt.timedelta(days=day)) for day in days}


def check_weekly_time(ctx: Context, schedule: Schedule, tracks: Sequence[Track],
                      stages: Sequence[Stage]) -> None:
    """Each weekly quota and set of sessions fits the days it is placed on."""
    for index, track in enumerate(tracks):
        for phase_index, phase in enumerate(track.per_week):
            path: Path = (("tracks", index, "per_week", phase_index)
                          if len(track.per_week) > 1 or phase.start != dt.date.min
                          else ("tracks", index, "per_week"))
            first = max(phase.start, schedule.start)
            _check_quota(ctx, path, schedule, first, track.weekdays, phase.hours)
        if track.sessions:
            _check_sessions(ctx, ("tracks", index, "sessions"), schedule, schedule.start,
                            track.weekdays, track.sessions)
    by_id = {t.id: t for t in tracks}
    for si, stage in enumerate(stages):
        for track_id, rules in stage.track_rules.items():
            if track_id not in by_id:
                continue
            days = rules.weekdays or by_id[track_id].weekdays
            path = ("stages", si, "tracks", track_id)
            if rules.per_week:
                _check_quota(ctx, (*path, "per_week"), schedule, stage.start, days,
                             rules.per_week)
            if rules.sessions:
                _check_sessions(ctx, (*path, "sessions"), schedule, stage.start, days,
                                rules.sessions)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _days_text(budgets: dict[int, Range]) -> str:
    return ", ".join(f"{WEEKDAYS[d]} {b.high:g} h" for d, b in sorted(budgets.items()))


def _check_quota(ctx: Context, path: Path, schedule: Schedule, first: dt.date,
                 days: frozenset[int], hours: Range) -> None:
    budgets = {d: b for d, b in week_budget(schedule, _monday(first), days).items()
               if b.high > 0}
    room = sum(b.high for b in budgets.values())
    if not budgets:
        ctx.error(path, f"{hours} h a week on {', '.join(WEEKDAYS[d] for d in sorted(days))}, "
                        f"but those days have no study hours: choose days with hours, or "
                        f"give them hours in schedule.hours")
    elif hours.low > room + 1e-9:
        ctx.error(path, f"{hours} h a week does not fit its days: they hold {room:g} h "
                        f"({_days_text(budgets)}); lower the quota, add weekdays, or raise "
                        f"their hours")


def _check_sessions(ctx: Context, path: Path, schedule: Schedule, first: dt.date,
                    days: frozenset[int], sessions: Any) -> None:
    budgets = {d: b for d, b in week_budget(schedule, _monday(first), days).items()
               if b.high > 0}
    count = int(sessions.count.high)
    if count > len(budgets):
        names = ", ".join(WEEKDAYS[d] for d in sorted(budgets)) or "none"
        ctx.error((*path, "count"), f"{sessions.count} sessions a week need {count} study "
                                    f"days, at most one a day, but the track's days with "
                                    f"hours are {len(budgets)} ({names}): add weekdays or "
                                    f"plan fewer sessions")
    fitting = [d for d, b in budgets.items() if b.high + 1e-9 >= sessions.hours.low]
    if budgets and len(fitting) < sessions.count.low:
        ctx.error((*path, "hours"), f"a {sessions.hours} h session does not fit "
                                    f"{_days_text(budgets)}: shorten the sessions or raise "
                                    f"those days' hours")


def check_stage_agreement(ctx: Context, stages: Sequence[Stage]) -> None:
    """Stages in progress on the same day must not say different things about a track."""
    for later_index, later in enumerate(stages):
        for earlier in stages[:later_index]:
            if later.start > earlier.until or earlier.start > later.until:
                continue
            for track_id, rules in later.track_rules.items():
                other = earlier.track_rules.get(track_id)
                if other is None:
                    continue
                for name, mine, theirs in _differences(rules, other):
                    ctx.error(("stages", later_index, "tracks", track_id, name),
                              f"stage '{later.id}' overlaps stage '{earlier.id}', which says "
                              f"{name} {theirs} for track '{track_id}', and this one says "
                              f"{mine}: make them agree, or say it in one of them only",
                              at_key=True)


def _differences(a: TrackRules, b: TrackRules) -> Iterator[tuple[str, Any, Any]]:
    for name in ("share", "weekdays", "per_week", "sessions", "per_day", "task"):
        mine, theirs = getattr(a, name), getattr(b, name)
        if mine is not None and theirs is not None and mine != theirs:
            if name == "weekdays":
                mine = f"[{', '.join(WEEKDAYS[d] for d in sorted(mine))}]"
                theirs = f"[{', '.join(WEEKDAYS[d] for d in sorted(theirs))}]"
            yield name, mine, theirs


def check_paces(ctx: Context, raw: Any, paces: Sequence[Pace], specs: Sequence[StageSpec],
                schedule: Schedule, stage_ids: set[str]) -> None:
    """Each pace names real stages and gives every stage some study time, the paces not
    followed too (the learner may switch to them)."""
    for index, item in items(raw):
        stages = as_dict(item.get("stages"))
        for stage_id in stages:
            if stage_id not in stage_ids:
                ctx.error(("paces", index, "stages", stage_id),
                          f"no stage '{stage_id}'{suggest(str(stage_id), stage_ids)}: a "
                          f"pace's stages are ids of stages in this roadmap", at_key=True)
    for index, pace in enumerate(paces):
        alone = [PaceSwitch(pace.id, schedule.start)]
        dates, problems = lay_out(specs, schedule.start, paces, alone)
        for spec, span in zip(specs, dates, strict=True):
            if span is not None and not _has_study_time(schedule, pace, span):
                ctx.error(("paces", index), f"at pace '{pace.id}', stage '{spec.id}' "
                                            f"({span[0]} → {span[1] or '…'}) has no study hours: "
                                            f"give those days hours, or change the stage's "
                                            f"length")
        said = {d.message for d in ctx.found}
        for problem in problems:
            if problem.message not in said:
                ctx.error(("paces", index), f"at pace '{pace.id}': {problem.message}")


def _has_study_time(schedule: Schedule, pace: Pace,
                    span: tuple[dt.date, dt.date | None]) -> bool:
    first, last = span
    for offset in range(min((last - first).days + 1 if last else _WEEK, _WEEK)):
        day = first + dt.timedelta(days=offset)
        if day.weekday() in schedule.rest_days:
            continue
        hours = pace.hours.get(day.weekday()) if pace.hours is not None else None
        if (hours.high if hours else schedule.budget_range_on(day).high) > 0:
            return True
    return False


def check_version(ctx: Context, data: dict[str, Any]) -> None:
    """A file that uses what format 1.1 added must say so."""
    if data.get("version") != 1 or not ctx.newer:
        return
    seen = []
    for path, what in sorted(ctx.newer, key=lambda p: ctx.line_of(p[0])):
        text = f"{what} on line {ctx.line_of(path)}"
        if text not in seen:
            seen.append(text)
    more = f" and {len(seen) - 3} more" if len(seen) > 3 else ""
    ctx.error(("version",), f"this file uses format 1.1 ({', '.join(seen[:3])}{more}): "
                            f"write version: 1.1")
