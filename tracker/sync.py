"""`tracker sync`: make the store hold the roadmap's labels, milestones and topic issues.

What should change is a pure function of the roadmap and the rows read (`plan_*`); making it so
is a thin loop over the store (`apply`). The tracker changes only what the roadmap changed
since it last wrote (remembered in each row's key), so a title the learner renamed, a stage
they moved an issue to, labels they added and ticks they made all stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from . import keys
from .labels import KIND_LABELS, desired_labels, topic_labels
from .ledger import Ledger
from .model import Roadmap, Stage, Topic
from .reading import current_labels, current_milestones
from .render import GITHUB_BODY_LIMIT, too_long, topic_body
from .rows import IssueRow, MilestoneRow, Rows, issue_block, read_rows
from .store.base import Issue, Label, Milestone, Store, StoreBadInput, Trusted, trusted_authors

# GitHub's content-creation limit is 500 an hour; leave room for the day's plan and the retro.
CREATES_PER_RUN = 400

_REMOVED_COMMENT = {
    "en": "This topic is no longer in `roadmap.yml`, so it is closed as not planned. Put it "
          "back in the roadmap and the next sync reopens it, with your ticks.",
    "zh-CN": "这个主题已不在 `roadmap.yml` 中，因此关闭为“不再计划”。把它放回路线图，"
             "下次同步会重新打开它，勾选都会保留。",
}
_STAGE_DATES = {"en": "{start} → {due}", "zh-CN": "{start} → {due}"}
_ONGOING = {"en": "ongoing", "zh-CN": "持续学习"}


@dataclass(frozen=True)
class Change:
    """One write the sync will make, and why."""

    action: str  # "create" | "update" | "close" | "reopen"
    kind: str  # "label" | "milestone" | "topic"
    ident: str
    title: str
    reasons: tuple[str, ...] = ()
    number: int | None = None
    fields: dict[str, Any] = field(default_factory=dict, compare=False)
    comment: str | None = None

    def describe(self) -> str:
        where = f" #{self.number}" if self.number else ""
        why = f" ({'; '.join(self.reasons)})" if self.reasons else ""
        return f"{self.action} {self.kind}{where} {self.ident}: {self.title}{why}"


# -- what the roadmap wants ----------------------------------------------------------------------
def milestone_description(roadmap: Roadmap, stage: Stage) -> str:
    dates = _STAGE_DATES[roadmap.learner.locale].format(
        start=stage.start, due=stage.due or _ONGOING[roadmap.learner.locale])
    return f"{stage.goal}\n\n{dates}" if stage.goal else dates


def _milestone_key(stage: Stage, goal: str, removed: bool = False) -> keys.Key:
    written: dict[str, Any] = {"t": keys.digest(stage.title), "d": keys.digest(goal),
                               "due": stage.due.isoformat() if stage.due else None}
    if removed:
        written["removed"] = True
    return keys.Key("stage", stage.id, written)


def topic_fields(roadmap: Roadmap, topic: Topic, numbers: dict[str, int],
                 ticked: frozenset[str] = frozenset(), before: str = "",
                 after: str = "", milestone: int | None = None) -> tuple[str, keys.Key]:
    """The body a topic issue should have, and the key it carries (with the milestone the
    tracker puts it in, when that is known)."""
    neutral = topic_body(roadmap, topic, numbers)
    block = neutral if not ticked else topic_body(roadmap, topic, numbers, ticked)
    written: dict[str, Any] = {"t": keys.digest(topic.title), "b": keys.digest(neutral),
                               "l": list(topic_labels(topic)), "s": topic.stage_id}
    if milestone is not None:
        written["m"] = milestone
    key = keys.Key("topic", topic.id, written)
    return keys.compose(key, block, before, after), key


def topological(topics: Iterable[Topic]) -> list[Topic]:
    """Topics in roadmap order, each after the topics it depends on (so links can be made)."""
    topics = list(topics)
    by_id = {t.id: t for t in topics}
    done: set[str] = set()
    ordered: list[Topic] = []

    def place(topic: Topic, path: frozenset[str]) -> None:
        if topic.id in done or topic.id in path:
            return
        for dep in topic.depends_on:
            if dep in by_id:
                place(by_id[dep], path | {topic.id})
        done.add(topic.id)
        ordered.append(topic)

    for topic in topics:
        place(topic, frozenset())
    return ordered


# -- plans ----------------------------------------------------------------------------------------
def plan_labels(roadmap: Roadmap, actual: Iterable[Label]) -> list[Change]:
    """Create the labels that are missing; a label the learner recoloured stays as it is."""
    have = {label.name.lower() for label in actual}
    return [Change("create", "label", label.name, label.description, ("missing",),
                   fields={"label": label})
            for label in desired_labels(roadmap) if label.name.lower() not in have]


def plan_milestones(roadmap: Roadmap, rows: Rows) -> list[Change]:
    changes = []
    for stage in roadmap.stages:
        description = milestone_description(roadmap, stage)
        key = _milestone_key(stage, description)
        row = rows.milestones.get(stage.id)
        if row is None:
            # GitHub allows one milestone per title: take over one of the same title that no
            # stage owns (made by hand, or left by a stage whose id was changed).
            owned = {r.milestone.number for i, r in rows.milestones.items()
                     if i in roadmap.stages_by_id}
            same = next((m for m in rows.all_milestones
                         if m.title == stage.title and m.number not in owned), None)
            if same is not None:
                changes.append(Change("update", "milestone", stage.id, stage.title,
                                      ("takes over the milestone of the same title",),
                                      same.number, fields={
                                          "due": stage.due, "state": "open",
                                          "description": keys.compose(key, description)}))
                continue
            changes.append(Change("create", "milestone", stage.id, stage.title, ("new stage",),
                                  fields={"title": stage.title, "due": stage.due,
                                          "description": keys.compose(key, description)}))
            continue
        changes.extend(_milestone_update(row, stage, description, key))
    wanted = set(roadmap.stages_by_id)
    taken = {c.number for c in changes if c.number is not None}
    for ident, row in rows.milestones.items():
        if ident not in wanted and row.milestone.state == "open" \
                and not row.key.written.get("removed") and row.milestone.number not in taken:
            changes.append(Change("close", "milestone", ident, row.milestone.title,
                                  ("stage removed from the roadmap",), row.milestone.number,
                                  fields={"state": "closed", "description": keys.compose(
                                      keys.Key("stage", ident, {**row.key.written,
                                                                "removed": True}),
                                      row.body.block, row.body.before, row.body.after)}))
    return changes


def _milestone_update(row: MilestoneRow, stage: Stage, description: str,
                      key: keys.Key) -> list[Change]:
    last = row.key.written
    fields: dict[str, Any] = {}
    reasons = []
    if last.get("t") != key.written["t"]:
        fields["title"] = stage.title
        reasons.append("title changed in the roadmap")
    if last.get("due") != key.written["due"] or (row.milestone.due is None) != stage.ongoing:
        fields["due"] = stage.due
        reasons.append(f"due date {last.get('due')} → {stage.due}")
    goal_changed = last.get("d") != key.written["d"]
    if goal_changed:
        reasons.append("goal or dates changed in the roadmap")
    reopen = bool(last.get("removed"))
    if reopen:
        fields["state"] = "open"
        reasons.append("stage is back in the roadmap")
    if not fields and not goal_changed:
        return []
    block = description if goal_changed else row.body.block
    fields["description"] = keys.compose(key, block, row.body.before, row.body.after)
    action = "reopen" if reopen else "update"
    return [Change(action, "milestone", stage.id, stage.title, tuple(reasons),
                   row.milestone.number, fields=fields)]


def plan_topic_creates(roadmap: Roadmap, rows: Rows) -> list[Change]:
    """New topics, dependencies first; a topic issue whose key the learner deleted is found
    again by its title and label, and gets its key back instead of a second issue."""
    have = rows.of_kind("topic")
    orphans = {i.title: i for i in rows.keyless if KIND_LABELS["topic"] in i.labels}
    changes = []
    for topic in topological(roadmap.topics):
        if topic.id in have:
            continue
        orphan = orphans.pop(topic.title, None)
        if orphan is not None:
            changes.append(Change("adopt", "topic", topic.id, topic.title,
                                  ("its hidden key was deleted: written back",), orphan.number,
                                  fields={"body": orphan.body}))
        else:
            changes.append(Change("create", "topic", topic.id, topic.title, ("new topic",)))
    return changes


def _adopted_body(roadmap: Roadmap, topic: Topic, numbers: dict[str, int], old: str,
                  milestone: int | None) -> str:
    """The body of a topic issue that lost its key: a fresh block, the old text kept."""
    end = old.find(keys.END)
    if end >= 0:  # the begin marker was deleted: what came before the end was the block
        ticked = keys.ticked(old[:end])
        body, _ = topic_fields(roadmap, topic, numbers, ticked, "", old[end + len(keys.END):],
                               milestone)
        return body
    body, _ = topic_fields(roadmap, topic, numbers, frozenset(), "",
                           "\n\n" + old.strip("\n"), milestone)
    return body


def plan_topic_updates(roadmap: Roadmap, rows: Rows, milestones: dict[str, int],
                       numbers: dict[str, int]) -> list[Change]:
    """Rewrites of topics the roadmap changed, closes of removed ones, reopens of returned,
    and topics put back into their stage's milestone after it was deleted and made again."""
    changes = []
    have = rows.of_kind("topic")
    existing = {m.number for m in rows.all_milestones} | set(milestones.values())
    for topic in roadmap.topics:
        row = have.get(topic.id)
        if row is not None:
            change = _topic_update(roadmap, topic, row, milestones, numbers, existing)
            if change:
                changes.append(change)
    wanted = set(roadmap.topics_by_id)
    locale = roadmap.learner.locale
    for ident, row in have.items():
        issue = row.issue
        if ident in wanted or issue.state != "open" or row.key.written.get("removed"):
            continue  # reopened by hand after removal: the learner decided
        key = keys.Key("topic", ident, {**row.key.written, "removed": True})
        changes.append(Change(
            "close", "topic", ident, issue.title, ("removed from the roadmap",), issue.number,
            fields={"state": "closed", "state_reason": "not_planned",
                    "body": keys.compose(key, row.body.block, row.body.before, row.body.after)},
            comment=_REMOVED_COMMENT[locale]))
    return changes


