"""Spaced review on the public page and in `tracker cards`, on both stores: the figures, the
14-day chart, and the cards' memory kept in dashboard/cards.json and rebuilt the same."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_dashboard import lived, without_listings

from tracker.card_list import list_cards
from tracker.cli import cli
from tracker.dashboard import PROGRESS, STATE, build, run_dashboard
from tracker.ledger import Ledger
from tracker.memory import GOOD, SOLVED
from tracker.memory_cache import CACHE
from tracker.model import KnowledgeCard

from sync_harness import Harness, harness
from test_daily import at, roadmap


@pytest.fixture(params=["local", "github"])
def world(request: pytest.FixtureRequest, tmp_path: Path):
    with harness(request.param, tmp_path / "store") as h:
        yield h


def page(world: Harness, root: Path, day: str, **options):
    return run_dashboard(roadmap(), world.tracker, root, at(day, "22:00"), {}, **options)


def files(root: Path) -> dict[str, object]:
    """The page's files; of the ledger, its facts (not the tag of the last listing it took
    in, which only says which listings this checkout made)."""
    found: dict[str, object] = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
                                for p in sorted(root.rglob("*")) if p.is_file()}
    if STATE in found:
        found[STATE] = without_listings(str(found[STATE]))
    return found


def test_the_page_has_the_cards_the_retention_and_the_forecast(world: Harness,
                                                               tmp_path: Path) -> None:
    lived(world, 14)
    root = tmp_path / "repo"
    root.mkdir()
    report = page(world, root, "2026-04-05")
    assert {CACHE, "dashboard/reviews.svg", "dashboard/reviews-dark.svg"} <= set(report.changed)
    progress = json.loads((root / PROGRESS).read_text(encoding="utf-8"))
    cards, reviews = progress["cards"], progress["reviews"]
    assert cards["total"] == cards["new"] + cards["learning"] + cards["mature"] > 0
    assert reviews["last_30_days"] > 0 and 0 < reviews["recalled_30_days"] <= 1
    assert [d["day"] for d in reviews["next_14_days"]][:2] == ["2026-04-05", "2026-04-06"]
    assert all(d["minutes"] <= 20 for d in reviews["next_14_days"])
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "dashboard/reviews.svg" in readme


def test_a_lost_or_stale_memory_file_is_rebuilt_to_the_same_page(world: Harness,
                                                                  tmp_path: Path) -> None:
    lived(world, 12)
    kept, lost, full = (tmp_path / name for name in ("kept", "lost", "full"))
    for root in (kept, lost, full):
        root.mkdir()
        page(world, root, "2026-04-01")
    for root in (kept, lost, full):  # a day later, one plan more
        if root == lost:
            (root / CACHE).unlink()
        page(world, root, "2026-04-02", full=root == full)
    assert files(kept) == files(lost) == files(full)
    stale = json.loads((kept / CACHE).read_text(encoding="utf-8"))
    stale["digest"] = "0" * 16  # made from another past
    stale["cards"] = {}
    (kept / CACHE).write_text(json.dumps(stale), encoding="utf-8")
    page(world, kept, "2026-04-02")
    assert files(kept) == files(lost)


def test_cards_lists_the_same_on_both_stores(tmp_path: Path) -> None:
    listed = []
    for backend in ("local", "github"):
        with harness(backend, tmp_path / backend) as world:
            lived(world, 10)
            if world.fake is not None:
                world.fake.reset_counts()
            report = list_cards(roadmap(), world.tracker, at("2026-04-02", "09:00"), tmp_path)
            if world.fake is not None:
                assert world.fake.count() == 1  # one page of issues
            listed.append(report.lines)
    assert listed[0] == listed[1]
    summary, budget, _, header, *rows = listed[0]
    assert summary.startswith(f"{len(rows)} cards: ")
    assert budget.startswith("review budget 20 min a day, retention 0.9; today ")
    assert header.split() == ["due", "recall", "card", "question"]
    assert any(row.split()[2].startswith("p:") for row in rows)


def test_the_cards_command_runs_on_the_local_store(tmp_path: Path) -> None:
    from conftest import REPO

    for name in ("roadmap.schema.json",):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    text = (REPO / "examples/internship-sprint.yml").read_text(encoding="utf-8")
    (tmp_path / "roadmap.yml").write_text(text, encoding="utf-8")
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards/lora.md").write_text("# What is LoRA?\nA low-rank update.\n", "utf-8")
    db = tmp_path / "tracker.db"
    common = ["--roadmap", str(tmp_path / "roadmap.yml"), "--backend", "local", "--db", str(db)]
    runner = CliRunner()
    assert runner.invoke(cli, ["sync", *common]).exit_code == 0
    assert runner.invoke(cli, ["daily", *common, "--now", "2025-08-29T08:00"]).exit_code == 0
    result = runner.invoke(cli, ["cards", *common, "--now", "2025-08-30T08:00"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "1 card: 1 new, 0 learning, 0 mature; 0 retired" in lines
    assert any(line.endswith("; today 1 review (2 min)") for line in lines), lines
    assert any(line.startswith("new") and "k:lora" in line and "What is LoRA?" in line
               for line in lines)


@pytest.mark.slow  # headless Chromium, four times: mutation runs of the page leave it out
@pytest.mark.parametrize("locale", ["en", "zh-CN"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_review_chart_is_legible_on_a_390_px_phone(tmp_path: Path, locale: str,
                                                       dark: bool) -> None:
    """Every label of the review chart at least 11 px, measured in headless Chromium on the
    page as GitHub lays it out (see tests/test_page_on_a_phone.py)."""
    from test_page_on_a_phone import MIN_LABEL_PX, preview

    if preview.browser() is None:
        pytest.skip("no headless browser")
    plan = dataclasses.replace(roadmap(locale=locale),
                               cards=(KnowledgeCard("a", "Q?", "A.", "cards/a.md", 1),))
    ledger = Ledger()
    ledger.reviews = {f"2026-03-{d:02d}": f"k:a={GOOD} p:lc-{d}={SOLVED}" for d in range(2, 28)}
    files = build(plan, ledger, {}, dt.date(2026, 3, 30))
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    found = preview.measure(files["README.md"], tmp_path, 390, dark)
    [chart] = [f for f in found if Path(f["src"]).stem.startswith("reviews")]
    assert chart["src"].endswith("-dark.svg") == dark
    assert chart["width"] <= 390 - 66 + 0.5 and chart["smallest"] >= MIN_LABEL_PX
