"""The rules of the planning core, one small test each, on hand-made data: what a learner
would notice if any of them broke (found by mutation testing: each of these once survived)."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from tracker import keys, planner
from tracker.ledger import Ledger
from tracker.model import Roadmap
from tracker.roadmap import parse_roadmap
from tracker.rows import Rows
from tracker.state import PlanRecord, RetroRecord, StudyState, TopicRow
from tracker.store.base import Issue, Milestone, Trusted
from tracker.streak import current_streak, is_study_day, longest_streak

D = dt.date
MONDAY = D(2026, 3, 23)


def plan_of(text: str) -> Roadmap:
    return parse_roadmap(text)


BASE = textwrap.dedent("""\
    version: 1
    learner: {name: A, timezone: UTC, locale: en}
    schedule: {start: 2026-03-23, hours: 4, rest_days: [sun]}
    """)


def state_for(plan: Roadmap, closed: dict[str, str] | None = None,
              ticked: dict[str, set[str]] | None = None,
              plans: dict[dt.date, dict[str, bool]] | None = None) -> StudyState:
    """Every topic synced and open, except those `closed` (with their state reason)."""
    closed = closed or {}
    topics = {t.id: TopicRow(t.id, n, t.id not in closed, frozenset((ticked or {}).get(t.id, ())),
                             tuple(b.id for b in t.checkboxes), None, closed.get(t.id), None,
                             False, False)
              for n, t in enumerate(plan.topics, 1)}
    records = {day: PlanRecord(day, 100 + n, False, boxes, None)  # type: ignore[arg-type]
               for n, (day, boxes) in enumerate(sorted((plans or {}).items()))}
    return StudyState(Rows(), topics, records, {})


# -- keys: what counts as ticked ---------------------------------------------------------------
@pytest.mark.parametrize(("line", "ticked"), [
    ("- [x] Read <!-- step:read -->", True),
    ("- [X] Read <!-- step:read -->", True),  # the GitHub app writes a capital X
    ("- [ x] Read <!-- step:read -->", True),  # a thumb on a phone keyboard
    ("-[x] Read <!-- step:read -->", True),
    ("- [ ] Read <!-- step:read -->", False),
    ("- [] Read <!-- step:read -->", False),
])
def test_what_a_ticked_box_looks_like(line: str, ticked: bool) -> None:
    assert keys.boxes(line) == {"read": ticked}
    assert keys.ticked(line) == (frozenset({"read"}) if ticked else frozenset())


def test_notes_above_and_below_the_block_survive_a_rewrite() -> None:
    body = keys.compose(keys.Key("topic", "t"), "- [ ] A <!-- step:a -->", "my notes above\n",
                        "\nmy notes below")
    parsed = keys.parse(body)
    assert parsed is not None and parsed.before == "my notes above\n"
    again = keys.compose(parsed.key, keys.tick(parsed.block, {"a"}), parsed.before,
                         parsed.after)
    assert again.startswith("my notes above\n<!-- study-tracker:begin")
    assert again.endswith("<!-- study-tracker:end -->\nmy notes below")
    assert "- [x] A <!-- step:a -->" in again


# -- the planner -------------------------------------------------------------------------------
TWO_TOPICS = BASE + textwrap.dedent("""\
    stages:
      - id: s
        title: S
        weeks: 4
        topics:
          - {id: low, title: Low, priority: 3, estimate: 2h, steps: [l1, l2]}
          - {id: high, title: High, priority: 1, estimate: 2h, steps: [h1, h2]}
    """)


def test_priority_orders_the_work_within_a_stage() -> None:
    plan = plan_of(TWO_TOPICS)
    focus = planner.choose_focus(plan, state_for(plan), MONDAY, 2.0)
    assert [p.item() for p in focus.pieces] == ["t:high:h1", "t:high:h2"]


def test_a_topic_the_learner_closed_by_hand_is_not_planned() -> None:
    plan = plan_of(TWO_TOPICS)
    state = state_for(plan, closed={"high": "completed"})  # closed with boxes unticked
    focus = planner.choose_focus(plan, state, MONDAY, 2.0)
    assert {p.topic.id for p in focus.pieces} == {"low"}
    assert planner.open_boxes(plan.topics_by_id["high"], state) == []


def test_a_step_ticked_in_its_topic_is_not_planned_again() -> None:
    plan = plan_of(TWO_TOPICS)
    focus = planner.choose_focus(plan, state_for(plan, ticked={"high": {"h1"}}), MONDAY, 1.0)
    assert [p.item() for p in focus.pieces] == ["t:high:h2"]


SHARES = BASE + textwrap.dedent("""\
    tracks:
      - {id: theory, name: Theory, share: 70}
      - {id: practice, name: Practice, share: 30, weekdays: [tue, thu]}
    stages:
      - id: s
        title: S
        weeks: 4
        shares: {theory: 25, practice: 75}
        topics:
          - {id: th, title: Th, estimate: 8h, steps: [a, b, c, d, e, f, g, h]}
          - {id: pr, title: Pr, track: practice, estimate: 8h, steps: [a, b, c, d, e, f, g, h]}
    """)


def test_a_stages_shares_override_the_tracks() -> None:
    plan = plan_of(SHARES)
    assert planner.track_budgets(plan, MONDAY + dt.timedelta(1), 4.0,
                                 {"theory", "practice"}) == {"theory": 1.0, "practice": 3.0}
    focus = planner.choose_focus(plan, state_for(plan), MONDAY + dt.timedelta(1), 4.0)
    hours = {t: sum(p.hours for p in focus.pieces if p.topic.track_id == t)
             for t in ("theory", "practice")}
    assert hours == {"theory": 1.0, "practice": 3.0}


def test_a_track_rests_on_the_weekdays_it_does_not_run() -> None:
    plan = plan_of(SHARES)
    focus = planner.choose_focus(plan, state_for(plan), MONDAY, 4.0)  # practice: Tue/Thu
    assert {p.topic.track_id for p in focus.pieces} == {"theory"}
    assert focus.hours == 4.0  # the rest of the day goes to the track that runs


PROBLEMS = BASE + textwrap.dedent("""\
    tracks:
      - {id: study, name: Study}
      - {id: algo, name: Algorithms, kind: problems, per_day: 2}
    problems:
      - {id: p1, title: P1}
      - {id: p2, title: P2}
      - {id: p3, title: P3}
    stages:
      - {id: s, title: S, weeks: 4, topics: [{id: t, title: T, steps: [a]}]}
    checkpoints:
      - {id: c, title: After a week, after: 1 week, items: [Can do it]}
    """)


def test_problems_go_round_the_pool_and_rest_days_use_none() -> None:
    plan = plan_of(PROBLEMS)
    saturday, sunday, monday = (MONDAY + dt.timedelta(days=n) for n in (5, 6, 7))
    assert [p.id for p in planner.problems_for(plan, MONDAY)] == ["p1", "p2"]
    assert [p.id for p in planner.problems_for(plan, MONDAY + dt.timedelta(1))] == ["p3", "p1"]
    assert [p.id for p in planner.problems_for(plan, saturday)] == ["p2", "p3"]
    # Sunday is a rest day: the next Monday goes on where Saturday stopped.
    assert [p.id for p in planner.problems_for(plan, monday)] == ["p1", "p2"]
    assert planner.problems_for(plan, MONDAY - dt.timedelta(1)) == []


def test_never_the_same_problem_twice_in_a_day() -> None:
    plan = plan_of(PROBLEMS.replace("per_day: 2", "per_day: 5"))
    drawn = [p.id for p in planner.problems_for(plan, MONDAY)]
    assert sorted(drawn) == ["p1", "p2", "p3"]


def test_a_checkpoint_comes_on_its_day_only() -> None:
    plan = plan_of(PROBLEMS)
    due = MONDAY + dt.timedelta(weeks=1)
    assert [c.id for c in planner.checkpoints_due(plan, due)] == ["c"]
    assert planner.checkpoints_due(plan, due + dt.timedelta(1)) == []
    assert planner.checkpoints_due(plan, due - dt.timedelta(1)) == []


def test_sessions_of_a_long_step_and_their_ticks() -> None:
    plan = plan_of(BASE + textwrap.dedent("""\
    stages:
      - {id: s, title: S, weeks: 4, topics: [{id: big, title: Big, estimate: 7h, steps: [a]}]}
    """))
    topic = plan.topics_by_id["big"]
    assert planner.session_count(topic) == 4  # 7 h in sessions of at most 2 h
    pieces = planner.remaining_pieces(topic, state_for(plan), {})
    assert [p.item() for p in pieces] == [f"t:big:a:{n}/4" for n in range(1, 5)]
    assert all(p.hours == 1.75 for p in pieces)
    ticked = {MONDAY: {"t:big:a:1/4": True, "t:big:a:2/4": True}}
    state = state_for(plan, plans=ticked)
    done = planner.sessions_ticked(state.plans.values())
    assert [p.session for p in planner.remaining_pieces(topic, state, done)] == [3, 4]


# -- questions ---------------------------------------------------------------------------------
QUESTIONS = TWO_TOPICS + textwrap.dedent("""\
    interview_questions:
      - {id: about-low, question: 'Low?', topic: low}
      - {id: general, question: 'Anything?'}
      - {id: stage-one, question: 'Stage?', stage: s}
    """)


def test_a_question_waits_for_its_topic_and_is_not_asked_twice_running() -> None:
    plan = plan_of(QUESTIONS)
    fresh = state_for(plan)
    assert planner.question_for(plan, fresh, MONDAY).id == "general"  # type: ignore[union-attr]
    asked = state_for(plan, plans={MONDAY: {"q:general": True}})
    assert planner.question_for(plan, asked, MONDAY + dt.timedelta(1)).id == "stage-one"  # type: ignore[union-attr]
    begun = state_for(plan, ticked={"low": {"l1"}}, plans={MONDAY: {"q:general": True}})
    tuesday = MONDAY + dt.timedelta(1)
    # Each asked as few times as the other: the one asked fewest wins, then the bank's order.
    assert planner.question_for(plan, begun, tuesday).id == "about-low"  # type: ignore[union-attr]
    assert planner.question_for(plan, begun, tuesday, frozenset({"low"})).id == "stage-one"  # type: ignore[union-attr]


# -- streaks and the score ---------------------------------------------------------------------
def test_half_the_plan_makes_a_study_day() -> None:
    assert is_study_day(1, 2) and is_study_day(3, 4) and is_study_day(1, 1)
    assert not is_study_day(1, 3) and not is_study_day(0, 0) and not is_study_day(0, 1)


def test_one_commit_makes_a_study_day_and_none_does_not() -> None:
    from tracker.streak import study_days

    commits = {MONDAY: 1, MONDAY + dt.timedelta(1): 0, MONDAY + dt.timedelta(2): 3}
    assert study_days([], commits) == {MONDAY, MONDAY + dt.timedelta(2)}


def test_rest_days_bridge_a_streak_and_today_is_not_over() -> None:
    days = {MONDAY + dt.timedelta(n) for n in range(6)}  # Mon–Sat; Sunday is a rest day
    monday = MONDAY + dt.timedelta(7)
    assert current_streak(days, frozenset({6}), monday) == 6
    assert current_streak(days, frozenset(), monday) == 0
    assert longest_streak(days | {monday}, frozenset({6})) == 7


def test_the_ledger_scores_work_not_flags_and_counts_only_real_completions() -> None:
    def issue(number: int, body: str, state: str = "open", reason: str | None = None) -> Issue:
        moment = dt.datetime(2026, 3, 23, tzinfo=dt.UTC)
        return Issue(number, "x", body, state, reason, (), None, "learner", moment, moment,
                     moment if state == "closed" else None)

    plan_block = ("- [x] A <!-- item:t:s:a -->\n- [ ] B <!-- item:p:p1 -->\n"
                  "  - [x] Hard one? <!-- item:h:p1 -->\n- [x] Next <!-- item:n:s:b -->")
    topic_block = "- [x] a <!-- step:a -->\n- [ ] b <!-- step:b -->"
    ledger = Ledger()
    ledger.update([
        issue(1, keys.compose(keys.Key("daily", "2026-03-23"), plan_block)),
        issue(2, keys.compose(keys.Key("topic", "gone"), topic_block), "closed", "not_planned"),
        issue(3, keys.compose(keys.Key("topic", "twin"), topic_block), "closed", "duplicate"),
        issue(4, keys.compose(keys.Key("topic", "done"), topic_block), "closed", "completed"),
    ], Trusted(frozenset({"learner"})), dt.UTC)
    fact = ledger.plans["2026-03-23"]
    assert (fact.done, fact.total) == (1, 2)  # the flag and the next-up extra are not work
    assert fact.steps == 2  # the next-up step ticked is a step done
    assert [t for t, f in sorted(ledger.topics.items()) if f.completed] == ["done"]


def test_retro_choices_shape_only_the_seven_days_after_it() -> None:
    plan = plan_of(TWO_TOPICS)
    state = state_for(plan)
    state.retros["2026-W13"] = RetroRecord("2026-W13", 9, True, {
        "w:first:low": True, "w:first:high": False, "w:lighter": True, "w:heavier": False})
    sunday = D(2026, 3, 29)
    assert planner.week_choices(plan, state, sunday) == planner.WeekChoices()
    chosen = planner.week_choices(plan, state, sunday + dt.timedelta(1))
    assert (chosen.first, chosen.factor) == (("low",), 0.8)
    assert planner.week_choices(plan, state, sunday + dt.timedelta(7)).first == ("low",)
    assert planner.week_choices(plan, state, sunday + dt.timedelta(8)) == planner.WeekChoices()
    state.retros["2026-W13"] = RetroRecord("2026-W13", 9, True, {"w:heavier": True})
    assert planner.week_choices(plan, state, sunday + dt.timedelta(1)).factor == 1.2
    focus = planner.choose_focus(plan, state, sunday + dt.timedelta(1), 1.0,
                                 first=chosen.first)
    assert [p.topic.id for p in focus.pieces] == ["low"]


def test_a_problem_flagged_on_the_redo_day_is_redone_next_week() -> None:
    from tracker.daily import redo_day_name

    plan = plan_of(PROBLEMS.replace("rest_days: [sun]", "rest_days: []"))
    week = [redo_day_name(plan, MONDAY + dt.timedelta(n)) for n in range(7)]
    assert week == ["Sunday"] * 6 + ["next Sunday"]
    chinese = plan_of(PROBLEMS.replace("rest_days: [sun]", "rest_days: []")
                      .replace("locale: en", "locale: zh-CN"))
    assert redo_day_name(chinese, MONDAY + dt.timedelta(6)) == "下周日"


def test_a_routine_of_one_stage_comes_only_in_that_stage() -> None:
    plan = plan_of(BASE + textwrap.dedent("""\
        routines:
          - {id: daily, title: Every day, minutes: 10}
          - {id: mock, title: Mock exam, minutes: 60, stages: [two]}
        stages:
          - {id: one, title: One, weeks: 1, topics: [{id: a, title: A, steps: [x]}]}
          - {id: two, title: Two, weeks: 1, topics: [{id: b, title: B, steps: [y]}]}
        """))
    assert [r.id for r in planner.routines_for(plan, MONDAY)] == ["daily"]
    assert [r.id for r in planner.routines_for(plan, MONDAY + dt.timedelta(7))] == \
        ["daily", "mock"]


def test_the_ledger_follows_the_copy_that_is_left_and_forgets_unticked_reviews() -> None:
    def issue(number: int, body: str) -> Issue:
        moment = dt.datetime(2026, 3, 23, number, tzinfo=dt.UTC)
        return Issue(number, "x", body, "open", None, (), None, "learner", moment, moment, None)

    trusted = Trusted(frozenset({"learner"}))
    day = keys.Key("daily", "2026-03-23")
    one = keys.compose(day, "- [x] A <!-- item:t:s:a -->\n- [ ] B <!-- item:t:s:b -->\n"
                            "- [x] D <!-- item:t:s:d:1/2 -->")
    # A long step in ten sessions, all ticked in the second copy, and a card recalled.
    sessions = "\n".join(f"- [x] C <!-- item:t:s:c:{k}/10 -->" for k in range(1, 11))
    two = keys.compose(day, f"{sessions}\n- [x] Card <!-- item:r:k:lora -->")
    ledger = Ledger()
    ledger.update([issue(1, one), issue(2, two)], trusted, dt.UTC)
    assert ledger.plans["2026-03-23"].number == 1  # the older copy is the plan
    assert ledger.plans["2026-03-23"].steps == 1.5  # a step and half of another
    # The learner deletes the older copy's key by hand: the copy that is left is the plan.
    ledger.update([issue(1, "my own notes now")], trusted, dt.UTC)
    ledger.update([issue(2, two)], trusted, dt.UTC)
    fact = ledger.plans["2026-03-23"]
    assert fact.number == 2
    assert fact.steps == 1 and isinstance(fact.steps, int)  # ten tenths are one step
    assert "2026-03-23" in ledger.reviews
    # Every box unticked (a day off after all): the day says nothing about the cards.
    ledger.update([issue(2, keys.compose(day, sessions.replace("[x]", "[ ]")
                                         + "\n- [ ] Card <!-- item:r:k:lora -->"))],
                  trusted, dt.UTC)
    assert "2026-03-23" not in ledger.reviews


def test_the_saved_ledger_reads_back_and_stays_readable_in_a_diff() -> None:
    def issue(number: int, body: str, title: str = "x") -> Issue:
        moment = dt.datetime(2026, 3, 23, number, tzinfo=dt.UTC)
        return Issue(number, title, body, "open", None, (), None, "learner", moment, moment,
                     None)

    trusted = Trusted(frozenset({"learner"}))
    assert '"topics": {},' in Ledger().to_json()  # an empty table is one short line
    ledger = Ledger()
    ledger.update([
        issue(3, keys.compose(keys.Key("topic", "peft"),
                              "- [x] a <!-- step:a -->\n- [ ] b <!-- step:b -->")),
        issue(7, keys.compose(keys.Key("retro", "2026-W13"), "周报"), "🔁 第 13 周复盘"),
    ], trusted, dt.UTC)
    assert ledger.topics["peft"] == ledger.topics["peft"].__class__(3, True, False, None, 1, 2)
    text = ledger.to_json()
    assert "🔁 第 13 周复盘" in text  # not \\ud83d… escapes in the committed file
    assert '  "peft": [3, true, false, null, 1, 2]' in text.splitlines()
    # A record of each issue a line: its key and boxes in order, not its text.
    record = next(line for line in text.splitlines() if line.startswith('  "3": ['))
    assert '{"kind":"topic","id":"peft"}' in record and '"+a -b"' in record
    assert ledger.rows == {3: "topic:peft", 7: "retro:2026-W13"}
    assert Ledger.from_json(text) == ledger


@pytest.mark.parametrize(("begin", "kind_id"), [
    ('{"kind":"topic","id":"peft","b":"x"}', ("topic", "peft")),
    ('{"kind":"topic","id":"peft","b":', ("topic", "peft")),  # cut short on a phone: still read
    ('{"kind":"topic","b":', None),  # its id gone: not a key the tracker can follow
    ('{"id":"peft","b":', None),
    ('{"kind":"topic","id":5}', None),  # an id that is not text
    ('{"kind":7,"id":"peft"}', None),
])
def test_a_key_damaged_by_hand_is_read_or_left_alone(begin: str,
                                                     kind_id: tuple[str, str] | None) -> None:
    body = f"<!-- study-tracker:begin {begin} -->\n- [ ] a <!-- step:a -->\n{keys.END}\n"
    parsed = keys.parse(body)
    assert (parsed and (parsed.key.kind, parsed.key.id)) == kind_id


def test_a_listing_that_shows_a_milestone_closed_tells_it_of_its_other_issues() -> None:
    """Closing a milestone changes no issue's `updated_at`: when one of its issues is listed
    again, the others the ledger keeps learn the milestone's state from it."""
    def topic(number: int, ident: str, state: str, hour: int) -> Issue:
        moment = dt.datetime(2026, 3, 23, hour, tzinfo=dt.UTC)
        body = keys.compose(keys.Key("topic", ident), "- [x] a <!-- step:a -->")
        return Issue(number, ident, body, "closed", "completed", (), 4, "learner", moment,
                     moment, moment, milestone_state=state)

    trusted = Trusted(frozenset({"learner"}))
    ledger = Ledger()
    ledger.update([topic(1, "a", "open", 1), topic(2, "b", "open", 2)], trusted, dt.UTC)
    ledger.update([topic(2, "b", "closed", 3)], trusted, dt.UTC)
    assert [r.milestone_state for r in ledger.records.values()] == ["closed", "closed"]
    assert [i.milestone_state for i in ledger.issues()] == ["closed", "closed"]


def test_a_milestone_deleted_by_hand_takes_its_issues_out_of_it_in_the_ledger() -> None:
    """A listing of the milestones without one the ledger's issues were in: GitHub shows
    those issues with no milestone (so sync puts them back in a new one)."""
    moment = dt.datetime(2026, 3, 23, 1, tzinfo=dt.UTC)
    body = keys.compose(keys.Key("topic", "a"), "- [ ] a <!-- step:a -->")
    issue = Issue(1, "a", body, "open", None, (), 4, "learner", moment, moment,
                  milestone_state="open")
    ledger = Ledger()
    ledger.update([issue], Trusted(frozenset({"learner"})), dt.UTC)
    ledger.take_milestones([Milestone(5, "Other", "", "open", None)], every=True)
    [record] = ledger.records.values()
    assert (record.milestone, record.milestone_state) == (None, None)
    assert ledger.issues()[0].milestone is None
