"""Reading only what changed gives what reading everything gives.

Two repositories live the same life: the same roadmap, the same learner's edits on the phone,
the same hourly runs and the same missed ones. One is kept by `tracker tick` as it runs each
hour (it lists only the issues updated since its last run and takes the rest from the ledger
in `dashboard/state.json`); the other by `tracker tick --full` (every issue read every time).
They must end with the same issues, the same milestones and the same dashboard, and after
every incremental run its ledger must say what a reading of every issue says.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from test_dashboard import without_listings

from tracker import keys
from tracker.labels import KIND_LABELS
from tracker.ledger import Ledger
from tracker.model import Roadmap
from tracker.reading import LEDGER_FILE, read_issues
from tracker.roadmap import load_roadmap
from tracker.rows import issue_block
from tracker.store.base import Issue, Store, trusted_authors
from tracker.store.local import LocalStore
from tracker.tick import SYNCED, tick

from fake_github import FakeGitHub
from sync_harness import github_store

# -- the learner's plan: small, with a Sunday retro three days in -------------------------------
PLAN = """\
version: 1
learner: {{name: A, timezone: Asia/Shanghai, locale: en}}
schedule:
  start: 2026-03-27
  day_opens_at: "07:00"
  hours: 3
  retro: {{weekday: sun, at: "20:00"}}
tracks:
  - {{id: theory, name: Theory}}
  - {{id: algo, name: Algorithms, kind: problems, per_day: 1, minutes_per_item: 30}}
problems:
  - {{id: lc-1, title: Two Sum, url: 'https://leetcode.cn/problems/two-sum/', difficulty: easy}}
  - {{id: lc-94, title: Inorder, url: 'https://leetcode.cn/problems/inorder/', difficulty: easy}}
  - {{id: lc-200, title: Islands, url: 'https://leetcode.cn/problems/islands/', difficulty: hard}}
stages:
  - id: one
    title: Foundations
    days: 3
    topics:
{one}
  - id: two
    title: Practice
    days: 4
    topics:
{two}
"""
TOPICS = {  # id: (stage, title, steps, what it depends on)
    "peft": ("one", "PEFT and LoRA", ["Read the LoRA paper", "QLoRA changes"], None),
    "rl": ("one", "PPO and DPO", ["RLHF steps", "DPO idea"], "peft"),
    "rag": ("two", "RAG project", ["Run the demo", "Draw the architecture"], None),
    "evals": ("two", "Evaluation", ["Pick a benchmark"], None),
}
DROPPABLE = ["rl", "evals"]  # no other topic depends on them
NAMES = list(TOPICS)
OWNER = "learner"
KINDS = set(KIND_LABELS.values())  # the labels the tracker gives topics, plans and retros
FIRST_RUN = dt.datetime(2026, 3, 26, 23, 17, tzinfo=dt.UTC)  # 07:17 on Friday 27 in Shanghai


@dataclass
class Edits:
    """What the learner changed in roadmap.yml: steps added and new titles, by topic, and the
    topics taken out."""

    steps: dict[str, int] = field(default_factory=dict)
    titles: dict[str, int] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)

    def text(self) -> str:
        stages: dict[str, list[str]] = {"one": [], "two": []}
        for ident, (stage, title, steps, after) in TOPICS.items():
            if ident in self.dropped:
                continue
            version = self.titles.get(ident, 0)
            name = f"{title} (take {version + 1})" if version else title
            texts = steps + [f"Extra step {n}" for n in range(1, self.steps.get(ident, 0) + 1)]
            lines = [f"      - id: {ident}", f"        title: {name}", "        estimate: 2h"]
            if after:
                lines.append(f"        depends_on: [{after}]")
            lines.append("        steps:")
            lines += [f"          - {{id: s{n}, text: {text}}}" for n, text in enumerate(texts, 1)]
            stages[stage] += lines
        return PLAN.format(one="\n".join(stages["one"]), two="\n".join(stages["two"]))


# -- the two repositories --------------------------------------------------------------------
class Clock:
    """The store's clock: set by the test, and moving on by `step` seconds a write (0: every
    write of a run in the same second, as a quick run on GitHub gives)."""

    def __init__(self, now: dt.datetime, step: int) -> None:
        self.now, self.step = now, dt.timedelta(seconds=step)

    def __call__(self) -> dt.datetime:
        self.now += self.step
        return self.now


class JobTokenStore(LocalStore):
    """A store whose listings' tags do not last to the next run, as with Actions' own token."""

    keeps_tags = False


class Lane:
    """One repository: the tracker's store, the learner's hand on it, and its checkout."""

    store: Store
    learner: Store
    stranger: Store  # anyone, in a public repository
    root: Path
    full: bool
    ran: int = 0  # the writes of its last run

    def active(self) -> AbstractContextManager[object]:
        """Held while the test works on this repository."""
        return nullcontext()

    def at(self, moment: dt.datetime) -> None:
        """The store's clock moves on to `moment` (time never goes back)."""
        raise NotImplementedError

    def writes(self) -> int:
        raise NotImplementedError

    def rows(self, kind: str) -> list[Issue]:
        """The tracker's issues of one kind (or "any"), oldest first, as the learner sees
        them."""
        trusted = trusted_authors(self.store)
        found = []
        for issue in self.learner.list_issues():
            body = issue_block(issue)
            if body is not None and trusted.wrote(issue) and kind in ("any", body.key.kind):
                found.append(issue)
        return found

    def close(self) -> None:
        pass


