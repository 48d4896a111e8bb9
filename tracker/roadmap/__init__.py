"""Load `roadmap.yml`: read it, check it against the schema and the rules a schema can't say,
and build the `Roadmap`. Every problem is collected, so the learner fixes them all in one go.

The reading is split by section of the file, each in its own module: `learner` (learner and
schedule), `tracks`, `stages` (stages and their topics), `banks` (problems, interview
questions, routines, checkpoints). `context` holds what they share: the source positions and
the problems found so far.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path as FsPath
from typing import Any

from .. import schema_check, slips
from ..diagnostics import Diagnostic, RoadmapError, format_path
from ..model import Roadmap
from ..roadmap_review import review_settings
from ..yamlsource import SourceMap, YamlSyntaxError, load
from .banks import (
    branches,
    check_choices,
    read_checkpoints,
    read_problems,
    read_questions,
    read_routines,
)
from .context import STAND_IN_DAY, Context
from .learner import read_learner, read_schedule
from .paces import hours_periods, read_pace_plan, read_paces
from .rules import check_paces, check_stage_agreement, check_version, check_weekly_time
from .shared import read_plan_resources, read_projects
from .stages import Timing, read_stages
from .tracks import check_track_rules, read_tracks


def load_roadmap(path: str | FsPath, today: dt.date | None = None) -> Roadmap:
    """Read and check the roadmap at `path`; raise `RoadmapError` listing every problem.

    `today` (the learner's local date) is day 1 of a plan whose start is `auto`."""
    path = FsPath(path)
    name = _display_name(path)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise RoadmapError([Diagnostic(1, 1, "(file)", "no such file: create it from the "
                                       "example in docs/roadmap-format.md, or pass the right path",
                                       name)]) from None
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw[: err.start].rfind(b"\n") + 1) + 1
        raise RoadmapError([Diagnostic(line, col, "(file)", f"not UTF-8 text ({err.reason}): "
                                       f"save the file as UTF-8", name)]) from None
    return parse_roadmap(text, name, near=path, today=today)


def parse_roadmap(text: str, file: str = "roadmap.yml", near: FsPath | None = None,
                  today: dt.date | None = None) -> Roadmap:
    """Check and build a roadmap from its YAML text; `file` names it in messages, `near` is
    where to look for the schema (beside the roadmap file), `today` is day 1 of a plan whose
    start is `auto` (by default the learner's date now)."""
    schema_dir = near.resolve().parent if near else None
    try:
        data, source, yaml_problems = load(text)
    except YamlSyntaxError as err:
        raise RoadmapError(_syntax_diagnostics(err, text, file, schema_dir)) from None
    found = [Diagnostic(p.mark.line, p.mark.col, format_path(p.path), p.message, file)
             for p in yaml_problems]
    if data is None:
        raise RoadmapError([*found, Diagnostic(1, 1, "(top level)", "the file is empty: start "
                                               "from the example in docs/roadmap-format.md "
                                               "(version: 1, learner:, schedule:, stages:)", file)])
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else "a single value"
        top = source.value(())
        raise RoadmapError([*found, Diagnostic(top.line, top.col, "(top level)",
                                               f"the file holds {what}; "
                                               "it must be a mapping of keys (version: 1, "
                                               "learner:, schedule:, stages:)", file)])
    try:
        found += schema_check.check(data, source, file, schema_dir)
    except schema_check.SchemaMissing as error:
        raise RoadmapError([Diagnostic(1, 1, "(schema)", str(error), file)]) from None
    ctx = Context(source, file, today)
    roadmap = build(ctx, data)
    found += ctx.found
    if roadmap is not None and not found:
        found += _check_rendered(roadmap, source, file)
    if found or roadmap is None:
        raise RoadmapError(_explain_slips(found, text, file, schema_dir))
    return roadmap


def _syntax_diagnostics(err: YamlSyntaxError, text: str, file: str,
                        schema_dir: FsPath | None) -> list[Diagnostic]:
    """What to fix when the text is not YAML: the input-method slips of the whole file if
    there are any (they are what broke it), else a slipped indentation, else the parser's
    error in plain words."""
    typed = slips.key_slips(text, _key_names(schema_dir))
    if typed:
        return [Diagnostic(s.line, s.col, "(syntax)", s.message, file) for s in typed]
    if err.problem.startswith(slips.INDENTATION_PROBLEMS):
        lines = [err.mark.line] + ([err.context.line] if err.context else [])
        for line in lines:
            slip = slips.indentation_slip(text, line)
            if slip is not None:
                return [Diagnostic(slip.line, slip.col, "(syntax)", slip.message, file)]
    return [Diagnostic(err.mark.line, err.mark.col, "(syntax)", err.message, file)]


