"""The GitHub store against the stateful fake: listings, faults, retries, no duplicates."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tracker import keys
from tracker.store.base import Label, StoreBadInput, StoreError

from fake_github import FakeGitHub
from sync_harness import github_store


class Sleeps(list[float]):
    """Records the waits a store would have made."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def keyed(ident: str) -> str:
    return keys.compose(keys.Key("topic", ident), f"- [ ] step <!-- step:{ident}-1 -->")


def test_listing_follows_link_pages_and_drops_pull_requests(fake_github: FakeGitHub) -> None:
    for n in range(250):
        fake_github.create_issue(f"Issue {n}", "x", user="owner")
    fake_github.create_pull_request("A pull request")
    store = github_store(fake_github)
    issues = store.list_issues()
    assert len(issues) == 250
    assert all(i.title.startswith("Issue") for i in issues)
    assert fake_github.count(method="GET") == 3  # 100 a page


def test_since_lists_only_what_changed(fake_github: FakeGitHub) -> None:
    fake_github.create_issue("Old", "x", user="owner")
    cut = fake_github.advance(hours=1)
    fake_github.advance(minutes=5)
    fake_github.create_issue("New", "x", user="owner")
    titles = [i.title for i in github_store(fake_github).list_issues(since=cut)]
    assert titles == ["New"]


@pytest.mark.parametrize("due", [dt.date(2026, 3, 8), dt.date(2026, 11, 1),
                                 dt.date(2026, 12, 31), dt.date(2027, 1, 1)])
def test_milestone_due_date_is_the_calendar_day_despite_pacific_midnight(
        fake_github: FakeGitHub, due: dt.date) -> None:
    store = github_store(fake_github)
    made = store.create_milestone("Stage", "goal", due)
    assert made.due == due
    assert store.list_milestones()[0].due == due
    moved = store.update_milestone(made.number, due=due + dt.timedelta(days=1))
    assert moved.due == due + dt.timedelta(days=1)


def test_patch_is_retried_after_a_server_error(fake_github: FakeGitHub) -> None:
    issue = fake_github.create_issue("T", "x", user="bot")
    sleeps = Sleeps()
    store = github_store(fake_github, sleep=sleeps)
    fake_github.inject("5xx", times=2, method="PATCH")
    updated = store.update_issue(issue.number, title="T2")
    assert updated.title == "T2"
    assert fake_github.count(method="PATCH") == 3
    assert len(sleeps) == 2 and all(0 < s <= 60 for s in sleeps)


def test_secondary_rate_limits_wait_as_github_asks(fake_github: FakeGitHub) -> None:
    sleeps = Sleeps()
    store = github_store(fake_github, sleep=sleeps)
    fake_github.inject("secondary_rate_limit_retry_after", retry_after=7, method="GET")
    store.list_labels()
    assert sleeps == [7.0]
    fake_github.inject("secondary_rate_limit_429", method="GET")  # no retry-after
    store.list_labels()
    assert sleeps[1] >= 1


def test_a_create_whose_response_was_lost_is_not_made_twice(fake_github: FakeGitHub) -> None:
    store = github_store(fake_github)
    fake_github.inject("lost_response", method="POST", path="/repos/learner/study/issues")
    issue = store.create_issue("Topic", keyed("a"), ["topic"], None)
    keyed_issues = [i for i in fake_github.issues.values() if i.body and "study-tracker" in i.body]
    assert len(keyed_issues) == 1
    assert issue.number == keyed_issues[0].number


def test_a_comment_whose_response_was_lost_is_not_made_twice(fake_github: FakeGitHub) -> None:
    target = fake_github.create_issue("T", "x", user="bot")
    store = github_store(fake_github)
    fake_github.inject("lost_response", method="POST", path=f"/repos/learner/study/issues/"
                                                           f"{target.number}/comments")
    store.create_comment(target.number, "Score: 3/4")
    assert len(fake_github.comments_on(target.number)) == 1


def test_a_timeout_is_retried_without_duplicates(fake_github: FakeGitHub) -> None:
    store = github_store(fake_github)
    fake_github.inject("timeout", method="POST")
    store.create_issue("Topic", keyed("b"), [], None)
    assert len(fake_github.issues) == 1


def test_existing_label_is_not_an_error(fake_github: FakeGitHub) -> None:
    fake_github.create_label("topic", "ffffff")
    github_store(fake_github).create_label(Label("topic", "1d76db", "A topic"))
    assert fake_github.get_label("topic").color == "ffffff"  # the learner's colour stays


def test_giving_up_is_one_line_after_a_bounded_wait(fake_github: FakeGitHub) -> None:
    sleeps = Sleeps()
    store = github_store(fake_github, sleep=sleeps, max_wait=120)
    fake_github.inject("5xx", times=None)
    with pytest.raises(StoreError) as caught:
        store.list_issues()
    assert sum(sleeps) <= 120
    message = str(caught.value)
    assert "\n" not in message
    assert "gave up" in message and "next run" in message


def test_errors_a_learner_can_act_on(fake_github: FakeGitHub) -> None:
    from tracker.store.github import GitHubStore

    with pytest.raises(StoreError, match="refused the token"):
        GitHubStore("not-a-token", "learner/study", fake_github.base_url).list_labels()
    fake_github.bot_permissions = {"issues": "read", "contents": "write"}
    with pytest.raises(StoreError, match="Workflow permissions"):
        github_store(fake_github).create_label(Label("x", "ffffff"))
    fake_github.bot_permissions = {"issues": "write", "contents": "write"}
    fake_github.repo.has_issues = False
    with pytest.raises(StoreError, match="Issues are disabled"):
        github_store(fake_github).list_issues()


