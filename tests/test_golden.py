"""The golden-file and reference-data tests fail loudly when their file is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

import test_daily
import test_fake_github
import test_pictures


def test_a_missing_golden_picture_fails_unless_regeneration_is_asked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(test_pictures, "GOLDEN", tmp_path)
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    name = sorted(test_pictures.golden_pictures())[0]
    with pytest.raises(pytest.fail.Exception, match="UPDATE_GOLDEN=1"):
        test_pictures.test_pictures_match_the_golden_files(name)
    assert not (tmp_path / name).exists()
    monkeypatch.setenv("UPDATE_GOLDEN", "1")
    test_pictures.test_pictures_match_the_golden_files(name)
    assert (tmp_path / name).exists()


def test_a_missing_golden_plan_fails_unless_regeneration_is_asked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    golden = tmp_path / "golden"
    monkeypatch.setattr(test_daily, "GOLDEN", golden)
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    with pytest.raises(pytest.fail.Exception, match="UPDATE_GOLDEN=1"):
        test_daily.test_rendered_plan_and_retro_match_the_golden_files(tmp_path / "a", "en")
    assert not golden.exists()
    monkeypatch.setenv("UPDATE_GOLDEN", "1")
    test_daily.test_rendered_plan_and_retro_match_the_golden_files(tmp_path / "b", "en")
    assert sorted(p.name for p in golden.iterdir()) == ["daily.en.md", "retro.en.md"]


def test_the_openapi_description_is_in_the_repository() -> None:
    """The schema tests read it from tests/, so a fork's CI runs them rather than skipping."""
    spec = test_fake_github.SPEC_PATH
    assert spec.is_file() and spec.is_relative_to(Path(__file__).parent)
    assert (spec.parent / "LICENSE").is_file() and (spec.parent / "README.md").is_file()
