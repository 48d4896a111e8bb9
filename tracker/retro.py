"""`tracker retro`: the week's retro issue, Monday to Sunday local, opened on the retro day.

The week in figures (with what the learner said last week they would do more or less), the
redo day's problems, a reply asked for the reflection, next week's topics to tick to put first
and a lighter or heavier week to choose (the next seven daily plans follow those ticks), and
each stage's pace. A catch-up job: if the retro time has passed and this week's retro is not
open, it opens it and closes last week's; run again, it does nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import figures, keys, planner, review_figures, weekly, words
from .activity import commits_in
from .daily import find_recent, local_now
from .labels import KIND_LABELS
from .ledger import Ledger
from .memory import log_from_plans
from .model import Roadmap
from .render import environment, format_hours
from .state import PROBLEM, REDO, WEEK, StudyState, item_id, item_kind, read_state
from .store.base import Issue, Store, Trusted, trusted_authors
from .streak import current_streak, longest_streak, study_days

MAX_LISTED = 20
NEXT_WEEK_TOPICS = 5  # boxes to put a topic first next week
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


def stage_pace(roadmap: Roadmap, state: StudyState, today: dt.date) -> list[dict[str, Any]]:
    """Stages begun and not finished: done, on schedule or not, projected finish (the same
    figures as the dashboard's)."""
    rows = [row.issue for row in state.rows.issues.values()]  # already the trusted ones
    ledger = Ledger()
    ledger.update(rows, Trusted(frozenset(i.author.lower() for i in rows)), roadmap.learner.tz)
    progress = figures.stage_progress(roadmap, figures.topic_done(roadmap, ledger),
                                      figures.recent_pace(ledger, roadmap, today), today,
                                      figures.not_taken(roadmap, ledger))
    return [{"title": s.title, "done": s.done, "total": s.total, "due": s.due,
             "status": s.status, "projected": s.projected,
             # How late this pace finishes: only a stage "behind" can be (one status rule).
             "late_days": max(0, (s.projected - s.due).days) if s.projected and s.due else 0}
            for s in progress if s.status in ("ahead", "on_track", "behind", "ongoing")]


def weekly_time(roadmap: Roadmap, state: StudyState, retro_day: dt.date
                ) -> list[dict[str, Any]]:
    """Each track's weekly time this week against its minimum: the hours of a quota, or the
    sessions (of a range, the minimum is what counts)."""
    monday = weekly.monday_of(retro_day)
    plans = state.plans_between(monday, monday + dt.timedelta(days=6))
    rows = []
    for track in roadmap.tracks:
        if track.kind != "topics":
            continue
        if weekly.allowed_days(roadmap, track.id, monday, "per_week"):
            least = weekly.week_quota(roadmap, track.id, monday).low
            hours = weekly.hours_done(roadmap, track.id, plans)
            rows.append({"track": track.name, "kind": "quota", "done": format_hours(hours),
                         "minimum": format_hours(least), "met": hours >= least - 0.05})
        days = weekly.allowed_days(roadmap, track.id, monday, "sessions")
        if days:
            sessions = roadmap.track_on(track.id, days[0]).sessions
            assert sessions is not None
            count = weekly.sessions_done(roadmap, track.id, plans)
            rows.append({"track": track.name, "kind": "session", "done": str(count),
                         "minimum": f"{sessions.count.low:g}",
                         "met": count >= sessions.count.low})
    return rows


def retro_context(roadmap: Roadmap, state: StudyState, retro_day: dt.date, today: dt.date,
                  commits: Mapping[dt.date, int], reflection: str | None = None
                  ) -> dict[str, Any]:
    """Everything the retro template shows. `reflection` is what the learner answered last
    week to "one thing to do more or less", quoted beside this week's figures."""
    locale = roadmap.learner.locale
    first = retro_day - dt.timedelta(days=retro_day.weekday())
    last = first + dt.timedelta(days=6)
    rest = roadmap.schedule.rest_days
    all_days = study_days(state.plans.values(), commits)
    days = [day_row(roadmap, state, first + dt.timedelta(days=n), today, all_days)
            for n in range(7)]
    closed = topics_closed(roadmap, state, first, last)
    problems_done = {ident for p in state.plans_between(first, last) for ident in p.ticked(PROBLEM)}
    return {
        "locale": locale,
        "week": retro_day.isocalendar()[1],
        "first": words.short_date(first, locale),
        "last": words.short_date(last, locale),
        "days": days,
        "days_studied": sum(1 for d in days if d["studied"]),
        "streak": current_streak(all_days, rest, today),
        "longest": longest_streak(all_days, rest),
        "topics_closed": closed[:MAX_LISTED],  # a phone screen, and GitHub's body limit
        "topics_closed_count": len(closed),
        "has_problems": bool(roadmap.problems),
        "problems_done": len(problems_done),
        "weekly": weekly_time(roadmap, state, retro_day),
        "commits": commits_in(commits, first, last),
        "reflection": reflection,
        "cards": review_figures.week(roadmap, log_from_plans(state.plans.values()),
                                     review_figures.memory_of_plans(
                                         roadmap, state.plans.values(), today),
                                     first, today),
        "redo_weekday": words.weekday(retro_day, locale, long=locale == "en"),
        "redo": redo_done(roadmap, state, retro_day),
        "next_week": next_week(roadmap, state, retro_day),
        "slow_week": sum(1 for d in days if d["studied"]) * 2 < sum(
            1 for d in days if d["planned"]),
        "stages": [{**s, "due": words.short_date(s["due"], locale) if s["due"] else None,
                    "projected": words.short_date(s["projected"], locale) if s["projected"]
                    else None} for s in stage_pace(roadmap, state, today)],
    }


def day_row(roadmap: Roadmap, state: StudyState, day: dt.date, today: dt.date,
            studied: set[dt.date]) -> dict[str, Any]:
    """One day of the week as its bar shows it."""
    locale = roadmap.learner.locale
    plan = state.plans.get(day)
    done, total = plan.score if plan else (0, 0)
    return {"weekday": words.weekday(day, locale), "date": words.short_date(day, locale),
            "done": done, "total": total, "bar": _bar(done, total),
            "rest": day.weekday() in roadmap.schedule.rest_days, "planned": plan is not None,
            "studied": day in studied, "future": day > today}


def topics_closed(roadmap: Roadmap, state: StudyState, first: dt.date,
                  last: dt.date) -> list[dict[str, Any]]:
    """The topics finished (not merely closed) between two local dates."""
    tz = roadmap.learner.tz
    closed = []
    for topic in roadmap.topics:
        row = state.topics.get(topic.id)
        if row and row.done and row.closed_at and \
                first <= row.closed_at.astimezone(tz).date() <= last:
            closed.append({"title": topic.title, "link": f"#{row.number}"})
    return closed


def redo_done(roadmap: Roadmap, state: StudyState, retro_day: dt.date) -> list[dict[str, Any]]:
    """The redo day's problems (in that day's plan), and whether each was redone."""
    plan = state.plans.get(retro_day)
    pool = {p.id: p for p in roadmap.problems}
    if plan is None:
        return []
    return [{"title": pool[pid].title, "link": pool[pid].url, "done": ticked}
            for ident, ticked in plan.boxes.items()
            if item_kind(ident) == REDO and (pid := ident.split(":", 1)[1]) in pool]


def next_week(roadmap: Roadmap, state: StudyState, retro_day: dt.date,
              shown: int = NEXT_WEEK_TOPICS) -> list[dict[str, Any]]:
    """The topics next week would work on, in order, each a box to tick to put it first:
    their steps and hours next week, then other open topics that are ready."""
    monday = retro_day - dt.timedelta(days=retro_day.weekday()) + dt.timedelta(days=7)
    per_topic: dict[str, list[planner.Piece]] = {}
    for piece in planner.week_ahead(roadmap, state, monday):
        per_topic.setdefault(piece.topic.id, []).append(piece)
    begun = {s.id for s in roadmap.stages if s.start <= monday + dt.timedelta(days=6)}
    ready = [t.id for t in planner.work_order(roadmap, state, monday)
             if t.stage_id in begun and planner.ready(t, roadmap, state)
             and t.id not in per_topic]
    rows = []
    for ident in [*per_topic, *ready][:shown]:
        topic = roadmap.topics_by_id[ident]
        pieces = per_topic.get(ident, [])
        row = state.topics.get(ident)
        hours = round(sum(p.hours for p in pieces), 1)
        rows.append({"id": item_id(WEEK, "first", ident), "title": topic.title,
                     "link": f"#{row.number}" if row else "",
                     "hours": format_hours(hours) if hours else ""})
    return rows


def reflection_answer(comments: list[str]) -> str | None:
    """What the learner said to "one thing to do more or less next week", from their replies
    to the retro (newest first): the line numbered 3, or naming more/less, else the last line
    of the newest reply."""
    for text in comments:
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        for line in lines:
            match = _THIRD.match(line)
            if match:
                return _short(match.group(1))
        for line in lines:
            if _MORE_LESS.search(line):
                return _short(line)
    for text in comments:
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        if lines:
            return _short(lines[-1])
    return None


_THIRD = re.compile(r"^(?:[-*]\s*)?[3３][.．、)）:：]\s*(.+)$")
_MORE_LESS = re.compile(r"多做|少做|do more|do less|\bmore of\b|\bless of\b", re.IGNORECASE)


def _short(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def last_reflection(store: Store, state: StudyState, week: str,
                    trusted: Trusted) -> str | None:
    """The learner's "more or less" answer in their replies to the latest earlier retro: one
    read of its comments, only when it has any."""
    earlier = [r for w, r in sorted(state.retros.items()) if w < week]
    if not earlier or earlier[-1].comments == 0:
        return None
    replies = [c.body for c in reversed(store.list_comments(earlier[-1].number))
               if trusted.wrote(c) and "study-tracker:comment" not in c.body]
    return reflection_answer(replies)


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
    context = retro_context(roadmap, state, retro_day, today, commits or {},
                            last_reflection(store, state, week, trusted))
    template = environment().get_template(f"{roadmap.learner.locale}/retro.md.j2")
    title = retro_title(roadmap, retro_day)
    body = keys.compose(keys.Key("retro", week, {"t": keys.digest(title)}),
                        template.render(**context))
    issue = store.create_issue(title, body, [KIND_LABELS["retro"]], None,
                               assignees=[store.owner])
    report.opened = issue
    report.lines.append(f"Opened the retro of {week}: #{issue.number} {issue.title}")
    return report
