"""`tracker demo`: a learner's first weeks, played on a fresh local store, to look at.

It syncs the roadmap, then for each day runs the hourly job at a few hours while a simulated
learner ticks most of the day's plan on the phone, and writes what a learner would see: every
issue as a Markdown file and the README with its dashboard.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import keys
from .model import Roadmap
from .state import HARD, PROBLEM, REVIEW, REVIEW_HARD, item_kind, read_state
from .store.base import Issue, Store, trusted_authors
from .store.local import LocalStore
from .tick import tick

TICK_SHARE = 0.7  # how much of each day's plan the simulated learner ticks
SKIP_SHARE = 0.1  # days on which they do nothing at all
HARD_SHARE = 0.2  # problems and reviews they found hard going, flagged as they tick them
FLAGS = {PROBLEM: HARD, REVIEW: REVIEW_HARD}  # a box, and the small "hard" box under it
RUN_HOURS = (7, 8, 13, 21, 22)  # local hours at which the demo runs the job


@dataclass
class DemoReport:
    lines: list[str] = field(default_factory=list)
    folder: Path | None = None


def issue_markdown(store: Store, issue: Issue) -> str:
    """An issue as a learner reads it: title, state, labels, body, comments."""
    state = issue.state + (f" ({issue.state_reason})" if issue.state_reason else "")
    lines = [f"# #{issue.number} {issue.title}", "",
             f"*{state} · {', '.join(issue.labels) or 'no labels'} · opened "
             f"{issue.created_at:%Y-%m-%d %H:%M} UTC*", "", issue.body.rstrip(), ""]
    for comment in store.list_comments(issue.number) if issue.comments else []:
        lines += ["---", f"**{comment.author}** · {comment.created_at:%Y-%m-%d %H:%M} UTC", "",
                  comment.body.rstrip(), ""]
    return "\n".join(lines)


def play(roadmap: Roadmap, out: Path, days: int, *, roadmap_path: Path, templates: Path | None,
         readme: Path | None, seed: int = 1) -> DemoReport:
    """Play `days` days from the plan's start into `out` (replaced if it exists)."""
    report = DemoReport(folder=out)
    # The days of the plan, not an overdue tail after its last stage.
    length = max(1, (roadmap.last_day - roadmap.schedule.start).days + 1)
    whole = days >= length
    days = min(days, length)
    if out.exists():
        shutil.rmtree(out)
    (out / "issues").mkdir(parents=True)
    if readme is not None and readme.exists():
        shutil.copy(readme, out / "README.md")
    tz = roadmap.learner.tz
    first = roadmap.schedule.start
    moment = [dt.datetime.combine(first, dt.time(6, 0), tzinfo=tz).astimezone(dt.UTC)]
    store = LocalStore(out / ".tracker" / "tracker.db", owner="learner",
                       clock=lambda: moment[0])
    rng = random.Random(seed)
    opened = 0
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        studies = rng.random() >= SKIP_SHARE
        for hour in RUN_HOURS:
            moment[0] = dt.datetime.combine(day, dt.time(hour, 5), tzinfo=tz).astimezone(dt.UTC)
            result = tick(roadmap, store, moment[0], root=out, roadmap_path=roadmap_path,
                          templates=templates, commits={})
            opened += len(result.opened)
            if studies and hour in (13, 22):
                _learner_ticks(store, day, rng)
    issues = store.list_issues()
    for issue in issues:
        body = keys.parse(issue.body)
        name = f"{issue.number:04d}-{body.key.kind}-{body.key.id}.md" if body \
            else f"{issue.number:04d}.md"
        (out / "issues" / name).write_text(issue_markdown(store, issue), encoding="utf-8")
    store.close()
    report.lines += [
        f"Played {days} day(s) from {first} on a fresh local store"
        + (f": the whole plan, which ends on {roadmap.last_day}." if whole else "."),
        f"{len(issues)} issues ({opened} plans and retros opened along the way) are in "
        f"{out / 'issues'}; the dashboard is in {out / 'README.md'} and {out / 'dashboard'}.",
    ]
    return report


def _learner_ticks(store: LocalStore, day: dt.date, rng: random.Random) -> None:
    """The learner, on the phone, ticks part of what is left in today's plan."""
    state = read_state(store.list_issues(), trusted_authors(store))
    plan = state.plans.get(day)
    if plan is None or not plan.open:
        return
    left = [box for box, ticked in plan.boxes.items()
            if not ticked and item_kind(box) not in FLAGS.values()]
    chosen = {box for box in left if rng.random() < TICK_SHARE ** 0.5}
    # "Hard" is said once, as the box is ticked, and only of some.
    flags = [f"{FLAGS[item_kind(box)]}:{box.split(':', 1)[1]}" for box in sorted(chosen)
             if item_kind(box) in FLAGS]
    chosen |= {flag for flag in flags if flag in plan.boxes and rng.random() < HARD_SHARE}
    if chosen:
        store.update_issue(plan.number, body=keys.tick(plan.row.issue.body, chosen))