def test_a_body_over_githubs_limit_is_bad_input(fake_github: FakeGitHub) -> None:
    with pytest.raises(StoreBadInput, match="too long"):
        github_store(fake_github).create_issue("T", "x" * 65_537, [], None)


def test_writes_are_spaced_a_second_apart_under_githubs_creation_limit(
        fake_github: FakeGitHub) -> None:
    now = [0.0]
    sleeps = Sleeps()

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    store = github_store(fake_github, write_interval=1.0, sleep=sleep, clock=lambda: now[0])
    for n in range(5):
        store.create_label(Label(f"l{n}", "ffffff"))
        now[0] += 0.25  # the request itself takes a moment
    assert sleeps == [0.75] * 4  # at most 60 creations a minute, below GitHub's 80


# -- what every request says, how the store waits, what a refusal names --------------------------
class Said:
    """Records what a store says while it waits, in order."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def waiting(self, text: str) -> None:
        self.lines.append(f"waiting: {text}")

    def resumed(self, text: str) -> None:
        self.lines.append(f"resumed: {text}")


def test_every_request_names_the_api_version_and_the_media_type(
        fake_github: FakeGitHub) -> None:
    store = github_store(fake_github)
    label = store.create_label(Label("topic", "1d76db"))
    milestone = store.create_milestone("Stage", "goal", dt.date(2026, 5, 1))
    issue = store.create_issue("T", keyed("v"), [label.name], milestone.number)
    store.update_issue(issue.number, state="closed")
    store.update_milestone(milestone.number, state="closed")
    store.create_comment(issue.number, "done")
    store.list_issues(), store.list_milestones(), store.list_labels()
    store.list_comments(issue.number), list(store.issues_newest_first())
    fake_github.inject("lost_response", method="POST", path="/repos/learner/study/issues")
    store.create_issue("U", keyed("w"), [], None)  # and the look-up after a lost answer
    assert len(fake_github.requests) >= 12
    for request in fake_github.requests:
        assert request.headers.get("x-github-api-version") == "2022-11-28", request.path
        assert request.headers.get("accept") == "application/vnd.github+json", request.path


def test_a_secondary_rate_limit_without_a_hint_backs_off_from_a_minute(
        fake_github: FakeGitHub) -> None:
    sleeps = Sleeps()
    store = github_store(fake_github, sleep=sleeps)  # ten minutes of waiting at most
    fake_github.inject("secondary_rate_limit", times=3, method="GET")
    store.list_labels()
    assert len(sleeps) == 3
    for n, seconds in enumerate(sleeps):
        assert 60 * 2 ** n <= seconds <= 60 * 2 ** n * 1.25, sleeps  # a minute, then doubling
    fake_github.inject("secondary_rate_limit", times=None, method="GET")
    with pytest.raises(StoreError, match="secondary rate limit") as caught:
        github_store(fake_github, sleep=(more := Sleeps())).list_labels()
    assert sum(more) <= 600 and len(more) == 3  # the fourth wait would pass the bound
    assert "gave up after 4 tries" in str(caught.value)


def test_each_wait_says_what_for_how_long_and_what_is_left(fake_github: FakeGitHub) -> None:
    said = Said()
    store = github_store(fake_github, waits=said, max_wait=300)
    fake_github.inject("5xx", times=1, method="GET")  # a second or two: not worth a line
    fake_github.inject("secondary_rate_limit_retry_after", retry_after=30, method="GET")
    fake_github.inject("secondary_rate_limit", times=1, method="GET")
    store.list_labels()
    # The quick retry after the 5xx (a second or two) was waited too, and is not said.
    assert re.fullmatch(r"waiting: GitHub asked to wait \(403 retry-after\) while trying to "
                        r"list labels: waiting 30 s before try 3 \(4 min 2[89] s of the 5 min "
                        r"this run may spend waiting left\)", said.lines[0]), said.lines
    assert said.lines[1].startswith("waiting: GitHub says a secondary rate limit was hit (403) "
                                    "while trying to list labels: waiting 1 min")
    assert said.lines[2:] == ["resumed: GitHub answered: list labels went through."]
    fake_github.inject("5xx", times=None, method="GET")
    with pytest.raises(StoreError):
        store.list_milestones()
    assert said.lines[-1] == "resumed: Gave up waiting for GitHub to list milestones."


def test_a_refusal_names_the_field_and_the_value(fake_github: FakeGitHub) -> None:
    store = github_store(fake_github)
    issue = store.create_issue("T", keyed("r"), [], None)
    with pytest.raises(StoreBadInput) as caught:
        store.update_issue(issue.number, milestone=99)
    assert str(caught.value) == ("GitHub rejected the request to update issue #1: Validation "
                                 "Failed: Issue milestone=99: invalid")
    with pytest.raises(StoreBadInput) as caught:  # GitHub does not repeat this value
        store.create_label(Label("x", "not-a-colour"))
    assert 'Label color="not-a-colour": invalid' in str(caught.value)
    with pytest.raises(StoreBadInput, match=r"Failed: body is too long \(maximum is 65536"):
        store.update_issue(issue.number, body="x" * 65_537)
