"""Local mode keeps the checkout clean: its page goes to a folder of its own, unless asked."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli

from conftest import REPO


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "user.name=Ada",
                           "-c", "user.email=ada@example.com", "-C", str(repo), *args],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def checkout(tmp_path: Path, roadmap_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clone of the template as a newcomer has it: README, templates, roadmap, .gitignore."""
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    repo = tmp_path / "clone"
    repo.mkdir()
    git(repo, "init", "-q")
    for name in ("README.md", ".gitignore", "roadmap.schema.json"):
        (repo / name).write_bytes((REPO / name).read_bytes())
    (repo / "roadmap.yml").write_bytes(roadmap_copy.read_bytes())
    subprocess.run(["cp", "-r", str(REPO / "templates"), str(repo)], check=True)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "template")
    return repo


def tick(repo: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, [
        "tick", "--roadmap", str(repo / "roadmap.yml"), "--db",
        str(repo / ".tracker" / "tracker.db"), "--checkout", str(repo),
        "--now", "2026-12-01T08:00", *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_local_mode_writes_no_tracked_file(checkout: Path) -> None:
    tick(checkout)
    assert git(checkout, "status", "--porcelain") == ""
    page = checkout / ".tracker" / "page"
    assert (page / "README.md").exists() and (page / "progress.json").exists()
    assert (page / "dashboard" / "heatmap.svg").exists()


def test_an_out_folder_or_the_readme_when_asked(checkout: Path, tmp_path: Path) -> None:
    tick(checkout, "--out", str(tmp_path / "elsewhere"))
    assert (tmp_path / "elsewhere" / "progress.json").exists()
    assert git(checkout, "status", "--porcelain") == ""
    tick(checkout, "--readme")
    changed = git(checkout, "status", "--porcelain")
    assert " M README.md" in changed and "progress.json" in changed