class LocalLane(Lane):
    """A repository in the local store, its clock moving `step` seconds a write."""

    def __init__(self, folder: Path, *, full: bool, step: int, keeps_tags: bool) -> None:
        self.clock = Clock(FIRST_RUN - dt.timedelta(hours=1), step)
        kind = LocalStore if keeps_tags else JobTokenStore
        self.local = kind(folder / "tracker.db", owner=OWNER, clock=self.clock)
        self.hand = self.local.as_user(OWNER)
        self.passer_by = self.local.as_user("passer-by")
        self.store, self.learner, self.stranger = self.local, self.hand, self.passer_by
        self.full = full
        self.root = folder / "checkout"
        self.root.mkdir(parents=True)

    def at(self, moment: dt.datetime) -> None:
        self.clock.now = max(self.clock.now, moment)

    def writes(self) -> int:
        return self.local.writes

    def close(self) -> None:
        for store in (self.passer_by, self.hand, self.local):
            store.close()


class GitHubLane(Lane):
    """A repository on the fake GitHub, whose clock stands still while a run writes. The
    tracker uses the job's own token (tags that do not last), or a personal one
    (`keeps_tags`). One fake answers at a time: the test makes this one answer while it
    works on this repository."""

    def __init__(self, folder: Path, *, full: bool, step: int, keeps_tags: bool) -> None:
        self.fake = FakeGitHub(owner=OWNER)
        self.fake.set_time(FIRST_RUN - dt.timedelta(hours=1))
        with self.active():
            self.store = github_store(self.fake, "owner" if keeps_tags else "bot")
            self.learner = github_store(self.fake, "owner")
            self.stranger = github_store(self.fake, "stranger")
        self.full = full
        self.root = folder / "checkout"
        self.root.mkdir(parents=True)

    def active(self) -> AbstractContextManager[object]:
        return self.fake

    def at(self, moment: dt.datetime) -> None:
        self.fake.set_time(max(self.fake.now(), moment))

    def writes(self) -> int:
        return len(self.fake.writes)


STORES = {"local": LocalLane, "github": GitHubLane}


