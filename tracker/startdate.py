"""`schedule.start: auto`: the plan starts on the day of its first run, and that day is then
written into roadmap.yml, so it never moves afterwards and the learner sees it.

Only the scalar `auto` is replaced, at the position the YAML reader reports for it; the rest of
the file (comments, order, quoting) stays exactly as the learner wrote it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .yamlsource import load

_AUTO = re.compile(r"""(["']?)auto\1""")


def record_start(path: Path, day: dt.date) -> bool:
    """Write `day` over `start: auto` in the roadmap at `path`; False if there is no `auto`."""
    text = path.read_text(encoding="utf-8")
    fixed = with_start(text, day)
    if fixed == text:
        return False
    path.write_text(fixed, encoding="utf-8")
    return True


def with_start(text: str, day: dt.date) -> str:
    """`text` with the `auto` of `schedule.start` replaced by `day`."""
    data, source, _ = load(text)
    if not isinstance(data, dict) or not isinstance(data.get("schedule"), dict) \
            or data["schedule"].get("start") != "auto":
        return text
    mark = source.value(("schedule", "start"))
    lines = text.splitlines(keepends=True)
    line = lines[mark.line - 1]
    match = _AUTO.match(line, mark.col - 1)
    if match is None:  # not where the reader says: leave the file alone
        return text
    lines[mark.line - 1] = line[:match.start()] + day.isoformat() + line[match.end():]
    return "".join(lines)