def _milestone_move(topic: Topic, row: IssueRow, milestones: dict[str, int],
                    existing: set[int]) -> tuple[int | None, str | None]:
    """The milestone the topic is to be put in, and why; (None, None) to leave it.

    The roadmap moved the topic to another stage, or its milestone is gone: deleted by hand
    (GitHub then leaves its issues without one) and made again by this sync. A topic the
    learner took out of a milestone that still exists stays out.
    """
    last = row.key.written
    target = milestones.get(topic.stage_id)
    if target is None:
        return None, None
    if last.get("s") != topic.stage_id:
        return target, f"moved to stage {topic.stage_id}"
    if row.issue.milestone is None and last.get("m") not in existing:
        return target, "its stage's milestone was deleted: put in the new one"
    return None, None


def _topic_update(roadmap: Roadmap, topic: Topic, row: IssueRow, milestones: dict[str, int],
                  numbers: dict[str, int], existing: set[int]) -> Change | None:
    last = row.key.written
    ticked = keys.ticked(row.body.block)
    move, why = _milestone_move(topic, row, milestones, existing)
    recorded = move if move is not None else last.get("m")
    body, key = topic_fields(roadmap, topic, numbers, ticked, row.body.before, row.body.after,
                             recorded)
    wanted = key.written
    fields: dict[str, Any] = {}
    reasons: list[str] = []
    if last.get("t") != wanted["t"]:
        fields["title"] = topic.title
        reasons.append("title changed in the roadmap")
    if row.body.open_ended:
        # The end marker was deleted: what follows the key may be the learner's own text, so
        # a fresh block goes in and all of the old text is kept below it, outside the block.
        fresh = keys.parse(topic_fields(roadmap, topic, numbers, ticked)[0])
        body = keys.compose(key, fresh.block if fresh else "", row.body.before,
                            "\n\n" + row.body.after.lstrip("\n"))
        reasons.append("end marker restored; the old text is kept below the block")
    elif last.get("b") != wanted["b"]:
        reasons.append("content changed in the roadmap")
    else:  # keep the learner's block as it is; only the key may change
        body = keys.compose(key, row.body.block, row.body.before, row.body.after)
    if list(last.get("l", [])) != wanted["l"]:
        ours_before = set(last.get("l", []))
        kept = [n for n in row.issue.labels if n not in ours_before and n not in wanted["l"]]
        fields["labels"] = [*wanted["l"], *kept]
        reasons.append("labels changed in the roadmap")
    if move is not None and why is not None:
        fields["milestone"] = move
        reasons.append(why)
    action = "update"
    if last.get("removed"):
        if row.issue.state == "closed":
            fields.update(state="open")
            action = "reopen"
        reasons.append("back in the roadmap")
    if not reasons:
        return None
    if too_long(body):
        # The learner's notes leave no room for the tracker's rewrite: keep their body as it
        # is (asking would only be refused, run after run) and change the rest.
        reasons.append(f"its text is left as it is: topic #{row.issue.number} is too long "
                       f"for GitHub ({GITHUB_BODY_LIMIT:,} characters at most); move some "
                       f"notes to a comment")
        if not fields:
            return Change("skip", "topic", topic.id, topic.title, tuple(reasons),
                          row.issue.number)
    else:
        fields["body"] = body
    return Change(action, "topic", topic.id, topic.title, tuple(reasons), row.issue.number,
                  fields=fields)


