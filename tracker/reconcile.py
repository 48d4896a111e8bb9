"""`tracker reconcile`: a tick in a daily plan is a tick in the topic it came from.

A topic whose boxes are all ticked is closed as completed; a stage whose topics are all closed
has its milestone closed. It never unticks anything, and a topic the learner reopened after the
tracker closed it stays open. A tick is written into the topic in place: every other character
of the body (the learner's notes, their line endings) stays as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from . import keys, planner
from .ledger import Ledger
from .model import Roadmap, Topic
from .reading import current_milestones
from .render import GITHUB_BODY_LIMIT, too_long
from .rows import IssueRow, MilestoneRow, issue_block, read_rows
from .state import StudyState, TopicRow, plan_ticks, read_state
from .store.base import Issue, Store, StoreBadInput, trusted_authors
from .sync import topic_fields

_TOO_LONG = {
    "en": "This topic is too long for GitHub (a body holds {limit:,} characters at most), so "
          "the tracker could not tick it here: {boxes}. The tick counts all the same: your "
          "daily plan holds it. Move some of your notes into a comment and the next run "
          "ticks it here.",
    "zh-CN": "这个主题太长，GitHub 不接受（正文最多 {limit:,} 个字符），"
             "所以无法在这里勾选：{boxes}。勾选照样算数：每日计划里记着它。"
             "把一些笔记移到评论里，下次运行就会在这里勾上。",
}


@dataclass
class ReconcileReport:
    lines: list[str] = field(default_factory=list)
    ticked: dict[str, set[str]] = field(default_factory=dict)
    closed_topics: list[str] = field(default_factory=list)
    closed_stages: list[str] = field(default_factory=list)
    not_taken: list[str] = field(default_factory=list)  # topics of a choice not made, closed
    updated: list[Issue] = field(default_factory=list)  # issues as they are after the writes


@dataclass(frozen=True)
class TopicTicks:
    """What a topic is to receive: ticks from the plans, and whether it closes."""

    row: TopicRow
    issue: IssueRow
    topic: Topic | None
    new: frozenset[str]  # boxes ticked in a plan, not yet in the topic's body
    lost: frozenset[str]  # of those, boxes the body no longer shows (their id edited by hand)
    closes: bool


def topic_ticks(roadmap: Roadmap, row: TopicRow, issue: IssueRow,
                wanted: set[str]) -> TopicTicks | None:
    """The ticks and the close a topic is due, or None if it is up to date."""
    topic_id = row.id
    topic = roadmap.topics_by_id.get(topic_id)
    boxes = {b.id for b in topic.checkboxes} if topic else set(row.boxes)
    # A plan tick of a box the body no longer shows (its id comment edited by hand) is
    # carried by writing the topic's block afresh from the roadmap, ticks kept.
    lost = (wanted & boxes) - set(row.boxes)
    new = (wanted & (set(row.boxes) | lost)) - row.in_body
    # Complete means every box of the roadmap's topic, not just those the body still shows;
    # an optional box may be left.
    needed = {b.id for b in topic.checkboxes if not b.optional} if topic else boxes
    complete = bool(needed) and row.in_body | new >= needed
    closes = complete and row.open and not issue.key.written.get("done")
    if not new and not closes:
        return None
    return TopicTicks(row, issue, topic, frozenset(new), frozenset(lost), closes)


def ticked_bodies(roadmap: Roadmap, state: StudyState, due: TopicTicks) -> list[str]:
    """The bodies that would carry the ticks, best first: with the key's note that the tracker
    closed the topic, then without it (it may not fit); the learner's text kept in both."""
    body, key = due.issue.body, due.issue.key
    keys_to_try = [keys.Key(key.kind, key.id, {**key.written, "done": True}), key] \
        if due.closes else [key]
    if due.lost and due.topic is not None:
        numbers = {t: r.number for t, r in state.topics.items()}
        fresh, fresh_key = topic_fields(roadmap, due.topic, numbers,
                                        frozenset(due.row.in_body | due.new))
        parsed = keys.parse(fresh)
        block = parsed.block if parsed else body.block
        return [keys.compose(keys.Key(k.kind, k.id, {**k.written, "b": fresh_key.written["b"]}),
                             block, body.before, body.after) for k in keys_to_try]
    text = due.issue.issue.body
    return [keys.retick(text, body, due.new, k) for k in keys_to_try]


