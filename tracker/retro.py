"""`tracker retro`: the week's retro issue, Monday to Sunday local, opened on the retro day.

The week in figures, the redo list, prompts to reflect on, next week's suggested focus, and
each stage's pace. A catch-up job: if the retro time has passed and this week's retro is not
open, it opens it and closes last week's; run again, it does nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import figures, keys, planner, words
from .activity import commits_in
from .daily import find_recent, local_now
from .labels import KIND_LABELS
from .ledger import Ledger
from .model import Roadmap
from .render import environment
from .state import HARD, PROBLEM, StudyState, read_state
from .store.base import Issue, Store, Trusted, trusted_authors
from .streak import current_streak, longest_streak, study_days

REDO_MAX = 3
MAX_LISTED = 20
_DIFFICULTY_RANK = {"hard": 0, "medium": 1, "easy": 2}
_BAR = 10


@dataclass
class RetroReport:
    lines: list[str] = field(default_factory=list)
    opened: Issue | None = None
    updated: list[Issue] = field(default_factory=list)  # last weeks' retros, now closed


def week_id(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def due_retro_day(roadmap: Roadmap, now: dt.datetime) -> dt.date | None:
    """The retro day whose retro is due at `now`: this week's once its time has come, else
    last week's (a late run still catches up); None before the plan has begun."""
    local = local_now(roadmap, now)
    monday = local.date() - dt.timedelta(days=local.weekday())
    day = monday + dt.timedelta(days=roadmap.schedule.retro_weekday)
    opens = dt.datetime.combine(day, roadmap.schedule.retro_at, tzinfo=roadmap.learner.tz)
    if local < opens:
        day -= dt.timedelta(days=7)
    week_end = day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=6)
    return day if week_end >= roadmap.schedule.start else None


def _bar(done: int, total: int) -> str:
    filled = round(_BAR * done / total) if total else 0
    return "▓" * filled + "░" * (_BAR - filled)


def redo_list(roadmap: Roadmap, state: StudyState, first: dt.date,
              last: dt.date) -> list[Any]:
    """2-3 of the week's problems to rewrite closed-book: the ones flagged hard first, then
    those carried over longest, then the hardest by difficulty."""
    plans = state.plans_between(first, last)
    seen: dict[str, dict[str, Any]] = {}
    for order, plan in enumerate(plans):
        for ident in plan.items(PROBLEM):
            pid = ident.split(":", 1)[1]
            entry = seen.setdefault(pid, {"days": 0, "hard": False, "first": order})
            entry["days"] += 1
            entry["hard"] = entry["hard"] or bool(plan.boxes.get(f"{HARD}:{pid}"))
    pool = {p.id: p for p in roadmap.problems}
    ranked = sorted((pid for pid in seen if pid in pool), key=lambda pid: (
        not seen[pid]["hard"], -seen[pid]["days"],
        _DIFFICULTY_RANK.get(pool[pid].difficulty or "", 3), seen[pid]["first"]))
    return [{"problem": pool[pid], "hard": seen[pid]["hard"], "days": seen[pid]["days"]}
            for pid in ranked[:REDO_MAX]]


def stage_pace(roadmap: Roadmap, state: StudyState, today: dt.date) -> list[dict[str, Any]]:
    """Stages begun and not finished: done, on schedule or not, projected finish (the same
    figures as the dashboard's)."""
    rows = [row.issue for row in state.rows.issues.values()]  # already the trusted ones
    ledger = Ledger()
    ledger.update(rows, Trusted(frozenset(i.author.lower() for i in rows)), roadmap.learner.tz)
    progress = figures.stage_progress(roadmap, figures.topic_done(roadmap, ledger),
                                      figures.recent_pace(ledger, roadmap, today), today)
    return [{"title": s.title, "done": s.done, "total": s.total, "due": s.due,
             "on_track": s.status != "behind", "projected": s.projected,
             "late_days": (s.projected - s.due).days
             if s.status == "behind" and s.projected else 0}
            for s in progress if s.status in ("ahead", "on_track", "behind")]


