"""`tracker tick`: the one scheduled job. Each step is a catch-up, so the whole is safe to run
every hour, and again: reconcile, sync if the roadmap or templates changed, open the day's plan
if due, open the retro if due, refresh the dashboard.

The issues are listed once and the listing is shared by the steps that need it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .caches import describes
from .daily import open_daily_plan
from .dashboard import FOLDER, cached_memory, list_since, load_ledger, run_dashboard
from .dedupe import resolve_duplicates
from .labels import KIND_LABELS
from .ledger import Ledger
from .model import Roadmap
from .phone import assignment, plan_reaches_phone
from .reconcile import reconcile
from .repo_files import write_atomic
from .retro import due_retro_day, open_retro, week_id
from .rows import read_rows
from .store.base import Issue, Store, trusted_authors
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


def tick(roadmap: Roadmap, store: Store, now: dt.datetime, *, root: Path, roadmap_path: Path,
         templates: Path | None, commits: Mapping[dt.date, int],
         repo_url: str | None = None) -> TickReport:
    report = TickReport()

    def link(issue: Issue) -> str:
        target = f"{repo_url}/issues/{issue.number}" if repo_url else f"#{issue.number}"
        return f"[#{issue.number} {issue.title}]({target})" if repo_url else \
            f"#{issue.number} {issue.title}"

    synced_file = root / SYNCED
    wanted = fingerprint(roadmap_path, templates)
    last = last_synced(root, store)

    # The quiet hour: nothing was edited since the last run and nothing is due. One listing
    # with the dashboard's `since` shows that, instead of reading the whole history.
    # (Free where the store's tags last and GitHub answers 304 Not Modified.)
    ledger = load_ledger(root, store)
    if ledger is not None and ledger.since is not None and wanted == last:
        recent = list_since(store, ledger)
        if not ledger.changed_since(recent.issues, trusted_authors(store)) and \
                not _due(roadmap, ledger, now):
            report.lines.append(f"Nothing edited since {ledger.since} and nothing due.")
            page = run_dashboard(roadmap, store, root, now, commits, repo_url=repo_url,
                                 since_listing=(ledger, recent))
            report.lines += [f"dashboard: {line}" for line in page.lines]
            return report

    listing = store.list_issues()
    copies = resolve_duplicates(read_rows(listing, [], trusted_authors(store)), store,
                                roadmap.learner.locale)
    report.lines += [f"dedupe: {line}" for line in copies.lines]
    if copies.updated:
        fresh = {i.number: i for i in listing}
        fresh.update({i.number: i for i in copies.updated})
        listing = sorted(fresh.values(), key=lambda i: i.number)
    checked = reconcile(roadmap, store, listing)
    report.lines += [f"reconcile: {line}" for line in checked.lines]
    by_number = {i.number: i for i in listing}
    by_number.update({i.number: i for i in checked.updated})

    # A topic whose end marker or whole key the learner deleted is repaired by sync, and so
    # is one left without a milestone (its stage's milestone may have been deleted by hand).
    rows = read_rows(by_number.values(), [], trusted_authors(store))
    topics = rows.of_kind("topic")
    lost = {t.title for t in roadmap.topics if t.id not in topics}
    damaged = any(r.body.open_ended or (r.issue.milestone is None and r.key.id in
                                        roadmap.topics_by_id) for r in topics.values()) or any(
        KIND_LABELS["topic"] in i.labels and i.title in lost for i in rows.keyless)
    if wanted != last or damaged:
        result = sync(roadmap, store, issues=sorted(by_number.values(), key=lambda i: i.number))
        report.lines += [f"sync: {line}" for line in result.lines()]
        if result.left == 0:  # a paced sync that is not finished tries again next hour
            write_atomic(synced_file, json.dumps({"roadmap": wanted, "store": store.identity})
                         + "\n")
        by_number.update({i.number: i for i in result.written})
    else:
        report.lines.append("sync: the roadmap and templates are unchanged.")

    issues = sorted(by_number.values(), key=lambda i: i.number)
    daily = open_daily_plan(roadmap, store, now, commits, issues=reversed(issues),
                            cached=cached_memory(root))
    report.lines += [f"daily: {line}" for line in daily.lines]
    by_number.update({i.number: i for i in daily.updated})
    if daily.opened is not None:
        by_number[daily.opened.number] = daily.opened
        report.opened.append(daily.opened)
        report.lines.append(f"Opened {link(daily.opened)}")
        report.lines += [f"phone: {line}" for line in plan_reaches_phone(store, daily.opened)]
    issues = sorted(by_number.values(), key=lambda i: i.number)
    retro = open_retro(roadmap, store, now, commits, issues=reversed(issues))
    report.lines += [f"retro: {line}" for line in retro.lines]
    by_number.update({i.number: i for i in retro.updated})
    if retro.opened is not None:
        by_number[retro.opened.number] = retro.opened
        report.opened.append(retro.opened)
        report.lines.append(f"Opened {link(retro.opened)}")
        report.lines += [f"phone: {line}" for line in assignment(retro.opened, store.owner)]
    # Every issue as it stands after this run's writes, so the next run's `since` finds
    # nothing new unless someone edited something.
    issues = sorted(by_number.values(), key=lambda i: i.number)
    page = run_dashboard(roadmap, store, root, now, commits, repo_url=repo_url, issues=issues)
    report.lines += [f"dashboard: {line}" for line in page.lines]
    return report


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
    today = local.date()
    schedule = roadmap.schedule
    if today >= schedule.start and local.time() >= schedule.day_opens_at:
        if any(plan.open and day < today.isoformat() for day, plan in ledger.plans.items()):
            return True  # a past day's plan waits for its score
        if schedule.budget_on(today) > 0 and today.isoformat() not in ledger.plans:
            return True
    retro_day = due_retro_day(roadmap, now)
    return retro_day is not None and week_id(retro_day) not in ledger.retros