def reconcile(roadmap: Roadmap, store: Store, issues: Iterable[Issue] | None = None,
              ledger: Ledger | None = None) -> ReconcileReport:
    """Carry plan ticks into topics and close what is finished; writes only what changed.

    `issues` is a listing this run holds (some of them made from the ledger, their bodies
    unread: a topic to tick is read first, unless its body can be put together again);
    `ledger` keeps the milestones last listed, for the listing's tag."""
    report = ReconcileReport()
    trusted = trusted_authors(store)
    state = read_state(store.list_issues() if issues is None else issues, trusted)
    wanted = plan_ticks(state.plans.values())
    finished = {topic_id for topic_id, row in state.topics.items() if not row.open}
    issues_of = state.rows.of_kind("topic")  # once, not once per topic
    for topic_id, row in state.topics.items():
        due = topic_ticks(roadmap, row, issues_of[topic_id], wanted.get(topic_id, set()))
        if due is not None and keys.is_unread(due.issue.issue.body):
            real = real_topic(roadmap, store, state, due.issue)
            due = topic_ticks(roadmap, row, real, wanted.get(topic_id, set()))
        if due is None:
            continue
        if due.issue.body.open_ended:  # its end marker was deleted: sync repairs it first
            report.lines.append(f"Topic #{due.row.number} {topic_id} lost its end marker: "
                                f"the next sync puts it back.")
            continue
        if _write_ticks(roadmap, store, state, due, report) and due.closes:
            finished.add(topic_id)
    _close_not_taken(roadmap, store, state, report)
    _close_stages(roadmap, store, state, finished | set(report.not_taken), report, ledger)
    if not report.lines:
        report.lines.append("Nothing to reconcile.")
    return report


def real_topic(roadmap: Roadmap, store: Store, state: StudyState, row: IssueRow) -> IssueRow:
    """A topic made from the ledger, with its real body: put together again from the
    roadmap when it is the tracker's block alone (a digest tells it is the very body), else
    read from the store."""
    issue = row.issue
    topic = roadmap.topics_by_id.get(row.key.id)
    known = keys.unread_digest(issue.body)
    if topic is not None and known is not None and not row.body.open_ended:
        numbers = {t: r.number for t, r in state.topics.items()}
        ticked = keys.ticked(row.body.block)
        fresh = keys.parse(topic_fields(roadmap, topic, numbers, ticked)[0])
        if fresh is not None:
            again = keys.compose(row.key, fresh.block)
            if keys.body_digest(again) == known:
                real = replace(issue, body=again)
                return IssueRow(real, issue_block(real) or row.body)
    real = store.get_issue(issue.number)
    return IssueRow(real, issue_block(real) or row.body)


def _write_ticks(roadmap: Roadmap, store: Store, state: StudyState, due: TopicTicks,
                 report: ReconcileReport) -> bool:
    """Write the topic's ticks (and close it); True if the write was made."""
    number, topic_id = due.row.number, due.row.id
    fields: dict[str, Any] = {"state": "closed", "state_reason": "completed"} \
        if due.closes else {}
    fitting = [b for b in ticked_bodies(roadmap, state, due) if not too_long(b)]
    if fitting and fitting[0] == due.issue.issue.body and not fields:
        return False  # no box there could take the tick: a write would change nothing
    written = False
    try:
        if fitting:
            report.updated.append(store.update_issue(number, body=fitting[0], **fields))
            written = True
    except StoreBadInput as error:
        if "too long" not in str(error):
            report.lines.append(f"Left topic #{number} as it is: {error}")
            return False
    if not written:
        # No room for the ticks in the body: they count from the plan; say so once.
        if fields:
            report.updated.append(store.update_issue(number, **fields))
            written = True
        _say_too_long(roadmap, store, due, report)
    if written and due.new:
        report.ticked[topic_id] = set(due.new)
        report.lines.append(f"Ticked {len(due.new)} box(es) in topic #{number} {topic_id}.")
    if written and due.closes:
        report.closed_topics.append(topic_id)
        report.lines.append(f"Closed topic #{number} {topic_id}: every box is ticked.")
    return written


