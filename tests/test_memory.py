"""The review log read from daily plans' ticks, its FSRS replay, and the cache of its result."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import astuple

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import keys
from tracker.ledger import Ledger
from tracker.memory import (
    AGAIN,
    GOOD,
    HARD_RECALL,
    SOLVED,
    SOLVED_HARD,
    Event,
    Memory,
    day_events,
    decode,
    encode,
    replay,
    retrievability,
)
from tracker.memory_cache import Cached, memories
from tracker.state import scored_boxes
from tracker.store.base import Issue, Trusted

D = dt.date(2026, 3, 2)


def day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def test_ticks_of_a_plan_become_the_day_s_events() -> None:
    boxes = {"t:peft:s1": True, "p:lc-94": True, "h:lc-94": True, "p:lc-1": False,
             "h:lc-1": False, "p:lc-98": True, "h:lc-98": False,
             "r:p:lc-200": True, "rh:p:lc-200": False, "r:k:lora": False, "rh:k:lora": True,
             "r:q:q1": False, "rh:q:q1": False, "q:q3": True, "o:review": True}
    assert day_events(boxes) == (
        Event("p:lc-200", GOOD), Event("k:lora", HARD_RECALL), Event("q:q1", AGAIN),
        Event("p:lc-94", SOLVED_HARD), Event("p:lc-98", SOLVED), Event("q:q3", SOLVED))


def test_a_day_with_nothing_ticked_was_a_day_off_not_a_day_of_forgetting() -> None:
    assert day_events({"r:p:lc-1": False, "rh:p:lc-1": False, "p:lc-2": False}) == ()


def test_plans_made_before_cards_review_their_problems_too() -> None:
    assert day_events({"r:lc-98": True, "p:lc-1": False}) == (Event("p:lc-98", GOOD),)


def test_the_log_of_a_day_is_one_line_that_reads_back() -> None:
    events = (Event("p:lc-94", SOLVED), Event("k:peft.why-low-rank-1a2b3c4d", HARD_RECALL),
              Event("q:q1", AGAIN))
    assert encode(events) == "p:lc-94=s k:peft.why-low-rank-1a2b3c4d=h q:q1=a"
    assert decode(encode(events)) == events
    assert decode("p:x=z broken p:y=g") == (Event("p:y", GOOD),)


def test_a_review_recalled_with_effort_counts_as_done_in_the_score() -> None:
    scored = scored_boxes({"r:k:a": False, "rh:k:a": True, "r:k:b": False, "rh:k:b": False,
                           "p:lc-1": True, "h:lc-1": True})
    assert scored == {"r:k:a": True, "r:k:b": False, "p:lc-1": True}


def test_a_solved_problem_comes_back_the_next_day_then_ever_later_while_recalled() -> None:
    log = {day(0): (Event("p:lc-1", SOLVED),)}
    [new] = replay(log, day(1), 0.9).values()
    assert (new.first_day, new.due, new.reviews, new.phase) == (day(0), day(1), 0, "new")
    intervals = []
    when = day(1)
    for _ in range(5):
        log[when] = (Event("p:lc-1", GOOD),)
        memory = replay(log, when + dt.timedelta(days=1), 0.9)["p:lc-1"]
        intervals.append(memory.interval)
        when = memory.due
    assert intervals == sorted(intervals) and len(set(intervals)) == 5, intervals
    assert intervals[0] == 2  # a first "recalled" of FSRS-6 at 90%: two days
    assert memory.phase == "mature"


def test_forgetting_brings_a_card_back_sooner_and_counts_a_lapse() -> None:
    log = {day(0): (Event("k:lora", GOOD),), day(2): (Event("k:lora", GOOD),)}
    before = replay(log, day(3), 0.9)["k:lora"]
    log[before.due] = (Event("k:lora", AGAIN),)
    after = replay(log, before.due + dt.timedelta(days=1), 0.9)["k:lora"]
    assert after.interval < before.interval
    assert after.stability is not None and before.stability is not None
    assert after.stability < before.stability
    assert (after.reviews, after.lapses) == (3, 1)


def test_hard_grows_the_interval_less_than_good() -> None:
    base = {day(0): (Event("k:a", GOOD), Event("k:b", GOOD))}
    first = replay(base, day(1), 0.9)["k:a"].due
    log = {**base, first: (Event("k:a", GOOD), Event("k:b", HARD_RECALL))}
    after = replay(log, first + dt.timedelta(days=1), 0.9)
    assert after["k:b"].interval < after["k:a"].interval


def test_a_higher_retention_brings_cards_back_sooner() -> None:
    log = {day(0): (Event("k:a", GOOD),), day(2): (Event("k:a", GOOD),)}
    assert replay(log, day(3), 0.95)["k:a"].interval < replay(log, day(3), 0.8)["k:a"].interval


def test_a_second_solve_reviews_the_card_and_one_event_a_day_counts() -> None:
    log = {day(0): (Event("p:lc-1", SOLVED), Event("p:lc-1", SOLVED)),
           day(1): (Event("p:lc-1", AGAIN), Event("p:lc-1", SOLVED)),
           day(30): (Event("p:lc-1", SOLVED_HARD),)}
    memory = replay(log, day(31), 0.9)["p:lc-1"]
    assert (memory.reviews, memory.last_review, memory.first_day) == (2, day(30), day(0))


def test_only_days_before_the_plan_s_day_count() -> None:
    log = {day(0): (Event("k:a", GOOD),), day(5): (Event("k:b", GOOD),)}
    assert set(replay(log, day(5), 0.9)) == {"k:a"}


def test_retrievability_falls_with_the_days_and_is_unknown_before_a_review() -> None:
    log = {day(0): (Event("p:lc-1", SOLVED), Event("k:a", GOOD))}
    cards = replay(log, day(1), 0.9)
    assert retrievability(cards["p:lc-1"], day(3), 0.9) is None
    r = [retrievability(cards["k:a"], day(n), 0.9) for n in (0, 2, 10)]
    assert r[0] == 1.0 and r[0] > r[1] > r[2]  # type: ignore[operator]
    assert abs(r[1] - 0.9) < 0.02  # type: ignore[operator]  # due when recall falls to 90%


events = st.lists(st.tuples(st.integers(0, 60), st.sampled_from(["p:a", "p:b", "k:c", "q:d"]),
                            st.sampled_from([GOOD, HARD_RECALL, AGAIN, SOLVED, SOLVED_HARD])),
                  max_size=40)


def as_log(items: list[tuple[int, str, str]]) -> dict[dt.date, tuple[Event, ...]]:
    log: dict[dt.date, list[Event]] = {}
    for n, card, mark in items:
        log.setdefault(day(n), []).append(Event(card, mark))
    return {d: tuple(e) for d, e in log.items()}


@settings(max_examples=150, deadline=None)
@given(events, st.integers(1, 62), st.integers(1, 62))
def test_a_replay_continued_from_a_cache_equals_a_full_replay(items: list[tuple[int, str, str]],
                                                               cut: int, end: int) -> None:
    log = as_log(items)
    cut, end = min(cut, end), max(cut, end)
    full = replay(log, day(end), 0.9)
    _, cached = memories(log, day(cut), 0.9)
    kept = Cached.from_json(cached.to_json())
    assert kept == cached  # the file holds the memory exactly
    continued, fresh = memories(log, day(end), 0.9, kept)
    assert continued == full
    assert fresh.memories == full


def test_a_cache_made_from_another_past_is_not_used() -> None:
    log = {day(0): (Event("k:a", GOOD),), day(3): (Event("k:a", GOOD),)}
    _, cached = memories(log, day(4), 0.9)
    changed = {day(0): (Event("k:a", AGAIN),), day(3): (Event("k:a", GOOD),)}  # a late edit
    memory, _ = memories(changed, day(10), 0.9, cached)
    assert memory == replay(changed, day(10), 0.9) != replay(log, day(10), 0.9)
    other_retention, _ = memories(log, day(10), 0.8, cached)
    assert other_retention == replay(log, day(10), 0.8)


def test_a_damaged_cache_file_is_no_cache() -> None:
    assert Cached.from_json("{") is None
    assert Cached.from_json('{"version": 99}') is None
    assert Cached.from_json('{"version": 1, "through": "2026-01-01", "digest": "x", '
                            '"cards": {"k:a": [1]}}') is None


def test_the_cache_file_has_one_card_a_line() -> None:
    memory = Memory("k:a", day(0), day(2), day(0), 2.3065, 2.118, 1, 0)
    text = Cached(day(1), "abc", {"k:a": memory}).to_json()
    assert '  "k:a": ["2026-03-02", "2026-03-04", "2026-03-02", 2.3065, 2.118, 1, 0]' \
        in text.splitlines()


def plan_issue(number: int, ident: str, block: str, state: str = "closed",
               author: str = "owner") -> Issue:
    moment = dt.datetime(2026, 3, 3, 8, tzinfo=dt.UTC)
    return Issue(number, ident, keys.compose(keys.Key("daily", ident), block), state, None,
                 ("daily-plan",), None, author, moment, moment)


def test_the_ledger_keeps_each_plan_s_review_log_and_forgets_a_plan_that_lost_its_key() -> None:
    block = ("- [x] Two Sum <!-- item:p:lc-1 -->\n  - [ ] hard? <!-- item:h:lc-1 -->\n"
             "- [ ] LoRA? <!-- item:r:k:lora -->\n  - [x] hard <!-- item:rh:k:lora -->\n"
             "- [ ] KV? <!-- item:r:q:q2 -->\n  - [ ] hard <!-- item:rh:q:q2 -->\n")
    ledger = Ledger()
    trusted = Trusted(frozenset({"owner"}))
    ledger.update([plan_issue(7, "2026-03-02", block),
                   plan_issue(8, "2026-03-03", "- [ ] x <!-- item:r:k:a -->\n")], trusted,
                  dt.UTC)
    assert ledger.reviews == {"2026-03-02": "k:lora=h q:q2=a p:lc-1=s"}  # a day off: nothing
    assert astuple(ledger.plans["2026-03-02"])[1:3] == (2, 3)  # the hard review counts as done
    again = Ledger.from_json(ledger.to_json())
    assert again is not None and again.reviews == ledger.reviews
    gone = plan_issue(7, "2026-03-02", block)
    ledger.update([dataclasses.replace(gone, body="the learner deleted the block")], trusted,
                  dt.UTC)
    assert ledger.reviews == {}


def test_a_ledger_of_the_first_version_is_read_again_from_the_issues() -> None:
    old = Ledger().to_json().replace("\"version\": 3", "\"version\": 1")
    assert Ledger.from_json(old) is None