# -- making it so ----------------------------------------------------------------------------------
class Pacer:
    """Caps content-creating writes per run: GitHub allows 500 an hour (the GitHub store also
    spaces every write a second apart, which keeps creation under 80 a minute)."""

    def __init__(self, cap: int = CREATES_PER_RUN) -> None:
        self.cap = cap
        self.created = 0

    @property
    def exhausted(self) -> bool:
        return self.created >= self.cap

    def before_create(self) -> None:
        self.created += 1


@dataclass
class SyncReport:
    """What a sync did, or with --dry-run would do."""

    changes: list[Change] = field(default_factory=list)
    applied: int = 0
    left: int = 0  # creates left for the next run (pacing)
    refused: list[str] = field(default_factory=list)  # updates GitHub would not take
    written: list[Issue] = field(default_factory=list)  # issues as created or updated
    milestones_written: list[Milestone] = field(default_factory=list)
    labels_written: list[Label] = field(default_factory=list)
    dry_run: bool = False

    @property
    def writes(self) -> list[Change]:
        return self.changes

    def lines(self) -> list[str]:
        if not self.changes:
            return ["Nothing to change: the store already matches the roadmap.",
                    *(f"Could not update {line}" for line in self.refused)]
        verb = "Would make" if self.dry_run else "Made"
        out = [f"{verb} {len(self.changes) if self.dry_run else self.applied} change(s):"]
        out += [f"  {c.describe()}" for c in self.changes[: len(self.changes)]]
        out += [f"Could not update {line}" for line in self.refused]
        if self.left:
            out.append(f"{self.left} object(s) left to create: GitHub limits how fast content "
                       f"is created, so the next run (e.g. in an hour) finishes them.")
        return out


