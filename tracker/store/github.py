"""The store of record: the repository's issues, through PyGithub.

PyGithub's own retries are off (`retry=None`): they skip PATCH, skip a 429 without
`retry-after`, and retry a POST whose response was lost, which duplicates issues. Instead every
request goes through `_call`, which retries what is safe to retry, within a bounded total wait,
and checks whether a create landed before trying it again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import random
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import github
import requests
from github.GithubException import GithubException

from ..rows import issue_block, own_block
from .base import (
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
    trusted_authors,
)
from .waits import SAID_AFTER, Fault, Unsaid, WaitReport, backoff, describe, duration

T = TypeVar("T")
DEFAULT_API_URL = "https://api.github.com"
# Sent with every request, as GitHub recommends: the media type, and the REST API version the
# tracker was written against, so its meaning does not move when GitHub's default version does.
API_VERSION = "2022-11-28"
API_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION}
PACIFIC = ZoneInfo("America/Los_Angeles")  # GitHub keeps a milestone's due date as Pacific midnight
_TRANSIENT_STATUS = {500, 502, 503, 504}
PER_PAGE = 100
# GitHub's token prefixes: ghs_ for an installation's token (what Actions' GITHUB_TOKEN is,
# new for each job and good for an hour at most), ghu_ for an app's token for a user (8 hours).
# GitHub's ETags are specific to the token, so these tokens' tags are no use to a later run.
_SHORT_LIVED_TOKENS = ("ghs_", "ghu_")


def _time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _due_date(text: str | None) -> dt.date | None:
    moment = _time(text)
    return moment.astimezone(PACIFIC).date() if moment else None


def _due_stamp(day: dt.date | None) -> str | None:
    # Noon UTC is the same calendar day in Pacific time, so GitHub keeps the date we mean.
    return f"{day.isoformat()}T12:00:00Z" if day else None


def _issue(raw: dict[str, Any]) -> Issue:
    milestone = raw.get("milestone")
    return Issue(
        number=raw["number"], title=raw["title"], body=raw.get("body") or "",
        state=raw["state"], state_reason=raw.get("state_reason"),
        labels=tuple(label["name"] for label in raw.get("labels", [])),
        milestone=milestone["number"] if milestone else None,
        author=(raw.get("user") or {}).get("login", ""),
        created_at=_time(raw["created_at"]) or dt.datetime.now(dt.UTC),
        updated_at=_time(raw["updated_at"]) or dt.datetime.now(dt.UTC),
        closed_at=_time(raw.get("closed_at")),
        milestone_state=milestone["state"] if milestone else None,
        comments=raw.get("comments", 0),
        assignees=tuple(a["login"] for a in raw.get("assignees") or [] if a),
        node_id=raw.get("node_id") or "", author_association=raw.get("author_association", ""))


def _milestone(raw: dict[str, Any]) -> Milestone:
    return Milestone(raw["number"], raw["title"], raw.get("description") or "", raw["state"],
                     _due_date(raw.get("due_on")))


def _explain(error: GithubException, sent: dict[str, Any] | None = None) -> str:
    """GitHub's message, with each of its errors naming the field and the value it refused
    (taken from what was sent when GitHub does not repeat it)."""
    data = error.data if isinstance(error.data, dict) else {}
    message = str(data.get("message") or error.message or "")
    details = "; ".join(_field_error(e, sent or {}) for e in data.get("errors", [])
                        if isinstance(e, dict))
    return f"{message}: {details}" if details else message


def _field_error(error: dict[str, Any], sent: dict[str, Any]) -> str:
    """One of a 422's errors in words: e.g. "Issue milestone=7: invalid"."""
    field = error.get("field")
    if error.get("code") == "custom" and error.get("message"):
        return str(error["message"])  # GitHub's own words name the field
    code = str(error.get("code") or error.get("message") or "invalid")
    if not field:
        return f"{error.get('resource', '')} {code}".strip()
    where = f"{error['resource']} {field}" if error.get("resource") else str(field)
    if "value" in error or field in sent:
        value = json.dumps(error["value"] if "value" in error else sent[field],
                           ensure_ascii=False)
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"{where}={shown}: {code}"
    return f"{where}: {code}"