def _say_too_long(roadmap: Roadmap, store: Store, due: TopicTicks,
                  report: ReconcileReport) -> None:
    """Tell the learner, once for these ticks, on the topic itself: asking GitHub again every
    run would only be refused again."""
    number = due.row.number
    marker = f"<!-- study-tracker:comment too-long {due.row.id} {','.join(sorted(due.new))} -->"
    trusted = trusted_authors(store)
    said = due.issue.issue.comments > 0 and any(
        marker in c.body and trusted.wrote(c) for c in store.list_comments(number))
    if said:
        return
    texts = {b.id: b.text for b in due.topic.checkboxes} if due.topic else {}
    boxes = "; ".join(f"“{texts.get(b, b)}”" for b in sorted(due.new))
    locale = roadmap.learner.locale
    note = _TOO_LONG.get(locale, _TOO_LONG["en"]).format(limit=GITHUB_BODY_LIMIT, boxes=boxes)
    store.create_comment(number, f"{marker}\n{note}")
    report.lines.append(f"Topic #{number} is too long for GitHub; move some notes to a comment "
                        f"({len(due.new)} tick(s) from the plan count but are not written "
                        f"there; said in a comment on it).")


def _close_not_taken(roadmap: Roadmap, store: Store, state: StudyState,
                     report: ReconcileReport) -> None:
    """Close as not planned the topics of the stages a decision's choice did not take. A topic
    the learner reopened after that stays open."""
    chosen = planner.chosen_branches(roadmap, state)
    for stage in roadmap.stages:
        if stage.branch is None or stage.branch[0] not in chosen or \
                planner.is_planned(stage, chosen):
            continue
        for topic in stage.topics:
            row = state.topics.get(topic.id)
            if row is None or not row.open or row.state_reason == "reopened":
                continue
            report.updated.append(store.update_issue(row.number, state="closed",
                                                     state_reason="not_planned"))
            report.not_taken.append(topic.id)
            report.lines.append(f"Closed topic #{row.number} {topic.id} as not planned: "
                                f"decision '{stage.branch[0]}' took another way.")


def _close_stages(roadmap: Roadmap, store: Store, state: StudyState, finished: set[str],
                  report: ReconcileReport, ledger: Ledger | None) -> None:
    """Close the milestone of each stage whose topics are all closed (optional ones aside)."""
    milestones: dict[str, MilestoneRow] | None = None  # listed only when a stage may be done
    for stage in roadmap.stages:
        required = [t for t in stage.topics if not t.optional]  # an optional one may stay open
        rows = [state.topics[t.id] for t in required if t.id in state.topics]
        if not rows or len(rows) < len(required):
            continue
        if all(not r.open or r.id in finished for r in rows) and any(
                r.milestone and r.milestone_open for r in rows):
            # Close the stage's own milestone only: a topic the learner moved by hand sits
            # in another stage's milestone, which is not finished.
            if milestones is None:
                trusted = trusted_authors(store)
                milestones = read_rows([], current_milestones(store, ledger),
                                       trusted).milestones
            own = milestones.get(stage.id)
            if own is not None and own.milestone.state == "open":
                closed = store.update_milestone(own.milestone.number, state="closed")
                if ledger is not None:
                    ledger.take_milestones([closed], every=False)
                report.closed_stages.append(stage.id)
                report.lines.append(f"Closed the milestone of stage {stage.id}: every topic "
                                    f"is closed.")
