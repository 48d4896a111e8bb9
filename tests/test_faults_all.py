"""Every command under random faults: after a faulty run, further runs converge to exactly the
state of a fault-free run: the same issues, bodies, ticks and comments, no duplicates.

200 fault schedules per command by default; TRACKER_FAULT_SCHEDULES=N runs more (or fewer).
A failing schedule names its command and seed, and `replay(command, seed)` reruns it alone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_dashboard import set_clock

from tracker import keys
from tracker.daily import open_daily_plan
from tracker.dashboard import run_dashboard
from tracker.reconcile import reconcile
from tracker.retro import open_retro
from tracker.state import read_state
from tracker.store.base import StoreError, trusted_authors
from tracker.sync import sync
from tracker.tick import tick

from conftest import REPO
from fake_github import FakeGitHub
from sync_harness import Harness, github_store, snapshot
from test_daily import at, roadmap, roadmap_text

SCHEDULES = int(os.environ.get("TRACKER_FAULT_SCHEDULES", "200"))
RATE = 0.2
MAX_RUNS = 15  # a faulty run is followed by the next hourly one, until one gets through


def state_of(world: Harness) -> Any:
    return read_state(world.tracker.list_issues(), trusted_authors(world.tracker))


def tick_today(world: Harness, day: str, share: int = 2) -> None:
    """The learner ticks the first `share` of every three boxes of the day's plan."""
    plan = state_of(world).plans[dt.date.fromisoformat(day)]
    ticks = {box for n, box in enumerate(plan.boxes) if n % 3 < share}
    world.learner.update_issue(plan.number, body=keys.tick(plan.row.issue.body, ticks))


def day_of(world: Harness, day: str) -> None:
    set_clock(world, at(day, "08:00").astimezone(dt.UTC))
    open_daily_plan(roadmap(), world.tracker, at(day, "08:00"))
    tick_today(world, day)


# Each command: what comes before (fault-free), and the run that meets the faults.
def before_sync(world: Harness, root: Path) -> None:
    set_clock(world, at("2026-03-22", "09:00").astimezone(dt.UTC))


def act_sync(world: Harness, root: Path) -> None:
    sync(roadmap(), world.tracker)


def before_history(world: Harness, root: Path) -> None:
    before_sync(world, root)
    sync(roadmap(), world.tracker)
    for day in ("2026-03-23", "2026-03-24"):
        day_of(world, day)
    set_clock(world, at("2026-03-25", "08:00").astimezone(dt.UTC))


def act_daily(world: Harness, root: Path) -> None:
    open_daily_plan(roadmap(), world.tracker, at("2026-03-25", "08:00"))


def act_reconcile(world: Harness, root: Path) -> None:
    reconcile(roadmap(), world.tracker)


def before_week(world: Harness, root: Path) -> None:
    before_history(world, root)
    for day in ("2026-03-25", "2026-03-28"):
        day_of(world, day)
    set_clock(world, at("2026-03-29", "21:00").astimezone(dt.UTC))


def act_retro(world: Harness, root: Path) -> None:
    open_retro(roadmap(), world.tracker, at("2026-03-29", "21:00"))


def act_dashboard(world: Harness, root: Path) -> None:
    run_dashboard(roadmap(), world.tracker, root, at("2026-03-29", "21:00"), {})


def act_tick(world: Harness, root: Path) -> None:
    tick(roadmap(), world.tracker, at("2026-03-25", "08:00"), root=root,
         roadmap_path=roadmap_file(root), templates=REPO / "templates", commits={})


def roadmap_file(root: Path) -> Path:
    """The roadmap as a file, for tick's check of whether it changed since the last sync."""
    path = root.parent / "roadmap.yml"
    if not path.exists():
        path.write_text(roadmap_text(), encoding="utf-8")
    return path

COMMANDS: dict[str, tuple[Callable[[Harness, Path], None], Callable[[Harness, Path], None]]] = {
    "sync": (before_sync, act_sync),
    "daily": (before_history, act_daily),
    "reconcile": (before_history, act_reconcile),
    "retro": (before_week, act_retro),
    "dashboard": (before_week, act_dashboard),
    "tick": (before_history, act_tick),
}


class ShownWaits:
    """Prints each wait as the run's log shows it (pytest shows it with a failure, or -rP),
    and keeps what was said, for the test to check."""

    said: list[str] = []

    def waiting(self, text: str) -> None:
        print(f"⏳ {text}")
        self.said.append(text)

    def resumed(self, text: str) -> None:
        print(text)


# What, how long, and how much of the bounded total is left.
_SPAN = r"(\d+ min \d+ s|\d+ min|\d+ s)"
WAIT_LINE = re.compile(rf"GitHub .+ while trying to .+: waiting {_SPAN} before try \d+ "
                       rf"\({_SPAN} of the 4 min this run may spend waiting left\)")


def world_for(fake: FakeGitHub) -> Harness:
    return Harness("github", github_store(fake, max_wait=240, waits=ShownWaits()),
                   github_store(fake, "owner"), github_store(fake, "stranger"), fake)


def outcome(world: Harness, root: Path) -> dict[str, Any]:
    """Everything a fault could spoil: rows, bodies, ticks, comments, and dashboard files."""
    state = snapshot(world.tracker)
    comments = {}
    for issue in world.tracker.list_issues():
        if issue.comments:
            comments[issue.number] = [c.body for c in world.tracker.list_comments(issue.number)]
    files: dict[str, Any] = {str(p.relative_to(root)): p.read_text("utf-8")
                             for p in sorted(root.rglob("*")) if p.is_file()}
    if "dashboard/state.json" in files:
        files["dashboard/state.json"] = ledger_knowledge(files["dashboard/state.json"])
    return {**state, "comments": comments, "files": files}


