"""`tracker daily`: the day's plan issue, opened each morning, local time.

A catch-up job: run at any hour, it closes the plans of past days with their score and opens
today's if the learner's morning has come and it is not open yet; run again, it does nothing.
Missed days leave no backlog: today's plan notes the gap and carries what was left open. A plan
ticked off before the day is over gets a short "next up" section at the next run.

`plan_day` decides the day (pure: the roadmap, the learner's state, the date); `plan_context`
turns it into what the template shows; the rest reads and writes the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from . import keys, planner, weekly, words
from .labels import KIND_LABELS
from .memory import PROBLEM_CARD, QUESTION_CARD, Memory
from .memory_cache import Cached
from .model import (
    AlgorithmProblem,
    Checkpoint,
    InterviewQuestion,
    Range,
    Roadmap,
    Routine,
    Stage,
)
from .planner import Piece, WeekChoices
from .reading import real_issue
from .render import environment, format_hours
from .review_figures import memory_of_plans
from .review_section import review_items
from .reviews import DueCard, redo_cards, reviews_for
from .rows import issue_block
from .state import (
    CHECKPOINT,
    HARD,
    NEXT_UP,
    OPTIONAL_KEY,
    PROBLEM,
    QUESTION,
    REDO,
    ROUTINE,
    TOPIC_STEP,
    PlanRecord,
    StudyState,
    item_id,
    item_kind,
    parse_step_item,
    read_state,
    scored_boxes,
    sessions_ticked,
)
from .store.base import Issue, Store, Trusted, trusted_authors
from .streak import current_streak, is_study_day, study_days

MAX_CARRIED = 12  # a learner back after a long break sees the oldest open steps first
_DIFFICULTY = {"zh-CN": {"easy": "简单", "medium": "中等", "hard": "困难"},
               "en": {"easy": "easy", "medium": "medium", "hard": "hard"}}
_SESSION = {"zh-CN": "（第 {n}/{of} 次）", "en": " (session {n} of {of})"}
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


@dataclass(frozen=True)
class WeeklyPlan:
    """A track's weekly time in the day's plan: the next steps of its topics, or its task."""

    box: weekly.Box
    pieces: list[Piece]

    @property
    def hours(self) -> float:
        return sum(p.hours for p in self.pieces) if self.pieces else self.box.hours


@dataclass(frozen=True)
class DayPlan:
    """Everything the day's plan holds, decided for one day."""

    day: dt.date
    budget: float  # hours: the schedule's, times the retro's lighter/heavier choice
    choices: WeekChoices
    carried: list[Piece]
    waiting: int  # steps left last time that are not in today's plan: they stay open
    focus: planner.Focus
    problems: list[AlgorithmProblem]
    carried_problems: list[AlgorithmProblem]
    review: list[DueCard]  # the cards due today, within the review budget
    redo: list[DueCard]  # on the redo day: problems to rewrite closed-book
    question: InterviewQuestion | None
    routines: list[Routine]
    sections: Mapping[str, Routine]  # routines that are the review or redo section
    checkpoints: list[Checkpoint]
    minutes_per_problem: int
    free: bool = False  # no other line's weekly time today: ranges take their maximum
    weekly: list[WeeklyPlan] = field(default_factory=list)

    def hours_of(self, part: str) -> float:
        """The hours of one part of the plan."""
        per_problem = self.minutes_per_problem / 60
        if part == "carried":
            return sum(p.hours for p in self.carried)
        if part == "weekly":
            return sum(w.hours for w in self.weekly)
        if part == "focus":
            return self.focus.hours
        if part == "problems":
            return per_problem * (len(self.problems) + len(self.carried_problems))
        if part == "review":
            return sum(d.card.minutes for d in self.review) / 60
        if part == "redo":
            return _section_hours(self.sections.get("redo"), len(self.redo),
                                  planner.REDO_MINUTES, self.free) if self.redo else 0.0
        if part == "question":
            return planner.QUESTION_MINUTES / 60 if self.question else 0.0
        return sum(routine_minutes(r, self.free) for r in self.routines) / 60  # routines

    @property
    def planned(self) -> float:
        return sum(self.hours_of(part) for part in _PARTS)

    def topics(self) -> frozenset[str]:
        return frozenset(p.topic.id for p in self.pieces())

    def pieces(self) -> list[Piece]:
        """Every topic step the plan holds: carried, weekly time, focus."""
        return [*self.carried, *(p for w in self.weekly for p in w.pieces),
                *self.focus.pieces]


