"""The command line: help, version, validate's summary and its errors."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tracker import __version__
from tracker.cli import cli

from conftest import REPO


@pytest.fixture(autouse=True)
def in_a_scratch_folder(tmp_path, monkeypatch) -> None:
    """Commands keep what they read in the checkout they run in (dashboard/state.json):
    each test runs in its own folder, never in this repository."""
    monkeypatch.chdir(tmp_path)


def test_version_and_help() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--version"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.strip() == f"tracker, version {__version__}"
    for args in (["-h"], ["--help"], ["validate", "-h"]):
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0
        assert "Usage:" in result.output


def test_python_dash_m_runs_the_same_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "tracker", "--version"], cwd=REPO,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"tracker, version {__version__}"


def test_validate_default_roadmap_prints_its_summary() -> None:
    result = CliRunner().invoke(cli, ["validate", str(REPO / "roadmap.yml")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "valid" in result.output
    assert "stages:      4" in result.output
    assert "topics:      19" in result.output
    assert "dates:       " in result.output and "(8 days), from today: start is auto" in \
        result.output
    assert "reading (15 topics), practice (4 topics)" in result.output


def test_validate_reports_every_problem_and_exits_2(tmp_path) -> None:
    bad = tmp_path / "roadmap.yml"
    bad.write_text("version: 1\nlearner: {name: A, timezone: Asia/Shangai}\n"
                   "schedule: {start: 2026-02-30}\nstages:\n  - titel: X\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert any(":2:" in line and "unknown time zone 'Asia/Shangai'" in line
               and "did you mean 'Asia/Shanghai'" in line for line in lines)
    assert any(":3:" in line and "2026-02-30 is not a real date (February 2026 has 28 days)"
               in line for line in lines)
    assert any(":5:" in line and "unknown key 'titel' (did you mean 'title'?)" in line
               for line in lines)
    assert not any("missing key 'title'" in line for line in lines)  # the typo says it
    assert any(":5:" in line and "missing key 'topics'" in line for line in lines)
    assert lines[-1] == "5 problems found; nothing was changed."
    assert "Traceback" not in result.output
    assert "::error" not in result.output


def test_validate_in_actions_adds_annotations(tmp_path) -> None:
    bad = tmp_path / "roadmap.yml"
    bad.write_text("version: 1\nlearner: {name: A, timezone: Asia/Shanghai}\n"
                   "schedule: {start: 2026-01-01, day_opens_at: '7:30'}\nstages: []\n",
                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(bad)], env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 2
    annotations = [line for line in result.output.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 2
    assert annotations[0].startswith("::error file=")
    assert ",line=3,col=" in annotations[0]
    assert "HH%3AMM" not in annotations[0]  # only properties escape ':'; the message keeps it
    assert "HH:MM" in annotations[0]


def test_missing_file_is_bad_input_not_a_crash(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "nope.yml")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_the_three_real_plans_summarize_as_their_seeds() -> None:
    runner = CliRunner()
    expected = {
        "roadmap.yml": ["stages:      4", "topics:      19"],
        "examples/ai-engineer.yml": ["stages:      6", "topics:      18", "3 checkpoints"],
        "examples/internship-sprint.yml": [
            "theory 70%", "practice 30%", "algorithm (problems)", "2025-08-29 → 2025-11-30"],
    }
    for path, facts in expected.items():
        result = runner.invoke(cli, ["validate", str(REPO / path)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        for fact in facts:
            assert fact in result.output, (path, fact)


def test_sync_uses_the_local_store_outside_actions_and_says_so(tmp_path, roadmap_copy) -> None:
    db = tmp_path / "t.db"
    args = ["sync", "--roadmap", str(roadmap_copy), "--db", str(db)]
    runner = CliRunner()
    dry = runner.invoke(cli, [*args, "--dry-run"], catch_exceptions=False)
    assert dry.exit_code == 0
    assert f"Using the local store at {db}." in dry.output
    assert "Would make 32 change(s):" in dry.output
    first = runner.invoke(cli, args, catch_exceptions=False)
    assert "Made 32 change(s):" in first.output
    again = runner.invoke(cli, args, catch_exceptions=False)
    assert "Nothing to change" in again.output


def test_sync_in_actions_needs_a_token_and_never_falls_back(tmp_path, roadmap_copy) -> None:
    result = CliRunner().invoke(cli, ["sync", "--roadmap", str(roadmap_copy)],
                                env={"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "a/b"})
    assert result.exit_code == 2
    assert "GITHUB_TOKEN is not set" in result.output
    assert "Traceback" not in result.output


def test_sync_in_actions_writes_github_and_the_job_summary(tmp_path, fake_github,
                                                           monkeypatch, roadmap_copy) -> None:
    import time

    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_TOKEN": fake_github.token_for("bot"),
           "GITHUB_REPOSITORY": "learner/study", "GITHUB_API_URL": fake_github.base_url,
           "GITHUB_STEP_SUMMARY": str(summary)}
    result = CliRunner().invoke(cli, ["sync", "--roadmap", str(roadmap_copy)], env=env,
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Using GitHub (learner/study)." in result.output
    assert fake_github.token_for("bot") not in result.output
    assert len(fake_github.issues) == 19
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### tracker sync\n\n- Made 32 change(s):")


def test_sync_that_keeps_failing_exits_1_with_one_line(tmp_path, fake_github,
                                                      monkeypatch, roadmap_copy) -> None:
    import time

    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    fake_github.inject("5xx", times=None)
    env = {"GITHUB_TOKEN": fake_github.token_for("bot"), "GITHUB_REPOSITORY": "learner/study"}
    result = CliRunner().invoke(cli, ["sync", "--backend", "github", "--roadmap",
                                      str(roadmap_copy)], env=env)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "gave up" in errors[0]
    assert "Traceback" not in result.output


def test_a_wait_for_github_is_said_in_a_log_group_in_actions(tmp_path, fake_github,
                                                             monkeypatch, roadmap_copy) -> None:
    import time

    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    fake_github.inject("secondary_rate_limit", times=2, method="GET")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_TOKEN": fake_github.token_for("bot"),
           "GITHUB_REPOSITORY": "learner/study", "GITHUB_API_URL": fake_github.base_url}
    result = CliRunner().invoke(cli, ["sync", "--roadmap", str(roadmap_copy)], env=env,
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("::group::"))
    assert re.fullmatch(r"::group::⏳ GitHub says a secondary rate limit was hit \(403\) while "
                        r"trying to list \w+: waiting 1 min( \d+ s)? before try 2 \(\d+ min "
                        r"(\d+ s )?of the 10 min this run may spend waiting left\)", lines[start])
    assert re.fullmatch(r"⏳ GitHub says a secondary rate limit was hit \(403\) while trying to "
                        r"list \w+: waiting 2 min( \d+ s)? before try 3 .*", lines[start + 1])
    assert re.fullmatch(r"GitHub answered: list \w+ went through\.", lines[start + 2])
    assert lines[start + 3] == "::endgroup::"
    assert sum(s for s in slept if s > 3) >= 180


def test_outside_actions_waits_are_said_on_stderr_without_groups(
        tmp_path, fake_github, monkeypatch, roadmap_copy) -> None:
    import time

    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    fake_github.inject("secondary_rate_limit", times=1, method="GET")
    env = {"GITHUB_TOKEN": fake_github.token_for("bot"), "GITHUB_REPOSITORY": "learner/study",
           "GITHUB_API_URL": fake_github.base_url}
    result = CliRunner().invoke(
        cli, ["sync", "--backend", "github", "--roadmap", str(roadmap_copy)], env=env,
        catch_exceptions=False)
    assert result.exit_code == 0
    assert "⏳ GitHub says a secondary rate limit was hit (403)" in result.stderr
    assert "::group::" not in result.stderr + result.stdout
    assert "⏳" not in result.stdout


def test_daily_reconcile_retro_on_the_local_store(tmp_path, roadmap_copy) -> None:
    db = str(tmp_path / "t.db")
    road = str(roadmap_copy)
    runner = CliRunner()
    runner.invoke(cli, ["sync", "--roadmap", road, "--db", db], catch_exceptions=False)
    early = runner.invoke(cli, ["daily", "--roadmap", road, "--db", db,
                                "--now", "2026-11-30T07:00"], catch_exceptions=False)
    assert "Today's plan opens at 07:30 (Asia/Shanghai); nothing to do yet." in early.output
    opened = runner.invoke(cli, ["daily", "--roadmap", road, "--db", db,
                                 "--now", "2026-11-30T07:31+08:00"], catch_exceptions=False)
    assert "Opened today's plan: #20 📅 11月30日 周一 · 第 1 天" in opened.output
    again = runner.invoke(cli, ["daily", "--roadmap", road, "--db", db,
                                "--now", "2026-11-30T23:00"], catch_exceptions=False)
    assert "Today's plan is already open: #20." in again.output
    checked = runner.invoke(cli, ["reconcile", "--roadmap", road, "--db", db],
                            catch_exceptions=False)
    assert "Nothing to reconcile." in checked.output
    retro = runner.invoke(cli, ["retro", "--roadmap", road, "--db", db,
                                "--now", "2026-12-06T20:30"], catch_exceptions=False)
    assert "Opened the retro of 2026-W49" in retro.output


def test_a_bad_now_is_bad_input(roadmap_copy) -> None:
    result = CliRunner().invoke(cli, ["daily", "--roadmap", str(roadmap_copy),
                                      "--now", "tomorrow"])
    assert result.exit_code == 2
    assert "is not an ISO 8601 date and time" in result.output