def ledger_knowledge(text: str) -> Any:
    """What a saved ledger knows of the issues (its records and the dashboard's facts), not
    its bookkeeping of listings: where the next listing starts, the listings' tags and the
    labels and milestones last listed depend on which requests a fault made the run repeat."""
    data = json.loads(text)
    for name in ("since", "listed", "read_all", "labels", "milestones"):
        data.pop(name, None)
    return data


def run(command: str, seed: int | None, root: Path) -> dict[str, Any]:
    """The command's scenario, with faults at RATE from `seed` (None: no faults)."""
    before, act = COMMANDS[command]
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    with FakeGitHub() as fake:
        world = world_for(fake)
        before(world, root)
        if seed is None:
            act(world, root)
            act(world, root)  # the same settling runs as below, so the state files match
            act(world, root)
        else:
            for attempt in range(MAX_RUNS):
                fake.random_faults(rate=RATE, seed=seed * 1000 + attempt)
                try:
                    act(world, root)
                    break
                except StoreError:
                    pass
                finally:
                    fake.clear_faults()
            else:
                raise AssertionError(f"{command} seed {seed}: no run got through")
            act(world, root)  # one more, fault-free: it must change nothing
            fake.reset_counts()
            act(world, root)
            assert not fake.writes, f"{command} seed {seed}: a settled run still writes"
        return outcome(world, root)


def replay(command: str, seed: int, tmp: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Rerun one schedule: (with faults, fault-free)."""
    return run(command, seed, tmp / "faulty"), run(command, None, tmp / "clean")


@pytest.mark.slow
@pytest.mark.parametrize("command", list(COMMANDS))
def test_command_converges_under_random_faults(command: str, tmp_path: Path) -> None:
    expected = run(command, None, tmp_path / "clean")
    ShownWaits.said.clear()
    failed = []
    for seed in range(SCHEDULES):
        got = run(command, seed, tmp_path / "faulty")
        if got != expected:
            failed.append(seed)
    assert not failed, (f"{command}: state differs from a fault-free run for seeds {failed}; "
                        f"replay one with replay({command!r}, seed, tmp_path)")
    # The long waits (rate limits) were said, each with what, how long and what is left.
    assert ShownWaits.said, f"{command}: no wait was said in {SCHEDULES} schedules"
    assert [t for t in ShownWaits.said if not WAIT_LINE.fullmatch(t)] == []


@pytest.mark.parametrize("backend", ["local", "github"])
def test_two_ticks_at_once_then_one_more_equal_a_single_run(backend: str,
                                                            tmp_path: Path) -> None:
    def scenario(root: Path, concurrent: bool) -> dict[str, Any]:
        root.mkdir(parents=True)
        if backend == "local":
            from sync_harness import harness

            with harness("local", root / "store") as world:
                return _two_ticks(world, root, concurrent)
        with FakeGitHub() as fake:
            return _two_ticks(world_for(fake), root, concurrent)

    two, one = scenario(tmp_path / "two", True), scenario(tmp_path / "one", False)
    # Two runs at once on GitHub can make a second copy of a row (nothing there locks);
    # the next run folds it into the first and closes it without its key. That closed,
    # keyless issue is all that may differ.
    leftovers = {name: row for name, row in two["issues"].items() if name not in one["issues"]}
    assert all(name.startswith("unkeyed:") and row["state"] == "closed"
               for name, row in leftovers.items()), leftovers
    two["issues"] = {name: row for name, row in two["issues"].items() if name in one["issues"]}
    # Both runs may score yesterday's plan before either sees the other's comment; nothing on
    # GitHub can lock that (in Actions the workflow's concurrency group keeps runs apart), so a
    # score comment may stand twice, word for word, and nothing else may differ.
    for number, bodies in two["comments"].items():
        assert set(bodies) == set(one["comments"].get(number, [])), number
        assert all("study-tracker:comment" in b for b in bodies if bodies.count(b) > 1)
    two["comments"] = one["comments"]
    # The ledger keeps a record of each issue as last read, the leftover one included;
    # the files the job keeps name their store, and two local stores are two stores.
    for state in (two, one):
        known = state["files"].get("dashboard/state.json", {})
        known.pop("issues", None)
        known.pop("store", None)
        for name, text in state["files"].items():
            if isinstance(text, str):
                state["files"][name] = re.sub(r'"store": "local:\w+"', '"store": "local"', text)
    assert two == one


def _two_ticks(world: Harness, root: Path, concurrent: bool) -> dict[str, Any]:
    before_history(world, root / "repo")
    (root / "repo").mkdir(exist_ok=True)
    if concurrent:
        errors: list[BaseException] = []

        def one() -> None:
            try:
                if world.backend == "local":
                    from tracker.store.local import LocalStore

                    store = LocalStore(world.tracker.path, owner="learner",  # type: ignore
                                       clock=world.tracker.clock)  # type: ignore
                    with store.lock():
                        tick(roadmap(), store, at("2026-03-25", "08:00"), root=root / "repo",
                             roadmap_path=roadmap_file(root / "repo"),
                             templates=REPO / "templates", commits={})
                else:
                    act_tick(world, root / "repo")
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=one) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not [e for e in errors if not isinstance(e, StoreError)], errors
    act_tick(world, root / "repo")
    return outcome(world, root / "repo")
