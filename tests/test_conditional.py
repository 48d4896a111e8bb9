"""Conditional requests: the fake's ETags and 304s, and the stores' tagged listings.

GitHub answers a GET made with `If-None-Match: <the ETag of the last answer>` with 304 Not
Modified, no body and no cost against the hour's requests when nothing changed, and with the
listing and a fresh ETag otherwise. Its ETags are specific to the token (Actions' GITHUB_TOKEN
is new for each job, so a tag from another job is never answered 304).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from tracker import keys
from tracker.roadmap import load_roadmap
from tracker.state import read_state
from tracker.store.base import Store, StoreError, trusted_authors
from tracker.store.local import LocalStore
from tracker.tick import tick

from conftest import DEFAULT_START, REPO
from fake_github import FakeGitHub
from sync_harness import github_store

ISSUES = "/repos/learner/study/issues"
SPEC = Path(__file__).resolve().parent / "openapi" / "github-rest-2022-11-28.json"


def get(fake: FakeGitHub, path: str, who: str = "bot", tag: str | None = None,
        **query: str) -> requests.Response:
    headers = fake.auth_headers(who)
    if tag is not None:
        headers["If-None-Match"] = tag
    return requests.get(fake.url(path), headers=headers, params=query, timeout=5)


def quota_used(fake: FakeGitHub, who: str = "bot") -> int:
    reply = get(fake, "/rate_limit", who)
    return int(reply.json()["resources"]["core"]["used"])


# -- the fake -----------------------------------------------------------------------------------
def test_an_unchanged_listing_is_answered_304_with_no_body_and_no_cost(
        fake_github: FakeGitHub) -> None:
    fake_github.create_issue("One", "x", user="owner")
    first = get(fake_github, ISSUES, state="all")
    used = quota_used(fake_github)
    again = get(fake_github, ISSUES, tag=first.headers["etag"], state="all")
    assert (again.status_code, again.content) == (304, b"")
    assert again.headers["etag"] == first.headers["etag"]
    assert "Link" not in again.headers  # a client must not need it on a 304
    assert quota_used(fake_github) == used


def test_a_changed_page_gets_a_200_and_a_fresh_etag(fake_github: FakeGitHub) -> None:
    fake_github.create_issue("One", "x", user="owner")
    first = get(fake_github, ISSUES, state="all")
    fake_github.update_issue(1, body="- [x] edited on the phone")
    again = get(fake_github, ISSUES, tag=first.headers["etag"], state="all")
    assert again.status_code == 200 and again.json()[0]["body"] == "- [x] edited on the phone"
    assert again.headers["etag"] != first.headers["etag"]


def test_etags_are_the_tokens_own(fake_github: FakeGitHub) -> None:
    """Another token (the next Actions job's GITHUB_TOKEN) gets a 200 for the same page."""
    fake_github.create_issue("One", "x", user="owner")
    first = get(fake_github, ISSUES, state="all")
    old = fake_github.token_for("bot")
    fake_github.new_token("bot")
    again = get(fake_github, ISSUES, tag=first.headers["etag"], state="all")
    assert again.status_code == 200 and again.headers["etag"] != first.headers["etag"]
    stale = requests.get(fake_github.url(ISSUES), timeout=5,
                         headers={"Authorization": f"token {old}"})
    assert stale.status_code == 401  # the job's token ended with the job


def test_the_304_agrees_with_githubs_description_where_it_gives_one(
        fake_github: FakeGitHub) -> None:
    """The description lists 304 (`not_modified`, no content) for one issue, and says nothing
    of 304 for the listings: the fake answers both the same way, without a body."""
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    one = spec["paths"]["/repos/{owner}/{repo}/issues/{issue_number}"]["get"]["responses"]
    assert one["304"] == {"$ref": "#/components/responses/not_modified"}
    assert "content" not in spec["components"]["responses"]["not_modified"]
    listing = spec["paths"]["/repos/{owner}/{repo}/issues"]["get"]["responses"]
    assert "304" not in listing  # silent there: GitHub's guide says most endpoints honour it
    fake_github.create_issue("One", "x", user="owner")
    for path in (f"{ISSUES}/1", ISSUES):
        first = get(fake_github, path)
        again = get(fake_github, path, tag=first.headers["etag"])
        assert (again.status_code, again.text) == (304, "")


# -- the stores ---------------------------------------------------------------------------------
def test_the_github_store_asks_with_the_tag_and_keeps_a_one_page_listings_tag(
        fake_github: FakeGitHub) -> None:
    store = github_store(fake_github, "owner")  # a personal token: its tags last
    assert store.keeps_tags and not github_store(fake_github).keeps_tags
    fake_github.create_issue("One", keys.compose(keys.Key("daily", "2026-03-23"), "x"),
                             user="owner")
    since = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    first = store.issue_listing(since, None)
    assert first.items is not None and len(first.items) == 1 and first.tag
    fake_github.reset_counts()
    same = store.issue_listing(since, first.tag)
    assert same.items is None and same.tag == first.tag
    [asked] = fake_github.requests
    assert asked.headers["if-none-match"] == first.tag and asked.status == 304
    for listing in (store.label_listing, store.milestone_listing):
        made = listing(None)
        assert listing(made.tag).items is None


def test_a_listing_of_more_than_a_page_or_a_full_one_has_no_tag(
        fake_github: FakeGitHub) -> None:
    """GitHub's ETag covers a page, not the link to the next one: a full first page could stay
    the same while a second page appears. Such a listing is never asked for with a tag."""
    store = github_store(fake_github, "owner")
    since = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    for n in range(100):
        fake_github.create_issue(f"Issue {n}", "x", user="owner")
    assert store.issue_listing(since, None).tag is None
    fake_github.create_issue("Issue 100", "x", user="owner")
    both = store.issue_listing(since, None)
    assert both.items is not None and len(both.items) == 101 and both.tag is None


def test_the_local_store_gives_the_same_meaning(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "t.db", clock=lambda: dt.datetime(2026, 3, 23, tzinfo=dt.UTC))
    store.create_issue("One", "x", [], None)
    since = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    first = store.issue_listing(since, None)
    assert first.items and store.issue_listing(since, first.tag).items is None
    store.update_issue(1, body="y")
    changed = store.issue_listing(since, first.tag)
    assert changed.items and changed.items[0].body == "y" and changed.tag != first.tag


# -- the quiet hour ---------------------------------------------------------------------------
def counted(fake: FakeGitHub) -> int:
    """Requests counted against the hour's quota: all but those answered 304."""
    return fake.count() - fake.count(status=304)


def quiet_hours(fake: FakeGitHub, root: Path, store_for_run: Callable[[], Store],
                hours: int) -> list[list[str]]:
    """Hourly ticks from the morning on: the plan is opened at the first, nothing is edited
    after; the lines of each run."""
    plan = load_roadmap(REPO / "roadmap.yml", today=DEFAULT_START)
    first = dt.datetime(2026, 11, 30, 0, 17, tzinfo=dt.UTC)  # 08:17 in Shanghai
    lines = []
    for hour in range(hours):
        moment = first + dt.timedelta(hours=hour)
        fake.set_time(moment)
        fake.reset_counts()
        lines.append(tick(plan, store_for_run(), moment, root=root,
                          roadmap_path=REPO / "roadmap.yml", templates=REPO / "templates",
                          commits={}).lines)
    return lines


def test_a_quiet_hour_after_a_quiet_hour_costs_nothing_where_the_token_lasts(
        fake_github: FakeGitHub, tmp_path: Path) -> None:
    """With a token that lasts (a personal token), the hour's one listing is asked with the
    tag of the last one: GitHub answers 304, not counted against the quota."""
    store = github_store(fake_github, "owner")
    lines = quiet_hours(fake_github, tmp_path, lambda: store, 3)
    assert "GitHub answered 304" not in " ".join(lines[1])  # the first quiet hour pays 1
    assert fake_github.count() == 1 and counted(fake_github) == 0 and not fake_github.writes
    [asked] = fake_github.requests
    assert asked.status == 304 and asked.headers["if-none-match"]
    assert any("GitHub answered 304" in line for line in lines[2]), lines[2]


def test_a_jobs_own_token_pays_one_request_a_quiet_hour(
        fake_github: FakeGitHub, tmp_path: Path) -> None:
    """Actions' GITHUB_TOKEN is new for every job and GitHub's ETags are the token's own: a
    tag would never be answered 304, so none is kept or sent (no committed file churns)."""
    def new_job() -> Store:
        fake_github.new_token("bot")
        return github_store(fake_github)

    quiet_hours(fake_github, tmp_path, new_job, 3)
    assert fake_github.count() == 1 and counted(fake_github) == 1 and not fake_github.writes
    assert "if-none-match" not in fake_github.requests[0].headers
    assert '"listed": null' in (tmp_path / "dashboard" / "state.json").read_text("utf-8")


def test_an_edit_after_a_304_is_seen_by_the_next_run(
        fake_github: FakeGitHub, tmp_path: Path) -> None:
    store = github_store(fake_github, "owner")
    quiet_hours(fake_github, tmp_path, lambda: store, 3)  # the third hour was a 304
    learner = github_store(fake_github, "owner")
    plan = load_roadmap(REPO / "roadmap.yml", today=DEFAULT_START)
    today = read_state(learner.list_issues(), trusted_authors(store)).plans[
        dt.date(2026, 11, 30)]
    moment = dt.datetime(2026, 11, 30, 3, 30, tzinfo=dt.UTC)
    fake_github.set_time(moment)
    learner.update_issue(today.number, body=keys.tick(today.row.issue.body,
                                                      {"t:linux-ml-overview:read"}))
    fake_github.reset_counts()
    carried = tick(plan, store, moment, root=tmp_path, roadmap_path=REPO / "roadmap.yml",
                   templates=REPO / "templates", commits={})
    assert any("Ticked 1 box(es)" in line for line in carried.lines), carried.lines
    assert fake_github.count(status=304) == 0


@pytest.mark.parametrize("backend", ["local", "github"])
def test_a_body_with_text_never_read_is_refused_by_both_stores(
        backend: str, tmp_path: Path, fake_github: FakeGitHub) -> None:
    body = keys.unread_body(keys.Key("topic", "t1"), {"s1": True}, open_ended=False,
                            plain=False, digest="0123456789abcdef")
    store: Any = LocalStore(tmp_path / "t.db") if backend == "local" else \
        github_store(fake_github)
    made = store.create_issue("Topic", "mine", [], None)
    fake_github.reset_counts()
    with pytest.raises(StoreError, match="did not read"):
        store.update_issue(made.number, body=f"my notes\n{body}")
    with pytest.raises(StoreError, match="did not read"):
        store.create_issue("Topic", body, [], None)
    assert store.get_issue(made.number).body == "mine"
    assert not fake_github.writes  # nothing was sent to GitHub
