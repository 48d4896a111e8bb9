"""The workflows a learner's fork runs: triggers, permissions, concurrency, pinned actions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    # PyYAML reads the key `on` as True (YAML 1.1); BaseLoader keeps every scalar as text.
    return yaml.load((WORKFLOWS / name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_the_tracker_runs_hourly_on_demand_on_roadmap_pushes_and_owner_edits() -> None:
    flow = load("tracker.yml")
    on = flow["on"]
    [cron] = on["schedule"]
    minute, hour, *_ = cron["cron"].split()
    assert hour == "*" and minute not in ("0", "*")  # hourly catch-up, off the busy hour
    inputs = on["workflow_dispatch"]["inputs"]
    assert "tick" in inputs["step"]["options"] and inputs["step"]["default"] == "tick"
    assert inputs["date"]["required"] == "false"
    assert set(on["push"]["paths"]) == {"roadmap.yml", "templates/**"}
    assert set(on["issues"]["types"]) == {"edited", "closed", "reopened"}
    [job] = flow["jobs"].values()
    # Someone else's issue event is skipped before a runner is taken.
    assert "github.event.sender.login == github.repository_owner" in job["if"]


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


def test_pip_is_cached() -> None:
    for name in ("tracker.yml", "ci.yml"):
        [python] = [s for s in steps(load(name)) if "setup-python" in s.get("uses", "")]
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