@dataclass
class SyncPlan:
    """What sync would do, planned from the rows and the listings it was given."""

    rows: Rows
    labels: list[Change]
    milestones: list[Change]
    creates: list[Change]
    stage_numbers: dict[str, int]  # each stage's milestone, as the rows show it
    numbers: dict[str, int]  # each topic's issue
    _updates: tuple[Any, list[Change]] | None = None

    def updates(self, roadmap: Roadmap) -> list[Change]:
        """The topics' updates (rendering every topic: made once while nothing moves)."""
        state = (id(roadmap), tuple(self.stage_numbers.items()), tuple(self.numbers.items()),
                 tuple((k, r.issue) for k, r in self.rows.issues.items() if k[0] == "topic"))
        if self._updates is None or self._updates[0] != state:
            self._updates = (state, plan_topic_updates(roadmap, self.rows, self.stage_numbers,
                                                       self.numbers))
        return self._updates[1]

    def touches_listings(self, roadmap: Roadmap) -> bool:
        """Whether it would write anything that depends on the labels and milestones being
        as they are now (create them, change them, create a topic in a milestone, move one):
        then they are listed again before writing, not taken from the ledger."""
        return bool(self.labels or self.milestones or self.creates) or any(
            "milestone" in change.fields for change in self.updates(roadmap))


