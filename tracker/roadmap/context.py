"""What every part of the roadmap reader shares: where each value stands in the file, the
problems found so far, and the small checks every section makes (dates, ids, titles)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator, Sequence
from typing import Any

from ..diagnostics import Diagnostic, format_path
from ..ids import default_id
from ..model import WEEKDAYS, Checkbox
from ..yamlsource import Path, SourceMap

# With no usable start date, checks go on from a stand-in, so every problem is found.
STAND_IN_DAY = dt.date(2000, 1, 3)
_CODE_SPAN = re.compile(r"`[^`]*`")
_MARKUP = re.compile(r"<[A-Za-z/!][^>]*>|!?\[[^\]]*\]\([^)]*\)|\*\*|__")


class Context:
    """The file being read and the problems found in it.

    A section that finds a problem reports it with `error` and goes on, so the learner sees
    every problem at once; `broken` then keeps the roadmap from being built.
    """

    def __init__(self, source: SourceMap, file: str, today: dt.date | None = None) -> None:
        self.source = source
        self.file = file
        self.today = today
        self.zone: zoneinfo.ZoneInfo | None = None  # the learner's, once read
        self.found: list[Diagnostic] = []
        self.broken = False
        self.hours_per_day = 4.0  # what "1d" of estimate means, once the schedule is read
        # Where the file uses what format 1.1 added, to ask for `version: 1.1` if it says 1.
        self.newer: list[tuple[Path, str]] = []

    def error(self, path: Path, message: str, at_key: bool = False) -> None:
        """Report a problem at the value at `path` (or at its key)."""
        mark = self.source.key(path) if at_key else self.source.value(path)
        self.found.append(Diagnostic(mark.line, mark.col, format_path(path), message, self.file))
        self.broken = True

    def uses(self, path: Path, what: str) -> None:
        """Note that the file uses `what`, added in format 1.1, at `path`."""
        self.newer.append((path, what))

    def line_of(self, path: Path) -> int:
        return self.source.value(path).line

    def date(self, value: Any, path: Path) -> dt.date | None:
        """A calendar date written YYYY-MM-DD; a date that does not exist is reported."""
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
        """Report each id used a second time, naming the line of its first use."""
        first: dict[str, Path] = {}
        for ident, path in ids:
            if ident in first:
                line = self.line_of(first[ident])
                self.error(path, f"the {kind} id '{ident}' is used twice (also at line {line}): "
                                 f"ids must be unique; rename one")
            else:
                first[ident] = path

    def title(self, value: Any, path: Path) -> str:
        """A one-line plain-text title (GitHub shows markup in titles as typed)."""
        if not isinstance(value, str):
            return ""
        if "\n" in value.strip():
            self.error(path, "a title is one line: remove the line breaks")
        markup = _MARKUP.search(_CODE_SPAN.sub("", value))  # `code` shows as code in titles
        if markup:
            self.error(path, f"titles are plain text on GitHub, so '{markup.group(0)}' would "
                             f"show as typed: remove the markup")
        return value.strip()

    def checklist(self, raw: Any, path: Path) -> list[tuple[Checkbox, Path]]:
        """Checkboxes (steps, criteria, checkpoint items), each with where its id comes from."""
        boxes = []
        for index, item in enumerate(raw if isinstance(raw, list) else []):
            if isinstance(item, str):
                text, ident, where = item, default_id(item), (*path, index)
            elif isinstance(item, dict) and isinstance(item.get("text"), str):
                text = item["text"]
                ident = item["id"] if isinstance(item.get("id"), str) else default_id(text)
                where = (*path, index, "id" if "id" in item else "text")
                if "optional" in item:
                    self.uses((*path, index, "optional"), "optional")
            else:
                continue
            if "\n" in text.strip():
                self.error((*path, index), "a checkbox is one line: remove the line breaks "
                                           "(or split it into two checkboxes)")
            optional = isinstance(item, dict) and item.get("optional") is True
            boxes.append((Checkbox(ident, text.strip(), optional), where))
        return boxes


def ident(item: dict[str, Any], text: Any) -> str:
    """An item's explicit id, else one derived from its title or text."""
    explicit = item.get("id")
    if isinstance(explicit, str):
        return explicit
    return default_id(text) if isinstance(text, str) else ""


def items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """The mappings of a list, with their positions (anything else the schema reports)."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def as_list(value: Any) -> list[Any]:
    """The list at a key, or an empty one where something else is (the schema says what)."""
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    """The mapping at a key, or an empty one where something else is."""
    return value if isinstance(value, dict) else {}


def as_text(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def weekdays(value: Any) -> frozenset[int]:
    """Weekday names as numbers, Monday 0."""
    if not isinstance(value, list):
        return frozenset()
    return frozenset(WEEKDAYS.index(d) for d in value if d in WEEKDAYS)


def number(value: Any, default: float) -> float:
    """A number from the file, or `default` where the schema has reported something else."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return default
