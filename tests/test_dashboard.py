"""`tracker dashboard`: README section, files written only on change, incremental == full."""

from __future__ import annotations

import datetime as dt
import json
import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tracker import keys
from tracker.daily import open_daily_plan
from tracker.dashboard import BEGIN, END, PROGRESS, STATE, run_dashboard
from tracker.reading import read_saved, save_ledger
from tracker.reconcile import reconcile
from tracker.retro import open_retro
from tracker.state import read_state
from tracker.store.base import trusted_authors
from tracker.sync import sync

from sync_harness import Harness, harness
from test_daily import at, roadmap

README = "# My study log\n\nIntro the learner wrote.\n\n{section}\n\n## Notes\n\nMine.\n"


def set_clock(world: Harness, moment: dt.datetime) -> None:
    """Both stores stamp what they write with the simulated time, which only moves forward."""
    if world.fake is not None:
        world.fake.set_time(moment)
    else:
        world.tracker.clock.now = moment  # type: ignore[attr-defined]


def lived(world: Harness, days: int, seed: int = 1, start: str = "2026-03-23") -> None:
    """Sync, then `days` days of plans, ticks at random, reconcile and retros."""
    plan = roadmap()
    set_clock(world, at(start, "06:00").astimezone(dt.UTC))
    sync(plan, world.tracker)
    rng = random.Random(seed)
    first = dt.date.fromisoformat(start)
    for n in range(days):
        day = first + dt.timedelta(days=n)
        set_clock(world, at(day.isoformat(), "08:00").astimezone(dt.UTC))
        reconcile(plan, world.tracker)
        open_daily_plan(plan, world.tracker, at(day.isoformat(), "08:00"))
        open_retro(plan, world.tracker, at(day.isoformat(), "21:00"))
        state = read_state(world.tracker.list_issues(), trusted_authors(world.tracker))
        today = state.plans.get(day)
        if today and rng.random() < 0.8:
            ticks = {i for i in today.boxes if rng.random() < 0.7}
            world.learner.update_issue(today.number, body=keys.tick(today.row.issue.body,
                                                                    ticks))
    reconcile(plan, world.tracker)


def run(world: Harness, root: Path, day: str, **options):
    return run_dashboard(roadmap(), world.tracker, root, at(day, "22:00"), {}, **options)


@pytest.fixture(params=["local", "github"])
def world(request: pytest.FixtureRequest, tmp_path: Path):
    with harness(request.param, tmp_path / "store") as h:
        yield h


def test_writes_the_section_and_files_and_leaves_the_rest_of_the_readme(
        world: Harness, tmp_path: Path) -> None:
    lived(world, 10)
    root = tmp_path / "repo"
    root.mkdir()
    (root / "README.md").write_text(README.format(section=f"{BEGIN}\nold\n{END}"), "utf-8")
    report = run(world, root, "2026-04-01")
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# My study log\n\nIntro the learner wrote.\n\n" + BEGIN)
    assert readme.endswith(END + "\n\n## Notes\n\nMine.\n")
    assert "## 📈 A · study progress" in readme and "old" not in readme
    for name in report.changed:
        if name.endswith(".svg"):
            ET.fromstring((root / name).read_text(encoding="utf-8"))  # valid XML
    progress = json.loads((root / PROGRESS).read_text(encoding="utf-8"))
    assert progress["version"] == 1 and progress["as_of"] == "2026-04-01"
    endpoint = json.loads((root / "dashboard/progress-endpoint.json").read_text("utf-8"))
    assert set(endpoint) == {"schemaVersion", "label", "message", "color"}
    assert endpoint["message"] == f"{progress['progress']['percent']}%"


def test_nothing_changed_means_two_requests_at_most_and_no_file_written(
        world: Harness, tmp_path: Path) -> None:
    lived(world, 5)
    root = tmp_path / "repo"
    root.mkdir()
    run(world, root, "2026-03-28")
    stamps = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    world.reset_counts()
    report = run(world, root, "2026-03-28")
    assert report.changed == []
    # Where the store's listing tags last (the local store, a personal token), the ledger may
    # note the tag of this run's listing, to ask with it next time; nothing else is written.
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()
            and p.name != "state.json"} == {p: t for p, t in stamps.items()
                                            if p.name != "state.json"}
    if world.fake is not None:
        assert world.fake.count() <= 2
    check = run(world, root, "2026-03-28", check=True)
    assert check.changed == []


def test_check_reports_stale_and_writes_nothing(world: Harness, tmp_path: Path) -> None:
    lived(world, 3)
    root = tmp_path / "repo"
    root.mkdir()
    run(world, root, "2026-03-26")
    issue = world.issue("topic", "rag")
    world.learner.update_issue(issue.number, body=keys.tick(issue.body, {"s1"}))
    before = (root / "README.md").read_text(encoding="utf-8")
    report = run(world, root, "2026-03-26", check=True)
    assert "README.md" in report.changed
    assert (root / "README.md").read_text(encoding="utf-8") == before


