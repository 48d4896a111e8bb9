"""How a run reads the store: what changed since the last run, and the rest from the ledger.

The dashboard's ledger (`dashboard/state.json`) keeps a record of every issue the tracker counts
(`ledger.Record`). A run lists only the issues updated since the newest one it saw, and makes
the others from their records: issues equal to the real ones but for their bodies, whose key
and boxes are the real ones and whose other text is marked unread (`keys.unread_body`). Every
reader (rows, the learner's state, the planner, the figures) reads them as it reads the real
ones. A step that writes a body built from an issue's text reads that issue first
(`real_issue`); the stores refuse a body still holding the unread mark.

The whole history is listed only when there is no ledger for this store, or when asked
(`--full`); both give the same issues and the same state.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from . import keys
from .caches import describes
from .ledger import Cached, Ledger, moment, stamp
from .repo_files import write_atomic
from .store.base import (
    Issue,
    IssueMissing,
    Label,
    Listing,
    Milestone,
    Store,
    trusted_authors,
)

LEDGER_FILE = "dashboard/state.json"  # beside the dashboard, committed with it
# GitHub's `since` keeps the issues updated at or after it (its documents say "after"): a second
# earlier keeps an edit made in the very second of the newest one seen either way.
MARGIN = dt.timedelta(seconds=1)
EPOCH = "1970-01-01T00:00:01Z"
# A `since` listing this long makes its new `since` worth a write of the saved ledger on its
# own (the next listing would otherwise bring them all again).
FAR = 50
# GitHub's `since` listing shows neither an issue deleted by hand nor a milestone closed or
# deleted by hand (neither moves an issue's `updated_at`): every issue is read again once a
# week, so the ledger is never longer than that without knowing it.
READ_ALL_EVERY = dt.timedelta(days=7)


@dataclass
class Reading:
    """What a run read, and the ledger brought up to date with it."""

    ledger: Ledger
    listed: list[Issue]  # the issues listed this run: all of them, or those changed since
    changed: list[Issue] = field(default_factory=list)  # trusted issues read that differ
    whole: bool = False  # every issue was listed
    why: str = ""  # why every issue was listed
    unchanged: bool = False  # GitHub answered the `since` listing 304: nothing changed
    since: str | None = None  # what the listing asked for
    _issues: list[Issue] | None = None

    def issues(self) -> list[Issue]:
        """Every issue as it is now, by number: those listed, and the others made from their
        records in the ledger (bodies unread). Made when first asked (a quiet hour never
        asks)."""
        if self.whole:
            return self.listed
        if self._issues is None:
            by_number = {issue.number: issue for issue in self.ledger.issues()}
            by_number.update({issue.number: issue for issue in self.listed})
            self._issues = [by_number[n] for n in sorted(by_number)]
        return self._issues

    def settled(self, store: Store) -> bool:
        """Whether the saved ledger already says all this reading learnt: nothing changed,
        and where the next listing starts is not worth a write (`ledger_news`)."""
        return not self.whole and not self.changed and (
            self.unchanged or not (store.keeps_tags or self.ledger.far))

    def line(self) -> str:
        """What was read, for the run's report."""
        if self.whole:
            return f"Read all {len(self.listed)} issues{self.why}."
        if self.unchanged:
            return f"Nothing changed since {self.since} (GitHub answered 304 Not Modified)."
        return (f"Read {len(self.listed)} issue(s) updated since {self.since}, "
                f"{len(self.changed)} of them changed.")


def read_issues(store: Store, ledger: Ledger | None, tz: dt.tzinfo, *, today: dt.date,
                full: bool = False) -> Reading:
    """Every issue as it is now, reading as little as the ledger allows (`today`: the
    learner's date, for the weekly reading of every issue)."""
    if full or ledger is None or ledger.since is None:
        return _read_every_issue(store, tz, today)
    why = _read_all_due(ledger, today)
    if why is not None:
        return _read_every_issue(store, tz, today, why)
    return _read_since(store, ledger, tz)


def _read_every_issue(store: Store, tz: dt.tzinfo, today: dt.date, why: str = "") -> Reading:
    """A ledger made afresh from every issue: nothing of an earlier one is kept."""
    trusted = trusted_authors(store)
    fresh = Ledger(store=store.identity, read_all=today.isoformat())
    listing = store.list_issues()
    fresh.update(listing, trusted, tz)
    if fresh.since is None:  # an empty repository: the next run lists from the start
        fresh.since = EPOCH
    return Reading(fresh, listing, [i for i in listing if trusted.wrote(i)], whole=True,
                   why=why)


def _read_since(store: Store, ledger: Ledger, tz: dt.tzinfo) -> Reading:
    """The ledger brought up to date with the issues updated since the newest it saw."""
    trusted = trusted_authors(store)
    since = moment(ledger.since or EPOCH) - MARGIN
    asked = stamp(since)
    tag = ledger.listed[1] if ledger.listed and ledger.listed[0] == asked else None
    found = store.issue_listing(since, tag)
    listed = found.items or []
    changed = ledger.changed_since(listed, trusted)
    ledger.update(listed, trusted, tz)
    if found.tag and store.keeps_tags and not changed:  # asked again next time: 304 if unchanged
        ledger.since = stamp(since + MARGIN)
    ledger.listed = (asked, found.tag) if found.tag else None
    ledger.far = len(listed) >= FAR
    return Reading(ledger, listed, changed, unchanged=found.items is None, since=asked)


