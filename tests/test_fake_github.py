"""Tests of the fake GitHub (tests/fake_github.py), driven by PyGithub and plain ``requests``.

The fake is only useful if it behaves like GitHub where a store can tell the difference, so
these tests pin the behaviours a store relies on: pagination through ``Link`` headers, PRs in
the issues list, filters, write semantics, error bodies, identities, quotas, faults, request
counts, and that every body validates against GitHub's own OpenAPI description.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import github
import jsonschema
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_github import ACTIONS_BOT_ID, FAULT_KINDS, MAX_BODY_CHARS, FakeGitHub, Fault

# GitHub's own description of the endpoints (MIT; source and licence beside it).
SPEC_PATH = Path(__file__).resolve().parent / "openapi" / "github-rest-2022-11-28.json"
REPO = "/repos/learner/study"
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


# --------------------------------------------------------------------------- helpers


@pytest.fixture
def fake(fake_github: FakeGitHub) -> FakeGitHub:
    """Shorter name for the conftest fixture."""
    return fake_github


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record instead of performing any ``time.sleep``: these tests must never wait."""
    calls: list[float] = []
    monkeypatch.setattr(time, "sleep", calls.append)
    return calls


def call(
    fake: FakeGitHub,
    method: str,
    path: str,
    who: str | None = "owner",
    body: Any = None,
    **params: Any,
) -> requests.Response:
    """A plain ``requests`` call to the fake acting as ``who`` (None: no token)."""
    headers = fake.auth_headers(who) if who else {}
    return requests.request(method, fake.url(path), headers=headers, json=body,
                            params=params or None, timeout=5)


def links(response: requests.Response) -> dict[str, str]:
    """rel -> URL from a ``Link`` header."""
    return {rel: link["url"] for rel, link in response.links.items()}


def gh(fake: FakeGitHub, who: str = "owner", **kwargs: Any) -> github.Github:
    """PyGithub as the store would build it, minus the throttling sleeps."""
    return fake.github(who, **kwargs)


# --------------------------------------------------------------------------- wiring


def test_pygithub_get_repo_is_one_eager_get(fake: FakeGitHub) -> None:
    repo = gh(fake).get_repo(fake.full_name)
    assert (repo.full_name, repo.owner.login, repo.private, repo.has_issues) == (
        "learner/study", "learner", False, True)
    # lazy=False (the default) fetches the repository at once.
    assert [(r.method, r.path) for r in fake.requests] == [("GET", REPO)]
    # PyGithub spells the default port out; the fake answers both forms.
    assert fake.requests[0].url.startswith("https://api.github.com:443/")


def test_pygithub_lazy_get_repo_defers_the_request(fake: FakeGitHub) -> None:
    repo = gh(fake, lazy=True).get_repo(fake.full_name)
    assert fake.count() == 0
    list(repo.get_issues())
    assert [r.path for r in fake.requests] == [f"{REPO}/issues"]


def test_both_url_forms_and_other_hosts(fake: FakeGitHub) -> None:
    for url in ("https://api.github.com/repos/learner/study",
                "https://api.github.com:443/repos/learner/study"):
        response = requests.get(url, headers=fake.auth_headers("owner"), timeout=5)
        assert response.status_code == 200
        assert response.json()["full_name"] == "learner/study"
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get("https://example.com/", timeout=5)


def test_owner_and_repo_are_case_insensitive(fake: FakeGitHub) -> None:
    assert call(fake, "GET", "/repos/Learner/STUDY").status_code == 200


def test_ghes_base_url() -> None:
    with FakeGitHub(base_url="https://ghe.example/api/v3") as fake:
        for n in range(150):
            fake.create_issue(f"topic {n}")
        repo = gh(fake).get_repo(fake.full_name)
        issues = list(repo.get_issues(state="all"))
        assert len(issues) == 150
        assert issues[0].url.startswith("https://ghe.example/api/v3/repos/learner/study/issues/")
        assert issues[0].html_url.startswith("https://ghe.example/learner/study/issues/")
        assert fake.count("GET", f"{REPO}/issues") == 2
        assert "/api/v3/repositories/" in fake.requests[-1].url
        created = repo.create_issue("on GHES")
        assert created.number == 151


# --------------------------------------------------------------------------- listing


def test_pagination_250_issues_three_requests_with_pygithub(fake: FakeGitHub) -> None:
    for n in range(250):
        fake.create_issue(f"topic {n}")
    repo = gh(fake, per_page=100).get_repo(fake.full_name)
    fake.reset_counts()
    numbers = [i.number for i in repo.get_issues(state="all")]
    assert sorted(numbers) == list(range(1, 251))
    assert numbers[0] == 250  # created, newest first
    pages = [r.query.get("page", ["1"])[0] for r in fake.requests]
    assert pages == ["1", "2", "3"]
    assert fake.count("GET", f"{REPO}/issues") == 3
    # Pages after the first follow the Link header, which addresses the repository by id.
    assert all("/repositories/700001/issues" in r.url for r in fake.requests[1:])


def test_link_headers_like_github(fake: FakeGitHub) -> None:
    for n in range(250):
        fake.create_issue(f"topic {n}")
    first = call(fake, "GET", f"{REPO}/issues", state="all", per_page=100)
    assert len(first.json()) == 100
    assert set(links(first)) == {"next", "last"}
    assert links(first)["next"] == (
        "https://api.github.com/repositories/700001/issues?state=all&per_page=100&page=2")
    assert links(first)["last"].endswith("page=3")

    second = requests.get(links(first)["next"], headers=fake.auth_headers("owner"), timeout=5)
    assert set(links(second)) == {"prev", "next", "last", "first"}
    assert second.headers["Link"].index('rel="prev"') < second.headers["Link"].index('rel="next"')

    third = requests.get(links(second)["next"], headers=fake.auth_headers("owner"), timeout=5)
    assert len(third.json()) == 50
    assert set(links(third)) == {"prev", "first"}

    few = call(fake, "GET", f"{REPO}/labels")
    assert "Link" not in few.headers


def test_per_page_is_capped_at_100_and_defaults_to_30(fake: FakeGitHub) -> None:
    for n in range(130):
        fake.create_issue(f"topic {n}")
    assert len(call(fake, "GET", f"{REPO}/issues", per_page=500).json()) == 100
    default = call(fake, "GET", f"{REPO}/issues")
    assert len(default.json()) == 30
    assert links(default)["last"].endswith("page=5")


def test_pygithub_total_count_costs_an_extra_request(fake: FakeGitHub) -> None:
    for n in range(7):
        fake.create_issue(f"topic {n}")
    repo = gh(fake).get_repo(fake.full_name)
    fake.reset_counts()
    assert repo.get_issues().totalCount == 7
    assert [r.query.get("per_page") for r in fake.requests] == [["1"]]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(total=st.integers(0, 230), per_page=st.integers(1, 100))