def _explain_slips(found: list[Diagnostic], text: str, file: str,
                   schema_dir: FsPath | None) -> list[Diagnostic]:
    """A problem on a line with an input-method slip is the slip's doing: say so instead."""
    typed = {s.line: s for s in slips.key_slips(text, _key_names(schema_dir))}
    if not typed:
        return found
    kept = [d for d in found if d.line not in typed]
    explained = [Diagnostic(s.line, s.col, "(syntax)", s.message, file)
                 for line, s in typed.items() if any(d.line == line for d in found)]
    return kept + explained


def _key_names(schema_dir: FsPath | None) -> frozenset[str]:
    try:
        return schema_check.key_names(schema_dir)
    except schema_check.SchemaMissing:
        return frozenset()


def build(ctx: Context, data: dict[str, Any]) -> Roadmap | None:
    """The roadmap from schema-checked data, section by section; None if anything is wrong
    (each problem is in `ctx.found`)."""
    learner = read_learner(ctx, data.get("learner"))
    schedule = read_schedule(ctx, data.get("schedule"))
    start = schedule.start if schedule else None
    paces = read_paces(ctx, data.get("paces"))
    plan = read_pace_plan(ctx, data.get("pace"), paces, start or STAND_IN_DAY)
    if schedule is not None:
        schedule = replace(schedule, hours_periods=hours_periods(plan, paces, schedule))
        if schedule.hours_per_day > 0:  # a day of estimate: a study day at the first pace
            ctx.hours_per_day = schedule.hours_per_day
    tracks = read_tracks(ctx, data.get("tracks"))
    problems = read_problems(ctx, data.get("problems"))
    checkpoints = read_checkpoints(ctx, data.get("checkpoints"), start or STAND_IN_DAY)
    stages, specs = read_stages(ctx, data.get("stages"),
                                Timing(start, paces, plan, branches(checkpoints)), tracks)
    check_track_rules(ctx, tracks, problems, stages)
    stage_ids = {s.id for s in stages}
    topic_ids = {t.id for s in stages for t in s.topics}
    check_choices(ctx, data.get("checkpoints"), checkpoints, stage_ids)
    questions = read_questions(ctx, data.get("interview_questions"), topic_ids, stage_ids)
    routines = read_routines(ctx, data.get("routines"), stage_ids)
    resources = read_plan_resources(ctx, data.get("resources"), stage_ids)
    projects = read_projects(ctx, data.get("projects"), topic_ids)
    review = review_settings(data.get("review"), ctx.error)
    if schedule is not None:
        check_paces(ctx, data.get("paces"), paces, specs, schedule, stage_ids)
        check_weekly_time(ctx, schedule, tracks, stages)
    check_stage_agreement(ctx, stages)
    check_version(ctx, data)
    if ctx.broken or learner is None or schedule is None or not stages:
        return None
    return Roadmap(learner=learner, schedule=schedule, tracks=tuple(tracks),
                   stages=tuple(stages), problems=tuple(problems),
                   interview_questions=tuple(questions), routines=tuple(routines),
                   checkpoints=tuple(checkpoints), version=str(data.get("version")),
                   paces=tuple(paces), pace_plan=plan, resources=resources,
                   projects=projects, review=review)


def _display_name(path: FsPath) -> str:
    try:
        return str(path.resolve().relative_to(FsPath.cwd().resolve()))
    except ValueError:
        return str(path)


def _check_rendered(roadmap: Roadmap, source: SourceMap, file: str) -> list[Diagnostic]:
    """Each topic's issue body within GitHub's limit (the templates must be readable)."""
    from ..render import (
        GITHUB_BODY_LIMIT,
        TemplateMissing,
        environment,
        topic_body_length,
        widest_numbers,
    )

    try:
        environment()
    except TemplateMissing as error:
        return [Diagnostic(1, 1, "(templates)", str(error), file)]
    found = []
    numbers = widest_numbers(roadmap)
    for si, stage in enumerate(roadmap.stages):
        for ti, topic in enumerate(stage.topics):
            size = topic_body_length(roadmap, topic, numbers)
            if size > GITHUB_BODY_LIMIT:
                path = ("stages", si, "topics", ti)
                mark = source.value(path)
                found.append(Diagnostic(mark.line, mark.col, format_path(path),
                                        f"the topic's issue would be {size:,} characters long; "
                                        f"GitHub allows {GITHUB_BODY_LIMIT:,}: split it into "
                                        f"smaller topics or shorten its text", file))
    return found


__all__ = ["RoadmapError", "load_roadmap", "parse_roadmap"]
