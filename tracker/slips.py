"""Typing slips a YAML parser reports badly, found in the text itself and worded as the fix.

A learner writing with a Chinese input method types a full-width colon (`name：学习者`) or a
full-width space; YAML then reads the whole line as text and complains a line or two later, in
its own words ("could not find expected ':'"). An indentation one space off gives "expected
<block end>, but found '<block sequence start>'". This module finds such slips on the line
where they are, so the validator can say what to type instead.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

FULL_WIDTH_COLON = "："
FULL_WIDTH_SPACE = "\u3000"
# The parser problems an indentation slip produces (PyYAML's wording).
INDENTATION_PROBLEMS = ("expected <block end>", "mapping values are not allowed",
                        "could not find expected ':'")
_KEY_SLIP = re.compile(r"^(?P<lead>[ \u3000]*(?:-[ \u3000]+)*)(?P<key>[A-Za-z_$][A-Za-z0-9_$]*)"
                       r"[ \u3000]*(?P<colon>：|:(?=\u3000))")
_ITEM = re.compile(r"- +")


@dataclass(frozen=True)
class Slip:
    """A slip at a 1-based line and column, and what to type instead."""

    line: int
    col: int
    message: str


def key_slips(text: str, key_names: Collection[str]) -> list[Slip]:
    """Lines where a key of the roadmap is followed by a full-width colon, or by a colon and a
    full-width space, and lines indented with full-width spaces.

    Only known key names count, so text such as `- Linux：基础` in a list of steps is left
    alone: there the full-width colon is part of the text.
    """
    slips = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _KEY_SLIP.match(line)  # a comment's '#' is no key: comments never match
        if match and match["key"] in key_names:
            col = match.start("colon") + 1
            if match["colon"] == FULL_WIDTH_COLON:
                message = (f"full-width colon '：' after '{match['key']}': use ':' followed by "
                           f"a space, e.g. {match['key']}: …")
            else:
                col += 1
                message = (f"a full-width space after '{match['key']}:': use an ordinary "
                           f"space, e.g. {match['key']}: …")
            slips.append(Slip(number, col, message))
        elif FULL_WIDTH_SPACE in _indentation(line):
            slips.append(Slip(number, line.index(FULL_WIDTH_SPACE) + 1,
                              "a full-width space '　' in the indentation: indent with "
                              "ordinary spaces"))
    return slips


def indentation_slip(text: str, line: int) -> Slip | None:
    """A line indented one space more or less than the line it belongs with, if `line` is one.

    The line belongs with the nearest line above that starts a key or a list item one column
    away; a line above starting at the very same column means the indentation is right.
    """
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    target = lines[line - 1]
    col = len(target) - len(target.lstrip(" "))
    if not target.strip():
        return None
    for number in range(line - 1, 0, -1):
        above = lines[number - 1]
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        starts = _starts(above)
        if col in starts:
            return None
        for start in starts:
            if abs(start - col) == 1:
                return _indentation_message(line, col, number, start, above)
        if starts[0] < col - 1:
            return None  # the line above encloses this one: nothing here to line up with
    return None


def _indentation_message(line: int, col: int, other: int, start: int, above: str) -> Slip:
    what = above[start:].split(":", 1)[0].strip()[:40]
    more = "too many" if col > start else "too few"
    spaces = f"{col} space{'s' if col != 1 else ''}"
    return Slip(line, col + 1, f"indentation one space off: this line has {spaces}, one "
                               f"{more}; line it up with '{what}' on line {other} "
                               f"({start} spaces)")


def list_separator_hint(value: object) -> str:
    """Advice for a list item that holds two items joined by a Chinese comma (`[tue，thu]`)."""
    if isinstance(value, str):
        for comma in ("，", "、"):
            if comma in value:
                return (f" (a full-width comma '{comma}' joins two items here: separate them "
                        f"with ',')")
    return ""


def _starts(line: str) -> list[int]:
    """Columns where a key or a list item begins on `line`: its indentation, and after each
    `- ` (as in `- id: x`, whose `id` starts two columns further)."""
    col = len(line) - len(line.lstrip(" "))
    starts = [col]
    rest = line[col:]
    while match := _ITEM.match(rest):
        col += match.end()
        rest = rest[match.end():]
        if rest.strip():
            starts.append(col)
    return starts


def _indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \u3000"))]
