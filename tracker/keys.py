"""The hidden key and the tracker's block inside an issue or milestone body.

A body the tracker owns looks like this; what the learner writes above or below is theirs:

    <!-- study-tracker:begin {"kind": "topic", "id": "linux-basics", ...} -->
    ...the rendered roadmap content, with checkboxes...
    <!-- study-tracker:end -->

The key names the row (kind and stable id) and remembers what the tracker last wrote, so a
title or stage the learner changed by hand is kept until the roadmap itself changes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

END = "<!-- study-tracker:end -->"
# A checkbox the tracker can follow: a topic's step, or an item of a daily plan or retro.
# Lenient about spacing: a learner who types "-[x]" or "- [ x]" on a phone still ticked it.
_TICK = re.compile(r"^\s*[-*+]\s*\[\s*([ xX]?)\s*\]\s*.*?<!-- (?:step|item):([^\s>]+) -->",
                   re.MULTILINE)


# The types of what the tracker records in a key, so a field mangled by hand is ignored.
# "t" is a digest of the title the tracker gave the issue or milestone; "m" the milestone the
# tracker put a topic in.
_WRITTEN_TYPES: dict[str, type | tuple[type, ...]] = {
    "t": str, "b": str, "d": str, "due": str, "s": str, "l": list, "removed": bool,
    "done": bool, "m": int}


@dataclass(frozen=True)
class Key:
    """What the tracker knows about a row it owns."""

    kind: str
    id: str
    written: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def comment(self) -> str:
        data = {"kind": self.kind, "id": self.id, **self.written}
        text = json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
        # "--" may not appear inside an HTML comment; \u002d keeps the JSON equal.
        text = text.replace("--", "-\\u002d")
        return f"<!-- study-tracker:begin {text} -->"


@dataclass(frozen=True)
class Body:
    """An owned body split into the learner's text and the tracker's block."""

    key: Key
    before: str
    block: str
    after: str
    open_ended: bool = False  # the end marker was deleted: the block may hold the learner's text


def digest(*parts: Any) -> str:
    """A short fingerprint of what the tracker wrote."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def parse(body: str | None) -> Body | None:
    """The key and the parts of `body`, or None when the body has no key.

    Lenient where a learner's hand slipped: a key whose JSON was broken still names its kind
    and id (what was written is then unknown), and a block whose end marker was deleted ends
    the body, with `Body.open_ended` set so a rewrite keeps the old text rather than
    replacing it. A body holding several blocks (one pasted into the notes) gives its first;
    `blocks` gives them all, for the issue's own to be chosen (`rows.own_block`).
    """
    found = blocks(body)
    return found[0] if found else None


def blocks(body: str | None) -> list[Body]:
    """Every block of `body` whose key names a kind and an id, in the order they come.

    Each is split from the whole body: `before` and `after` hold everything else, the other
    blocks included, as text. A block ends at the first end marker after its key; if another
    key comes first, or none follows, its end marker was deleted (`open_ended`).
    """
    if not body:
        return []
    starts = list(_BEGIN_LOOSE.finditer(body))
    found = []
    for index, match in enumerate(starts):
        data = _key_data(match.group(1))
        if data is None:
            continue
        kind, ident = data.pop("kind"), data.pop("id")
        data = {k: v for k, v in data.items() if _WRITTEN_TYPES.get(k, object) is object
                or isinstance(v, _WRITTEN_TYPES[k])}  # a hand-edited field counts as unwritten
        rest = body[match.end():]
        limit = starts[index + 1].start() - match.end() if index + 1 < len(starts) else len(rest)
        end = rest.find(END, 0, limit)
        if end < 0:
            # `after` keeps the text as it is, for a rewrite to put back below a new block.
            found.append(Body(Key(kind, ident, data), body[:match.start()],
                              rest[:limit].strip("\n"), rest, open_ended=True))
            continue
        found.append(Body(Key(kind, ident, data), body[:match.start()],
                          rest[:end].strip("\n"), rest[end + len(END):]))
    return found


_BEGIN_LOOSE = re.compile(r"<!-- study-tracker:begin (.*?) -->")


