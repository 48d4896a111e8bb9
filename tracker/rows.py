"""The tracker's rows: keyed issues and milestones, read from one listing of each.

Only issues whose hidden key parses *and* whose author is the repository owner or the Actions
bot are rows. In a public repository anyone can open an issue; a stranger's copy of a key is
ignored: never adopted, edited, closed or counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import keys
from .labels import KIND_LABELS
from .store.base import Issue, Milestone, Trusted


@dataclass(frozen=True)
class IssueRow:
    issue: Issue
    body: keys.Body

    @property
    def key(self) -> keys.Key:
        return self.body.key


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    body: keys.Body

    @property
    def key(self) -> keys.Key:
        return self.body.key


@dataclass
class Rows:
    """Rows by kind and id; extra copies of one key (from an interrupted run) set aside."""

    issues: dict[tuple[str, str], IssueRow] = field(default_factory=dict)
    duplicates: list[IssueRow] = field(default_factory=list)
    milestones: dict[str, MilestoneRow] = field(default_factory=dict)
    all_milestones: list[Milestone] = field(default_factory=list)
    keyless: list[Issue] = field(default_factory=list)  # trusted issues whose key was deleted

    def of_kind(self, kind: str) -> dict[str, IssueRow]:
        return {ident: row for (k, ident), row in self.issues.items() if k == kind}


def own_block(text: str | None, title: str, labels: Iterable[str] = ()) -> keys.Body | None:
    """The block that is this issue's (or milestone's) own, when its body holds several.

    A learner who copies another issue's text from the edit box into their notes copies its
    hidden key too. The key that counts is, among the blocks, one of the kind the issue's
    labels say (topic, daily-plan, retro; any kind if it has none of them), and among those
    the one that names the issue's title as the tracker gave it; failing that, the first.
    The other blocks are the learner's text, left as they are.
    """
    found = keys.blocks(text)
    if len(found) <= 1:
        return found[0] if found else None
    kinds = {kind for kind, label in KIND_LABELS.items() if label in labels}
    fitting = [b for b in found if b.key.kind in kinds] or found
    named = keys.digest(title)
    return next((b for b in fitting if b.key.written.get("t") == named), fitting[0])


def issue_block(issue: Issue) -> keys.Body | None:
    """The issue's own block (see `own_block`)."""
    return own_block(issue.body, issue.title, issue.labels)


def read_rows(issues: Iterable[Issue], milestones: Iterable[Milestone],
              trusted: Trusted) -> Rows:
    """Sort the listings into the tracker's rows; the oldest copy of a key wins."""
    rows = Rows()
    for issue in sorted(issues, key=lambda i: i.number):
        if not trusted.wrote(issue):
            continue
        body = issue_block(issue)
        if body is None:
            rows.keyless.append(issue)
            continue
        slot = (body.key.kind, body.key.id)
        if slot in rows.issues:
            rows.duplicates.append(IssueRow(issue, body))
        else:
            rows.issues[slot] = IssueRow(issue, body)
    for milestone in sorted(milestones, key=lambda m: m.number):
        rows.all_milestones.append(milestone)
        body = own_block(milestone.description, milestone.title)
        if body is not None and body.key.kind == "stage":
            rows.milestones.setdefault(body.key.id, MilestoneRow(milestone, body))
    return rows