# -- what the learner does ---------------------------------------------------------------------
def toggled(body: str, ident: str, own: keys.Body) -> str:
    """`body` with the box `ident` of its own block `own` ticked, or unticked if it was (a
    body the learner pasted other blocks into holds more than its own)."""
    if not keys.boxes(own.block)[ident]:
        return keys.tick(body, {ident})
    pattern = re.compile(r"^(\s*[-*+]\s*)\[[xX]\]([ \t]*.*?<!-- (?:step|item):"
                         + re.escape(ident) + r" -->)", re.MULTILINE)
    return pattern.sub(r"\1[ ]\2", body, count=1)


def toggle_box(lane: Lane, kind: str, which: int, box: int) -> None:
    """Tick (or untick) a box in a plan (`which` counts back from the newest) or a topic."""
    issues = lane.rows(kind)
    if not issues:
        return
    issue = issues[-1 - which % len(issues)] if kind == "daily" else issues[which % len(issues)]
    own = issue_block(issue)
    assert own is not None
    boxes = list(keys.boxes(own.block))
    if boxes:
        lane.learner.update_issue(issue.number,
                                  body=toggled(issue.body, boxes[box % len(boxes)], own))


def write_note(lane: Lane, which: int, above: bool, n: int) -> None:
    """Notes of the learner's own, above or below the tracker's block of any of its issues."""
    issues = lane.rows("any")
    if issues:
        issue = issues[which % len(issues)]
        note = f"My note {n}: harder than it looked.\n- [ ] ask about it on Friday\n"
        body = f"{note}\n{issue.body}" if above else f"{issue.body}\n\n{note}"
        lane.learner.update_issue(issue.number, body=body)


def rename(lane: Lane, which: int, n: int) -> None:
    """The learner renames a topic, a plan or a retro."""
    issues = lane.rows("any")
    if issues:
        issue = issues[which % len(issues)]
        lane.learner.update_issue(issue.number, title=f"{issue.title} ✎{n}")


def close_or_reopen(lane: Lane, which: int, reason: str) -> None:
    """The learner closes a topic by hand (done, or not planned), or reopens a closed one."""
    issues = lane.rows("topic")
    if issues:
        issue = issues[which % len(issues)]
        if issue.state == "open":
            lane.learner.update_issue(issue.number, state="closed", state_reason=reason)
        else:
            lane.learner.update_issue(issue.number, state="open")


def break_block(lane: Lane, which: int, key: bool) -> None:
    """The learner's thumb deletes the end marker of a topic's block, or its hidden key."""
    issues = lane.rows("topic")
    if issues:
        issue = issues[which % len(issues)]
        own = issue_block(issue)
        assert own is not None
        if key:
            body = re.sub(r"<!-- study-tracker:begin .*? -->\n?", "", issue.body, count=1)
        elif not own.open_ended:
            body = issue.body.replace(keys.END, "", 1)
        else:
            return
        lane.learner.update_issue(issue.number, body=body)


def label(lane: Lane, which: int, remove: bool) -> None:
    """The learner adds a label of their own to an issue, or removes the tracker's."""
    issues = lane.rows("any")
    if issues:
        issue = issues[which % len(issues)]
        labels = [name for name in issue.labels if not remove or name not in KINDS]
        lane.learner.update_issue(issue.number, labels=labels if remove else labels + ["hard"])


def comment(lane: Lane, which: int, n: int) -> None:
    issues = lane.rows("any")
    if issues:
        lane.learner.create_comment(issues[which % len(issues)].number, f"Comment {n}: stuck.")


def paste(lane: Lane, which: int, other: int) -> None:
    """The learner copies another issue's whole text (its hidden key too) into their notes."""
    issues = lane.rows("any")
    if issues:
        issue, source = issues[which % len(issues)], issues[other % len(issues)]
        lane.learner.update_issue(issue.number, body=f"{issue.body}\n\n{source.body}")


def copy_by_a_stranger(lane: Lane, which: int) -> None:
    """Someone opens an issue that copies one of the tracker's, hidden key and all."""
    issues = lane.rows("any")
    if issues:
        issue = issues[which % len(issues)]
        lane.stranger.create_issue(issue.title, issue.body, [], None)


