"""Commit activity from real git repositories built in tmp_path, with dates and authors set."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tracker.activity import (
    ACTIONS_BOT_EMAIL,
    ActivityError,
    Authors,
    commits_by_day,
    commits_in,
    is_shallow,
)

UTC = ZoneInfo("UTC")
SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date

# Flags, not the developer's ~/.gitconfig, decide identity, signing and the branch name.
GIT = [
    "git",
    "-c", "user.name=Learner",
    "-c", "user.email=learner@example.com",
    "-c", "commit.gpgsign=false",
    "-c", "init.defaultBranch=main",
]


@pytest.fixture(autouse=True)
def _isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No GIT_* from the shell, no global or system config, no repository above tmp_path."""
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def git(repo: Path, *args: str, env: dict[str, str] | None = None, stdin: bytes = b"") -> None:
    subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True,
                   input=stdin, env={**os.environ, **(env or {})})


def init(path: Path) -> Path:
    path.mkdir()
    git(path, "init", "-q")
    return path


def dated(when: str, name: str = "Learner", email: str = "learner@example.com",
          committed: str | None = None, committer: tuple[str, str] | None = None
          ) -> dict[str, str]:
    """The environment of a commit authored at `when` (ISO 8601 with its offset) by `name`."""
    committer_name, committer_email = committer or (name, email)
    return {
        "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": committed or when,
        "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": committer_name, "GIT_COMMITTER_EMAIL": committer_email,
    }


def commit(repo: Path, when: str, **identity: str | tuple[str, str]) -> None:
    git(repo, "commit", "-q", "--allow-empty", "-m", f"study {when}",
        env=dated(when, **identity))  # type: ignore[arg-type]


def repo_with(tmp_path: Path, *dates: str) -> Path:
    repo = init(tmp_path / "repo")
    for when in dates:
        commit(repo, when)
    return repo


# --- Local days ------------------------------------------------------------------------------


def test_a_commit_counts_on_the_learners_local_day_in_shanghai(tmp_path: Path) -> None:
    repo = repo_with(
        tmp_path,
        "2024-01-15T23:30:00+08:00",  # Monday 23:30 in Shanghai = Monday 15:30 UTC
        "2024-01-15T15:59:59+00:00",  # Monday 23:59:59 in Shanghai
        "2024-01-15T16:00:00+00:00",  # Tuesday 00:00 in Shanghai
        "2024-01-15T00:30:00+08:00",  # Monday in Shanghai, still Sunday in UTC
        "2024-01-14T10:00:00-08:00",  # recorded in California: Monday 02:00 in Shanghai
    )
    assert commits_by_day(repo, SHANGHAI) == {D(2024, 1, 15): 4, D(2024, 1, 16): 1}
    assert commits_by_day(repo, UTC) == {D(2024, 1, 14): 2, D(2024, 1, 15): 3}


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Etc/GMT+12", {D(2024, 5, 31): 3, D(2024, 6, 1): 1}),  # UTC-12 (POSIX sign)
        ("Pacific/Kiritimati", {D(2024, 6, 1): 1, D(2024, 6, 2): 3}),  # UTC+14
    ],
)
def test_the_same_instants_fall_on_days_two_dates_apart_at_the_zone_extremes(
    tmp_path: Path, zone: str, expected: dict[dt.date, int]
) -> None:
    repo = repo_with(
        tmp_path,
        "2024-06-01T09:59:59+00:00",  # May 31 21:59:59 / Jun 1 23:59:59
        "2024-06-01T10:00:00+00:00",  # May 31 22:00    / Jun 2 00:00
        "2024-06-01T11:59:59+00:00",  # May 31 23:59:59 / Jun 2 01:59:59
        "2024-06-01T12:00:00+00:00",  # Jun 1 00:00     / Jun 2 02:00
    )
    assert commits_by_day(repo, ZoneInfo(zone)) == expected


def test_berlin_spring_forward(tmp_path: Path) -> None:
    # 2024-03-31: at 02:00 CET the clocks jump to 03:00 CEST (UTC+1 -> UTC+2).
    repo = repo_with(
        tmp_path,
        "2024-03-30T23:30:00+01:00",  # Saturday
        "2024-03-31T00:30:00+01:00",  # Sunday, before the change
        "2024-03-31T02:30:00+01:00",  # a wall time that does not exist, given with its offset
        "2024-03-31T23:30:00+02:00",  # Sunday, after the change
        "2024-03-31T22:30:00+00:00",  # Monday 00:30 CEST (a fixed +01:00 would say Sunday)
    )
    assert commits_by_day(repo, ZoneInfo("Europe/Berlin")) == {
        D(2024, 3, 30): 1, D(2024, 3, 31): 3, D(2024, 4, 1): 1,
    }