def test_following_next_links_yields_every_issue_once(total: int, per_page: int) -> None:
    with FakeGitHub() as fake:
        for n in range(total):
            fake.create_issue(f"topic {n}")
        seen: list[int] = []
        response = call(fake, "GET", f"{REPO}/issues", state="all", per_page=per_page)
        while True:
            seen += [item["number"] for item in response.json()]
            if "next" not in links(response):
                break
            response = requests.get(links(response)["next"], headers=fake.auth_headers("owner"),
                                    timeout=5)
        assert sorted(seen) == list(range(1, total + 1))
        assert fake.count() == max(1, -(-total // per_page))


def test_pull_requests_are_listed_with_pull_request_key(fake: FakeGitHub) -> None:
    fake.create_issue("topic")
    pr = fake.create_pull_request("Fix typo", user="stranger")
    fake.create_issue("another topic")
    assert pr.number == 2
    items = call(fake, "GET", f"{REPO}/issues").json()
    by_number = {item["number"]: item for item in items}
    assert set(by_number) == {1, 2, 3}
    assert "pull_request" in by_number[2]
    assert by_number[2]["pull_request"]["html_url"].endswith("/learner/study/pull/2")
    assert "pull_request" not in by_number[1]
    issues = list(gh(fake).get_repo(fake.full_name).get_issues())
    assert [i.number for i in issues if "/pull/" in i.html_url] == [2]


def test_pygithub_pull_request_and_raw_data_complete_each_list_item(fake: FakeGitHub) -> None:
    """A PyGithub pitfall the store must avoid: N extra GETs while filtering PRs out."""
    for n in range(3):
        fake.create_issue(f"topic {n}")
    issues = list(gh(fake).get_repo(fake.full_name).get_issues())
    fake.reset_counts()
    assert [i.title for i in issues] == ["topic 2", "topic 1", "topic 0"]  # present: no GET
    assert fake.count() == 0
    assert [i.pull_request for i in issues] == [None, None, None]  # absent key: completes
    assert fake.count("GET") == 3


def test_state_filters(fake: FakeGitHub) -> None:
    fake.create_issue("open one")
    fake.create_issue("closed one", state="closed", state_reason="not_planned")
    fake.create_issue("open two")

    def numbers(**params: Any) -> list[int]:
        return sorted(i["number"] for i in call(fake, "GET", f"{REPO}/issues", **params).json())

    assert numbers() == [1, 3]
    assert numbers(state="open") == [1, 3]
    assert numbers(state="closed") == [2]
    assert numbers(state="all") == [1, 2, 3]
    assert call(fake, "GET", f"{REPO}/issues", state="bogus").status_code == 422


def test_since_filter_uses_updated_at(fake: FakeGitHub) -> None:
    fake.set_time(datetime(2025, 3, 1, 9, 0, tzinfo=UTC))
    fake.create_issue("old")
    fake.create_issue("touched later")
    fake.advance(days=2)
    fake.create_issue("new")
    fake.update_issue(2, body="- [x] ticked")
    repo = gh(fake).get_repo(fake.full_name)
    since = datetime(2025, 3, 2, tzinfo=UTC)
    assert sorted(i.number for i in repo.get_issues(state="all", since=since)) == [2, 3]
    assert fake.requests[-1].query["since"] == ["2025-03-02T00:00:00Z"]
    # Comments bump the issue's updated_at too.
    fake.advance(days=1)
    fake.create_comment(1, "still reading")
    later = datetime(2025, 3, 4, tzinfo=UTC)
    assert [i.number for i in repo.get_issues(state="all", since=later)] == [1]
    assert call(fake, "GET", f"{REPO}/issues", since="yesterday").status_code == 422


def test_label_milestone_creator_filters_and_sorting(fake: FakeGitHub) -> None:
    stage = fake.create_milestone("Stage 1")
    fake.set_time(datetime(2025, 1, 1, tzinfo=UTC))
    fake.create_issue("a", labels=["topic", "Stage-1"], milestone=stage.number)
    fake.advance(hours=1)
    fake.create_issue("b", labels=["topic"])
    fake.advance(hours=1)
    fake.create_issue("c", labels=["daily"], user="bot")
    fake.advance(hours=1)
    fake.update_issue(1, title="a!")

    def numbers(**params: Any) -> list[int]:
        return [i["number"] for i in call(fake, "GET", f"{REPO}/issues", **params).json()]

    assert numbers(labels="TOPIC") == [2, 1]
    assert numbers(labels="topic,stage-1") == [1]
    assert numbers(milestone="*") == [1]
    assert numbers(milestone="none") == [3, 2]
    assert numbers(milestone=str(stage.number)) == [1]
    assert numbers(creator="github-actions[bot]") == [3]
    assert numbers(sort="created", direction="asc") == [1, 2, 3]
    assert numbers(sort="updated") == [1, 3, 2]
    repo = gh(fake).get_repo(fake.full_name)
    milestone = repo.get_milestone(stage.number)
    assert [i.number for i in repo.get_issues(milestone=milestone, labels=["topic"])] == [1]


# --------------------------------------------------------------------------- issue writes


def test_create_update_close_reopen_with_pygithub(fake: FakeGitHub) -> None:
    fake.create_label("topic", "0e8a16", "A roadmap topic")
    fake.set_time(datetime(2025, 5, 1, 8, 0, tzinfo=UTC))
    repo = gh(fake, "bot").get_repo(fake.full_name)
    stage = repo.create_milestone("Stage 1")
    issue = repo.create_issue("Linear algebra", body="<!-- key -->", labels=["topic", "New"],
                              milestone=stage)
    assert issue.number == 1
    assert (issue.user.login, issue.user.type, issue.user.id) == (
        "github-actions[bot]", "Bot", ACTIONS_BOT_ID)
    assert [label.name for label in issue.labels] == ["topic", "New"]
    assert fake.get_label("new") is not None  # unknown labels are created, as on GitHub
    assert fake.get_label("new").color == "ededed"
    assert issue.milestone.number == stage.number
    assert issue.state == "open" and issue.state_reason is None and issue.closed_at is None

    fake.advance(hours=1)
    issue.edit(state="closed", state_reason="not_planned")
    assert (issue.state, issue.state_reason) == ("closed", "not_planned")
    assert issue.closed_at == datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
    assert issue.closed_by.login == "github-actions[bot]"
    assert repo.get_milestone(stage.number).closed_issues == 1

    issue.edit(state="open")
    assert (issue.state, issue.state_reason, issue.closed_at) == ("open", "reopened", None)

    issue.edit(state="closed")
    assert issue.state_reason == "completed"
    issue.edit(milestone=None, labels=[], title="Linear algebra (done)")
    stored = fake.get_issue(1)
    assert (stored.milestone, stored.labels, stored.title) == (None, [], "Linear algebra (done)")


def test_state_reason_is_ignored_unless_the_state_changes(fake: FakeGitHub) -> None:
    fake.create_issue("done", state="closed")
    response = call(fake, "PATCH", f"{REPO}/issues/1", body={"state_reason": "not_planned"})
    assert response.json()["state_reason"] == "completed"
    response = call(fake, "PATCH", f"{REPO}/issues/1",
                    body={"state": "closed", "state_reason": "not_planned"})
    assert response.json()["state_reason"] == "completed"
    bad = call(fake, "PATCH", f"{REPO}/issues/1", body={"state": "closed", "state_reason": "x"})
    assert bad.status_code == 422


def test_updated_at_moves_only_on_a_real_change(fake: FakeGitHub) -> None:
    fake.set_time(datetime(2025, 1, 1, tzinfo=UTC))
    fake.create_issue("same", body="b")
    fake.advance(hours=1)
    same = call(fake, "PATCH", f"{REPO}/issues/1", body={"title": "same", "body": "b"})
    assert same.json()["updated_at"] == "2025-01-01T00:00:00Z"
    changed = call(fake, "PATCH", f"{REPO}/issues/1", body={"body": "c"})
    assert changed.json()["updated_at"] == "2025-01-01T01:00:00Z"


def test_create_returns_201_with_location(fake: FakeGitHub) -> None:
    response = call(fake, "POST", f"{REPO}/issues", body={"title": "t"})
    assert response.status_code == 201
    assert response.headers["Location"] == "https://api.github.com/repos/learner/study/issues/1"
    assert response.json()["author_association"] == "OWNER"


# --------------------------------------------------------------------------- labels, milestones


def test_labels_round_trip_with_pygithub(fake: FakeGitHub) -> None:
    repo = gh(fake).get_repo(fake.full_name)
    label = repo.create_label("stage: 1", "1d76db", "First stage")
    assert (label.name, label.color, label.description) == ("stage: 1", "1d76db", "First stage")
    fake.create_issue("topic", labels=["stage: 1"])
    assert repo.get_label("STAGE: 1").name == "stage: 1"  # lookup ignores case

    with pytest.raises(github.GithubException) as dup:
        repo.create_label("Stage: 1", "ffffff")
    assert dup.value.status == 422
    assert dup.value.data["errors"] == [
        {"resource": "Label", "code": "already_exists", "field": "name"}]

    label.edit("stage-1", "5319e7", "Renamed")
    assert fake.get_issue(1).labels[0].name == "stage-1"  # issues follow the rename
    assert [x.name for x in repo.get_issue(1).labels] == ["stage-1"]
    assert [x.name for x in repo.get_labels()] == ["stage-1"]

    label.delete()
    assert fake.get_issue(1).labels == []
    with pytest.raises(github.UnknownObjectException):
        repo.get_label("stage-1")


def test_label_validation(fake: FakeGitHub) -> None:
    bad_color = call(fake, "POST", f"{REPO}/labels", body={"name": "x", "color": "#ff0000"})
    assert bad_color.status_code == 422
    long = call(fake, "POST", f"{REPO}/labels", body={"name": "x", "description": "d" * 101})
    assert long.json()["errors"][0]["message"].startswith("description is too long")
    no_name = call(fake, "POST", f"{REPO}/labels", body={"color": "ffffff"})
    assert no_name.json()["message"] == 'Invalid request.\n\n"name" wasn\'t supplied.'
    fake.create_label("a")
    fake.create_label("b")
    clash = call(fake, "PATCH", f"{REPO}/labels/a", body={"new_name": "B"})
    assert clash.status_code == 422


def test_issue_labels_add_set_remove(fake: FakeGitHub) -> None:
    fake.create_label("topic")
    fake.create_issue("t")
    issue = gh(fake).get_repo(fake.full_name).get_issue(1)
    issue.add_to_labels("topic", "extra")
    assert [x.name for x in fake.get_issue(1).labels] == ["topic", "extra"]
    issue.remove_from_labels("Topic")
    assert [x.name for x in fake.get_issue(1).labels] == ["extra"]
    issue.set_labels("a", "b")
    assert [x.name for x in fake.get_issue(1).labels] == ["a", "b"]
    missing = call(fake, "DELETE", f"{REPO}/issues/1/labels/nope")
    assert (missing.status_code, missing.json()["message"]) == (404, "Label does not exist")
    remaining = call(fake, "DELETE", f"{REPO}/issues/1/labels/a")
    assert [x["name"] for x in remaining.json()] == ["b"]
    assert call(fake, "DELETE", f"{REPO}/issues/1/labels").status_code == 204
    assert fake.get_issue(1).labels == []


def test_milestones_round_trip_with_pygithub(fake: FakeGitHub) -> None:
    repo = gh(fake).get_repo(fake.full_name)
    first = repo.create_milestone("Stage 1", description="Foundations",
                                  due_on=datetime(2025, 7, 1, 12, 0, tzinfo=UTC))
    second = repo.create_milestone("Stage 2")
    assert (first.number, second.number) == (1, 2)
    # GitHub keeps the date at midnight US Pacific: 07:00Z in summer.
    assert first.due_on == datetime(2025, 7, 1, 7, 0, tzinfo=UTC)
    with pytest.raises(github.GithubException) as dup:
        repo.create_milestone("Stage 1")
    assert dup.value.status == 422
    assert dup.value.data["errors"][0]["code"] == "already_exists"

    fake.create_issue("a", milestone=1)
    fake.create_issue("b", milestone=1, state="closed")
    got = repo.get_milestone(1)
    assert (got.open_issues, got.closed_issues, got.description) == (1, 1, "Foundations")

    got.edit("Stage 1", state="closed", due_on=date(2025, 12, 24))
    assert got.state == "closed" and got.closed_at is not None
    assert got.due_on == datetime(2025, 12, 24, 8, 0, tzinfo=UTC)  # PST in winter
    assert [m.number for m in repo.get_milestones()] == [2]
    assert [m.number for m in repo.get_milestones(state="closed")] == [1]
    assert sorted(m.number for m in repo.get_milestones(state="all")) == [1, 2]

    got.delete()
    assert fake.get_issue(1).milestone is None
    with pytest.raises(github.UnknownObjectException):
        repo.get_milestone(1)


def test_milestone_due_on_before_pacific_midnight_lands_on_previous_day(fake: FakeGitHub) -> None:
    repo = gh(fake).get_repo(fake.full_name)
    # PyGithub sends a date as T00:00:00Z: still the previous day in California.
    milestone = repo.create_milestone("Stage 1", due_on=date(2025, 3, 10))
    assert fake.requests[-1].body["due_on"] == "2025-03-10T00:00:00Z"
    assert milestone.due_on == datetime(2025, 3, 9, 8, 0, tzinfo=UTC)


def test_milestone_list_sorting(fake: FakeGitHub) -> None:
    fake.create_milestone("late", due_on="2025-09-01T12:00:00Z")
    fake.create_milestone("none")
    fake.create_milestone("early", due_on="2025-02-01T12:00:00Z")
    titles = [m["title"] for m in call(fake, "GET", f"{REPO}/milestones").json()]
    assert titles == ["early", "late", "none"]
    desc = call(fake, "GET", f"{REPO}/milestones", direction="desc").json()
    assert [m["title"] for m in desc] == ["none", "late", "early"]


# --------------------------------------------------------------------------- comments


def test_comments_create_list_update(fake: FakeGitHub) -> None:
    fake.create_issue("t")
    for n in range(150):
        fake.create_comment(1, f"note {n}", user="stranger")
    issue = gh(fake).get_repo(fake.full_name).get_issue(1)
    fake.reset_counts()
    assert len(list(issue.get_comments())) == 150
    assert fake.count("GET", f"{REPO}/issues/1/comments") == 2

    comment = issue.create_comment("Score: 3/4")
    assert comment.user.login == "learner"
    assert fake.get_issue(1).comments == 151
    comment.edit("Score: 4/4")
    assert fake.comments[comment.id].body == "Score: 4/4"

    stranger_comment = fake.comments_on(1)[0]
    as_stranger = call(fake, "PATCH", f"{REPO}/issues/comments/{comment.id}", "stranger",
                       body={"body": "mine now"})
    assert as_stranger.status_code == 403
    by_owner = call(fake, "PATCH", f"{REPO}/issues/comments/{stranger_comment.id}",
                    body={"body": "moderated"})
    assert by_owner.status_code == 200


# --------------------------------------------------------------------------- errors


def test_401_without_token_or_with_unknown_token(fake: FakeGitHub) -> None:
    anonymous = call(fake, "GET", REPO, who=None)
    assert anonymous.status_code == 401
    assert anonymous.json() == {"message": "Requires authentication",
                                "documentation_url": "https://docs.github.com/rest",
                                "status": "401"}
    bad = requests.get(fake.url(REPO), headers={"Authorization": "token nope"}, timeout=5)
    assert (bad.status_code, bad.json()["message"]) == (401, "Bad credentials")
    client = github.Github(auth=github.Auth.Token("nope"), retry=None,
                           seconds_between_requests=0, seconds_between_writes=0)
    with pytest.raises(github.BadCredentialsException):
        client.get_repo(fake.full_name)


@pytest.mark.parametrize("path", [
    "/repos/learner/other",
    "/repos/someone/study",
    f"{REPO}/issues/99",
    f"{REPO}/issues/comments/5",
    f"{REPO}/labels/nope",
    f"{REPO}/milestones/7",
    f"{REPO}/nothing-here",
    "/users/nobody",
])
def test_404_bodies(fake: FakeGitHub, path: str) -> None:
    response = call(fake, "GET", path)
    assert response.status_code == 404
    body = response.json()
    assert body["message"] == "Not Found"
    assert body["documentation_url"].startswith("https://docs.github.com/rest")


def test_pygithub_maps_404_to_unknown_object(fake: FakeGitHub) -> None:
    with pytest.raises(github.UnknownObjectException):
        gh(fake).get_repo("learner/other")
    with pytest.raises(github.UnknownObjectException):
        gh(fake).get_repo(fake.full_name).get_issue(42)


def test_422_title_required(fake: FakeGitHub) -> None:
    missing = call(fake, "POST", f"{REPO}/issues", body={"body": "x"})
    assert missing.status_code == 422
    assert missing.json()["message"] == 'Invalid request.\n\n"title" wasn\'t supplied.'
    empty = call(fake, "POST", f"{REPO}/issues", body={"title": "  "})
    assert empty.json()["errors"] == [
        {"resource": "Issue", "code": "missing_field", "field": "title"}]
    assert fake.issues == {}


@pytest.mark.parametrize("where", ["create", "update", "comment"])
def test_422_body_too_long(fake: FakeGitHub, where: str) -> None:
    fake.create_issue("t")
    just_right, too_long = "x" * MAX_BODY_CHARS, "x" * (MAX_BODY_CHARS + 1)
    method, path = {
        "create": ("POST", f"{REPO}/issues"),
        "update": ("PATCH", f"{REPO}/issues/1"),
        "comment": ("POST", f"{REPO}/issues/1/comments"),
    }[where]
    ok = call(fake, method, path, body={"title": "t", "body": just_right})
    assert ok.status_code in (200, 201)
    bad = call(fake, method, path, body={"title": "t", "body": too_long})
    assert bad.status_code == 422
    error = bad.json()["errors"][0]
    assert error["message"] == "body is too long (maximum is 65536 characters)"
    assert error["resource"] == ("IssueComment" if where == "comment" else "Issue")


def test_bad_json_is_400(fake: FakeGitHub) -> None:
    response = requests.post(fake.url(f"{REPO}/issues"), data="{nope",
                             headers=fake.auth_headers("owner"), timeout=5)
    assert (response.status_code, response.json()["message"]) == (400, "Problems parsing JSON")


# --------------------------------------------------------------------------- identities, access


def test_identities_and_author_association(fake: FakeGitHub) -> None:
    owner = call(fake, "POST", f"{REPO}/issues", "owner", body={"title": "o"}).json()
    bot = call(fake, "POST", f"{REPO}/issues", "bot", body={"title": "b"}).json()
    stranger = call(fake, "POST", f"{REPO}/issues", "stranger", body={"title": "s"}).json()
    assert (owner["user"]["type"], owner["author_association"]) == ("User", "OWNER")
    assert bot["user"]["login"] == "github-actions[bot]"
    assert (bot["user"]["type"], bot["user"]["id"]) == ("Bot", ACTIONS_BOT_ID)
    assert bot["user"]["url"].endswith("/users/github-actions%5Bbot%5D")
    assert (stranger["user"]["type"], stranger["author_association"]) == ("User", "NONE")
    assert gh(fake, "stranger").get_user().login == "passer-by"
    bot_user = gh(fake).get_user("github-actions[bot]")
    assert (bot_user.type, bot_user.id) == ("Bot", ACTIONS_BOT_ID)


def test_bot_cannot_read_authenticated_user(fake: FakeGitHub) -> None:
    with pytest.raises(github.GithubException) as err:
        _ = gh(fake, "bot").get_user().login
    assert err.value.status == 403
    assert err.value.data["message"] == "Resource not accessible by integration"


def test_stranger_rights_in_a_public_repo(fake: FakeGitHub) -> None:
    fake.create_milestone("Stage 1")
    fake.create_issue("owner's")
    created = call(fake, "POST", f"{REPO}/issues", "stranger",
                   body={"title": "mine", "labels": ["topic"], "milestone": 1})
    assert created.status_code == 201
    # Labels and milestone from users without push access are silently dropped.
    assert (created.json()["labels"], created.json()["milestone"]) == ([], None)
    assert fake.get_label("topic") is None

    edit_other = call(fake, "PATCH", f"{REPO}/issues/1", "stranger", body={"title": "pwned"})
    assert edit_other.status_code == 403
    assert edit_other.json()["message"] == "Must have admin rights to Repository."
    assert fake.get_issue(1).title == "owner's"

    close_own = call(fake, "PATCH", f"{REPO}/issues/2", "stranger",
                     body={"state": "closed", "labels": ["x"]})
    assert close_own.status_code == 200
    assert (close_own.json()["state"], close_own.json()["labels"]) == ("closed", [])

    for method, path, body in [
        ("POST", f"{REPO}/labels", {"name": "x"}),
        ("POST", f"{REPO}/milestones", {"title": "x"}),
        ("POST", f"{REPO}/issues/1/labels", ["x"]),
    ]:
        assert call(fake, method, path, "stranger", body=body).status_code == 403
    repo = call(fake, "GET", REPO, "stranger").json()
    assert repo["permissions"]["push"] is False and repo["permissions"]["pull"] is True


def test_private_repo_is_invisible_to_strangers() -> None:
    with FakeGitHub(private=True) as fake:
        assert call(fake, "GET", REPO, "stranger").status_code == 404
        assert call(fake, "GET", f"{REPO}/issues", "stranger").status_code == 404
        assert call(fake, "GET", REPO, "bot").json()["private"] is True


def test_bot_without_issue_write_permission() -> None:
    with FakeGitHub(bot_permissions={"issues": "read", "contents": "write"}) as fake:
        assert call(fake, "GET", f"{REPO}/issues", "bot").status_code == 200
        denied = call(fake, "POST", f"{REPO}/issues", "bot", body={"title": "t"})
        assert denied.status_code == 403
        assert denied.json()["message"] == "Resource not accessible by integration"
        assert call(fake, "POST", f"{REPO}/labels", "bot", body={"name": "x"}).status_code == 403
    with FakeGitHub(bot_permissions={"contents": "read"}) as fake:
        assert call(fake, "GET", f"{REPO}/issues", "bot").status_code == 403
        assert call(fake, "GET", REPO, "bot").status_code == 200


def test_issues_disabled_is_410(fake: FakeGitHub) -> None:
    fake.repo.has_issues = False
    response = call(fake, "GET", f"{REPO}/issues")
    assert (response.status_code, response.json()["message"]) == (
        410, "Issues are disabled for this repo")
    assert call(fake, "GET", f"{REPO}/labels").status_code == 200
    assert call(fake, "GET", REPO).json()["has_issues"] is False


# --------------------------------------------------------------------------- quota, etag


def test_rate_limit_headers_and_endpoint(fake: FakeGitHub) -> None:
    first = call(fake, "GET", REPO)
    second = call(fake, "GET", REPO)
    for name in ("limit", "remaining", "reset", "used", "resource"):
        assert f"x-ratelimit-{name}" in second.headers
    assert int(first.headers["x-ratelimit-remaining"]) - 1 == int(
        second.headers["x-ratelimit-remaining"])
    assert second.headers["x-ratelimit-limit"] == "5000"
    assert call(fake, "GET", REPO, "bot").headers["x-ratelimit-limit"] == "1000"
    overview = gh(fake).get_rate_limit()
    assert overview.resources.core.remaining == 4998
    assert gh(fake).get_rate_limit().resources.core.remaining == 4998  # free of charge


def test_exhausted_quota_gives_primary_rate_limit(fake: FakeGitHub) -> None:
    fake.set_rate_limit_remaining("owner", 1)
    assert call(fake, "GET", REPO).status_code == 200
    limited = call(fake, "GET", REPO)
    assert limited.status_code == 403
    assert limited.json()["message"].startswith("API rate limit exceeded for user ID")
    assert limited.headers["x-ratelimit-remaining"] == "0"
    with pytest.raises(github.RateLimitExceededException):
        gh(fake).get_repo(fake.full_name)
    assert call(fake, "GET", REPO, "bot").status_code == 200  # quotas are per user


def test_etag_and_conditional_requests(fake: FakeGitHub) -> None:
    fake.create_issue("t")
    first = call(fake, "GET", f"{REPO}/issues/1")
    etag = first.headers["etag"]
    headers = {**fake.auth_headers("owner"), "If-None-Match": etag}
    again = requests.get(fake.url(f"{REPO}/issues/1"), headers=headers, timeout=5)
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["x-ratelimit-remaining"] == first.headers["x-ratelimit-remaining"]

    issue = gh(fake).get_repo(fake.full_name).get_issue(1)
    assert issue.update() is False
    fake.update_issue(1, body="changed")
    assert issue.update() is True and issue.body == "changed"


# --------------------------------------------------------------------------- direct helpers


def test_direct_helpers_do_not_touch_http(fake: FakeGitHub) -> None:
    issue = fake.create_issue("copied key", body="<!-- key -->", user="stranger")
    fake.create_comment(issue.number, "hi", user="bot")
    fake.update_issue(issue.number, state="closed", state_reason="not_planned")
    assert fake.get_issue(1).state_reason == "not_planned"
    assert fake.get_issue(1).user.login == "passer-by"
    assert fake.count() == 0
    assert fake.token_for("bot") != fake.token_for("owner")
    with pytest.raises(KeyError):
        fake.user("nobody")


def test_extra_users(fake: FakeGitHub) -> None:
    fake.add_user("helper", "study-buddy", id=2001, permission="write")
    created = call(fake, "POST", f"{REPO}/issues", "helper",
                   body={"title": "t", "labels": ["topic"], "assignees": ["study-buddy"]})
    assert created.json()["author_association"] == "COLLABORATOR"
    assert [x["name"] for x in created.json()["labels"]] == ["topic"]
    assert created.json()["assignee"]["login"] == "study-buddy"
    bad = call(fake, "POST", f"{REPO}/issues", body={"title": "t", "assignees": ["passer-by"]})
    assert bad.status_code == 422


# --------------------------------------------------------------------------- counting


def test_request_counting(fake: FakeGitHub) -> None:
    repo = gh(fake).get_repo(fake.full_name)
    issue = repo.create_issue("t")
    issue.edit(body="b")
    issue.create_comment("c")
    list(repo.get_issues())
    assert fake.count() == 5
    assert fake.count("GET") == 2
    assert fake.count(path_prefix=f"{REPO}/issues") == 4
    assert fake.count("POST", f"{REPO}/issues") == 2
    assert fake.count(status=201) == 2
    assert [(r.method, r.path) for r in fake.writes] == [
        ("POST", f"{REPO}/issues"), ("PATCH", f"{REPO}/issues/1"),
        ("POST", f"{REPO}/issues/1/comments")]
    assert len(fake.reads) == 2
    assert fake.writes[0].body == {"title": "t"}
    assert fake.writes[0].user == "learner"
    fake.reset_counts()
    assert fake.count() == 0 and fake.writes == []


# --------------------------------------------------------------------------- faults


def test_5xx_body_and_pygithub_without_retry(fake: FakeGitHub) -> None:
    fake.inject("5xx", status=503)
    response = call(fake, "GET", REPO)
    assert (response.status_code, response.json()["message"]) == (503, "Service Unavailable")
    fake.inject("5xx")
    with pytest.raises(github.GithubException) as err:
        gh(fake).get_repo(fake.full_name)
    assert err.value.status == 502
    assert [f.outcome for f in fake.injected_faults] == ["503", "502"]
    assert [r.fault for r in fake.requests] == ["5xx", "5xx"]


def test_pygithub_default_retry_repeats_get_and_post_but_not_patch(
    fake: FakeGitHub, sleeps: list[float]
) -> None:
    client = gh(fake, retry=github.GithubRetry())
    fake.inject("5xx", times=2, method="GET")
    repo = client.get_repo(fake.full_name)
    assert fake.count("GET", REPO) == 3  # two 502s, then the answer
    fake.inject("5xx", method="POST")
    issue = repo.create_issue("t")
    assert fake.count("POST") == 2 and len(fake.issues) == 1
    fake.inject("5xx", method="PATCH")
    with pytest.raises(github.GithubException) as err:
        issue.edit(body="b")  # PATCH is not in urllib3's retryable methods
    assert err.value.status == 502
    assert fake.count("PATCH") == 1
    assert sleeps == []  # responses replays retries without urllib3's backoff sleep


def test_secondary_rate_limit_with_retry_after(fake: FakeGitHub) -> None:
    fake.inject("secondary_rate_limit_retry_after", retry_after=7)
    response = call(fake, "POST", f"{REPO}/issues", body={"title": "t"})
    assert response.status_code == 403
    assert response.headers["retry-after"] == "7"
    assert response.json()["message"].startswith("You have exceeded a secondary rate limit")
    assert int(response.headers["x-ratelimit-remaining"]) > 0
    assert fake.issues == {}

    fake.inject("secondary_rate_limit_retry_after")
    with pytest.raises(github.RateLimitExceededException):
        gh(fake).get_repo(fake.full_name)
    fake.inject("secondary_rate_limit_retry_after", method="GET")
    assert gh(fake, retry=github.GithubRetry()).get_repo(fake.full_name).name == "study"


def test_secondary_rate_limit_429_is_not_retried_by_pygithub(fake: FakeGitHub) -> None:
    fake.inject("secondary_rate_limit_429", reset_in=30)
    response = call(fake, "GET", REPO)
    assert response.status_code == 429
    assert "retry-after" not in response.headers
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert 25 <= int(response.headers["x-ratelimit-reset"]) - time.time() <= 31
    fake.reset_counts()
    fake.inject("secondary_rate_limit_429")
    with pytest.raises(github.GithubException) as err:
        gh(fake, retry=github.GithubRetry()).get_repo(fake.full_name)
    assert err.value.status == 429
    assert not isinstance(err.value, github.RateLimitExceededException)
    assert fake.count() == 1


def test_primary_rate_limit_fault(fake: FakeGitHub) -> None:
    fake.inject("primary_rate_limit", reset_in=120)
    response = call(fake, "GET", REPO, "bot")
    assert response.status_code == 403
    assert response.json()["message"].startswith("API rate limit exceeded for installation ID")
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert int(response.headers["x-ratelimit-reset"]) > time.time() + 100
    fake.inject("primary_rate_limit")
    with pytest.raises(github.RateLimitExceededException):
        gh(fake).get_repo(fake.full_name)


def test_lost_response_applies_the_write(fake: FakeGitHub) -> None:
    fake.inject("lost_response", method="POST")
    response = call(fake, "POST", f"{REPO}/issues", body={"title": "t"})
    assert response.status_code == 502
    assert len(fake.issues) == 1  # the client saw a failure, GitHub did the work
    assert fake.injected_faults[-1].applied is True

    fake.inject("lost_response", method="PATCH", lost_as="connection_error")
    with pytest.raises(requests.exceptions.ConnectionError):
        gh(fake).get_repo(fake.full_name).get_issue(1).edit(state="closed")
    assert fake.get_issue(1).state == "closed"
    assert fake.requests[-1].error == "ConnectionError"

    fake.inject("lost_response", method="POST", lost_as="read_timeout")
    with pytest.raises(requests.exceptions.ReadTimeout):
        call(fake, "POST", f"{REPO}/labels", body={"name": "x"})
    assert fake.get_label("x") is not None


def test_lost_post_response_with_pygithub_retry_duplicates_the_issue(fake: FakeGitHub) -> None:
    """Why a store must not trust POST retries: the retried create runs twice."""
    repo = gh(fake, retry=github.GithubRetry()).get_repo(fake.full_name)
    fake.inject("lost_response", method="POST")
    repo.create_issue("Daily plan 2025-05-01")
    assert [i.title for i in fake.issues.values()] == ["Daily plan 2025-05-01"] * 2


def test_timeouts_do_not_apply(fake: FakeGitHub) -> None:
    fake.inject("timeout", method="POST")
    with pytest.raises(requests.exceptions.ReadTimeout):
        gh(fake).get_repo(fake.full_name).create_issue("t")
    assert fake.issues == {}
    fake.inject("timeout", timeout_as="connect")
    with pytest.raises(requests.exceptions.ConnectTimeout):
        call(fake, "GET", REPO)
    assert [f.outcome for f in fake.injected_faults] == ["read timeout", "connect timeout"]


def test_inject_filters_and_times(fake: FakeGitHub) -> None:
    fake.inject("5xx", times=None, path=f"{REPO}/labels")
    fake.inject("5xx", times=2, method="patch", path=re.compile(r"/issues/\d+$"))
    fake.create_issue("t")
    assert call(fake, "GET", f"{REPO}/issues").status_code == 200
    assert call(fake, "GET", f"{REPO}/labels").status_code == 502
    assert call(fake, "GET", f"{REPO}/labels").status_code == 502
    statuses = [call(fake, "PATCH", f"{REPO}/issues/1", body={"body": "b"}).status_code
                for _ in range(3)]
    assert statuses == [502, 502, 200]
    fake.clear_faults()
    assert call(fake, "GET", f"{REPO}/labels").status_code == 200
    with pytest.raises(ValueError, match="unknown fault kind"):
        fake.inject("gremlins")  # type: ignore[arg-type]


def test_fault_policy(fake: FakeGitHub) -> None:
    fake.fault_policy = lambda req: "5xx" if req.is_write else None
    assert call(fake, "GET", REPO).status_code == 200
    assert call(fake, "POST", f"{REPO}/issues", body={"title": "t"}).status_code == 502
    fake.fault_policy = lambda req: Fault("secondary_rate_limit_retry_after", retry_after=1)
    assert call(fake, "GET", REPO).headers["retry-after"] == "1"


def _run_random(seed: int) -> list[tuple[int, str, str]]:
    with FakeGitHub() as fake:
        fake.random_faults(rate=0.5, seed=seed)
        for n in range(40):
            with contextlib.suppress(requests.exceptions.RequestException):
                call(fake, "POST" if n % 3 == 0 else "GET", f"{REPO}/issues",
                     body={"title": f"t{n}"} if n % 3 == 0 else None)
        return [(f.request_index, f.kind, f.outcome) for f in fake.injected_faults]


def test_random_faults_are_reproducible_and_cover_the_kinds() -> None:
    first = _run_random(seed=7)
    assert first == _run_random(seed=7)
    assert first != _run_random(seed=8)
    assert 10 <= len(first) <= 30
    kinds = {kind for _, kind, _ in first + _run_random(seed=8) + _run_random(seed=9)}
    assert kinds == set(FAULT_KINDS)


def test_random_faults_off_and_method_filter(fake: FakeGitHub) -> None:
    fake.random_faults(rate=1.0, seed=1, kinds=["5xx"], method="POST")
    assert call(fake, "GET", REPO).status_code == 200
    assert call(fake, "POST", f"{REPO}/issues", body={"title": "t"}).status_code >= 500
    fake.random_faults(rate=0)
    assert call(fake, "POST", f"{REPO}/issues", body={"title": "t"}).status_code == 201


# --------------------------------------------------------------------------- OpenAPI schemas


def denull(o: Any) -> Any:
    """OpenAPI 3.0 ``nullable`` to JSON Schema (the recipe from the subset's README)."""
    if isinstance(o, list):
        return [denull(x) for x in o]
    if not isinstance(o, dict):
        return o
    o = {k: denull(v) for k, v in o.items()}
    if o.pop("nullable", False):
        if isinstance(o.get("type"), str):
            o["type"] = [o["type"], "null"]
            if "enum" in o and None not in o["enum"]:
                o["enum"] = o["enum"] + [None]
        else:
            o = {"anyOf": [o, {"type": "null"}]}
    return o


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    """The OpenAPI subset, with ``components`` made null-aware."""
    data = json.loads(SPEC_PATH.read_text())
    data["components"] = denull(data["components"])
    return data


def check(spec: dict[str, Any], template: str, method: str, response: requests.Response) -> None:
    """Validate a response body against the operation's schema for its status code."""
    entry = spec["paths"][template][method.lower()]["responses"][str(response.status_code)]
    if "$ref" in entry:
        entry = spec["components"]["responses"][entry["$ref"].rsplit("/", 1)[1]]
    schema = denull(entry["content"]["application/json"]["schema"])
    validator = jsonschema.Draft4Validator({**schema, "components": spec["components"]})
    validator.validate(response.json())
    check_timestamps(response.json())


def check_component(spec: dict[str, Any], name: str, body: Any) -> None:
    """Validate ``body`` against ``#/components/schemas/<name>``."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    jsonschema.Draft4Validator(schema).validate(body)


def check_timestamps(body: Any) -> None:
    """Every ``*_at`` / ``due_on`` value is null or ``YYYY-MM-DDTHH:MM:SSZ``."""
    if isinstance(body, list):
        for item in body:
            check_timestamps(item)
    elif isinstance(body, dict):
        for key, value in body.items():
            if (key.endswith("_at") or key == "due_on") and value is not None:
                assert ISO_Z.match(value), f"{key}={value!r}"
            check_timestamps(value)


def populate(fake: FakeGitHub) -> None:
    """A repository with every shape of issue: labelled, milestoned, closed, a PR, commented."""
    fake.add_user("helper", "study-buddy", id=2001, permission="write")
    fake.create_label("topic", "0e8a16", "A roadmap topic")
    fake.create_milestone("Stage 1", description="Foundations", due_on="2025-06-30T12:00:00Z")
    fake.create_milestone("Stage 0", state="closed")
    fake.create_issue("Linear algebra", "- [ ] vectors", labels=["topic"], milestone=1,
                      assignees=["helper"])
    fake.create_issue("Done", None, state="closed", state_reason="not_planned", user="bot")
    fake.create_pull_request("Fix typo")
    fake.create_comment(1, "note", user="stranger")


SCHEMA_CASES: list[tuple[str, str, str, str, Any, str]] = [
    # (id, method, path, OpenAPI path template, body, acting role)
    ("repo-owner", "GET", REPO, "/repos/{owner}/{repo}", None, "owner"),
    ("repo-bot", "GET", REPO, "/repos/{owner}/{repo}", None, "bot"),
    ("repo-stranger", "GET", REPO, "/repos/{owner}/{repo}", None, "stranger"),
    ("user", "GET", "/user", "/user", None, "owner"),
    ("user-stranger", "GET", "/user", "/user", None, "stranger"),
    ("rate-limit", "GET", "/rate_limit", "/rate_limit", None, "owner"),
    ("issue-list", "GET", f"{REPO}/issues?state=all",
     "/repos/{owner}/{repo}/issues", None, "owner"),
    ("issue-create", "POST", f"{REPO}/issues", "/repos/{owner}/{repo}/issues",
     {"title": "t", "body": "b", "labels": ["topic", "new"], "milestone": 1,
      "assignees": ["learner"]}, "owner"),
    ("issue-get", "GET", f"{REPO}/issues/1", "/repos/{owner}/{repo}/issues/{issue_number}",
     None, "owner"),
    ("issue-get-pr", "GET", f"{REPO}/issues/3", "/repos/{owner}/{repo}/issues/{issue_number}",
     None, "owner"),
    ("issue-update", "PATCH", f"{REPO}/issues/1", "/repos/{owner}/{repo}/issues/{issue_number}",
     {"state": "closed", "state_reason": "completed", "milestone": None}, "owner"),
    ("comment-list", "GET", f"{REPO}/issues/1/comments",
     "/repos/{owner}/{repo}/issues/{issue_number}/comments", None, "owner"),
    ("comment-create", "POST", f"{REPO}/issues/1/comments",
     "/repos/{owner}/{repo}/issues/{issue_number}/comments", {"body": "hi"}, "bot"),
    ("comment-update", "PATCH", f"{REPO}/issues/comments/2000000001",
     "/repos/{owner}/{repo}/issues/comments/{comment_id}", {"body": "edited"}, "owner"),
    ("label-list", "GET", f"{REPO}/labels", "/repos/{owner}/{repo}/labels", None, "owner"),
    ("label-create", "POST", f"{REPO}/labels", "/repos/{owner}/{repo}/labels",
     {"name": "daily", "color": "fbca04"}, "owner"),
    ("label-get", "GET", f"{REPO}/labels/topic", "/repos/{owner}/{repo}/labels/{name}", None,
     "owner"),
    ("label-update", "PATCH", f"{REPO}/labels/topic", "/repos/{owner}/{repo}/labels/{name}",
     {"new_name": "Topic", "description": None}, "owner"),
    ("issue-labels", "GET", f"{REPO}/issues/1/labels",
     "/repos/{owner}/{repo}/issues/{issue_number}/labels", None, "owner"),
    ("issue-labels-add", "POST", f"{REPO}/issues/1/labels",
     "/repos/{owner}/{repo}/issues/{issue_number}/labels", {"labels": ["x"]}, "owner"),
    ("issue-label-remove", "DELETE", f"{REPO}/issues/1/labels/topic",
     "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", None, "owner"),
    ("milestone-list", "GET", f"{REPO}/milestones?state=all",
     "/repos/{owner}/{repo}/milestones", None, "owner"),
    ("milestone-create", "POST", f"{REPO}/milestones", "/repos/{owner}/{repo}/milestones",
     {"title": "Stage 2", "due_on": "2025-09-01T12:00:00Z", "description": "d"}, "bot"),
    ("milestone-get", "GET", f"{REPO}/milestones/1",
     "/repos/{owner}/{repo}/milestones/{milestone_number}", None, "owner"),
    ("milestone-update", "PATCH", f"{REPO}/milestones/1",
     "/repos/{owner}/{repo}/milestones/{milestone_number}", {"state": "closed"}, "owner"),
    ("error-404", "GET", f"{REPO}/issues/99", "/repos/{owner}/{repo}/issues/{issue_number}",
     None, "owner"),
    ("error-422", "POST", f"{REPO}/labels", "/repos/{owner}/{repo}/labels", {"name": "TOPIC"},
     "owner"),
    ("error-403", "POST", f"{REPO}/issues", "/repos/{owner}/{repo}/issues", {"title": "t"},
     "bot-read-only"),
    ("error-401", "GET", "/user", "/user", None, "nobody"),
]


@pytest.mark.parametrize(("method", "path", "template", "body", "who"),
                         [case[1:] for case in SCHEMA_CASES],
                         ids=[case[0] for case in SCHEMA_CASES])
def test_response_bodies_match_openapi(
    spec: dict[str, Any], fake: FakeGitHub, method: str, path: str, template: str, body: Any,
    who: str,
) -> None:
    populate(fake)
    if who == "bot-read-only":
        fake.bot_permissions["issues"] = "read"
        who = "bot"
    if who == "nobody":
        response = requests.request(method, fake.url(path), timeout=5)
    else:
        response = requests.request(method, fake.url(path), json=body,
                                    headers=fake.auth_headers(who), timeout=5)
    check(spec, template, method, response)


def test_list_items_cover_pr_closed_and_milestoned_shapes(
    spec: dict[str, Any], fake: FakeGitHub
) -> None:
    populate(fake)
    items = call(fake, "GET", f"{REPO}/issues", state="all").json()
    assert {i["number"]: ("pull_request" in i, i["state"], i["milestone"] is not None)
            for i in items} == {1: (False, "open", True), 2: (False, "closed", False),
                                3: (True, "open", False)}
    for item in items:
        check_component(spec, "issue", item)


@pytest.mark.parametrize("role", ["owner", "bot", "stranger"])
def test_user_objects_match_simple_user(
    spec: dict[str, Any], fake: FakeGitHub, role: str
) -> None:
    check_component(spec, "simple-user", fake.user_json(fake.user(role)))
    public = call(fake, "GET", f"/users/{fake.user(role).login}")
    check_component(spec, "public-user", public.json())


def test_injected_error_bodies_are_basic_errors(spec: dict[str, Any], fake: FakeGitHub) -> None:
    kinds: list[Callable[[], None]] = [
        lambda: fake.inject("5xx"),
        lambda: fake.inject("5xx", status=503),
        lambda: fake.inject("secondary_rate_limit_retry_after"),
        lambda: fake.inject("secondary_rate_limit_429"),
        lambda: fake.inject("primary_rate_limit"),
        lambda: fake.inject("lost_response"),
    ]
    for schedule in kinds:
        schedule()
        check_component(spec, "basic-error", call(fake, "GET", REPO).json())


def test_examples_in_the_spec_agree_with_the_fake_on_key_fields(
    spec: dict[str, Any], fake: FakeGitHub
) -> None:
    """The fake emits at least the keys of GitHub's own example bodies."""
    populate(fake)
    examples = spec["components"]["examples"]
    pairs = [
        ("issue", call(fake, "GET", f"{REPO}/issues/3").json(), {"pinned_comment"}),
        ("label", call(fake, "GET", f"{REPO}/labels/topic").json(), set()),
        ("milestone", call(fake, "GET", f"{REPO}/milestones/1").json(), set()),
        ("issue-comment", call(fake, "GET", f"{REPO}/issues/1/comments").json()[0],
         {"pin", "minimized"}),
    ]
    for name, body, optional in pairs:
        missing = set(examples[name]["value"]) - set(body) - optional
        assert not missing, f"{name}: {sorted(missing)}"


def test_whole_file_is_quick(fake: FakeGitHub) -> None:
    """A guard against accidental real sleeps or quadratic paths: 250 issues list fast."""
    start = time.perf_counter()
    for n in range(250):
        fake.create_issue(f"topic {n}", labels=["topic"])
    assert len(list(gh(fake).get_repo(fake.full_name).get_issues(state="all"))) == 250
    assert time.perf_counter() - start < 2.0
