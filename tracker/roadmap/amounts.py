"""Amounts written as a number or as a range ("2-3", "1.5-2d"), read into `Range`s.

A learner types ranges as the seeds write them: `2-3`, `2–3`, `2~3`, `2～3`, `2至3`. The
minimum comes first; a range written the other way round is reported, not turned around.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import WEEKDAYS, Range
from ..yamlsource import Path
from .context import Context

_SEPARATORS = "-–—~～至到"
_RANGE = re.compile(rf"^\s*(\d+(?:\.\d+)?)\s*[{_SEPARATORS}]\s*(\d+(?:\.\d+)?)\s*$")
_ESTIMATE = re.compile(rf"^(\d+(?:\.\d+)?)(?:\s*[{_SEPARATORS}]\s*(\d+(?:\.\d+)?))?([mhd])$")
_UNIT_HOURS = {"m": 1 / 60, "h": 1.0}


def read_range(ctx: Context, value: Any, path: Path) -> Range | None:
    """A number as an exact range, a range string as its two ends; None where the schema has
    already said what is wrong."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Range.exact(float(value))
    if not isinstance(value, str):
        return None
    match = _RANGE.match(value)
    if not match:
        return None
    return _ordered(ctx, float(match[1]), float(match[2]), path, value)


def read_estimate(ctx: Context, value: Any, path: Path, hours_per_day: float) -> Range | None:
    """Hours of effort: a number, "90m", "2h", "1.5d" (a day is an average study day), a
    range of them ("1.5-2d"), or a range of hours ("12-16")."""
    if not isinstance(value, str) or _RANGE.match(value):
        return read_range(ctx, value, path)
    match = _ESTIMATE.match(value)
    if not match:
        return None
    factor = _UNIT_HOURS.get(match[3], hours_per_day)
    low = float(match[1]) * factor
    if match[2] is None:
        return Range.exact(low)
    return _ordered(ctx, low, float(match[2]) * factor, path, value)


def _ordered(ctx: Context, low: float, high: float, path: Path, text: str) -> Range | None:
    ctx.uses(path, "a range")
    if low > high:
        turned = re.sub(rf"(\d+(?:\.\d+)?)(\s*[{_SEPARATORS}]\s*)(\d+(?:\.\d+)?)",
                        r"\3\2\1", text.strip(), count=1)
        ctx.error(path, f"the range {text.strip()} runs backwards: write the minimum first "
                        f"({turned})")
        return None
    return Range(low, high)


def read_week_hours(ctx: Context, raw: Any, path: Path) -> dict[int, Range] | None:
    """Hours per weekday (Monday 0) from one amount for every day, or a mapping of weekdays
    (a weekday left out has none); None where the schema has said what is wrong."""
    if isinstance(raw, dict):
        hours = {}
        for index, name in enumerate(WEEKDAYS):
            amount = read_range(ctx, raw.get(name, 0), (*path, name))
            if amount is not None:
                hours[index] = amount
        return hours
    amount = read_range(ctx, raw, path)
    return None if amount is None else dict.fromkeys(range(7), amount)
