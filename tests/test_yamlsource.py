"""The YAML reader: YAML 1.2 scalars, positions, duplicate keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import yamlsource
from tracker.diagnostics import RoadmapError
from tracker.roadmap import load_roadmap
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


# -- libyaml and the pure-Python reader give the same result ----------------------------------

REPO = Path(__file__).resolve().parent.parent
CORPUS = sorted((REPO / "tests" / "roadmaps").rglob("*.yml")) + sorted(
    (REPO / "examples").glob("*.yml")) + [REPO / "roadmap.yml"]
needs_libyaml = pytest.mark.skipif(yamlsource._CLoader is None,
                                   reason="this PyYAML was built without libyaml")


def loaded(text: str) -> Any:
    """All that `load` tells: data, every mark, every problem; or the syntax error."""
    try:
        data, source, problems = load(text)
    except YamlSyntaxError as error:
        return ("syntax error", error.mark, error.message)
    return (repr(data), sorted(source.values.items(), key=repr),
            sorted(source.keys.items(), key=repr), problems)


def validated(path: Path) -> Any:
    """All that `tracker validate` tells about a file: every diagnostic, or the plan."""
    try:
        return repr(load_roadmap(path))
    except RoadmapError as error:
        return [str(d) for d in error.diagnostics]


def both_ways(monkeypatch: pytest.MonkeyPatch, read: Any, arg: Any) -> tuple[Any, Any]:
    fast = read(arg)
    with monkeypatch.context() as patch:
        patch.setattr(yamlsource, "_CLoader", None)
        return fast, read(arg)


@needs_libyaml
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_libyaml_reads_every_corpus_file_as_the_pure_python_reader_does(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        text = None  # the corpus's file that is not UTF-8: validate still reads it
    if text is not None:
        fast, pure = both_ways(monkeypatch, loaded, text)
        assert fast == pure
    fast, pure = both_ways(monkeypatch, validated, path)
    assert fast == pure


# Where libyaml's composer parts ways with PyYAML's: a different tree, a different mark, or
# a text one accepts and the other refuses. Each is read by the pure-Python path.
PARTING_WAYS = {
    "a tab after a value": "a: 1\t\nb: 2\n",
    "a tab inside a plain scalar": "title: Read\tit\n",
    "a U+FEFF inside a line": "a\ufeffb: [1, 2]\n",
    "no final line break, a '?' at the end": "a: 1\n?",
    "no final line break, a '---' alone": "---",
    "a '?' inside [...]": "steps: [Why is it so?]\n",
    "a '?' inside {...}": "q: {question: Why?, hint: think}\n",
    "an empty value inside {...}": "hours: {mon: , tue: 2}\n",
    "a '#' right after '|'": "why: |#\n  text\n",
    "a '#' right after '>'": "why: >#\n",
}


def raw_tree(loader: Any, text: str) -> Any:
    """The node tree a composer makes, as plain tuples (marks included), or its error."""
    def shape(node: Any) -> Any:
        mark = (node.start_mark.line, node.start_mark.column)
        if isinstance(node.value, str):
            return (node.tag, node.value, node.style or None, mark)
        if node.value and isinstance(node.value[0], tuple):
            return (node.tag, mark, [(shape(k), shape(v)) for k, v in node.value])
        return (node.tag, mark, [shape(item) for item in node.value])

    try:
        composer = loader(text)
        try:
            root = composer.get_single_node()
        finally:
            composer.dispose()
    except yaml.YAMLError as error:
        return type(error).__name__
    return None if root is None else shape(root)


@needs_libyaml
@pytest.mark.parametrize("text", PARTING_WAYS.values(), ids=PARTING_WAYS.keys())
def test_where_libyaml_parts_ways_the_pure_python_reader_reads(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The corner is real: the two composers disagree on it ...
    assert raw_tree(yamlsource._CLoader, text) != raw_tree(yamlsource._Loader, text)
    # ... and `load` still gives what the pure-Python reader gives.
    fast, pure = both_ways(monkeypatch, loaded, text)
    assert fast == pure


@needs_libyaml
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_libyaml_and_pure_python_agree_on_mangled_roadmaps(data: st.DataObject) -> None:
    """A learner's typos, anywhere: both paths give the same data, marks and messages."""
    path = data.draw(st.sampled_from(CORPUS))
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True) or [""]
    except UnicodeDecodeError:
        return
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        cut = data.draw(st.integers(0, len(line)))
        typo = data.draw(st.sampled_from(TYPOS))
        lines[at] = line[:cut] + typo + line[cut + data.draw(st.integers(0, 1)):]
    text = "".join(lines)
    fast = loaded(text)
    saved = yamlsource._CLoader
    yamlsource._CLoader = None
    try:
        assert loaded(text) == fast
    finally:
        yamlsource._CLoader = saved


TYPOS = [":", ": ", " ", "  ", "\t", "\n", "\r\n", "-", "- ", "#", '"', "'", "[", "]", "{", "}",
         ",", "!", "&a ", "*a", "|", ">", "?", "? ", "%", "@", "`", "：", "，", "\u3000", "\ufeff",
         "\x85", "\u2028", "\x07", "x", "0", "\\", "~", "\u00a0", "😀", "<<: ", "---\n", ""]


@needs_libyaml
def test_the_shipped_plans_are_read_by_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path covers real plans, so the speed-up is not lost to the fallback."""
    def refuse(text: str) -> None:
        raise AssertionError("the pure-Python composer read a shipped plan")

    monkeypatch.setattr(yamlsource, "_Loader", refuse)
    for path in [REPO / "roadmap.yml", *sorted((REPO / "examples").glob("*.yml"))]:
        load_roadmap(path)


def test_without_libyaml_the_pure_python_reader_does_everything(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource, "_CLoader", None)
    assert load_roadmap(REPO / "roadmap.yml").topics
    with pytest.raises(YamlSyntaxError) as caught:
        load("a: [1, 2\nb: 3\n")
    assert caught.value.mark == Mark(1, 4)
