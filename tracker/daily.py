"""`tracker daily`: the day's plan issue, opened each morning, local time.

A catch-up job: run at any hour, it closes the plans of past days with their score and opens
today's if the learner's morning has come and it is not open yet; run again, it does nothing.
Missed days leave no backlog: today's plan notes the gap and carries what was left open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import keys, planner, words
from .labels import KIND_LABELS
from .model import Roadmap
from .render import environment
from .rows import issue_block
from .state import (
    CHECKPOINT,
    HARD,
    PROBLEM,
    QUESTION,
    REVIEW,
    ROUTINE,
    TOPIC_STEP,
    PlanRecord,
    StudyState,
    item_id,
    read_state,
)
from .store.base import Issue, Store, Trusted, trusted_authors
from .streak import current_streak, study_days

MAX_CARRIED = 12
_DIFFICULTY = {"zh-CN": {"easy": "简单", "medium": "中等", "hard": "困难"},
               "en": {"easy": "easy", "medium": "medium", "hard": "hard"}}
_SCORE = {
    "zh-CN": "<!-- study-tracker:comment score {day} -->\n📊 {date}：完成 {done}/{total}（{pct}）。"
             "{verdict}",
    "en": "<!-- study-tracker:comment score {day} -->\n📊 {date}: {done}/{total} done ({pct}). "
          "{verdict}",
}
_VERDICT = {
    "zh-CN": ("算作学习日 ✅", "未达到一半，不算学习日。"),
    "en": ("It counts as a study day ✅", "Under half, so not a study day."),
}


@dataclass
class DailyReport:
    """What a daily run did, for the log and the job summary."""

    lines: list[str] = field(default_factory=list)
    opened: Issue | None = None
    closed: list[int] = field(default_factory=list)
    updated: list[Issue] = field(default_factory=list)  # the closed plans, as they are now


def local_now(roadmap: Roadmap, now: dt.datetime) -> dt.datetime:
    return now.astimezone(roadmap.learner.tz)


def plan_context(roadmap: Roadmap, state: StudyState, day: dt.date,
                 commits: Mapping[dt.date, int] | None = None) -> dict[str, Any]:
    """Everything the plan template shows, chosen for `day`."""
    locale = roadmap.learner.locale
    schedule = roadmap.schedule
    previous = state.previous_plan(day)
    topics = roadmap.topics_by_id

    def topic_link(topic_id: str) -> str | None:
        row = state.topics.get(topic_id)
        return f"#{row.number}" if row else None

    carried = []
    carried_keys: set[str] = set()
    if previous is not None:
        for ident, ticked in previous.boxes.items():
            kind, _, rest = ident.partition(":")
            if ticked or kind not in (TOPIC_STEP, PROBLEM):
                continue
            if kind == TOPIC_STEP:
                topic_id, _, box_id = rest.partition(":")
                topic = topics.get(topic_id)
                row = state.topics.get(topic_id)
                box = next((b for b in topic.checkboxes if b.id == box_id), None) \
                    if topic else None
                if topic is None or box is None or row is None or not row.open \
                        or box_id in row.ticked:
                    continue  # done meanwhile in the topic itself, or gone from the roadmap
                carried.append(_item(ident, box.text, topic_link(topic_id), topic.title,
                                     planner.box_hours(topic)))
                carried_keys.add(rest)
            else:
                problem = next((p for p in roadmap.problems if p.id == rest), None)
                if problem is not None:
                    carried.append(_problem_item(problem, locale))
                    carried_keys.add(ident)

    # A learner back after a long break sees the oldest open steps first; the rest are not
    # lost (they stay unticked in their topics) and come back as focus later.
    carried = carried[:MAX_CARRIED]
    carried_keys = {i["id"].split(":", 1)[1] if i["id"].startswith(TOPIC_STEP + ":") else i["id"]
                    for i in carried}
    budget = schedule.budget_on(day)
    fixed_hours = sum(item["hours"] for item in carried)
    # Problems left open are carried instead of new ones, so a missed week does not pile up.
    carried_problems = sum(1 for key in carried_keys if key.startswith(PROBLEM + ":"))
    todays = [p for p in planner.problems_for(roadmap, day)
              if item_id(PROBLEM, p.id) not in carried_keys]
    problems = todays[: max(0, len(todays) - carried_problems)]
    minutes_per_problem = {t.id: t.minutes_per_item for t in roadmap.tracks
                           if t.kind == "problems"}
    per_problem = max(minutes_per_problem.values(), default=45) / 60
    fixed_hours += per_problem * (len(problems) + sum(1 for i in carried
                                                      if i["id"].startswith(PROBLEM + ":")))
    routines = planner.routines_for(roadmap, day)
    fixed_hours += sum((r.minutes or 0) for r in routines) / 60
    focus_hours = max(budget - fixed_hours, 0.0)
    # When what was carried fills the day, the day is for catching up: nothing new.
    chosen = planner.choose_focus(roadmap, state, day, focus_hours,
                                  exclude=frozenset(carried_keys)) if focus_hours > 0 else {}
    focus: list[dict[str, Any]] = []
    for track_id, picks in chosen.items():
        track = roadmap.tracks_by_id.get(track_id) if track_id else None
        focus.append({
            "track": track.name if track else None,
            "hours": round(sum(p.hours for p in picks), 1),
            "items": [_item(item_id(TOPIC_STEP, p.topic.id, p.box.id), p.box.text,
                            topic_link(p.topic.id), p.topic.title, p.hours) for p in picks],
        })

    review = []
    if previous is not None:
        for ident in previous.items(PROBLEM):
            problem = next((p for p in roadmap.problems if p.id == ident.split(":", 1)[1]), None)
            if problem is not None and previous.boxes.get(ident):
                review.append(_item(item_id(REVIEW, problem.id), problem.title, problem.url))

    question = planner.question_for(roadmap, day)
    stages = []
    for stage in planner.current_stages(roadmap, state, day):
        stages.append({"title": stage.title, "days_left": (stage.due - day).days,
                       "due": words.short_date(stage.due, locale)})
    history = [p for d, p in state.plans.items() if d < day]
    streak = current_streak(study_days(history, commits or {}), schedule.rest_days,
                            day - dt.timedelta(days=1))
    gap = (day - previous.day).days - 1 if previous is not None else 0
    checkpoints = [{"title": c.title, "items": [_item(item_id(CHECKPOINT, c.id, b.id), b.text)
                                                 for b in c.items]}
                   for c in planner.checkpoints_due(roadmap, day)]
    planned = fixed_hours + sum(f["hours"] for f in focus)
    return {
        "locale": locale,
        "day": day,
        "date": words.full_date(day, locale),
        "day_number": (day - schedule.start).days + 1,
        "stages": stages,
        "streak": streak,
        "light": day.weekday() in schedule.light_days,
        "budget": round(budget, 1),
        "planned": round(planned, 1),
        "gap": gap,
        "previous_date": words.short_date(previous.day, locale) if previous else None,
        "carried": carried,
        "focus": focus,
        "problems": [_problem_item(p, locale) for p in problems],
        "review": review,
        "question": None if question is None else {
            **_item(item_id(QUESTION, question.id), question.question,
                    topic_link(question.topic_id) if question.topic_id else None),
            "hint": question.hint},
        "routines": [_item(item_id(ROUTINE, r.id), r.title, None, None,
                           (r.minutes or 0) / 60) for r in routines],
        "checkpoints": checkpoints,
    }


def _item(ident: str, text: str, link: str | None = None, source: str | None = None,
          hours: float = 0.0) -> dict[str, Any]:
    return {"id": ident, "text": text, "link": link, "source": source, "hours": hours}


def _problem_item(problem: Any, locale: str) -> dict[str, Any]:
    item = _item(item_id(PROBLEM, problem.id), problem.title, problem.url)
    item["difficulty"] = _DIFFICULTY[locale].get(problem.difficulty or "", "")
    item["hard_id"] = item_id(HARD, problem.id)
    return item


def plan_title(roadmap: Roadmap, day: dt.date) -> str:
    locale = roadmap.learner.locale
    number = (day - roadmap.schedule.start).days + 1
    if locale == "zh-CN":
        return f"📅 {words.short_date(day, locale)} {words.weekday(day, locale)} · 第 {number} 天"
    return f"📅 {words.weekday(day, locale)} {words.short_date(day, locale)} · day {number}"


def render_plan(roadmap: Roadmap, context: Mapping[str, Any]) -> str:
    template = environment().get_template(f"{roadmap.learner.locale}/daily.md.j2")
    return template.render(**context)


def score_comment(roadmap: Roadmap, plan: PlanRecord) -> str:
    locale = roadmap.learner.locale
    done, total = plan.score
    studied = total > 0 and done * 2 >= total
    return _SCORE[locale].format(day=plan.day.isoformat(), date=words.short_date(plan.day, locale),
                                 done=done, total=total, pct=words.percent(done, total),
                                 verdict=_VERDICT[locale][0 if studied else 1])


def _is_row(issue: Issue, kind: str, ident: str, trusted: Trusted) -> bool:
    body = issue_block(issue)
    return (body is not None and trusted.wrote(issue)
            and (body.key.kind, body.key.id) == (kind, ident))


def find_recent(store: Store, kind: str, ident: str, trusted: Trusted,
                issues: Iterable[Issue] | None = None,
                title: str | None = None) -> tuple[Issue | None, list[Issue]]:
    """Look for a row among the newest issues first, reading further only if it is not there.

    Returns the row if found (after reading as little as a page), else every issue; `issues`
    is a listing this run already made (by `tick`), searched instead of asking again. With
    `title`, a trusted issue of that exact title and kind label whose key the learner deleted
    counts as found too, so it is not opened twice.
    """
    seen: list[Issue] = []
    for issue in store.issues_newest_first() if issues is None else issues:
        if _is_row(issue, kind, ident, trusted):
            return issue, seen
        seen.append(issue)
    for issue in seen:
        if title is not None and issue.title == title and KIND_LABELS[kind] in issue.labels \
                and trusted.wrote(issue) and issue_block(issue) is None:
            return issue, seen
    return None, seen


def close_plan(roadmap: Roadmap, store: Store, plan: PlanRecord) -> Issue:
    """Close a past day's plan with its score; the comment goes first and is never doubled."""
    comment = score_comment(roadmap, plan)
    marker = comment.split("\n", 1)[0]
    trusted = trusted_authors(store)  # a stranger's copy of the marker does not count
    said = plan.row.issue.comments > 0 and any(
        marker in c.body and trusted.wrote(c)
        for c in store.list_comments(plan.number))
    if not said:
        store.create_comment(plan.number, comment)
    return store.update_issue(plan.number, state="closed", state_reason="completed")


