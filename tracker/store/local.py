"""The embedded store: GitHub's issues, labels, milestones and comments in one SQLite file.

It lets a newcomer run the whole loop with no token and no network, and lets tests run without
HTTP. It keeps GitHub's meaning where the tracker relies on it: issue numbers count up from 1,
labels are unique by name ignoring case, closing records a reason, every row has an author
and timestamps.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from .base import (
    ACTIONS_BOT,
    MAX_PINS,
    UNSET,
    Comment,
    Issue,
    IssueMissing,
    Label,
    Listing,
    Milestone,
    Pin,
    StoreBadInput,
    StoreError,
    Unset,
    check_not_unread,
)
from .waits import Unsaid, WaitReport

_SCHEMA = """
CREATE TABLE IF NOT EXISTS labels (
    name TEXT PRIMARY KEY COLLATE NOCASE, color TEXT NOT NULL, description TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS milestones (
    number INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL, state TEXT NOT NULL, due TEXT,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS issues (
    number INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, body TEXT NOT NULL,
    state TEXT NOT NULL, state_reason TEXT, milestone INTEGER REFERENCES milestones(number),
    author TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, closed_at TEXT);
CREATE TABLE IF NOT EXISTS issue_labels (
    issue INTEGER NOT NULL REFERENCES issues(number), label TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (issue, label));
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT, issue INTEGER NOT NULL REFERENCES issues(number),
    body TEXT NOT NULL, author TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS issues_updated ON issues(updated_at);
CREATE TABLE IF NOT EXISTS issue_assignees (
    issue INTEGER NOT NULL REFERENCES issues(number), login TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (issue, login));
CREATE TABLE IF NOT EXISTS pins (
    issue INTEGER PRIMARY KEY REFERENCES issues(number), pinned_by TEXT NOT NULL,
    pinned_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
BODY_LIMIT = 65_536
DEFAULT_PATH = Path(".tracker/tracker.db")
_DEFAULT_LABEL_COLOR = "ededed"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


Item = TypeVar("Item")


def _tagged(items: list[Item], tag: str | None) -> Listing[Item]:
    """A listing as GitHub's conditional requests give it: None when it is the one `tag`
    names. The tag is a digest of the whole listing (no pages here)."""
    digest = 'W/"' + hashlib.sha256(repr(items).encode()).hexdigest()[:32] + '"'
    return Listing(None if digest == tag else items, digest)


def _time(text: str | None) -> dt.datetime | None:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC) if text \
        else None


class LocalStore:
    """A store in a SQLite file; `actor` is who writes, `owner` who owns the repository."""

    name = "local"
    keeps_tags = True

    def __init__(self, path: str | Path = DEFAULT_PATH, *, owner: str = "learner",
                 actor: str | None = None,
                 clock: Callable[[], dt.datetime] = _utcnow,
                 waits: WaitReport | None = None, collaborators: Iterable[str] = ()) -> None:
        self.path = Path(path)
        self.owner = owner
        self.actor = actor or owner
        # People the repository lets in besides its owner, as GitHub's author_association
        # tells them apart: COLLABORATOR, where everyone else is NONE.
        self.collaborators = frozenset(login.lower() for login in collaborators)
        self.clock = clock
        self.waits: WaitReport = waits or Unsaid()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        self.identity = f"local:{self._store_id()}"
        self.writes = 0  # counted like API writes, so tests can hold commands to budgets

    def _store_id(self) -> str:
        """A random id made with the database: a database deleted and made again is another
        store, whatever its path, so caches of the old one are not taken for it."""
        self._db.execute("INSERT OR IGNORE INTO meta VALUES ('store_id', ?)",
                         (uuid.uuid4().hex,))
        return str(self._db.execute("SELECT value FROM meta WHERE name = 'store_id'")
                   .fetchone()[0])

    def close(self) -> None:
        self._db.close()

    def as_user(self, login: str) -> LocalStore:
        """The same database, written to by another person (the learner, a stranger)."""
        return LocalStore(self.path, owner=self.owner, actor=login, clock=self.clock,
                          collaborators=self.collaborators)

    def _association(self, login: str) -> str:
        if login.lower() == self.owner.lower():
            return "OWNER"
        return "COLLABORATOR" if login.lower() in self.collaborators else "NONE"

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the store for one command, so two runs at once cannot both create a row."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a+") as handle:
            try:
                import fcntl
            except ImportError:  # Windows: SQLite's own locking still keeps the file sane
                yield
                return
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # another run holds it: say so, then wait for it
                self.waits.waiting(f"Another tracker run is using {self.path}: waiting for it "
                                   f"to finish")
                fcntl.flock(handle, fcntl.LOCK_EX)
                self.waits.resumed("The other run finished; going on.")
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        self.writes += 1

    # -- labels ------------------------------------------------------------------------------
    def list_labels(self) -> list[Label]:
        rows = self._db.execute("SELECT * FROM labels ORDER BY name").fetchall()
        return [Label(r["name"], r["color"], r["description"]) for r in rows]

    def label_listing(self, tag: str | None) -> Listing[Label]:
        return _tagged(self.list_labels(), tag)

    def create_label(self, label: Label) -> Label:
        with self._write() as db:
            try:
                db.execute("INSERT INTO labels VALUES (?, ?, ?)",
                           (label.name, label.color, label.description))
            except sqlite3.IntegrityError:
                raise StoreBadInput(f"label '{label.name}' already exists") from None
        return label

    # -- milestones ----------------------------------------------------------------------------
    def _milestone(self, row: sqlite3.Row) -> Milestone:
        due = dt.date.fromisoformat(row["due"]) if row["due"] else None
        return Milestone(row["number"], row["title"], row["description"], row["state"], due)

    def list_milestones(self) -> list[Milestone]:
        rows = self._db.execute("SELECT * FROM milestones ORDER BY number").fetchall()
        return [self._milestone(r) for r in rows]

    def milestone_listing(self, tag: str | None) -> Listing[Milestone]:
        return _tagged(self.list_milestones(), tag)

    def create_milestone(self, title: str, description: str, due: dt.date | None) -> Milestone:
        now = _stamp(self.clock())
        with self._write() as db:
            try:
                cursor = db.execute(
                    "INSERT INTO milestones (title, description, state, due, created_at, "
                    "updated_at) VALUES (?, ?, 'open', ?, ?, ?)",
                    (title, description, due.isoformat() if due else None, now, now))
            except sqlite3.IntegrityError:
                raise StoreBadInput(f"milestone '{title}' already exists") from None
        return self._get_milestone(int(cursor.lastrowid or 0))

    def _get_milestone(self, number: int) -> Milestone:
        row = self._db.execute("SELECT * FROM milestones WHERE number = ?", (number,)).fetchone()
        if row is None:
            raise StoreError(f"no milestone {number}")
        return self._milestone(row)

    def update_milestone(self, number: int, *, title: str | None = None,
                         description: str | None = None, due: dt.date | None | Unset = UNSET,
                         state: str | None = None) -> Milestone:
        current = self._get_milestone(number)
        new_due = current.due if isinstance(due, Unset) else due
        with self._write() as db:
            db.execute("UPDATE milestones SET title = ?, description = ?, state = ?, due = ?, "
                       "updated_at = ? WHERE number = ?",
                       (title or current.title, current.description if description is None
                        else description, state or current.state,
                        new_due.isoformat() if new_due else None, _stamp(self.clock()), number))
        return self._get_milestone(number)

    # -- issues --------------------------------------------------------------------------------
    def _issue(self, row: sqlite3.Row) -> Issue:
        labels = tuple(r["label"] for r in self._db.execute(
            "SELECT label FROM issue_labels WHERE issue = ? ORDER BY label", (row["number"],)))
        milestone_state = None
        if row["milestone"] is not None:
            found = self._db.execute("SELECT state FROM milestones WHERE number = ?",
                                     (row["milestone"],)).fetchone()
            milestone_state = found["state"] if found else None
        comments = self._db.execute("SELECT COUNT(*) FROM comments WHERE issue = ?",
                                    (row["number"],)).fetchone()[0]
        assignees = tuple(r["login"] for r in self._db.execute(
            "SELECT login FROM issue_assignees WHERE issue = ? ORDER BY login",
            (row["number"],)))
        return Issue(number=row["number"], title=row["title"], body=row["body"],
                     state=row["state"], state_reason=row["state_reason"], labels=labels,
                     milestone=row["milestone"], author=row["author"],
                     created_at=_time(row["created_at"]) or self.clock(),
                     updated_at=_time(row["updated_at"]) or self.clock(),
                     closed_at=_time(row["closed_at"]), milestone_state=milestone_state,
                     comments=comments, assignees=assignees, node_id=f"local-{row['number']}",
                     author_association=self._association(row["author"]))

    def list_issues(self, since: dt.datetime | None = None) -> list[Issue]:
        if since is None:
            rows = self._db.execute("SELECT * FROM issues ORDER BY number").fetchall()
        else:
            rows = self._db.execute("SELECT * FROM issues WHERE updated_at >= ? ORDER BY number",
                                    (_stamp(since),)).fetchall()
        return [self._issue(r) for r in rows]

    def issue_listing(self, since: dt.datetime, tag: str | None) -> Listing[Issue]:
        return _tagged(self.list_issues(since), tag)

    def issues_newest_first(self) -> Iterator[Issue]:
        rows = self._db.execute("SELECT * FROM issues ORDER BY number DESC").fetchall()
        for row in rows:
            yield self._issue(row)

    def get_issue(self, number: int) -> Issue:
        row = self._db.execute("SELECT * FROM issues WHERE number = ?", (number,)).fetchone()
        if row is None:
            raise IssueMissing(number, f"issue #{number} is not in the local store "
                                       f"(deleted by hand?)")
        return self._issue(row)

    def _check(self, title: str | None, body: str | None) -> None:
        if title is not None and not title.strip():
            raise StoreBadInput("an issue needs a title")
        if body is not None and len(body) > BODY_LIMIT:
            raise StoreBadInput(f"body is too long (maximum is {BODY_LIMIT} characters)")

    def _ensure_labels(self, db: sqlite3.Connection, labels: Sequence[str]) -> None:
        # GitHub creates a label named on an issue that does not exist yet; so do we.
        for name in labels:
            db.execute("INSERT OR IGNORE INTO labels VALUES (?, ?, '')",
                       (name, _DEFAULT_LABEL_COLOR))

    def create_issue(self, title: str, body: str, labels: Sequence[str],
                     milestone: int | None, assignees: Sequence[str] = ()) -> Issue:
        self._check(title, body)
        check_not_unread(body)
        # As on GitHub, only people who can write to the repository can be assigned: here,
        # the owner. Others are left out and the issue is made all the same.
        assignable = [a for a in assignees if a.lower() == self.owner.lower()]
        now = _stamp(self.clock())
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO issues (title, body, state, milestone, author, created_at, "
                "updated_at) VALUES (?, ?, 'open', ?, ?, ?, ?)",
                (title, body, milestone, self.actor, now, now))
            number = int(cursor.lastrowid or 0)
            self._ensure_labels(db, labels)
            db.executemany("INSERT OR IGNORE INTO issue_labels VALUES (?, ?)",
                           [(number, name) for name in labels])
            db.executemany("INSERT OR IGNORE INTO issue_assignees VALUES (?, ?)",
                           [(number, login) for login in assignable])
        return self.get_issue(number)

    def update_issue(self, number: int, *, title: str | None = None, body: str | None = None,
                     state: str | None = None, state_reason: str | None = None,
                     labels: Sequence[str] | None = None,
                     milestone: int | None | Unset = UNSET) -> Issue:
        self._check(title, body)
        check_not_unread(body, number)
        current = self.get_issue(number)
        now = self.clock()
        new_state = state or current.state
        reason, closed_at = current.state_reason, current.closed_at
        if state is not None and state != current.state:  # as GitHub: a reason only on change
            if state == "closed":
                reason, closed_at = state_reason or "completed", now
            else:
                reason, closed_at = "reopened", None
        with self._write() as db:
            db.execute(
                "UPDATE issues SET title = ?, body = ?, state = ?, state_reason = ?, "
                "milestone = ?, updated_at = ?, closed_at = ? WHERE number = ?",
                (title if title is not None else current.title,
                 body if body is not None else current.body, new_state, reason,
                 current.milestone if isinstance(milestone, Unset) else milestone,
                 _stamp(now), _stamp(closed_at) if closed_at else None, number))
            if labels is not None:
                db.execute("DELETE FROM issue_labels WHERE issue = ?", (number,))
                self._ensure_labels(db, labels)
                db.executemany("INSERT OR IGNORE INTO issue_labels VALUES (?, ?)",
                               [(number, name) for name in labels])
        return self.get_issue(number)

    # -- comments ------------------------------------------------------------------------------
    def list_comments(self, issue: int) -> list[Comment]:
        rows = self._db.execute("SELECT * FROM comments WHERE issue = ? ORDER BY id",
                                (issue,)).fetchall()
        return [Comment(r["id"], r["issue"], r["body"], r["author"],
                        _time(r["created_at"]) or self.clock(), self._association(r["author"]))
                for r in rows]

    def create_comment(self, issue: int, body: str) -> Comment:
        self._check(None, body)
        self.get_issue(issue)
        now = _stamp(self.clock())
        with self._write() as db:
            cursor = db.execute("INSERT INTO comments (issue, body, author, created_at) "
                                "VALUES (?, ?, ?, ?)", (issue, body, self.actor, now))
            db.execute("UPDATE issues SET updated_at = ? WHERE number = ?", (now, issue))
        return Comment(int(cursor.lastrowid or 0), issue, body, self.actor,
                       _time(now) or self.clock(), self._association(self.actor))

    # -- pins --------------------------------------------------------------------------------
    def list_pins(self) -> list[Pin]:
        rows = self._db.execute(
            "SELECT pins.issue, pins.pinned_by, issues.body FROM pins JOIN issues "
            "ON issues.number = pins.issue ORDER BY pins.pinned_at, pins.issue").fetchall()
        return [Pin(r["issue"], f"local-{r['issue']}", r["pinned_by"], r["body"]) for r in rows]

    def update_pins(self, unpin: Sequence[Pin], pin: Issue | None) -> list[str]:
        refused = []
        with self._write() as db:
            for old in unpin:
                db.execute("DELETE FROM pins WHERE issue = ?", (old.number,))
            if pin is not None:
                count = db.execute("SELECT COUNT(*) FROM pins").fetchone()[0]
                if db.execute("SELECT 1 FROM pins WHERE issue = ?", (pin.number,)).fetchone():
                    pass  # pinned already: nothing to do, as on GitHub
                elif count >= MAX_PINS:
                    refused.append(f"#{pin.number} was not pinned: {MAX_PINS} issues are "
                                   f"pinned already, the most a repository can have")
                else:
                    # The tracker pins as GitHub's Actions bot does, so that its pins are
                    # told apart from the learner's own, as on GitHub.
                    db.execute("INSERT INTO pins VALUES (?, ?, ?)",
                               (pin.number, ACTIONS_BOT, _stamp(self.clock())))
        return refused

    def pin_by_hand(self, number: int) -> None:
        """Someone pins an issue themselves, as in GitHub's web page (tests, trials)."""
        with self._write() as db:
            if db.execute("SELECT COUNT(*) FROM pins").fetchone()[0] >= MAX_PINS:
                raise StoreBadInput(f"{MAX_PINS} issues are pinned already")
            db.execute("INSERT OR IGNORE INTO pins VALUES (?, ?, ?)",
                       (number, self.actor, _stamp(self.clock())))
