"""What each run costs GitHub, at its floor, in a repository whose history is longer than a
page of a listing: a run reads only the issues changed since the last one (`tracker.reading`),
so its requests do not grow with the history.

| path | requests |
| --- | --- |
| the morning: yesterday's plan scored and closed, today's opened | 1 listing + 3 writes |
| ... and pinned to the top of the issues | + 2 GraphQL requests |
| a tick on the phone, carried into its topic by `tracker reconcile` | 1 listing + 1 write |
| `tick` after a roadmap edit of one topic | 1 listing + 1 write |
| standalone `reconcile` with nothing to do | 1 listing |
| a quiet hour | 1 listing; 0 counted where the token lasts (GitHub's 304) |
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker import keys
from tracker.cli import cli
from tracker.labels import KIND_LABELS
from tracker.roadmap import load_roadmap
from tracker.store.base import Store
from tracker.tick import tick

from conftest import REPO
from fake_github import FakeGitHub
from sync_harness import github_store

TZ = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai, the shipped roadmap's time zone
TODAY = dt.date(2027, 3, 10)  # a Wednesday: no retro is due in the runs measured
START = TODAY - dt.timedelta(days=170)
PAST_PLANS = 150
REPO_URL = "https://github.com/learner/study"  # with the topics, more than a page of 100 issues


def local(day: dt.date, time: str) -> dt.datetime:
    hour, minute = (int(part) for part in time.split(":"))
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


class Checkout:
    """The learner's repository as the hourly job sees it: the fake GitHub and a checkout."""

    def __init__(self, fake: FakeGitHub, root: Path) -> None:
        self.fake, self.root = fake, root
        self.roadmap_path = root / "roadmap.yml"
        text = (REPO / "roadmap.yml").read_text(encoding="utf-8")
        assert "  start: auto\n" in text
        self.roadmap_path.write_text(text.replace("  start: auto\n", f"  start: {START}\n"),
                                     encoding="utf-8")

    def tick(self, moment: dt.datetime, store: Store | None = None) -> list[str]:
        self.fake.set_time(moment.astimezone(dt.UTC))
        self.fake.reset_counts()
        roadmap = load_roadmap(self.roadmap_path)
        return tick(roadmap, store or github_store(self.fake), moment, root=self.root,
                    roadmap_path=self.roadmap_path, templates=REPO / "templates",
                    commits={}, repo_url=REPO_URL).lines

    def command(self, moment: dt.datetime, *args: str, now: bool = True) -> str:
        """A command as the workflow runs it, with Actions' token (`now`: told the time)."""
        self.fake.set_time(moment.astimezone(dt.UTC))
        self.fake.reset_counts()
        env = {"GITHUB_TOKEN": self.fake.token_for("bot"),
               "GITHUB_REPOSITORY": self.fake.full_name, "GITHUB_API_URL": self.fake.base_url}
        told = ["--now", moment.isoformat()] if now else []
        result = CliRunner().invoke(cli, [
            *args, "--backend", "github", "--roadmap", str(self.roadmap_path),
            "--checkout", str(self.root), *told], env=env)
        assert result.exit_code == 0, result.output
        return result.output

    def issue_listings(self) -> int:
        return self.fake.count("GET", f"/repos/{self.fake.full_name}/issues")

    def rest_writes(self) -> list[str]:
        return [f"{r.method} {re.sub(r'/[0-9]+', '/{n}', r.path)}" for r in self.fake.writes
                if "graphql" not in r.path]

    def graphql(self) -> int:
        return sum(1 for r in self.fake.writes if "graphql" in r.path)


def past_plans(fake: FakeGitHub) -> None:
    """A history of closed daily plans, as earlier mornings left them."""
    for n in range(PAST_PLANS):
        day = START + dt.timedelta(days=n)
        block = "- [x] 复习昨天的题 <!-- item:o:review -->\n- [ ] 一道题 <!-- item:p:two-sum -->"
        closed = local(day + dt.timedelta(days=1), "08:00").astimezone(dt.UTC)
        fake.create_issue(f"📅 {day.isoformat()}", keys.compose(keys.Key("daily",
                                                                         day.isoformat()), block),
                          user="bot", labels=[KIND_LABELS["daily"]], state="closed",
                          state_reason="completed",
                          created_at=local(day, "08:00").astimezone(dt.UTC), updated_at=closed)


