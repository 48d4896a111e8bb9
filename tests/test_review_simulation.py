"""120 days of spaced review, on both stores, with a learner who recalls each card with a fixed
probability of its own.

Every morning the scheduled job runs (`tick`: reconcile, the daily plan, the retro, the
dashboard with its memory file); every evening the learner ticks the plan on the phone: the
problems solved, the question answered, each review recalled (sometimes with effort, the
small box) or forgotten (left unticked), now and then a day off with nothing ticked. Checked
every day and at the end:

- no day's reviews exceed the budget, and no card is in a plan twice;
- the plan made with the dashboard's memory file is the plan made without it;
- the memory the file keeps is the memory replayed from the store;
- the review log read back from the store is exactly what the learner did: no card lost,
  none duplicated, every tick read as the rating it meant;
- intervals grow after a card is recalled and shrink after it is forgotten;
- both stores end with the same memory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import random
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_dashboard import set_clock

from tracker import keys
from tracker.daily import plan_context, render_plan
from tracker.memory import (
    AGAIN,
    GOOD,
    HARD_RECALL,
    SOLVED,
    SOLVED_HARD,
    Event,
    log_from_plans,
    replay,
)
from tracker.memory_cache import CACHE, Cached
from tracker.model import KnowledgeCard
from tracker.reconcile import reconcile
from tracker.review_figures import memory_of_plans
from tracker.reviews import MINUTES
from tracker.roadmap import parse_roadmap
from tracker.rows import issue_block
from tracker.state import HARD, PROBLEM, QUESTION, REDO, REVIEW, REVIEW_HARD, StudyState, read_state
from tracker.store.base import Issue, trusted_authors
from tracker.sync import sync
from tracker.tick import tick

from conftest import REPO
from sync_harness import Harness, harness

DAYS = 120
FIRST = dt.date(2026, 3, 2)  # a Monday
TZ = "Asia/Shanghai"
BUDGET = 25  # minutes of review a day
ROADMAP = f"""\
version: 1
learner: {{name: Sim, timezone: {TZ}, locale: en}}
schedule: {{start: {FIRST.isoformat()}, hours: 3, rest_days: [wed]}}
tracks:
  - {{id: theory, name: Theory}}
  - {{id: algo, name: Algorithms, kind: problems, per_day: 1, minutes_per_item: 40}}
review: {{minutes: {BUDGET}, retention: 0.9}}
problems:
{chr(10).join(f"  - {{id: lc-{n}, title: Problem {n}, tags: [t{n % 5}]}}" for n in range(1, 61))}
interview_questions:
{chr(10).join(f"  - {{id: q{n}, question: 'Question {n}?', hint: Point {n}.}}"
              for n in range(1, 16))}
stages:
  - id: all
    title: Everything
    days: {DAYS + 10}
    topics:
{chr(10).join(f"      - {{id: t{n}, title: Topic {n}, estimate: 2h, steps: [Read, Write]}}"
              for n in range(1, 31))}
"""
CARDS = tuple(KnowledgeCard(f"note-{n}", f"Note question {n}?", f"Answer {n}.", "cards/sim.md",
                            n + 1) for n in range(24))


def recall_chance(card: str) -> float:
    """The learner's fixed chance of recalling a card, the same on every run and store."""
    digest = hashlib.sha256(card.encode()).digest()
    return 0.55 + 0.43 * digest[0] / 255