# Each action is a tuple: its name, then its numbers. A learner's edit waits `pause` seconds
# after the last thing that happened (0: in the very second the last run wrote).
pause = st.sampled_from([0, 1, 60, 1500])
which = st.integers(0, 7)
ACTIONS = st.one_of(
    # Minutes pass (first, so that what a failure does not need shrinks to a wait of 0).
    st.tuples(st.just("wait"), st.integers(0, 59)),
    # Runs: the next one 1-12 hours on (the hours between missed; 0: in the very second of
    # the last edit), then hourly ones.
    st.tuples(st.just("runs"), st.sampled_from([1, 0, 2, 5, 12]), st.integers(1, 6)),
    st.tuples(st.just("miss"), st.integers(1, 3), st.integers(0, 23)),  # days with no run
    st.tuples(st.just("plan box"), st.integers(0, 3), st.integers(0, 12), pause),
    st.tuples(st.just("topic box"), which, st.integers(0, 6), pause),
    st.tuples(st.just("note"), which, st.booleans(), pause),
    st.tuples(st.just("rename"), which, pause),
    st.tuples(st.just("close"), which, st.sampled_from(["completed", "not_planned"]), pause),
    st.tuples(st.just("break"), which, st.booleans(), pause),
    st.tuples(st.just("label"), which, st.booleans(), pause),
    st.tuples(st.just("comment"), which, pause),
    st.tuples(st.just("paste"), which, which, pause),
    st.tuples(st.just("stranger"), which, pause),
    st.tuples(st.just("roadmap step"), st.sampled_from(NAMES)),
    st.tuples(st.just("roadmap title"), st.sampled_from(NAMES)),
    st.tuples(st.just("roadmap drop"), st.sampled_from(DROPPABLE)),  # or bring it back
)


# -- what must hold ------------------------------------------------------------------------------
def issues_of(lane: Lane) -> list[tuple[Any, ...]]:
    milestones = {m.number: m.title for m in lane.store.list_milestones()}
    return [(i.number, i.title, i.body, i.state, i.state_reason, sorted(i.labels),
             i.milestone, milestones.get(i.milestone) if i.milestone else None, i.author)
            for i in lane.store.list_issues()]


def milestones_of(lane: Lane) -> list[tuple[Any, ...]]:
    return [(m.number, m.title, m.description, m.state, m.due)
            for m in lane.store.list_milestones()]


FACTS = ("topics", "plans", "retros", "reviews", "records")


def assert_ledger_is_a_full_reading(lane: Lane, tz: dt.tzinfo, now: dt.datetime,
                                    when: str) -> None:
    """The ledger the run saved says what a reading of every issue says."""
    saved = Ledger.from_json((lane.root / LEDGER_FILE).read_text(encoding="utf-8"))
    assert saved is not None, when
    whole = read_issues(lane.store, None, tz, today=now.astimezone(tz).date(), full=True).ledger
    for name in FACTS:
        assert getattr(saved, name) == getattr(whole, name), \
            f"{name} {when}: {differences(getattr(saved, name), getattr(whole, name))}"


def differences(saved: dict[Any, Any], whole: dict[Any, Any]) -> dict[Any, Any]:
    """What the saved ledger says and a full reading says otherwise, item by item (a record
    field by field)."""
    found: dict[Any, Any] = {}
    for item in sorted(set(saved) | set(whole), key=str):
        mine, real = saved.get(item), whole.get(item)
        if mine == real:
            continue
        if dataclasses.is_dataclass(mine) and dataclasses.is_dataclass(real):
            found[item] = {f.name: (getattr(mine, f.name), getattr(real, f.name))
                           for f in dataclasses.fields(mine)
                           if getattr(mine, f.name) != getattr(real, f.name)}
        else:
            found[item] = (mine, real)
    return found


