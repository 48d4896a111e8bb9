"""Two copies of one row: what two runs at once can leave behind. The older copy stays the row;
the newer one gives its ticks to it, loses its key and is closed, pointing at the row."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import keys
from .reading import real_issue
from .rows import IssueRow, Rows, issue_block, own_block
from .store.base import Issue, Store

_NOTE = {
    "en": "Duplicate of #{number}, left by two runs at once; its ticks were carried over there.",
    "zh-CN": "与 #{number} 重复（两次运行同时进行时留下的），勾选已同步到那里。",
}


@dataclass
class DedupeReport:
    lines: list[str] = field(default_factory=list)
    updated: list[Issue] = field(default_factory=list)


def resolve_duplicates(rows: Rows, store: Store, locale: str) -> DedupeReport:
    report = DedupeReport()
    for copy in rows.duplicates:
        slot = (copy.key.kind, copy.key.id)
        keeper = _read(store, rows.issues[slot])
        copy = _read(store, copy)
        missing = keys.ticked(copy.body.block) - keys.ticked(keeper.body.block)
        if missing:
            body = keys.compose(keeper.key, keys.tick(keeper.body.block, missing),
                                keeper.body.before, keeper.body.after)
            report.updated.append(store.update_issue(keeper.issue.number, body=body))
        note = _NOTE.get(locale, _NOTE["en"]).format(number=keeper.issue.number)
        text = _without_copies(copy, f"{copy.body.before}{note}{copy.body.after}", rows)
        still_open = copy.issue.state == "open"
        report.updated.append(store.update_issue(
            copy.issue.number, body=text, state="closed" if still_open else None,
            state_reason="not_planned" if still_open else None))
        report.lines.append(f"Closed #{copy.issue.number}, a duplicate of "
                            f"#{keeper.issue.number} ({slot[0]} {slot[1]}).")
    return report


def _read(store: Store, row: IssueRow) -> IssueRow:
    """The row with its real body (one made from the ledger is read from the store)."""
    if not keys.is_unread(row.issue.body):
        return row
    issue = real_issue(store, row.issue)
    return IssueRow(issue, issue_block(issue) or row.body)


def _without_copies(copy: IssueRow, text: str, rows: Rows) -> str:
    """The closed copy's text without any other block that would make it a copy again (a
    learner may have pasted a block twice, or blocks of several rows): else the next run
    finds it a duplicate again. A block of a key no other issue holds stays."""
    while (left := own_block(text, copy.issue.title, copy.issue.labels)) is not None:
        held = rows.issues.get((left.key.kind, left.key.id))
        if held is None or held.issue.number == copy.issue.number:
            break
        text = f"{left.before}{left.after}"
    return text
