"""`tracker dashboard`: the public progress page, a section of README.md between markers.

It computes the figures from the tracker's issues and the git history, draws the badges and
charts as SVG files beside the README, writes `progress.json`, and rewrites only its own
section of README.md, each file only if it changed. A steady-state run reads just the issues
updated since the last run, from a small state file committed beside the dashboard.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import figures, page, pictures, review_figures, words
from .ledger import Ledger
from .memory_cache import CACHE, Cached
from .model import Roadmap
from .reading import LEDGER_FILE, ledger_news, read_saved
from .render import environment
from .repo_files import write_atomic
from .store.base import Store

FOLDER = "dashboard"
STATE = LEDGER_FILE
PROGRESS = "progress.json"
ENDPOINT = f"{FOLDER}/progress-endpoint.json"
RESOURCES = f"{FOLDER}/resources.md"  # the plan's own resources and projects, listed once
MANUAL = "docs/README.md"  # the manual, linked from the page's footer
BEGIN = "<!-- study-tracker:dashboard:begin -->"
END = "<!-- study-tracker:dashboard:end -->"
_LABELS = {
    "en": {"progress": "progress", "streak": "streak", "problems": "problems",
           "days": "{n} days", "endpoint": "study progress"},
    "zh-CN": {"progress": "学习进度", "streak": "连续学习", "problems": "算法题",
              "days": "{n} 天", "endpoint": "学习进度"},
}


@dataclass
class DashboardReport:
    lines: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # files written, or stale with --check


def _color(percent: int) -> str:
    return ("brightgreen" if percent >= 80 else "green" if percent >= 60 else
            "yellowgreen" if percent >= 40 else "yellow" if percent >= 20 else "orange")


def _number(value: float) -> str:
    """`7.0` -> `7`, `12.5` -> `12.5`: hours as a person writes them."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def burnup_series(roadmap: Roadmap, ledger: Ledger, steps_done: int,
                  today: dt.date) -> tuple[list[tuple[dt.date, int]], list[tuple[dt.date, int]]]:
    """Steps done by day (from the plans' ticks, ending at today's true total) and the plan's
    line (each stage's steps spread evenly over its days)."""
    first, last = roadmap.first_day, roadmap.last_day
    per_day: dict[dt.date, float] = {}
    for stage in roadmap.stages:
        if stage.due is None:
            continue  # an ongoing stage has no line to keep to
        steps = sum(len(t.checkboxes) for t in stage.topics)
        length = (stage.due - stage.start).days + 1
        for offset in range(length):
            day = stage.start + dt.timedelta(days=offset)
            per_day[day] = per_day.get(day, 0.0) + steps / length
    planned, running = [], 0.0
    day = first
    while day <= last:
        running += per_day.get(day, 0.0)
        planned.append((day, round(running)))
        day += dt.timedelta(days=1)
    ticks = {dt.date.fromisoformat(d): p.steps for d, p in ledger.plans.items()}
    done, count = [], 0.0
    day = first
    while day <= min(today, max(last, today)):
        count += ticks.get(day, 0)
        done.append((day, int(count + 1e-6)))  # sessions count as shares: whole steps shown
        day += dt.timedelta(days=1)
    if done:  # steps ticked straight in the topics have no day: they count from today
        done[-1] = (done[-1][0], max(done[-1][1], steps_done))
    return done, planned


def build(roadmap: Roadmap, ledger: Ledger, commits: Mapping[dt.date, int], today: dt.date,
          repo_url: str | None = None, manual: str = MANUAL,
          cached: Cached | None = None) -> dict[str, str]:
    """Every file of the dashboard by path, and the README section under the key README.md.

    `manual` is the link to the manual from the page (relative to the README); `cached` the
    cards' memory the last run kept (dashboard/cards.json), if any."""
    locale = roadmap.learner.locale
    data = figures.compute(roadmap, ledger, commits, today)
    reviewing, review_files = review_figures.dashboard_part(roadmap, ledger.reviews, today,
                                                            cached, FOLDER)
    data.update(reviewing)
    files = {**_badges(data, _LABELS[locale]), **_charts(roadmap, ledger, commits, data, today),
             **review_files, PROGRESS: json.dumps(data, ensure_ascii=False, indent=2) + "\n"}
    if roadmap.resources or roadmap.projects:
        files[RESOURCES] = resources_page(roadmap, ledger, repo_url)
    section = _section(roadmap, data, today, repo_url, manual)
    files["README.md"] = f"{BEGIN}\n{section.strip()}\n{END}"
    return files


