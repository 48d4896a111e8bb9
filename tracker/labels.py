"""The labels the tracker manages: a kind label per kind of row, one per track, priorities."""

from __future__ import annotations

from .model import Roadmap, Topic
from .store.base import Label

KIND_LABELS = {"topic": "topic", "daily": "daily-plan", "retro": "retro"}
_KIND_TEXT = {
    "en": {"topic": "A topic of the study roadmap", "daily": "The day's study plan",
           "retro": "The weekly retro"},
    "zh-CN": {"topic": "学习路线中的一个主题", "daily": "当天的学习计划", "retro": "每周复盘"},
}
_KIND_COLORS = {"topic": "1d76db", "daily": "0e8a16", "retro": "5319e7"}
_PRIORITY_TEXT = {
    "en": {1: "First: most important", 2: "Next", 3: "Later", 4: "Reference: as needed"},
    "zh-CN": {1: "最优先：最重要", 2: "其次", 3: "稍后", 4: "参考：按需查阅"},
}
_PRIORITY_COLORS = {1: "b60205", 2: "d93f0b", 3: "fbca04", 4: "c5def5"}
_TRACK_PALETTE = ("0052cc", "006b75", "7057ff", "e99695", "bfd4f2", "d4c5f9", "c2e0c6")
_TRACK_TEXT = {"en": "Track: {name}", "zh-CN": "线路：{name}"}


def track_label(track_id: str) -> str:
    return f"track:{track_id}"


def priority_label(priority: int) -> str:
    return f"P{priority}"


def desired_labels(roadmap: Roadmap) -> list[Label]:
    """Every label the tracker's rows use, with its colour and a description in the locale."""
    locale = roadmap.learner.locale
    labels = [Label(name, _KIND_COLORS[kind], _KIND_TEXT[locale][kind])
              for kind, name in KIND_LABELS.items()]
    for index, track in enumerate(roadmap.tracks):
        color = track.color or _TRACK_PALETTE[index % len(_TRACK_PALETTE)]
        labels.append(Label(track_label(track.id), color.lower(),
                            _TRACK_TEXT[locale].format(name=track.name)[:100]))
    labels += [Label(priority_label(p), _PRIORITY_COLORS[p], _PRIORITY_TEXT[locale][p])
               for p in range(1, 5)]
    return labels


def topic_labels(topic: Topic) -> tuple[str, ...]:
    """The labels a topic issue carries: kind, track, priority, then the roadmap's extras."""
    managed = [KIND_LABELS["topic"], track_label(topic.track_id), priority_label(topic.priority)]
    return tuple(dict.fromkeys([*managed, *topic.labels]))