def dashboard(lane: Lane) -> dict[str, Any]:
    """The checkout's files, with what only says which store and which listings aside."""
    files: dict[str, Any] = {}
    for path in sorted(lane.root.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(lane.root).as_posix()
        text = path.read_text(encoding="utf-8")
        if name == LEDGER_FILE:
            data = without_listings(text)
            data.pop("store")  # each repository's own
            # Where the next listing starts is bookkeeping of the listings too: a listing that
            # found nothing changed is asked again from where it was (a 304 next time), and
            # where tags do not last a moved `since` alone is not saved.
            data["since"] = data["since"] is not None
            files[name] = data
        elif name == SYNCED:
            files[name] = json.loads(text)["roadmap"]
        else:
            files[name] = text
    return files


def count(what: str) -> None:
    """Count `what` in the test's statistics (`--hypothesis-show-statistics`)."""
    if currently_in_test_context():
        event(what)


def _reading(lines: list[str]) -> str:
    """How an incremental run read the store, in a word (for the test's statistics)."""
    text = " ".join(lines)
    return ("quiet" if "Nothing edited since" in text else "the weekly reading of every issue"
            if "once a week" in text else "all issues" if "Read all" in text
            else "since" if "updated since" in text else "304" if "304" in text else "other")


# -- the life of the two repositories ---------------------------------------------------------
@dataclass
class Life:
    """Both repositories and the roadmap file they share, driven by the same actions."""

    folder: Path
    step: int
    keeps_tags: bool
    kind: str = "local"  # which store: "local" or "github"
    edits: Edits = field(default_factory=Edits)
    now: dt.datetime = FIRST_RUN
    runs: int = 0
    # Test-only hook: an action that skips the repository reading everything (to show the
    # property can fail); never set in the tests below.
    skip_full: Callable[[tuple[Any, ...]], bool] = lambda action: False

    def __post_init__(self) -> None:
        self.path = self.folder / "plan" / "roadmap.yml"
        self.path.parent.mkdir()
        self.plan = self.load()
        make = STORES[self.kind]
        self.lanes = tuple(make(self.folder / name, full=full, step=self.step,
                                keeps_tags=self.keeps_tags)
                           for name, full in (("incremental", False), ("full", True)))

    def load(self) -> Roadmap:
        self.path.write_text(self.edits.text(), encoding="utf-8")
        return load_roadmap(self.path)

    def run(self, check: bool = True) -> None:
        """The hourly job, in both repositories; then what must hold (`check`)."""
        self.runs += 1
        for lane in self.lanes:
            with lane.active():
                lane.at(self.now)
                before = lane.writes()
                report = tick(self.plan, lane.store, self.now, root=lane.root,
                              roadmap_path=self.path, templates=None, commits={},
                              full=lane.full)
                lane.ran = lane.writes() - before
            if not lane.full:
                count(f"an incremental run: {_reading(report.lines)}")
        if check:
            self.check()

    def check(self) -> None:
        """The two repositories agree, and each ledger says what a full reading says."""
        when = f"after run {self.runs} at {self.now.isoformat()}"
        seen = []
        for lane in self.lanes:
            with lane.active():
                assert_ledger_is_a_full_reading(
                    lane, self.plan.learner.tz, self.now,
                    f"{when}, {'full' if lane.full else 'incremental'}")
                seen.append({"issues": issues_of(lane), "milestones": milestones_of(lane),
                             "writes": lane.ran, "dashboard": dashboard(lane)})
        mine, full = seen
        for name in mine:
            assert mine[name] == full[name], f"{name} {when}"

    def act(self, action: tuple[Any, ...], n: int) -> None:
        name, *args = action
        if name == "runs":
            for hours in [args[0]] + [1] * (args[1] - 1):
                self.now += dt.timedelta(hours=hours)
                self.run()
            return
        if name == "wait":
            self.now += dt.timedelta(minutes=args[0])
            return
        if name == "miss":
            self.now += dt.timedelta(days=args[0], hours=args[1])
            return
        if name == "roadmap drop":
            self.edits.dropped ^= {args[0]}
            self.plan = self.load()
            return
        if name.startswith("roadmap"):
            counts = self.edits.steps if name == "roadmap step" else self.edits.titles
            counts[args[0]] = counts.get(args[0], 0) + 1
            self.plan = self.load()
            return
        self.now += dt.timedelta(seconds=args[-1])
        for lane in self.lanes:
            if lane.full and self.skip_full(action):
                continue
            with lane.active():
                self.edit(lane, name, args, n)
        # The learner's edit is stamped by the store's clock: the next action starts there.
        first = self.lanes[0]
        self.now = max(self.now, first.clock.now if isinstance(first, LocalLane) else self.now)

    def edit(self, lane: Lane, name: str, args: list[Any], n: int) -> None:
        """The learner's edit `name` in one repository."""
        lane.at(self.now)
        if name == "plan box":
            toggle_box(lane, "daily", args[0], args[1])
        elif name == "topic box":
            toggle_box(lane, "topic", args[0], args[1])
        elif name == "note":
            write_note(lane, args[0], args[1], n)
        elif name == "rename":
            rename(lane, args[0], n)
        elif name == "close":
            close_or_reopen(lane, args[0], args[1])
        elif name == "break":
            break_block(lane, args[0], args[1])
        elif name == "label":
            label(lane, args[0], args[1])
        elif name == "comment":
            comment(lane, args[0], n)
        elif name == "paste":
            paste(lane, args[0], args[1])
        elif name == "stranger":
            copy_by_a_stranger(lane, args[0])

    def live(self, actions: list[tuple[Any, ...]]) -> None:
        self.run()  # the first run: sync, the first day's plan
        for n, action in enumerate(actions):
            self.act(action, n)
        self.now += dt.timedelta(hours=1)
        self.run()  # the next hour's run sees the last edits
        first = self.lanes[0]
        with first.active():
            for kind in ("daily", "retro"):
                count(f"{kind} issues: {len(first.rows(kind))}")
        count(f"runs: {self.runs // 10 * 10}-{self.runs // 10 * 10 + 9}")

    def close(self) -> None:
        for lane in self.lanes:
            lane.close()


@contextmanager
def living(step: int = 1, keeps_tags: bool = True, kind: str = "local",
           **hooks: Any) -> Iterator[Life]:
    with tempfile.TemporaryDirectory() as folder:
        life = Life(Path(folder), step, keeps_tags, kind, **hooks)
        try:
            yield life
        finally:
            life.close()


def live(actions: list[tuple[Any, ...]], step: int, keeps_tags: bool, kind: str = "local",
         **hooks: Any) -> None:
    with living(step, keeps_tags, kind, **hooks) as life:
        life.live(actions)


# -- the properties ----------------------------------------------------------------------------
# Without Hypothesis's explain phase, which replays a failing life hundreds of times (minutes).
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]


