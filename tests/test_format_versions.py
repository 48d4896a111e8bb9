"""Format 1 roadmaps stay valid as the format grows: the shipped plans as they were, kept here."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import cli
from tracker.roadmap import load_roadmap

V1 = Path(__file__).resolve().parent / "roadmaps" / "v1"
V1_PLANS = sorted(V1.glob("*.yml"))


def test_the_v1_fixtures_are_there() -> None:
    assert [p.name for p in V1_PLANS] == ["ai-engineer.yml", "internship-sprint.yml",
                                          "roadmap.yml"]


@pytest.mark.parametrize("path", V1_PLANS, ids=lambda p: p.name)
def test_a_v1_roadmap_still_validates(path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].endswith(": valid")
    assert load_roadmap(path).version == "1"
