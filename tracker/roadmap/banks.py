"""The lists the daily plan draws from: algorithm problems, interview questions, routines and
checkpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import ALL_DAYS, AlgorithmProblem, Checkpoint, Choice, InterviewQuestion, Routine
from ..schema_check import suggest
from ..yamlsource import Path
from .amounts import read_range
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
        if "optional" in item:
            ctx.uses((*path, "optional"), "optional")
        section = item.get("section") if item.get("section") in ("review", "redo") else None
        if section and any(r.section == section for r in found):
            ctx.error((*path, "section"), f"another routine is already the plan's {section} "
                                          f"section: keep one")
        found.append(Routine(id=routine_id, title=title,
                             weekdays=weekdays(item.get("weekdays")) or ALL_DAYS,
                             duration=read_range(ctx, item["minutes"], (*path, "minutes"))
                             if "minutes" in item else None,
                             stage_ids=tuple(stages), optional=item.get("optional") is True,
                             section=section))
    ctx.unique(ids, "routine")
    return found


def read_checkpoints(ctx: Context, raw: Any, start: dt.date | None) -> list[Checkpoint]:
    """Checkpoints, with their dates; the stages their choices lead to are checked once the
    stages are read (`check_choices`)."""
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
        if "items" not in item and "choices" not in item:
            ctx.error(path, "the checkpoint has nothing to tick: add items: (what you can do "
                            "by then) or choices: (a decision)")
        due = (ctx.date(item["due"], (*path, "due")) if "due" in item
               else after(item["after"], start) if start else None)
        boxes = ctx.checklist(item.get("items"), (*path, "items"))
        choices = _choices(ctx, item.get("choices"), (*path, "choices"))
        ctx.unique([(c.id, p) for c, p in boxes] + [(c.id, p) for c, p in choices], "checkbox")
        if due is not None:
            found.append(Checkpoint(id=checkpoint_id, title=title, due=due,
                                    items=tuple(c for c, _ in boxes),
                                    choices=tuple(c for c, _ in choices)))
    ctx.unique(ids, "checkpoint")
    return found


def _choices(ctx: Context, raw: Any, path: Path) -> list[tuple[Choice, Path]]:
    choices = []
    for index, item in items(raw):
        where = (*path, index)
        ctx.uses(where, "choices")
        text = item.get("text")
        if "\n" in str(text).strip():
            ctx.error((*where, "text"), "a choice is one line: remove the line breaks")
        stages = as_list(item.get("stages"))
        choices.append((Choice(id=str(item.get("id", "")), text=str(text).strip(),
                               stage_ids=tuple(str(s) for s in stages)), (*where, "id")))
    return choices


def branches(checkpoints: list[Checkpoint]) -> dict[str, tuple[str, str, dt.date]]:
    """Each stage a choice leads to: (checkpoint id, choice id, the checkpoint's day)."""
    found: dict[str, tuple[str, str, dt.date]] = {}
    for checkpoint in checkpoints:
        for choice in checkpoint.choices:
            for stage_id in choice.stage_ids:
                found.setdefault(stage_id, (checkpoint.id, choice.id, checkpoint.due))
    return found


def check_choices(ctx: Context, raw: Any, checkpoints: list[Checkpoint],
                  stage_ids: set[str]) -> None:
    """Every stage a choice names exists and is led to by that choice alone."""
    taken: dict[str, str] = {}
    for ci, item in items(raw):
        for oi, option in items(item.get("choices")):
            stages = as_list(option.get("stages"))
            for si, stage_id in enumerate(stages):
                path = ("checkpoints", ci, "choices", oi, "stages", si)
                if stage_id not in stage_ids:
                    ctx.error(path, f"no stage '{stage_id}'{suggest(str(stage_id), stage_ids)}"
                                    f": a choice leads to stages of this roadmap, by id")
                elif stage_id in taken:
                    ctx.error(path, f"stage '{stage_id}' is already the choice '{taken[stage_id]}'"
                                    f"'s: a stage follows one choice; give this choice its own "
                                    f"stage")
                else:
                    taken[stage_id] = str(option.get("id", ""))