@settings(max_examples=40, deadline=None, phases=PHASES,
          suppress_health_check=[HealthCheck.too_slow])
@given(actions=st.lists(ACTIONS, min_size=10, max_size=30), step=st.sampled_from([0, 1]),
       keeps_tags=st.booleans())
def test_reading_only_what_changed_gives_what_reading_everything_gives(
        actions: list[tuple[Any, ...]], step: int, keeps_tags: bool) -> None:
    """Whatever the learner edits and whenever the runs come, the hourly job that reads only
    the issues changed since its last run leaves the same issues, milestones and dashboard as
    one that reads every issue, and its ledger always says what a full reading says."""
    live(actions, step, keeps_tags)


@settings(max_examples=15, deadline=None, phases=PHASES,
          suppress_health_check=[HealthCheck.too_slow])
@given(actions=st.lists(ACTIONS, min_size=10, max_size=30), keeps_tags=st.booleans())
def test_on_github_reading_only_what_changed_gives_what_reading_everything_gives(
        actions: list[tuple[Any, ...]], keeps_tags: bool) -> None:
    """The same on (a fake of) GitHub, where a run's writes all fall in one second and the
    job's own token's listings cannot be asked again with their tags."""
    live(actions, 0, keeps_tags, "github")


@pytest.mark.slow
@settings(max_examples=60, deadline=None, phases=PHASES,
          suppress_health_check=[HealthCheck.too_slow])