def plan_sync(roadmap: Roadmap, issues: Iterable[Issue], milestones: Iterable[Milestone],
              labels: Iterable[Label], trusted: Trusted) -> SyncPlan:
    """Every change the roadmap asks of the store, as the listings show it (pure)."""
    rows = read_rows(issues, milestones, trusted)
    milestone_changes = plan_milestones(roadmap, rows)
    stage_numbers = {ident: row.milestone.number for ident, row in rows.milestones.items()}
    stage_numbers.update({c.ident: c.number for c in milestone_changes
                          if c.action == "update" and c.number is not None})
    numbers = {ident: row.issue.number for ident, row in rows.of_kind("topic").items()}
    return SyncPlan(rows, plan_labels(roadmap, labels), milestone_changes,
                    plan_topic_creates(roadmap, rows), stage_numbers, numbers)


def sync(roadmap: Roadmap, store: Store, *, dry_run: bool = False,
         pacer: Pacer | None = None, issues: Iterable[Issue] | None = None,
         ledger: Ledger | None = None) -> SyncReport:
    """Compile the roadmap into the store: one listing per kind, one write per change.

    `issues` is a listing this run already holds (tick's, where the issues not changed since
    the last run are made from the ledger), used instead of listing again; `ledger` keeps the
    labels and milestones last listed: they are taken from it unless a write depends on them,
    and listed again then (free when they did not change). The issues written come back in
    `report.written`.
    """
    report = SyncReport(dry_run=dry_run)
    trusted = trusted_authors(store)
    issues = store.list_issues() if issues is None else list(issues)
    plan: SyncPlan | None = None
    if ledger is not None and ledger.milestones is not None and ledger.labels is not None:
        plan = plan_sync(roadmap, issues, ledger.milestones.items, ledger.labels.items, trusted)
    if plan is None or plan.touches_listings(roadmap):
        plan = plan_sync(roadmap, issues, current_milestones(store, ledger),
                         current_labels(store, ledger), trusted)
    if dry_run:
        report.changes = [*plan.labels, *plan.milestones, *plan.creates,
                          *plan.updates(roadmap)]
        return report
    _apply(roadmap, store, plan, pacer or Pacer(), report, trusted)
    if ledger is not None:  # what it made, for the next run's plan without a listing
        ledger.take_milestones(report.milestones_written, every=False)
        ledger.take_labels(report.labels_written)
    return report


def _apply(roadmap: Roadmap, store: Store, plan: SyncPlan, pacer: Pacer, report: SyncReport,
           trusted: Trusted) -> None:
    """Make the plan so: creates first (paced), then the updates, planned again once the new
    topics have their numbers (links to new dependencies need them)."""
    def run(change: Change, write: Callable[[], Any]) -> Any:
        result = write()
        report.changes.append(change)
        report.applied += 1
        if isinstance(result, Issue):
            report.written.append(result)
        elif isinstance(result, Milestone):
            report.milestones_written.append(result)
        elif isinstance(result, Label):
            report.labels_written.append(result)
        return result

    milestones = plan.stage_numbers
    creates = [*plan.labels, *[c for c in plan.milestones if c.action == "create"]]
    for change in creates:
        if pacer.exhausted:
            break
        pacer.before_create()
        if change.kind == "label":
            run(change, partial(store.create_label, change.fields["label"]))
        else:
            made = run(change, partial(store.create_milestone, change.fields["title"],
                                       change.fields["description"], change.fields["due"]))
            milestones[change.ident] = made.number
    for change in plan.milestones:
        if change.action != "create" and change.number is not None:
            run(change, partial(store.update_milestone, change.number, **change.fields))
    _create_topics(roadmap, store, plan, pacer, run)
    report.left = (len(creates) + sum(1 for c in plan.creates if c.action == "create")) - sum(
        1 for c in report.changes if c.action == "create")
    _update_topics(roadmap, store, plan, pacer, report, trusted, run)


