"""Actions minutes a month: a simulation of what starts the tracker's workflow, and the bill.

It reads the workflow (its `on.schedule`, its triggers and its job's `if:`) and the roadmap
(time zone, day_opens_at, the retro's hour), plays a month of a learner's triggers through
GitHub's concurrency group, and prints, for a private and a public repository: the jobs that
ran, the billed minutes, when the day's plan opened, how long a tick waited for a run, and the
days with a dashboard commit (a public repository's schedule stops after 60 days without
activity). The assumptions are constants below, each with its reason; see bench/README.md.

    python bench/minutes.py                  # this checkout's workflow
    python bench/minutes.py --before 1ee5d6e # and the workflow at a commit, side by side
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.roadmap import load_roadmap  # noqa: E402
from tracker.workflow import ScheduleEntry, read_schedule  # noqa: E402
from tracker.yamlsource import load  # noqa: E402

# -- the assumptions ---------------------------------------------------------------------------
DAYS = 30  # a month
SITTINGS = 10  # study sittings a day, each ending with ticks on the phone
TICKS = (1, 5)  # boxes ticked in a sitting
TICK_GAP = (5, 90)  # seconds between two ticks of a sitting
DAY_ENDS = dt.time(23, 0)  # sittings fall between day_opens_at and this
PUSHES = 4  # roadmap.yml edits pushed in a month
SCHEDULE_DELAY = (0, 600)  # seconds GitHub starts a scheduled run late
SCHEDULE_DROPPED = 0.01  # share of scheduled runs GitHub drops under load
QUEUE = (5, 20)  # seconds a run waits for a runner
# Seconds of one job, by step. install: measured on this machine (CPU time of a fresh install,
# bench/run.py's (install) row): pip 8.7-10 s, uv 2.2 s; the rest are assumptions for a hosted
# runner: job set-up and clean-up, checkout, setting up Python or uv, one tracker process
# (start, import, check roadmap.yml, its requests), the dashboard commit and push.
STEPS = {"setup": 8.0, "checkout": 3.0, "python": 3.0, "pip": 9.5, "uv": 2.2, "process": 3.0,
         "commit": 3.0}
JITTER = (0.8, 1.5)  # a runner's speed varies


# -- GitHub's expressions, as far as the job's `if:` uses them ---------------------------------
_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||[!(),])|"
                    r"(?P<word>[A-Za-z_][\w.\-*]*)|(?P<num>\d+))")


def evaluate(expression: str, context: dict[str, Any]) -> Any:
    """The value of a GitHub Actions expression (literals, contexts, == != ! && || and the
    functions contains, startsWith, endsWith, fromJSON) in `context`."""
    text = expression.strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    tokens = []
    position = 0
    while text[position:].strip():
        match = _TOKEN.match(text, position)
        if match is None:
            raise ValueError(f"cannot read the expression at: {text[position:]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    value, rest = _or(tokens, context)
    if rest:
        raise ValueError(f"unexpected {rest[0][1]!r} in {expression!r}")
    return value


Tokens = list[tuple[str, str]]


def _or(tokens: Tokens, ctx: dict[str, Any]) -> tuple[Any, Tokens]:
    value, tokens = _and(tokens, ctx)
    while tokens and tokens[0][1] == "||":
        right, tokens = _and(tokens[1:], ctx)
        value = value or right
    return value, tokens


def _and(tokens: Tokens, ctx: dict[str, Any]) -> tuple[Any, Tokens]:
    value, tokens = _compare(tokens, ctx)
    while tokens and tokens[0][1] == "&&":
        right, tokens = _compare(tokens[1:], ctx)
        value = value and right
    return value, tokens


def _compare(tokens: Tokens, ctx: dict[str, Any]) -> tuple[Any, Tokens]:
    value, tokens = _unary(tokens, ctx)
    while tokens and tokens[0][1] in ("==", "!="):
        op = tokens[0][1]
        right, tokens = _unary(tokens[1:], ctx)
        same = (str(value).lower() == str(right).lower()) if isinstance(value, str) and \
            isinstance(right, str) else value == right
        value = same if op == "==" else not same
    return value, tokens


def _unary(tokens: Tokens, ctx: dict[str, Any]) -> tuple[Any, Tokens]:
    kind, word = tokens[0]
    if word == "!":
        value, rest = _unary(tokens[1:], ctx)
        return not value, rest
    if word == "(":
        value, rest = _or(tokens[1:], ctx)
        return value, rest[1:]
    if kind == "str":
        return word[1:-1].replace("''", "'"), tokens[1:]
    if kind == "num":
        return int(word), tokens[1:]
    if word in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[word], tokens[1:]
    if len(tokens) > 1 and tokens[1][1] == "(":
        args, rest = [], tokens[2:]
        while rest[0][1] != ")":
            arg, rest = _or(rest, ctx)
            args.append(arg)
            rest = rest[1:] if rest[0][1] == "," else rest
        return _call(word, args), rest[1:]
    value: Any = ctx
    for part in word.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value, tokens[1:]


def _call(name: str, args: list[Any]) -> Any:
    functions: dict[str, Callable[..., Any]] = {
        "contains": lambda a, b: (str(b).lower() in [str(x).lower() for x in a])
        if isinstance(a, list) else str(b).lower() in str(a).lower(),
        "startswith": lambda a, b: str(a).lower().startswith(str(b).lower()),
        "endswith": lambda a, b: str(a).lower().endswith(str(b).lower()),
        "fromjson": lambda text: json.loads(str(text)),
    }
    return functions[name.lower()](*args)


# -- the workflow -----------------------------------------------------------------------------
@dataclass
class Workflow:
    schedule: list[ScheduleEntry]
    triggers: dict[str, Any]
    condition: str
    text: str

    @property
    def install(self) -> str:
        return "uv" if "uv pip install" in self.text else "pip"

    def processes(self, event: str) -> int:
        """Tracker processes a job of this event starts (each reads and checks the roadmap)."""
        count = 1 + (1 if "run: tracker validate" in self.text else 0)
        if event == "issues" and "'issues' && 'reconcile'" in self.text:
            count += 1  # reconcile, then dashboard
        return count

    def runs(self, event: str, private: bool, variables: dict[str, str]) -> bool:
        if event not in self.triggers:
            return False
        # An issue event is the learner's tick in the day's plan, which the Actions bot opened.
        context = {"github": {"event_name": event, "repository_owner": "learner", "event": {
            "sender": {"login": "learner"}, "repository": {"private": private},
            "issue": {"user": {"login": "github-actions[bot]"},
                      "author_association": "NONE"}}},
            "vars": variables}
        return bool(evaluate(self.condition, context)) if self.condition else True


def read_workflow(text: str) -> Workflow:
    data, _, _ = load(text)
    entries, problems = read_schedule(text, "tracker.yml")
    if problems:
        raise SystemExit("\n".join(str(p) for p in problems))
    [job] = data["jobs"].values()
    return Workflow(entries, dict(data["on"]), str(job.get("if") or ""), text)


# -- a month ----------------------------------------------------------------------------------
@dataclass(order=True)
class Event:
    at: dt.datetime
    kind: str = field(compare=False)  # schedule | issues | push


@dataclass
class Month:
    jobs: int = 0
    cancelled: int = 0
    billed: int = 0
    opened_late: list[float] = field(default_factory=list)  # minutes after day_opens_at
    tick_waits: list[float] = field(default_factory=list)  # minutes
    commit_days: set[dt.date] = field(default_factory=set)


def learner_events(roadmap: Any, first: dt.date, rng: random.Random) -> list[Event]:
    """The ticks of each day's sittings, and the month's roadmap pushes."""
    tz = roadmap.learner.tz
    events = []
    for offset in range(DAYS):
        day = first + dt.timedelta(days=offset)
        opens = dt.datetime.combine(day, roadmap.schedule.day_opens_at, tz)
        span = (dt.datetime.combine(day, DAY_ENDS, tz) - opens).total_seconds()
        for _ in range(SITTINGS):
            moment = opens + dt.timedelta(seconds=rng.uniform(0, span))
            for _ in range(rng.randint(*TICKS)):
                events.append(Event(moment, "issues"))
                moment += dt.timedelta(seconds=rng.uniform(*TICK_GAP))
    for _ in range(PUSHES):
        day = first + dt.timedelta(days=rng.randrange(DAYS))
        events.append(Event(dt.datetime.combine(day, dt.time(21, 0), tz)
                            + dt.timedelta(seconds=rng.uniform(0, 3600)), "push"))
    return events


def scheduled_events(flow: Workflow, first: dt.date, rng: random.Random) -> list[Event]:
    """Each cron line's runs in the month (in its time zone), late or dropped as GitHub does."""
    events = []
    for entry in flow.schedule:
        for offset in range(-1, DAYS + 1):
            day = first + dt.timedelta(days=offset)
            for hour in sorted(entry.cron.hours):
                for minute in sorted(entry.cron.minutes):
                    wall = dt.datetime(day.year, day.month, day.day, hour, minute)
                    if entry.cron.fires_at(wall) and rng.random() >= SCHEDULE_DROPPED:
                        events.append(Event(wall.replace(tzinfo=entry.zone) + dt.timedelta(
                            seconds=rng.uniform(*SCHEDULE_DELAY)), "schedule"))
    return events


