"""The plan reaches the phone: today's plan assigned to the learner and pinned.

A plan opened by the Actions bot notifies only those who watch the repository closely; an
assignee is always notified, and GitHub Mobile shows it at once. The daily plan and the retro
are therefore opened with the learner (the repository owner) as assignee, in the same request
that creates them. Today's plan is also pinned at the top of the repository's issues, and the
tracker's earlier plans unpinned, keeping within GitHub's three pins and never touching an
issue someone else pinned: two requests on the morning the plan opens, and none otherwise.

Each of these fails soft: a refusal is one line in the run's report, never a failed run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import keys
from .store.base import ACTIONS_BOT, MAX_PINS, Issue, Pin, Store, StoreError

# Who pins for the tracker: the Actions bot, as REST ("github-actions[bot]") and GraphQL
# ("github-actions") name it. A pin by anyone else is the learner's and stays.
TRACKER_PINNERS = frozenset({ACTIONS_BOT, ACTIONS_BOT.removesuffix("[bot]")})


@dataclass(frozen=True)
class PinChanges:
    """What to change among the pins so that today's plan, and only it, is pinned."""

    unpin: tuple[Pin, ...] = ()
    pin: bool = False
    no_room: bool = False  # three issues pinned, none of them the tracker's to unpin


def pin_changes(pinned: Sequence[Pin], today: int) -> PinChanges:
    """Unpin the tracker's earlier daily plans; pin today's if it is not pinned and there is
    room once those are gone. Issues pinned by anyone but the tracker are never unpinned."""
    ours = tuple(p for p in pinned if p.number != today and _is_daily_plan(p.body)
                 and p.pinned_by.lower() in TRACKER_PINNERS)
    if any(p.number == today for p in pinned):
        return PinChanges(unpin=ours)
    room = MAX_PINS - len(pinned) + len(ours) > 0
    return PinChanges(unpin=ours, pin=room, no_room=not room)


def _is_daily_plan(body: str) -> bool:
    found = keys.parse(body)
    return found is not None and found.key.kind == "daily"


def pin_todays_plan(store: Store, plan: Issue) -> list[str]:
    """Pin `plan` and unpin the tracker's earlier plans; the report's lines. Never raises for
    what GitHub refuses: the plan is open either way."""
    try:
        changes = pin_changes(store.list_pins(), plan.number)
        if changes.no_room:
            return [f"Today's plan #{plan.number} is not pinned: {MAX_PINS} issues are pinned "
                    f"already (the most GitHub allows), none of them a plan the tracker pinned. "
                    f"Unpin one to have each day's plan at the top."]
        refused = store.update_pins(changes.unpin, plan if changes.pin else None)
    except StoreError as error:
        # The store's own advice (e.g. "the next run will pick up") is for the run's work;
        # pinning is tried once a plan, so only the reason is said.
        reason = str(error).split("; ", 1)[0].rstrip(".")
        return [f"Today's plan #{plan.number} is not pinned: {reason}. Tomorrow's plan is "
                f"pinned as usual."]
    lines = [f"Not done: {line}." for line in refused]
    done = [p.number for p in changes.unpin if not any(f"#{p.number} " in r for r in refused)]
    if done:
        lines.append(f"Unpinned the earlier plan{'s' if len(done) > 1 else ''} "
                     f"{', '.join(f'#{n}' for n in done)}.")
    if changes.pin and not any(f"#{plan.number} " in r for r in refused):
        lines.append(f"Pinned today's plan #{plan.number}.")
    return lines


def assignment(issue: Issue, learner: str) -> list[str]:
    """One line when the learner could not be assigned (they will not be notified)."""
    if learner.lower() in (a.lower() for a in issue.assignees):
        return []
    return [f"#{issue.number} is not assigned to {learner}: GitHub refused the assignee "
            f"(only people with write access to the repository can be assigned), so the "
            f"phone is not notified; watch the repository to hear of new plans."]


def plan_reaches_phone(store: Store, plan: Issue) -> list[str]:
    """After today's plan is opened: say if the learner could not be assigned; pin it."""
    return assignment(plan, store.owner) + pin_todays_plan(store, plan)
