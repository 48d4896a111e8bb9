"""Laying the stages out in time: each stage's first and last day from its start (or the end
of the stage before it), its due date or its length, and the pace the learner follows.

Pure: the stages as read (`StageSpec`), the plan's start, the paces and the pace followed go
in; dates and the problems met come out.

A pace sets stage lengths. Switching pace mid-plan keeps the dates of the stages finished by
then; the stage in progress keeps the part of it already behind the learner, and what is left
of it takes the new pace's length, in proportion; later stages take the new lengths.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Duration, Pace, PaceSwitch
from ..yamlsource import Path
from .durations import add_months

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class StageSpec:
    """A stage's timing as the file gives it."""

    id: str
    path: Path
    start: dt.date | None = None  # given as start:
    due: dt.date | None = None  # given as due:
    length: Duration | None = None  # given as days:, weeks: or months:
    line: tuple[str, str] | None = None  # the decision's (checkpoint, choice) it follows
    follows: dt.date | None = None  # the day of that decision
    broken: bool = False  # its own dates were wrong: skip it, as the reader has said why
    ongoing: bool = False  # no end ("持续学习")


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str


def length_days(first: dt.date, length: Duration) -> int:
    """How many days `length` lasts when it begins on `first` (calendar months vary)."""
    if length.unit == "month":
        return (add_months(first, length.count) - first).days
    return length.count * (7 if length.unit == "week" else 1)


Span = tuple[dt.date, dt.date | None]  # first and last day; no last day for an ongoing stage


def lay_out(specs: Sequence[StageSpec], start: dt.date, paces: Sequence[Pace],
            plan: Sequence[PaceSwitch]) -> tuple[list[Span | None], list[Problem]]:
    """Each stage's (first, last) day, or None where it cannot be told, and the problems."""
    dates: list[Span | None] = []
    problems: list[Problem] = []
    if paces and not plan:  # the pace followed is unknown (reported): try the first
        plan = [PaceSwitch(paces[0].id, start)]
    last_of_line: dict[tuple[str, str] | None, Span] = {None: (start, start - _DAY)}
    ongoing_before: dict[tuple[str, str] | None, str] = {}
    for spec in specs:
        before = last_of_line.get(spec.line)
        previous = before[1] if before else spec.follows
        if previous is None and spec.start is None and spec.line in ongoing_before:
            problems.append(Problem(spec.path, f"the stage before, '{ongoing_before[spec.line]}'"
                                               f", is ongoing, so it never ends: give this "
                                               f"stage a start (start: YYYY-MM-DD)"))
        span = _stage_span(spec, previous, paces, plan, problems)
        dates.append(span)
        if span is not None:
            last_of_line[spec.line] = span
            if span[1] is None:
                ongoing_before[spec.line] = spec.id
    return dates, problems


def _stage_span(spec: StageSpec, previous: dt.date | None, paces: Sequence[Pace],
                plan: Sequence[PaceSwitch], problems: list[Problem]) -> Span | None:
    if spec.broken:
        return None
    first = spec.start or (previous + _DAY if previous else None)
    if first is None:
        return None
    if spec.ongoing:
        return first, None
    if spec.follows is not None and first <= spec.follows:
        problems.append(Problem((*spec.path, "start"), f"stage '{spec.id}' follows a decision "
                                f"due {spec.follows}: start it after that day"))
        return None
    if spec.due is not None:
        if spec.due < first:
            where = "its start" if spec.start else "the previous stage's end"
            problems.append(Problem((*spec.path, "due"), f"due {spec.due} is before {where} "
                                    f"({first}): move due later or start earlier"))
            return None
        return first, spec.due
    lengths = {p.id: p.durations.get(spec.id, spec.length) for p in paces}
    missing = [pace for pace, length in lengths.items() if length is None]
    if missing or (not paces and spec.length is None):
        return None  # the reader reports a stage without an end
    if not paces:
        assert spec.length is not None
        return first, first + length_days(first, spec.length) * _DAY - _DAY
    return first, paced_end(first, {k: v for k, v in lengths.items() if v}, plan)


def paced_end(first: dt.date, lengths: dict[str, Duration],
              plan: Sequence[PaceSwitch]) -> dt.date:
    """The last day of a stage beginning on `first` whose length depends on the pace.

    At each switch of pace while the stage is in progress, the share of it not done yet
    is given the new pace's length in proportion.
    """
    pace = _pace_on(plan, first)
    days = length_days(first, lengths[pace])
    done, at = 0.0, first
    end = first + days * _DAY
    for switch in plan:
        if not at < switch.start < end:
            continue
        done += (switch.start - at).days / days
        at, days = switch.start, length_days(first, lengths[switch.pace_id])
        end = at + math.ceil(round((1 - done) * days, 9)) * _DAY
    return end - _DAY


def _pace_on(plan: Sequence[PaceSwitch], day: dt.date) -> str:
    chosen = plan[0].pace_id
    for switch in plan:
        if switch.start <= day:
            chosen = switch.pace_id
    return chosen
