"""What the tracker reads from and writes to its store of record, whichever it is.

Two implementations: `GitHubStore` (the real thing, through PyGithub) and `LocalStore` (an
embedded SQLite database for offline use and for tests). Both keep GitHub's meaning: issue
numbers, open/closed with a reason, labels by name, milestones with a due *date*, authors.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from ..keys import is_unread

ACTIONS_BOT = "github-actions[bot]"


class StoreError(Exception):
    """The store could not do what was asked; the message says why in one line."""


class StoreBadInput(StoreError):
    """The store refused the request as invalid (HTTP 422): a bug or a bad roadmap."""


class IssueMissing(StoreError):
    """An issue the run knew of is not in the store any more (deleted on GitHub by hand)."""

    def __init__(self, number: int, message: str) -> None:
        super().__init__(message)
        self.number = number


def check_not_unread(body: str | None, number: int | None = None) -> None:
    """Refuse a body composed from an issue the run did not read (`keys.unread_body`): a bug,
    never the learner's text, and so never written over it."""
    if is_unread(body):
        where = f"#{number}" if number is not None else "a new issue"
        raise StoreError(f"refused to write {where}: its body was composed from an issue this "
                         f"run did not read (a bug in the tracker; nothing was written)")


@dataclass(frozen=True)
class Label:
    name: str
    color: str
    description: str = ""


@dataclass(frozen=True)
class Milestone:
    number: int
    title: str
    description: str
    state: str  # "open" | "closed"
    due: dt.date | None  # a calendar date: GitHub keeps only the date


@dataclass(frozen=True)
class Issue:
    number: int
    title: str
    body: str
    state: str  # "open" | "closed"
    state_reason: str | None  # "completed" | "not_planned" | "reopened" | None
    labels: tuple[str, ...]
    milestone: int | None
    author: str
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None = None
    milestone_state: str | None = None  # the milestone's own state, listed with the issue
    comments: int = 0
    assignees: tuple[str, ...] = ()  # logins: assigned people are notified on their phone
    node_id: str = ""  # GitHub's global id, which its GraphQL API (pinning) addresses
    # What the author is to the repository, as GitHub says it: OWNER, MEMBER (of the
    # organisation that owns it), COLLABORATOR, CONTRIBUTOR, NONE, ...
    author_association: str = ""


@dataclass(frozen=True)
class Comment:
    id: int
    issue: int
    body: str
    author: str
    created_at: dt.datetime
    author_association: str = ""


@dataclass(frozen=True)
class Pin:
    """An issue pinned to the top of the repository's issues, and who pinned it."""

    number: int
    node_id: str
    pinned_by: str  # a login; GitHub's GraphQL names the Actions bot "github-actions"
    body: str  # to tell the tracker's daily plans from issues the learner pinned


MAX_PINS = 3  # GitHub pins at most three issues in a repository

T = TypeVar("T")


@dataclass(frozen=True)
class Listing(Generic[T]):
    """A listing asked for with the tag of an earlier one (GitHub's ETag).

    `items` is None when nothing in it changed since (GitHub answers 304 Not Modified, which
    costs nothing of the hour's requests); `tag` names this listing for the next time, or is
    None when it cannot be trusted to tell a change (it took more than one page, or a full one:
    GitHub's tag covers a page's content, not the link to a next page).
    """

    items: list[T] | None
    tag: str | None


class Unset:
    """Marks an argument not given (None is a value: no milestone)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset()


class Store(Protocol):
    """The tracker's whole view of GitHub: listings, and writes of one object each."""

    name: str
    owner: str  # the repository owner's login: with the Actions bot, the only trusted authors
    # Which store this is, as caches in the checkout record it: another store, or the same
    # one started over, has another identity (see `caches.describes`).
    identity: str
    # Whether the tags of its listings (`Listing.tag`) still hold in a later run: GitHub's
    # ETags are specific to the token, and Actions' GITHUB_TOKEN is new for every job.
    keeps_tags: bool

    def lock(self) -> contextlib.AbstractContextManager[None]:
        """Held for a whole command, so two runs at once do not both create a row."""
        ...

    def list_labels(self) -> list[Label]: ...
    def label_listing(self, tag: str | None) -> Listing[Label]:
        """The labels, or None if they are those of the listing `tag` names."""
        ...
    def create_label(self, label: Label) -> Label: ...

    def list_milestones(self) -> list[Milestone]: ...
    def milestone_listing(self, tag: str | None) -> Listing[Milestone]:
        """The milestones, or None if they are those of the listing `tag` names."""
        ...
    def create_milestone(self, title: str, description: str, due: dt.date | None) -> Milestone: ...
    def update_milestone(self, number: int, *, title: str | None = None,
                         description: str | None = None, due: dt.date | None | Unset = UNSET,
                         state: str | None = None) -> Milestone: ...

    def list_issues(self, since: dt.datetime | None = None) -> list[Issue]: ...
    def issue_listing(self, since: dt.datetime, tag: str | None) -> Listing[Issue]:
        """The issues updated at or after `since` (every issue of the repository, pull
        requests left out), or None if it is the listing `tag` names, unchanged."""
        ...
    def get_issue(self, number: int) -> Issue:
        """One issue as it is now; `IssueMissing` if it is not there any more."""
        ...
    def issues_newest_first(self) -> Iterator[Issue]:
        """Every issue, newest first, fetched a page at a time as the caller goes on: a command
        that finds what it looks for among the recent ones reads no further."""
        ...
    def create_issue(self, title: str, body: str, labels: Sequence[str],
                     milestone: int | None, assignees: Sequence[str] = ()) -> Issue:
        """Open an issue. An assignee the store refuses is left out (the issue is still
        made): compare the result's `assignees` with those asked for."""
        ...
    def update_issue(self, number: int, *, title: str | None = None, body: str | None = None,
                     state: str | None = None, state_reason: str | None = None,
                     labels: Sequence[str] | None = None,
                     milestone: int | None | Unset = UNSET) -> Issue: ...

    def list_comments(self, issue: int) -> list[Comment]: ...
    def create_comment(self, issue: int, body: str) -> Comment: ...

    def list_pins(self) -> list[Pin]:
        """The issues pinned to the repository (at most MAX_PINS), with who pinned them."""
        ...
    def update_pins(self, unpin: Sequence[Pin], pin: Issue | None) -> list[str]:
        """Unpin `unpin`, then pin `pin`, in one request; what the store refused, in words
        (nothing when all was done)."""
        ...


# Authors GitHub marks as let in by the repository: its owner, the members of the organisation
# that owns it, the collaborators it invited. Anyone else (CONTRIBUTOR, NONE, ...) is a
# stranger, whatever they copy into an issue.
TRUSTED_ASSOCIATIONS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})


@dataclass(frozen=True)
class Trusted:
    """Who may write the tracker's rows and comments: the Actions bot and the repository's
    owner, by login, and anyone GitHub marks as the repository's owner, a member of the
    organisation that owns it, or a collaborator."""

    logins: frozenset[str]

    def wrote(self, item: Issue | Comment) -> bool:
        """Whether a trusted person wrote this issue or comment."""
        return item.author.lower() in self.logins \
            or item.author_association in TRUSTED_ASSOCIATIONS

    def __contains__(self, login: object) -> bool:
        """Whether `login` is trusted by name alone (the bot, the owner)."""
        return isinstance(login, str) and login.lower() in self.logins


def trusted_authors(store: Store) -> Trusted:
    """Who may write the tracker's rows in `store` (see `Trusted`)."""
    return Trusted(frozenset({store.owner.lower(), ACTIONS_BOT}))
