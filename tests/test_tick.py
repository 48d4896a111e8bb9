"""`tracker tick` every hour for two weeks, on both stores; demo and local-mode commands."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_dashboard import set_clock

from tracker import keys
from tracker.cli import cli
from tracker.dashboard import run_dashboard
from tracker.retro import week_id
from tracker.roadmap import load_roadmap
from tracker.state import read_state
from tracker.store.base import trusted_authors
from tracker.tick import tick

from conftest import DEFAULT_START, REPO
from sync_harness import harness, snapshot


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["local", "github"])
def test_two_weeks_of_hourly_ticks(backend: str, tmp_path: Path) -> None:
    roadmap_path = REPO / "roadmap.yml"
    plan = load_roadmap(roadmap_path, today=DEFAULT_START)
    tz = plan.learner.tz
    root = tmp_path / "repo"
    root.mkdir()
    (root / "README.md").write_text("# Me\n", encoding="utf-8")
    rng = random.Random(5)
    start = dt.datetime(2026, 11, 29, 16, 17, tzinfo=dt.UTC)  # 00:17 on the 30th in Shanghai
    with harness(backend, tmp_path / "store") as world:
        for hour in range(14 * 24):
            now = start + dt.timedelta(hours=hour)
            set_clock(world, now)
            tick(plan, world.tracker, now, root=root, roadmap_path=roadmap_path,
                 templates=REPO / "templates", commits={})
            if now.astimezone(tz).hour in (12, 21):
                state = read_state(world.learner.list_issues(), trusted_authors(world.tracker))
                today = state.plans.get(now.astimezone(tz).date())
                if today and today.open:
                    ticks = {b for b, done in today.boxes.items() if not done and rng.random() < .6}
                    world.learner.update_issue(today.number,
                                               body=keys.tick(today.row.issue.body, ticks))
        state = read_state(world.tracker.list_issues(), trusted_authors(world.tracker))
        snapshot(world.tracker)  # no duplicate rows
        days = {(start + dt.timedelta(hours=h)).astimezone(tz).date() for h in range(14 * 24)}
        assert set(state.plans) == days  # one plan a day, every day (no rest days here)
        sundays = {d for d in days if d.weekday() == 6}
        assert set(state.retros) == {week_id(d) for d in sundays}
        # The dashboard the ticks kept up to date is what a full rebuild gives.
        full = tmp_path / "full"
        full.mkdir()
        (full / "README.md").write_text("# Me\n", encoding="utf-8")
        last = start + dt.timedelta(hours=14 * 24 - 1)
        run_dashboard(plan, world.tracker, full, last, {}, full=True)
        for name in ("README.md", "progress.json", "dashboard/heatmap.svg",
                     "dashboard/burnup.svg", "dashboard/weeks.svg"):
            assert (root / name).read_text("utf-8") == (full / name).read_text("utf-8"), name


def test_demo_and_the_local_mode_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "demo"
    result = runner.invoke(cli, ["demo", "--roadmap", str(REPO / "roadmap.yml"), "--days", "14",
                                 "--out", str(out), "--now", "2026-11-30T06:00"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    # The shipped plan is 8 days long: the demo plays those, not an overdue tail.
    assert "Played 8 day(s) from 2026-11-30 on a fresh local store: the whole plan, which " \
           "ends on 2026-12-07." in result.output
    files = sorted(p.name for p in (out / "issues").iterdir())
    assert sum(1 for f in files if "-daily-" in f) == 8
    assert sum(1 for f in files if "-retro-" in f) == 1
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "study-tracker:dashboard:begin" in readme and "(dashboard/heatmap.svg)" not in readme
    assert (out / "dashboard" / "heatmap.svg").exists()
    db = str(out / ".tracker" / "tracker.db")
    listed = runner.invoke(cli, ["issues", "--db", db, "--label", "daily-plan", "--state", "all"],
                           catch_exceptions=False)
    assert listed.output.count("📅") == 8
    shown = runner.invoke(cli, ["show", "28", "--db", db], catch_exceptions=False)
    assert shown.output.startswith("# #28 📅 12月7日 周一 · 第 8 天")
    ticked = runner.invoke(cli, ["check", "28", "1", "--db", db], catch_exceptions=False)
    assert "Ticked 1 box(es) in #28" in ticked.output
    bad = runner.invoke(cli, ["check", "28", "99", "--db", db])
    assert bad.exit_code == 2 and "has no box '99'" in bad.output
    missing = runner.invoke(cli, ["issues", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and "no local store" in missing.output


def test_a_quiet_hour_costs_one_request_and_an_edit_is_still_carried(
        fake_github, tmp_path: Path) -> None:
    from sync_harness import github_store

    roadmap_path = REPO / "roadmap.yml"
    plan = load_roadmap(roadmap_path, today=DEFAULT_START)
    root = tmp_path / "repo"
    root.mkdir()
    store, learner = github_store(fake_github), github_store(fake_github, "owner")
    first = dt.datetime(2026, 11, 30, 0, 17, tzinfo=dt.UTC)  # 08:17 in Shanghai

    def run(hour: int):
        moment = first + dt.timedelta(hours=hour)
        fake_github.set_time(moment)
        fake_github.reset_counts()
        return tick(plan, store, moment, root=root, roadmap_path=roadmap_path,
                    templates=REPO / "templates", commits={})

    run(0)  # syncs and opens the day's plan
    run(1)  # reads once more what the first run wrote
    quiet = run(2)
    assert fake_github.count() == 1 and not fake_github.writes
    assert "Nothing edited since" in quiet.lines[0]
    state = read_state(learner.list_issues(), trusted_authors(store))
    today = state.plans[dt.date(2026, 11, 30)]
    fake_github.set_time(first + dt.timedelta(hours=2, minutes=30))
    learner.update_issue(today.number, body=keys.tick(today.row.issue.body,
                                                      {"t:linux-ml-overview:read"}))
    carried = run(3)
    assert any("Ticked 1 box(es)" in line for line in carried.lines), carried.lines
    assert run(4).lines and fake_github.count() >= 1
    run(5)
    assert fake_github.count() == 1 and not fake_github.writes


def test_an_edited_template_is_a_change_the_next_run_syncs(tmp_path: Path) -> None:
    """What sync compiles from is the roadmap and the templates the learner may edit: an edit
    to either changes the fingerprint the hourly run compares with the last sync's."""
    import shutil

    from tracker.tick import fingerprint

    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    roadmap = tmp_path / "roadmap.yml"
    shutil.copy(REPO / "roadmap.yml", roadmap)
    before = fingerprint(roadmap, templates)
    assert fingerprint(roadmap, templates) == before  # the same files, the same fingerprint
    topic = templates / "zh-CN" / "topic.md.j2"
    topic.write_text(topic.read_text(encoding="utf-8") + "\n笔记写在这里。\n", encoding="utf-8")
    assert fingerprint(roadmap, templates) != before
