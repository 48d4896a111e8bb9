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
from .rows import MilestoneRow, read_rows
from .state import TOPIC_STEP, StudyState, item_kind, read_state
from .store.base import Issue, Store, StoreBadInput, trusted_authors
from .sync import topic_fields


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
    milestones: dict[str, MilestoneRow] | None = None  # listed only when a stage may be done
    topic_rows = state.rows.of_kind("topic")
    for topic_id, row in state.topics.items():
        topic_row = topic_rows[topic_id]
        topic = roadmap.topics_by_id.get(topic_id)
        needed = {b.id for b in topic.checkboxes} if topic else set(row.boxes)
        # A plan tick of a box the body no longer shows (its id comment edited by hand) is
        # carried by writing the topic's block afresh from the roadmap, ticks kept.
        lost = (wanted.get(topic_id, set()) & needed) - set(row.boxes)
        new = (wanted.get(topic_id, set()) & (set(row.boxes) | lost)) - row.ticked
        ticked = row.ticked | new
        # Complete means every box of the roadmap's topic, not just those the body still shows.
        complete = bool(needed) and ticked >= needed
        closes = complete and row.open and not topic_row.key.written.get("done")
        if not row.open:
            finished.add(topic_id)
        if not new and not closes:
            continue
        fields: dict[str, object] = {}
        body = topic_row.body
        if body.open_ended:  # its end marker was deleted: sync repairs it first
            report.lines.append(f"Topic #{row.number} {topic_id} lost its end marker: "
                                f"the next sync puts it back.")
            continue
        block = keys.tick(body.block, new) if new else body.block
        key = body.key
        if lost and topic is not None:
            numbers = {t: r.number for t, r in state.topics.items()}
            fresh, fresh_key = topic_fields(roadmap, topic, numbers, frozenset(ticked))
            parsed = keys.parse(fresh)
            block = parsed.block if parsed else block
            key = keys.Key(key.kind, key.id, {**key.written, "b": fresh_key.written["b"]})
        if closes:
            key = keys.Key(key.kind, key.id, {**key.written, "done": True})
            fields.update(state="closed", state_reason="completed")
            report.closed_topics.append(topic_id)
            finished.add(topic_id)
        try:
            report.updated.append(store.update_issue(
                row.number, body=keys.compose(key, block, body.before, body.after),
                **fields))  # type: ignore[arg-type]
        except StoreBadInput as error:
            if not fields:
                report.lines.append(f"Left topic #{row.number} as it is: {error}")
                continue
            # The body is at GitHub's size limit: close the topic without touching the text.
            report.updated.append(store.update_issue(row.number, **fields))  # type: ignore
            report.lines.append(f"Topic #{row.number}: its body is at GitHub's limit, so the "
                                f"ticks were not written into it ({error}).")
        if new:
            report.ticked[topic_id] = new
            report.lines.append(f"Ticked {len(new)} box(es) in topic #{row.number} {topic_id}.")
        if closes:
            report.lines.append(f"Closed topic #{row.number} {topic_id}: every box is ticked.")
    for stage in roadmap.stages:
        rows = [state.topics[t.id] for t in stage.topics if t.id in state.topics]
        if not rows or len(rows) < len(stage.topics):
            continue
        if all(not r.open or r.id in finished for r in rows) and any(
                r.milestone and r.milestone_open for r in rows):
            # Close the stage's own milestone only: a topic the learner moved by hand sits
            # in another stage's milestone, which is not finished.
            if milestones is None:
                milestones = read_rows([], store.list_milestones(), trusted).milestones
            own = milestones.get(stage.id)
            if own is not None and own.milestone.state == "open":
                store.update_milestone(own.milestone.number, state="closed")
                report.closed_stages.append(stage.id)
                report.lines.append(f"Closed the milestone of stage {stage.id}: every topic "
                                    f"is closed.")
    if not report.lines:
        report.lines.append("Nothing to reconcile.")
    return report