def resources_page(roadmap: Roadmap, ledger: Ledger, repo_url: str | None) -> str:
    """The plan's resources under their headings (in the order first met) and its projects
    with the topics that work on them, as issues: one page, not a copy in every topic."""
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for resource in roadmap.resources:
        stages = [roadmap.stages_by_id[s].title for s in resource.stage_ids
                  if s in roadmap.stages_by_id]
        groups.setdefault(resource.group, []).append(
            {"title": resource.title, "url": resource.url, "note": resource.note,
             "stages": stages})

    def topic(ident: str) -> dict[str, Any]:
        fact = ledger.topics.get(ident)
        number = fact.number if fact else None
        return {"title": roadmap.topics_by_id[ident].title,
                "link": None if number is None else
                f"{repo_url}/issues/{number}" if repo_url else f"../../issues/{number}"}

    projects = [{"title": p.title, "goal": p.goal, "url": p.url,
                 "deliverable": p.deliverable, "topics": [topic(t) for t in p.topic_ids],
                 "resources": p.resources} for p in roadmap.projects]
    return environment().get_template(f"{roadmap.learner.locale}/resources.md.j2").render(
        learner=roadmap.learner, groups=list(groups.items()), projects=projects)


def _badges(data: Mapping[str, Any], labels: Mapping[str, str]) -> dict[str, str]:
    """The badges, and shields.io's endpoint file; a problems badge only for a plan with
    problems."""
    progress, streak = data["progress"], data["streak"]
    files = {
        f"{FOLDER}/badge-progress.svg": pictures.badge(
            labels["progress"], f"{progress['percent']}%", _color(progress["percent"])),
        f"{FOLDER}/badge-streak.svg": pictures.badge(
            labels["streak"], labels["days"].format(n=streak["current"]),
            "orange" if streak["current"] else "lightgrey"),
        ENDPOINT: json.dumps({"schemaVersion": 1, "label": labels["endpoint"],
                              "message": f"{progress['percent']}%",
                              "color": _color(progress["percent"])}, ensure_ascii=False) + "\n",
    }
    if data["problems_done"] is not None:
        files[f"{FOLDER}/badge-problems.svg"] = pictures.badge(
            labels["problems"], str(data["problems_done"]), "blue")
    return files


def _charts(roadmap: Roadmap, ledger: Ledger, commits: Mapping[dt.date, int],
            data: Mapping[str, Any], today: dt.date) -> dict[str, str]:
    """The heatmap, the weekly chart and the burn-up, light and dark."""
    locale = roadmap.learner.locale
    levels = figures.activity_levels(ledger, commits, figures.study_days(ledger, commits))
    titles = {}
    for day in set(levels) | {d for d, n in commits.items() if n}:
        plan = ledger.plans.get(day.isoformat())
        parts = [f"{plan.done}/{plan.total}"] if plan else []
        if commits.get(day):
            parts.append(f"{commits[day]} commit{'s' if commits[day] > 1 else ''}")
        titles[day] = f"{day.isoformat()}: {' · '.join(parts)}"
    done, planned = burnup_series(roadmap, ledger, data["progress"]["steps_done"], today)
    weeks = [(dt.date.fromisoformat(w["monday"]), w["done"], w["total"]) for w in data["weeks"]]
    week_start = 0 if locale == "zh-CN" else 6
    first, last = pictures.heatmap_window(roadmap.first_day, roadmap.last_day, today,
                                          week_start=week_start)
    files = {}
    for dark, suffix in ((False, ""), (True, "-dark")):
        files[f"{FOLDER}/heatmap{suffix}.svg"] = pictures.heatmap(
            levels, first, last, today, titles=titles, locale=locale, dark=dark,
            week_start=week_start)
        files[f"{FOLDER}/weeks{suffix}.svg"] = pictures.weekly_chart(weeks, locale=locale,
                                                                      dark=dark)
        files[f"{FOLDER}/burnup{suffix}.svg"] = pictures.burnup(
            done, planned, data["progress"]["steps_planned"], today, locale=locale, dark=dark)
    return files


