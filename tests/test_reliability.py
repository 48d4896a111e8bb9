"""What real learners do to their repository, on both stores: caches from another store, keys
pasted into notes, milestones deleted by hand, topics filled to GitHub's body limit.

Each scenario is followed by more runs, which must keep the learner's text and converge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tracker.caches import describes
from tracker.cli import connect
from tracker.roadmap import parse_roadmap
from tracker.state import TOPIC_STEP, item_kind
from tracker.store.github import GitHubStore
from tracker.store.local import LocalStore
from tracker.tick import tick

from conftest import REPO
from sync_harness import Harness, harness
from test_daily import at
from test_hostile import (
    DAY1,
    DAY2,
    TEXT,
    assert_converges,
    copies,
    set_clock,
    state,
)

TOPICS = ("peft", "rl", "rag", "serve")


@pytest.fixture(params=["local", "github"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def world(backend: str, tmp_path: Path) -> Iterator[Harness]:
    with harness(backend, tmp_path / "store") as h:
        yield h


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "README.md").write_text("# My study log\n", encoding="utf-8")
    return folder


def scheduled(world: Harness, root: Path, day: str, time: str, text: str = TEXT) -> list[str]:
    """The hourly job alone, as the workflow runs it."""
    moment = at(day, time)
    set_clock(world, moment)
    (root / "roadmap.yml").write_text(text, encoding="utf-8")
    return tick(parse_roadmap(text), world.tracker, moment, root=root,
                roadmap_path=root / "roadmap.yml", templates=REPO / "templates",
                commits={}).lines


# -- caches tied to their store ------------------------------------------------------------------
@contextmanager
def started_over(backend: str, tmp_path: Path, root: Path) -> Iterator[Harness]:
    """A checkout synced and ticked against one store, then pointed at a fresh one: local mode
    after `rm -rf .tracker`, GitHub after forking another learner's repository."""
    with harness(backend, tmp_path / "store") as first:
        scheduled(first, root, DAY1, "08:00")
        assert len(state(first).topics) == len(TOPICS)
    assert (root / "dashboard" / "synced.json").exists()
    if backend == "local":
        for path in (tmp_path / "store").iterdir():
            path.unlink()  # rm -rf .tracker
        with harness(backend, tmp_path / "store") as world:
            yield world
    else:
        with harness(backend, tmp_path / "fork", owner="newcomer") as world:
            yield world


def test_a_checkout_whose_store_started_over_syncs_and_plans_again(
        backend: str, tmp_path: Path, root: Path) -> None:
    with started_over(backend, tmp_path, root) as world:
        lines = scheduled(world, root, DAY2, "08:00")
        assert {i for i in TOPICS if len(copies(world, "topic", i)) == 1} == set(TOPICS), lines
        plan = state(world).plans[dt.date.fromisoformat(DAY2)]
        assert any(item_kind(box) == TOPIC_STEP for box in plan.boxes), plan.row.issue.body
        assert "0.0h" not in plan.row.issue.body
        assert_converges(world, root, DAY2, "09:00")


def test_the_first_hour_after_starting_over_is_not_taken_for_a_quiet_one(
        backend: str, tmp_path: Path, root: Path) -> None:
    with started_over(backend, tmp_path, root) as world:
        lines = scheduled(world, root, DAY1, "09:00")
        assert not any(line.startswith("Nothing edited since") for line in lines), lines
        assert len(state(world).topics) == len(TOPICS)
        assert len(copies(world, "daily", DAY1)) == 1
        assert_converges(world, root, DAY1, "10:00")


def test_a_store_is_named_by_its_repository_and_its_id_or_by_its_database(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def named(repository: str, api: str = "https://api.github.com", **more: str) -> str:
        return GitHubStore("token", repository, api, **more).identity

    assert named("Learner/Study") == named("learner/study") == "github:api.github.com/learner/study"
    assert named("learner/study", repository_id="42") == "github:api.github.com/learner/study#42"
    assert named("learner/study", "https://ghe.example.com/api/v3") != named("learner/study")
    assert named("newcomer/study") != named("learner/study")
    first = LocalStore(tmp_path / "a" / "tracker.db")
    assert LocalStore(tmp_path / "a" / "tracker.db").identity == first.identity
    assert LocalStore(tmp_path / "b" / "tracker.db").identity != first.identity
    assert describes(first.identity, first) and not describes(None, first)
    # Actions gives the repository's id for its own repository only.
    monkeypatch.setenv("GITHUB_TOKEN", "token")
    monkeypatch.setenv("GITHUB_REPOSITORY", "learner/study")
    monkeypatch.setenv("GITHUB_REPOSITORY_ID", "42")
    assert connect("github", tmp_path / "db", "learner/study", None).identity.endswith("#42")
    assert "#" not in connect("github", tmp_path / "db", "learner/other", None).identity
