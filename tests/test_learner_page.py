"""The learner's page: the README the template ships becomes the learner's progress page on
the first run; any README the learner wrote is kept, and only the section between the
markers is the tracker's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tracker import dashboard, page
from tracker.dashboard import BEGIN, END, run_dashboard
from tracker.ledger import Ledger, PlanFact, RetroFact, TopicFact
from tracker.roadmap import parse_roadmap
from tracker.store.local import LocalStore

from conftest import REPO

PLAN = """\
version: 1
learner: {name: Ada Lovelace, timezone: Europe/Berlin, locale: LOCALE, GOAL}
schedule: {start: 2026-03-02, hours: 3}
stages:
  - id: one
    title: Python
    due: 2026-03-15
    topics:
      - {id: syntax, title: Syntax, estimate: 4h, steps: [a, b, c, d]}
  - id: two
    title: Numpy
    due: 2026-03-29
    topics:
      - {id: arrays, title: Arrays, estimate: 4h, steps: [a, b, c, d]}
"""
GOAL = "goal: 'ML systems engineer, job-ready by June 2027'"


def plan(locale: str = "en", goal: str = GOAL):
    return parse_roadmap(PLAN.replace("LOCALE", locale).replace(", GOAL", f", {goal}"
                                                                if goal else ""))


def shipped() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def run(root: Path, roadmap=None, day: str = "2026-03-10"):
    store = LocalStore(root / ".tracker" / "t.db")
    try:
        moment = dt.datetime.fromisoformat(f"{day}T21:00+01:00")
        return run_dashboard(roadmap or plan(), store, root, moment, {})
    finally:
        store.close()


def test_the_shipped_readme_is_recognised_exactly() -> None:
    readme = shipped()
    assert page.is_shipped(readme), (
        "README.md changed since it was stamped: run `python scripts/stamp_readme.py` so that "
        "a fork's first run still recognises it and replaces it with the learner's page")
    assert page.is_shipped(readme.replace("\n", "\r\n"))  # as a Windows checkout has it
    assert not page.is_shipped(readme.replace("Study tracker", "Study Tracker", 1))
    assert not page.is_shipped(readme + "\nMy own note.\n")
    assert not page.is_shipped(readme.split("\n", 1)[1])  # the stamp line deleted
    assert not page.is_shipped("# My own README\n")
    assert page.stamp(page.stamp("# A\n")) == page.stamp("# A\n")
    # Stamped from a Windows checkout, the file is written as git keeps it, with LF.
    assert page.stamp("# A\r\nB\r\n") == page.stamp("# A\nB\n")
    assert page.stamp("# A\r\n").endswith("\n# A\n")


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_the_first_run_replaces_the_shipped_readme_with_the_learners_page(
        tmp_path: Path, locale: str) -> None:
    (tmp_path / "README.md").write_text(shipped(), encoding="utf-8")
    run(tmp_path, plan(locale))
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "Ada Lovelace" in text.split("\n", 3)[1]  # whose page it is, at the top
    assert "🎯 ML systems engineer, job-ready by June 2027" in text
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    assert "Try it in two commands" not in text and "fork and enable" not in text
    assert "(docs/README.md)" in text  # the manual, from the footer
    before = text
    run(tmp_path, plan(locale))  # a second run keeps to its markers
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == before


def test_a_readme_the_learner_changed_is_kept(tmp_path: Path) -> None:
    mine = shipped().replace("Study tracker", "My study tracker", 1)
    (tmp_path / "README.md").write_text(mine, encoding="utf-8")
    run(tmp_path)
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert text.startswith(mine.rstrip("\n"))  # everything the learner had, untouched
    assert text.count(BEGIN) == 1


def test_a_readme_with_markers_changes_only_between_them(tmp_path: Path) -> None:
    mine = f"# Ada's corner\n\nHello.\n\n{BEGIN}\nold\n{END}\n\n## Notes\n\nMine.\n"
    (tmp_path / "README.md").write_text(mine, encoding="utf-8")
    run(tmp_path)
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert text.startswith(f"# Ada's corner\n\nHello.\n\n{BEGIN}\n## 📈 Ada Lovelace")
    assert text.endswith(f"{END}\n\n## Notes\n\nMine.\n")


def test_no_readme_gets_the_learners_page(tmp_path: Path) -> None:
    run(tmp_path)
    assert (tmp_path / "README.md").read_text(encoding="utf-8").startswith(BEGIN)


def book() -> Ledger:
    return Ledger(topics={"syntax": TopicFact(1, False, True, "2026-03-08", 4, 4),
                          "arrays": TopicFact(2, True, False, None, 1, 4)},
                  plans={"2026-03-09": PlanFact(3, 3, 4, 2, 0)},
                  retros={"2026-W10": RetroFact(4, "Week 10 retro")})


def test_the_page_says_the_current_stage_and_the_latest_retro() -> None:
    section = dashboard.build(plan(), book(), {}, dt.date(2026, 3, 17))["README.md"]
    lines = section.splitlines()
    now = next(line for line in lines if line.startswith("**Now:**"))
    assert "Numpy · 25% (1/4) · due 29 Mar" in now
    assert "**Latest weekly retro:** [Week 10 retro](#4)" in section
    # Before anything begins, the first stage; once all are done, it says so.
    early = dashboard.build(plan(), Ledger(), {}, dt.date(2026, 2, 20))["README.md"]
    assert "**Now:** ⚪ Python · 0% (0/4) · due 15 Mar · not started" in early
    done = Ledger(topics={t: TopicFact(n, False, True, "2026-03-08", 4, 4)
                          for n, t in enumerate(["syntax", "arrays"])})
    assert "**Every stage is done** 🎉" in dashboard.build(plan(), done, {},
                                                          dt.date(2026, 3, 20))["README.md"]


def test_without_a_goal_there_is_no_goal_line() -> None:
    section = dashboard.build(plan(goal=""), book(), {}, dt.date(2026, 3, 17))["README.md"]
    assert "🎯" not in section
