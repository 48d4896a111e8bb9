#!/usr/bin/env python3
"""Benchmark of the tracker's commands against the stateful fake of GitHub.

For every command (sync, daily, reconcile, retro, dashboard, tick) in its steady state and in
the runs that do work, at roadmaps of 10, 100 and 1,000 topics and histories of 1 week, 1 year
(52 weeks) and 3 years (156 weeks) of daily plans, it prints one table: the HTTP requests made
against `tests/fake_github.py` beside the fewest the situation needs (defined per row in
bench/README.md), the wall time, the time spent inside the fake, the time of the pure parts
(planning, figures, rendering), and the peak memory. Its last rows time `import tracker.cli`
and a fresh non-editable `pip install` of the checkout.

    /work/venv/bin/python bench/run.py            # the whole grid, a few minutes on 2 cores
    /work/venv/bin/python bench/run.py --quick    # 10 and 100 topics, 1 week and 1 year

Histories are made directly in the fake (closed daily plans and retros with bodies rendered by
the tracker's own templates and keys, topics ticked and closed as `reconcile` would have left
them), not by simulating every hour. Each measurement runs in a forked child of the process that
holds the fake, so it starts from the same state, leaves none behind and its memory peak is its
own: one child for time (and RSS), another for `tracemalloc` (which slows what it watches).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
os.chdir(ROOT)  # the templates/ folder is found from the working directory

import tracker.daily  # noqa: E402
import tracker.dashboard  # noqa: E402
import tracker.labels  # noqa: E402
import tracker.ledger  # noqa: E402
import tracker.reconcile  # noqa: E402
import tracker.retro  # noqa: E402
import tracker.sync  # noqa: E402
from tracker import keys  # noqa: E402
from tracker.daily import open_daily_plan, render_plan, score_comment, stage_line  # noqa: E402
from tracker.dashboard import run_dashboard  # noqa: E402
from tracker.labels import KIND_LABELS  # noqa: E402
from tracker.model import Roadmap  # noqa: E402
from tracker.reading import with_reading  # noqa: E402
from tracker.reconcile import reconcile  # noqa: E402
from tracker.render import environment  # noqa: E402
from tracker.retro import open_retro, week_id  # noqa: E402
from tracker.roadmap import parse_roadmap  # noqa: E402
from tracker.state import read_state  # noqa: E402
from tracker.store.base import trusted_authors  # noqa: E402
from tracker.sync import CREATES_PER_RUN, sync  # noqa: E402
from tracker.tick import SYNCED, fingerprint, tick  # noqa: E402

from fake_github import FakeGitHub  # noqa: E402
from sync_harness import github_store  # noqa: E402

TZ_NAME = "Europe/Berlin"
START = dt.date(2024, 1, 1)  # a Monday: day 1 of every generated plan
TEMPLATES = ROOT / "templates"
PAGE = 100


def pages(n: int) -> int:
    """GETs a listing of n objects takes at 100 a page (an empty listing is still one GET)."""
    return max(1, math.ceil(n / PAGE))


# --------------------------------------------------------------------------- the roadmap
def roadmap_yaml(topics: int, weeks_total: int = 52, seed: int = 7, edited: bool = False) -> str:
    """A plan of `topics` topics with 3-5 steps each, 25 topics a stage, two topics tracks
    (70/30) and a problems track, a pool of problems, questions and a daily routine. `edited`:
    the same plan after the learner added a step to its last topic."""
    rng = random.Random(seed)
    stages = max(1, math.ceil(topics / 25))
    weeks = max(1, weeks_total // stages)
    out = [
        "version: 1",
        f"learner: {{name: Bench Learner, timezone: {TZ_NAME}, locale: en}}",
        "schedule:",
        f"  start: {START.isoformat()}",
        '  day_opens_at: "07:00"',
        '  retro: {weekday: sun, at: "20:00"}',
        "  hours: {mon: 4, tue: 4, wed: 4, thu: 4, fri: 4, sat: 3, sun: 3}",
        "tracks:",
        "  - {id: theory, name: Theory, share: 70}",
        "  - {id: practice, name: Practice, share: 30}",
        "  - {id: algo, name: Algorithms, kind: problems, per_day: 2, minutes_per_item: 30}",
        "stages:",
    ]
    n = 0
    for s in range(stages):
        out += [f"  - id: s{s + 1:02d}",
                f"    title: Stage {s + 1} of the generated plan",
                f"    goal: Be able to explain and build what the topics of stage {s + 1} cover.",
                f"    weeks: {weeks}",
                "    topics:"]
        in_stage = min(25, topics - n)
        for i in range(in_stage):
            n += 1
            tid = f"t{n:04d}"
            steps = rng.randint(3, 5)
            out += [f"      - id: {tid}",
                    f"        title: Topic {n}, a generated subject of study",
                    f"        track: {'practice' if n % 3 == 0 else 'theory'}",
                    f"        priority: {rng.randint(1, 4)}",
                    f"        estimate: {rng.choice(['1h', '2h', '3h', '90m'])}",
                    f"        why: Topic {n} is needed for what comes after it.",
                    "        steps:"]
            out += [f"          - {{id: s{k + 1}, text: Step {k + 1} of topic {n} - read and "
                    f"practise it then write it down}}" for k in range(steps)]
            if edited and n == topics:
                out.append("          - {id: added, text: A step added to the roadmap later}")
            out += ["        resources:",
                    f"          - {{title: Notes on topic {n}, url: 'https://example.com/"
                    f"topics/{n}', kind: article, language: en}}"]
            if i > 0 and i % 3 == 0:
                out.append(f"        depends_on: [t{n - 1:04d}]")
    out.append("problems:")
    for p in range(60):
        out.append(f"  - {{id: lc-{p + 1}, title: Problem {p + 1}, url: "
                   f"'https://leetcode.com/problems/p{p + 1}/', difficulty: "
                   f"{['easy', 'medium', 'hard'][p % 3]}, tags: [t{p % 7}]}}")
    out.append("interview_questions:")
    for q in range(30):
        out.append(f"  - {{id: q{q + 1}, question: 'Interview question {q + 1} - explain a "
                   f"trade-off', hint: 'Name both sides and when each wins.'}}")
    out += ["routines:",
            "  - {id: review, title: Review yesterday's problems without the code, minutes: 15}"]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- a world
@dataclass
class World:
    fake: FakeGitHub
    roadmap: Roadmap
    roadmap_path: Path
    root: Path  # the checkout: README.md, dashboard/, progress.json
    commits: dict[dt.date, int] = field(default_factory=dict)
    today: dt.date | None = None
    edited_text: str = ""
    edited: Roadmap | None = None

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.roadmap.learner.tz)

    def store(self) -> Any:
        return github_store(self.fake)

    def set_time(self, moment: dt.datetime) -> None:
        self.fake.set_time(moment.astimezone(dt.UTC))
        # A fresh hour of quota for the bot: measurements are of requests, not of the limit.
        self.fake.set_rate_limit_remaining("bot", 1000)


def new_world(topics: int, workdir: Path) -> World:
    text = roadmap_yaml(topics)
    roadmap = parse_roadmap(text)
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "roadmap.yml"
    path.write_text(text, encoding="utf-8")
    root = workdir / "repo"
    root.mkdir(exist_ok=True)
    (root / "README.md").write_text("# My study plan\n\n<!-- study-tracker:dashboard:begin -->\n"
                                    "<!-- study-tracker:dashboard:end -->\n", encoding="utf-8")
    fake = FakeGitHub().start()
    _forget_calls(fake)
    edited = roadmap_yaml(topics, edited=True)
    return World(fake, roadmap, path, root, edited_text=edited, edited=parse_roadmap(edited))


# --------------------------------------------------------------------------- measuring
_TIMED: dict[str, float] = {}
_DEPTH = [0]


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Accumulate the time of the outermost call of the wrapped pure functions."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _DEPTH[0]:
            return fn(*args, **kwargs)
        _DEPTH[0] += 1
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _TIMED[name] = _TIMED.get(name, 0.0) + time.perf_counter() - start
            _DEPTH[0] -= 1
    return wrapper


# The pure parts of each command: no request is made inside them.
PURE = [
    (tracker.sync, ["read_rows", "plan_labels", "plan_milestones", "plan_topic_creates",
                    "plan_topic_updates", "topic_fields"]),
    (tracker.daily, ["read_state", "plan_context", "render_plan", "score_comment"]),
    (tracker.reconcile, ["read_state", "plan_ticks"]),
    (tracker.retro, ["read_state", "retro_context"]),
    (tracker.dashboard, ["build", "splice"]),
]


def _patch_pure(fake: FakeGitHub) -> None:
    for module, names in PURE:
        for name in names:
            setattr(module, name, _timed("pure", getattr(module, name)))
    for name in ("update", "to_json", "from_json"):
        attr = getattr(tracker.ledger.Ledger, name)
        if isinstance(tracker.ledger.Ledger.__dict__[name], classmethod):
            setattr(tracker.ledger.Ledger, name, classmethod(_timed("pure", attr.__func__)))
        else:
            setattr(tracker.ledger.Ledger, name, _timed("pure", attr))
    inner = fake._handle  # the fake's own work for one request (JSON in, state, JSON out)

    def handle(request: Any) -> Any:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            return inner(request)
        finally:
            _TIMED["fake"] = _TIMED.get("fake", 0.0) + time.perf_counter() - start
            _TIMED["fake_cpu"] = _TIMED.get("fake_cpu", 0.0) + time.process_time() - cpu
    fake._handle = handle  # type: ignore[method-assign]


def _forget_calls(fake: FakeGitHub) -> None:
    """`responses` keeps every request and response it served (`calls`), page texts and all;
    a real client drops them. Keep none, so the memory measured is the command's."""
    mock = fake._mock
    assert mock is not None
    for calls in [mock._calls, *(match.calls for match in mock.registered())]:
        calls.add = lambda *args, **kwargs: None  # type: ignore[method-assign]
        calls.add_call = lambda *args, **kwargs: None  # type: ignore[method-assign]
        calls.reset()