class GitHubStore:
    """The repository `owner/name` on GitHub (or GitHub Enterprise at `api_url`)."""

    name = "github"

    def __init__(self, token: str, repository: str, api_url: str = DEFAULT_API_URL, *,
                 repository_id: str | None = None,
                 write_interval: float = 1.0, max_wait: float = 600.0,
                 waits: WaitReport | None = None,
                 sleep: Callable[[float], None] | None = None,
                 clock: Callable[[], float] | None = None,
                 rng: random.Random | None = None) -> None:
        if "/" not in repository:
            raise StoreError(f"GITHUB_REPOSITORY must be owner/name, not '{repository}'")
        self.repository = repository
        self.owner = repository.split("/", 1)[0]
        self.keeps_tags = not token.startswith(_SHORT_LIVED_TOKENS)
        # The repository's id (Actions gives it as GITHUB_REPOSITORY_ID) tells a repository
        # deleted and made again under the same name from the old one.
        host = urllib.parse.urlsplit(api_url).netloc.lower()
        self.identity = f"github:{host}/{repository.lower()}" + (
            f"#{repository_id}" if repository_id else "")
        self._gh = github.Github(auth=github.Auth.Token(token), base_url=api_url.rstrip("/"),
                                 per_page=100, retry=None, timeout=30,
                                 seconds_between_requests=None, seconds_between_writes=None)
        self._base = f"/repos/{repository}"
        self.write_interval = write_interval  # GitHub asks for a pause between writes
        self.max_wait = max_wait  # total seconds a command may spend waiting out faults
        self.waited = 0.0
        self.waits: WaitReport = waits or Unsaid()
        self._sleep = time.sleep if sleep is None else sleep
        self._clock = time.monotonic if clock is None else clock
        self._rng = rng or random.Random()
        self._last_write: float | None = None

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Runs are serialized by the workflows' concurrency group; nothing to hold here."""
        yield

    # -- the one way requests are made -------------------------------------------------------------
    def _call(self, action: str, request: Callable[[], T], *, write: bool = False,
              landed: Callable[[], T | None] | None = None,
              sent: dict[str, Any] | None = None, issue: int | None = None) -> T:
        """Make `request`, retrying faults with backoff within `max_wait` seconds in all.

        A write that is not idempotent passes `landed`, which looks for its result: a request
        whose response was lost may have been applied, and must not be applied twice. `sent`
        is the request's body, for naming the value GitHub refused; `issue` the issue the
        request is about, whose 410 Gone means it was deleted.
        """
        attempt = secondary = 0
        said = False
        while True:
            if write:
                self._space_writes()
            try:
                result = request()
            except GithubException as error:
                fault = self._classify(error, action, sent, issue)
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
                fault = Fault(f"could not be reached ({type(error).__name__})")
            else:
                if said:
                    self.waits.resumed(f"GitHub answered: {action} went through.")
                return result
            attempt += 1
            secondary += fault.secondary
            wait = backoff(fault, attempt, secondary, self._rng)
            if self.waited + wait > self.max_wait:
                if said:
                    self.waits.resumed(f"Gave up waiting for GitHub to {action}.")
                raise StoreError(f"GitHub kept failing while trying to {action} "
                                 f"({fault.reason}); gave up after {attempt} tries and "
                                 f"{duration(self.waited)} of waiting: the next run will pick "
                                 f"up where this one stopped") from None
            if wait > SAID_AFTER:
                self.waits.waiting(describe(action, fault, wait, attempt, self.max_wait
                                            - self.waited - wait, self.max_wait))
                said = True
            self._sleep(wait)
            self.waited += wait
            if landed is not None:
                found = self._call(f"check whether '{action}' happened", landed)
                if found is not None:
                    if said:
                        self.waits.resumed(f"GitHub answered: {action} had gone through.")
                    return found

    def _space_writes(self) -> None:
        if self._last_write is not None and self.write_interval > 0:
            pause = self._last_write + self.write_interval - self._clock()
            if pause > 0:
                self._sleep(pause)
        self._last_write = self._clock()

    def _classify(self, error: GithubException, action: str,
                  sent: dict[str, Any] | None = None, issue: int | None = None) -> Fault:
        """A fault worth waiting out, or raise the error a person can act on."""
        status = error.status
        if issue is not None and status == 410:
            # GitHub's answer for an issue deleted from a repository the token can read.
            raise IssueMissing(issue, f"issue #{issue} was deleted from {self.repository} "
                                      f"(410 Gone while trying to {action})") from None
        headers = {k.lower(): v for k, v in (error.headers or {}).items()}
        message = _explain(error, sent)
        if status in _TRANSIENT_STATUS:
            return Fault(f"answered {status}")
        if status in (403, 429):
            if "retry-after" in headers:
                return Fault(f"asked to wait ({status} retry-after)",
                             float(headers["retry-after"]))
            if headers.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset" in headers:
                reset = float(headers["x-ratelimit-reset"]) - time.time()
                return Fault(f"has no requests left this hour ({status})", max(1.0, reset + 1))
            if status == 429 or "rate limit" in message.lower():
                return Fault(f"says a secondary rate limit was hit ({status})", secondary=True)
        if status == 401:
            raise StoreError("GitHub refused the token (401 Bad credentials): check that "
                             "GITHUB_TOKEN is set and not expired") from None
        if status == 403:
            raise StoreError(f"GitHub refused to {action} (403 {message}): the workflow needs "
                             f"'issues: write' (and Settings → Actions → General → Workflow "
                             f"permissions → Read and write)") from None
        if status == 404:
            raise StoreError(f"GitHub could not find {self.repository} while trying to "
                             f"{action} (404): check GITHUB_REPOSITORY and that the token can "
                             f"see the repository") from None
        if status == 410:
            raise StoreError(f"Issues are disabled on {self.repository} (410): turn them on in "
                             f"Settings → General → Features → Issues") from None
        if status == 422:
            raise StoreBadInput(f"GitHub rejected the request to {action}: {message}") from None
        raise StoreError(f"GitHub answered {status} while trying to {action}: "
                         f"{message}") from None

    def _send(self, verb: str, url: str, *, parameters: dict[str, Any] | None = None,
              body: dict[str, Any] | None = None,
              tag: str | None = None) -> tuple[dict[str, Any], Any]:
        """One request, with the headers every request carries; with `tag`, a conditional
        GET (`If-None-Match`), whose 304 Not Modified comes back as no data."""
        headers = dict(API_HEADERS)
        if tag is not None:
            headers["If-None-Match"] = tag
        return self._gh.requester.requestJsonAndCheck(verb, url, parameters=parameters,
                                                      headers=headers, input=body)

    def _request(self, verb: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self._send(verb, self._base + path, body=body)[1]

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
        """A listing, 100 a page, following the `Link` header as far as the caller reads."""
        action = f"list {path.strip('/')}"
        headers, data = self._call(action, functools.partial(
            self._send, "GET", self._base + path, parameters={**params, "per_page": PER_PAGE}))
        yield data
        yield from self._pages_from(_next_link(headers.get("link") or headers.get("Link")),
                                    action)

    def _list(self, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return [item for page in self._pages(path, params) for item in page]

    def _listing(self, path: str, params: dict[str, Any],
                 tag: str | None) -> Listing[dict[str, Any]]:
        """A listing asked for with `If-None-Match: tag`: None if GitHub answers 304 (not
        counted against the hour's requests). Its own tag is kept only when it fit in one
        page with room to spare: GitHub's ETag covers a page's content, not its `Link`, so
        a tag of a full or first page would not tell that a next page appeared."""
        action = f"list {path.strip('/')}"
        headers, data = self._call(action, functools.partial(
            self._send, "GET", self._base + path, parameters={**params, "per_page": PER_PAGE},
            tag=tag))
        if data is None and tag is not None:
            return Listing(None, tag)
        items = list(data)
        link = _next_link(headers.get("link") or headers.get("Link"))
        if link is None:
            etag = headers.get("etag") or headers.get("ETag")
            return Listing(items, etag if len(items) < PER_PAGE else None)
        for page in self._pages_from(link, action):
            items += page
        return Listing(items, None)

    def _pages_from(self, url: str | None, action: str) -> Iterator[list[dict[str, Any]]]:
        """The pages from `url` on (a `Link` next, which carries the query)."""
        while url:
            headers, data = self._call(action, functools.partial(self._send, "GET", url))
            yield data
            url = _next_link(headers.get("link") or headers.get("Link"))

    # -- labels ------------------------------------------------------------------------------
    def list_labels(self) -> list[Label]:
        return [Label(r["name"], r["color"], r.get("description") or "")
                for r in self._list("/labels", {})]

    def label_listing(self, tag: str | None) -> Listing[Label]:
        found = self._listing("/labels", {}, tag)
        return Listing(None if found.items is None else [
            Label(r["name"], r["color"], r.get("description") or "") for r in found.items],
            found.tag)

    def create_label(self, label: Label) -> Label:
        body = {"name": label.name, "color": label.color, "description": label.description}
        try:
            self._call(f"create label {label.name}",
                       lambda: self._request("POST", "/labels", body), write=True, sent=body)
        except StoreBadInput as error:
            if "already_exists" not in str(error) and "already exists" not in str(error):
                raise
        return label

    # -- milestones ----------------------------------------------------------------------------
    def list_milestones(self) -> list[Milestone]:
        return [_milestone(r) for r in self._list("/milestones", {"state": "all"})]

    def milestone_listing(self, tag: str | None) -> Listing[Milestone]:
        found = self._listing("/milestones", {"state": "all"}, tag)
        return Listing(None if found.items is None else [_milestone(r) for r in found.items],
                       found.tag)

    def create_milestone(self, title: str, description: str, due: dt.date | None) -> Milestone:
        body: dict[str, Any] = {"title": title, "description": description}
        if due is not None:  # an ongoing stage: GitHub's due_on is a date-time string, not null
            body["due_on"] = _due_stamp(due)

        def landed() -> dict[str, Any] | None:
            return next((m for m in self._list("/milestones", {"state": "all"})
                         if m["title"] == title), None)

        try:
            return _milestone(self._call(f"create milestone {title}", lambda: self._request(
                "POST", "/milestones", body), write=True, landed=landed, sent=body))
        except StoreBadInput as error:
            found = landed() if "already_exists" in str(error) else None
            if found is None:
                raise
            return _milestone(found)

    def update_milestone(self, number: int, *, title: str | None = None,
                         description: str | None = None, due: dt.date | None | Unset = UNSET,
                         state: str | None = None) -> Milestone:
        body: dict[str, Any] = {}
        if title is not None:
            body["title"] = title
        if description is not None:
            body["description"] = description
        if not isinstance(due, Unset):
            body["due_on"] = _due_stamp(due)
        if state is not None:
            body["state"] = state
        return _milestone(self._call(f"update milestone {number}", lambda: self._request(
            "PATCH", f"/milestones/{number}", body), write=True, sent=body))

    # -- issues --------------------------------------------------------------------------------
    def list_issues(self, since: dt.datetime | None = None) -> list[Issue]:
        params: dict[str, Any] = {"state": "all", "sort": "created", "direction": "asc"}
        if since is not None:
            params["since"] = since.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        # The issues endpoint returns pull requests too; they are not issues.
        return [_issue(r) for r in self._list("/issues", params) if "pull_request" not in r]

    def issue_listing(self, since: dt.datetime, tag: str | None) -> Listing[Issue]:
        params = {"state": "all", "sort": "created", "direction": "asc",
                  "since": since.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        found = self._listing("/issues", params, tag)
        return Listing(None if found.items is None else [
            _issue(r) for r in found.items if "pull_request" not in r], found.tag)

    def get_issue(self, number: int) -> Issue:
        return _issue(self._call(f"read issue #{number}", lambda: self._request(
            "GET", f"/issues/{number}"), issue=number))

    def issues_newest_first(self) -> Iterator[Issue]:
        for page in self._pages("/issues", {"state": "all", "sort": "created",
                                            "direction": "desc"}):
            for raw in page:
                if "pull_request" not in raw:
                    yield _issue(raw)

    def create_issue(self, title: str, body: str, labels: Sequence[str],
                     milestone: int | None, assignees: Sequence[str] = ()) -> Issue:
        if assignees:
            try:
                return self._create_issue(title, body, labels, milestone, assignees)
            except StoreBadInput:
                # GitHub refuses an assignee it cannot assign (not a collaborator, an
                # organisation) with 422: the issue matters more than the notification, so it
                # is made without; the caller sees who is assigned. Any other 422 comes back
                # from this second try.
                pass
        return self._create_issue(title, body, labels, milestone, ())

    def _create_issue(self, title: str, body: str, labels: Sequence[str],
                      milestone: int | None, assignees: Sequence[str]) -> Issue:
        check_not_unread(body)
        payload: dict[str, Any] = {"title": title, "body": body, "labels": list(labels),
                                   "milestone": milestone}
        if assignees:
            payload["assignees"] = list(assignees)
        key = own_block(body, title, labels)
        trusted = trusted_authors(self)  # never a stranger's copy of the key

        def landed() -> dict[str, Any] | None:
            if key is None:
                return None
            recent = self._send("GET", self._base + "/issues", parameters={
                "state": "all", "sort": "created", "direction": "desc", "per_page": 100})[1]
            for raw in recent:
                if "pull_request" in raw:
                    continue
                issue = _issue(raw)
                found = issue_block(issue)
                if found and (found.key.kind, found.key.id) == (key.key.kind, key.key.id) \
                        and trusted.wrote(issue):
                    return raw
            return None

        return _issue(self._call(f"create issue '{title}'", lambda: self._request(
            "POST", "/issues", payload), write=True, landed=landed, sent=payload))

    def update_issue(self, number: int, *, title: str | None = None, body: str | None = None,
                     state: str | None = None, state_reason: str | None = None,
                     labels: Sequence[str] | None = None,
                     milestone: int | None | Unset = UNSET) -> Issue:
        check_not_unread(body, number)
        payload: dict[str, Any] = {}
        for name, value in (("title", title), ("body", body), ("state", state),
                            ("state_reason", state_reason)):
            if value is not None:
                payload[name] = value
        if labels is not None:
            payload["labels"] = list(labels)
        if not isinstance(milestone, Unset):
            payload["milestone"] = milestone
        return _issue(self._call(f"update issue #{number}", lambda: self._request(
            "PATCH", f"/issues/{number}", payload), write=True, sent=payload, issue=number))

    # -- comments ------------------------------------------------------------------------------
    def list_comments(self, issue: int) -> list[Comment]:
        return [_comment(r, issue) for r in self._list(f"/issues/{issue}/comments", {})]

    def create_comment(self, issue: int, body: str) -> Comment:
        def landed() -> dict[str, Any] | None:
            return next((c for c in reversed(self._list(f"/issues/{issue}/comments", {}))
                         if c.get("body") == body), None)

        return _comment(self._call(f"comment on #{issue}", lambda: self._request(
            "POST", f"/issues/{issue}/comments", {"body": body}), write=True, landed=landed),
            issue)


    # -- pins (GraphQL: GitHub's REST API has no pinning) -----------------------------------
    def _graphql(self, action: str, query: str, variables: dict[str, Any], *,
                 write: bool = False) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """One GraphQL request, through the same retries as REST: its data and its errors
        (GitHub answers 200 with an `errors` list when a field was refused)."""
        requester = self._gh.requester
        _, answer = self._call(action, lambda: requester.requestJsonAndCheck(
            "POST", requester.graphql_url, input={"query": query, "variables": variables}),
            write=write)
        answer = answer if isinstance(answer, dict) else {}
        return answer.get("data") or {}, [e for e in answer.get("errors") or []
                                          if isinstance(e, dict)]

    def list_pins(self) -> list[Pin]:
        owner, name = self.repository.split("/", 1)
        data, errors = self._graphql("list the pinned issues", _PINNED_QUERY,
                                     {"owner": owner, "name": name})
        if errors:
            raise StoreError(f"GitHub refused to list the pinned issues: {_graphql_words(errors)}")
        nodes = (((data.get("repository") or {}).get("pinnedIssues") or {}).get("nodes")) or []
        return [Pin(n["issue"]["number"], n["issue"]["id"],
                    (n.get("pinnedBy") or {}).get("login", ""), n["issue"].get("body") or "")
                for n in nodes if n and n.get("issue")]

    def update_pins(self, unpin: Sequence[Pin], pin: Issue | None) -> list[str]:
        fields, variables, numbers = [], {}, {}
        for n, old in enumerate(unpin):
            fields.append(f"u{n}: unpinIssue(input: {{issueId: $u{n}}}) {{ issue {{ number }} }}")
            variables[f"u{n}"], numbers[f"u{n}"] = old.node_id, old.number
        if pin is not None:
            fields.append("p: pinIssue(input: {issueId: $p}) { issue { number } }")
            variables["p"], numbers["p"] = pin.node_id, pin.number
        if not fields:
            return []
        declared = ", ".join(f"${v}: ID!" for v in variables)
        _, errors = self._graphql("pin today's plan", f"mutation({declared}) {{ "
                                  + " ".join(fields) + " }", variables, write=True)
        refused = []
        for error in errors:
            where = (error.get("path") or [""])[0]
            verb = "pinned" if where == "p" else "unpinned"
            refused.append(f"#{numbers.get(where, '?')} was not {verb}: "
                           f"{_graphql_words([error])}")
        return refused


_PINNED_QUERY = """query($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    pinnedIssues(first: 3) { nodes { pinnedBy { login } issue { id number body } } }
  }
}"""


def _graphql_words(errors: Sequence[dict[str, Any]]) -> str:
    return "; ".join(f"{e.get('message') or 'refused'}"
                     + (f" ({e['type']})" if e.get("type") else "") for e in errors)


def _comment(raw: dict[str, Any], issue: int) -> Comment:
    return Comment(raw["id"], issue, raw.get("body") or "", (raw.get("user") or {}).get(
        "login", ""), _time(raw["created_at"]) or dt.datetime.now(dt.UTC),
        raw.get("author_association", ""))


def _next_link(header: str | None) -> str | None:
    if not header:
        return None
    for part in header.split(","):
        section = part.split(";")
        if len(section) >= 2 and section[1].strip() == 'rel="next"':
            return section[0].strip()[1:-1]
    return None