class Learner:
    """Ticks the evening's plan and remembers what each tick meant, as the review log."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.log: dict[dt.date, list[Event]] = {}

    def ticks(self, day: dt.date, boxes: dict[str, bool]) -> set[str]:
        rng = self.rng
        if rng.random() < 0.05:
            return set()  # a day off: nothing ticked, nothing reviewed
        chosen, reviews, learnt = set(), [], []
        for ident in boxes:
            kind, _, rest = ident.partition(":")
            if kind == REVIEW:
                recalled = rng.random() < recall_chance(rest)
                hard = recalled and rng.random() < 0.25
                if recalled and not (hard and rng.random() < 0.5):
                    chosen.add(ident)  # the big box; with effort, sometimes the small one only
                if hard:
                    chosen.add(f"{REVIEW_HARD}:{rest}")
                reviews.append(Event(rest, HARD_RECALL if hard else GOOD if recalled
                                     else AGAIN))
            elif kind == REDO and rng.random() < 0.8:
                chosen.add(ident)
                reviews.append(Event(f"p:{rest}", GOOD))
            elif kind == PROBLEM and rng.random() < 0.9:
                chosen.add(ident)
                flagged = rng.random() < 0.15
                if flagged:
                    chosen.add(f"{HARD}:{rest}")
                learnt.append(Event(f"p:{rest}", SOLVED_HARD if flagged else SOLVED))
            elif kind == QUESTION and rng.random() < 0.8:
                chosen.add(ident)
                learnt.append(Event(f"q:{rest}", SOLVED))
            elif kind in ("t", "o") and rng.random() < 0.7:
                chosen.add(ident)
        if chosen:
            self.log[day] = [*reviews, *learnt]
        return chosen


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 5), tzinfo=ZoneInfo(TZ))


def checkout(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "repo"
    root.mkdir(parents=True)
    roadmap_path = root / "roadmap.yml"
    roadmap_path.write_text(ROADMAP, encoding="utf-8")
    shutil.copy(REPO / "roadmap.schema.json", root / "roadmap.schema.json")
    (root / "README.md").write_text("# Sim\n", encoding="utf-8")
    return root, roadmap_path


def review_minutes(block: str) -> tuple[int, list[str]]:
    cards = [i.split(":", 1)[1] for i in keys.boxes(block) if i.startswith(REVIEW + ":")]
    return sum(MINUTES[c.split(":", 1)[0]] for c in cards), cards


def requests_only_for_the_plan(world: Harness, state: StudyState, opened: list[Issue]) -> None:
    """The morning's requests are the plan's own: the listings, today's plan (and retro)
    created and pinned, yesterday's scored and closed (last week's retro closed): reviews add
    none."""
    assert world.fake is not None
    closing = {p.number for p in state.plans.values() if p.open} | {
        r.number for r in state.retros.values() if r.open}
    for request in world.fake.requests:
        if not request.is_write:
            assert request.path.endswith("/issues"), request.path  # listings only
        elif request.method == "POST" and request.path.endswith("/issues"):
            continue  # today's plan, or the retro
        elif request.path.endswith("/graphql"):
            continue  # today's plan pinned, yesterday's unpinned
        else:
            number = int(request.path.split("/issues/")[1].split("/")[0])
            assert number in closing, request.path
    assert sum(1 for r in world.fake.writes if r.method == "POST"
               and r.path.endswith("/issues")) == len(opened)
    world.reset_counts()


def live(world: Harness, tmp_path: Path) -> tuple[dict, Learner]:
    """The 120 days; returns the final memory and the learner's own record."""
    plan = dataclasses.replace(parse_roadmap(ROADMAP), cards=CARDS)
    root, roadmap_path = checkout(tmp_path)
    learner = Learner(seed=12)
    trusted = trusted_authors(world.tracker)
    set_clock(world, at(FIRST, 6).astimezone(dt.UTC))
    sync(plan, world.tracker)
    for n in range(DAYS):
        day = FIRST + dt.timedelta(days=n)
        morning = at(day, 8)
        set_clock(world, morning.astimezone(dt.UTC))
        if n % 9 == 4:
            (root / CACHE).unlink(missing_ok=True)  # lost: the next run rebuilds it
        reconcile(plan, world.tracker)
        state = read_state(world.tracker.list_issues(), trusted)
        expected = render_plan(plan, plan_context(plan, state, day, {}, cached=None))
        world.reset_counts()
        opened = tick(plan, world.tracker, morning, root=root, roadmap_path=roadmap_path,
                      templates=REPO / "templates", commits={}).opened
        if world.fake is not None and n > 0:  # the first run also syncs the roadmap
            requests_only_for_the_plan(world, state, opened)
        plans = [i for i in opened if (b := issue_block(i)) is not None
                 and b.key.kind == "daily"]
        if day.weekday() == 2:  # the rest day: no plan, no review
            assert not plans
            continue
        [today] = plans
        block = issue_block(today).block  # type: ignore[union-attr]
        assert block == expected.strip("\n"), f"{day}: the memory file changed the plan"
        minutes, cards = review_minutes(block)
        assert minutes <= BUDGET, f"{day}: {minutes} min of review"
        assert len(cards) == len(set(cards)), f"{day}: a card twice"
        after = read_state(world.tracker.list_issues(), trusted)
        kept = Cached.from_json((root / CACHE).read_text(encoding="utf-8"))
        assert kept is not None and kept.through == day - dt.timedelta(days=1)
        assert kept.memories == memory_of_plans(plan, after.plans.values(), day)
        evening = at(day, 21)
        set_clock(world, evening.astimezone(dt.UTC))
        mine = after.plans[day]
        chosen = learner.ticks(day, mine.boxes)
        if chosen:
            world.learner.update_issue(mine.number, body=keys.tick(mine.row.issue.body, chosen))
    final = read_state(world.tracker.list_issues(), trusted)
    log = log_from_plans(final.plans.values())
    assert log == {d: tuple(e) for d, e in learner.log.items()}  # every tick, read as meant
    return replay(log, FIRST + dt.timedelta(days=DAYS), plan.review.retention), learner


def check_intervals(learner: Learner) -> tuple[int, int]:
    """Each rating's effect on the card's interval: recalled never shortens it, forgotten
    always does (down to a day). Returns how many of each were seen."""
    log = {d: tuple(e) for d, e in learner.log.items()}
    recalled = forgot = 0
    for day in sorted(log):
        before = replay(log, day, 0.9)
        after = replay(log, day + dt.timedelta(days=1), 0.9)
        for event in log[day]:
            old = before.get(event.card)
            if old is None or not old.reviews or old.last_review == day:
                continue  # a first review: no interval of FSRS's yet
            new = after[event.card]
            if event.mark == AGAIN:
                assert new.interval < old.interval or new.interval == 1, (event, old, new)
                forgot += 1
            else:
                assert new.interval >= old.interval, (day, event, old, new)
                recalled += 1
    return recalled, forgot


@pytest.mark.slow
def test_120_days_of_reviews_on_both_stores(tmp_path: Path) -> None:
    ended = []
    for backend in ("local", "github"):
        with harness(backend, tmp_path / backend / "store") as world:
            ended.append(live(world, tmp_path / backend))
    (memory, learner), (on_github, _) = ended
    assert memory == on_github  # the same learner on either store: the same memory
    recalled, forgot = check_intervals(learner)
    assert recalled > 300 and forgot > 100  # the claims were put to the test often
    assert all(f"k:{c.id}" in memory for c in CARDS)  # every card of the learner's came up
    assert sum(1 for m in memory.values() if m.phase == "mature") > 10