def _create_topics(roadmap: Roadmap, store: Store, plan: SyncPlan, pacer: Pacer,
                   run: Callable[[Change, Callable[[], Any]], Any]) -> None:
    """New topics, and topics whose key was deleted given it back (adopted)."""
    milestones, numbers = plan.stage_numbers, plan.numbers
    topics = roadmap.topics_by_id
    for change in plan.creates:
        topic = topics[change.ident]
        if change.action == "adopt" and change.number is not None:
            old = change.fields["body"]
            if keys.is_unread(old):  # made from the ledger: the real text is needed here
                old = store.get_issue(change.number).body
            body = _adopted_body(roadmap, topic, numbers, old, milestones.get(topic.stage_id))
            run(change, partial(store.update_issue, change.number, body=body,
                                labels=list(topic_labels(topic)),
                                milestone=milestones.get(topic.stage_id)))
            numbers[topic.id] = change.number
            continue
        if pacer.exhausted or topic.stage_id not in milestones:
            continue
        pacer.before_create()
        body, _ = topic_fields(roadmap, topic, numbers, milestone=milestones[topic.stage_id])
        issue = run(change, partial(store.create_issue, topic.title, body,
                                    list(topic_labels(topic)), milestones[topic.stage_id]))
        numbers[topic.id] = issue.number


def _update_topics(roadmap: Roadmap, store: Store, plan: SyncPlan, pacer: Pacer,
                   report: SyncReport, trusted: Trusted,
                   run: Callable[[Change, Callable[[], Any]], Any]) -> None:
    """Rewrite, close or reopen the topics the roadmap changed, one write each."""
    topic_rows = plan.rows.of_kind("topic")
    for change in _with_real_bodies(roadmap, store, plan):
        if change.action == "skip" or change.number is None:
            report.refused.append(f"#{change.number} {change.ident}: {'; '.join(change.reasons)}")
            continue
        if change.comment:
            # Say why before closing: a run that dies in between then leaves an open issue
            # with the comment, and the next run closes it without saying it twice.
            marker = _comment_marker(change)
            commented = topic_rows[change.ident].issue.comments > 0 and any(
                marker in c.body and trusted.wrote(c)
                for c in store.list_comments(change.number))
            if not commented:
                pacer.before_create()
                store.create_comment(change.number, f"{marker}\n{change.comment}")
        try:
            run(change, partial(store.update_issue, change.number, **change.fields))
        except StoreBadInput as error:
            # One issue GitHub refuses (the learner's notes filled its body) must not stop
            # the others; the line says which and why.
            report.refused.append(f"#{change.number} {change.ident}: {error}")


def _with_real_bodies(roadmap: Roadmap, store: Store, plan: SyncPlan) -> list[Change]:
    """The topic updates, planned again for each topic whose new body needs text this run
    did not read (its notes, or its block kept as it is): that topic is read first. A topic
    whose body is the tracker's block alone needs no read for a new block."""
    changes = plan.updates(roadmap)
    unread = {c.ident for c in changes if keys.is_unread(c.fields.get("body"))}
    if not unread:
        return changes
    topic_rows = plan.rows.of_kind("topic")
    for ident in unread:
        issue = store.get_issue(topic_rows[ident].issue.number)
        body = issue_block(issue)
        if body is not None:
            plan.rows.issues[("topic", ident)] = IssueRow(issue, body)
    return plan.updates(roadmap)


def _comment_marker(change: Change) -> str:
    return f"<!-- study-tracker:comment {change.action}-{change.kind} {change.ident} -->"