@pytest.mark.parametrize("seed", range(6))
def test_incremental_runs_give_what_a_full_rebuild_gives(tmp_path: Path, seed: int) -> None:
    backend = "github" if seed % 2 else "local"
    with harness(backend, tmp_path / "store") as world:
        rng = random.Random(seed)
        root, full = tmp_path / "inc", tmp_path / "full"
        root.mkdir()
        full.mkdir()
        plan = roadmap()
        first = dt.date(2026, 3, 23)
        set_clock(world, at("2026-03-22", "08:00").astimezone(dt.UTC))
        sync(plan, world.tracker)
        for n in range(rng.randint(8, 20)):
            day = first + dt.timedelta(days=n)
            set_clock(world, at(day.isoformat(), "08:00").astimezone(dt.UTC))
            # As `tracker reconcile` runs in the checkout: it reads and keeps the ledger (a
            # milestone it closes changes no issue's updated_at: the ledger learns it here).
            reading = read_saved(world.tracker, root, plan.learner.tz, today=day)
            done = reconcile(plan, world.tracker, reading.issues(), ledger=reading.ledger)
            save_ledger(root, world.tracker, reading.ledger, done.updated, plan.learner.tz)
            open_daily_plan(plan, world.tracker, at(day.isoformat(), "08:00"))
            state = read_state(world.tracker.list_issues(), trusted_authors(world.tracker))
            today = state.plans.get(day)
            if today:
                ticks = {i for i in today.boxes if rng.random() < 0.6}
                world.learner.update_issue(today.number, body=keys.tick(
                    today.row.issue.body, ticks))
            if rng.random() < 0.5:  # the dashboard runs on some days only
                run(world, root, day.isoformat())
        last = (first + dt.timedelta(days=n)).isoformat()
        run(world, root, last)
        run(world, full, last, full=True)
        for path in sorted(full.rglob("*")):
            if path.is_file():
                name = path.relative_to(full)
                mine, rebuilt = (root / name).read_text("utf-8"), path.read_text("utf-8")
                if str(name) == STATE:  # the same issues and facts; the listings it made differ
                    mine, rebuilt = (without_listings(text) for text in (mine, rebuilt))
                assert mine == rebuilt, name


def without_listings(state: str) -> dict[str, object]:
    """The saved ledger without what only says which listings this checkout made."""
    data = json.loads(state)
    for name in ("listed", "read_all", "labels", "milestones"):
        data.pop(name)
    return data


def test_full_rebuild_of_a_big_history_stays_within_twenty_requests(
        fake_github, tmp_path: Path) -> None:
    """1,756 rows (500 topics, 1,100 plans, 156 retros) read in 18 pages of 100."""
    plan = roadmap()
    for n in range(500):
        fake_github.create_issue(f"Topic {n}", keys.compose(keys.Key("topic", f"t{n}"),
                                                            "- [x] a <!-- step:a -->"),
                                 user="bot", labels=["topic"])
    day = dt.date(2023, 3, 1)
    for n in range(1100):
        body = keys.compose(keys.Key("daily", (day + dt.timedelta(days=n)).isoformat()),
                            "- [x] x <!-- item:p:lc-1 -->\n- [ ] y <!-- item:t:a:b -->")
        fake_github.create_issue(f"Plan {n}", body, user="bot", state="closed")
    for n in range(156):
        fake_github.create_issue(f"Retro {n}", keys.compose(keys.Key("retro", f"w{n:03d}"),
                                                            "x"), user="bot", state="closed")
    from sync_harness import github_store

    store = github_store(fake_github)
    root = tmp_path / "repo"
    root.mkdir()
    report = run_dashboard(plan, store, root, at("2026-03-01", "22:00"), {}, full=True)
    assert fake_github.count() == 18
    progress = json.loads((root / PROGRESS).read_text(encoding="utf-8"))
    assert progress["problems_done"] == 1100
    assert "Read all 1756 issues." in report.lines
    state = json.loads((root / STATE).read_text(encoding="utf-8"))
    # A record of each issue, for the later runs that list only what changed: about 250
    # characters an issue (its key and boxes, not its text), beside the dashboard's facts.
    assert len((root / STATE).read_text(encoding="utf-8")) < 1756 * 300
    assert len(state["plans"]) == 1100


def test_a_topic_closed_before_utc_midnight_counts_on_the_learners_day(
        world: Harness, tmp_path: Path) -> None:
    """The ledger's dates are the learner's: a topic closed at 06:30 in Shanghai (22:30 UTC the
    day before) was finished on the learner's day, read through the `since` listing."""
    lived(world, 3)
    root = tmp_path / "repo"
    root.mkdir()
    run(world, root, "2026-03-26")
    moment = at("2026-03-27", "06:30")
    set_clock(world, moment.astimezone(dt.UTC))
    topic = world.issue("topic", "rag")
    world.learner.update_issue(topic.number, state="closed", state_reason="completed")
    report = run(world, root, "2026-03-27")
    assert any("updated since" in line for line in report.lines), report.lines
    facts = json.loads((root / STATE).read_text(encoding="utf-8"))["topics"]["rag"]
    assert facts[3] == "2026-03-27"  # closed_on, the learner's local date
