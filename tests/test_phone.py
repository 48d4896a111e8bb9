"""The plan reaches the phone: the plan and the retro are assigned to the learner in the request
that opens them; today's plan is pinned and the tracker's earlier plans unpinned, within
GitHub's three pins, never touching someone else's pin; every refusal is one line, never a
failed run. The store interface is tested on both stores, the morning on the fake's requests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tracker import keys
from tracker.phone import PinChanges, pin_changes, pin_todays_plan
from tracker.store.base import ACTIONS_BOT, Pin
from tracker.tick import tick

from conftest import REPO, shipped_roadmap
from sync_harness import Harness, harness

PLAN_BODY = keys.compose(keys.Key("daily", "2026-12-01"), "- [ ] a <!-- item:t:x:a -->\n")
NOTES = "My notes, pinned by me."


def pin(number: int, by: str = ACTIONS_BOT, body: str = PLAN_BODY) -> Pin:
    return Pin(number, f"I_{number}", by, body)


# -- the rule -------------------------------------------------------------------------------------

def test_today_is_pinned_and_the_trackers_earlier_plans_unpinned() -> None:
    assert pin_changes([], 9) == PinChanges(pin=True)
    yesterday = pin(8, by="github-actions")  # as GraphQL names the bot
    assert pin_changes([yesterday], 9) == PinChanges(unpin=(yesterday,), pin=True)
    # Several days missed: every earlier plan the tracker pinned goes.
    older = (pin(5), pin(8))
    assert pin_changes(list(older), 9) == PinChanges(unpin=older, pin=True)


def test_pins_by_anyone_else_are_never_touched() -> None:
    mine = [pin(1, by="learner", body=NOTES), pin(2, by="learner", body=NOTES)]
    # The learner pinned yesterday's plan herself: it stays, and still leaves no room.
    hers = pin(8, by="learner")
    assert pin_changes([*mine, hers], 9) == PinChanges(no_room=True)
    # An issue that is not a plan, even one the bot pinned, stays.
    other = pin(3, body=NOTES)
    assert pin_changes([*mine, other], 9) == PinChanges(no_room=True)
    # Two of hers and yesterday's plan: the plan makes room for today's.
    yesterday = pin(8)
    assert pin_changes([*mine, yesterday], 9) == PinChanges(unpin=(yesterday,), pin=True)


def test_today_pinned_already_asks_only_to_clear_earlier_plans() -> None:
    assert pin_changes([pin(9)], 9) == PinChanges()
    assert pin_changes([pin(8), pin(9)], 9) == PinChanges(unpin=(pin(8),))


# -- the store interface, on both stores ---------------------------------------------------------

@pytest.fixture(params=["local", "github"])
def world(request: pytest.FixtureRequest, tmp_path: Path):
    with harness(request.param, tmp_path) as h:
        yield h


def pin_by_hand(world: Harness, number: int) -> None:
    if world.fake is not None:
        world.fake.pin(number, "owner")
    else:
        world.learner.pin_by_hand(number)  # type: ignore[attr-defined]


def test_an_issue_is_opened_with_its_assignee(world: Harness) -> None:
    issue = world.tracker.create_issue("Plan", PLAN_BODY, ["daily-plan"], None,
                                       assignees=["learner"])
    assert issue.assignees == ("learner",)
    assert world.learner.list_issues()[-1].assignees == ("learner",)


def test_an_assignee_github_refuses_leaves_the_issue_made_unassigned(world: Harness) -> None:
    world.reset_counts()
    issue = world.tracker.create_issue("Plan", PLAN_BODY, ["daily-plan"], None,
                                       assignees=["passer-by"])
    assert issue.assignees == ()
    assert [i.title for i in world.learner.list_issues()] == ["Plan"]  # made once
    if world.fake is not None:  # refused with 422, then made without the assignee
        assert [r.status for r in world.fake.writes] == [422, 201]


def test_pins_list_change_and_stop_at_three(world: Harness) -> None:
    numbers = [world.tracker.create_issue(f"Plan {n}", PLAN_BODY, [], None).number
               for n in range(5)]
    issues = {i.number: i for i in world.tracker.list_issues()}
    assert world.tracker.list_pins() == []
    assert world.tracker.update_pins([], issues[numbers[0]]) == []
    pinned = world.tracker.list_pins()
    assert [(p.number, p.pinned_by.removesuffix("[bot]")) for p in pinned] == [
        (numbers[0], "github-actions")]
    assert pinned[0].body == PLAN_BODY
    pin_by_hand(world, numbers[1])
    pin_by_hand(world, numbers[2])
    refused = world.tracker.update_pins([], issues[numbers[3]])
    assert len(refused) == 1 and refused[0].startswith(f"#{numbers[3]} was not pinned")
    # Unpinning and pinning in one request: room is made first.
    assert world.tracker.update_pins(pinned, issues[numbers[3]]) == []
    assert sorted(p.number for p in world.tracker.list_pins()) == sorted(numbers[1:4])


def test_a_stranger_cannot_pin(tmp_path: Path) -> None:
    with harness("github", tmp_path) as world:
        plan = world.tracker.create_issue("Plan", PLAN_BODY, [], None)
        refused = world.stranger.update_pins([], plan)
        assert refused == [f"#{plan.number} was not pinned: passer-by does not have the "
                           f"correct permissions to execute `PinIssue` (FORBIDDEN)"]
        assert world.tracker.list_pins() == []


# -- the morning, on the fake ---------------------------------------------------------------------

def morning(world: Harness, root: Path, day: str) -> list[str]:
    """The scheduled job at 08:17 local on `day`, as Actions runs it."""
    plan = shipped_roadmap()
    now = dt.datetime.fromisoformat(f"{day}T08:17+08:00")
    if world.fake is not None:
        world.fake.set_time(now)
    else:
        world.tracker.clock.now = now  # type: ignore[attr-defined]
    return tick(plan, world.tracker, now, root=root, roadmap_path=REPO / "roadmap.yml",
                templates=REPO / "templates", commits={}).lines


def graphql(world: Harness) -> list[str]:
    assert world.fake is not None
    return [r.path for r in world.fake.requests if r.path == "/graphql"]


def test_each_morning_pins_todays_plan_in_two_requests_at_most(tmp_path: Path) -> None:
    with harness("github", tmp_path / "store") as world:
        root = tmp_path / "repo"
        morning(world, root, "2026-11-30")
        first = world.fake.pinned[0].number  # type: ignore[union-attr]
        assert world.fake.issues[first].assignees[0].login == "learner"  # type: ignore
        world.fake.reset_counts()  # type: ignore[union-attr]
        lines = morning(world, root, "2026-12-01")
        assert len(graphql(world)) == 2  # which pins there are; unpin and pin in one
        assert not [r for r in world.fake.requests  # type: ignore[union-attr]
                    if r.path.endswith("/assignees")]  # assigned in the create itself
        [today] = world.fake.pinned  # type: ignore[misc]
        assert today.number != first and today.by.login == "github-actions[bot]"
        assert f"phone: Unpinned the earlier plan #{first}." in lines
        assert f"phone: Pinned today's plan #{today.number}." in lines
        # Later the same day nothing is due: no pinning request at all.
        world.fake.reset_counts()  # type: ignore[union-attr]
        now = dt.datetime.fromisoformat("2026-12-01T13:17+08:00")
        world.fake.set_time(now)  # type: ignore[union-attr]
        tick(shipped_roadmap(), world.tracker, now, root=root,
             roadmap_path=REPO / "roadmap.yml", templates=REPO / "templates", commits={})
        assert graphql(world) == []


def test_three_pins_of_the_learners_leave_the_plan_unpinned_and_the_run_green(
        tmp_path: Path) -> None:
    with harness("github", tmp_path / "store") as world:
        root = tmp_path / "repo"
        morning(world, root, "2026-11-30")
        for n in range(3):
            notes = world.learner.create_issue(f"Notes {n}", NOTES, [], None)
            if n == 0:
                world.fake.pinned.clear()  # type: ignore[union-attr]
            world.fake.pin(notes.number, "owner")  # type: ignore[union-attr]
        world.fake.reset_counts()  # type: ignore[union-attr]
        lines = morning(world, root, "2026-12-01")
        assert len(graphql(world)) == 1  # asked which pins there are; nothing to change
        [line] = [line for line in lines if "not pinned" in line]
        assert "3 issues are pinned already" in line and "Unpin one" in line
        assert {p.by.login for p in world.fake.pinned} == {"learner"}  # type: ignore


def test_github_failing_to_pin_is_one_line_not_a_failed_run(tmp_path: Path) -> None:
    with harness("github", tmp_path / "store") as world:
        world.tracker.max_wait = 5  # type: ignore[attr-defined]
        world.fake.inject("5xx", None, path="/graphql")  # type: ignore[union-attr]
        lines = morning(world, tmp_path / "repo", "2026-11-30")
        plans = [line for line in lines if line.startswith("Opened ")]
        assert len(plans) == 1
        [line] = [line for line in lines if "not pinned" in line]
        assert line.startswith("phone: Today's plan #") and "GitHub kept failing" in line


def test_an_owner_who_cannot_be_assigned_is_told_in_one_line(tmp_path: Path) -> None:
    with harness("github", tmp_path / "store") as world:
        world.tracker.owner = "study-group"  # an organisation: GitHub refuses it, 422
        lines = morning(world, tmp_path / "repo", "2026-11-30")
        assert any(line.startswith("Opened ") for line in lines)
        [line] = [line for line in lines if "not assigned" in line]
        assert "study-group" in line and "watch the repository" in line


def test_the_local_store_pins_too(tmp_path: Path) -> None:
    with harness("local", tmp_path / "store") as world:
        root = tmp_path / "repo"
        morning(world, root, "2026-11-30")
        morning(world, root, "2026-12-01")
        [today] = world.tracker.list_pins()
        assert "2026-12-01" in today.body
        state = pin_todays_plan(world.tracker, world.tracker.get_issue(today.number))
        assert state == []  # pinned already: nothing to do, nothing to say
