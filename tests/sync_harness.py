"""One way to drive both stores in tests: the tracker, the learner and a stranger.

`Harness` gives the same handles whichever store is underneath, so a test written once runs
against the local store and against the fake GitHub, and their results can be compared.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from tracker.rows import issue_block
from tracker.store.base import Issue, Store, trusted_authors
from tracker.store.github import GitHubStore
from tracker.store.local import LocalStore

from fake_github import FakeGitHub


def github_store(fake: FakeGitHub, who: str = "bot", **options: Any) -> GitHubStore:
    """A GitHub store wired to the fake's repository, never sleeping."""
    options.setdefault("sleep", lambda seconds: None)
    options.setdefault("write_interval", 0)
    return GitHubStore(fake.token_for(who), fake.full_name, fake.base_url, **options)


@dataclass
class Harness:
    backend: str
    tracker: Store  # what the tracker's commands use
    learner: Store  # the repository owner, acting by hand
    stranger: Store  # anyone, in a public repository
    fake: FakeGitHub | None = None

    def requests(self) -> int:
        """Requests made (GitHub) or writes made (local: reads cost nothing there)."""
        if self.fake is not None:
            return self.fake.count()
        return getattr(self.tracker, "writes", 0)

    def writes(self) -> int:
        if self.fake is not None:
            return len(self.fake.writes)
        return getattr(self.tracker, "writes", 0)

    def reset_counts(self) -> None:
        if self.fake is not None:
            self.fake.reset_counts()
        else:
            self.tracker.writes = 0  # type: ignore[attr-defined]

    def issue(self, kind: str, ident: str) -> Issue:
        trusted = trusted_authors(self.tracker)
        matches = [i for i in self.learner.list_issues() if _key(i) == (kind, ident)
                   and trusted.wrote(i)]
        assert len(matches) == 1, f"{len(matches)} issues for {kind} {ident}"
        return matches[0]

    def delete_issue(self, number: int) -> None:
        """The learner deletes an issue on GitHub (a repository admin can)."""
        if self.fake is not None:
            self.fake.delete_issue(number)
            return
        path = self.tracker.path  # type: ignore[attr-defined]
        with sqlite3.connect(path) as db:
            for table, column in (("comments", "issue"), ("issue_labels", "issue"),
                                  ("issue_assignees", "issue"), ("pins", "issue"),
                                  ("issues", "number")):
                db.execute(f"DELETE FROM {table} WHERE {column} = ?", (number,))

    def delete_milestone(self, number: int) -> None:
        """The learner deletes a milestone on GitHub: its issues are left without one."""
        if self.fake is not None:
            reply = requests.delete(self.fake.url(f"/repos/{self.fake.full_name}/milestones/"
                                                  f"{number}"),
                                    headers=self.fake.auth_headers("owner"), timeout=5)
            assert reply.status_code == 204, reply.text
            return
        path = self.tracker.path  # type: ignore[attr-defined]
        with sqlite3.connect(path) as db:
            db.execute("UPDATE issues SET milestone = NULL WHERE milestone = ?", (number,))
            db.execute("DELETE FROM milestones WHERE number = ?", (number,))

    def tick(self, kind: str, ident: str, box: str) -> None:
        """The learner ticks one box in the issue, as the mobile app does: an edit of the body."""
        issue = self.issue(kind, ident)
        pattern = re.compile(r"- \[ \] (.*?<!-- step:" + re.escape(box) + r" -->)")
        body, count = pattern.subn(r"- [x] \1", issue.body)
        assert count == 1, f"box {box} not found unticked in {kind} {ident}"
        self.learner.update_issue(issue.number, body=body)


@contextmanager
def harness(backend: str, tmp_path: Path, owner: str = "learner") -> Iterator[Harness]:
    """Both stores with the same people; `owner` owns the repository (`owner/study`)."""
    if backend == "local":
        db = tmp_path / "tracker.db"
        clock = _Clock()
        tracker = LocalStore(db, owner=owner, clock=clock)
        yield Harness("local", tracker, tracker.as_user(owner), tracker.as_user("passer-by"))
        return
    with FakeGitHub(owner=owner) as fake:
        yield Harness("github", github_store(fake), github_store(fake, "owner"),
                      github_store(fake, "stranger"), fake)


class _Clock:
    """Local timestamps that move forward by a second per write, like a busy morning."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


def _key(issue: Issue) -> tuple[str, str] | None:
    body = issue_block(issue)
    return (body.key.kind, body.key.id) if body else None


def snapshot(store: Store) -> dict[str, Any]:
    """The state that matters, comparable across stores: rows by key, not by number."""
    milestones = {m.number: m for m in store.list_milestones()}
    issues = {}
    for issue in store.list_issues():
        key = _key(issue)
        name = f"{key[0]}:{key[1]}" if key else f"unkeyed:{issue.title}"
        name = f"{name}@{issue.author.lower()}"
        assert name not in issues, f"duplicate row {name}"
        milestone = milestones.get(issue.milestone) if issue.milestone else None
        issues[name] = {"title": issue.title, "body": issue.body, "state": issue.state,
                        "state_reason": issue.state_reason, "labels": sorted(issue.labels),
                        "milestone": milestone.title if milestone else None}
    return {
        "labels": sorted((label.name, label.color, label.description)
                         for label in store.list_labels()),
        "milestones": sorted((m.title, m.description, m.state, m.due)
                             for m in milestones.values()),
        "issues": issues,
    }