@pytest.fixture
def lived(fake_github: FakeGitHub, tmp_path: Path) -> Checkout:
    """A learner 150 days in: the history listed whole once, yesterday's plan open, and the
    evening's quiet runs since."""
    past_plans(fake_github)
    checkout = Checkout(fake_github, tmp_path)
    yesterday = TODAY - dt.timedelta(days=1)
    checkout.tick(local(yesterday, "20:00"))  # no ledger yet: every issue is read
    assert checkout.issue_listings() >= 2  # the history is more than one page
    checkout.tick(local(yesterday, "21:00"))
    checkout.tick(local(yesterday, "22:00"))
    return checkout


def test_the_morning_reads_one_listing_and_writes_only_the_plans(lived: Checkout) -> None:
    lines = lived.tick(local(TODAY, "08:00"))
    assert any(line.startswith("Opened [#") and f"]({REPO_URL}/issues/" in line
               for line in lines), lines
    page = (lived.root / "README.md").read_text(encoding="utf-8")
    assert f"]({REPO_URL}/issues/" in page  # the page's links reach the issues on GitHub
    assert lived.issue_listings() == 1 and len(lived.fake.reads) == 1, lived.fake.reads
    assert lived.fake.requests[0].query.get("since"), "the listing asks only what changed"
    # Yesterday's plan: its score as a comment, closed; today's opened; pinned (GraphQL).
    assert sorted(lived.rest_writes()) == sorted([
        "POST /repos/learner/study/issues", "PATCH /repos/learner/study/issues/{n}",
        "POST /repos/learner/study/issues/{n}/comments"]), lived.rest_writes()
    assert lived.graphql() == 2


def test_a_quiet_hour_reads_one_listing(lived: Checkout) -> None:
    lived.tick(local(TODAY, "08:00"))
    lived.tick(local(TODAY, "09:00"))  # lists what the morning wrote: nothing new
    lines = lived.tick(local(TODAY, "10:00"))
    assert lines[0].startswith("Nothing edited since"), lines
    assert len(lived.fake.requests) == 1 and not lived.fake.writes


def test_a_quiet_hour_costs_nothing_where_the_token_lasts(lived: Checkout) -> None:
    owner = github_store(lived.fake, "owner")  # a personal token: its ETags hold
    lived.tick(local(TODAY, "08:00"), owner)
    lived.tick(local(TODAY, "09:00"), owner)
    lines = lived.tick(local(TODAY, "10:00"), owner)
    assert "304" in lines[0], lines
    assert lived.fake.count(status=304) == len(lived.fake.requests) == 1


def test_a_tick_on_the_phone_costs_one_listing_and_one_write(lived: Checkout) -> None:
    lived.tick(local(TODAY, "08:00"))
    plan = next(i for i in lived.fake.issues.values() if i.title.startswith("📅")
                and i.state == "open")
    step = next(ident for ident in keys.boxes(plan.body) if ident.startswith("t:"))
    lived.fake.set_time(local(TODAY, "12:00").astimezone(dt.UTC))
    lived.fake.update_issue(plan.number, body=keys.tick(plan.body, {step}))
    output = lived.command(local(TODAY, "12:05"), "reconcile")
    assert "Ticked 1 box(es)" in output, output
    assert lived.issue_listings() == 1 and len(lived.fake.reads) == 1, lived.fake.reads
    assert lived.rest_writes() == ["PATCH /repos/learner/study/issues/{n}"]
    # Reconcile kept what it read and wrote: the next hour finds nothing new.
    lines = lived.tick(local(TODAY, "13:00"))
    assert lines[0].startswith("Nothing edited since"), lines
    assert len(lived.fake.requests) == 1
    # The topic's body was put together from the roadmap, not read: its own block alone.
    topic = next(i for i in lived.fake.issues.values()
                 if f"<!-- step:{step.split(':')[2]} -->" in i.body and i.number != plan.number)
    parsed = keys.parse(topic.body)
    assert parsed is not None and keys.boxes(parsed.block)[step.split(":")[2]] is True


def test_reconcile_with_nothing_to_do_reads_one_listing(lived: Checkout) -> None:
    lived.tick(local(TODAY, "08:00"))
    output = lived.command(local(TODAY, "09:00"), "reconcile")
    assert "Nothing to reconcile." in output, output
    assert len(lived.fake.requests) == 1 and lived.issue_listings() == 1


