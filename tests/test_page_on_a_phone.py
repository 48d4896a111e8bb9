"""The progress page on a phone: every label of every picture at least 11 CSS px when the page
is 390 px wide, measured in headless Chromium on the page as GitHub lays it out, in both
languages, light and dark; and the pictures are not blown up on a desktop."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import random
from pathlib import Path

import pytest

from tracker import dashboard
from tracker.ledger import Ledger, PlanFact, RetroFact, TopicFact
from tracker.roadmap import load_roadmap, parse_roadmap

from conftest import REPO

# Chromium and whole demos take seconds each: mutation testing leaves these out.
pytestmark = pytest.mark.slow
MIN_LABEL_PX = 11.0
_spec = importlib.util.spec_from_file_location("preview", REPO / "scripts" / "preview.py")
preview = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(preview)  # type: ignore[union-attr]

if preview.browser() is None:
    # CI sets TRACKER_REQUIRE_BROWSER: there a missing browser fails instead of skipping.
    if os.environ.get("TRACKER_REQUIRE_BROWSER"):
        raise RuntimeError("no headless browser found (chromium or google-chrome)")
    pytest.skip("no headless browser (chromium or google-chrome) on this machine",
                allow_module_level=True)


def lived(plan, today: dt.date, seed: int = 7) -> Ledger:
    """Months of a learner's plans and topics: most days studied, some not."""
    rng = random.Random(seed)
    book = Ledger()
    day, number = plan.schedule.start, 1
    while day <= today:
        if rng.random() < 0.85:
            total = rng.randint(4, 9)
            done = rng.randint(0, total)
            book.plans[day.isoformat()] = PlanFact(number, done, total, done // 2, 0)
            number += 1
        day += dt.timedelta(days=1)
    for n, topic in enumerate(plan.topics[: len(plan.topics) // 3]):
        boxes = len(topic.checkboxes)
        book.topics[topic.id] = TopicFact(100 + n, n % 2 == 1, n % 2 == 0, today.isoformat(),
                                          boxes // 2, boxes)
    book.retros["2026-W10"] = RetroFact(500, "Week 10 retro")
    return book


def page(tmp_path: Path, locale: str) -> Path:
    """The dashboard of the longest shipped plan, 20 weeks in, written as on GitHub."""
    text = (REPO / "examples" / "ai-engineer.yml").read_text(encoding="utf-8")
    text = text.replace("locale: zh-CN", f"locale: {locale}", 1)
    start = load_roadmap(REPO / "examples" / "ai-engineer.yml").schedule.start
    plan = parse_roadmap(text, today=start)
    today = plan.schedule.start + dt.timedelta(weeks=20, days=3)
    files = dashboard.build(plan, lived(plan, today), {today - dt.timedelta(days=2): 3}, today)
    folder = tmp_path / locale
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, encoding="utf-8")
    return folder


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_label_is_at_least_11_px_on_a_390_px_phone(tmp_path: Path, locale: str,
                                                         dark: bool) -> None:
    folder = page(tmp_path, locale)
    found = preview.measure((folder / "README.md").read_text(encoding="utf-8"), folder, 390,
                            dark)
    pictures = {f["src"]: f for f in found}
    charts = {"heatmap", "weeks", "burnup"}
    shown = {Path(src).stem.removesuffix("-dark") for src in pictures}
    assert charts <= shown, f"pictures on the page: {sorted(pictures)}"
    if dark:
        assert all(src.endswith("-dark.svg") for src in pictures if Path(src).stem.startswith(
            tuple(charts))), "the dark page shows the dark charts"
    for src, picture in pictures.items():
        assert picture["width"] <= 390 - 66 + 0.5, f"{src} overflows the README column"
        assert picture["smallest"] is not None, f"{src} shows no text"
        assert picture["smallest"] >= MIN_LABEL_PX, (
            f"{src}: smallest label {picture['smallest']:.1f} px at 390 px")


def test_a_desktop_shows_the_charts_at_their_own_size(tmp_path: Path) -> None:
    folder = page(tmp_path, "en")
    found = preview.measure((folder / "README.md").read_text(encoding="utf-8"), folder, 1012)
    for picture in found:
        assert picture["width"] == picture["natural"], picture["src"]
        assert MIN_LABEL_PX <= picture["smallest"] <= 14, picture["src"]
