"""The learner's commit activity, read from the git history of the checkout (never the API).

One `git log` call gives every commit reachable from HEAD; each is counted once, on the
learner's LOCAL calendar date of its author date. The Actions bot's dashboard commits and other
bots (`dependabot[bot]`, ...) are not the learner's work and are left out, and so are merge
commits (`--no-merges`): a merge records how branches were joined, not a piece of study, and
counting it would count the same work twice.

A shallow clone (the default of `actions/checkout`, `fetch-depth: 1`) has only its last commit:
the counts are then what the clone holds, and `is_shallow` lets the caller say so.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable, Mapping
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


def commits_by_day(
    repo: Path,
    tz: dt.tzinfo,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    exclude_authors: Iterable[str] = DEFAULT_BOTS,
) -> dict[dt.date, int]:
    """Commits per local date in `tz`, by author date, from `since` to `until` inclusive.

    Only dates with at least one commit are keys, in ascending order. Merge commits and
    commits whose author name or email matches `exclude_authors` (case-insensitive) are not
    counted. No git, not a repository, or no commits yet: `{}`.
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

    is_bot: dict[str, bool] = {}  # a history has few identities: decide each once
    counts: dict[dt.date, int] = {}
    for record in output.split("\0"):
        if not record:
            continue
        timestamp, identity = record.split("\x1f", 1)
        bot = is_bot.get(identity)
        if bot is None:
            email, name = (part.casefold() for part in identity.split("\x1f", 1))
            bot = is_bot[identity] = (
                email in exact or name in exact
                or email.endswith(suffixes) or name.endswith(suffixes)
            )
        if bot:
            continue
        day = dt.datetime.fromtimestamp(int(timestamp), tz).date()
        if (since is None or day >= since) and (until is None or day <= until):
            counts[day] = counts.get(day, 0) + 1
    return dict(sorted(counts.items()))


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