def duration(flow: Workflow, event: str, rng: random.Random) -> float:
    steps = STEPS["setup"] + STEPS["checkout"] + STEPS["python"] + STEPS[flow.install] + \
        STEPS["process"] * flow.processes(event) + STEPS["commit"]
    return steps * rng.uniform(*JITTER)


def play_month(flow: Workflow, roadmap: Any, private: bool, variables: dict[str, str],
               seed: int, first: dt.date) -> Month:
    """One month through the concurrency group: at most one running and one pending run; a
    new run replaces the pending one, which is cancelled before it starts (not billed)."""
    rng = random.Random(seed)
    events = sorted(learner_events(roadmap, first, rng) + scheduled_events(flow, first, rng))
    month = Month()
    starts: list[dt.datetime] = []
    running_until: dt.datetime | None = None
    pending: Event | None = None

    def start(at: dt.datetime, kind: str) -> dt.datetime:
        began = at + dt.timedelta(seconds=rng.uniform(*QUEUE))
        seconds = duration(flow, kind, rng)
        month.jobs += 1
        month.billed += 0 if not private else math.ceil(seconds / 60)
        starts.append(began)
        return began + dt.timedelta(seconds=seconds)

    for event in events:
        if not flow.runs(event.kind, private, variables):
            continue
        while running_until is not None and running_until <= event.at:
            running_until = start(running_until, pending.kind) if pending else None
            pending = None
        if running_until is None:
            running_until = start(event.at, event.kind)
        else:
            month.cancelled += pending is not None
            pending = event
    if running_until is not None and pending is not None:
        start(running_until, pending.kind)
    _judge(month, roadmap, first, sorted(starts), [e.at for e in events if e.kind == "issues"])
    return month