def _key_data(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        # Broken by hand: the kind and the id can usually still be read.
        kind = re.search(r'(?:^|[{,\s])"?kind"?\s*:\s*"([a-z]+)"', text)
        ident = re.search(r'(?:^|[{,\s])"?id"?\s*:\s*"([^"\\]+)"', text)
        return {"kind": kind.group(1), "id": ident.group(1)} if kind and ident else None
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str) \
            or not isinstance(data.get("id"), str):
        return None
    return data


def compose(key: Key, block: str, before: str = "", after: str = "") -> str:
    """A body with the tracker's block between the learner's text."""
    return f"{before}{key.comment()}\n{block.strip(chr(10))}\n{END}{after}"


def ticked(block: str) -> frozenset[str]:
    """Ids of the checkboxes ticked in a rendered block."""
    return frozenset(m.group(2) for m in _TICK.finditer(block) if m.group(1) in ("x", "X"))


def boxes(block: str) -> dict[str, bool]:
    """Every checkbox id in the block and whether it is ticked (the first of a repeated id)."""
    found: dict[str, bool] = {}
    for match in _TICK.finditer(block):
        found.setdefault(match.group(2), match.group(1) in ("x", "X"))
    return found


def tick(body: str, ids: frozenset[str] | set[str]) -> str:
    """`body` with the boxes of `ids` ticked; nothing else changes, nothing is unticked.

    As lenient as `boxes`: a box typed "-[ ]" or "- [  ]" on a phone is ticked too."""
    def mark(match: re.Match[str]) -> str:
        return match.group(1) + "[x]" + match.group(2) if match.group(3) in ids else match.group(0)

    return _UNTICKED.sub(mark, body)


def retick(text: str, body: Body, ids: frozenset[str] | set[str], key: Key | None = None) -> str:
    """`text`, the whole body `body` was parsed from, with the boxes of `ids` ticked inside
    its block only, and its key written afresh if `key` is given. Every other character is
    kept as it was, line endings included: the learner's notes and any block pasted among
    them are not touched, and a body at GitHub's size limit stays the same length."""
    region = text[len(body.before):len(text) - len(body.after)]
    marker_end = region.find("-->") + len("-->")
    marker = key.comment() if key is not None else region[:marker_end]
    return body.before + marker + tick(region[marker_end:], ids) + body.after


# -- bodies not read this run ---------------------------------------------------------------------
# A run that reads only what changed rebuilds the other issues from what the dashboard's ledger
# remembers: the key and the boxes of each issue's own block. `unread_body` writes that as a
# body the readers parse as they parse the real one. Where the real text is not known (the
# block's prose, the learner's notes) the body holds a mark with the real body's digest; a
# store refuses to write a body that holds the mark, so an unread text never replaces a real
# one, and a body put together again is known to be the real one when its digest matches.
UNREAD = "\x00unread"
_UNREAD_MARK = re.compile("\x00unread ([0-9a-f]+)\x00")


def body_digest(text: str) -> str:
    """A fingerprint of a whole body, to know a body put together again is the real one."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def unread_body(key: Key | None, boxes: Mapping[str, bool], *, open_ended: bool, plain: bool,
                digest: str) -> str:
    """What is known of a body not read this run (see above). `plain`: the real body is
    nothing but the tracker's block (no notes above or below it), so its `before` and
    `after` are known to be empty; only the block's text is then marked unread."""
    mark = f"{UNREAD} {digest}\x00"
    if key is None:
        return mark
    lines = "".join(f"\n- [{'x' if ticked else ' '}] <!-- item:{ident} -->"
                    for ident, ticked in boxes.items())
    if open_ended:  # no end marker: everything after the key is the block and the `after`
        return f"{mark}\n{key.comment()}\n{mark}{lines}"
    body = compose(key, mark + lines)
    return body if plain else f"{mark}\n{body}\n{mark}"


def is_unread(text: str | None) -> bool:
    """Whether a body (or part of one) holds text this run did not read."""
    return text is not None and UNREAD in text


def unread_digest(text: str) -> str | None:
    """The digest of the real body an unread body stands for."""
    found = _UNREAD_MARK.search(text)
    return found.group(1) if found else None


_UNTICKED = re.compile(r"^(\s*[-*+]\s*)\[[ \t]*\]([ \t]*.*?<!-- (?:step|item):([^\s>]+) -->)",
                       re.MULTILINE)