def _rss_now() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _in_child(fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run fn in a forked child; its JSON-able result comes back through a pipe."""
    read, write = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        try:
            data = json.dumps(fn())
        except BaseException:  # noqa: BLE001 - reported to the parent
            data = json.dumps({"error": traceback.format_exc()})
        with os.fdopen(write, "w") as handle:
            handle.write(data)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as handle:
        data = handle.read()
    os.waitpid(pid, 0)
    result = json.loads(data) if data else {"error": "child died without a word"}
    if "error" in result:
        raise RuntimeError(result["error"])
    return result


Op = Callable[[World, Any, Path, dt.datetime], Any]


def _copy_root(world: World) -> Path:
    """A private copy of the checkout: a forked child must not write the parent's files."""
    target = Path(tempfile.mkdtemp(prefix="bench-root-"))
    shutil.copytree(world.root, target, dirs_exist_ok=True)
    return target


def measure(world: World, op: Op, now: dt.datetime) -> dict[str, Any]:
    """Requests, wall time, fake time, pure time, RSS growth and tracemalloc peak of `op`."""
    world.set_time(now)

    def timed() -> dict[str, Any]:
        root = _copy_root(world)
        store = world.store()
        _patch_pure(world.fake)
        _forget_calls(world.fake)
        world.fake.reset_counts()
        gc.collect()
        gc.freeze()  # the fake's state and the parent's objects: not the command's garbage
        rss0 = _rss_now()
        start, cpu0 = time.perf_counter(), time.process_time()
        result = op(world, store, root, now)
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu0
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        reqs = world.fake.requests
        shutil.rmtree(root, ignore_errors=True)
        return {
            "wall": wall, "fake": _TIMED.get("fake", 0.0), "pure": _TIMED.get("pure", 0.0),
            "cpu": cpu - _TIMED.get("fake_cpu", 0.0),  # the tracker's CPU, the fake's left out
            "rss": max(0, maxrss - rss0), "requests": len(reqs),
            "counted": sum(1 for r in reqs if r.status != 304),  # a 304 costs no quota
            "gets": sum(1 for r in reqs if not r.is_write),
            "writes": sum(1 for r in reqs if r.is_write),
            "errors": [f"{r.method} {r.path} {r.status}" for r in reqs
                       if r.status is None or r.status >= 400],
            "detail": _detail(reqs),
            "lines": _lines(result),
        }

    def traced() -> dict[str, Any]:
        root = _copy_root(world)
        store = world.store()
        _forget_calls(world.fake)
        gc.collect()
        gc.freeze()
        tracemalloc.start()
        op(world, store, root, now)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        shutil.rmtree(root, ignore_errors=True)
        return {"peak": peak}

    out = _in_child(timed)
    out.update(_in_child(traced))
    out["issues"] = len(world.fake.issues)
    return out


def _detail(reqs: list[Any]) -> str:
    """Requests grouped as 'GET issues x3, POST issues x1'."""
    groups: dict[str, int] = {}
    for r in reqs:
        tail = r.path.split("/learner/study/", 1)[-1]
        tail = "/".join("N" if part.isdigit() else part for part in tail.split("/"))
        since = "?since" if "since" in r.query else ""
        answer = " (304)" if r.status == 304 else ""
        key = f"{r.method} {tail}{since}{answer}"
        groups[key] = groups.get(key, 0) + 1
    return ", ".join(f"{k} x{v}" for k, v in groups.items())


def _lines(result: Any) -> list[str]:
    if result is None:
        return []
    lines = result.lines() if callable(getattr(result, "lines", None)) else result.lines
    return [str(line) for line in lines][:6]


def apply(world: World, op: Op, now: dt.datetime) -> Any:
    """Run `op` in this process, so the state moves on (not measured)."""
    world.set_time(now)
    return op(world, world.store(), world.root, now)


# --------------------------------------------------------------------------- the commands
def as_the_cli_runs(world: World, store: Any, root: Path, now: dt.datetime,
                    step: Callable[[Any], tuple[Any, Any]]) -> Any:
    """A command as `tracker` runs it: the issues changed since the ledger in the checkout
    was saved, the rest from it; the ledger saved again with what the command wrote."""
    tz = world.roadmap.learner.tz
    return with_reading(store, root, tz, now.astimezone(tz).date(), False, step)


def op_sync(world: World, store: Any, root: Path, now: dt.datetime) -> Any:
    return _sync(world.roadmap, world, store, root, now)


def _sync(roadmap: Roadmap, world: World, store: Any, root: Path, now: dt.datetime) -> Any:
    def step(reading: Any) -> tuple[Any, Any]:
        report = sync(roadmap, store, issues=reading.issues(), ledger=reading.ledger)
        return report, report.written
    return as_the_cli_runs(world, store, root, now, step)


def op_daily(world: World, store: Any, root: Path, now: dt.datetime) -> Any:
    def step(reading: Any) -> tuple[Any, Any]:
        report = open_daily_plan(world.roadmap, store, now, world.commits,
                                 issues=reversed(reading.issues()))
        return report, [*report.updated, *([report.opened] if report.opened else [])]
    return as_the_cli_runs(world, store, root, now, step)


def op_reconcile(world: World, store: Any, root: Path, now: dt.datetime) -> Any:
    def step(reading: Any) -> tuple[Any, Any]:
        report = reconcile(world.roadmap, store, reading.issues(), ledger=reading.ledger)
        return report, report.updated
    return as_the_cli_runs(world, store, root, now, step)


def op_retro(world: World, store: Any, root: Path, now: dt.datetime) -> Any:
    def step(reading: Any) -> tuple[Any, Any]:
        report = open_retro(world.roadmap, store, now, world.commits,
                            issues=reversed(reading.issues()))
        return report, [*report.updated, *([report.opened] if report.opened else [])]
    return as_the_cli_runs(world, store, root, now, step)


def op_dashboard(world: World, store: Any, root: Path, now: dt.datetime) -> Any:
    return run_dashboard(world.roadmap, store, root, now, world.commits)


def op_dashboard_full(world: World, store: Any, root: Path, now: dt.datetime) -> Any:
    return run_dashboard(world.roadmap, store, root, now, world.commits, full=True)


def op_tick(world: World, store: Any, root: Path, now: dt.datetime) -> Any:
    return tick(world.roadmap, store, now, root=root, roadmap_path=world.roadmap_path,
                templates=TEMPLATES, commits=world.commits)


def op_tick_lasting_token(world: World, store: Any, root: Path, now: dt.datetime) -> Any:
    """`tick` with a token whose ETags last from run to run (a personal token): the quiet
    hour's listing is asked with the tag of the last one."""
    return op_tick(world, github_store(world.fake, "owner"), root, now)


def op_sync_edited(world: World, store: Any, root: Path, now: dt.datetime) -> Any:
    return _sync(world.edited, world, store, root, now)


def op_tick_edited(world: World, store: Any, root: Path, now: dt.datetime) -> Any:
    path = root / "roadmap.yml"  # the pushed edit: its fingerprint differs from synced.json
    path.write_text(world.edited_text, encoding="utf-8")
    return tick(world.edited, store, now, root=root, roadmap_path=path, templates=TEMPLATES,
                commits=world.commits)


# --------------------------------------------------------------------------- the history
def make_history(world: World, weeks: int, seed: int = 11) -> None:
    """Weeks of daily plans (all closed but yesterday's), Sunday retros (all closed but last
    week's), the topics ticked and closed as reconcile leaves them; the morning of the last
    day (a Sunday) before its plan is opened. Everything is written straight into the fake."""
    rng = random.Random(seed)
    roadmap, fake = world.roadmap, world.fake
    numbers = {}
    topics_by_number = {}
    for issue in fake.issues.values():
        body = keys.parse(issue.body)
        if body and body.key.kind == "topic":
            numbers[body.key.id] = issue.number
            topics_by_number[body.key.id] = issue
    queue = [(t, b) for t in roadmap.topics for b in t.checkboxes]  # steps still to do
    ticked_on: dict[str, dict[str, dt.date]] = {}  # topic -> box -> day ticked
    problems = list(roadmap.problems)
    questions = list(roadmap.interview_questions)
    days = weeks * 7
    today = START + dt.timedelta(days=days - 1)
    world.today = today
    streak = 0
    for n in range(days - 1):  # every day before today
        day = START + dt.timedelta(days=n)
        picks = queue[:3]
        focus_topics = [{"title": t.title, "link": f"#{numbers[t.id]}", "hours": "1h",
                         "items": [{"id": f"t:{t.id}:{b.id}", "text": b.text, "link": None,
                                    "hours": 1.0, "optional": False}]} for t, b in picks]
        todays = [problems[(2 * n + k) % len(problems)] for k in range(2)]
        question = questions[n % len(questions)]
        context = {
            "locale": "en", "day": day, "date": day.strftime("%A %d %b %Y"),
            "day_number": n + 1,
            "stages": [stage_line(s, day, "en") for s in roadmap.stages_on(day)][:1],
            "streak": streak, "light": day.weekday() == 5, "budget": 4.0, "planned": 4.0,
            "shortfall": None, "waiting": [], "choices": None,
            "gap": 0, "previous_date": None, "carried": [], "weekly": [],
            "focus": [{"track": "Theory", "hours": 3.0, "topics": focus_topics}] if picks else [],
            "redo_weekday": "Saturday", "review_routine": None, "redo": [],
            "redo_routine": None, "redo_hours": 0,
            "problems": [{"id": f"p:{p.id}", "text": p.title, "link": p.url,
                          "difficulty": p.difficulty, "hard_id": f"h:{p.id}", "source": None,
                          "carried": False,
                          "hours": 0.5, "optional": False} for p in todays],
            # Spaced review's cards: the generated roadmap has none.
            "review": [], "review_minutes": 0,
            "question": {"id": f"q:{question.id}", "text": question.question, "link": None,
                         "source": None, "hours": 0, "hint": question.hint,
                         "optional": False},
            "routines": [{"id": "o:review", "text": roadmap.routines[0].title, "link": None,
                          "source": None, "hours": 0.25, "optional": False}],
            "checkpoints": [],
        }
        block = render_plan(roadmap, context)
        ticks = set()
        done_steps = []
        for t, b in picks:
            if rng.random() < 0.85:
                ticks.add(f"t:{t.id}:{b.id}")
                done_steps.append((t, b))
        for p in todays:
            if rng.random() < 0.8:
                ticks.add(f"p:{p.id}")
                if rng.random() < 0.15:
                    ticks.add(f"h:{p.id}")
        if rng.random() < 0.7:
            ticks.add(f"q:{question.id}")
        if rng.random() < 0.8:
            ticks.add("o:review")
        block = keys.tick(block, ticks)
        # Steps left unticked come back first the next day, as the daily plan carries them.
        queue = [pb for pb in picks if pb not in done_steps] + queue[len(picks):]
        for t, b in done_steps:
            ticked_on.setdefault(t.id, {})[b.id] = day
        opened = world.at(day, 7, 5)
        closed = world.at(day + dt.timedelta(days=1), 7, 5)
        last = n == days - 2
        body = keys.compose(keys.Key("daily", day.isoformat()), block)
        title = f"📅 {day.strftime('%a %d %b')} · day {n + 1}"
        issue = fake.create_issue(title, body, user="bot", labels=[KIND_LABELS["daily"]],
                                  state="open" if last else "closed", created_at=opened,
                                  updated_at=world.at(day, 22, 0) if last else closed)
        if not last:
            plan = SimpleNamespace(day=day, score=_score(keys.boxes(block)))
            fake.create_comment(issue.number, score_comment(roadmap, plan), user="bot",
                                created_at=closed)
            issue.updated_at = closed
        done, total = _score(keys.boxes(block))
        streak = streak + 1 if total and done * 2 >= total else 0
        if day.weekday() == 6:  # Sunday evening: the week's retro
            week = week_id(day)
            retro_block = _retro_block(roadmap, day, rng)
            last_week = day == today - dt.timedelta(days=7)
            fake.create_issue(
                f"🗓️ Week {day.isocalendar()[1]} retro", keys.compose(
                    keys.Key("retro", week), retro_block),
                user="bot", labels=[KIND_LABELS["retro"]],
                state="open" if last_week else "closed", created_at=world.at(day, 20, 5),
                updated_at=world.at(day, 20, 5) if last_week else world.at(
                    day + dt.timedelta(days=7), 20, 5))
    # The topics as reconcile leaves them: ticks carried, finished ones closed on their day.
    stage_done: dict[str, dt.date | None] = {}
    for topic in roadmap.topics:
        marks = ticked_on.get(topic.id, {})
        issue = topics_by_number[topic.id]
        stage_done.setdefault(topic.stage_id, START)
        if not marks:
            stage_done[topic.stage_id] = None
            continue
        body = keys.parse(issue.body)
        assert body is not None
        complete = len(marks) == len(topic.checkboxes)
        key = body.key
        if complete:
            key = keys.Key(key.kind, key.id, {**key.written, "done": True})
        last_day = max(marks.values())
        moment = world.at(last_day, 22, 30).astimezone(dt.UTC)
        changes: dict[str, Any] = {
            "body": keys.compose(key, keys.tick(body.block, set(marks)), body.before,
                                 body.after),
            "updated_at": moment}
        if complete:
            changes.update(state="closed", state_reason="completed", closed_by="bot",
                           closed_at=moment)
        fake.update_issue(issue.number, **changes)
        if stage_done[topic.stage_id] is not None:
            stage_done[topic.stage_id] = max(stage_done[topic.stage_id], last_day) \
                if complete else None
    for milestone in fake.milestones.values():
        body = keys.parse(milestone.description)
        if body and stage_done.get(body.key.id):
            milestone.state = "closed"
            milestone.closed_at = world.at(stage_done[body.key.id], 22, 30).astimezone(dt.UTC)
            milestone.updated_at = milestone.closed_at
    # Commits on some days, as the checkout's history would give them.
    world.commits = {START + dt.timedelta(days=n): rng.randint(1, 4)
                     for n in range(days) if rng.random() < 0.4}


def _score(boxes: dict[str, bool]) -> tuple[int, int]:
    scored = {k: v for k, v in boxes.items() if not k.startswith("h:")}
    return sum(scored.values()), len(scored)


def _retro_block(roadmap: Roadmap, sunday: dt.date, rng: random.Random) -> str:
    first = sunday - dt.timedelta(days=6)
    days = [{"weekday": (first + dt.timedelta(days=i)).strftime("%a"),
             "date": (first + dt.timedelta(days=i)).strftime("%d %b"),
             "done": 5, "total": 7, "bar": "▓▓▓▓▓▓▓░░░", "rest": False, "planned": True,
             "studied": True, "future": False} for i in range(7)]
    problems = roadmap.problems
    context = {
        "locale": "en", "week": sunday.isocalendar()[1], "first": first.strftime("%d %b"),
        "last": sunday.strftime("%d %b"), "days": days, "days_studied": 7, "streak": 7,
        "longest": 7, "topics_closed": [], "topics_closed_count": 0, "problems_done": 12,
        "commits": 3,
        "has_problems": True, "reflection": None, "redo_weekday": "Saturday",
        "cards": {"reviews": 0, "due_next_week": 0, "share": None},
        "redo": [{"title": p.title, "link": p.url, "done": rng.random() < 0.7}
                 for p in rng.sample(list(problems), 3)],
        "next_week": [], "slow_week": False, "stages": [], "weekly": [],
    }
    return environment().get_template("en/retro.md.j2").render(**context)


def learner_ticks(world: World, moment: dt.datetime, rng: random.Random) -> int:
    """The learner ticks most of today's plan on their phone; returns topic steps ticked."""
    fake = world.fake
    state = read_state(world.store().list_issues(), trusted_authors(world.store()))
    plan = state.plans[world.today]
    wanted = {b for b in plan.boxes if not b.startswith("h:") and rng.random() < 0.75}
    wanted |= {b for b in plan.boxes if b.startswith("t:")}  # every step of the day
    world.set_time(moment)
    fake.update_issue(plan.number, body=keys.tick(plan.row.issue.body, wanted))
    return sum(1 for b in wanted if b.startswith("t:"))


# --------------------------------------------------------------------------- the rows
@dataclass
class Row:
    command: str
    situation: str
    topics: int
    history: str
    issues: int
    requests: int
    gets: int
    writes: int
    minimum: int
    wall: float
    fake: float
    pure: float
    peak: int
    rss: int
    note: str = ""
    detail: str = ""
    cpu: float = float("nan")  # CPU seconds of the tracker (the fake's own CPU left out)


ROWS: list[Row] = []


def record(command: str, situation: str, topics: int, history: str, m: dict[str, Any],
           minimum: int, why_more: str = "", why_less: str = "", info: str = "") -> None:
    note = ""
    if m["requests"] > minimum:
        note = f"**+{m['requests'] - minimum}**: {why_more}" if why_more else \
            f"**+{m['requests'] - minimum}**: UNEXPLAINED ({m['detail']})"
    elif m["requests"] < minimum:
        note = f"**{m['requests'] - minimum}**: {why_less or 'fewer than expected'}"
    note = "; ".join(part for part in (note, info) if part)
    if m["errors"]:
        note += f" errors: {m['errors'][:3]}"
    ROWS.append(Row(command, situation, topics, history, m["issues"], m["requests"], m["gets"],
                    m["writes"], minimum, m["wall"], m["fake"], m["pure"], m["peak"], m["rss"],
                    note.strip(), m["detail"], m["cpu"]))
    print(f"  {command:9} {situation:34} T={topics:<5} {history:3} N={m['issues']:<5} "
          f"req={m['requests']:<4} (min {minimum:<4}) {m['wall'] * 1000:8.0f} ms "
          f"cpu {m['cpu'] * 1000:6.0f} ms "
          f"peak {m['peak'] / 2**20:6.1f} MiB  [{m['detail']}]", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- one scenario
HISTORIES = {"1w": 1, "1y": 52, "3y": 156}


def scenario(world: World, topics: int, history: str) -> list[Row]:
    """From the morning of the last day to its evening: every measurement of one size."""
    fake = world.fake
    make_history(world, HISTORIES[history])
    today = world.today
    assert today is not None and today.weekday() == 6, today
    # The checkout as the hourly tick leaves it: synced fingerprint and a dashboard state.
    synced = world.root / SYNCED
    synced.parent.mkdir(parents=True, exist_ok=True)
    synced.write_text(json.dumps({"roadmap": fingerprint(world.roadmap_path, TEMPLATES),
                              "store": world.store().identity}) + "\n", encoding="utf-8")
    apply(world, op_dashboard_full, world.at(today, 6, 30))
    # A sync since (the labels and milestones it lists are kept in the ledger for the next).
    apply(world, op_sync, world.at(today, 6, 35))

    def n() -> int:
        return len(fake.issues)

    # -- the morning: the day's plan opens ----------------------------------------------------
    morning = world.at(today, 8, 0)
    m = measure(world, op_tick, morning)
    record("tick", "morning: opens the day's plan", topics, history, m, 1 + 3 + 2)
    m = measure(world, op_daily, morning)
    record("daily", "opens the plan (closes yesterday's)", topics, history, m, 1 + 3)
    apply(world, op_daily, morning)
    # -- midday: the learner ticks on the phone; reconcile carries the ticks -------------------
    steps = learner_ticks(world, world.at(today, 12, 0), random.Random(3))
    noon = world.at(today, 12, 30)
    state = read_state(world.store().list_issues(), trusted_authors(world.store()))
    plan = state.plans[today]
    touched = {b.split(":")[1] for b, v in plan.boxes.items() if v and b.startswith("t:")}
    touched = {t for t in touched
               if {b.split(":")[2] for b, v in plan.boxes.items() if v and b.startswith(
                   f"t:{t}:")} - state.topics[t].in_body}
    closes_stage = _stages_closing(world, state, plan)
    m = measure(world, op_reconcile, noon)
    record("reconcile", "carries today's ticks", topics, history, m,
           1 + len(touched) + bool(closes_stage) + closes_stage,
           info=f"{steps} step(s) of {len(touched)} topic(s) ticked" + (
               f", {closes_stage} stage(s) finished" if closes_stage else "") if steps else
           "no step left in the roadmap: only problems etc. ticked")
    apply(world, op_reconcile, noon)
    m = measure(world, op_dashboard, world.at(today, 12, 45))
    record("dashboard", "incremental, after the ticks", topics, history, m, 1)
    apply(world, op_dashboard, world.at(today, 12, 45))
    # -- the evening: the retro opens ------------------------------------------------------------
    evening = world.at(today, 20, 30)
    open_retros = sum(1 for r in state.retros.values() if r.open)
    m = measure(world, op_retro, evening)
    record("retro", "opens the week's retro", topics, history, m, 1 + 1 + open_retros,
           info="" if open_retros else "no earlier retro to close")
    apply(world, op_retro, evening)
    apply(world, op_dashboard, world.at(today, 20, 45))
    # -- the steady state: nothing is due, nothing changed -----------------------------------------
    quiet = world.at(today, 21, 17)
    # The hourly tick before: the plan the learner finished at noon is given its next steps
    # (a finished plan is due), so what follows is the steady state.
    apply(world, op_tick, world.at(today, 21, 0))
    for command, op, minimum, why in (
            ("sync", op_sync, 1, ""),
            ("daily", op_daily, 1, ""),
            ("reconcile", op_reconcile, 1, ""),
            ("retro", op_retro, 1, ""),
            ("dashboard", op_dashboard, 1, ""),
            ("tick", op_tick, 1, "")):
        m = measure(world, op, quiet)
        if m["writes"]:
            why = (why + "; " if why else "") + f"WROTE in a no-op run: {m['detail']}"
        record(command, "no-op (steady state)", topics, history, m, minimum, why)
    # Two runs with the token: the first lists what changed since the Actions runs (their
    # token's tags do not hold), the second asks that listing again with its tag.
    apply(world, op_tick_lasting_token, quiet)
    apply(world, op_tick_lasting_token, quiet)  # the last listing's tag, kept in the ledger
    m = measure(world, op_tick_lasting_token, quiet)
    record("tick", "no-op, a token that lasts", topics, history, m, 1,
           info=f"{m['requests'] - m['counted']} answered 304 Not Modified: "
                f"{m['counted']} counted against the quota")
    m = measure(world, op_dashboard_full, quiet)
    record("dashboard", "full rebuild (--full)", topics, history, m, pages(n()))
    # -- the learner pushes an edit: one topic gains a step ------------------------------------
    m = measure(world, op_sync_edited, quiet)
    record("sync", "after an edit: one topic gains a step", topics, history, m, 1 + 1)
    m = measure(world, op_tick_edited, quiet)
    record("tick", "after an edit: one topic gains a step", topics, history, m, 1 + 1)
    return ROWS


def _stages_closing(world: World, state: Any, plan: Any) -> int:
    """Milestones reconcile should close after today's ticks (a stage's last topic done)."""
    wanted: dict[str, set[str]] = {}
    for ident, ticked in plan.boxes.items():
        if ticked and ident.startswith("t:"):
            _, topic, box = ident.split(":", 2)
            wanted.setdefault(topic, set()).add(box)
    finishing = {t for t, boxes in wanted.items()
                 if state.topics[t].open and set(state.topics[t].boxes) <= (
                     state.topics[t].in_body | boxes)}
    count = 0
    for stage in world.roadmap.stages:
        rows = [state.topics[t.id] for t in stage.topics]
        if finishing & {t.id for t in stage.topics} and all(
                not r.open or r.id in finishing for r in rows):
            count += len({r.milestone for r in rows if r.milestone and r.milestone_open})
    return count


def first_sync(world: World, topics: int) -> None:
    """The first sync from an empty repository, then the runs that finish a paced one."""
    fake = world.fake
    moment = world.at(START - dt.timedelta(days=1), 18, 0)
    m = measure(world, op_sync, moment)
    wanted_creates = len(tracker.labels.desired_labels(world.roadmap)) + len(
        world.roadmap.stages) + len(world.roadmap.topics)
    made = min(CREATES_PER_RUN, wanted_creates)
    record("sync", "first run, empty repository", topics, "-", m, 3 + made)
    if made < wanted_creates:
        ROWS[-1].note = (ROWS[-1].note + "; " if ROWS[-1].note else "") + \
            f"paced: {wanted_creates - made} creates left for the next hourly run(s)"
    runs, total, gets, minimum = 0, 0, 0, 0
    while True:
        before = len(fake.labels), len(fake.milestones), len(fake.issues)
        fake.reset_counts()
        report = apply(world, op_sync, moment)
        runs += 1
        total += fake.count()
        gets += len(fake.reads)
        creates = len(fake.labels) + len(fake.milestones) + len(fake.issues) - sum(before)
        minimum += pages(before[0]) + pages(before[1]) + pages(before[2]) + creates
        if report.left == 0:
            break
        moment += dt.timedelta(hours=1)
    if runs > 1:
        # The whole of a paced first sync, its runs an hour apart (counts only).
        ROWS.append(Row("sync", f"first sync, all {runs} hourly runs", topics, "-",
                        len(fake.issues), total, gets, total - gets, minimum, float("nan"),
                        float("nan"), float("nan"), 0, 0,
                        f"+{total - minimum}: UNEXPLAINED" if total > minimum else ""))
    fake.reset_counts()


# --------------------------------------------------------------------------- one-off rows
def roadmap_load(path: Path, topics: int, what: str = "load_roadmap: parse + validate") -> Row:
    """What every command pays before its first request: read, parse and check roadmap.yml."""
    from tracker.roadmap import load_roadmap

    def timed() -> dict[str, Any]:
        gc.collect()
        gc.freeze()
        start, cpu = time.perf_counter(), time.process_time()
        load_roadmap(path)
        return {"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu}

    def traced() -> dict[str, Any]:
        gc.collect()
        gc.freeze()
        tracemalloc.start()
        load_roadmap(path)
        return {"peak": tracemalloc.get_traced_memory()[1]}

    runs = [_in_child(timed) for _ in range(3)]
    wall = min(r["wall"] for r in runs)
    cpu = min(r["cpu"] for r in runs)
    peak = _in_child(traced)["peak"]
    size = path.stat().st_size
    return Row("(roadmap)", what, topics, "-", 0, 0, 0, 0, 0, wall,
               float("nan"), wall, peak, 0, f"{size / 1024:.0f} KiB of YAML; best of 3",
               cpu=cpu)


def import_time() -> Row:
    code = "import time; t = time.perf_counter(); import tracker.cli, tracker.store.github, " \
           "tracker.tick; print(time.perf_counter() - t)"
    best = min(float(subprocess.run([sys.executable, "-c", code], check=True,
                                    capture_output=True, text=True).stdout) for _ in range(3))
    return Row("(startup)", "import tracker.cli + store + tick", 0, "-", 0, 0, 0, 0, 0, best,
               float("nan"), float("nan"), 0, 0, "best of 3 cold processes")


def pip_install_time() -> Row:
    """A fresh venv and a non-editable install of the checkout, as a newcomer would."""
    with tempfile.TemporaryDirectory(prefix="bench-venv-") as tmp:
        venv = Path(tmp) / "venv"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        made = time.perf_counter() - start
        result = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", str(ROOT)],
                                capture_output=True, text=True)
        wall = time.perf_counter() - start
        note = f"venv {made:.1f} s + pip {wall - made:.1f} s; local wheel cache and index"
        if result.returncode != 0:
            note += f"; pip FAILED: {result.stderr.strip().splitlines()[-1:]}"
        else:
            check = subprocess.run(
                [str(venv / "bin" / "python"), "-c",
                 "import tracker.cli, tracker.store.github, tracker.tick"],
                capture_output=True, text=True, cwd=tmp)
            if check.returncode != 0:
                note += "; the installed package does not import: " + (
                    check.stderr.strip().splitlines() or ["?"])[-1]
            help_run = subprocess.run([str(venv / "bin" / "tracker"), "--help"],
                                      capture_output=True, text=True, cwd=tmp)
            if help_run.returncode != 0:
                note += "; `tracker --help` fails"
    return Row("(install)", "python -m venv + pip install .", 0, "-", 0, 0, 0, 0, 0, wall,
               float("nan"), float("nan"), 0, 0, note)


# --------------------------------------------------------------------------- the table
def fmt_ms(seconds: float) -> str:
    if seconds != seconds:  # nan
        return "-"
    ms = seconds * 1000
    return f"{ms:.0f}" if ms >= 10 else f"{ms:.1f}"


def fmt_mib(count: int) -> str:
    return f"{count / 2**20:.1f}" if count else "-"


def table(rows: list[Row]) -> str:
    head = ["command", "situation", "topics", "history", "issues", "requests (GET+write)",
            "min", "wall ms", "CPU ms", "fake ms", "pure ms", "peak MiB", "RSS+ MiB", "notes"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * len(head)) + "|"]
    for r in rows:
        if r.command.startswith("("):
            cells = [r.command, r.situation, str(r.topics or ""), "", "", "", "",
                     f"{r.wall * 1000:.0f}", fmt_ms(r.cpu), "", fmt_ms(r.pure), fmt_mib(r.peak),
                     "", r.note]
        else:
            cells = [r.command, r.situation, str(r.topics), r.history, str(r.issues),
                     f"{r.requests} ({r.gets}+{r.writes})", str(r.minimum), fmt_ms(r.wall),
                     fmt_ms(r.cpu), fmt_ms(r.fake), fmt_ms(r.pure), fmt_mib(r.peak),
                     fmt_mib(r.rss), r.note]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _revision() -> str:
    """The commit measured, and whether the package had uncommitted changes."""
    def git(*args: str) -> str:
        run = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return run.stdout.strip() if run.returncode == 0 else ""
    head = git("rev-parse", "--short", "HEAD") or "no git"
    dirty = git("status", "--porcelain", "--", "tracker", "pyproject.toml", "templates")
    return f"commit {head}" + (" + uncommitted changes to tracker/" if dirty else "")


ORDER = ["sync", "daily", "reconcile", "retro", "dashboard", "tick", "(roadmap)", "(startup)",
         "(install)"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="10 and 100 topics, 1 week and 1 year only (about a minute)")
    parser.add_argument("--no-install", action="store_true",
                        help="skip the fresh pip install row")
    parser.add_argument("--sizes", help="topics, comma-separated (default 10,100,1000)")
    parser.add_argument("--histories", help="of 1w,1y,3y, comma-separated")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    args = parser.parse_args()
    sizes = [10, 100] if args.quick else [10, 100, 1000]
    histories = ["1w", "1y"] if args.quick else ["1w", "1y", "3y"]
    if args.sizes:
        sizes = [int(x) for x in args.sizes.split(",")]
    if args.histories:
        histories = args.histories.split(",")
    started = time.perf_counter()
    # Warm up imports and the compiled templates, so each child measures the work, not them.
    with tempfile.TemporaryDirectory(prefix="bench-warm-") as tmp:
        warm = new_world(10, Path(tmp))
        apply(warm, op_sync, warm.at(START - dt.timedelta(days=1), 18, 0))
        make_history(warm, 1)
        apply(warm, op_tick, warm.at(warm.today, 8, 0))
        apply(warm, op_tick, warm.at(warm.today, 20, 30))
        warm.fake.stop()
    del ROWS[:]
    for topics in sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{topics}-") as tmp:
            world = new_world(topics, Path(tmp))
            print(f"{topics} topics: first sync", file=sys.stderr, flush=True)
            ROWS.append(roadmap_load(world.roadmap_path, topics))
            first_sync(world, topics)
            for history in histories:
                print(f"{topics} topics, {history} of plans", file=sys.stderr, flush=True)
                # Each history grows from the same synced repository, in a child of its own.
                first = len(ROWS)
                rows = _in_child(lambda h=history, w=world, t=topics, f=first: {
                    "rows": [r.__dict__ for r in scenario(w, t, h)[f:]]})
                ROWS.extend(Row(**r) for r in rows["rows"])
            world.fake.stop()
    from tracker.roadmap import load_roadmap
    shipped = ROOT / "roadmap.yml"
    ROWS.append(roadmap_load(shipped, len(load_roadmap(shipped).topics),
                             "load_roadmap: the shipped roadmap.yml"))
    ROWS.append(import_time())
    if not args.no_install:
        print("fresh pip install", file=sys.stderr, flush=True)
        ROWS.append(pip_install_time())
    seen = list(dict.fromkeys(r.situation for r in ROWS))
    seen.sort(key=lambda s: 0 if s.startswith("first") else 2 if "no-op" in s else
              3 if "edit" in s else 1)
    rows = sorted(ROWS, key=lambda r: (ORDER.index(r.command), seen.index(r.situation), r.topics,
                                       list(HISTORIES).index(r.history)
                                       if r.history in HISTORIES else -1))
    print(table(rows))
    print(f"\n(measured in {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores, "
          f"Python {sys.version.split()[0]}, {dt.date.today().isoformat()}, {_revision()}"
          f"{', --quick' if args.quick else ''})")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in rows], indent=1, default=str),
                             encoding="utf-8")


if __name__ == "__main__":
    main()