def _judge(month: Month, roadmap: Any, first: dt.date, starts: list[dt.datetime],
           ticks: list[dt.datetime]) -> None:
    """When the plans opened, how long ticks waited, which days saw a dashboard commit."""
    tz = roadmap.learner.tz
    for offset in range(DAYS):
        day = first + dt.timedelta(days=offset)
        opens = dt.datetime.combine(day, roadmap.schedule.day_opens_at, tz)
        after = [s for s in starts if s >= opens]
        month.opened_late.append((after[0] - opens).total_seconds() / 60 if after else 1e9)
    for tick in ticks:
        after = [s for s in starts if s >= tick]
        if after:
            month.tick_waits.append((after[0] - tick).total_seconds() / 60)
    days = {first + dt.timedelta(days=offset) for offset in range(DAYS)}
    month.commit_days = {s.astimezone(tz).date() for s in starts} & days


# -- the report -------------------------------------------------------------------------------
def summary(label: str, months: list[Month]) -> list[str]:
    late = [m for month in months for m in month.opened_late]
    waits = sorted(w for month in months for w in month.tick_waits)
    minutes = [m.billed for m in months]
    return [label,
            f"{statistics.mean(m.jobs for m in months):.0f}",
            f"{statistics.mean(m.cancelled for m in months):.0f}",
            f"{statistics.mean(minutes):.0f} (max {max(minutes)})",
            f"{100 * sum(1 for x in late if x <= 60) / len(late):.1f}%",
            f"{max(late):.0f} min",
            f"{waits[len(waits) // 2]:.0f} / {waits[int(len(waits) * 0.95)]:.0f} min"
            if waits else "-",
            f"{min(len(m.commit_days) for m in months)}/{DAYS}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workflow", type=Path, default=ROOT / ".github/workflows/tracker.yml")
    parser.add_argument("--before", metavar="REV", help="also the workflow at this commit")
    parser.add_argument("--roadmap", type=Path, default=ROOT / "roadmap.yml")
    parser.add_argument("--months", type=int, default=20, help="months simulated (seeds)")
    args = parser.parse_args()
    roadmap = load_roadmap(args.roadmap)
    flows = []
    if args.before:
        old = subprocess.run(["git", "show", f"{args.before}:.github/workflows/tracker.yml"],
                             cwd=ROOT, check=True, capture_output=True, text=True).stdout
        flows.append((f"before ({args.before})", read_workflow(old)))
    flows.append(("after" if args.before else "this workflow",
                  read_workflow(args.workflow.read_text(encoding="utf-8"))))
    first = dt.date(2026, 3, 1)  # a month with a daylight-saving change in many zones
    head = ["workflow, repository", "jobs a month", "cancelled while pending",
            "billed minutes a month", "plan within the hour after day_opens_at",
            "latest plan", "a tick waits for a run (median / 95%)", "days with a commit"]
    rows = []
    for name, flow in flows:
        for label, private, variables in (("private", True, {}),
                                          ("private, TRACKER_RUN_ON_TICK", True,
                                           {"TRACKER_RUN_ON_TICK": "true"}),
                                          ("public", False, {})):
            if "TRACKER_RUN_ON_TICK" in label and "TRACKER_RUN_ON_TICK" not in flow.text:
                continue
            months = [play_month(flow, roadmap, private, variables, seed, first)
                      for seed in range(args.months)]
            rows.append(summary(f"{name}, {label}", months))
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] * len(head)) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\n({args.months} simulated months of {DAYS} days from {first}, roadmap "
          f"{args.roadmap.name}: {roadmap.learner.timezone}, day opens "
          f"{roadmap.schedule.day_opens_at:%H:%M}; public repositories are not billed)")


if __name__ == "__main__":
    main()
