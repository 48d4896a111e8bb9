"""Only the learner's commits count: a fork's first run counts none of the template's history,
and the same identity rules hold for every command that counts commits."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli

MAINTAINER = ("Template Maintainer", "maintainer@tracker.example")


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main",
                    "-C", str(repo), *args], check=True, capture_output=True,
                   env={**os.environ, **(env or {})})


def commit(repo: Path, when: str, who: tuple[str, str], message: str = "work") -> None:
    name, email = who
    git(repo, "commit", "-q", "--allow-empty", "-m", message, env={
        "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email})


@pytest.fixture
def fork(tmp_path: Path, roadmap_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh clone of the template: its maintainers' history, some of it after day 1."""
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repo = tmp_path / "fork"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "roadmap.yml").write_bytes(roadmap_copy.read_bytes())
    git(repo, "add", "roadmap.yml")
    for day in ("2026-06-01", "2026-11-29", "2026-11-30", "2026-12-01"):  # start: 11-30
        commit(repo, f"{day}T10:00:00+08:00", MAINTAINER, "template work")
    commit(repo, "2026-12-01T11:00:00+08:00",
           ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com"))
    return repo


def progress(repo: Path, tmp_path: Path, *, repository: str | None, day: str = "2026-12-01"
             ) -> dict:
    out = tmp_path / "page"
    args = ["dashboard", "--roadmap", str(repo / "roadmap.yml"), "--db", str(tmp_path / "t.db"),
            "--checkout", str(repo), "--now", f"{day}T22:00", "--out", str(out)]
    env = {"GITHUB_REPOSITORY": repository} if repository else {}
    CliRunner().invoke(cli, ["sync", "--roadmap", str(repo / "roadmap.yml"), "--db",
                             str(tmp_path / "t.db")], catch_exceptions=False)
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads((out / "progress.json").read_text(encoding="utf-8"))


def test_a_fresh_clones_first_run_counts_no_commit(fork: Path, tmp_path: Path) -> None:
    data = progress(fork, tmp_path, repository="ada-l/study")
    assert data["commits"] == 0
    assert data["streak"] == {"current": 0, "longest": 0, "days_studied": 0}


def test_the_owners_commits_count_from_the_plans_start(fork: Path, tmp_path: Path) -> None:
    noreply = ("Ada", "1234+ada-l@users.noreply.github.com")
    commit(fork, "2026-11-29T20:00:00+08:00", noreply)  # the day before day 1: not counted
    commit(fork, "2026-12-01T20:00:00+08:00", noreply)
    data = progress(fork, tmp_path, repository="ada-l/study")
    assert data["commits"] == 1
    assert data["streak"]["days_studied"] == 1


def test_emails_listed_in_the_roadmap_count(fork: Path, tmp_path: Path) -> None:
    road = fork / "roadmap.yml"
    road.write_text(road.read_text(encoding="utf-8").replace(
        "  timezone: Asia/Shanghai", "  timezone: Asia/Shanghai\n  emails: [ada@example.com]",
        1), encoding="utf-8")
    commit(fork, "2026-12-01T20:00:00+08:00", ("Ada", "ada@example.com"))
    commit(fork, "2026-12-01T21:00:00+08:00", ("Bo", "bo@example.com"))
    assert progress(fork, tmp_path, repository="ada-l/study")["commits"] == 1


def test_local_mode_without_a_repository_counts_the_checkouts_own_identity(
        fork: Path, tmp_path: Path) -> None:
    git(fork, "config", "user.email", "ada@laptop.example")
    commit(fork, "2026-12-01T20:00:00+08:00", ("Ada", "ada@laptop.example"))
    assert progress(fork, tmp_path, repository=None)["commits"] == 1
