"""The `paces:` and `pace:` keys: ways of going through the plan (full-time, part-time), each
with its hours and stage lengths, and the pace the learner follows, from which day."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..model import Duration, HoursPeriod, Pace, PaceSwitch, Range, Schedule
from ..schema_check import suggest
from ..yamlsource import Path
from .amounts import read_week_hours
from .context import Context, as_dict, as_text, items

_DURATION = re.compile(r"([1-9]\d*) (day|week|month)s?")


def read_duration(value: Any) -> Duration | None:
    """"2 months", "6 weeks", "10 days" (the schema has checked the form)."""
    match = _DURATION.fullmatch(value) if isinstance(value, str) else None
    return Duration(int(match[1]), match[2]) if match else None


def read_paces(ctx: Context, raw: Any) -> list[Pace]:
    paces = []
    ids = []
    for index, item in items(raw):
        path = ("paces", index)
        ctx.uses(path, "paces")
        pace_id = as_text(item.get("id"))
        ids.append((pace_id, (*path, "id")))
        hours = (read_week_hours(ctx, item["hours"], (*path, "hours"))
                 if "hours" in item else None)
        stages = as_dict(item.get("stages"))
        durations = {str(k): d for k, v in stages.items() if (d := read_duration(v))}
        paces.append(Pace(id=pace_id, name=str(item.get("name", pace_id)), hours=hours,
                          durations=durations))
    ctx.unique(ids, "pace")
    return paces


def read_pace_plan(ctx: Context, raw: Any, paces: list[Pace],
                   start: dt.date) -> tuple[PaceSwitch, ...]:
    """The paces followed and from when: `pace: part-time`, or a list of switches."""
    known = [p.id for p in paces]
    if raw is None:
        return (PaceSwitch(paces[0].id, start),) if paces else ()
    ctx.uses(("pace",), "pace")
    if not paces:
        ctx.error(("pace",), "there are no paces to choose from: define them under paces:, "
                             "or remove pace:", at_key=True)
        return ()
    if isinstance(raw, str):
        return (PaceSwitch(raw, start),) if _known(ctx, raw, known, ("pace",)) else ()
    plan: list[PaceSwitch] = []
    for index, item in items(raw):
        path = ("pace", index)
        day = ctx.date(item["from"], (*path, "from")) if "from" in item else start
        pace = item.get("pace")
        if day is None or not isinstance(pace, str) or not _known(ctx, pace, known,
                                                                   (*path, "pace")):
            continue
        if plan and day <= plan[-1].start:
            ctx.error((*path, "from"), f"paces must be in date order: {day} comes after "
                                       f"{plan[-1].start}")
        plan.append(PaceSwitch(pace, day))
    return tuple(plan)


def _known(ctx: Context, pace: str, known: list[str], path: Path) -> bool:
    if pace in known:
        return True
    ctx.error(path, f"no pace '{pace}'{suggest(pace, known)}: use one of {', '.join(known)}")
    return False


def hours_periods(plan: tuple[PaceSwitch, ...], paces: list[Pace],
                  schedule: Schedule) -> tuple[HoursPeriod, ...]:
    """The study hours from each switch of pace on; a pace without hours keeps the
    schedule's."""
    by_id = {p.id: p for p in paces}
    if not any(by_id[s.pace_id].hours for s in plan if s.pace_id in by_id):
        return schedule.hours_periods
    own = (schedule.hours_periods[0].hours if schedule.hours_periods
           else {day: Range.exact(value) for day, value in schedule.hours.items()})
    return tuple(HoursPeriod(switch.start, by_id[switch.pace_id].hours or own)
                 for switch in plan if switch.pace_id in by_id)
