"""Shared fixtures: no test depends on the developer's shell or on GitHub."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _no_github_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Actions sets GITHUB_*; a developer's shell may too. Tests set what they need."""
    import os

    for name in list(os.environ):
        if name.startswith("GITHUB_") or name in ("ACTIONS_STEP_DEBUG", "CI_TRACKER_BACKEND"):
            monkeypatch.delenv(name, raising=False)


# --- Fake GitHub (tests/fake_github.py), for tests of the GitHub-backed store ---------------

from collections.abc import Iterator  # noqa: E402  (appended section)

from fake_github import FakeGitHub  # noqa: E402


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """An activated fake GitHub: repository ``learner/study``, users owner, bot and stranger."""
    with FakeGitHub() as fake:
        yield fake