_PARTS = ("carried", "weekly", "focus", "problems", "review", "redo", "question", "routines")


def routine_minutes(routine: Routine, free: bool) -> float:
    """A routine's minutes today: of a range, the minimum on a tight day, the maximum on a
    free one."""
    return weekly.pick(routine.duration, free) if routine.duration else 0.0


def _section_hours(routine: Routine | None, count: int, minutes_each: int,
                   free: bool) -> float:
    """A section's time: its routine's minutes if the learner gave them, else per item."""
    if routine is not None and routine.duration:
        return routine_minutes(routine, free) / 60
    return count * minutes_each / 60


def local_now(roadmap: Roadmap, now: dt.datetime) -> dt.datetime:
    return now.astimezone(roadmap.learner.tz)


# -- deciding the day ---------------------------------------------------------------------------
def carried_work(roadmap: Roadmap, state: StudyState,
                 previous: PlanRecord | None) -> tuple[list[Piece], list[AlgorithmProblem]]:
    """What the previous plan left unticked and is still to do: steps (or their sessions)
    still open in their topics, and problems. Next-up extras are not carried."""
    if previous is None:
        return [], []
    done = sessions_ticked(state.plans.values())
    pieces: list[Piece] = []
    problems: list[AlgorithmProblem] = []
    pool = {p.id: p for p in roadmap.problems}
    for ident, ticked in previous.boxes.items():
        if ticked:
            continue
        if ident.startswith(PROBLEM + ":") and ident[2:] in pool:
            problems.append(pool[ident[2:]])
            continue
        parsed = parse_step_item(ident) if ident.startswith(TOPIC_STEP + ":") else None
        topic = roadmap.topics_by_id.get(parsed[0]) if parsed else None
        if parsed is None or topic is None:
            continue
        _, box, session, _ = parsed
        # Done meanwhile in the topic itself, or gone from the roadmap: not carried.
        piece = next((p for p in planner.remaining_pieces(topic, state, done)
                      if p.box.id == box and (not session or p.session == session)), None)
        if piece is not None and not piece.optional:  # an optional step is never carried
            pieces.append(piece)
    return pieces, problems


def todays_problems(roadmap: Roadmap, day: dt.date,
                    carried: list[AlgorithmProblem]) -> list[AlgorithmProblem]:
    """The day's new problems; problems left open are carried instead of new ones, so a
    missed week does not pile up."""
    carried_ids = {p.id for p in carried}
    new = [p for p in planner.problems_for(roadmap, day) if p.id not in carried_ids]
    return new[:max(0, len(new) - len(carried))]