@given(actions=st.lists(ACTIONS, min_size=40, max_size=120), step=st.sampled_from([0, 1]),
       keeps_tags=st.booleans())
def test_weeks_of_reading_only_what_changed_give_what_reading_everything_gives(
        actions: list[tuple[Any, ...]], step: int, keeps_tags: bool) -> None:
    """The same, over longer lives (weeks of runs and edits), and many more of them."""
    live(actions, step, keeps_tags)


# -- the defects the property found --------------------------------------------------------------
def boxes_of(lane: Lane, kind: str, ident: str) -> dict[str, bool]:
    [issue] = [i for i in lane.rows(kind) if keys.parse(i.body).key.id == ident]  # type: ignore
    own = issue_block(issue)
    assert own is not None
    return keys.boxes(own.block)


# Caught by the property (at e5f1889; fixed meanwhile by 9fd48a0): the run that closed the last
# topics of a stage, then the stage's milestone, took in the answers to its topic writes after
# that, so its ledger (incremental and --full alike) kept the milestone open on those topics,
# and the next run found them changed.
def test_a_stage_finished_by_ticking_its_topics_is_closed_in_the_ledger_too() -> None:
    """Every step of the first stage ticked in the topics: the run closes the topics and the
    stage, and its ledger says so, as a reading of every issue does."""
    with living() as life:
        life.run()
        for which, box in ((0, 0), (0, 1), (1, 0), (1, 1)):  # peft and rl, both steps each
            life.act(("topic box", which, box, 60), 0)
        life.now += dt.timedelta(hours=1)
        life.run()
        for lane in life.lanes:
            saved = Ledger.from_json((lane.root / LEDGER_FILE).read_text(encoding="utf-8"))
            assert saved is not None
            assert [(r.state, r.milestone_state) for r in saved.records.values()
                    if r.key and r.key["id"] in ("peft", "rl")] == [("closed", "closed")] * 2


# Caught by the property (found at 00a8a9c; fixed meanwhile by 801203d, which reconciles again
# after a sync that wrote): a tick in the plan for a topic whose end marker (or hidden key) the
# learner deleted waited while sync repaired the topic (reconcile ran before sync), for the
# next run to carry. Reading everything, the next hour carried it; reading what changed, the
# next hour found nothing edited and nothing due, and the tick waited for the next edit.
@pytest.mark.parametrize("lost", ["end marker", "key"])
def test_a_tick_held_back_by_a_broken_topic_reaches_it_the_next_hour(lost: str) -> None:
    """The learner ticks a step in today's plan and, on the phone, deletes the topic's end
    marker (or its key): the next run repairs the topic, and the tick is in the topic an hour
    later at the latest, whichever way the runs read."""
    with living() as life:
        life.run()
        life.now += dt.timedelta(minutes=5)
        for lane in life.lanes:
            lane.at(life.now)
            [plan] = lane.rows("daily")
            lane.learner.update_issue(plan.number, body=keys.tick(plan.body, {"t:peft:s1"}))
            break_block(lane, 0, key=lost == "key")
        life.now += dt.timedelta(hours=1)
        life.run()  # sync repairs the topic
        life.now += dt.timedelta(hours=1)
        life.run(check=False)
        carried = {"full" if lane.full else "incremental": boxes_of(lane, "topic", "peft")["s1"]
                   for lane in life.lanes}
        assert carried == {"incremental": True, "full": True}
        life.check()


