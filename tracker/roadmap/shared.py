"""The plan-level `resources:` and `projects:`: what serves the whole plan or spans topics,
listed once on the plan's resources page instead of being copied into every topic."""

from __future__ import annotations

from typing import Any

from ..model import Project, Resource
from ..schema_check import suggest
from .context import Context, as_list, items
from .stages import read_resources


def read_plan_resources(ctx: Context, raw: Any, stage_ids: set[str]) -> tuple[Resource, ...]:
    if raw is None:
        return ()
    ctx.uses(("resources",), "resources")
    resources = read_resources(ctx, raw, ("resources",))
    for index, item in items(raw):
        stages = as_list(item.get("stages"))
        for si, stage_id in enumerate(stages):
            if stage_id not in stage_ids:
                ctx.error(("resources", index, "stages", si),
                          f"no stage '{stage_id}'{suggest(str(stage_id), stage_ids)}: list "
                          f"ids of stages in this roadmap")
    return resources


def read_projects(ctx: Context, raw: Any, topic_ids: set[str]) -> tuple[Project, ...]:
    projects = []
    ids = []
    for index, item in items(raw):
        path = ("projects", index)
        ctx.uses(path, "projects")
        title = ctx.title(item.get("title"), (*path, "title"))
        project_id = str(item.get("id", ""))
        ids.append((project_id, (*path, "id")))
        topics = as_list(item.get("topics"))
        for ti, topic_id in enumerate(topics):
            if topic_id not in topic_ids:
                ctx.error((*path, "topics", ti),
                          f"no topic '{topic_id}'{suggest(str(topic_id), topic_ids)}: a "
                          f"project lists ids of topics in this roadmap")
        projects.append(Project(
            id=project_id, title=title, goal=item.get("goal"), url=item.get("url"),
            topic_ids=tuple(str(t) for t in topics),
            resources=read_resources(ctx, item.get("resources"), (*path, "resources")),
            deliverable=item.get("deliverable")))
    ctx.unique(ids, "project")
    return tuple(projects)
