"""The figures of spaced review: card states, retention, the forecast, the retro's week, and
the 14-day chart."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from tracker.memory import AGAIN, GOOD, HARD_RECALL, SOLVED, Event, Memory, encode
from tracker.model import KnowledgeCard, ReviewSettings
from tracker.review_chart import forecast_chart
from tracker.review_figures import (
    card_states,
    log_from_ledger,
    memory_on,
    progress,
    recalled,
    week,
)
from tracker.reviews import DayLoad
from tracker.roadmap import parse_roadmap

from test_reviews import ROADMAP

D = dt.date(2026, 3, 2)  # a Monday


def day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def roadmap(notes: int = 2, **review: object):
    cards = tuple(KnowledgeCard(f"n{i}", f"Q{i}?", f"A{i}.", "cards/n.md", i + 1)
                  for i in range(notes))
    return dataclasses.replace(parse_roadmap(ROADMAP), cards=cards,
                               review=dataclasses.replace(ReviewSettings(), **review))


def test_the_ledger_s_log_reads_back_and_a_hand_edited_day_is_skipped() -> None:
    log = log_from_ledger({"2026-03-02": encode((Event("p:lc-1", SOLVED),)),
                           "2026-3-x": "p:lc-2=s", "2026-03-03": "nonsense"})
    assert log == {day(0): (Event("p:lc-1", SOLVED),)}


def test_recalled_counts_rated_reviews_only_within_the_days() -> None:
    log = {day(0): (Event("p:lc-1", SOLVED), Event("k:n0", GOOD)),
           day(1): (Event("k:n1", HARD_RECALL), Event("q:q1", AGAIN)),
           day(9): (Event("k:n0", AGAIN),)}
    assert recalled(log, day(0), day(1)) == (3, 2)
    assert recalled(log, day(2), day(8)) == (0, 0)


def test_cards_by_phase_and_the_retired_ones() -> None:
    memory = {
        "k:n0": Memory("k:n0", day(0), day(30), day(5), 25.0, 5.0, 3, 0),  # mature
        "p:lc-1": Memory("p:lc-1", day(0), day(3), day(1), 2.3, 5.0, 1, 0),  # learning
        "p:lc-2": Memory("p:lc-2", day(4), day(5), None, None, None, 0, 0),  # solved, new
        "k:deleted": Memory("k:deleted", day(0), day(3), day(1), 2.3, 5.0, 1, 0),
        "p:gone": Memory("p:gone", day(0), day(3), day(1), 2.3, 5.0, 1, 0)}
    assert card_states(roadmap(), memory) == {"new": 2, "learning": 1, "mature": 1,
                                              "retired": 2}


def test_progress_json_has_the_cards_the_last_30_days_and_14_days_ahead() -> None:
    plan = roadmap(notes=3, minutes=None, cards=2)
    log = {day(-31): (Event("k:n0", AGAIN),),  # too old to count
           day(0): (Event("k:n0", GOOD), Event("k:n1", GOOD), Event("p:lc-1", SOLVED)),
           day(2): (Event("k:n0", AGAIN),)}
    memory, _ = memory_on(plan, log, day(3))
    data = progress(plan, log, memory, day(3))
    assert data["cards"] == {"new": 2, "learning": 2, "mature": 0, "retired": 0, "total": 4}
    reviews = data["reviews"]
    assert (reviews["last_30_days"], reviews["recalled_30_days"]) == (3, 0.667)
    assert reviews["budget"] == {"minutes": None, "cards": 2}
    assert len(reviews["next_14_days"]) == 14
    assert all(d["reviews"] <= 2 for d in reviews["next_14_days"])
    assert reviews["today"] == reviews["next_14_days"][0]["reviews"] == 2
    assert reviews["next_14_days"][0]["day"] == "2026-03-05"


def test_no_review_yet_means_no_share_rather_than_zero() -> None:
    plan = roadmap(notes=0)
    memory, _ = memory_on(plan, {}, day(0))
    data = progress(plan, {}, memory, day(0))
    assert data["reviews"]["recalled_30_days"] is None
    assert data["cards"]["total"] == 0


def test_the_retro_counts_the_week_and_what_comes_next_week() -> None:
    plan = roadmap(notes=0)
    log = {day(0): (Event("p:lc-1", SOLVED),), day(1): (Event("p:lc-1", GOOD),),
           day(3): (Event("p:lc-1", AGAIN), Event("p:lc-2", SOLVED)),
           day(7): (Event("p:lc-2", GOOD),)}
    memory, _ = memory_on(plan, log, day(6))
    figures = week(plan, log, memory, day(0), day(6))
    assert (figures["reviews"], figures["recalled"], figures["share"]) == (2, 1, 0.5)
    # lc-1 (forgotten on Thursday) and lc-2 (solved then) are overdue; Sunday is a rest day,
    # so both come back next week
    assert figures["due_next_week"] == 2


def test_the_chart_is_phone_sized_with_a_bar_a_day_and_the_budget() -> None:
    loads = [DayLoad(day(n), n % 4, 5 * (n % 4), 0) for n in range(13)]
    loads.append(DayLoad(day(13), 4, 20, 6))
    svg = forecast_chart(loads, ReviewSettings(minutes=20), locale="en")
    assert 'viewBox="0 0 320 150"' in svg and 'font-size="12"' in svg
    assert svg.count('class="bar"') == 14
    heights = [float(h) for h in re.findall(r'class="bar".*?height="([0-9.]+)"', svg)]
    assert heights[13] == max(heights) and heights[0] == 0  # a full day reaches the budget line
    assert ">budget 20 min<" in svg and ">6 waiting<" in svg and ">today<" in svg
    zh = forecast_chart(loads, ReviewSettings(minutes=None, cards=4), locale="zh-CN", dark=True)
    assert ">每日预算 4 张<" in zh and ">还有 6 张排队<" in zh and ">今天<" in zh
