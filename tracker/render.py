"""Render issue bodies from the learner's Jinja templates in `templates/<locale>/`."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import jinja2

from . import repo_files
from .model import Roadmap, Topic

GITHUB_BODY_LIMIT = 65_536

# Room the tracker keeps around a rendered block: the hidden key, the block markers and the
# learner's own notes, which GitHub counts against the same limit.
BODY_OVERHEAD = 512
_WIDEST_NUMBER = 99_999
RESOURCE_KINDS = {
    "en": {"article": "article", "book": "book", "course": "course", "docs": "docs",
           "notes": "notes", "paper": "paper", "platform": "platform", "repo": "repo",
           "tool": "tool", "tutorial": "tutorial", "video": "video", "other": "other"},
    "zh-CN": {"article": "文章", "book": "书", "course": "课程", "docs": "文档", "notes": "笔记",
              "paper": "论文", "platform": "平台", "repo": "代码库", "tool": "工具",
              "tutorial": "教程", "video": "视频", "other": "其他"},
}  # issue numbers are unknown before sync; assume wide ones


def too_long(body: str) -> bool:
    """Whether GitHub would refuse `body` for its length ("body is too long (maximum is
    65536 characters)"): asking would only be refused, run after run."""
    return len(body) > GITHUB_BODY_LIMIT


class TemplateMissing(Exception):
    """No `templates/` folder could be found."""


_folder: list[Path | None] = [None]


def use_templates(folder: Path | None) -> None:
    """Render from this `templates/` folder (the one beside the roadmap) from now on."""
    if folder != _folder[0]:
        _folder[0] = folder
        environment.cache_clear()


@cache
def environment() -> jinja2.Environment:
    """One Jinja environment: strict about undefined names, Markdown left unescaped."""
    folder = _folder[0] or repo_files.find("templates")
    if folder is None:
        raise TemplateMissing("no templates/ folder beside roadmap.yml or above it: copy it "
                              "from the tracker's repository")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # issue bodies are Markdown, not HTML
    )
    env.filters["hours"] = format_hours
    env.filters["plural"] = plural
    return env


def plural(count: int, noun: str) -> str:
    """`1, "day"` -> `1 day`, `3, "day"` -> `3 days`: English counts (Chinese has no plural)."""
    return f"{count} {noun}" if abs(count) == 1 else f"{count} {noun}s"


def format_hours(hours: float | None) -> str:
    """`1.5` -> `1.5h`, `0.75` -> `45m`."""
    if hours is None:
        return ""
    if hours < 1:
        return f"{round(hours * 60)}m"
    return f"{hours:.1f}".rstrip("0").rstrip(".") + "h"


def topic_body(roadmap: Roadmap, topic: Topic, issue_numbers: Mapping[str, int] | None = None,
               ticked: frozenset[str] = frozenset()) -> str:
    """The tracker's part of a topic issue's body, in the learner's language."""
    env = environment()
    stage = roadmap.stages_by_id[topic.stage_id]
    track = roadmap.tracks_by_id.get(topic.track_id)
    numbers = issue_numbers or {}
    dependencies = [{"id": d, "title": roadmap.topics_by_id[d].title, "number": numbers.get(d)}
                    for d in topic.depends_on if d in roadmap.topics_by_id]
    template = env.get_template(f"{roadmap.learner.locale}/topic.md.j2")
    return template.render(topic=topic, stage=stage, track=track, dependencies=dependencies,
                           ticked=ticked, roadmap=roadmap,
                           kinds=RESOURCE_KINDS[roadmap.learner.locale])


def widest_numbers(roadmap: Roadmap) -> dict[str, int]:
    """Issue numbers as wide as they may become, for every topic (made once per check)."""
    return dict.fromkeys(roadmap.topics_by_id, _WIDEST_NUMBER)


def topic_body_length(roadmap: Roadmap, topic: Topic,
                      numbers: Mapping[str, int] | None = None) -> int:
    """An upper bound of the topic issue's body length, for the validator; `numbers` is
    `widest_numbers(roadmap)`, passed in when many topics are measured."""
    widest = widest_numbers(roadmap) if numbers is None else numbers
    return len(topic_body(roadmap, topic, widest)) + BODY_OVERHEAD
