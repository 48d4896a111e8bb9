"""Sync under faults and at once: repeated runs converge, with no duplicates and no lost tick."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from test_sync import BASE, edited

from tracker.roadmap import parse_roadmap
from tracker.store.base import StoreError
from tracker.store.local import LocalStore
from tracker.sync import sync

from fake_github import FakeGitHub
from sync_harness import Harness, github_store, harness, snapshot

SCHEDULES = int(os.environ.get("TRACKER_FAULT_SCHEDULES", "200"))
EDIT = ("text: Second step", "text: Second step (reworded)")
# Reworded, renamed, and topic B removed (closed with a comment).
FINAL = BASE.replace(*EDIT).replace("title: Topic C", "title: Topic C2").replace(
    """      - id: b
        title: Topic B
        track: practice
        depends_on: [a]
        steps: [{id: b1, text: Only step}]
""", "")


def story(world: Harness, run: object) -> None:
    """First sync, a tick, a note, a roadmap edit, then a rename and a removed topic."""
    run(parse_roadmap(BASE))
    world.tick("topic", "a", "a1")
    a = world.issue("topic", "a")
    world.learner.update_issue(a.number, body=a.body + "\n\nnote")
    run(edited(*EDIT))
    run(parse_roadmap(FINAL))


def reference(tmp_path: Path) -> dict:
    with harness("github", tmp_path) as world:
        story(world, lambda roadmap: sync(roadmap, world.tracker))
        return snapshot(world.tracker)


@pytest.mark.slow
def test_repeated_syncs_converge_under_random_faults(tmp_path: Path) -> None:
    expected = reference(tmp_path / "reference")
    failures = []
    for seed in range(SCHEDULES):
        with FakeGitHub() as fake:
            world = Harness("github", github_store(fake, max_wait=300), github_store(fake, "owner"),
                            github_store(fake, "stranger"), fake)

            def faulty(roadmap, fake=fake, world=world, seed=seed):
                # The tracker's runs meet faults; a failed run is followed by another, as the
                # next scheduled run would be.
                for attempt in range(12):
                    fake.random_faults(rate=0.2, seed=seed * 100 + attempt)
                    try:
                        sync(roadmap, world.tracker)
                        fake.clear_faults()
                        return
                    except StoreError:
                        fake.clear_faults()
                raise AssertionError(f"seed {seed}: no run got through in 12 tries")

            story(world, faulty)
            fake.clear_faults()
            state = snapshot(world.tracker)  # asserts no duplicate row
            if state != expected:
                failures.append(seed)
            a = world.issue("topic", "a")
            assert "- [x] First step <!-- step:a1 -->" in a.body, f"seed {seed}: tick lost"
            assert a.body.endswith("\n\nnote"), f"seed {seed}: note lost"
            assert sync(parse_roadmap(FINAL), world.tracker).changes == [], \
                f"seed {seed}: not converged"
            b = world.issue("topic", "b")
            assert len(world.tracker.list_comments(b.number)) == 1, f"seed {seed}: comments"
    assert not failures, f"states differ from a fault-free run for seeds {failures}"


def test_two_syncs_at_once_on_the_local_store_leave_no_duplicates(tmp_path: Path) -> None:
    roadmap = parse_roadmap(BASE)
    db = tmp_path / "tracker.db"
    errors: list[BaseException] = []

    def run() -> None:
        store = LocalStore(db, owner="learner")
        try:
            with store.lock():
                sync(roadmap, store)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            store.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    store = LocalStore(db, owner="learner")
    state = snapshot(store)  # raises on a duplicate row
    assert len([k for k in state["issues"] if k.startswith("topic:")]) == 3
    assert len(state["milestones"]) == 2
    assert sync(roadmap, store).changes == []


@pytest.mark.parametrize("backend", ["local", "github"])
def test_a_run_killed_half_way_is_finished_by_the_next(backend: str, tmp_path: Path) -> None:
    from tracker.sync import Pacer

    with harness(backend, tmp_path) as world:
        sync(parse_roadmap(BASE), world.tracker, pacer=Pacer(cap=5))
        sync(parse_roadmap(BASE), world.tracker)
        with harness(backend, tmp_path / "clean") as clean:
            sync(parse_roadmap(BASE), clean.tracker)
            got, want = snapshot(world.tracker), snapshot(clean.tracker)
        assert got["issues"].keys() == want["issues"].keys()
        assert got["milestones"] == want["milestones"]