def _read_all_due(ledger: Ledger, today: dt.date) -> str | None:
    """Why every issue is to be read again (see READ_ALL_EVERY), or None."""
    last = _day(ledger.read_all)
    if last is None or today - last >= READ_ALL_EVERY:
        return " (read once a week: deleted issues and milestones changed by hand show only so)"
    return None


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def load_ledger(root: Path, store: Store) -> Ledger | None:
    """The ledger saved in the checkout, if it was read from this store; else None (missing,
    damaged, of another version, or from another store or repository): rebuild it."""
    try:
        ledger = Ledger.from_json((root / LEDGER_FILE).read_text(encoding="utf-8"))
    except OSError:
        return None
    return ledger if ledger is not None and describes(ledger.store, store) else None


def read_saved(store: Store, root: Path, tz: dt.tzinfo, *, today: dt.date,
               full: bool = False) -> Reading:
    """`read_issues` with the ledger saved in the checkout `root`."""
    return read_issues(store, None if full else load_ledger(root, store), tz, today=today,
                       full=full)


R = TypeVar("R")


def again_from_every_issue(run: Callable[[bool], R], full: bool) -> tuple[R, IssueMissing | None]:
    """`run(full)`, and when it meets an issue the ledger knew of that was deleted by hand
    since (GitHub's `since` listing never shows one), `run(True)` on a reading of every issue:
    a command is a catch-up job, so what it did the first time is not done twice. The issue
    met comes back with the result."""
    try:
        return run(full), None
    except IssueMissing as gone:
        if full:
            raise
        return run(True), gone


def with_reading(store: Store, root: Path, tz: dt.tzinfo, today: dt.date, full: bool,
                 step: Callable[[Reading], tuple[R, Iterable[Issue] | None]]) -> R:
    """Run a command's `step` on the issues as they are now, then save the ledger in the
    checkout `root` with the issues the step wrote (None: a dry run, nothing saved); see
    `again_from_every_issue` for an issue deleted by hand."""
    def run(whole: bool) -> R:
        reading = read_saved(store, root, tz, today=today, full=whole)
        result, written = step(reading)
        if written is not None:
            save_ledger(root, store, reading.ledger, written, tz)
        return result

    return again_from_every_issue(run, full)[0]


def save_ledger(root: Path, store: Store, ledger: Ledger, written: Iterable[Issue],
                tz: dt.tzinfo) -> None:
    """Keep in the checkout what a command read and wrote (the answers to its writes are
    the issues as they now are), so the next run starts from there."""
    ledger.update(written, trusted_authors(store), tz, listed=False)
    ledger.store = store.identity
    path = root / LEDGER_FILE
    text = ledger.to_json(tags=store.keeps_tags)
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if ledger_news(old, text, store, ledger.far) is not None:
        write_atomic(path, text)


def ledger_news(old: str | None, new: str, store: Store, far: bool = False) -> bool | None:
    """Whether the saved ledger is to be written: True if what it knows of the issues
    changed, False if only where the next listing starts and the listings' tags did (kept
    where those tags last, or when the next listing would be long, `far`: not otherwise, so
    that a job with a new token each time does not commit a changed file after every quiet
    run), None to leave it as it is."""
    if old == new:
        return None
    if old is None or _known(old) != _known(new):
        return True
    return False if store.keeps_tags or far else None


# The tag at the head of a saved listing of labels or milestones (`Ledger.to_json`).
_TAG = re.compile(r'^( "(?:labels|milestones)": \{"tag":)(?:null|"(?:[^"\\]|\\.)*")')


def _known(text: str) -> list[str]:
    """A saved ledger without its bookkeeping of listings (the `since` and the tags), line
    by line as `Ledger.to_json` writes it: read as text, not parsed (the quiet hour compares
    two of them). A file of another form differs, and is written again."""
    known = []
    for line in text.splitlines():
        if line.startswith(' "listed": '):
            continue
        if line.startswith(' "since": '):  # a first `since` makes the ledger usable
            line = ' "since": ' + ("null" if line.startswith(' "since": null') else "set")
        known.append(_TAG.sub(r"\1null", line))
    return known


def real_issue(store: Store, issue: Issue) -> Issue:
    """`issue` with its real body: itself if this run read it, else read from the store."""
    return store.get_issue(issue.number) if keys.is_unread(issue.body) else issue


def current_milestones(store: Store, ledger: Ledger | None) -> list[Milestone]:
    """The milestones as they are now (see `_current`); the ledger takes them in."""
    milestones, tag = _current(store.milestone_listing,
                               ledger.milestones if ledger is not None else None)
    if ledger is not None:
        ledger.take_milestones(milestones, every=True, tag=tag)
    return milestones


def current_labels(store: Store, ledger: Ledger | None) -> list[Label]:
    """The labels as they are now (see `_current`); the ledger keeps them."""
    labels, tag = _current(store.label_listing,
                          ledger.labels if ledger is not None else None)
    if ledger is not None:
        ledger.labels = Cached(tag, labels)
    return labels


T = TypeVar("T")


def _current(listing: Callable[[str | None], Listing[T]],
             cached: Cached | None) -> tuple[list[T], str | None]:
    """A listing asked for with the tag of the one the ledger kept: its items, or the kept
    ones when GitHub answers 304 (free), and the tag to keep."""
    found = listing(cached.tag if cached else None)
    items = list(cached.items) if found.items is None and cached else found.items or []
    return items, found.tag