def state_of(lane: Lane, ident: str) -> tuple[str, str | None]:
    [issue] = [i for i in lane.rows("topic") if keys.parse(i.body).key.id == ident]  # type: ignore
    return issue.state, issue.state_reason


# Caught by the property (same cause as the one above, fixed by the same 801203d): a topic taken
# out of the roadmap is closed as not planned; the learner ticks its last box all the same; back
# in the roadmap, sync reopened it after reconcile had run. Every box ticked: reading
# everything, the next hour closed it as done; reading what changed, the next hour found nothing
# edited and nothing due, and left it open.
def test_a_finished_topic_back_in_the_roadmap_is_closed_the_next_hour() -> None:
    """The learner finishes a topic the roadmap had dropped, then puts it back in the roadmap:
    it is closed as done an hour later at the latest, whichever way the runs read."""
    with living() as life:
        life.run()
        life.act(("roadmap drop", "evals"), 0)
        life.now += dt.timedelta(hours=1)
        life.run()  # closed as not planned
        life.act(("topic box", NAMES.index("evals"), 0, 60), 0)  # its one step, ticked
        life.act(("roadmap drop", "evals"), 0)  # back in the roadmap
        life.now += dt.timedelta(hours=1)
        life.run()  # reopened (and, since 801203d, closed again at once)
        life.now += dt.timedelta(hours=1)
        life.run(check=False)
        states = {"full" if lane.full else "incremental": state_of(lane, "evals")
                  for lane in life.lanes}
        assert states == {"incremental": ("closed", "completed"),
                          "full": ("closed", "completed")}
        life.check()


# Caught by the property (at 249e984): the learner replaces a topic's text with two copies of
# another topic's (hidden key and all, its own key gone). The issue is then a copy of that
# other topic, and dedupe closes it, but takes out only the first pasted block: reading
# everything, the next run finds the second one, and writes again (a run twice is not a run
# once); reading what changed, the next run is quiet, and the key stays until the weekly
# reading of every issue.
def test_an_issue_holding_pasted_copies_of_two_topics_is_settled_in_one_run() -> None:
    """Another topic's text replaced by the pasted text of two topics (its own key gone):
    the run that closes it as a copy of the first leaves no block of the second to close it
    again (found by the slow property test)."""
    with living() as life:
        life.run()
        life.now += dt.timedelta(minutes=5)
        for lane in life.lanes:
            lane.at(life.now)
            peft, rl, rag = lane.rows("topic")[:3]
            lane.learner.update_issue(rag.number, body=f"{peft.body}\n\n{rl.body}\n")
        life.now += dt.timedelta(hours=1)
        life.run()
        life.now += dt.timedelta(hours=1)
        life.run(check=False)
        assert {"full" if lane.full else "incremental": lane.ran for lane in life.lanes} \
            == {"incremental": 0, "full": 0}
        life.check()


def test_an_issue_holding_two_pasted_copies_of_a_topic_is_settled_in_one_run() -> None:
    """Two pasted copies of a topic in another topic's place: the run that closes the copy
    leaves nothing for the next run to do, whichever way it reads."""
    with living() as life:
        life.run()
        life.now += dt.timedelta(minutes=5)
        for lane in life.lanes:
            lane.at(life.now)
            peft, rl = lane.rows("topic")[:2]
            lane.learner.update_issue(rl.number, body=f"My notes.\n\n{peft.body}\n\n{peft.body}")
        life.now += dt.timedelta(hours=1)
        life.run()  # the copy is closed, pointing at the topic
        life.now += dt.timedelta(hours=1)
        life.run(check=False)
        assert {"full" if lane.full else "incremental": lane.ran for lane in life.lanes} \
            == {"incremental": 0, "full": 0}
        life.check()
