"""CPU: work that grows with the plan grows linearly, and the roadmap is read by libyaml.

Speed is never asserted by the clock (the machine is shared and noisy): these tests count
the walks over the topic table that a run makes, whatever the size of the plan.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tracker import keys
from tracker import roadmap as roadmap_module
from tracker.reconcile import reconcile
from tracker.roadmap import parse_roadmap
from tracker.rows import Rows
from tracker.store.base import Issue

REPO = Path(__file__).resolve().parent.parent


def generated_plan(topics: int) -> str:
    """A plan of `topics` topics of two steps each, in stages of ten."""
    lines = ["version: 1", "learner: {name: A, timezone: Europe/Berlin, locale: en}",
             "schedule: {start: 2026-03-02, hours: 4}", "stages:"]
    for stage in range(0, topics, 10):
        lines += [f"  - id: s{stage}", f"    title: Stage {stage}", "    weeks: 2",
                  "    topics:"]
        for n in range(stage, min(stage + 10, topics)):
            lines += [f"      - id: t{n}", f"        title: Topic {n}",
                      "        steps: [{id: a, text: Read it}, {id: b, text: Do it}]"]
    return "\n".join(lines) + "\n"


class CountingDict(dict[str, Any]):
    """A dict that counts how often it is walked from end to end."""

    walks = 0

    def __iter__(self) -> Any:
        CountingDict.walks += 1
        return super().__iter__()

    def items(self) -> Any:
        CountingDict.walks += 1
        return super().items()


def topic_issue(number: int, ident: str) -> Issue:
    block = "- [x] Read it <!-- step:a -->\n- [ ] Do it <!-- step:b -->"
    moment = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
    return Issue(number, f"Topic {ident}", keys.compose(keys.Key("topic", ident), block),
                 "open", None, ("topic",), None, "learner", moment, moment)


class _ReadOnlyStore:
    name = "local"
    owner = "learner"


@pytest.mark.parametrize("topics", [30, 60])
def test_reconcile_reads_the_topic_table_once_not_once_per_topic(
        topics: int, monkeypatch: pytest.MonkeyPatch) -> None:
    roadmap = parse_roadmap(generated_plan(topics))
    issues = [topic_issue(n + 1, f"t{n}") for n in range(topics)]
    real = Rows.of_kind

    def counted(self: Rows, kind: str) -> dict[str, Any]:
        self.issues = CountingDict(self.issues)
        return real(self, kind)

    monkeypatch.setattr(Rows, "of_kind", counted)
    CountingDict.walks = 0
    report = reconcile(roadmap, _ReadOnlyStore(), issues)  # type: ignore[arg-type]
    assert report.lines == ["Nothing to reconcile."]
    assert CountingDict.walks <= 5  # one per kind of row read, and one more: never per topic


@pytest.mark.parametrize("topics", [30, 60])
def test_checking_issue_sizes_walks_the_topics_once_not_once_per_topic(topics: int) -> None:
    roadmap = parse_roadmap(generated_plan(topics))
    from tracker.yamlsource import load

    _, source, _ = load(generated_plan(topics))
    roadmap.__dict__["topics_by_id"] = CountingDict(roadmap.topics_by_id)
    CountingDict.walks = 0
    assert roadmap_module._check_rendered(roadmap, source, "roadmap.yml") == []
    assert CountingDict.walks <= 2
