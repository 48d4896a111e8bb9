"""The lists the daily plan draws from: algorithm problems, interview questions, routines and
checkpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import ALL_DAYS, AlgorithmProblem, Checkpoint, InterviewQuestion, Routine
from ..schema_check import suggest
from .context import Context, as_list, ident, items, weekdays
from .durations import after


def read_problems(ctx: Context, raw: Any) -> list[AlgorithmProblem]:
    found = []
    ids = []
    for index, item in items(raw):
        ctx.title(item.get("title"), ("problems", index, "title"))
        problem_id = str(item.get("id", ""))
        ids.append((problem_id, ("problems", index, "id")))
        found.append(AlgorithmProblem(id=problem_id, title=str(item.get("title", "")),
                                      url=item.get("url"), difficulty=item.get("difficulty"),
                                      tags=tuple(item.get("tags") or ())))
    ctx.unique(ids, "problem")
    return found


def read_questions(ctx: Context, raw: Any, topic_ids: set[str],
                   stage_ids: set[str]) -> list[InterviewQuestion]:
    found = []
    ids = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        path = ("interview_questions", index)
        if isinstance(item, str):
            item = {"question": item}
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            continue
        question_id = ident(item, item["question"])
        ids.append((question_id, path))
        topic = item.get("topic")
        if isinstance(topic, str) and topic not in topic_ids:
            ctx.error((*path, "topic"), f"no topic '{topic}'{suggest(topic, topic_ids)}")
        stage = item.get("stage")
        if isinstance(stage, str) and stage not in stage_ids:
            ctx.error((*path, "stage"), f"no stage '{stage}'{suggest(stage, stage_ids)}")
        if topic is not None and stage is not None:
            ctx.error((*path, "stage"), "a question follows its topic or its stage: keep "
                                        "one (the topic already says its stage)", at_key=True)
        found.append(InterviewQuestion(id=question_id, question=item["question"].strip(),
                                       topic_id=topic, hint=item.get("hint"),
                                       tags=tuple(item.get("tags") or ()),
                                       stage_id=stage if isinstance(stage, str) else None))
    ctx.unique(ids, "interview question")
    return found


def read_routines(ctx: Context, raw: Any, stage_ids: set[str]) -> list[Routine]:
    found: list[Routine] = []
    ids = []
    for index, item in items(raw):
        path = ("routines", index)
        title = ctx.title(item.get("title"), (*path, "title"))
        routine_id = ident(item, title)
        ids.append((routine_id, (*path, "id") if "id" in item else (*path, "title")))
        stages = as_list(item.get("stages"))
        for si, stage in enumerate(stages):
            if stage not in stage_ids:
                ctx.error((*path, "stages", si),
                          f"no stage '{stage}'{suggest(str(stage), stage_ids)}")
        section = item.get("section") if item.get("section") in ("review", "redo") else None
        if section and any(r.section == section for r in found):
            ctx.error((*path, "section"), f"another routine is already the plan's {section} "
                                          f"section: keep one")
        found.append(Routine(id=routine_id, title=title,
                             weekdays=weekdays(item.get("weekdays")) or ALL_DAYS,
                             minutes=item.get("minutes"), stage_ids=tuple(stages),
                             section=section))
    ctx.unique(ids, "routine")
    return found


def read_checkpoints(ctx: Context, raw: Any, start: dt.date | None) -> list[Checkpoint]:
    found = []
    ids = []
    for index, item in items(raw):
        path = ("checkpoints", index)
        title = ctx.title(item.get("title"), (*path, "title"))
        checkpoint_id = ident(item, title)
        ids.append((checkpoint_id, (*path, "id") if "id" in item else (*path, "title")))
        if ("due" in item) == ("after" in item):
            ctx.error(path, "give a checkpoint either due: YYYY-MM-DD or after: "
                            "\"3 months\" (one of them)")
            continue
        due = (ctx.date(item["due"], (*path, "due")) if "due" in item
               else after(item["after"], start) if start else None)
        boxes = ctx.checklist(item.get("items"), (*path, "items"))
        ctx.unique([(c.id, p) for c, p in boxes], "checkbox")
        if due is not None:
            found.append(Checkpoint(id=checkpoint_id, title=title, due=due,
                                    items=tuple(c for c, _ in boxes)))
    ctx.unique(ids, "checkpoint")
    return found