def test_new_york_fall_back(tmp_path: Path) -> None:
    # 2024-11-03: at 02:00 EDT the clocks go back to 01:00 EST; 01:30 happens twice.
    repo = repo_with(
        tmp_path,
        "2024-11-03T03:30:00+00:00",  # Saturday 23:30 EDT
        "2024-11-03T01:30:00-04:00",  # Sunday, the first 01:30
        "2024-11-03T01:30:00-05:00",  # Sunday, the second 01:30
        "2024-11-04T04:30:00+00:00",  # Sunday 23:30 EST (a fixed -04:00 would say Monday)
        "2024-11-04T05:00:00+00:00",  # Monday 00:00 EST
    )
    assert commits_by_day(repo, ZoneInfo("America/New_York")) == {
        D(2024, 11, 2): 1, D(2024, 11, 3): 3, D(2024, 11, 4): 1,
    }


# --- Whose commits ---------------------------------------------------------------------------


def test_bots_are_not_the_learner(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    commit(repo, "2024-01-10T12:00:00+00:00")
    commit(repo, "2024-01-10T12:01:00+00:00", name="github-actions[bot]", email=ACTIONS_BOT_EMAIL)
    commit(repo, "2024-01-10T12:02:00+00:00", name="dependabot[bot]",
           email="49699333+dependabot[bot]@users.noreply.github.com")
    commit(repo, "2024-01-10T12:03:00+00:00", name="Dashboard",  # by email, any case
           email="41898282+GitHub-Actions[bot]@users.noreply.github.com")
    commit(repo, "2024-01-10T12:04:00+00:00", name="GitHub-Actions[BOT]",  # by name, any case
           email="someone@example.com")
    # Edited on github.com: the committer is GitHub, the author (who counts) is the learner.
    commit(repo, "2024-01-11T12:00:00+00:00", committer=("GitHub", "noreply@github.com"))
    commit(repo, "2024-01-12T12:00:00+00:00", name="Robot", email="robot@example.com")
    commit(repo, "2024-01-12T12:01:00+00:00", name="Abbot", email="abbot@example.com")

    assert commits_by_day(repo, UTC) == {D(2024, 1, 10): 1, D(2024, 1, 11): 1, D(2024, 1, 12): 2}
    assert commits_by_day(repo, UTC, exclude_authors=()) == {
        D(2024, 1, 10): 5, D(2024, 1, 11): 1, D(2024, 1, 12): 2,
    }
    # Exact entries match a whole name or email; "*bot" catches Robot and Abbot, not "...[bot]".
    assert commits_by_day(repo, UTC, exclude_authors=["LEARNER@example.com", "*bot"]) == {
        D(2024, 1, 10): 4,
    }


def test_merge_commits_are_not_counted(tmp_path: Path) -> None:
    repo = repo_with(tmp_path, "2024-01-01T12:00:00+00:00")
    git(repo, "checkout", "-q", "-b", "topic")
    commit(repo, "2024-01-02T12:00:00+00:00")
    commit(repo, "2024-01-03T12:00:00+00:00")
    git(repo, "checkout", "-q", "main")
    commit(repo, "2024-01-03T13:00:00+00:00")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge topic", "topic",
        env=dated("2024-01-04T12:00:00+00:00"))

    assert commits_by_day(repo, UTC) == {D(2024, 1, 1): 1, D(2024, 1, 2): 1, D(2024, 1, 3): 2}


# --- Bounds ----------------------------------------------------------------------------------


def test_since_and_until_are_inclusive_local_dates(tmp_path: Path) -> None:
    repo = repo_with(
        tmp_path,
        "2024-01-02T23:59:59+08:00",
        "2024-01-03T00:00:00+08:00",  # still Jan 2 in UTC
        "2024-01-04T12:00:00+08:00",
        "2024-01-05T23:59:59+08:00",
        "2024-01-06T00:00:00+08:00",
    )
    # Authored on Jan 4, amended weeks later: git's committer date moves, the author date stays.
    commit(repo, "2024-01-04T09:00:00+08:00", committed="2024-02-20T09:00:00+08:00")

    week = {D(2024, 1, 3): 1, D(2024, 1, 4): 2, D(2024, 1, 5): 1}
    assert commits_by_day(repo, SHANGHAI, since=D(2024, 1, 3), until=D(2024, 1, 5)) == week
    assert commits_by_day(repo, SHANGHAI, since=D(2024, 1, 3)) == {**week, D(2024, 1, 6): 1}
    assert commits_by_day(repo, SHANGHAI, until=D(2024, 1, 5)) == {D(2024, 1, 2): 1, **week}
    assert commits_by_day(repo, SHANGHAI, since=D(2024, 1, 4), until=D(2024, 1, 4)) == {
        D(2024, 1, 4): 2,
    }
    assert commits_by_day(repo, SHANGHAI, since=D(2024, 1, 6), until=D(2024, 1, 5)) == {}
    assert commits_by_day(repo, SHANGHAI, since=D(2024, 1, 7)) == {}


