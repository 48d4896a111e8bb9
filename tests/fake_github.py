"""A stateful fake of the GitHub REST API, served at the HTTP level through ``responses``.

The fake keeps one repository with its issues (pull requests share the numbering), labels,
milestones and comments, and answers the REST calls a PyGithub-based store makes, with the
real status codes, error bodies, ``Link`` pagination, rate-limit headers and ``etag``s.
It records every request and can inject faults (5xx, secondary/primary rate limits, lost
responses, timeouts) on chosen or random requests.

Typical use::

    with FakeGitHub() as fake:                      # or the ``fake_github`` fixture
        fake.create_issue("Read chapter 1", user="stranger")
        g = fake.github("bot")                      # PyGithub wired to the fake
        repo = g.get_repo(fake.full_name)
        fake.inject("5xx", method="GET", path="/repos/learner/study/issues")
        ...
        assert fake.count("POST") == 0

Users are addressed by role: ``"owner"`` (``learner``, a User with admin rights), ``"bot"``
(``github-actions[bot]``, a Bot acting with the workflow's ``GITHUB_TOKEN``) and
``"stranger"`` (a User with no rights beyond those of the public). ``fake.token_for(role)``
gives the token that makes a request act as that user.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.client import RemoteDisconnected
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit
from zoneinfo import ZoneInfo

import requests
import responses
from urllib3.exceptions import ProtocolError

import fake_graphql

if TYPE_CHECKING:
    import github
    from urllib3.util.retry import Retry

__all__ = [
    "FAULT_KINDS",
    "Comment",
    "FakeGitHub",
    "Fault",
    "InjectedFault",
    "Issue",
    "Label",
    "Milestone",
    "RecordedRequest",
    "Repo",
    "User",
]

FaultKind = Literal[
    "5xx",
    "secondary_rate_limit",
    "secondary_rate_limit_retry_after",
    "secondary_rate_limit_429",
    "primary_rate_limit",
    "lost_response",
    "timeout",
]
FAULT_KINDS: tuple[str, ...] = (
    "5xx",
    "secondary_rate_limit",
    "secondary_rate_limit_retry_after",
    "secondary_rate_limit_429",
    "primary_rate_limit",
    "lost_response",
    "timeout",
)

MAX_BODY_CHARS = 65536
READ_METHODS = frozenset({"GET", "HEAD"})
ACTIONS_BOT_ID = 41898282

_DOCS = "https://docs.github.com/rest"
_DOC_ISSUES = f"{_DOCS}/issues/issues"
_DOC_COMMENTS = f"{_DOCS}/issues/comments"
_DOC_LABELS = f"{_DOCS}/issues/labels"
_DOC_MILESTONES = f"{_DOCS}/issues/milestones"
_DOC_RATE = f"{_DOCS}/using-the-rest-api/rate-limits-for-the-rest-api"

_LEVELS = {"none": 0, "read": 1, "write": 2, "admin": 3}
_STATE_REASONS = (None, "completed", "not_planned", "duplicate", "reopened")
# GitHub stores a milestone's due date as a date, at midnight US Pacific.
_PACIFIC = ZoneInfo("America/Los_Angeles")
_COLOR_RE = re.compile(r"^[0-9a-fA-F]{6}$")


def _iso(moment: datetime | None) -> str | None:
    """Render a timestamp the way GitHub does: UTC, whole seconds, ``Z``."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(text: str) -> datetime:
    """Parse an ISO 8601 timestamp or date; naive values are taken as UTC."""
    parsed = datetime.fromisoformat(text.strip().replace("z", "Z"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _node_id(prefix: str, number: int) -> str:
    """A stable, opaque GraphQL-style node id."""
    raw = base64.b64encode(f"{prefix}{number}".encode()).decode().rstrip("=")
    return f"{prefix}_kwDO{raw}"


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --------------------------------------------------------------------------- state


@dataclass
class User:
    """An account that can act on the fake; its ``token`` decides who is acting."""

    role: str
    login: str
    id: int
    type: Literal["User", "Bot"] = "User"
    # Repository role: "admin", "write", "read" or "none".
    permission: str = "read"
    token: str = ""
    author_association: str = "NONE"
    rate_limit: int = 5000
    name: str | None = None

    @property
    def node_id(self) -> str:
        """GraphQL node id (bots and users use different prefixes)."""
        return _node_id("BOT" if self.type == "Bot" else "U", self.id)


@dataclass
class Repo:
    """Settings of the one repository the fake serves."""

    owner: str
    name: str
    id: int = 700001
    private: bool = False
    has_issues: bool = True
    default_branch: str = "main"
    description: str | None = "My study plan"
    created_at: datetime = field(default_factory=lambda: datetime(2025, 1, 1, tzinfo=UTC))

    @property
    def full_name(self) -> str:
        """``owner/name``."""
        return f"{self.owner}/{self.name}"


@dataclass(eq=False)
class Label:
    """A repository label; issues hold references, so renames show everywhere."""

    id: int
    name: str
    color: str = "ededed"
    description: str | None = None
    default: bool = False


@dataclass(eq=False)
class Milestone:
    """A repository milestone; issue counts are computed from the issues."""

    id: int
    number: int
    title: str
    creator: User
    created_at: datetime
    updated_at: datetime
    state: str = "open"
    description: str | None = None
    due_on: datetime | None = None
    closed_at: datetime | None = None


@dataclass(eq=False)
class Issue:
    """An issue or, when ``pull_request`` is true, a pull request seen through the issues API."""

    id: int
    number: int
    title: str
    user: User
    created_at: datetime
    updated_at: datetime
    body: str | None = None
    state: str = "open"
    state_reason: str | None = None
    labels: list[Label] = field(default_factory=list)
    milestone: Milestone | None = None
    assignees: list[User] = field(default_factory=list)
    comments: int = 0
    closed_at: datetime | None = None
    closed_by: User | None = None
    locked: bool = False
    active_lock_reason: str | None = None
    pull_request: bool = False
    draft: bool = False


@dataclass(eq=False)
class Comment:
    """A comment on an issue."""

    id: int
    issue_number: int
    body: str
    user: User
    created_at: datetime
    updated_at: datetime


@dataclass
class RecordedRequest:
    """One request that reached the fake, as tests see it."""

    index: int
    method: str
    # Canonical path below the API root: ``/repos/{owner}/{name}/...`` even when the client
    # followed a ``/repositories/{id}/...`` pagination link.
    path: str
    url: str
    query: dict[str, list[str]]
    body: Any
    user: str | None = None
    status: int | None = None
    fault: str | None = None
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # as sent, names lower-cased

    @property
    def is_write(self) -> bool:
        """Whether the method may change state (anything but GET/HEAD)."""
        return self.method not in READ_METHODS


@dataclass(frozen=True)
class Fault:
    """What to do to a request instead of (or after) serving it."""

    kind: FaultKind
    # "5xx": the status to answer with (502 or 503 look like GitHub's).
    status: int = 502
    # "secondary_rate_limit_retry_after": the ``retry-after`` header, in seconds.
    retry_after: int = 60
    # "secondary_rate_limit_429" and "primary_rate_limit": ``x-ratelimit-reset`` is now + this.
    reset_in: int = 60
    # "lost_response": how the client learns nothing of the applied write.
    lost_as: Literal["502", "connection_error", "read_timeout"] = "502"
    # "timeout": which requests exception is raised.
    timeout_as: Literal["read", "connect"] = "read"

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {FAULT_KINDS}")


@dataclass
class InjectedFault:
    """A fault that was actually injected, for test reports."""

    request_index: int
    method: str
    path: str
    kind: str
    outcome: str
    # For lost responses: whether the request changed state before its answer was lost.
    applied: bool = False


@dataclass
class _FaultRule:
    fault: Fault
    remaining: int | None
    method: str | None
    path: str | re.Pattern[str] | None

    def matches(self, req: RecordedRequest) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.method and req.method != self.method.upper():
            return False
        if isinstance(self.path, re.Pattern):
            return self.path.search(req.path) is not None
        return self.path is None or req.path.startswith(self.path)


@dataclass
class _Quota:
    limit: int
    used: int = 0
    reset: int = 0


@dataclass
class _Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class _HTTPError(Exception):
    """Raised by handlers to answer with an error body."""

    def __init__(self, status: int, message: str, doc: str, **extra: Any) -> None:
        super().__init__(message)
        body: dict[str, Any] = {"message": message}
        body.update(extra)
        body["documentation_url"] = doc
        body["status"] = str(status)
        self.reply = _Reply(status, body)


def _validation_failed(doc: str, *errors: dict[str, Any]) -> _HTTPError:
    return _HTTPError(422, "Validation Failed", doc, errors=list(errors))


def _not_supplied(doc: str, name: str) -> _HTTPError:
    # GitHub's JSON-schema check of request bodies words missing keys this way.
    return _HTTPError(422, f'Invalid request.\n\n"{name}" wasn\'t supplied.', doc)


# --------------------------------------------------------------------------- the fake


@dataclass
class _Ctx:
    method: str
    path: str
    query: dict[str, str]
    query_pairs: list[tuple[str, str]]
    body: Any
    user: User
    doc: str


_Handler = Callable[..., _Reply]


class FakeGitHub:
    """A stateful fake of the GitHub REST API for one repository, served through ``responses``.

    Activate it with ``with FakeGitHub() as fake:`` or ``start()``/``stop()``. While active,
    every ``requests`` call to ``base_url`` (with or without an explicit default port) is
    answered by the fake; any other URL fails with a ``ConnectionError`` from ``responses``.
    """

    def __init__(
        self,
        *,
        base_url: str = "https://api.github.com",
        owner: str = "learner",
        repo: str = "study",
        private: bool = False,
        has_issues: bool = True,
        bot_permissions: dict[str, str] | None = None,
    ) -> None:
        """Create the fake with an empty repository ``owner/repo``.

        ``bot_permissions`` are the workflow's ``GITHUB_TOKEN`` permissions, e.g.
        ``{"issues": "write", "contents": "write"}`` (the default); with ``issues: read`` the
        bot's issue, label and milestone writes get 403, with ``none`` its reads too.
        """
        parts = urlsplit(base_url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"base_url must be an absolute http(s) URL, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self._scheme = parts.scheme
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        netloc = self._host if self._port is None else f"{self._host}:{self._port}"
        self.api_url = f"{self._scheme}://{netloc}{self._prefix}"
        # github.com serves the web UI on another host; GHES serves it on the API's host.
        self.web_url = "https://github.com" if self._host == "api.github.com" else (
            f"{self._scheme}://{netloc}"
        )

        self.repo = Repo(owner=owner, name=repo, private=private, has_issues=has_issues)
        self.bot_permissions = dict(bot_permissions or {"issues": "write", "contents": "write"})
        self.users: dict[str, User] = {}
        self.add_user("owner", owner, id=1001, permission="admin", author_association="OWNER",
                      name="A Learner")
        self.add_user("bot", "github-actions[bot]", id=ACTIONS_BOT_ID, type="Bot",
                      permission="write", rate_limit=1000)
        self.add_user("stranger", "passer-by", id=1003, permission="none")

        self.issues: dict[int, Issue] = {}
        self.deleted_issues: set[int] = set()
        self.labels: dict[str, Label] = {}  # keyed by lower-cased name
        self.milestones: dict[int, Milestone] = {}
        self.comments: dict[int, Comment] = {}
        self.pinned: list[fake_graphql.PinnedIssue] = []  # in the order they were pinned

        self.requests: list[RecordedRequest] = []
        self.injected_faults: list[InjectedFault] = []
        self.fault_policy: Callable[[RecordedRequest], str | Fault | None] | None = None

        self._next_issue_id = 9_000_001
        self._next_label_id = 5_000_001
        self._next_milestone_id = 3_000_001
        self._next_comment_id = 2_000_000_001
        self._tokens_made = 0
        self._frozen_now: datetime | None = None
        self._quotas: dict[str, _Quota] = {}
        self._rules: list[_FaultRule] = []
        self._random: tuple[float, random.Random, tuple[str, ...], str | None] | None = None
        self._lock = threading.RLock()
        self._mock: responses.RequestsMock | None = None
        self._routes = self._build_routes()

    # ------------------------------------------------------------------ activation

    def start(self) -> FakeGitHub:
        """Start intercepting HTTP requests (idempotent)."""
        if self._mock is None:
            mock = responses.RequestsMock(assert_all_requests_are_fired=False)
            host = re.escape(self._host)
            default_port = 443 if self._scheme == "https" else 80
            port = self._port or default_port
            # PyGithub always spells the port out (":443"); other clients leave it implicit.
            port_re = f"(?::{port})?" if port == default_port else f":{port}"
            url_re = re.compile(
                rf"^{self._scheme}://{host}{port_re}{re.escape(self._prefix)}(?:/|\?|$)"
            )
            for method in ("GET", "POST", "PATCH", "PUT", "DELETE", "HEAD"):
                mock.add_callback(method, url_re, callback=self._callback, content_type=None)
            mock.start()
            self._mock = mock
        return self

    def stop(self) -> None:
        """Stop intercepting HTTP requests (idempotent)."""
        if self._mock is not None:
            self._mock.stop()
            self._mock.reset()
            self._mock = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ users and clients

    @property
    def full_name(self) -> str:
        """``owner/name`` of the repository."""
        return self.repo.full_name

    def add_user(
        self,
        role: str,
        login: str,
        *,
        id: int,
        type: Literal["User", "Bot"] = "User",
        permission: str = "read",
        author_association: str | None = None,
        rate_limit: int = 5000,
        name: str | None = None,
        token: str | None = None,
    ) -> User:
        """Register an account under ``role`` (e.g. a ``"collaborator"`` with ``write``)."""
        if permission not in _LEVELS:
            raise ValueError(f"permission must be one of {sorted(_LEVELS)}")
        if author_association is None:
            author_association = "COLLABORATOR" if _LEVELS[permission] >= 2 else "NONE"
        user = User(
            role=role,
            login=login,
            id=id,
            type=type,
            permission=permission,
            # GitHub's token prefixes: an installation token (the workflow's GITHUB_TOKEN,
            # new for each job) starts with ghs_, a personal access token with ghp_.
            token=token or f"{'ghs' if type == 'Bot' else 'ghp'}_fake_{role}_{id}",
            author_association=author_association,
            rate_limit=rate_limit,
            name=name,
        )
        self.users[role] = user
        return user

    def user(self, who: str | User) -> User:
        """The user with this role (or login)."""
        if isinstance(who, User):
            return who
        if who in self.users:
            return self.users[who]
        for candidate in self.users.values():
            if candidate.login.lower() == who.lower():
                return candidate
        raise KeyError(f"no user with role or login {who!r}")

    def token_for(self, who: str) -> str:
        """The token that makes requests act as this role or login."""
        return self.user(who).token

    def new_token(self, who: str) -> str:
        """A new token for this role (a new Actions job's GITHUB_TOKEN); the old one no
        longer works, as an installation token expires when its job ends."""
        user = self.user(who)
        prefix = user.token.split("_", 1)[0]
        self._tokens_made += 1
        user.token = f"{prefix}_fake_{user.role}_{user.id}_{self._tokens_made}"
        return user.token

    def auth_headers(self, who: str) -> dict[str, str]:
        """Headers for plain ``requests`` calls acting as this role."""
        return {"Authorization": f"token {self.token_for(who)}",
                "Accept": "application/vnd.github+json"}

    def url(self, path: str) -> str:
        """Absolute API URL for ``path`` (e.g. ``/repos/learner/study/issues``)."""
        return f"{self.api_url}{path}"

    def github(
        self,
        who: str = "owner",
        *,
        retry: int | Retry | None = None,
        per_page: int = 100,
        lazy: bool = False,
    ) -> github.Github:
        """A PyGithub client acting as ``who``, without throttling sleeps.

        ``retry=None`` turns PyGithub's retries off; pass ``github.GithubRetry()`` to get its
        default behaviour (``responses`` replays the retries without sleeping).
        """
        import github as gh

        return gh.Github(
            auth=gh.Auth.Token(self.token_for(who)),
            base_url=self.base_url,
            per_page=per_page,
            retry=retry,
            seconds_between_requests=0,
            seconds_between_writes=0,
            lazy=lazy,
        )

    # ------------------------------------------------------------------ clock

    def now(self) -> datetime:
        """The fake's current time (real UTC time unless frozen by ``set_time``)."""
        if self._frozen_now is not None:
            return self._frozen_now
        return datetime.now(UTC).replace(microsecond=0)

    def set_time(self, moment: datetime) -> None:
        """Freeze the fake's clock at ``moment`` (naive means UTC)."""
        self._frozen_now = _as_utc(moment).astimezone(UTC).replace(microsecond=0)

    def advance(self, **delta: float) -> datetime:
        """Move the (frozen) clock forward, e.g. ``advance(hours=1)``; returns the new time."""
        self._frozen_now = self.now() + timedelta(**delta)
        return self._frozen_now

    # ------------------------------------------------------------------ direct state helpers

    def create_label(
        self, name: str, color: str = "ededed", description: str | None = None
    ) -> Label:
        """Add a label without HTTP (replaces nothing: the name must be new)."""
        if name.lower() in self.labels:
            raise ValueError(f"label {name!r} exists")
        label = Label(id=self._next_label_id, name=name, color=color, description=description)
        self._next_label_id += 1
        self.labels[name.lower()] = label
        return label

    def get_label(self, name: str) -> Label | None:
        """The label with this name (case-insensitive), or None."""
        return self.labels.get(name.lower())

    def create_milestone(
        self,
        title: str,
        *,
        state: str = "open",
        description: str | None = None,
        due_on: datetime | date | str | None = None,
        user: str = "owner",
    ) -> Milestone:
        """Add a milestone without HTTP; ``due_on`` is normalized like GitHub does."""
        if any(m.title == title for m in self.milestones.values()):
            raise ValueError(f"milestone {title!r} exists")
        now = self.now()
        number = max(self.milestones, default=0) + 1
        milestone = Milestone(
            id=self._next_milestone_id,
            number=number,
            title=title,
            creator=self.user(user),
            created_at=now,
            updated_at=now,
            state=state,
            description=description,
            due_on=self.normalize_due_on(due_on),
            closed_at=now if state == "closed" else None,
        )
        self._next_milestone_id += 1
        self.milestones[number] = milestone
        return milestone

    def get_milestone(self, number_or_title: int | str) -> Milestone | None:
        """The milestone with this number or title, or None."""
        if isinstance(number_or_title, int):
            return self.milestones.get(number_or_title)
        return next((m for m in self.milestones.values() if m.title == number_or_title), None)

    def create_issue(
        self,
        title: str,
        body: str | None = None,
        *,
        user: str = "owner",
        labels: Iterable[str] = (),
        milestone: int | None = None,
        assignees: Iterable[str] = (),
        state: str = "open",
        state_reason: str | None = None,
        created_at: datetime | None = None,
        updated_at: datetime | None = None,
        pull_request: bool = False,
        draft: bool = False,
    ) -> Issue:
        """Add an issue (or, with ``pull_request=True``, a PR) without HTTP, as any user.

        Unknown label names are created, as GitHub does for users with push access.
        """
        now = self.now()
        created = _as_utc(created_at) if created_at else now
        number = self._next_number()
        issue = Issue(
            id=self._next_issue_id,
            number=number,
            title=title,
            user=self.user(user),
            created_at=created,
            updated_at=_as_utc(updated_at) if updated_at else created,
            body=body,
            labels=[self._label_for(name) for name in labels],
            milestone=self.milestones[milestone] if milestone is not None else None,
            assignees=[self.user(a) for a in assignees],
            pull_request=pull_request,
            draft=draft,
        )
        self._next_issue_id += 1
        if state == "closed":
            issue.state = "closed"
            issue.state_reason = state_reason or "completed"
            issue.closed_at = issue.updated_at
            issue.closed_by = issue.user
        self.issues[number] = issue
        return issue

    def create_pull_request(self, title: str, *, user: str = "stranger", **kwargs: Any) -> Issue:
        """Seed a pull request: it takes the next issue number and lists with ``pull_request``."""
        return self.create_issue(title, user=user, pull_request=True, **kwargs)

    seed_pull_request = create_pull_request

    def get_issue(self, number: int) -> Issue:
        """The issue or PR with this number (KeyError if absent)."""
        return self.issues[number]

    def update_issue(self, number: int, **changes: Any) -> Issue:
        """Edit an issue without HTTP (e.g. the learner ticking a box on their phone).

        Accepts the attributes of :class:`Issue`; ``labels`` as names, ``milestone`` as a number
        or None, ``state``/``state_reason`` with GitHub's close/reopen bookkeeping. Bumps
        ``updated_at`` to ``now()`` unless ``updated_at`` is given.
        """
        issue = self.issues[number]
        if "labels" in changes:
            issue.labels = [self._label_for(name) for name in changes.pop("labels")]
        if "milestone" in changes:
            ms = changes.pop("milestone")
            issue.milestone = None if ms is None else self.milestones[int(ms)]
        if "state" in changes:
            actor = self.user(changes.pop("closed_by", "owner"))
            self._set_state(issue, changes.pop("state"), changes.get("state_reason"), actor)
        updated_at = changes.pop("updated_at", None)
        for key, value in changes.items():
            if not hasattr(issue, key):
                raise AttributeError(f"Issue has no field {key!r}")
            setattr(issue, key, value)
        issue.updated_at = _as_utc(updated_at) if updated_at else self.now()
        return issue

    def create_comment(
        self, issue_number: int, body: str, *, user: str = "owner",
        created_at: datetime | None = None,
    ) -> Comment:
        """Add a comment without HTTP, as any user; bumps the issue's ``updated_at``."""
        issue = self.issues[issue_number]
        moment = _as_utc(created_at) if created_at else self.now()
        comment = Comment(
            id=self._next_comment_id,
            issue_number=issue_number,
            body=body,
            user=self.user(user),
            created_at=moment,
            updated_at=moment,
        )
        self._next_comment_id += 1
        self.comments[comment.id] = comment
        issue.comments += 1
        issue.updated_at = max(issue.updated_at, moment)
        return comment

    def comments_on(self, issue_number: int) -> list[Comment]:
        """The comments on an issue, oldest first."""
        return [c for c in self.comments.values() if c.issue_number == issue_number]

    def milestone_counts(self, milestone: Milestone) -> tuple[int, int]:
        """(open, closed) issues and PRs in the milestone."""
        in_ms = [i for i in self.issues.values() if i.milestone is milestone]
        open_count = sum(1 for i in in_ms if i.state == "open")
        return open_count, len(in_ms) - open_count

    @staticmethod
    def normalize_due_on(value: datetime | date | str | None) -> datetime | None:
        """GitHub keeps only the date of ``due_on``, as midnight US Pacific (07:00/08:00 UTC).

        A time before that hour in UTC therefore lands on the previous day.
        """
        if value is None:
            return None
        if isinstance(value, str):
            if len(value.strip()) == 10:
                day = date.fromisoformat(value.strip())
            else:
                day = _parse_time(value).astimezone(_PACIFIC).date()
        elif isinstance(value, datetime):
            day = _as_utc(value).astimezone(_PACIFIC).date()
        else:
            day = value
        midnight = datetime(day.year, day.month, day.day, tzinfo=_PACIFIC)
        return midnight.astimezone(UTC)

    # ------------------------------------------------------------------ counting

    def count(
        self, method: str | None = None, path_prefix: str | None = None,
        status: int | None = None,
    ) -> int:
        """How many recorded requests match the method, canonical path prefix and status."""
        return sum(
            1
            for r in self.requests
            if (method is None or r.method == method.upper())
            and (path_prefix is None or r.path.startswith(path_prefix))
            and (status is None or r.status == status)
        )

    @property
    def writes(self) -> list[RecordedRequest]:
        """Recorded requests that may change state (POST, PATCH, PUT, DELETE)."""
        return [r for r in self.requests if r.is_write]

    @property
    def reads(self) -> list[RecordedRequest]:
        """Recorded GET/HEAD requests."""
        return [r for r in self.requests if not r.is_write]

    def reset_counts(self) -> None:
        """Forget recorded requests (state, faults and quotas are kept)."""
        self.requests.clear()

    # ------------------------------------------------------------------ quotas

    def set_rate_limit_remaining(self, who: str, remaining: int) -> None:
        """Pretend ``who`` has used its quota down to ``remaining`` requests this hour."""
        quota = self._quota(self.user(who))
        quota.used = max(0, quota.limit - remaining)

    # ------------------------------------------------------------------ faults

    def inject(
        self,
        kind: FaultKind | Fault,
        times: int | None = 1,
        *,
        method: str | None = None,
        path: str | re.Pattern[str] | None = None,
        **options: Any,
    ) -> Fault:
        """Schedule a fault for the next ``times`` matching requests (``None``: all of them).

        ``path`` is a prefix of the canonical path (``/repos/learner/study/issues``) or a
        compiled regex; ``options`` are :class:`Fault` fields (``status``, ``retry_after``,
        ``reset_in``, ``lost_as``, ``timeout_as``). Rules are tried in the order given.
        """
        fault = kind if isinstance(kind, Fault) else Fault(kind=kind, **options)
        self._rules.append(_FaultRule(fault, times, method, path))
        return fault

    def random_faults(
        self,
        rate: float = 0.2,
        seed: int | None = 0,
        *,
        kinds: Iterable[str] = FAULT_KINDS,
        method: str | None = None,
    ) -> None:
        """Inject a fault into each request with probability ``rate``, drawn from ``kinds``.

        The draw is reproducible for a given ``seed``; variants (502/503, how a response is
        lost, read/connect timeout) are drawn too. ``rate=0`` turns it off.
        """
        chosen = tuple(kinds)
        for kind in chosen:
            Fault(kind=kind)  # type: ignore[arg-type]  # validates the name
        self._random = (rate, random.Random(seed), chosen, method) if rate > 0 else None

    def clear_faults(self) -> None:
        """Drop scheduled faults, the random mode and the policy (the log is kept)."""
        self._rules.clear()
        self._random = None
        self.fault_policy = None

    def _pick_fault(self, req: RecordedRequest) -> Fault | None:
        for rule in self._rules:
            if rule.matches(req):
                if rule.remaining is not None:
                    rule.remaining -= 1
                return rule.fault
        if self.fault_policy is not None:
            chosen = self.fault_policy(req)
            if chosen is not None:
                return chosen if isinstance(chosen, Fault) else Fault(kind=chosen)  # type: ignore[arg-type]
        if self._random is not None:
            rate, rng, kinds, method = self._random
            if (method is None or req.method == method.upper()) and rng.random() < rate:
                kind = rng.choice(kinds)
                return Fault(
                    kind=kind,  # type: ignore[arg-type]
                    status=rng.choice((502, 503)),
                    lost_as=rng.choice(("502", "connection_error", "read_timeout")),
                    timeout_as=rng.choice(("read", "connect")),
                )
        return None

    # ------------------------------------------------------------------ HTTP entry point

    def _callback(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        with self._lock:
            return self._handle(request)

    def _handle(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        method = (request.method or "GET").upper()
        parts = urlsplit(request.url or "")
        path = parts.path[len(self._prefix):] or "/"
        query_pairs = parse_qsl(parts.query, keep_blank_values=True)
        query: dict[str, list[str]] = {}
        for key, value in query_pairs:
            query.setdefault(key, []).append(value)
        raw = request.body
        text = raw.decode() if isinstance(raw, bytes) else (raw or "")
        try:
            body = json.loads(text) if text.strip() else None
            bad_json = False
        except ValueError:
            body, bad_json = text, True

        rec = RecordedRequest(
            index=len(self.requests),
            method=method,
            path=self._canonical(path),
            url=request.url or "",
            query=query,
            body=body,
            headers={k.lower(): v for k, v in request.headers.items()},
        )
        self.requests.append(rec)
        user = self._user_for(request)
        rec.user = user.login if user else None

        fault = self._pick_fault(rec)
        if fault is not None and fault.kind != "lost_response":
            return self._fault(rec, fault, request, user)

        if bad_json:
            reply = _HTTPError(400, "Problems parsing JSON", _DOCS).reply
            status, headers, out = self._finish(rec, request, user, reply, count=True)
        else:
            status, headers, out = self._serve(rec, request, user, query_pairs, body)
        rec.status = status
        if fault is not None:  # lost_response: the state changed, the client never hears
            return self._lose(rec, fault, request, applied=status < 400)
        return status, headers, out

    def _serve(
        self,
        rec: RecordedRequest,
        request: requests.PreparedRequest,
        user: User | None,
        query_pairs: list[tuple[str, str]],
        body: Any,
    ) -> tuple[int, dict[str, str], str]:
        auth = request.headers.get("Authorization")
        if user is None:
            message = "Bad credentials" if auth else "Requires authentication"
            return self._finish(rec, request, None, _HTTPError(401, message, _DOCS).reply)
        counts = rec.path != "/rate_limit"
        quota = self._quota(user)
        if counts and quota.used >= quota.limit:
            reply = self._rate_limit_reply(user, 403, reset=quota.reset, primary=True)
            return self._finish(rec, request, user, reply, count=False)
        for method, pattern, handler, doc in self._routes:
            if method != rec.method:
                continue
            match = pattern.match(rec.path)
            if match is None:
                continue
            ctx = _Ctx(
                method=rec.method,
                path=rec.path,
                query={k: v for k, v in query_pairs},
                query_pairs=query_pairs,
                body=body,
                user=user,
                doc=doc,
            )
            try:
                reply = handler(ctx, **{k: unquote(v) for k, v in match.groupdict().items()})
            except _HTTPError as err:
                reply = err.reply
            return self._finish(rec, request, user, reply, count=counts)
        return self._finish(rec, request, user, _HTTPError(404, "Not Found", _DOCS).reply,
                            count=counts)

    def _finish(
        self,
        rec: RecordedRequest,
        request: requests.PreparedRequest,
        user: User | None,
        reply: _Reply,
        count: bool = True,
    ) -> tuple[int, dict[str, str], str]:
        """Serialize a reply with GitHub's headers; handles conditional GETs."""
        text = "" if reply.body is None else json.dumps(reply.body)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "x-github-media-type": "github.v3; format=json",
            "x-github-api-version-selected": "2022-11-28",
            "x-github-request-id": self._request_id(rec),
        }
        headers.update(reply.headers)
        status = reply.status
        if rec.method == "GET" and status == 200:
            etag = self._etag(request, text)
            headers["etag"] = etag
            wanted = request.headers.get("If-None-Match", "")
            if etag in [tag.strip() for tag in wanted.split(",")]:
                # A 304 costs no primary quota, and has no body (the OpenAPI description's
                # `not_modified` response has no content). Of the headers it keeps those
                # RFC 7232 asks for (ETag, Vary...) and the rate-limit ones; whether GitHub
                # repeats `Link` on a 304 is not documented, so the fake leaves it out: a
                # client must not need it.
                status, text, count = 304, "", False
                headers.pop("Content-Type")
                headers.pop("Link", None)
        if user is not None:
            quota = self._quota(user)
            if count:
                quota.used += 1
            headers.update(self._quota_headers(quota))
        else:
            headers.update({"x-ratelimit-limit": "60", "x-ratelimit-remaining": "59",
                            "x-ratelimit-reset": str(int(time.time()) + 3600),
                            "x-ratelimit-used": "1", "x-ratelimit-resource": "core"})
        if status == 204:
            headers.pop("Content-Type", None)
        rec.status = status
        return status, headers, text

    # ------------------------------------------------------------------ faults on the wire

    def _fault(
        self,
        rec: RecordedRequest,
        fault: Fault,
        request: requests.PreparedRequest,
        user: User | None,
    ) -> tuple[int, dict[str, str], str]:
        rec.fault = fault.kind
        if fault.kind == "timeout":
            self._log_fault(rec, fault.kind, f"{fault.timeout_as} timeout")
            raise self._timeout_error(rec, request, fault.timeout_as)
        if fault.kind == "5xx":
            if fault.status == 503:
                body = {"message": "Service Unavailable", "documentation_url": _DOCS}
            else:
                body = {"message": "Server Error"}
            reply = _Reply(fault.status, body)
            outcome = str(fault.status)
        elif fault.kind == "secondary_rate_limit":
            # The message alone: no retry-after, and requests left in the hour. GitHub asks
            # for a wait of at least a minute, then longer ones.
            reply = self._secondary_reply(rec, 403)
            outcome = "403 secondary rate limit, no hint"
        elif fault.kind == "secondary_rate_limit_retry_after":
            reply = self._secondary_reply(rec, 403)
            reply.headers["retry-after"] = str(fault.retry_after)
            outcome = f"403 retry-after={fault.retry_after}"
        elif fault.kind == "secondary_rate_limit_429":
            reply = self._secondary_reply(rec, 429)
            reset = int(time.time()) + fault.reset_in
            reply.headers.update({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)})
            outcome = f"429 x-ratelimit-reset=+{fault.reset_in}s"
        else:  # primary_rate_limit
            reset = int(time.time()) + fault.reset_in
            reply = self._rate_limit_reply(user, 403, reset=reset, primary=True)
            outcome = f"403 x-ratelimit-remaining=0 reset=+{fault.reset_in}s"
        self._log_fault(rec, fault.kind, outcome)
        status, headers, text = self._finish(rec, request, user, _Reply(reply.status, reply.body),
                                             count=True)
        headers.update(reply.headers)
        headers.pop("etag", None)
        rec.status = status
        return status, headers, text

    def _lose(
        self, rec: RecordedRequest, fault: Fault, request: requests.PreparedRequest, applied: bool
    ) -> tuple[int, dict[str, str], str]:
        rec.fault = fault.kind
        if fault.lost_as == "502":
            self._log_fault(rec, fault.kind, "502 after applying", applied)
            rec.status = 502
            headers = {"Content-Type": "application/json; charset=utf-8",
                       "x-github-request-id": self._request_id(rec)}
            return 502, headers, json.dumps({"message": "Server Error"})
        if fault.lost_as == "read_timeout":
            self._log_fault(rec, fault.kind, "ReadTimeout after applying", applied)
            rec.status, rec.error = None, "ReadTimeout"
            raise self._timeout_error(rec, request, "read")
        self._log_fault(rec, fault.kind, "ConnectionError after applying", applied)
        rec.status, rec.error = None, "ConnectionError"
        raise requests.exceptions.ConnectionError(
            ProtocolError(
                "Connection aborted.",
                RemoteDisconnected("Remote end closed connection without response"),
            ),
            request=request,
        )

    def _timeout_error(
        self, rec: RecordedRequest, request: requests.PreparedRequest, which: str
    ) -> requests.exceptions.Timeout:
        port = self._port or (443 if self._scheme == "https" else 80)
        pool = f"{'HTTPS' if self._scheme == 'https' else 'HTTP'}ConnectionPool"
        if which == "connect":
            rec.error = "ConnectTimeout"
            return requests.exceptions.ConnectTimeout(
                f"{pool}(host='{self._host}', port={port}): Max retries exceeded with url: "
                f"{urlsplit(request.url or '').path} (Caused by ConnectTimeoutError("
                "'Connection to host timed out. (connect timeout=15)'))",
                request=request,
            )
        rec.error = "ReadTimeout"
        return requests.exceptions.ReadTimeout(
            f"{pool}(host='{self._host}', port={port}): Read timed out. (read timeout=15)",
            request=request,
        )

    def _log_fault(self, rec: RecordedRequest, kind: str, outcome: str,
                   applied: bool = False) -> None:
        self.injected_faults.append(
            InjectedFault(rec.index, rec.method, rec.path, kind, outcome, applied)
        )

    def _secondary_reply(self, rec: RecordedRequest, status: int) -> _Reply:
        message = (
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
            "again. If you reach out to GitHub Support for help, please include the request ID "
            f"{self._request_id(rec)}."
        )
        body = {"message": message,
                "documentation_url": f"{_DOC_RATE}#about-secondary-rate-limits",
                "status": str(status)}
        return _Reply(status, body)

    def _rate_limit_reply(
        self, user: User | None, status: int, *, reset: int, primary: bool
    ) -> _Reply:
        who = (
            "installation ID 4242" if user is not None and user.type == "Bot"
            else f"user ID {user.id if user else 0}"
        )
        body = {
            "message": f"API rate limit exceeded for {who}. If you reach out to GitHub Support "
            "for help, please include the request ID FAKE:0000.",
            "documentation_url": f"{_DOC_RATE}#about-the-primary-rate-limit",
            "status": str(status),
        }
        limit = user.rate_limit if user else 60
        headers = {"x-ratelimit-limit": str(limit), "x-ratelimit-remaining": "0",
                   "x-ratelimit-used": str(limit), "x-ratelimit-reset": str(reset),
                   "x-ratelimit-resource": "core"}
        return _Reply(status, body, headers)

    # ------------------------------------------------------------------ plumbing

    @staticmethod
    def _etag(request: requests.PreparedRequest, text: str) -> str:
        """A weak ETag of the response's content, as GitHub gives it: specific to the token
        and the media type asked for (GitHub answers with ``Vary: Accept, Authorization``,
        and its support confirms that an ETag got with one token is not honoured with
        another: a new Actions job's token gets a 200 for unchanged content)."""
        seen = "\n".join((request.headers.get("Authorization", ""),
                          request.headers.get("Accept", ""), text))
        return 'W/"' + hashlib.sha256(seen.encode()).hexdigest()[:40] + '"'

    def _request_id(self, rec: RecordedRequest) -> str:
        return f"FAKE:{rec.index:06X}"

    def _user_for(self, request: requests.PreparedRequest) -> User | None:
        auth = request.headers.get("Authorization") or ""
        scheme, _, token = auth.partition(" ")
        if scheme.lower() not in ("token", "bearer") or not token:
            return None
        return next((u for u in self.users.values() if u.token == token.strip()), None)

    def _quota(self, user: User) -> _Quota:
        quota = self._quotas.setdefault(user.login, _Quota(limit=user.rate_limit))
        now = int(self.now().timestamp())  # the fake's clock: simulated days get fresh hours
        if quota.reset <= now:
            # The window opens on the first request and lasts an hour, as on GitHub.
            quota.used, quota.reset = 0, now + 3600
        return quota

    @staticmethod
    def _quota_headers(quota: _Quota) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(quota.limit),
            "x-ratelimit-remaining": str(max(0, quota.limit - quota.used)),
            "x-ratelimit-reset": str(quota.reset),
            "x-ratelimit-used": str(quota.used),
            "x-ratelimit-resource": "core",
        }

    def _canonical(self, path: str) -> str:
        """Map ``/repositories/{id}/...`` (used in Link headers) to ``/repos/{o}/{r}/...``."""
        match = re.match(r"^/repositories/(\d+)(/.*)?$", path)
        if match and int(match.group(1)) == self.repo.id:
            return f"/repos/{self.repo.full_name}{match.group(2) or ''}"
        return path

    def _next_number(self) -> int:
        return max(self.issues, default=0) + 1

    def _label_for(self, name: str) -> Label:
        """The label with this name, created with GitHub's default colour if missing."""
        existing = self.labels.get(name.lower())
        return existing if existing is not None else self.create_label(name)

    def _set_state(self, issue: Issue, state: str, reason: str | None, actor: User) -> bool:
        """Apply an open/close transition with GitHub's bookkeeping; False if unchanged."""
        if state == issue.state:
            return False
        now = self.now()
        issue.state = state
        if state == "closed":
            issue.state_reason = reason if reason not in (None, "reopened") else "completed"
            issue.closed_at = now
            issue.closed_by = actor
        else:
            issue.state_reason = "reopened"
            issue.closed_at = None
            issue.closed_by = None
        return True

    # ------------------------------------------------------------------ routing

    def _build_routes(self) -> list[tuple[str, re.Pattern[str], _Handler, str]]:
        repo = r"^/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
        table: list[tuple[str, str, _Handler, str]] = [
            ("GET", r"^/user$", self._h_authenticated_user,
             f"{_DOCS}/users/users#get-the-authenticated-user"),
            ("GET", r"^/users/(?P<login>[^/]+)$", self._h_get_user,
             f"{_DOCS}/users/users#get-a-user"),
            ("GET", r"^/rate_limit$", self._h_rate_limit,
             f"{_DOCS}/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user"),
            ("GET", repo + r"$", self._h_get_repo, f"{_DOCS}/repos/repos#get-a-repository"),
            ("GET", repo + r"/issues$", self._h_list_issues,
             f"{_DOC_ISSUES}#list-repository-issues"),
            ("POST", repo + r"/issues$", self._h_create_issue, f"{_DOC_ISSUES}#create-an-issue"),
            ("GET", repo + r"/issues/comments$", self._h_list_repo_comments,
             f"{_DOC_COMMENTS}#list-issue-comments-for-a-repository"),
            ("GET", repo + r"/issues/comments/(?P<cid>\d+)$", self._h_get_comment,
             f"{_DOC_COMMENTS}#get-an-issue-comment"),
            ("PATCH", repo + r"/issues/comments/(?P<cid>\d+)$", self._h_update_comment,
             f"{_DOC_COMMENTS}#update-an-issue-comment"),
            ("DELETE", repo + r"/issues/comments/(?P<cid>\d+)$", self._h_delete_comment,
             f"{_DOC_COMMENTS}#delete-an-issue-comment"),
            ("GET", repo + r"/issues/(?P<number>\d+)$", self._h_get_issue,
             f"{_DOC_ISSUES}#get-an-issue"),
            ("PATCH", repo + r"/issues/(?P<number>\d+)$", self._h_update_issue,
             f"{_DOC_ISSUES}#update-an-issue"),
            ("GET", repo + r"/issues/(?P<number>\d+)/comments$", self._h_list_comments,
             f"{_DOC_COMMENTS}#list-issue-comments"),
            ("POST", repo + r"/issues/(?P<number>\d+)/comments$", self._h_create_comment,
             f"{_DOC_COMMENTS}#create-an-issue-comment"),
            ("GET", repo + r"/issues/(?P<number>\d+)/labels$", self._h_issue_labels,
             f"{_DOC_LABELS}#list-labels-for-an-issue"),
            ("POST", repo + r"/issues/(?P<number>\d+)/labels$", self._h_add_issue_labels,
             f"{_DOC_LABELS}#add-labels-to-an-issue"),
            ("PUT", repo + r"/issues/(?P<number>\d+)/labels$", self._h_set_issue_labels,
             f"{_DOC_LABELS}#set-labels-for-an-issue"),
            ("DELETE", repo + r"/issues/(?P<number>\d+)/labels$", self._h_clear_issue_labels,
             f"{_DOC_LABELS}#remove-all-labels-from-an-issue"),
            ("DELETE", repo + r"/issues/(?P<number>\d+)/labels/(?P<name>[^/]+)$",
             self._h_remove_issue_label, f"{_DOC_LABELS}#remove-a-label-from-an-issue"),
            ("GET", repo + r"/labels$", self._h_list_labels,
             f"{_DOC_LABELS}#list-labels-for-a-repository"),
            ("POST", repo + r"/labels$", self._h_create_label, f"{_DOC_LABELS}#create-a-label"),
            ("GET", repo + r"/labels/(?P<name>[^/]+)$", self._h_get_label,
             f"{_DOC_LABELS}#get-a-label"),
            ("PATCH", repo + r"/labels/(?P<name>[^/]+)$", self._h_update_label,
             f"{_DOC_LABELS}#update-a-label"),
            ("DELETE", repo + r"/labels/(?P<name>[^/]+)$", self._h_delete_label,
             f"{_DOC_LABELS}#delete-a-label"),
            ("GET", repo + r"/milestones$", self._h_list_milestones,
             f"{_DOC_MILESTONES}#list-milestones"),
            ("POST", repo + r"/milestones$", self._h_create_milestone,
             f"{_DOC_MILESTONES}#create-a-milestone"),
            ("GET", repo + r"/milestones/(?P<number>\d+)$", self._h_get_milestone,
             f"{_DOC_MILESTONES}#get-a-milestone"),
            ("PATCH", repo + r"/milestones/(?P<number>\d+)$", self._h_update_milestone,
             f"{_DOC_MILESTONES}#update-a-milestone"),
            ("DELETE", repo + r"/milestones/(?P<number>\d+)$", self._h_delete_milestone,
             f"{_DOC_MILESTONES}#delete-a-milestone"),
            ("POST", r"^/graphql$", self._h_graphql, "https://docs.github.com/graphql"),
        ]
        return [(m, re.compile(p), h, d) for m, p, h, d in table]

    # ------------------------------------------------------------------ access rules

    def _level(self, user: User) -> int:
        """The user's effective role: anyone may read (and open issues in) a public repo."""
        level = _LEVELS[user.permission]
        return level if self.repo.private else max(level, _LEVELS["read"])

    def _can_push(self, user: User) -> bool:
        """Write access to issues, labels and milestones."""
        if user.type == "Bot":
            return self.bot_permissions.get("issues") == "write"
        return self._level(user) >= _LEVELS["write"]

    def _repo_guard(
        self, ctx: _Ctx, owner: str, repo: str,
        area: Literal["repo", "issues", "labels"] = "repo",
    ) -> None:
        """404 for another or an invisible repo; 403/410 where issues are not granted or off."""
        if (owner.lower(), repo.lower()) != (self.repo.owner.lower(), self.repo.name.lower()):
            raise _HTTPError(404, "Not Found", ctx.doc)
        if ctx.user.type != "Bot" and self._level(ctx.user) == 0:
            raise _HTTPError(404, "Not Found", ctx.doc)
        if area != "repo" and ctx.user.type == "Bot":
            # Issues, labels and milestones all hang on the token's ``issues`` permission.
            granted = self.bot_permissions.get("issues", "none")
            needed = "read" if ctx.method in READ_METHODS else "write"
            if _LEVELS.get(granted, 0) < _LEVELS[needed]:
                raise _HTTPError(403, "Resource not accessible by integration", ctx.doc)
        if area == "issues" and not self.repo.has_issues:
            raise _HTTPError(410, "Issues are disabled for this repo", ctx.doc)

    def _require_push(self, ctx: _Ctx) -> None:
        if not self._can_push(ctx.user):
            if ctx.user.type == "Bot":
                raise _HTTPError(403, "Resource not accessible by integration", ctx.doc)
            raise _HTTPError(403, "Must have admin rights to Repository.", ctx.doc)

    def _issue_or_404(self, ctx: _Ctx, number: str) -> Issue:
        issue = self.issues.get(int(number))
        if issue is None and int(number) in self.deleted_issues:
            raise _HTTPError(410, "This issue was deleted", ctx.doc)
        if issue is None:
            raise _HTTPError(404, "Not Found", ctx.doc)
        return issue

    def delete_issue(self, number: int) -> None:
        """An issue deleted by hand (the web page's "Delete issue", for admins): gone from
        every listing, and 410 Gone for a request naming it, as GitHub answers."""
        del self.issues[number]
        self.deleted_issues.add(number)

    # ------------------------------------------------------------------ JSON renderers

    def _repo_api(self) -> str:
        return f"{self.api_url}/repos/{self.repo.full_name}"

    def user_json(self, user: User) -> dict[str, Any]:
        """The ``simple-user`` object for ``user``."""
        api = f"{self.api_url}/users/{quote(user.login)}"
        is_bot = user.type == "Bot"
        return {
            "login": user.login,
            "id": user.id,
            "node_id": user.node_id,
            "avatar_url": (
                "https://avatars.githubusercontent.com/in/15368?v=4" if is_bot
                else f"https://avatars.githubusercontent.com/u/{user.id}?v=4"
            ),
            "gravatar_id": "",
            "url": api,
            "html_url": (
                f"{self.web_url}/apps/github-actions" if is_bot
                else f"{self.web_url}/{user.login}"
            ),
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": user.type,
            "user_view_type": "public",
            "site_admin": False,
        }

    def _public_user_json(self, user: User) -> dict[str, Any]:
        created = _iso(self.repo.created_at - timedelta(days=400))
        return {
            **self.user_json(user),
            "name": user.name,
            "company": None,
            "blog": "",
            "location": None,
            "email": None,
            "hireable": None,
            "bio": None,
            "twitter_username": None,
            "public_repos": 1 if user.role == "owner" else 0,
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "created_at": created,
            "updated_at": created,
        }

    def _private_user_json(self, user: User) -> dict[str, Any]:
        return {
            **self._public_user_json(user),
            "notification_email": None,
            "private_gists": 0,
            "total_private_repos": 1 if self.repo.private and user.role == "owner" else 0,
            "owned_private_repos": 1 if self.repo.private and user.role == "owner" else 0,
            "disk_usage": 0,
            "collaborators": 0,
            "two_factor_authentication": True,
            "plan": {"name": "free", "space": 976562499, "collaborators": 0,
                     "private_repos": 10000},
        }

    def repo_json(self, viewer: User | None = None) -> dict[str, Any]:
        """The ``full-repository`` object as ``viewer`` sees it."""
        r = self.repo
        api = self._repo_api()
        web = f"{self.web_url}/{r.full_name}"
        host = urlsplit(self.web_url).hostname
        open_count = sum(1 for i in self.issues.values() if i.state == "open")
        updated = max([r.created_at, *(i.updated_at for i in self.issues.values())])
        data: dict[str, Any] = {
            "id": r.id,
            "node_id": _node_id("R", r.id),
            "name": r.name,
            "full_name": r.full_name,
            "private": r.private,
            "owner": self.user_json(self.users["owner"]),
            "html_url": web,
            "description": r.description,
            "fork": False,
            "url": api,
            "archive_url": f"{api}/{{archive_format}}{{/ref}}",
            "assignees_url": f"{api}/assignees{{/user}}",
            "blobs_url": f"{api}/git/blobs{{/sha}}",
            "branches_url": f"{api}/branches{{/branch}}",
            "collaborators_url": f"{api}/collaborators{{/collaborator}}",
            "comments_url": f"{api}/comments{{/number}}",
            "commits_url": f"{api}/commits{{/sha}}",
            "compare_url": f"{api}/compare/{{base}}...{{head}}",
            "contents_url": f"{api}/contents/{{+path}}",
            "contributors_url": f"{api}/contributors",
            "deployments_url": f"{api}/deployments",
            "downloads_url": f"{api}/downloads",
            "events_url": f"{api}/events",
            "forks_url": f"{api}/forks",
            "git_commits_url": f"{api}/git/commits{{/sha}}",
            "git_refs_url": f"{api}/git/refs{{/sha}}",
            "git_tags_url": f"{api}/git/tags{{/sha}}",
            "git_url": f"git://{host}/{r.full_name}.git",
            "issue_comment_url": f"{api}/issues/comments{{/number}}",
            "issue_events_url": f"{api}/issues/events{{/number}}",
            "issues_url": f"{api}/issues{{/number}}",
            "keys_url": f"{api}/keys{{/key_id}}",
            "labels_url": f"{api}/labels{{/name}}",
            "languages_url": f"{api}/languages",
            "merges_url": f"{api}/merges",
            "milestones_url": f"{api}/milestones{{/number}}",
            "notifications_url": f"{api}/notifications{{?since,all,participating}}",
            "pulls_url": f"{api}/pulls{{/number}}",
            "releases_url": f"{api}/releases{{/id}}",
            "ssh_url": f"git@{host}:{r.full_name}.git",
            "stargazers_url": f"{api}/stargazers",
            "statuses_url": f"{api}/statuses/{{sha}}",
            "subscribers_url": f"{api}/subscribers",
            "subscription_url": f"{api}/subscription",
            "tags_url": f"{api}/tags",
            "teams_url": f"{api}/teams",
            "trees_url": f"{api}/git/trees{{/sha}}",
            "clone_url": f"{web}.git",
            "mirror_url": None,
            "hooks_url": f"{api}/hooks",
            "svn_url": web,
            "homepage": None,
            "language": "Python",
            "forks_count": 0,
            "stargazers_count": 0,
            "watchers_count": 0,
            "size": 120,
            "default_branch": r.default_branch,
            "open_issues_count": open_count,
            "is_template": False,
            "topics": [],
            "has_issues": r.has_issues,
            "has_projects": True,
            "has_wiki": True,
            "has_pages": False,
            "has_downloads": True,
            "has_discussions": False,
            "archived": False,
            "disabled": False,
            "visibility": "private" if r.private else "public",
            "pushed_at": _iso(updated),
            "created_at": _iso(r.created_at),
            "updated_at": _iso(updated),
            "allow_forking": True,
            "web_commit_signoff_required": False,
            "license": None,
            "forks": 0,
            "open_issues": open_count,
            "watchers": 0,
            "network_count": 0,
            "subscribers_count": 1,
        }
        # Installation tokens (the bot) get no per-user ``permissions`` block.
        if viewer is not None and viewer.type != "Bot":
            level = self._level(viewer)
            data["permissions"] = {
                "admin": level >= _LEVELS["admin"],
                "maintain": level >= _LEVELS["admin"],
                "push": level >= _LEVELS["write"],
                "triage": level >= _LEVELS["write"],
                "pull": level >= _LEVELS["read"] or not r.private,
            }
        return data

    def label_json(self, label: Label) -> dict[str, Any]:
        """The ``label`` object."""
        return {
            "id": label.id,
            "node_id": _node_id("LA", label.id),
            "url": f"{self._repo_api()}/labels/{quote(label.name, safe='')}",
            "name": label.name,
            "color": label.color,
            "default": label.default,
            "description": label.description,
        }

    def milestone_json(self, ms: Milestone) -> dict[str, Any]:
        """The ``milestone`` object, with issue counts computed from the issues."""
        api = f"{self._repo_api()}/milestones/{ms.number}"
        open_count, closed_count = self.milestone_counts(ms)
        return {
            "url": api,
            "html_url": f"{self.web_url}/{self.repo.full_name}/milestone/{ms.number}",
            "labels_url": f"{api}/labels",
            "id": ms.id,
            "node_id": _node_id("MI", ms.id),
            "number": ms.number,
            "title": ms.title,
            "description": ms.description,
            "creator": self.user_json(ms.creator),
            "open_issues": open_count,
            "closed_issues": closed_count,
            "state": ms.state,
            "created_at": _iso(ms.created_at),
            "updated_at": _iso(ms.updated_at),
            "due_on": _iso(ms.due_on),
            "closed_at": _iso(ms.closed_at),
        }

    def issue_json(self, issue: Issue) -> dict[str, Any]:
        """The ``issue`` object (list items have the same shape, as in the API's examples)."""
        api = f"{self._repo_api()}/issues/{issue.number}"
        kind = "pull" if issue.pull_request else "issues"
        web = f"{self.web_url}/{self.repo.full_name}/{kind}/{issue.number}"
        data: dict[str, Any] = {
            "url": api,
            "repository_url": self._repo_api(),
            "labels_url": f"{api}/labels{{/name}}",
            "comments_url": f"{api}/comments",
            "events_url": f"{api}/events",
            "html_url": web,
            "id": issue.id,
            "node_id": _node_id("PR" if issue.pull_request else "I", issue.id),
            "number": issue.number,
            "title": issue.title,
            "user": self.user_json(issue.user),
            "labels": [self.label_json(label) for label in issue.labels],
            "state": issue.state,
            "locked": issue.locked,
            "assignee": self.user_json(issue.assignees[0]) if issue.assignees else None,
            "assignees": [self.user_json(a) for a in issue.assignees],
            "milestone": self.milestone_json(issue.milestone) if issue.milestone else None,
            "comments": issue.comments,
            "created_at": _iso(issue.created_at),
            "updated_at": _iso(issue.updated_at),
            "closed_at": _iso(issue.closed_at),
            "author_association": (
                issue.user.author_association if issue.user.type != "Bot" else "NONE"
            ),
            "active_lock_reason": issue.active_lock_reason,
            "sub_issues_summary": {"total": 0, "completed": 0, "percent_completed": 0},
            "body": issue.body,
            "reactions": self._reactions(api),
            "timeline_url": f"{api}/timeline",
            "performed_via_github_app": None,
            "state_reason": issue.state_reason,
        }
        if issue.pull_request:
            pull_api = f"{self._repo_api()}/pulls/{issue.number}"
            data["draft"] = issue.draft
            data["pull_request"] = {
                "url": pull_api,
                "html_url": web,
                "diff_url": f"{web}.diff",
                "patch_url": f"{web}.patch",
                "merged_at": None,
            }
        data["closed_by"] = self.user_json(issue.closed_by) if issue.closed_by else None
        return data

    def comment_json(self, comment: Comment) -> dict[str, Any]:
        """The ``issue-comment`` object."""
        issue = self.issues[comment.issue_number]
        api = f"{self._repo_api()}/issues/comments/{comment.id}"
        kind = "pull" if issue.pull_request else "issues"
        return {
            "url": api,
            "html_url": (
                f"{self.web_url}/{self.repo.full_name}/{kind}/{issue.number}"
                f"#issuecomment-{comment.id}"
            ),
            "issue_url": f"{self._repo_api()}/issues/{issue.number}",
            "id": comment.id,
            "node_id": _node_id("IC", comment.id),
            "user": self.user_json(comment.user),
            "created_at": _iso(comment.created_at),
            "updated_at": _iso(comment.updated_at),
            "author_association": comment.user.author_association,
            "body": comment.body,
            "reactions": self._reactions(api),
            "performed_via_github_app": None,
        }

    @staticmethod
    def _reactions(api: str) -> dict[str, Any]:
        counts = dict.fromkeys(
            ("total_count", "+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes"), 0
        )
        return {"url": f"{api}/reactions", **counts}

    # ------------------------------------------------------------------ pagination

    def _paginate(self, ctx: _Ctx, items: list[Any], render: Callable[[Any], Any]) -> _Reply:
        """One page of ``items`` with GitHub's ``Link`` header (per_page ≤ 100, default 30)."""
        try:
            per_page = min(100, max(1, int(ctx.query.get("per_page", "30"))))
        except ValueError:
            per_page = 30
        try:
            page = max(1, int(ctx.query.get("page", "1")))
        except ValueError:
            page = 1
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        headers: dict[str, str] = {}
        links: list[tuple[int, str]] = []
        if page > 1:
            links.append((min(page - 1, last), "prev"))
        if page < last:
            links += [(page + 1, "next"), (last, "last")]
        if page > 1:
            links.append((1, "first"))
        if links:
            # GitHub's links address the repository by id, and carry every query parameter.
            rest = ctx.path[len(f"/repos/{self.repo.full_name}"):]
            base = f"{self.api_url}/repositories/{self.repo.id}{rest}"
            kept = [(k, v) for k, v in ctx.query_pairs if k != "page"]
            headers["Link"] = ", ".join(
                f'<{base}?{urlencode([*kept, ("page", str(n))])}>; rel="{rel}"'
                for n, rel in links
            )
        return _Reply(200, [render(item) for item in chunk], headers)

    def _since(self, ctx: _Ctx) -> datetime | None:
        text = ctx.query.get("since")
        if not text:
            return None
        try:
            return _parse_time(text)
        except ValueError as err:
            raise _validation_failed(
                ctx.doc, {"resource": "Issue", "field": "since", "code": "invalid", "value": text}
            ) from err

    # ------------------------------------------------------------------ handlers: users, repo

    def _h_authenticated_user(self, ctx: _Ctx) -> _Reply:
        if ctx.user.type == "Bot":
            raise _HTTPError(403, "Resource not accessible by integration", ctx.doc)
        return _Reply(200, self._private_user_json(ctx.user))

    def _h_get_user(self, ctx: _Ctx, login: str) -> _Reply:
        user = next((u for u in self.users.values() if u.login.lower() == login.lower()), None)
        if user is None:
            raise _HTTPError(404, "Not Found", ctx.doc)
        return _Reply(200, self._public_user_json(user))

    def _h_rate_limit(self, ctx: _Ctx) -> _Reply:
        quota = self._quota(ctx.user)
        core = {"limit": quota.limit, "used": quota.used,
                "remaining": max(0, quota.limit - quota.used), "reset": quota.reset}
        search = {"limit": 30, "used": 0, "remaining": 30, "reset": int(time.time()) + 60}
        graphql = {"limit": quota.limit, "used": 0, "remaining": quota.limit,
                   "reset": quota.reset}
        return _Reply(200, {"resources": {"core": core, "search": search, "graphql": graphql},
                            "rate": core})

    def _h_get_repo(self, ctx: _Ctx, owner: str, repo: str) -> _Reply:
        self._repo_guard(ctx, owner, repo)
        return _Reply(200, self.repo_json(ctx.user))

    # ------------------------------------------------------------------ handlers: issues

    def _h_list_issues(self, ctx: _Ctx, owner: str, repo: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        q = ctx.query
        state = q.get("state", "open")
        if state not in ("open", "closed", "all"):
            raise _validation_failed(
                ctx.doc, {"resource": "Issue", "field": "state", "code": "invalid", "value": state}
            )
        items = [i for i in self.issues.values() if state == "all" or i.state == state]
        if q.get("labels"):
            wanted = {n.strip().lower() for n in q["labels"].split(",") if n.strip()}
            items = [i for i in items if wanted <= {lb.name.lower() for lb in i.labels}]
        milestone = q.get("milestone")
        if milestone == "*":
            items = [i for i in items if i.milestone is not None]
        elif milestone == "none":
            items = [i for i in items if i.milestone is None]
        elif milestone:
            items = [i for i in items if i.milestone and str(i.milestone.number) == milestone]
        for key, attr in (("creator", "user"), ("assignee", "assignees")):
            who = q.get(key)
            if not who:
                continue
            if attr == "user":
                items = [i for i in items if i.user.login.lower() == who.lower()]
            elif who == "none":
                items = [i for i in items if not i.assignees]
            elif who == "*":
                items = [i for i in items if i.assignees]
            else:
                items = [i for i in items
                         if any(a.login.lower() == who.lower() for a in i.assignees)]
        since = self._since(ctx)
        if since is not None:
            items = [i for i in items if i.updated_at >= since]
        sort = q.get("sort", "created")
        keys: dict[str, Callable[[Issue], Any]] = {
            "created": lambda i: (i.created_at, i.number),
            "updated": lambda i: (i.updated_at, i.number),
            "comments": lambda i: (i.comments, i.number),
        }
        if sort not in keys:
            raise _validation_failed(
                ctx.doc, {"resource": "Issue", "field": "sort", "code": "invalid", "value": sort}
            )
        items.sort(key=keys[sort], reverse=q.get("direction", "desc") != "asc")
        return self._paginate(ctx, items, self.issue_json)

    def _h_get_issue(self, ctx: _Ctx, owner: str, repo: str, number: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        return _Reply(200, self.issue_json(self._issue_or_404(ctx, number)))

    def _check_title(self, ctx: _Ctx, title: Any) -> str:
        if not isinstance(title, str | int) or isinstance(title, bool):
            raise _HTTPError(
                422, f"Invalid request.\n\nFor 'properties/title', {json.dumps(title)} is not a "
                "string or integer.", ctx.doc)
        text = str(title)
        if not text.strip():
            raise _validation_failed(
                ctx.doc, {"resource": "Issue", "code": "missing_field", "field": "title"}
            )
        return text

    def _check_body(self, ctx: _Ctx, body: Any, resource: str = "Issue") -> str | None:
        if body is not None and not isinstance(body, str):
            raise _HTTPError(
                422, f"Invalid request.\n\nFor 'properties/body', {json.dumps(body)} is not a "
                "string or null.", ctx.doc)
        if body is not None and len(body) > MAX_BODY_CHARS:
            raise _validation_failed(ctx.doc, {
                "resource": resource, "code": "custom", "field": "body",
                "message": f"body is too long (maximum is {MAX_BODY_CHARS} characters)",
            })
        return body

    def _label_names(self, ctx: _Ctx, raw: Any) -> list[str]:
        if isinstance(raw, dict):
            raw = raw.get("labels", [])
        if not isinstance(raw, list):
            raise _HTTPError(422, "Invalid request.\n\nFor 'properties/labels', "
                             f"{json.dumps(raw)} is not an array.", ctx.doc)
        names: list[str] = []
        for item in raw:
            name = item.get("name") if isinstance(item, dict) else item
            if not isinstance(name, str) or not name.strip():
                raise _validation_failed(
                    ctx.doc, {"resource": "Label", "code": "invalid", "field": "name"})
            if name.lower() not in {n.lower() for n in names}:
                names.append(name)
        return names

    def _milestone_ref(self, ctx: _Ctx, raw: Any) -> Milestone | None:
        # PyGithub's ``issue.edit(milestone=None)`` sends ``""`` to clear the milestone.
        if raw is None or raw == "":
            return None
        try:
            return self.milestones[int(raw)]
        except (KeyError, TypeError, ValueError) as err:
            raise _validation_failed(ctx.doc, {
                "value": raw, "resource": "Issue", "field": "milestone", "code": "invalid"
            }) from err

    def _h_graphql(self, ctx: _Ctx) -> _Reply:
        return _Reply(200, fake_graphql.serve(self, ctx.user, ctx.body))

    def pin(self, number: int, who: str = "owner") -> None:
        """Someone pins an issue on github.com (GitHub's page refuses a fourth)."""
        if len(self.pinned) >= fake_graphql.MAX_PINS:
            raise ValueError("three issues are pinned already")
        if all(p.number != number for p in self.pinned):
            self.pinned.append(fake_graphql.PinnedIssue(number, self.user(who)))

    def _assignees(self, ctx: _Ctx, raw: Any) -> list[User]:
        logins = [raw] if isinstance(raw, str) else list(raw or [])
        found: list[User] = []
        for login in logins:
            user = next((u for u in self.users.values()
                         if u.login.lower() == str(login).lower() and u.type == "User"
                         and self._level(u) >= _LEVELS["write"]), None)
            if user is None:
                raise _validation_failed(ctx.doc, {
                    "value": login, "resource": "Issue", "field": "assignees", "code": "invalid"
                })
            found.append(user)
        return found

    def _h_create_issue(self, ctx: _Ctx, owner: str, repo: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        data = ctx.body if isinstance(ctx.body, dict) else {}
        if "title" not in data:
            raise _not_supplied(ctx.doc, "title")
        title = self._check_title(ctx, data["title"])
        body = self._check_body(ctx, data.get("body"))
        push = self._can_push(ctx.user)
        # Labels, milestone and assignees from users without push access are silently dropped.
        labels = self._label_names(ctx, data.get("labels") or []) if push else []
        milestone = self._milestone_ref(ctx, data.get("milestone")) if push else None
        raw_assignees = data.get("assignees") or data.get("assignee")
        assignees = self._assignees(ctx, raw_assignees) if push else []
        issue = self.create_issue(title, body, user=ctx.user.role, labels=labels,
                                  milestone=milestone.number if milestone else None)
        issue.assignees = assignees
        out = self.issue_json(issue)
        return _Reply(201, out, {"Location": out["url"]})

    def _h_update_issue(self, ctx: _Ctx, owner: str, repo: str, number: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        issue = self._issue_or_404(ctx, number)
        push = self._can_push(ctx.user)
        if not push and issue.user is not ctx.user:
            self._require_push(ctx)
        data = ctx.body if isinstance(ctx.body, dict) else {}
        changed = False
        if "title" in data:
            title = self._check_title(ctx, data["title"])
            changed |= title != issue.title
            issue.title = title
        if "body" in data:
            body = self._check_body(ctx, data["body"])
            changed |= body != issue.body
            issue.body = body
        reason = data.get("state_reason")
        if reason not in _STATE_REASONS:
            raise _validation_failed(ctx.doc, {"value": reason, "resource": "Issue",
                                               "field": "state_reason", "code": "invalid"})
        if "state" in data:
            if data["state"] not in ("open", "closed"):
                raise _validation_failed(ctx.doc, {"value": data["state"], "resource": "Issue",
                                                   "field": "state", "code": "invalid"})
            # state_reason is ignored unless the state changes (API docs).
            changed |= self._set_state(issue, data["state"], reason, ctx.user)
        if push and "labels" in data:
            names = self._label_names(ctx, data["labels"] or [])
            labels = [self._label_for(n) for n in names]
            changed |= [id(x) for x in labels] != [id(x) for x in issue.labels]
            issue.labels = labels
        if push and "milestone" in data:
            milestone = self._milestone_ref(ctx, data["milestone"])
            changed |= milestone is not issue.milestone
            issue.milestone = milestone
        if push and ("assignees" in data or "assignee" in data):
            assignees = self._assignees(ctx, data.get("assignees", data.get("assignee")))
            changed |= assignees != issue.assignees
            issue.assignees = assignees
        if changed:
            issue.updated_at = self.now()
        return _Reply(200, self.issue_json(issue))

    # ------------------------------------------------------------------ handlers: comments

    def _h_list_comments(self, ctx: _Ctx, owner: str, repo: str, number: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        issue = self._issue_or_404(ctx, number)
        items = self.comments_on(issue.number)
        since = self._since(ctx)
        if since is not None:
            items = [c for c in items if c.updated_at >= since]
        return self._paginate(ctx, items, self.comment_json)

    def _h_list_repo_comments(self, ctx: _Ctx, owner: str, repo: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        items = list(self.comments.values())
        since = self._since(ctx)
        if since is not None:
            items = [c for c in items if c.updated_at >= since]
        if ctx.query.get("sort") == "updated":
            items.sort(key=lambda c: (c.updated_at, c.id))
        if ctx.query.get("direction") == "desc":
            items.reverse()
        return self._paginate(ctx, items, self.comment_json)

    def _comment_or_404(self, ctx: _Ctx, cid: str) -> Comment:
        comment = self.comments.get(int(cid))
        if comment is None:
            raise _HTTPError(404, "Not Found", ctx.doc)
        return comment

    def _h_get_comment(self, ctx: _Ctx, owner: str, repo: str, cid: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        return _Reply(200, self.comment_json(self._comment_or_404(ctx, cid)))

    def _comment_body(self, ctx: _Ctx) -> str:
        data = ctx.body if isinstance(ctx.body, dict) else {}
        if "body" not in data:
            raise _not_supplied(ctx.doc, "body")
        body = self._check_body(ctx, data["body"], resource="IssueComment")
        if not body:
            raise _validation_failed(
                ctx.doc, {"resource": "IssueComment", "code": "missing_field", "field": "body"})
        return body

    def _h_create_comment(self, ctx: _Ctx, owner: str, repo: str, number: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        issue = self._issue_or_404(ctx, number)
        body = self._comment_body(ctx)
        if issue.locked and not self._can_push(ctx.user):
            self._require_push(ctx)
        comment = self.create_comment(issue.number, body, user=ctx.user.role)
        out = self.comment_json(comment)
        return _Reply(201, out, {"Location": out["url"]})

    def _h_update_comment(self, ctx: _Ctx, owner: str, repo: str, cid: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        comment = self._comment_or_404(ctx, cid)
        if comment.user is not ctx.user:
            self._require_push(ctx)
        body = self._comment_body(ctx)
        if body != comment.body:
            comment.body = body
            comment.updated_at = self.now()
        return _Reply(200, self.comment_json(comment))

    def _h_delete_comment(self, ctx: _Ctx, owner: str, repo: str, cid: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        comment = self._comment_or_404(ctx, cid)
        if comment.user is not ctx.user:
            self._require_push(ctx)
        del self.comments[comment.id]
        self.issues[comment.issue_number].comments -= 1
        return _Reply(204)

    # ------------------------------------------------------------------ handlers: issue labels

    def _h_issue_labels(self, ctx: _Ctx, owner: str, repo: str, number: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        issue = self._issue_or_404(ctx, number)
        return self._paginate(ctx, list(issue.labels), self.label_json)

    def _relabel(self, ctx: _Ctx, issue: Issue, labels: list[Label]) -> _Reply:
        if [id(x) for x in labels] != [id(x) for x in issue.labels]:
            issue.labels = labels
            issue.updated_at = self.now()
        return _Reply(200, [self.label_json(label) for label in issue.labels])

    def _h_add_issue_labels(self, ctx: _Ctx, owner: str, repo: str, number: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        issue = self._issue_or_404(ctx, number)
        self._require_push(ctx)
        have = list(issue.labels)
        for name in self._label_names(ctx, ctx.body):
            label = self._label_for(name)
            if all(label is not x for x in have):
                have.append(label)
        return self._relabel(ctx, issue, have)

    def _h_set_issue_labels(self, ctx: _Ctx, owner: str, repo: str, number: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        issue = self._issue_or_404(ctx, number)
        self._require_push(ctx)
        names = self._label_names(ctx, ctx.body if ctx.body is not None else [])
        return self._relabel(ctx, issue, [self._label_for(n) for n in names])

    def _h_clear_issue_labels(self, ctx: _Ctx, owner: str, repo: str, number: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        issue = self._issue_or_404(ctx, number)
        self._require_push(ctx)
        self._relabel(ctx, issue, [])
        return _Reply(204)

    def _h_remove_issue_label(
        self, ctx: _Ctx, owner: str, repo: str, number: str, name: str
    ) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="issues")
        issue = self._issue_or_404(ctx, number)
        self._require_push(ctx)
        kept = [x for x in issue.labels if x.name.lower() != name.lower()]
        if len(kept) == len(issue.labels):
            raise _HTTPError(404, "Label does not exist", ctx.doc)
        return self._relabel(ctx, issue, kept)

    # ------------------------------------------------------------------ handlers: labels

    def _label_or_404(self, ctx: _Ctx, name: str) -> Label:
        label = self.labels.get(name.lower())
        if label is None:
            raise _HTTPError(404, "Not Found", ctx.doc)
        return label

    def _check_label_fields(self, ctx: _Ctx, data: dict[str, Any]) -> None:
        color = data.get("color")
        if color is not None and (not isinstance(color, str) or not _COLOR_RE.match(color)):
            raise _validation_failed(ctx.doc, {"resource": "Label", "code": "invalid",
                                               "field": "color"})
        description = data.get("description")
        if description is not None and len(str(description)) > 100:
            raise _validation_failed(ctx.doc, {
                "resource": "Label", "code": "custom", "field": "description",
                "message": "description is too long (maximum is 100 characters)"})

    def _h_list_labels(self, ctx: _Ctx, owner: str, repo: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="labels")
        return self._paginate(ctx, list(self.labels.values()), self.label_json)

    def _h_get_label(self, ctx: _Ctx, owner: str, repo: str, name: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="labels")
        return _Reply(200, self.label_json(self._label_or_404(ctx, name)))

    def _h_create_label(self, ctx: _Ctx, owner: str, repo: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="labels")
        self._require_push(ctx)
        data = ctx.body if isinstance(ctx.body, dict) else {}
        if "name" not in data:
            raise _not_supplied(ctx.doc, "name")
        name = str(data["name"]).strip()
        if not name:
            raise _validation_failed(ctx.doc, {"resource": "Label", "code": "missing_field",
                                               "field": "name"})
        self._check_label_fields(ctx, data)
        if name.lower() in self.labels:
            raise _validation_failed(ctx.doc, {"resource": "Label", "code": "already_exists",
                                               "field": "name"})
        label = self.create_label(name, (data.get("color") or "ededed").lower(),
                                  data.get("description"))
        out = self.label_json(label)
        return _Reply(201, out, {"Location": out["url"]})

    def _h_update_label(self, ctx: _Ctx, owner: str, repo: str, name: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="labels")
        label = self._label_or_404(ctx, name)
        self._require_push(ctx)
        data = ctx.body if isinstance(ctx.body, dict) else {}
        self._check_label_fields(ctx, data)
        new_name = data.get("new_name")
        if new_name is not None:
            new_name = str(new_name).strip()
            clash = self.labels.get(new_name.lower())
            if clash is not None and clash is not label:
                raise _validation_failed(ctx.doc, {"resource": "Label", "code": "already_exists",
                                                   "field": "name"})
            del self.labels[label.name.lower()]
            label.name = new_name
            self.labels[new_name.lower()] = label
        if data.get("color") is not None:
            label.color = data["color"].lower()
        if "description" in data:
            label.description = data["description"]
        return _Reply(200, self.label_json(label))

    def _h_delete_label(self, ctx: _Ctx, owner: str, repo: str, name: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="labels")
        label = self._label_or_404(ctx, name)
        self._require_push(ctx)
        del self.labels[label.name.lower()]
        for issue in self.issues.values():
            issue.labels = [x for x in issue.labels if x is not label]
        return _Reply(204)

    # ------------------------------------------------------------------ handlers: milestones

    def _milestone_or_404(self, ctx: _Ctx, number: str) -> Milestone:
        milestone = self.milestones.get(int(number))
        if milestone is None:
            raise _HTTPError(404, "Not Found", ctx.doc)
        return milestone

    def _due_on(self, ctx: _Ctx, raw: Any) -> datetime | None:
        try:
            return self.normalize_due_on(raw)
        except (TypeError, ValueError) as err:
            raise _validation_failed(ctx.doc, {"resource": "Milestone", "code": "invalid",
                                               "field": "due_on", "value": raw}) from err

    def _h_list_milestones(self, ctx: _Ctx, owner: str, repo: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="labels")
        state = ctx.query.get("state", "open")
        items = [m for m in self.milestones.values() if state == "all" or m.state == state]
        far = datetime.max.replace(tzinfo=UTC)

        def completeness(m: Milestone) -> float:
            open_count, closed_count = self.milestone_counts(m)
            total = open_count + closed_count
            return closed_count / total if total else 0.0

        if ctx.query.get("sort") == "completeness":
            items.sort(key=lambda m: (completeness(m), m.number))
        else:  # due_on; milestones without a due date sort after those with one
            items.sort(key=lambda m: (m.due_on or far, m.number))
        if ctx.query.get("direction") == "desc":
            items.reverse()
        return self._paginate(ctx, items, self.milestone_json)

    def _h_get_milestone(self, ctx: _Ctx, owner: str, repo: str, number: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="labels")
        return _Reply(200, self.milestone_json(self._milestone_or_404(ctx, number)))

    def _check_milestone_state(self, ctx: _Ctx, state: Any) -> str:
        if state not in ("open", "closed"):
            raise _validation_failed(ctx.doc, {"resource": "Milestone", "code": "invalid",
                                               "field": "state", "value": state})
        return str(state)

    def _h_create_milestone(self, ctx: _Ctx, owner: str, repo: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="labels")
        self._require_push(ctx)
        data = ctx.body if isinstance(ctx.body, dict) else {}
        if "title" not in data:
            raise _not_supplied(ctx.doc, "title")
        title = str(data["title"])
        if not title.strip():
            raise _validation_failed(ctx.doc, {"resource": "Milestone", "code": "missing_field",
                                               "field": "title"})
        if self.get_milestone(title) is not None:
            raise _validation_failed(ctx.doc, {"resource": "Milestone", "code": "already_exists",
                                               "field": "title"})
        state = self._check_milestone_state(ctx, data.get("state", "open"))
        milestone = self.create_milestone(
            title, state=state, description=data.get("description"),
            due_on=self._due_on(ctx, data.get("due_on")), user=ctx.user.role,
        )
        out = self.milestone_json(milestone)
        return _Reply(201, out, {"Location": out["url"]})

    def _h_update_milestone(self, ctx: _Ctx, owner: str, repo: str, number: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="labels")
        milestone = self._milestone_or_404(ctx, number)
        self._require_push(ctx)
        data = ctx.body if isinstance(ctx.body, dict) else {}
        changed = False
        if "title" in data:
            title = str(data["title"])
            other = self.get_milestone(title)
            if other is not None and other is not milestone:
                raise _validation_failed(ctx.doc, {"resource": "Milestone",
                                                   "code": "already_exists", "field": "title"})
            changed |= title != milestone.title
            milestone.title = title
        if "state" in data:
            state = self._check_milestone_state(ctx, data["state"])
            if state != milestone.state:
                milestone.state, changed = state, True
                milestone.closed_at = self.now() if state == "closed" else None
        if "description" in data:
            changed |= data["description"] != milestone.description
            milestone.description = data["description"]
        if "due_on" in data:
            due = self._due_on(ctx, data["due_on"])
            changed |= due != milestone.due_on
            milestone.due_on = due
        if changed:
            milestone.updated_at = self.now()
        return _Reply(200, self.milestone_json(milestone))

    def _h_delete_milestone(self, ctx: _Ctx, owner: str, repo: str, number: str) -> _Reply:
        self._repo_guard(ctx, owner, repo, area="labels")
        milestone = self._milestone_or_404(ctx, number)
        self._require_push(ctx)
        del self.milestones[milestone.number]
        for issue in self.issues.values():
            if issue.milestone is milestone:
                issue.milestone = None
        return _Reply(204)
