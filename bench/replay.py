#!/usr/bin/env python3
"""Benchmark of spaced review: replaying three years of reviews of 2,000 cards.

The review log is made up directly (not simulated hour by hour): 2,000 of the learner's cards,
the first reviewed on day 1 and the last on day 730, each reviewed about 20 times over three
years (1,095 days) at growing intervals, Good 80%, Hard 10%, Again 10% of the time, from a
fixed seed: about 40,000 reviews, kept as the dashboard's ledger keeps them (one line a day).
It then times, in CPU seconds of this process (best of `--repeat` runs):

- reading the log back from the ledger's lines;
- replaying the whole log with FSRS into every card's memory (what a lost cache costs);
- the steady run: the cache file read, its digest checked, one new day replayed, the file
  written again;
- choosing a day's reviews among the 2,000 cards within the budget, and the 14-day forecast.

    python bench/replay.py            # about 20 s on 2 cores
    python bench/replay.py --repeat 3

It asserts nothing and CI does not run it. The figures of a run are in bench/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tracker.memory import AGAIN, GOOD, HARD_RECALL, Event, encode, replay  # noqa: E402
from tracker.memory_cache import Cached, memories  # noqa: E402
from tracker.model import KnowledgeCard, ReviewSettings  # noqa: E402
from tracker.review_figures import log_from_ledger  # noqa: E402
from tracker.reviews import forecast, reviews_for  # noqa: E402
from tracker.roadmap import parse_roadmap  # noqa: E402

CARDS = 2000
REVIEWS = 20
DAYS = 1095
FIRST = dt.date(2024, 1, 1)
ROADMAP = """\
version: 1
learner: {name: Bench, timezone: Asia/Shanghai, locale: en}
schedule: {start: 2024-01-01, hours: 4}
stages:
  - {title: Everything, days: 1100, topics: [{title: All, steps: [Study]}]}
"""


def ledger_lines(seed: int = 1) -> dict[str, str]:
    """The made-up log, as the ledger keeps it: a line of events per day."""
    rng = random.Random(seed)
    days: dict[int, list[Event]] = {}
    for card in range(CARDS):
        day = 1 + card * 730 // CARDS
        gap = 1.0
        for _ in range(REVIEWS):
            if day >= DAYS:
                break
            roll = rng.random()
            mark = AGAIN if roll < 0.1 else HARD_RECALL if roll < 0.2 else GOOD
            days.setdefault(day, []).append(Event(f"k:c{card}", mark))
            gap = 1.0 if mark == AGAIN else gap * 1.35
            day += max(1, round(gap))
    return {(FIRST + dt.timedelta(days=d)).isoformat(): encode(e) for d, e in days.items()}


def best(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The least CPU time of `repeat` runs of `work`, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.process_time()
        result = work()
        times.append(time.process_time() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    lines = ledger_lines()
    log = log_from_ledger(lines)
    events = sum(len(e) for e in log.values())
    today = FIRST + dt.timedelta(days=DAYS)
    cards = tuple(KnowledgeCard(f"c{n}", f"Question {n}?", f"Answer {n}.", "cards/all.md", n + 1)
                  for n in range(CARDS))
    roadmap = dataclasses.replace(parse_roadmap(ROADMAP), cards=cards,
                                  review=ReviewSettings(minutes=30))
    rows = []

    seconds, _ = best(options.repeat, lambda: log_from_ledger(lines))
    rows.append(("read the log from the ledger's lines", seconds, f"{len(lines)} days"))
    seconds, full = best(options.repeat, lambda: replay(log, today, 0.9))
    reviewed = sum(m.reviews for m in full.values())
    rows.append(("replay the whole log (no cache)", seconds,
                 f"{events} events, {reviewed} reviews of {len(full)} cards"))
    _, yesterday = memories(log, today - dt.timedelta(days=1), 0.9)
    text = yesterday.to_json()

    def steady() -> str:
        cached = Cached.from_json(text)
        _, fresh = memories(log, today, 0.9, cached)
        return fresh.to_json()

    seconds, written = best(options.repeat, steady)
    rows.append(("steady run: cache read, one day replayed, cache written", seconds,
                 f"cache file {len(written) // 1024} KiB"))
    seconds, chosen = best(options.repeat, lambda: reviews_for(roadmap, full, today))
    rows.append(("choose today's reviews within 30 min", seconds,
                 f"{len(chosen)} of the cards due"))
    seconds, loads = best(options.repeat, lambda: forecast(roadmap, full, today, 14))
    rows.append(("forecast of the next 14 days", seconds,
                 f"{sum(load.planned for load in loads)} reviews planned, "
                 f"{loads[-1].waiting} waiting"))

    print(f"| what | CPU s (best of {options.repeat}) | notes |")
    print("|---|---|---|")
    for what, seconds, notes in rows:
        print(f"| {what} | {seconds:.3f} | {notes} |")
    print(f"\n({CARDS} cards, {DAYS} days, Python {sys.version.split()[0]}, "
          f"{dt.date.today().isoformat()})")


if __name__ == "__main__":
    main()
