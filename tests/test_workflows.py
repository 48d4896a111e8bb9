"""The workflows a learner's fork runs: triggers, permissions, concurrency, pinned actions."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from click.testing import CliRunner

from tracker.cli import cli
from tracker.roadmap import load_roadmap, parse_roadmap
from tracker.workflow import (
    Cron,
    check_workflow,
    read_schedule,
    schedule_problems,
    suggested_schedule,
)

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import minutes  # noqa: E402  (bench/minutes.py: the simulation of a month's runs)

WORKFLOWS = REPO / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    # PyYAML reads the key `on` as True (YAML 1.1); BaseLoader keeps every scalar as text.
    return yaml.load((WORKFLOWS / name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_the_tracker_runs_at_the_learners_hours_on_demand_on_pushes_and_owner_edits() -> None:
    flow = load("tracker.yml")
    on = flow["on"]
    crons = [entry["cron"].split() for entry in on["schedule"]]
    assert all(minute not in ("0", "*") and hour != "*" for minute, hour, *_ in crons)
    assert {entry["timezone"] for entry in on["schedule"]} == {"Asia/Shanghai"}
    inputs = on["workflow_dispatch"]["inputs"]
    assert "tick" in inputs["step"]["options"] and inputs["step"]["default"] == "tick"
    assert inputs["date"]["required"] == "false"
    assert set(on["push"]["paths"]) == {"roadmap.yml", "templates/**"}
    assert set(on["issues"]["types"]) == {"edited", "closed", "reopened"}


BOT = "github-actions[bot]"


def job_runs(event: str, *, private: bool = False, sender: str = "learner",
             variables: dict[str, str] | None = None, owner: str = "learner",
             author: str = BOT, association: str = "NONE") -> bool:
    """Whether the job's `if:` lets a run of this event take a runner. An issue event is about
    an issue opened by `author` (by default the tracker's own: a tick in the day's plan)."""
    [job] = load("tracker.yml")["jobs"].values()
    context = {"github": {"event_name": event, "repository_owner": owner, "event": {
        "sender": {"login": sender}, "repository": {"private": private},
        "issue": {"user": {"login": author}, "author_association": association}}},
        "vars": variables or {}}
    return bool(minutes.evaluate(job["if"], context))


def test_a_tick_runs_at_once_in_a_public_repository_and_waits_for_the_schedule_in_a_private() \
        -> None:
    # A stranger can edit only an issue of their own.
    stranger = {"sender": "passer-by", "author": "passer-by", "association": "NONE"}
    assert job_runs("issues")
    assert not job_runs("issues", **stranger)
    assert not job_runs("issues", private=True)  # each run would be a billed minute
    assert job_runs("issues", private=True, variables={"TRACKER_RUN_ON_TICK": "true"})
    assert not job_runs("issues", private=True, variables={"TRACKER_RUN_ON_TICK": "true"},
                        **stranger)
    for event in ("schedule", "push", "workflow_dispatch"):
        assert job_runs(event, private=True)


ISSUE_EVENTS = [
    # (what happened, the event, whether a run starts)
    ("the learner ticks the day's plan", {}, True),
    ("a study group member ticks the plan in the group's repository",
     {"owner": "study-group", "sender": "alice"}, True),
    ("the learner edits a topic they opened by hand",
     {"author": "learner", "association": "OWNER"}, True),
    ("a member edits a row they made running the tracker by hand",
     {"owner": "study-group", "sender": "alice", "author": "alice", "association": "MEMBER"},
     True),
    ("a collaborator edits their own issue",
     {"sender": "bob", "author": "bob", "association": "COLLABORATOR"}, True),
    ("a stranger edits their own issue, a key copied into it",
     {"sender": "passer-by", "author": "passer-by", "association": "NONE"}, False),
    ("a past contributor edits their own issue",
     {"owner": "study-group", "sender": "carol", "author": "carol",
      "association": "CONTRIBUTOR"}, False),
    ("a first-time contributor closes their own issue",
     {"sender": "dave", "author": "dave", "association": "FIRST_TIME_CONTRIBUTOR"}, False),
]


@pytest.mark.parametrize(("event", "runs"), [case[1:] for case in ISSUE_EVENTS],
                         ids=[case[0] for case in ISSUE_EVENTS])
def test_issue_events_of_trusted_authors_start_a_run_and_strangers_do_not(
        event: dict[str, str], runs: bool) -> None:
    assert job_runs("issues", **event) is runs
    assert job_runs("issues", private=True, variables={"TRACKER_RUN_ON_TICK": "true"},
                    **event) is runs


def test_a_private_repository_at_the_default_settings_stays_within_600_minutes_a_month() -> None:
    """The simulation of bench/minutes.py: hourly schedule gone, ticks carried by the runs."""
    flow = minutes.read_workflow((WORKFLOWS / "tracker.yml").read_text(encoding="utf-8"))
    roadmap = load_roadmap(REPO / "roadmap.yml")
    first = dt.date(2026, 3, 1)
    for seed in range(2):
        month = minutes.play_month(flow, roadmap, True, {}, seed, first)
        assert month.billed <= 600
        assert len(month.commit_days) == minutes.DAYS  # a dashboard commit every day
        # The plan opens within the hour after day_opens_at, but on a day GitHub drops the
        # morning run: then the catch-up an hour later opens it.
        assert max(month.opened_late) <= 120
        assert sum(late > 60 for late in month.opened_late) <= 2


def test_ci_runs_in_the_template_only_not_in_a_learners_repository() -> None:
    [job] = load("ci.yml")["jobs"].values()
    assert job["if"] == "github.event.repository.is_template"


def test_least_privilege_and_one_run_at_a_time() -> None:
    flow = load("tracker.yml")
    assert flow["permissions"] == {}
    [job] = flow["jobs"].values()
    assert job["permissions"] == {"issues": "write", "contents": "write"}
    assert flow["concurrency"] == {"group": "study-tracker", "cancel-in-progress": "false"}
    ci = load("ci.yml")
    assert ci["permissions"] == {"contents": "read"}
    assert "pull_request" in ci["on"]


@pytest.mark.parametrize("name", ["tracker.yml", "ci.yml"])
def test_actions_are_pinned_by_full_commit_sha_with_their_version(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.search(r"# v\d+\.\d+\.\d+", comment), f"{action} has no version comment"


@pytest.mark.parametrize("name", ["tracker.yml", "ci.yml"])
def test_no_untrusted_text_is_expanded_in_a_shell_script(name: str) -> None:
    for step in steps(load(name)):
        script = step.get("run", "")
        for expression in re.findall(r"\$\{\{(.*?)\}\}", script):
            raise AssertionError(f"{name}: ${{{{{expression}}}}} expanded in a run script; "
                                 f"pass it through env instead")


def test_the_dashboard_commit_is_by_the_bot_only_on_change_and_retried() -> None:
    [commit] = [s for s in steps(load("tracker.yml")) if s.get("name") == "Commit the dashboard"]
    script = commit["run"]
    assert "git diff --cached --quiet" in script
    assert 'user.name "github-actions[bot]"' in script
    assert "pull --rebase" in script and "for attempt in" in script
    checkout = steps(load("tracker.yml"))[0]
    assert checkout["with"]["fetch-depth"] == "0"  # commits count as study days
    assert checkout["with"]["persist-credentials"] == "false"


def test_installs_come_from_a_cache() -> None:
    [uv] = [s for s in steps(load("tracker.yml")) if "setup-uv" in s.get("uses", "")]
    assert uv["with"]["enable-cache"] == "true"
    assert any(s.get("run") == "uv pip install ." for s in steps(load("tracker.yml")))
    [python] = [s for s in steps(load("ci.yml")) if "setup-python" in s.get("uses", "")]
    assert python["with"]["cache"] == "pip"


def test_the_readme_commands_are_what_ci_runs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    for name in ("demo", "tests"):
        assert f"<!-- command:{name} -->\n```sh\n" in readme
        assert f"readme_command {name}" in ci
    assert Path(REPO / ".ci" / "run").stat().st_mode & 0o111


def test_each_job_reads_and_checks_the_roadmap_once() -> None:
    """Every tracker command checks roadmap.yml (with annotations in Actions) before it acts;
    a separate `tracker validate` step would read and check it a second time."""
    runs = [s.get("run", "") for s in steps(load("tracker.yml"))]
    invocations = [line.strip() for script in runs for line in script.splitlines()
                   if re.search(r"(^|[\s;&|(])tracker\s", line)]
    assert not [line for line in invocations if line.startswith("tracker validate")
                and not line.startswith("validate)")], invocations
    [step] = [s for s in steps(load("tracker.yml")) if "TRACKER_STEP" in s.get("run", "")]
    assert re.search(r"validate\)\s*tracker validate", step["run"])
    # An edit on the phone runs one command (tick), not reconcile and then dashboard.
    [job] = load("tracker.yml")["jobs"].values()
    assert "'issues'" not in job["env"]["TRACKER_STEP"]


# -- the schedule fits the learner's day --------------------------------------------------------


TODAY = dt.date(2026, 11, 30)


def berlin(opens: str = "07:00") -> Any:
    return parse_roadmap(
        "version: 1\nlearner: {name: A, timezone: Europe/Berlin, locale: en}\n"
        f'schedule: {{start: 2026-12-01, day_opens_at: "{opens}", '
        'retro: {weekday: sun, at: "20:00"}}\n'
        "stages:\n  - {title: S, weeks: 1, topics: [{title: T, steps: [x]}]}\n")


def problems(roadmap: Any, schedule: str) -> list[str]:
    entries, unread = read_schedule("on:\n  schedule:\n" + schedule, "tracker.yml")
    assert not unread
    return [str(d) for d in schedule_problems(roadmap, entries, "tracker.yml", TODAY)]


def test_the_shipped_workflow_fits_the_shipped_roadmap() -> None:
    assert check_workflow(load_roadmap(REPO / "roadmap.yml"), REPO, TODAY) == []


def test_cron_fields_read_as_github_reads_them() -> None:
    cron = Cron.parse("5,35 7-9/2 * * MON-fri")
    assert cron.minutes == {5, 35} and cron.hours == {7, 9} and cron.weekdays == {1, 2, 3, 4, 5}
    assert Cron.parse("0 0 * * 7").weekdays == {0}  # 7 is Sunday too
    either = Cron.parse("0 12 1 * 1")  # the 1st, or a Monday: both restricted means either
    assert either.fires_at(dt.datetime(2026, 12, 1, 12)) and either.fires_at(
        dt.datetime(2026, 12, 7, 12)) and not either.fires_at(dt.datetime(2026, 12, 8, 12))


def test_an_hourly_utc_schedule_fits_any_day() -> None:
    assert problems(berlin("06:40"), '    - cron: "17 * * * *"\n') == []


def test_a_utc_cron_that_misses_the_morning_after_daylight_saving_is_named_with_the_day() -> None:
    # 06:17 UTC is 07:17 in Berlin in winter, 08:17 in summer: too late from the end of March.
    [late, retro] = problems(berlin(), '    - cron: "17 6 * * *"\n')
    assert "tracker.yml:3:13: on.schedule: no run in the hour after day_opens_at " \
           "(07:00 Europe/Berlin) on 2027-03-28" in late
    assert '- cron: "17 7,8 * * *"\n      timezone: Europe/Berlin' in late
    assert "retro" in retro


def test_a_schedule_in_another_time_zone_is_refused_on_its_line() -> None:
    schedule = '    - cron: "17 7,8 * * *"\n      timezone: Asia/Shanghai\n' \
               '    - cron: "17 20 * * 0"\n      timezone: Europe/Berlin\n'
    assert problems(berlin(), schedule) == [
        "tracker.yml:4:17: on.schedule: timezone: Asia/Shanghai is not learner.timezone "
        "(Europe/Berlin) in roadmap.yml: write timezone: Europe/Berlin"]


@pytest.fixture
def fork(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A learner's checkout: the roadmap, schema, templates and workflows."""
    for name in ("roadmap.yml", "roadmap.schema.json", "templates", ".github"):
        source, target = REPO / name, tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def open_at(fork: Path, hour: str) -> None:
    roadmap = (fork / "roadmap.yml").read_text(encoding="utf-8")
    (fork / "roadmap.yml").write_text(roadmap.replace('day_opens_at: "07:30"',
                                                      f'day_opens_at: "{hour}"'))