def _section(roadmap: Roadmap, data: Mapping[str, Any], today: dt.date, repo_url: str | None,
             manual: str) -> str:
    """The README section: the dashboard template filled with the figures, in words."""
    locale = roadmap.learner.locale

    def link(number: int) -> str:
        return f"{repo_url}/issues/{number}" if repo_url else f"#{number}"

    def day(text: str | None) -> str | None:
        return words.short_date(dt.date.fromisoformat(text), locale) if text else None

    stages = [{**s, "due_text": day(s["due"]), "projected_text": day(s["projected"])}
              for s in data["stages"]]
    context = {
        **data,
        "folder": FOLDER,
        "resources_page": RESOURCES if roadmap.resources or roadmap.projects else None,
        "manual": manual,
        "hours_text": {key: _number(data["hours"][key]) for key in ("done", "estimated")},
        "date": words.full_date(today, locale),
        "stages": stages,
        "current": next((s for s in stages if s["id"] == data["current_stage"]), None),
        "recent": [{**r, "date": day(r["closed_on"]), "link": link(r["number"])}
                   for r in data["recent"]],
        "latest_retro": None if data["latest_retro"] is None else {
            **data["latest_retro"], "link": link(data["latest_retro"]["number"])},
    }
    return environment().get_template(f"{locale}/dashboard.md.j2").render(**context)


def page_text(roadmap: Roadmap, readme: Path, section: str) -> str:
    """README.md with this run's section: the learner's page in place of a missing README or
    of the one the template ships; in a README the learner wrote, only the section changes."""
    current = readme.read_text(encoding="utf-8") if readme.exists() else None
    if current is None or page.is_shipped(current):
        return page.learner_page(roadmap, section)
    return splice(current, section)


def splice(readme: str, section: str) -> str:
    """README.md with its dashboard section replaced; appended at the end if it has none."""
    start, end = readme.find(BEGIN), readme.find(END)
    if start >= 0 and end > start:
        return readme[:start] + section + readme[end + len(END):]
    return readme.rstrip("\n") + "\n\n" + section + "\n"


def run_dashboard(roadmap: Roadmap, store: Store, root: Path, now: dt.datetime,
                  commits: Mapping[dt.date, int], *, full: bool = False, check: bool = False,
                  repo_url: str | None = None, ledger: Ledger | None = None,
                  settled: bool = False) -> DashboardReport:
    """Bring the dashboard up to date: read what changed, write what differs.

    With `check`, write nothing and report the files that would change (stale). `ledger` is
    one this run already brought up to date (tick's): no request at all; else the saved one
    is read with the issues changed since it was saved (`full`: every issue). `settled`: the
    saved ledger already says all the run learnt (`Reading.settled`), so it is not written
    out again to be compared.
    """
    report = DashboardReport()
    tz = roadmap.learner.tz
    if ledger is None:
        reading = read_saved(store, root, tz, today=now.astimezone(tz).date(), full=full)
        ledger, settled = reading.ledger, reading.settled(store)
        report.lines.append(reading.line())
    else:
        report.lines.append(f"Used this run's reading of {len(ledger.records)} issues.")
    today = now.astimezone(tz).date()
    files = build(roadmap, ledger, commits, today, repo_url,
                  cached=None if full else cached_memory(root))
    files["README.md"] = page_text(roadmap, root / "README.md", files["README.md"])
    if not settled:
        ledger.store = store.identity
        files[STATE] = ledger.to_json(tags=store.keeps_tags)
    for name, text in files.items():
        path = root / name
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            continue
        if name in (STATE, CACHE) and check:
            continue  # only the state moved on: the page itself is not stale
        if name == STATE:
            news = ledger_news(old, text, store, ledger.far)
            if news is None:
                continue
            if not news:  # only where the next listing starts: no change to speak of
                write_atomic(path, text)
                continue
        report.changed.append(name)
        if not check:
            write_atomic(path, text)
    if not report.changed:
        report.lines.append("The dashboard is up to date.")
    elif check:
        report.lines.append(f"Stale: {', '.join(report.changed)}.")
    else:
        report.lines.append(f"Wrote {', '.join(report.changed)}.")
    return report


def cached_memory(root: Path) -> Cached | None:
    """The cards' memory the last run kept, if it can be read."""
    try:
        return Cached.from_json((root / CACHE).read_text(encoding="utf-8"))
    except OSError:
        return None
