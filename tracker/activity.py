"""The learner's commit activity, read from the git history of the checkout (never the API).

One `git log` call gives every commit reachable from HEAD; each is counted once, on the
learner's LOCAL calendar date of its author date. Only the learner's own commits count
(`Authors`: their GitHub noreply addresses and the emails they list): a fork carries the
template maintainers' history, which is not the learner's study. The Actions bot's dashboard
commits and other bots (`dependabot[bot]`, ...) are left out whatever the identity, and so are
merge commits (`--no-merges`): a merge records how branches were joined, not a piece of study,
and counting it would count the same work twice.

A shallow clone (the default of `actions/checkout`, `fetch-depth: 1`) has only its last commit:
the counts are then what the clone holds, and `is_shallow` lets the caller say so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

ACTIONS_BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"

# An entry matches an author name or email exactly, or, starting with "*", by its ending.
DEFAULT_BOTS: tuple[str, ...] = ("*[bot]", ACTIONS_BOT_EMAIL)

SHALLOW_WARNING = (
    "commit history is shallow: set fetch-depth: 0 in the workflow to count older commits"
)

# git's wording for "nothing to read here", which is not an error for a tracker.
_NOTHING_YET = (
    "not a git repository",
    "does not have any commits yet",
    "bad default revision 'head'",  # git before 2.28 on an empty repository
)


class ActivityError(Exception):
    """git could not read the history; the message says why in one line."""


GITHUB_NOREPLY = "users.noreply.github.com"


@dataclass(frozen=True)
class Authors:
    """Who the learner is in the git history, by commit author email.

    A GitHub account commits on github.com as `ID+LOGIN@users.noreply.github.com` (older
    accounts `LOGIN@…`); `emails` are the addresses the learner commits with elsewhere. Logins
    and emails compare without case, as GitHub does.
    """

    logins: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    noreply_host: str = GITHUB_NOREPLY

    @classmethod
    def of(cls, logins: Iterable[str] = (), emails: Iterable[str] = (),
           noreply_host: str = GITHUB_NOREPLY) -> Authors:
        return cls(frozenset(x.strip().casefold() for x in logins if x.strip()),
                   frozenset(x.strip().casefold() for x in emails if x.strip()),
                   noreply_host.casefold())

    def wrote(self, email: str) -> bool:
        """Whether a commit with this author email is the learner's."""
        email = email.strip().casefold()
        if email in self.emails:
            return True
        local, _, host = email.rpartition("@")
        if host != self.noreply_host:
            return False
        login = local.split("+", 1)[1] if "+" in local and local.split("+")[0].isdigit() \
            else local
        return login in self.logins


def commits_by_day(
    repo: Path,
    tz: dt.tzinfo,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    exclude_authors: Iterable[str] = DEFAULT_BOTS,
    authors: Authors | None = None,
) -> dict[dt.date, int]:
    """Commits per local date in `tz`, by author date, from `since` to `until` inclusive.

    Only dates with at least one commit are keys, in ascending order. Merge commits and
    commits whose author name or email matches `exclude_authors` (case-insensitive) are not
    counted; with `authors`, only the commits they wrote are. No git, not a repository, or no
    commits yet: `{}`.
    """
    if since is not None and until is not None and since > until:
        return {}
    # Unix author time: the recorded offset is the committer's clock, not the learner's day.
    args = ["log", "--no-merges", "--no-show-signature", "-z", "--format=%at%x1f%ae%x1f%an"]
    if since is not None and since.year > 1970:
        # --since compares *committer* dates and stops the walk at the first older commit, which
        # is where the speed comes from; a day of margin covers clocks that disagree a little.
        start = dt.datetime.combine(since, dt.time(), tz) - dt.timedelta(days=1)
        args.append(f"--since={start.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} +0000")
    # No --until: an amend or rebase keeps the author date but moves the committer date later,
    # so git would drop such a commit; the walk costs the same either way.
    output = _git(repo, args)

    exact: set[str] = set()
    endings: list[str] = []
    for pattern in exclude_authors:
        pattern = pattern.casefold()
        if pattern.startswith("*"):
            endings.append(pattern[1:])
        else:
            exact.add(pattern)
    suffixes = tuple(endings)

    left_out: dict[str, bool] = {}  # a history has few identities: decide each once
    counts: dict[dt.date, int] = {}
    for record in output.split("\0"):
        if not record:
            continue
        timestamp, identity = record.split("\x1f", 1)
        skip = left_out.get(identity)
        if skip is None:
            email, name = (part.casefold() for part in identity.split("\x1f", 1))
            skip = left_out[identity] = (
                email in exact or name in exact
                or email.endswith(suffixes) or name.endswith(suffixes)
                or (authors is not None and not authors.wrote(email))
            )
        if skip:
            continue
        day = dt.datetime.fromtimestamp(int(timestamp), tz).date()
        if (since is None or day >= since) and (until is None or day <= until):
            counts[day] = counts.get(day, 0) + 1
    return dict(sorted(counts.items()))


def learner_authors(repository: str | None, emails: Iterable[str], checkout: Path,
                    server_url: str | None = None) -> Authors:
    """The learner's identity for counting commits.

    On GitHub the learner is the repository's owner: their login's noreply address (on the
    server's own noreply host for GitHub Enterprise), plus the emails the roadmap lists. A
    checkout with no repository named (local mode on a laptop) is the learner's own: its
    `git config user.email` counts too.
    """
    logins = [repository.split("/", 1)[0]] if repository and "/" in repository else []
    addresses = list(emails)
    if not logins:
        # No identity configured: only the listed emails count.
        with contextlib.suppress(ActivityError):
            addresses.append(_git(checkout, ["config", "user.email"]).strip())
    host = GITHUB_NOREPLY
    if server_url:
        server = server_url.split("://", 1)[-1].split("/", 1)[0].casefold()
        if server and server != "github.com":
            host = f"users.noreply.{server}"
    return Authors.of(logins, addresses, host)


def commits_in(days: Mapping[dt.date, int], start: dt.date, end: dt.date) -> int:
    """The number of commits from `start` to `end`, both inclusive (e.g. the retro's week)."""
    return sum(count for day, count in days.items() if start <= day <= end)


def is_shallow(repo: Path) -> bool:
    """Whether `repo` is a shallow clone, whose older commits are missing from the counts."""
    try:
        return _git(repo, ["rev-parse", "--is-shallow-repository"]).strip() == "true"
    except ActivityError:
        return False


def _git(repo: Path, args: list[str]) -> str:
    """git's standard output; "" when there is no git, no repository or no commit yet."""
    # Untranslated messages, so that the ones meaning "nothing yet" can be recognised.
    env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "C"}
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, env=env, check=False
        )
    except FileNotFoundError:
        return ""
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        if any(phrase in message.casefold() for phrase in _NOTHING_YET):
            return ""
        first_line = message.splitlines()[0] if message else f"exit status {done.returncode}"
        raise ActivityError(f"git {args[0]} failed in {repo}: {first_line}")
    return done.stdout.decode("utf-8", "replace")