def test_commits_in_adds_an_inclusive_range() -> None:
    days = {D(2024, 1, 1): 2, D(2024, 1, 3): 1, D(2024, 1, 8): 4}
    assert commits_in(days, D(2024, 1, 1), D(2024, 1, 7)) == 3
    assert commits_in(days, D(2024, 1, 3), D(2024, 1, 3)) == 1
    assert commits_in(days, D(2024, 1, 2), D(2024, 1, 8)) == 5
    assert commits_in(days, D(2024, 1, 8), D(2024, 1, 1)) == 0
    assert commits_in({}, D(2024, 1, 1), D(2024, 12, 31)) == 0


# --- Nothing to read, or less than everything ------------------------------------------------


def test_a_folder_that_is_not_a_repository_has_no_commits(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert commits_by_day(plain, UTC) == {}
    assert is_shallow(plain) is False


def test_an_empty_repository_has_no_commits(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    assert commits_by_day(repo, UTC, since=D(2024, 1, 1)) == {}
    assert is_shallow(repo) is False


def test_without_git_there_are_no_commits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = repo_with(tmp_path, "2024-01-01T12:00:00+00:00")
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    monkeypatch.setenv("PATH", str(empty_path))
    assert commits_by_day(repo, UTC) == {}
    assert is_shallow(repo) is False


def test_a_shallow_clone_counts_what_it_has(tmp_path: Path) -> None:
    origin = repo_with(
        tmp_path,
        "2024-01-01T12:00:00+00:00", "2024-01-02T12:00:00+00:00", "2024-01-03T12:00:00+00:00",
    )
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", str(clone))

    assert commits_by_day(clone, UTC) == {D(2024, 1, 3): 1}
    assert is_shallow(clone) is True
    assert commits_by_day(origin, UTC) == {D(2024, 1, 1): 1, D(2024, 1, 2): 1, D(2024, 1, 3): 1}
    assert is_shallow(origin) is False


def test_other_git_failures_raise_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(ActivityError, match="cannot change to") as missing:
        commits_by_day(tmp_path / "nowhere", UTC)
    assert "\n" not in str(missing.value)

    repo = repo_with(tmp_path, "2024-01-01T12:00:00+00:00")
    (repo / ".git" / "refs" / "heads" / "main").write_text("1" * 40 + "\n")  # a lost object
    with pytest.raises(ActivityError, match="git log failed") as broken:
        commits_by_day(repo, UTC)
    assert "\n" not in str(broken.value)


# --- Many commits ----------------------------------------------------------------------------


def test_two_thousand_commits_are_counted_exactly(tmp_path: Path) -> None:
    # 400 Shanghai days from 2023-01-01, five commits a day from 00:00:00 to 23:59:59 local,
    # recorded in UTC; on even days the middle one is a bot's. fast-import: no 2,000 processes.
    first = D(2023, 1, 1)
    plus8 = dt.timezone(dt.timedelta(hours=8))
    bots = [("github-actions[bot]", ACTIONS_BOT_EMAIL),
            ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")]
    stream = []
    for day in range(400):
        for k, clock in enumerate([(0, 0, 0), (6, 0, 0), (12, 0, 0), (18, 0, 0), (23, 59, 59)]):
            local = dt.datetime.combine(first + dt.timedelta(days=day), dt.time(*clock), plus8)
            name, email = bots[day % 4 // 2] if k == 2 and day % 2 == 0 else (
                "Learner", "learner@example.com")
            stamp = f"{name} <{email}> {int(local.timestamp())} +0000"
            message = f"day {day} commit {k}"
            stream.append(f"commit refs/heads/main\nauthor {stamp}\ncommitter {stamp}\n"
                          f"data {len(message)}\n{message}\n")
    repo = init(tmp_path / "repo")
    git(repo, "fast-import", "--quiet", stdin="".join(stream).encode())

    days = commits_by_day(repo, SHANGHAI)
    assert days == {first + dt.timedelta(days=d): 4 if d % 2 == 0 else 5 for d in range(400)}
    assert sum(days.values()) == 1800

    week = commits_by_day(repo, SHANGHAI, since=D(2023, 1, 11), until=D(2023, 1, 20))
    assert week == {first + dt.timedelta(days=d): 4 if d % 2 == 0 else 5 for d in range(10, 20)}
    assert commits_in(days, D(2023, 1, 11), D(2023, 1, 20)) == 45


# --- Whose commits -----------------------------------------------------------------------------


def test_only_the_learners_commits_count(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    # The template's history, made by its maintainers, comes with every fork.
    commit(repo, "2024-01-08T12:00:00+00:00", name="Maintainer", email="dev@tracker.example")
    # Made on github.com: the account's noreply address, with or without the id prefix.
    commit(repo, "2024-01-10T12:00:00+00:00", name="Ada L.",
           email="1234567+Ada-L@users.noreply.github.com")
    commit(repo, "2024-01-10T13:00:00+00:00", name="Ada L.", email="ada-l@users.noreply.github.com")
    # From the laptop, with an address listed in roadmap.yml (any case).
    commit(repo, "2024-01-11T12:00:00+00:00", name="Ada", email="Ada@Example.com")
    # Someone else's noreply address that merely ends like hers, and a bot.
    commit(repo, "2024-01-11T13:00:00+00:00", name="Eve",
           email="9+eve-ada-l@users.noreply.github.com")
    commit(repo, "2024-01-11T14:00:00+00:00", name="github-actions[bot]", email=ACTIONS_BOT_EMAIL)
    learner = Authors.of(logins=["ada-l"], emails=["ada@example.com"])
    assert commits_by_day(repo, UTC, authors=learner) == {D(2024, 1, 10): 2, D(2024, 1, 11): 1}
    # Without an identity (older callers) everyone but the bots counts.
    assert sum(commits_by_day(repo, UTC).values()) == 5


def test_a_github_enterprise_noreply_address_counts_on_its_host(tmp_path: Path) -> None:
    repo = init(tmp_path / "repo")
    commit(repo, "2024-01-10T12:00:00+00:00", email="7+ada@users.noreply.ghe.example.com")
    commit(repo, "2024-01-10T13:00:00+00:00", email="7+ada@users.noreply.github.com")
    on_ghes = Authors.of(logins=["ada"], noreply_host="users.noreply.ghe.example.com")
    assert commits_by_day(repo, UTC, authors=on_ghes) == {D(2024, 1, 10): 1}


def test_nobody_known_means_no_commit_counts(tmp_path: Path) -> None:
    repo = repo_with(tmp_path, "2024-01-10T12:00:00+00:00")
    assert commits_by_day(repo, UTC, authors=Authors.of()) == {}


def test_the_learner_is_the_repositorys_owner_on_its_own_server(tmp_path: Path) -> None:
    from tracker.activity import learner_authors

    repo = init(tmp_path / "repo")
    git(repo, "config", "user.email", "laptop@example.com")
    on_github = learner_authors("Ada-L/study", ["ada@example.com"], repo,
                                "https://github.com")
    assert on_github == Authors.of(["ada-l"], ["ada@example.com"])
    assert on_github.wrote("5+ada-l@users.noreply.github.com")
    assert not on_github.wrote("laptop@example.com")  # a repository named: not the laptop's
    # GitHub Enterprise: the noreply host is the server's own, whatever its URL's case.
    on_ghes = learner_authors("ada/study", [], repo, "https://GHE.Example.com/")
    assert on_ghes.noreply_host == "users.noreply.ghe.example.com"
    assert on_ghes.wrote("7+ada@users.noreply.ghe.example.com")
    assert not on_ghes.wrote("7+ada@users.noreply.github.com")
    assert learner_authors("ada/study", [], repo, None).noreply_host == "users.noreply.github.com"
    # No repository (local mode on a laptop): the checkout's own identity, and the listed.
    local = learner_authors(None, ["ada@example.com"], repo)
    assert local == Authors.of([], ["ada@example.com", "laptop@example.com"])
    assert learner_authors("not-a-pair", [], repo).logins == frozenset()


def test_an_unconfigured_checkout_has_only_the_listed_emails(tmp_path: Path) -> None:
    from tracker.activity import learner_authors

    repo = init(tmp_path / "repo")
    assert learner_authors(None, ["Ada@Example.com"], repo) == Authors.of([], ["ada@example.com"])
    assert Authors.of(noreply_host="USERS.NOREPLY.GHE.EXAMPLE.COM").noreply_host == \
        "users.noreply.ghe.example.com"
