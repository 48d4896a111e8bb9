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


def test_the_summary_of_a_format_1_plan_line_by_line() -> None:
    from pathlib import Path

    from tracker.roadmap import load_roadmap

    plan = load_roadmap(Path(__file__).parent / "roadmaps" / "v1" / "internship-sprint.yml")
    assert summarize(plan) == [
        "learner:     学习者 (Asia/Shanghai, zh-CN)",
        "stages:      5",
        "topics:      32",
        "checkboxes:  119 (108 steps, 11 done-when criteria)",
        "dates:       2025-08-29 → 2025-11-30 (94 days)",
        "estimate:    46.7 hours",
        "tracks:      theory 70% (23 topics), practice 30% (9 topics), algorithm (problems)",
        "also:        40 algorithm problems, 21 interview questions, 14 routines, 2 checkpoints",
        "review:      20 min a day, retention 0.9",
    ]


def test_hours_by_weekday_are_grouped_and_runs_of_days_shortened() -> None:
    plan = roadmap("""
        pace: week
        paces:
          - id: week
            hours: {mon: 9, tue: 9, wed: 9, thu: 9, fri: 9, sat: 4, sun: 7}
            stages: {a: 2 weeks}
          - {id: weekend, hours: {sat: 4, sun: 4}, stages: {a: 4 weeks}}
        tracks:
          - {id: study, name: Study}
          - {id: exam, name: Exam, per_week: 6, weekdays: [mon, wed, sat, sun]}
        stages:
          - {id: a, title: A, topics: [{title: T, steps: [x]}]}
        """)
    assert summarize(plan)[-4:-1] == [
        "pace:        week: mon–fri 9 h, sat 4 h, sun 7 h; a 2 weeks",
        "             also weekend: mon–fri 0 h, sat, sun 4 h; a 4 weeks",
        "weekly:      exam: 6 h a week on mon, wed, sat, sun",
    ]
