"""The YAML reader: YAML 1.2 scalars, positions, duplicate keys."""

from __future__ import annotations

import pytest

from tracker.yamlsource import Mark, YamlSyntaxError, load


def test_scalars_follow_yaml_1_2_not_1_1() -> None:
    data, _, problems = load("a: 7:30\nb: no\nc: on\nd: 2025-02-30\ne: 012\nf: 1.5\ng: true\n"
                             "h: ~\ni: '3'\n")
    assert problems == []
    assert data == {"a": "7:30", "b": "no", "c": "on", "d": "2025-02-30", "e": 12, "f": 1.5,
                    "g": True, "h": None, "i": "3"}


def test_positions_of_keys_and_values_are_one_based() -> None:
    _, source, _ = load("top:\n  - name: x\n    list: [1, 2]\n")
    assert source.key(("top", 0, "name")) == Mark(2, 5)
    assert source.value(("top", 0, "name")) == Mark(2, 11)
    assert source.value(("top", 0, "list", 1)) == Mark(3, 15)
    # A path the file does not have falls back to its nearest enclosing value.
    assert source.value(("top", 0, "missing")) == Mark(2, 5)


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    data, _, problems = load("title: a\nother: 1\ntitle: b\n")
    assert data["title"] == "a"
    assert len(problems) == 1
    assert problems[0].mark == Mark(3, 1)
    assert "duplicate key 'title' (first at line 1)" in problems[0].message


def test_tab_indentation_is_named_as_such() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        load("a:\n\tb: 1\n")
    assert caught.value.mark == Mark(2, 1)
    assert "tab" in caught.value.message


def test_syntax_error_has_a_line() -> None:
    with pytest.raises(YamlSyntaxError) as caught:
        load("a: [1, 2\nb: 3\n")
    assert caught.value.mark == Mark(1, 4)  # where the '[' opens, not where YAML noticed
    assert "this '[' is never closed" in caught.value.message


def test_empty_and_comment_only_files_load_as_nothing() -> None:
    assert load("")[0] is None
    assert load("# just a comment\n")[0] is None


def test_custom_tags_are_refused_not_executed() -> None:
    data, _, problems = load("a: !!python/object:os.system x\n")
    assert data == {"a": "x"}
    assert "not supported" in problems[0].message
