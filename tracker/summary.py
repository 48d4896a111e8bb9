"""A few lines that tell the learner what their roadmap holds."""

from __future__ import annotations

import datetime as dt

from .model import WEEKDAYS, Pace, Range, Roadmap, Sessions, Track

_LABEL = 13  # the width of "checkboxes:  ", so continuation lines line up


def summarize(roadmap: Roadmap) -> list[str]:
    """Stages, topics, checkboxes, the date span, the tracks, the pace and the weekly quotas,
    one fact a line."""
    topics = roadmap.topics
    steps = sum(len(t.steps) for t in topics)
    criteria = sum(len(t.done_when) for t in topics)
    hours = sum(t.estimate_hours or 0 for t in topics)
    lines = [
        f"learner:     {roadmap.learner.name} ({roadmap.learner.timezone}, "
        f"{roadmap.learner.locale})",
        f"stages:      {len(roadmap.stages)}",
        f"topics:      {len(topics)}",
        f"checkboxes:  {steps + criteria} ({steps} steps, {criteria} done-when criteria)",
        f"dates:       {_dates(roadmap)}"
        + (", from today: start is auto, so the first run fixes day 1"
           if roadmap.schedule.start_auto else ""),
    ]
    if hours:
        lines.append(f"estimate:    {round(hours, 1):g} hours")
    lines.append(f"tracks:      {', '.join(_track(roadmap, t) for t in roadmap.tracks)}")
    lines += _labelled("pace:", _pace_lines(roadmap))
    lines += _labelled("weekly:", [line for t in roadmap.tracks for line in _weekly(roadmap, t)])
    extras = [(len(roadmap.problems), "algorithm problem"),
              (len(roadmap.interview_questions), "interview question"),
              (len(roadmap.routines), "routine"), (len(roadmap.checkpoints), "checkpoint"),
              (len(roadmap.resources), "plan resource"), (len(roadmap.projects), "project")]
    pool = ", ".join(f"{n} {what}{'s' if n != 1 else ''}" for n, what in extras if n)
    if pool:
        lines.append(f"also:        {pool}")
    lines.append(f"review:      {review_line(roadmap)}")
    return lines


def review_line(roadmap: Roadmap) -> str:
    """The daily review budget, the retention aimed at, and the learner's own cards."""
    review = roadmap.review
    budget = f"{review.cards} cards" if review.cards else f"{review.minutes} min"
    files = len({card.file for card in roadmap.cards})
    cards = (f"; {len(roadmap.cards)} cards of yours in {files} file{'s' if files != 1 else ''}"
             if roadmap.cards else "")
    return f"{budget} a day, retention {review.retention:g}{cards}"


def _dates(roadmap: Roadmap) -> str:
    """The plan's span, then what has no end date: ongoing stages, decisions' branches."""
    main = [s for s in roadmap.stages if s.branch is None]
    last = max([s.until for s in main if not s.ongoing] or [roadmap.first_day])
    text = f"{roadmap.first_day} → {last} ({(last - roadmap.first_day).days + 1} days)"
    if any(s.ongoing for s in main):
        text += ", then ongoing"
    for checkpoint in roadmap.checkpoints:
        if checkpoint.choices:
            text += f", then a decision on {checkpoint.due} ({len(checkpoint.choices)} ways on)"
    return text


def _labelled(label: str, lines: list[str]) -> list[str]:
    return [f"{label if i == 0 else '':<{_LABEL}}{line}" for i, line in enumerate(lines)]


def _track(roadmap: Roadmap, track: Track) -> str:
    if track.kind == "problems":
        return f"{track.id} (problems)"
    count = sum(1 for t in roadmap.topics if t.track_id == track.id)
    share = f" {track.share:g}%" if track.share is not None else ""
    return f"{track.id}{share} ({count} topics)"


def _pace_lines(roadmap: Roadmap) -> list[str]:
    """The pace followed (and when it changes), then the others defined."""
    if not roadmap.paces:
        return []
    by_id = {p.id: p for p in roadmap.paces}
    followed = [by_id[s.pace_id] for s in roadmap.pace_plan if s.pace_id in by_id]
    lines = [("from " + str(s.start) + ", " if i else "") + _pace(by_id[s.pace_id])
             for i, s in enumerate(roadmap.pace_plan) if s.pace_id in by_id]
    others = [p for p in roadmap.paces if p not in followed]
    if others:
        lines += ["also " + _pace(p) for p in others]
    return lines


def _pace(pace: Pace) -> str:
    parts = [_hours(pace.hours)] if pace.hours else []
    if pace.durations:
        parts.append(", ".join(f"{stage} {length}" for stage, length in pace.durations.items()))
    return f"{pace.id}: {'; '.join(parts)}" if parts else pace.id


def _hours(hours: dict[int, Range]) -> str:
    """Hours per weekday, days with the same hours together: "8 h a day", "mon–fri 9 h, …"."""
    if len(set(hours.values())) == 1 and len(hours) == 7:
        return f"{next(iter(hours.values()))} h a day"
    groups: dict[Range, set[int]] = {}
    for day, amount in sorted(hours.items()):
        groups.setdefault(amount, set()).add(day)
    return ", ".join(f"{_day_list(days)} {amount} h" for amount, days in groups.items())


def _weekly(roadmap: Roadmap, track: Track) -> list[str]:
    """A track's weekly quotas and sessions, where they hold: one line per track."""
    said: dict[str, list[str]] = {}
    for phase in track.per_week:
        when = "" if phase.start == dt.date.min else f"from {phase.start}"
        said.setdefault(f"{phase.hours} h a week{_days(track.weekdays)}", []).append(when)
    if track.sessions:
        said.setdefault(_sessions(track.sessions) + _days(track.weekdays), []).append("")
    for stage in roadmap.stages:
        rules = stage.track_rules.get(track.id)
        if rules is None:
            continue
        days = _days(rules.weekdays or track.weekdays)
        if rules.per_week:
            said.setdefault(f"{rules.per_week} h a week{days}", []).append(stage.id)
        if rules.sessions:
            said.setdefault(_sessions(rules.sessions) + days, []).append(stage.id)
    if not said:
        return []
    parts = []
    for what, where in said.items():
        stages = [w for w in where if w and not w.startswith("from ")]
        dates = [w for w in where if w.startswith("from ")]
        when = (" in " + ", ".join(stages) if stages else "") + "".join(f" {d}" for d in dates)
        parts.append(what + when)
    return [f"{track.id}: " + "; ".join(parts)]


def _sessions(sessions: Sessions) -> str:
    return f"{sessions.count} sessions a week of {sessions.hours} h"


def _days(days: frozenset[int]) -> str:
    return "" if len(days) == 7 else " on " + _day_list(days)


def _day_list(days: set[int] | frozenset[int]) -> str:
    """Weekdays in order, three or more in a row as a span: "mon–fri, sun"."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEKDAYS[run[0]]}–{WEEKDAYS[run[-1]]}")
        else:
            parts.extend(WEEKDAYS[d] for d in run)
    return ", ".join(parts)