def a_topic_gains_a_step(checkout: Checkout) -> None:
    text = checkout.roadmap_path.read_text(encoding="utf-8")
    anchor = "          - {id: why-linux, text: 用一句话说清：为什么 ML 系统岗位必考 Linux}\n"
    assert anchor in text
    checkout.roadmap_path.write_text(text.replace(
        anchor, anchor + "          - {id: man, text: 学会用 man 查命令}\n"), encoding="utf-8")


def test_a_roadmap_edit_of_one_topic_costs_one_listing_and_one_write(lived: Checkout) -> None:
    lived.tick(local(TODAY, "08:00"))
    a_topic_gains_a_step(lived)
    lines = lived.tick(local(TODAY, "09:00"))
    assert any("sync: Made 1 change" in line for line in lines), lines
    assert lived.issue_listings() == 1 and len(lived.fake.reads) == 1, lived.fake.reads
    assert lived.rest_writes() == ["PATCH /repos/learner/study/issues/{n}"]
    assert any("学会用 man 查命令" in i.body for i in lived.fake.issues.values())


def test_sync_after_a_roadmap_edit_of_one_topic_costs_one_listing_and_one_write(
        lived: Checkout) -> None:
    """`tracker sync` on its own, as the workflow runs it after a push of roadmap.yml."""
    lived.tick(local(TODAY, "08:00"))
    a_topic_gains_a_step(lived)
    output = lived.command(local(TODAY, "09:00"), "sync", now=False)
    assert "Made 1 change" in output, output
    assert lived.issue_listings() == 1 and len(lived.fake.reads) == 1, lived.fake.reads
    assert lived.rest_writes() == ["PATCH /repos/learner/study/issues/{n}"]


def test_a_plan_finished_early_gets_its_next_steps_at_the_next_hour(lived: Checkout) -> None:
    """Every box ticked on the phone, carried by reconcile (which saves what it read): the
    next hourly run is not a quiet one, it gives the plan its next steps."""
    lived.tick(local(TODAY, "08:00"))
    plan = next(i for i in lived.fake.issues.values() if i.title.startswith("📅")
                and i.state == "open")
    lived.fake.set_time(local(TODAY, "11:00").astimezone(dt.UTC))
    lived.fake.update_issue(plan.number, body=keys.tick(plan.body, set(keys.boxes(plan.body))))
    lived.command(local(TODAY, "11:05"), "reconcile")
    lines = lived.tick(local(TODAY, "12:00"))
    assert not lines[0].startswith("Nothing edited"), lines
    assert "<!-- item:n:" in lived.fake.issues[plan.number].body


def test_a_topic_the_tracker_closes_before_utc_midnight_counts_on_the_learners_day(
        lived: Checkout) -> None:
    """At 07:10 in Shanghai (23:10 UTC the day before) the learner ticks the last boxes of a
    topic; the run that closes it keeps the learner's date in the ledger."""
    topic = next(i for i in lived.fake.issues.values() if "<!-- step:" in i.body
                 and i.state == "open")
    lived.fake.set_time(local(TODAY, "07:10").astimezone(dt.UTC))
    lived.fake.update_issue(topic.number, body=keys.tick(topic.body, set(keys.boxes(
        topic.body))))
    lived.tick(local(TODAY, "07:15"))
    assert lived.fake.issues[topic.number].state == "closed"
    saved = json.loads((lived.root / "dashboard" / "state.json").read_text(encoding="utf-8"))
    [fact] = [f for f in saved["topics"].values() if f[0] == topic.number]
    assert fact[3] == TODAY.isoformat()  # closed_on, the learner's local date


def test_reconcile_on_its_own_keeps_the_learners_day_for_a_topic_closed_by_hand(
        lived: Checkout) -> None:
    """The same, with the learner closing the topic on the phone at 07:10 and the workflow's
    `tracker reconcile` reading it: what it saves keeps the learner's date."""
    topic = next(i for i in lived.fake.issues.values() if "<!-- step:" in i.body
                 and i.state == "open")
    lived.fake.set_time(local(TODAY, "07:10").astimezone(dt.UTC))
    lived.fake.update_issue(topic.number, state="closed", state_reason="completed")
    lived.command(local(TODAY, "07:12"), "reconcile")
    saved = json.loads((lived.root / "dashboard" / "state.json").read_text(encoding="utf-8"))
    [fact] = [f for f in saved["topics"].values() if f[0] == topic.number]
    assert fact[3] == TODAY.isoformat()  # closed_on, the learner's local date
