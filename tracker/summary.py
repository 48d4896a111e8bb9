"""A few lines that tell the learner what their roadmap holds."""

from __future__ import annotations

from .model import Roadmap


def summarize(roadmap: Roadmap) -> list[str]:
    """Stages, topics, checkboxes, the date span and the tracks, one fact a line."""
    topics = roadmap.topics
    steps = sum(len(t.steps) for t in topics)
    criteria = sum(len(t.done_when) for t in topics)
    hours = sum(t.estimate_hours or 0 for t in topics)
    span_days = (roadmap.last_day - roadmap.first_day).days + 1
    lines = [
        f"learner:     {roadmap.learner.name} ({roadmap.learner.timezone}, "
        f"{roadmap.learner.locale})",
        f"stages:      {len(roadmap.stages)}",
        f"topics:      {len(topics)}",
        f"checkboxes:  {steps + criteria} ({steps} steps, {criteria} done-when criteria)",
        f"dates:       {roadmap.first_day} → {roadmap.last_day} ({span_days} days)"
        + (", from today: start is auto, so the first run fixes day 1"
           if roadmap.schedule.start_auto else ""),
    ]
    if hours:
        lines.append(f"estimate:    {round(hours, 1):g} hours")
    tracks = []
    for track in roadmap.tracks:
        if track.kind == "problems":
            tracks.append(f"{track.id} (problems)")
        else:
            count = sum(1 for t in topics if t.track_id == track.id)
            share = f" {track.share:g}%" if track.share is not None else ""
            tracks.append(f"{track.id}{share} ({count} topics)")
    lines.append(f"tracks:      {', '.join(tracks)}")
    extras = [(len(roadmap.problems), "algorithm problems"),
              (len(roadmap.interview_questions), "interview questions"),
              (len(roadmap.routines), "routines"), (len(roadmap.checkpoints), "checkpoints")]
    pool = ", ".join(f"{n} {what}" for n, what in extras if n)
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
