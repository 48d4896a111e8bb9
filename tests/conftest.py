"""Shared fixtures: no test depends on the developer's shell or on GitHub."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# The shipped roadmap starts on its first run (`start: auto`); the tests play it from this day.
DEFAULT_START = dt.date(2026, 11, 30)


def shipped_roadmap():  # -> Roadmap
    """The shipped roadmap.yml as if its first run was on `DEFAULT_START`."""
    from tracker.roadmap import load_roadmap

    return load_roadmap(REPO / "roadmap.yml", today=DEFAULT_START)


@pytest.fixture
def roadmap_copy(tmp_path: Path) -> Path:
    """A copy of the shipped roadmap.yml whose start is `DEFAULT_START`, for commands that
    would write a `start: auto` into the file."""
    from tracker.startdate import with_start

    path = tmp_path / "plan" / "roadmap.yml"
    path.parent.mkdir()
    text = (REPO / "roadmap.yml").read_text(encoding="utf-8")
    path.write_text(with_start(text, DEFAULT_START), encoding="utf-8")
    return path


@pytest.fixture(autouse=True, scope="session")
def _shipped_files_untouched() -> Iterator[None]:
    """No test may write into the repository's own roadmap (a `start: auto` run would)."""
    before = (REPO / "roadmap.yml").read_bytes()
    yield
    assert (REPO / "roadmap.yml").read_bytes() == before, "a test wrote into roadmap.yml"


@pytest.fixture(autouse=True)
def _the_repositorys_templates() -> Iterator[None]:
    """A command run in a test renders from its checkout's templates/ from then on (see
    `render.use_templates`); the next test starts from the repository's own again, not from a
    temporary folder that may be gone."""
    yield
    from tracker import render

    render.use_templates(None)


@pytest.fixture(autouse=True)
def _no_github_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Actions sets GITHUB_*; a developer's shell may too. Tests set what they need."""
    import os

    for name in list(os.environ):
        if name.startswith("GITHUB_") or name in ("ACTIONS_STEP_DEBUG", "CI_TRACKER_BACKEND"):
            monkeypatch.delenv(name, raising=False)


def assert_golden(golden: Path, text: str) -> None:
    """`text` equals the golden file; `UPDATE_GOLDEN=1` writes it instead. A missing golden
    file fails: a test that wrote its own expectation would pass whatever it rendered."""
    import os

    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    if not golden.exists():
        pytest.fail(f"{golden} is missing: look at the output, then rerun with UPDATE_GOLDEN=1 "
                    f"to write it")
    assert text == golden.read_text(encoding="utf-8"), (
        f"{golden.name} changed: look at it, then rerun with UPDATE_GOLDEN=1 if it is right")


# --- Fake GitHub (tests/fake_github.py), for tests of the GitHub-backed store ---------------

from fake_github import FakeGitHub  # noqa: E402


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """An activated fake GitHub: repository ``learner/study``, users owner, bot and stranger."""
    with FakeGitHub() as fake:
        yield fake
