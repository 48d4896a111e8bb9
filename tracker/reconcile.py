"""`tracker reconcile`: a tick in a daily plan is a tick in the topic it came from.

A topic whose boxes are all ticked is closed as completed; a stage whose topics are all closed
has its milestone closed. It never unticks anything, and a topic the learner reopened after the
tracker closed it stays open.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import keys
from .model import Roadmap
from .state import TOPIC_STEP, StudyState, item_kind, read_state
from .store.base import Issue, Store, trusted_authors


@dataclass
class ReconcileReport:
    lines: list[str] = field(default_factory=list)
    ticked: dict[str, set[str]] = field(default_factory=dict)
    closed_topics: list[str] = field(default_factory=list)
    closed_stages: list[str] = field(default_factory=list)
    updated: list[Issue] = field(default_factory=list)  # issues as they are after the writes


def plan_ticks(state: StudyState) -> dict[str, set[str]]:
    """Topic boxes ticked in any daily plan, by topic."""
    wanted: dict[str, set[str]] = {}
    for plan in state.plans.values():
        for ident, ticked in plan.boxes.items():
            if ticked and item_kind(ident) == TOPIC_STEP:
                _, topic_id, box_id = ident.split(":", 2)
                wanted.setdefault(topic_id, set()).add(box_id)
    return wanted


def reconcile(roadmap: Roadmap, store: Store,
              issues: Iterable[Issue] | None = None) -> ReconcileReport:
    """Carry plan ticks into topics and close what is finished; writes only what changed."""
    report = ReconcileReport()
    trusted = trusted_authors(store)
    state = read_state(store.list_issues() if issues is None else issues, trusted)
    wanted = plan_ticks(state)
    finished: set[str] = set()
    for topic_id, row in state.topics.items():
        topic_row = state.rows.of_kind("topic")[topic_id]
        new = (wanted.get(topic_id, set()) & set(row.boxes)) - row.ticked
        ticked = row.ticked | new
        complete = bool(row.boxes) and ticked >= set(row.boxes)
        closes = complete and row.open and not topic_row.key.written.get("done")
        if not row.open:
            finished.add(topic_id)
        if not new and not closes:
            continue
        fields: dict[str, object] = {}
        body = topic_row.body
        block = keys.tick(body.block, new) if new else body.block
        key = body.key
        if closes:
            key = keys.Key(key.kind, key.id, {**key.written, "done": True})
            fields.update(state="closed", state_reason="completed")
            report.closed_topics.append(topic_id)
            finished.add(topic_id)
        report.updated.append(store.update_issue(
            row.number, body=keys.compose(key, block, body.before, body.after),
            **fields))  # type: ignore[arg-type]
        if new:
            report.ticked[topic_id] = new
            report.lines.append(f"Ticked {len(new)} box(es) in topic #{row.number} {topic_id}.")
        if closes:
            report.lines.append(f"Closed topic #{row.number} {topic_id}: every box is ticked.")
    for stage in roadmap.stages:
        rows = [state.topics[t.id] for t in stage.topics if t.id in state.topics]
        if not rows or len(rows) < len(stage.topics):
            continue
        if all(not r.open or r.id in finished for r in rows):
            open_milestones = {r.milestone for r in rows if r.milestone and r.milestone_open}
            for number in sorted(open_milestones):
                store.update_milestone(number, state="closed")
                report.closed_stages.append(stage.id)
                report.lines.append(f"Closed the milestone of stage {stage.id}: every topic "
                                    f"is closed.")
    if not report.lines:
        report.lines.append("Nothing to reconcile.")
    return report