def test_validate_checks_the_workflow_beside_the_roadmap(fork: Path) -> None:
    assert CliRunner().invoke(cli, ["validate"]).exit_code == 0
    open_at(fork, "05:30")
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 2
    assert ".github/workflows/tracker.yml:" in result.output
    assert "no run in the hour after day_opens_at (05:30 Asia/Shanghai)" in result.output
    assert '- cron: "47 5,6 * * *"' in result.output


def test_the_run_after_a_roadmap_edit_warns_that_the_schedule_no_longer_fits(
        fork: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_at(fork, "05:30")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = CliRunner().invoke(cli, ["sync", "--backend", "local", "--db", str(fork / "t.db"),
                                      "--dry-run"])
    assert result.exit_code == 0
    assert "::warning file=.github/workflows/tracker.yml,line=" in result.output
    assert "warning: .github/workflows/tracker.yml:" in result.output


def test_the_lines_that_fit_follow_the_roadmaps_hours() -> None:
    roadmap = parse_roadmap(
        "version: 1\nlearner: {name: A, timezone: America/New_York, locale: en}\n"
        'schedule: {start: 2026-12-01, day_opens_at: "06:50", '
        'retro: {weekday: sat, at: "21:45"}}\n'
        "stages:\n  - {title: S, weeks: 1, topics: [{title: T, steps: [x]}]}\n")
    assert suggested_schedule(roadmap) == (
        '    - cron: "7 7,8 * * *"\n      timezone: America/New_York\n'
        '    - cron: "7 10,12,14,16,18,20,22 * * *"\n      timezone: America/New_York\n'
        '    - cron: "2 22 * * 6"\n      timezone: America/New_York\n')
    assert problems(roadmap, suggested_schedule(roadmap)) == []


def test_the_hour_after_the_morning_includes_its_first_minute_not_its_last() -> None:
    zone = '      timezone: Europe/Berlin\n'
    retro = '    - cron: "0 20 * * 0"\n' + zone
    assert problems(berlin(), '    - cron: "0 7 * * *"\n' + zone + retro) == []
    assert problems(berlin(), '    - cron: "59 7 * * *"\n' + zone + retro) == []
    [late] = problems(berlin(), '    - cron: "0 8 * * *"\n' + zone + retro)
    assert late.startswith("tracker.yml:3:13: on.schedule: no run in the hour after "
                           "day_opens_at (07:00 Europe/Berlin) on 2026-11-30: the day's plan "
                           "would open late; the schedule that fits roadmap.yml:\n")
    [retro_late] = problems(berlin(), '    - cron: "17 7 * * *"\n' + zone +
                            '    - cron: "0 21 * * 0"\n' + zone)
    assert "no run in the hour after the retro's time (20:00, sun) on 2026-12-06: the retro " \
           "would open late" in retro_late


def test_a_window_across_the_daylight_saving_change_is_read_minute_by_minute() -> None:
    [entry], _ = read_schedule('on:\n  schedule:\n    - cron: "0 1 * * *"\n', "tracker.yml")
    berlin_zone = ZoneInfo("Europe/Berlin")
    start = dt.datetime(2027, 3, 28, 1, 30, tzinfo=berlin_zone)  # 00:30 UTC; clocks jump at 2
    assert entry.fires_between(start, start + dt.timedelta(hours=1))  # 01:00 UTC is inside
    assert not entry.fires_between(start, start + dt.timedelta(minutes=30))
    later = dt.datetime(2027, 3, 28, 1, 0, 30, tzinfo=dt.UTC)  # a start between two minutes
    assert not entry.fires_between(later, later + dt.timedelta(hours=1))


@pytest.mark.parametrize(("schedule", "message"), [
    ("    - {timezone: Asia/Shanghai}\n",
     'tracker.yml:3:7: on.schedule: each entry needs a cron: "MIN HOUR * * *"'),
    ('    - cron: "17 7 * *"\n',
     "tracker.yml:3:13: on.schedule: '17 7 * *' has 4 fields; cron has five"),
    ('    - cron: "17 25 * * *"\n',
     "tracker.yml:3:13: on.schedule: '25' is not between 0 and 23"),
    ('    - cron: "17 9-7 * * *"\n',
     "tracker.yml:3:13: on.schedule: the range 9-7 runs backwards"),
    ('    - cron: "17 7 * * *"\n      timezone: Asia/Shangai\n',
     "tracker.yml:4:17: on.schedule: unknown time zone 'Asia/Shangai': write an IANA name, "
     "the one of learner.timezone in roadmap.yml"),
])
def test_a_schedule_the_check_cannot_read_is_named_on_its_line(schedule: str,
                                                              message: str) -> None:
    _, unread = read_schedule("on:\n  schedule:\n" + schedule, "tracker.yml")
    assert [str(d) for d in unread] == [message]


def test_a_workflow_without_a_schedule_is_told_what_to_add(tmp_path: Path) -> None:
    workflow = tmp_path / ".github" / "workflows" / "tracker.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("on:\n  workflow_dispatch:\n", encoding="utf-8")
    [missing] = check_workflow(berlin(), tmp_path, TODAY)
    assert str(missing).startswith(".github/workflows/tracker.yml:1:1: on.schedule: the "
                                   "workflow has no schedule, so no plan opens by itself: "
                                   "add\n  schedule:\n    - cron: \"17 7,8 * * *\"")
    workflow.write_text("on: [push\n", encoding="utf-8")
    [broken] = check_workflow(berlin(), tmp_path, TODAY)
    assert broken.where == "(syntax)"
    assert check_workflow(berlin(), tmp_path / "elsewhere", TODAY) == []
