"""The `review` section of the roadmap: the daily review budget and the desired retention."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .model import ReviewSettings
from .yamlsource import Path

DEFAULT = ReviewSettings()


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def review_settings(raw: Any, error: Callable[[Path, str], None]) -> ReviewSettings:
    """The settings from `review:` (the schema has checked each value's type and range);
    a budget given both ways is reported through `error`."""
    if not isinstance(raw, dict):
        return DEFAULT
    minutes, cards, retention = raw.get("minutes"), raw.get("cards"), raw.get("retention")
    if not isinstance(retention, int | float) or isinstance(retention, bool):
        retention = DEFAULT.retention
    if _whole(minutes) and _whole(cards):
        error(("review", "cards"), "give the review budget as minutes or as cards, not both: "
                                   "remove one of the two")
    if _whole(cards) and not _whole(minutes):
        return ReviewSettings(minutes=None, cards=cards, retention=float(retention))
    return ReviewSettings(minutes=minutes if _whole(minutes) else DEFAULT.minutes, cards=None,
                          retention=float(retention))