def retro_context(roadmap: Roadmap, state: StudyState, retro_day: dt.date, today: dt.date,
                  commits: Mapping[dt.date, int]) -> dict[str, Any]:
    locale = roadmap.learner.locale
    first = retro_day - dt.timedelta(days=retro_day.weekday())
    last = first + dt.timedelta(days=6)
    rest = roadmap.schedule.rest_days
    all_days = study_days(state.plans.values(), commits)
    days = []
    for offset in range(7):
        day = first + dt.timedelta(days=offset)
        plan = state.plans.get(day)
        done, total = plan.score if plan else (0, 0)
        days.append({"weekday": words.weekday(day, locale), "date": words.short_date(day, locale),
                     "done": done, "total": total, "bar": _bar(done, total),
                     "rest": day.weekday() in rest, "planned": plan is not None,
                     "studied": day in all_days, "future": day > today})
    closed = []
    tz = roadmap.learner.tz
    for topic in roadmap.topics:
        row = state.topics.get(topic.id)
        if row and row.done and row.closed_at and \
                first <= row.closed_at.astimezone(tz).date() <= last:
            closed.append({"title": topic.title, "link": f"#{row.number}"})
    closed_count = len(closed)
    closed = closed[:MAX_LISTED]  # a phone screen, and GitHub's body limit
    problems_done = {ident for p in state.plans_between(first, last) for ident in p.ticked(PROBLEM)}
    next_monday = last + dt.timedelta(days=1)
    next_focus = []
    for track_id, picks in planner.weekly_focus(roadmap, state, next_monday).items():
        track = roadmap.tracks_by_id.get(track_id) if track_id else None
        next_focus.append({"track": track.name if track else None,
                           "hours": round(sum(p.hours for p in picks), 1),
                           "items": [{"id": f"next:{p.topic.id}:{p.box.id}", "text": p.box.text,
                                      "source": p.topic.title,
                                      "link": f"#{state.topics[p.topic.id].number}"}
                                     for p in picks]})
    return {
        "locale": locale,
        "week": retro_day.isocalendar()[1],
        "first": words.short_date(first, locale),
        "last": words.short_date(last, locale),
        "days": days,
        "days_studied": sum(1 for d in days if d["studied"]),
        "streak": current_streak(all_days, rest, today),
        "longest": longest_streak(all_days, rest),
        "topics_closed": closed,
        "topics_closed_count": closed_count,
        "problems_done": len(problems_done),
        "commits": commits_in(commits, first, last),
        "redo": [{"id": f"redo:{r['problem'].id}", "text": r["problem"].title,
                  "link": r["problem"].url, "hard": r["hard"], "days": r["days"]}
                 for r in redo_list(roadmap, state, first, last)],
        "next_focus": next_focus,
        "stages": [{**s, "due": words.short_date(s["due"], locale),
                    "projected": words.short_date(s["projected"], locale) if s["projected"]
                    else None} for s in stage_pace(roadmap, state, today)],
    }


def retro_title(roadmap: Roadmap, retro_day: dt.date) -> str:
    locale = roadmap.learner.locale
    first = retro_day - dt.timedelta(days=retro_day.weekday())
    last = first + dt.timedelta(days=6)
    week = retro_day.isocalendar()[1]
    span = f"{words.short_date(first, locale)}–{words.short_date(last, locale)}"
    return f"🗓️ 第 {week} 周复盘 · {span}" if locale == "zh-CN" else f"🗓️ Week {week} retro · {span}"


def open_retro(roadmap: Roadmap, store: Store, now: dt.datetime,
               commits: Mapping[dt.date, int] | None = None,
               issues: Iterable[Issue] | None = None) -> RetroReport:
    """Open the week's retro if due and not open yet, closing earlier weeks' retros."""
    report = RetroReport()
    retro_day = due_retro_day(roadmap, now)
    if retro_day is None:
        report.lines.append("No retro is due yet.")
        return report
    week = week_id(retro_day)
    trusted = trusted_authors(store)
    found, listing = find_recent(store, "retro", week, trusted, issues,
                                 title=retro_title(roadmap, retro_day))
    if found is not None:
        report.lines.append(f"This week's retro is already open: #{found.number}.")
        return report
    state = read_state(listing, trusted)
    for earlier in sorted(state.retros.values(), key=lambda r: r.week):
        if earlier.open and earlier.week < week:
            report.updated.append(store.update_issue(earlier.number, state="closed",
                                                     state_reason="completed"))
            report.lines.append(f"Closed the retro of {earlier.week} (#{earlier.number}).")
    today = local_now(roadmap, now).date()
    context = retro_context(roadmap, state, retro_day, today, commits or {})
    template = environment().get_template(f"{roadmap.learner.locale}/retro.md.j2")
    title = retro_title(roadmap, retro_day)
    body = keys.compose(keys.Key("retro", week, {"t": keys.digest(title)}),
                        template.render(**context))
    issue = store.create_issue(title, body, [KIND_LABELS["retro"]], None,
                               assignees=[store.owner])
    report.opened = issue
    report.lines.append(f"Opened the retro of {week}: #{issue.number} {issue.title}")
    return report
