"""`tracker validate`'s summary of a roadmap: what it holds, its pace and weekly quotas."""

from __future__ import annotations

from tracker.summary import summarize

from test_format_11 import roadmap


def test_validate_summarises_the_pace_and_the_weekly_quotas() -> None:
    plan = roadmap("""
        pace: part-time
        paces:
          - {id: full-time, hours: 8, stages: {a: 1 month}}
          - {id: part-time, hours: 2-3, stages: {a: 2 months}}
        tracks:
          - {id: theory, name: Theory}
          - id: exam
            name: Exam
            weekdays: [sat, sun]
            per_week: [{from: 2026-11-30, hours: 3-4}, {from: 2026-12-14, hours: 4}]
          - {id: practice, name: Practice}
        stages:
          - id: a
            title: A
            tracks: {practice: {sessions: {count: 2-3, hours: 1.5-2}, weekdays: [tue, thu, sun]}}
            topics: [{title: T, steps: [x]}]
        """)
    lines = summarize(plan)
    assert "pace:        part-time: 2–3 h a day; a 2 months" in lines
    assert "             also full-time: 8 h a day; a 1 month" in lines
    assert ("weekly:      exam: 3–4 h a week on sat, sun from 2026-11-30; 4 h a week on sat, "
            "sun from 2026-12-14") in lines
    assert ("             practice: 2–3 sessions a week of 1.5–2 h on tue, thu, sun in a"
            in lines)
