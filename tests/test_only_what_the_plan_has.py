"""The page shows only what the plan has: no problems badge or figure without problems."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tracker import dashboard
from tracker.ledger import Ledger, PlanFact, TopicFact
from tracker.roadmap import parse_roadmap

from test_daily import roadmap as with_problems

NO_PROBLEMS = """\
version: 1
learner: {name: Ada, timezone: Europe/Berlin, locale: LOCALE}
schedule: {start: 2026-03-02, hours: 3}
stages:
  - id: one
    title: Python
    due: 2026-03-29
    topics:
      - {id: syntax, title: Syntax, estimate: 4h, steps: [a, b, c, d]}
"""


def page(plan) -> dict[str, str]:
    book = Ledger(topics={"syntax": TopicFact(1, True, False, None, 1, 4)},
                  plans={"2026-03-03": PlanFact(2, 2, 3, 1, 0)})
    return dashboard.build(plan, book, {}, dt.date(2026, 3, 4))


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_a_plan_without_problems_shows_no_problems(locale: str) -> None:
    plan = parse_roadmap(NO_PROBLEMS.replace("LOCALE", locale))
    assert not plan.has_problems
    files = page(plan)
    assert "dashboard/badge-problems.svg" not in files
    section = files["README.md"]
    assert "badge-problems" not in section
    assert "problem" not in section.lower() and "算法题" not in section
    assert json.loads(files["progress.json"])["problems_done"] is None


def test_a_plan_with_problems_shows_them() -> None:
    plan = with_problems()
    assert plan.has_problems
    files = dashboard.build(plan, Ledger(plans={"2026-03-23": PlanFact(1, 3, 4, 1, 2)}), {},
                            dt.date(2026, 3, 24))
    assert "dashboard/badge-problems.svg" in files
    assert "2 problems solved" in files["README.md"]
    assert json.loads(files["progress.json"])["problems_done"] == 2


def test_a_pool_without_a_track_to_draw_it_is_no_problems() -> None:
    text = NO_PROBLEMS.replace("LOCALE", "en") + "problems:\n  - {id: lc-1, title: Two Sum}\n"
    assert not parse_roadmap(text).has_problems
