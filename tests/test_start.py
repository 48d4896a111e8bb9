"""`schedule.start: auto`: a fork made months later starts on its first run, not behind."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.roadmap import load_roadmap
from tracker.startdate import with_start

from conftest import REPO


@pytest.fixture
def fork(tmp_path: Path) -> Path:
    """The shipped roadmap.yml, as a learner's fork has it on the day they fork."""
    path = tmp_path / "fork" / "roadmap.yml"
    path.parent.mkdir()
    shutil.copy(REPO / "roadmap.yml", path)
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_fork_made_months_later_starts_on_day_one(fork: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    out = run("daily", "--roadmap", str(fork), "--db", db, "--now", "2027-03-01T08:00")
    assert "Opened today's plan: #1 📅 3月1日 周一 · 第 1 天" in out
    assert "The plan starts today, 2027-03-01: written into" in out
    text = fork.read_text(encoding="utf-8")
    assert "  start: 2027-03-01\n" in text and "start: auto" not in text
    # The day is written down: the next morning is day 2, and the file does not change again.
    out = run("daily", "--roadmap", str(fork), "--db", db, "--now", "2027-03-02T08:00")
    assert "第 2 天" in out and "The plan starts today" not in out
    assert fork.read_text(encoding="utf-8") == text
    stages = load_roadmap(fork).stages
    assert (stages[0].start, stages[-1].due) == (dt.date(2027, 3, 1), dt.date(2027, 3, 8))


def test_only_the_auto_is_replaced_whatever_the_style() -> None:
    day = dt.date(2026, 12, 3)
    assert with_start("schedule:\n  start: auto  # 第一天\n  hours: 6\n", day) == \
        "schedule:\n  start: 2026-12-03  # 第一天\n  hours: 6\n"
    assert with_start('schedule: {start: "auto", hours: 3}\r\n', day) == \
        "schedule: {start: 2026-12-03, hours: 3}\r\n"
    assert with_start("note: auto\nschedule:\n  hours: 2\n  start: 'auto'\n", day) == \
        "note: auto\nschedule:\n  hours: 2\n  start: 2026-12-03\n"
    fixed = "schedule:\n  start: 2026-01-05\n"
    assert with_start(fixed, day) == fixed


def test_checking_and_dry_runs_write_nothing(fork: Path, tmp_path: Path) -> None:
    before = fork.read_bytes()
    out = run("validate", str(fork))
    assert "(8 days), from today: start is auto, so the first run fixes day 1" in out
    run("sync", "--dry-run", "--roadmap", str(fork), "--db", str(tmp_path / "t.db"))
    run("demo", "--roadmap", str(fork), "--out", str(tmp_path / "demo"), "--days", "2")
    assert fork.read_bytes() == before


def test_the_start_is_explained_where_the_learner_sets_up() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Start tracking")
    steps = readme[start:readme.index("\n## ", start + 1)]
    assert "start: auto" in steps