def flagged_this_week(state: StudyState, day: dt.date) -> list[str]:
    """The cards of the problems flagged "hard one?" in the week's plans before `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return [f"{PROBLEM_CARD}:{ident.split(':', 1)[1]}"
            for plan in state.plans_between(monday, day - dt.timedelta(days=1))
            for ident in plan.ticked(HARD)]


def redo_today(roadmap: Roadmap, state: StudyState, day: dt.date, memory: Mapping[str, Memory],
               todays: list[AlgorithmProblem]) -> list[DueCard]:
    """On the redo day (the retro's weekday): the problems to rewrite closed-book, those
    flagged "hard one?" this week first, then the due ones least likely recalled; not one
    that is among today's problems anyway (carried over)."""
    if not roadmap.problems or not planner.is_redo_day(roadmap, day):
        return []
    skip = frozenset(f"{PROBLEM_CARD}:{p.id}" for p in todays)
    return redo_cards(roadmap, memory, day, flagged_this_week(state, day), skip,
                      planner.REDO_MAX)


def todays_reviews(roadmap: Roadmap, memory: Mapping[str, Memory], day: dt.date,
                   elsewhere: Iterable[str]) -> list[DueCard]:
    """The cards due today within the review budget, but not those the day has `elsewhere`
    (a problem to redo or to solve, the day's question): they are reviewed there."""
    return reviews_for(roadmap, memory, day, frozenset(elsewhere))


def plan_day(roadmap: Roadmap, state: StudyState, day: dt.date,
             memory: Mapping[str, Memory] | None = None) -> DayPlan:
    """Decide the day: what was left, the focus that fills the day's hours, the problems,
    reviews and redo, the question, the routines and checkpoints. `memory` is the cards'
    memory on the morning of `day` (replayed from `state` when not given)."""
    if memory is None:
        memory = memory_of_plans(roadmap, state.plans.values(), day)
    choices = planner.week_choices(roadmap, state, day)
    free = weekly.is_free(roadmap, day)
    budget = weekly.pick(roadmap.schedule.budget_range_on(day), free) * choices.factor
    slack = planner.TOLERANCE * budget
    previous = state.previous_plan(day)
    left_over, carried_problems = carried_work(roadmap, state, previous)
    carried = left_over
    problems = todays_problems(roadmap, day, carried_problems)
    redo = redo_today(roadmap, state, day, memory, [*carried_problems, *problems])
    elsewhere = [*(d.card.id for d in redo),
                 *(f"{PROBLEM_CARD}:{p.id}" for p in [*carried_problems, *problems])]
    routines = planner.routines_for(roadmap, day)
    base = DayPlan(day, budget, choices, [], 0, planner.Focus(), problems, carried_problems,
                   todays_reviews(roadmap, memory, day, elsewhere), redo, None,
                   [r for r in routines if r.section is None],
                   {r.section: r for r in roadmap.routines if r.section},
                   planner.checkpoints_due(roadmap, day, planner.chosen_branches(roadmap, state)),
                   planner.minutes_per_problem(roadmap, day),
                   free, weekly_time(roadmap, state, day, choices.first))
    if choices.first:  # the learner put topics first: the others' leftovers come after them
        carried = [p for p in carried if p.topic.id in choices.first]
    timed = weekly.timed_tracks(roadmap, day)  # their shortfall moves on within the week
    carried = [p for p in carried if p.topic.track_id not in timed]
    in_plan = frozenset(p.topic.id for p in carried)
    asks = planner.question_for(roadmap, state, day, in_plan) is not None
    fixed = base.planned + (planner.QUESTION_MINUTES / 60 if asks else 0.0)
    kept = planner.fit_carried(roadmap, state, day, carried, budget - fixed, slack,
                               MAX_CARRIED)
    in_weekly = frozenset(p.item() for w in base.weekly for p in w.pieces)
    focus = planner.choose_focus(roadmap, state, day, budget - fixed, slack, exclude=in_weekly,
                                 first=choices.first, carried=kept)
    planned = {p.item() for p in kept} | focus.items() | in_weekly
    in_plan = frozenset(p.topic.id for p in [*kept, *focus.pieces, *base.pieces()])
    question = planner.question_for(roadmap, state, day, in_plan)
    review = base.review
    if question is not None and any(d.card.id == f"{QUESTION_CARD}:{question.id}"
                                    for d in review):  # asked today: answered, not reviewed
        review = todays_reviews(roadmap, memory, day,
                                [*elsewhere, f"{QUESTION_CARD}:{question.id}"])
    return replace(base, carried=kept, focus=focus, question=question, review=review,
                   waiting=sum(1 for p in left_over if p.item() not in planned))


def weekly_time(roadmap: Roadmap, state: StudyState, day: dt.date,
                first: tuple[str, ...] = ()) -> list[WeeklyPlan]:
    """Each track's weekly time today (a quota's hours, a session), filled with the next steps
    of the track's topics, or left to the track's task when none is ready."""
    plans: list[WeeklyPlan] = []
    taken: frozenset[str] = frozenset()
    for box in weekly.boxes_today(roadmap, state, day):
        pieces = planner.weekly_pieces(roadmap, state, day, box.track_id, box.hours, first,
                                       taken)
        taken |= {p.item() for p in pieces}
        plans.append(WeeklyPlan(box, pieces))
    return plans


def shortfall(roadmap: Roadmap, state: StudyState, plan: DayPlan) -> str | None:
    """Why the plan's hours are off the day's budget by more than the tolerance, if they are.

    Too long: 'fixed' (problems, review and routines alone fill the day), 'steps' (the next
    step is long). Too short: 'limit' (the item limit), 'done' (nothing left), 'steps' (the
    next steps do not fit the time left), 'weekly' (the rest is in tracks with weekly time,
    placed over the week's days), 'tracks' (the ready topics' tracks do not run today),
    'blocked' (the rest waits on dependencies), 'decision' (the rest waits on a decision's
    choice)."""
    low, high = (1 - planner.TOLERANCE) * plan.budget, (1 + planner.TOLERANCE) * plan.budget
    if plan.planned > high + 1e-9:
        return "steps" if plan.focus.pieces and plan.planned - plan.focus.hours < high \
            else "fixed"
    if plan.planned >= low - 1e-9:
        return None
    if plan.focus.limited:
        return "limit"
    every_open = [t for t in roadmap.topics if planner.open_boxes(t, state)]
    if not every_open:
        return "done"
    planned = {s.id for s in planner.planned_stages(roadmap, state)}
    open_topics = [t for t in every_open if t.stage_id in planned]
    if not open_topics:  # the rest is on the ways of a decision: asked today, or later
        return "decision" if any(c.choices for c in plan.checkpoints) else "done"
    items = {p.item() for p in plan.pieces()}
    done = sessions_ticked(state.plans.values())
    ready = [t for t in open_topics if any(
        p.item() not in items for p in planner.remaining_pieces(t, state, done)) and all(
        d in plan.focus.finished or planner.finished(d, roadmap, state) for d in t.depends_on)]
    timed = weekly.timed_tracks(roadmap, plan.day)
    if any(planner.runs_on(roadmap, t.track_id, plan.day) for t in ready
           if t.track_id not in timed):
        return "steps"
    if any(t.track_id in timed for t in ready):
        return "weekly"
    return "tracks" if ready else "blocked"


def focus_stages(roadmap: Roadmap, state: StudyState, plan: DayPlan) -> list[Stage]:
    """The stages the day's work comes from (at most two), else the day's own stage."""
    seen: list[Stage] = []
    for piece in plan.pieces():
        stage = roadmap.stages_by_id[piece.topic.stage_id]
        if stage not in seen:
            seen.append(stage)
    if seen:
        return seen[:2]
    chosen = planner.chosen_branches(roadmap, state)
    today = [s for s in roadmap.stages_on(plan.day) if planner.is_planned(s, chosen)]
    return today[:1] or planner.begun_stages(roadmap, state, plan.day)[:1]


# -- what the template shows --------------------------------------------------------------------
def plan_context(roadmap: Roadmap, state: StudyState, day: dt.date,
                 commits: Mapping[dt.date, int] | None = None,
                 cached: Cached | None = None) -> dict[str, Any]:
    """Everything the plan template shows, chosen for `day`; `cached` is the cards' memory
    the dashboard kept, if any (the same plan either way, sooner)."""
    plan = plan_day(roadmap, state, day, memory_of_plans(roadmap, state.plans.values(), day,
                                                         cached))
    locale = roadmap.learner.locale
    previous = state.previous_plan(day)
    history = [p for d, p in state.plans.items() if d < day]
    return {
        "locale": locale,
        "day": day,
        "date": words.full_date(day, locale),
        "day_number": (day - roadmap.schedule.start).days + 1,
        "stages": [stage_line(s, day, locale) for s in focus_stages(roadmap, state, plan)],
        # The streak as the dashboard shows it at this moment: today is not over yet.
        "streak": current_streak(study_days(history, commits or {}),
                                 roadmap.schedule.rest_days, day),
        "light": day.weekday() in roadmap.schedule.light_days,
        "budget": round(plan.budget, 1),
        "planned": round(plan.planned, 1),
        "shortfall": shortfall(roadmap, state, plan),
        "waiting": plan.waiting,
        "choices": choices_context(roadmap, plan.choices),
        "gap": (day - previous.day).days - 1 if previous is not None else 0,
        "previous_date": words.short_date(previous.day, locale) if previous else None,
        "carried": topic_groups(roadmap, state, plan.carried, TOPIC_STEP),
        "weekly": [weekly_item(roadmap, state, w) for w in plan.weekly],
        "focus": focus_groups(roadmap, state, plan.focus.pieces),
        "problems": [problem_item(p, locale, carried=True) for p in plan.carried_problems]
        + [problem_item(p, locale) for p in plan.problems],
        "redo_weekday": redo_day_name(roadmap, day),
        "review": review_items(plan.review, locale),
        "review_minutes": sum(d.card.minutes for d in plan.review),
        "review_routine": _routine_item(plan.sections.get("review"), plan.free)
        if plan.review else None,
        "redo": redo_items(plan.redo, flagged_this_week(state, day)),
        "redo_routine": _routine_item(plan.sections.get("redo"), plan.free) if plan.redo else None,
        "redo_hours": round(plan.hours_of("redo"), 1),
        "question": question_item(state, plan.question),
        "routines": [_routine_item(r, plan.free) for r in plan.routines],
        "checkpoints": [checkpoint_item(c) for c in plan.checkpoints],
        "optional": optional_ids(plan),
    }


def stage_line(stage: Stage, day: dt.date, locale: str) -> dict[str, Any]:
    """A stage as the header shows it: days left, overdue, begun ahead of its dates, or
    ongoing (no end)."""
    return {"title": stage.title, "ongoing": stage.ongoing,
            "days_left": (stage.due - day).days if stage.due else None,
            "ahead": stage.start > day, "start": words.short_date(stage.start, locale),
            "due": words.short_date(stage.due, locale) if stage.due else None}


def weekly_item(roadmap: Roadmap, state: StudyState, plan: WeeklyPlan) -> dict[str, Any]:
    """A track's weekly time as the plan shows it: the week's figure, what is done, and the
    steps (or the task) for today."""
    box = plan.box
    track = roadmap.tracks_by_id[box.track_id]
    task = None if plan.pieces else _item(weekly.task_item(box.track_id, box.hours),
                                          box.task or track.name, hours=box.hours)
    return {"track": track.name, "kind": box.kind, "hours": format_hours(round(plan.hours, 2)),
            "week": str(Range(round(box.week.low, 1), round(box.week.high, 1))),
            "done": round(box.done, 2) if box.kind == "quota" else int(box.done),
            "topics": topic_groups(roadmap, state, plan.pieces, TOPIC_STEP), "task": task}


def choices_context(roadmap: Roadmap, choices: WeekChoices) -> dict[str, Any] | None:
    """What the last retro's ticks change this week, for the header."""
    if not choices.first and choices.factor == 1.0:
        return None
    return {"first": [roadmap.topics_by_id[t].title for t in choices.first],
            "percent": round((choices.factor - 1) * 100)}


def topic_groups(roadmap: Roadmap, state: StudyState, pieces: list[Piece],
                 kind: str) -> list[dict[str, Any]]:
    """Pieces grouped under their topic (named once, with its issue), in the plan's order."""
    groups: dict[str, dict[str, Any]] = {}
    for piece in pieces:
        row = state.topics.get(piece.topic.id)
        group = groups.setdefault(piece.topic.id, {
            "title": piece.topic.title, "link": f"#{row.number}" if row else None,
            "hours": 0.0, "items": []})
        group["hours"] += piece.hours
        group["items"].append(_item(piece.item(kind), piece_text(piece, roadmap.learner.locale),
                                    hours=piece.hours, optional=piece.optional))
    for group in groups.values():
        group["hours"] = format_hours(round(group["hours"], 2))
    return list(groups.values())


def focus_groups(roadmap: Roadmap, state: StudyState,
                 pieces: list[Piece]) -> list[dict[str, Any]]:
    """The focus under one heading, or one heading per track when tracks have shares."""
    by_track = any(t.share is not None for t in roadmap.tracks) or any(
        s.shares for s in roadmap.stages)
    rank = {t.id: n for n, t in enumerate(roadmap.tracks)}
    tracks: dict[str | None, list[Piece]] = {}
    for piece in sorted(pieces, key=lambda p: rank[p.topic.track_id]) if by_track else pieces:
        tracks.setdefault(piece.topic.track_id if by_track else None, []).append(piece)
    return [{"track": roadmap.tracks_by_id[t].name if t else None,
             "hours": round(sum(p.hours for p in group), 1),
             "topics": topic_groups(roadmap, state, group, TOPIC_STEP)}
            for t, group in tracks.items()]


def piece_text(piece: Piece, locale: str) -> str:
    if not piece.session:
        return piece.box.text
    return piece.box.text + _SESSION[locale].format(n=piece.session, of=piece.sessions)


def redo_items(redo: list[DueCard], flagged: list[str]) -> list[dict[str, Any]]:
    """The redo day's problems: each flagged hard or not, and how likely it is recalled."""
    return [{**_item(item_id(REDO, d.card.id.split(":", 1)[1]), d.card.front, d.card.link),
             "hard": d.card.id in flagged,
             "recall": None if d.recall is None else round(100 * d.recall)} for d in redo]


def problem_item(problem: AlgorithmProblem, locale: str, carried: bool = False
                 ) -> dict[str, Any]:
    item = _item(item_id(PROBLEM, problem.id), problem.title, problem.url)
    item["difficulty"] = _DIFFICULTY[locale].get(problem.difficulty or "", "")
    item["hard_id"] = item_id(HARD, problem.id)
    item["carried"] = carried
    return item


def question_item(state: StudyState, question: InterviewQuestion | None
                  ) -> dict[str, Any] | None:
    if question is None:
        return None
    row = state.topics.get(question.topic_id or "")
    return {**_item(item_id(QUESTION, question.id), question.question,
                    f"#{row.number}" if row else None), "hint": question.hint}


def _routine_item(routine: Routine | None, free: bool) -> dict[str, Any] | None:
    """A routine's box, with the minutes the day counts for it (see `routine_minutes`)."""
    if routine is None:
        return None
    return _item(item_id(ROUTINE, routine.id), routine.title,
                 hours=routine_minutes(routine, free) / 60,
                 optional=routine.optional)


def redo_day_name(roadmap: Roadmap, day: dt.date) -> str:
    """When a problem flagged hard today is redone: the retro's weekday, or next week's on the
    redo day itself (today's redo list is already made)."""
    locale = roadmap.learner.locale
    name = words.weekday(day + dt.timedelta(days=(roadmap.schedule.retro_weekday
                                                  - day.weekday()) % 7),
                         locale, long=locale == "en")
    if not planner.is_redo_day(roadmap, day):
        return name
    return f"下{name}" if locale == "zh-CN" else f"next {name}"


def _item(ident: str, text: str, link: str | None = None, hours: float = 0.0,
          optional: bool = False) -> dict[str, Any]:
    return {"id": ident, "text": text, "link": link, "hours": hours, "optional": optional}


def checkpoint_item(checkpoint: Checkpoint) -> dict[str, Any]:
    """A checkpoint as the plan shows it: its boxes, or for a decision its choices."""
    return {"title": checkpoint.title, "decision": bool(checkpoint.choices),
            "items": [_item(item_id(CHECKPOINT, checkpoint.id, b.id), b.text)
                      for b in checkpoint.items]
            + [_item(item_id(CHECKPOINT, checkpoint.id, c.id), c.text)
               for c in checkpoint.choices]}


def optional_ids(plan: DayPlan) -> list[str]:
    """The plan's optional items (steps of optional topics, optional steps and routines, a
    decision's choices, of which one is ticked), for its key: they count in the score only
    once ticked."""
    return sorted([p.item() for p in plan.pieces() if p.optional]
                  + [item_id(ROUTINE, r.id) for r in plan.routines if r.optional]
                  + [item_id(CHECKPOINT, c.id, choice.id) for c in plan.checkpoints
                     for choice in c.choices])


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
    return _SCORE[locale].format(day=plan.day.isoformat(), date=words.short_date(plan.day, locale),
                                 done=done, total=total, pct=words.percent(done, total),
                                 verdict=_VERDICT[locale][0 if is_study_day(done, total) else 1])


# -- finished early -----------------------------------------------------------------------------
def next_up_section(roadmap: Roadmap, state: StudyState, plan: PlanRecord) -> str | None:
    """For a plan whose every box is ticked, a short section of what comes next; None if
    something is still open in it (or nothing is left to do)."""
    if not plan.open or not all_done(plan.boxes):
        return None
    planned = frozenset(_as_step(i) for i in plan.boxes)
    choices = planner.week_choices(roadmap, state, plan.day)
    pieces = planner.next_up(roadmap, state, plan.day, planned, choices.first)
    if not pieces:
        return None
    template = environment().get_template(f"{roadmap.learner.locale}/next_up.md.j2")
    return template.render(topics=topic_groups(roadmap, state, pieces, NEXT_UP))


def all_done(boxes: Mapping[str, bool]) -> bool:
    """Every box of a plan ticked, next-up extras too: "hard" flags are not work, and a
    review ticked as hard was done."""
    work = {**scored_boxes(boxes),
            **{ident: ticked for ident, ticked in boxes.items() if item_kind(ident) == NEXT_UP}}
    return bool(work) and all(work.values())


def _as_step(ident: str) -> str:
    """A next-up item's id as the focus would name the same step."""
    return TOPIC_STEP + ident[1:] if ident.startswith(NEXT_UP + ":") else ident


def with_section(issue: Issue, section: str) -> str:
    """The plan's body with a section added at the end of its own block, above the footnote;
    the learner's text around it is kept."""
    parsed = issue_block(issue)
    assert parsed is not None
    lines = parsed.block.rstrip("\n").split("\n")
    at = next((n for n in range(len(lines) - 1, -1, -1) if lines[n].startswith("<sub>")),
              len(lines))
    block = "\n".join([*lines[:at], section.strip("\n"), "", *lines[at:]])
    return keys.compose(parsed.key, block, parsed.before, parsed.after)


def add_next_up(roadmap: Roadmap, store: Store, today: Issue,
                issues: Iterable[Issue] | None, trusted: Trusted) -> Issue | None:
    """Give today's plan, ticked off early, its next steps; None when it needs none."""
    body = issue_block(today)
    if today.state != "open" or body is None or not all_done(keys.boxes(body.block)):
        return None  # something is still open: nothing to add, and no listing to read
    state = read_state(store.list_issues() if issues is None else issues, trusted)
    plan = next((p for p in state.plans.values() if p.number == today.number), None)
    section = next_up_section(roadmap, state, plan) if plan is not None else None
    if section is None:
        return None
    today = real_issue(store, today)  # made from the ledger: its text is read first
    real = issue_block(today)
    if real is None or not all_done(keys.boxes(real.block)):
        return None
    return store.update_issue(today.number, body=with_section(today, section))


# -- reading and writing the store --------------------------------------------------------------
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
                    issues: Iterable[Issue] | None = None,
                    cached: Cached | None = None) -> DailyReport:
    """Close past plans and open today's, if due and not done yet; give a plan ticked off
    early its next steps.

    `issues` may pass a listing already made in this run (by `tick`), saving the read;
    `cached` the cards' memory the dashboard kept (dashboard/cards.json), if any.
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
    issues = list(issues) if issues is not None else None
    found, listing = find_recent(store, "daily", today.isoformat(), trusted, issues,
                                 title=plan_title(roadmap, today))
    if found is not None:
        report.lines.append(f"Today's plan is already open: #{found.number}.")
        grown = add_next_up(roadmap, store, found, issues, trusted)
        if grown is not None:
            report.updated.append(grown)
            report.lines.append(f"Every box of #{found.number} is ticked: added what comes "
                                f"next.")
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
    context = plan_context(roadmap, state, today, commits, cached)
    title = plan_title(roadmap, today)
    written: dict[str, Any] = {"t": keys.digest(title)}
    if context["optional"]:
        written[OPTIONAL_KEY] = context["optional"]
    key = keys.Key("daily", today.isoformat(), written)
    body = keys.compose(key, render_plan(roadmap, context))
    issue = store.create_issue(title, body, [KIND_LABELS["daily"]], None,
                               assignees=[store.owner])  # assigned: the learner's phone hears
    report.opened = issue
    report.lines.append(f"Opened today's plan: #{issue.number} {issue.title}")
    return report