def open_daily_plan(roadmap: Roadmap, store: Store, now: dt.datetime,
                    commits: Mapping[dt.date, int] | None = None,
                    issues: Iterable[Issue] | None = None) -> DailyReport:
    """Close past plans and open today's, if due and not done yet.

    `issues` may pass a listing already made in this run (by `tick`), saving the read.
    """
    report = DailyReport()
    local = local_now(roadmap, now)
    today = local.date()
    schedule = roadmap.schedule
    if today < schedule.start:
        report.lines.append(f"The plan starts on {schedule.start}; nothing to do yet.")
        return report
    if local.time() < schedule.day_opens_at:
        report.lines.append(f"Today's plan opens at {schedule.day_opens_at:%H:%M} "
                            f"({roadmap.learner.timezone}); nothing to do yet.")
        return report
    trusted = trusted_authors(store)
    found, listing = find_recent(store, "daily", today.isoformat(), trusted, issues,
                                 title=plan_title(roadmap, today))
    if found is not None:
        report.lines.append(f"Today's plan is already open: #{found.number}.")
        return report
    state = read_state(listing, trusted)
    for day, plan in sorted(state.plans.items()):
        # A plan the learner reopened after it was scored stays as they left it.
        if plan.open and day < today and plan.row.issue.state_reason != "reopened":
            report.updated.append(close_plan(roadmap, store, plan))
            report.closed.append(plan.number)
            done, total = plan.score
            report.lines.append(f"Closed the plan of {day} (#{plan.number}): {done}/{total}.")
    if schedule.budget_on(today) <= 0:
        report.lines.append(f"{today} is a rest day: no plan.")
        return report
    context = plan_context(roadmap, state, today, commits)
    title = plan_title(roadmap, today)
    key = keys.Key("daily", today.isoformat(), {"t": keys.digest(title)})
    body = keys.compose(key, render_plan(roadmap, context))
    issue = store.create_issue(title, body, [KIND_LABELS["daily"]], None,
                               assignees=[store.owner])  # assigned: the learner's phone hears
    report.opened = issue
    report.lines.append(f"Opened today's plan: #{issue.number} {issue.title}")
    return report
