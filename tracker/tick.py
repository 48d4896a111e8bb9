"""`tracker tick`: the one scheduled job. Each step is a catch-up, so the whole is safe to run
every hour, and again: reconcile, sync if the roadmap or templates changed, open the day's plan
if due, open the retro if due, refresh the dashboard.

The issues are read once and shared by the steps that need them: those updated since the last
run are listed, the others come from the dashboard's ledger (`tracker.reading`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .caches import describes
from .daily import all_done, open_daily_plan
from .dashboard import FOLDER, cached_memory, run_dashboard
from .dedupe import resolve_duplicates
from .ledger import Ledger
from .model import Roadmap
from .phone import assignment, plan_reaches_phone
from .reading import again_from_every_issue, read_saved
from .reconcile import reconcile
from .repo_files import write_atomic
from .retro import due_retro_day, open_retro, week_id
from .rows import read_rows
from .store.base import Issue, Store, Trusted, trusted_authors
from .sync import sync

SYNCED = f"{FOLDER}/synced.json"


@dataclass
class TickReport:
    lines: list[str] = field(default_factory=list)
    opened: list[Issue] = field(default_factory=list)


def fingerprint(roadmap_path: Path, templates: Path | None) -> str:
    """What sync compiles from: the roadmap file and the templates, as one digest."""
    digest = hashlib.sha256(roadmap_path.read_bytes())
    if templates is not None and templates.is_dir():
        for path in sorted(templates.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(templates)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Job:
    """What one run of `tick` works on."""

    roadmap: Roadmap
    store: Store
    now: dt.datetime
    root: Path
    roadmap_path: Path
    templates: Path | None
    commits: Mapping[dt.date, int]
    repo_url: str | None

    def link(self, issue: Issue) -> str:
        if not self.repo_url:
            return f"#{issue.number} {issue.title}"
        return f"[#{issue.number} {issue.title}]({self.repo_url}/issues/{issue.number})"


def tick(roadmap: Roadmap, store: Store, now: dt.datetime, *, root: Path, roadmap_path: Path,
         templates: Path | None, commits: Mapping[dt.date, int],
         repo_url: str | None = None, full: bool = False) -> TickReport:
    """Do what is due, reading only the issues changed since the last run (`full`: every
    issue). An issue the ledger knew of that was deleted on GitHub since is met when the run
    writes to it or reads it: the run then starts again from a reading of every issue."""
    job = Job(roadmap, store, now, root, roadmap_path, templates, commits, repo_url)
    report, gone = again_from_every_issue(lambda whole: _tick(job, whole), full)
    if gone is not None:
        report.lines.insert(0, f"{gone}: read every issue again.")
    return report


def _tick(job: Job, full: bool) -> TickReport:
    report = TickReport()
    roadmap, store = job.roadmap, job.store
    wanted = fingerprint(job.roadmap_path, job.templates)
    last = last_synced(job.root, store)
    tz = roadmap.learner.tz
    reading = read_saved(store, job.root, tz, today=job.now.astimezone(tz).date(), full=full)
    ledger = reading.ledger
    # The quiet hour: nothing was edited since the last run and nothing is due. One listing
    # with the ledger's `since` shows that (free when GitHub answers 304).
    if not reading.whole and not reading.changed and wanted == last \
            and not _due(roadmap, ledger, job.now):
        free = " (GitHub answered 304 Not Modified)" if reading.unchanged else ""
        report.lines.append(f"Nothing edited since {reading.since}{free} and nothing due.")
        page = run_dashboard(roadmap, store, job.root, job.now, job.commits,
                             repo_url=job.repo_url, ledger=ledger,
                             settled=reading.settled(store))
        report.lines += [f"dashboard: {line}" for line in page.lines]
        return report
    report.lines.append(f"read: {reading.line()}")
    by_number = {i.number: i for i in reading.issues()}
    written = _keep_rows(job, by_number, ledger, None if wanted == last else wanted, report)
    written.update(_open_what_is_due(job, by_number, report))
    # The answers to this run's writes are the issues as they now are: the next run's listing
    # finds them unchanged unless someone edited them.
    ledger.update(written.values(), trusted_authors(store), roadmap.learner.tz, listed=False)
    page = run_dashboard(roadmap, store, job.root, job.now, job.commits, repo_url=job.repo_url,
                         ledger=ledger)
    report.lines += [f"dashboard: {line}" for line in page.lines]
    return report


def _keep_rows(job: Job, by_number: dict[int, Issue], ledger: Ledger, changed: str | None,
               report: TickReport) -> dict[int, Issue]:
    """Duplicates resolved, plan ticks carried into topics, sync if the roadmap changed
    (`changed`: its new fingerprint) or a topic needs repair; `by_number` is kept up to date;
    the issues written come back."""
    roadmap, store = job.roadmap, job.store
    written: dict[int, Issue] = {}
    trusted = trusted_authors(store)
    copies = resolve_duplicates(read_rows(by_number.values(), [], trusted), store,
                                roadmap.learner.locale)
    report.lines += [f"dedupe: {line}" for line in copies.lines]
    written.update({i.number: i for i in copies.updated})
    by_number.update(written)
    written.update(_carry_ticks(job, by_number, ledger, report, again=False))
    if changed is not None or _damaged(roadmap, by_number.values(), trusted):
        result = sync(roadmap, store, issues=sorted(by_number.values(), key=lambda i: i.number),
                      ledger=ledger)
        report.lines += [f"sync: {line}" for line in result.lines()]
        if result.left == 0:  # a paced sync that is not finished tries again next hour
            write_atomic(job.root / SYNCED, json.dumps({
                "roadmap": changed or fingerprint(job.roadmap_path, job.templates),
                "store": store.identity}) + "\n")
        written.update({i.number: i for i in result.written})
        by_number.update(written)
        if result.written:  # a topic repaired or made takes the ticks it could not take
            written.update(_carry_ticks(job, by_number, ledger, report, again=True))
    else:
        report.lines.append("sync: the roadmap and templates are unchanged.")
    return written


def _carry_ticks(job: Job, by_number: dict[int, Issue], ledger: Ledger, report: TickReport,
                 again: bool) -> dict[int, Issue]:
    """Reconcile on the issues as they are (`by_number`, kept up to date); `again`: after
    sync, said only when it did something. The issues written come back."""
    checked = reconcile(job.roadmap, job.store,
                        sorted(by_number.values(), key=lambda i: i.number), ledger=ledger)
    if not again or checked.updated:
        report.lines += [f"reconcile: {line}" for line in checked.lines]
    written = {i.number: i for i in checked.updated}
    by_number.update(written)
    return written


def _damaged(roadmap: Roadmap, issues: Iterable[Issue], trusted: Trusted) -> bool:
    """A topic whose end marker or whole key the learner deleted is repaired by sync, one
    left without a milestone (its stage's milestone may have been deleted by hand) is put
    back in it, and one whose issue was deleted by hand is made again."""
    rows = read_rows(issues, [], trusted)
    topics = rows.of_kind("topic")
    return any(t.id not in topics for t in roadmap.topics) or any(
        r.body.open_ended or (r.issue.milestone is None and r.key.id in roadmap.topics_by_id)
        for r in topics.values())


def _open_what_is_due(job: Job, by_number: dict[int, Issue],
                      report: TickReport) -> dict[int, Issue]:
    """The day's plan and the week's retro, if due; the issues written come back."""
    roadmap, store = job.roadmap, job.store
    written: dict[int, Issue] = {}
    issues = sorted(by_number.values(), key=lambda i: i.number)
    daily = open_daily_plan(roadmap, store, job.now, job.commits, issues=reversed(issues),
                            cached=cached_memory(job.root))
    report.lines += [f"daily: {line}" for line in daily.lines]
    written.update({i.number: i for i in daily.updated})
    if daily.opened is not None:
        written[daily.opened.number] = daily.opened
        report.opened.append(daily.opened)
        report.lines.append(f"Opened {job.link(daily.opened)}")
        report.lines += [f"phone: {line}" for line in plan_reaches_phone(store, daily.opened)]
    by_number.update(written)
    issues = sorted(by_number.values(), key=lambda i: i.number)
    retro = open_retro(roadmap, store, job.now, job.commits, issues=reversed(issues))
    report.lines += [f"retro: {line}" for line in retro.lines]
    written.update({i.number: i for i in retro.updated})
    if retro.opened is not None:
        written[retro.opened.number] = retro.opened
        report.opened.append(retro.opened)
        report.lines.append(f"Opened {job.link(retro.opened)}")
        report.lines += [f"phone: {line}" for line in assignment(retro.opened, store.owner)]
    by_number.update(written)
    return written


def last_synced(root: Path, store: Store) -> str | None:
    """The fingerprint of what was last synced into `store` from this checkout, or None:
    never synced, the file damaged, or synced into another store (which has not seen it)."""
    try:
        data = json.loads((root / SYNCED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not describes(data.get("store"), store):
        return None
    roadmap = data.get("roadmap")
    return roadmap if isinstance(roadmap, str) else None


def _due(roadmap: Roadmap, ledger: Ledger, now: dt.datetime) -> bool:
    """Whether a plan or a retro is due, by the ledger of the last run."""
    local = now.astimezone(roadmap.learner.tz)
    retro_day = due_retro_day(roadmap, now)
    return _plan_due(roadmap, ledger, local) or (
        retro_day is not None and week_id(retro_day) not in ledger.retros)


def _plan_due(roadmap: Roadmap, ledger: Ledger, local: dt.datetime) -> bool:
    """Whether the daily plan has work due, once the learner's morning has come: a past
    day's plan to score, today's to open, or today's ticked off early to give its next
    steps."""
    today, schedule = local.date(), roadmap.schedule
    if today < schedule.start or local.time() < schedule.day_opens_at:
        return False
    if any(plan.open and day < today.isoformat() for day, plan in ledger.plans.items()):
        return True
    plan = ledger.plans.get(today.isoformat())
    if plan is None:
        return schedule.budget_on(today) > 0
    record = ledger.records.get(plan.number) if plan.open else None
    return record is not None and all_done(record.box_states())
