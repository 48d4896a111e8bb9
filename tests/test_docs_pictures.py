"""The manual's pictures and the demo page are made from the demo and never drift from it:
the demo played now shows exactly what they were made from."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from conftest import REPO

_spec = importlib.util.spec_from_file_location("docs_pictures",
                                               REPO / "scripts" / "docs_pictures.py")
docs_pictures = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["docs_pictures"] = docs_pictures  # its dataclasses look their module up there
_spec.loader.exec_module(docs_pictures)  # type: ignore[union-attr]

# Chromium and whole demos take seconds each: mutation testing leaves these out.
pytestmark = pytest.mark.slow
STALE = ("the demo no longer shows what the manual's pictures were made from: run "
         "`python scripts/docs_pictures.py`, look at the pictures, and commit them")


def test_the_pictures_and_the_demo_page_show_what_the_demo_makes(tmp_path: Path) -> None:
    demo = docs_pictures.play_demo(tmp_path / "demo")
    recorded = json.loads(docs_pictures.SOURCES.read_text(encoding="utf-8"))
    now = docs_pictures.digests(demo)
    changed = sorted(name for name in set(now) | set(recorded)
                     if now.get(name) != recorded.get(name))
    assert not changed, f"{STALE} (changed: {', '.join(changed)})"
    for name in recorded:
        assert (docs_pictures.DOCS / ("pictures/" + name if name.endswith(".png")
                                      else name)).exists(), name


def test_the_demo_page_on_github_is_the_one_the_demo_makes(tmp_path: Path) -> None:
    demo = docs_pictures.play_demo(tmp_path / "demo")
    for path in docs_pictures.page_files(demo.page):
        shipped = docs_pictures.DEMO / path.relative_to(demo.page)
        assert shipped.read_bytes() == path.read_bytes(), f"{shipped}: {STALE}"
