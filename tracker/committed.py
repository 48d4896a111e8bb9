"""The form of the JSON files the workflow commits beside the dashboard: one row a line.

A row a line keeps each commit's diff to the rows that changed, and text stays readable
(Chinese titles and card names are written as they are, not as escapes).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def rows_json(rows: Mapping[str, Any]) -> str:
    """A JSON object, sorted by key, one member a line (indented to sit inside a file's
    top-level object); `{}` when empty."""
    lines = [f"  {json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
             for key, value in sorted(rows.items())]
    return "{\n" + ",\n".join(lines) + "\n }" if lines else "{}"
