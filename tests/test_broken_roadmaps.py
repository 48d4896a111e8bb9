"""`tracker validate` on a corpus of broken roadmaps, and on the valid ones.

Each file in `tests/roadmaps/broken/` holds one kind of mistake (or several, when the case is
about reporting them all) and says in its leading comments what the validator must print:

    # expect: line 14: unknown key 'titel' | did you mean 'title'
    # expect: lines 9, 12: HH:MM
    # expect: nothing else
    # xfail: the validator reports line 18 instead of 17

`line N: a | b` asks for a diagnostic on line N whose text contains `a` and `b` (the words that
name the fix); a file may have several `# expect:` lines. `nothing else` forbids diagnostics on
any other line. `# xfail:` marks a case the validator gets wrong today: the case stays as strict
as it is and is expected to fail, so it turns red again when the validator is fixed and the mark
should go. Files in `tests/roadmaps/valid/` must pass, unless marked `# xfail:` the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tracker.cli import cli

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "roadmaps"
BROKEN = sorted((CORPUS / "broken").glob("*.yml"))
VALID_EDGES = sorted((CORPUS / "valid").glob("*.yml"))
VALID_PLANS = [REPO / "roadmap.yml", *sorted((REPO / "examples").glob("*.yml"))]
MIN_CORPUS = 93

# A 0-byte file has no room for a comment; its expectation lives here instead.
NO_ROOM_FOR_A_COMMENT = {"04-empty-file.yml": "line 1: empty | start from the example"}

DIAGNOSTIC = re.compile(r"^(?P<file>[^:]+):(?P<line>[0-9]+):(?P<col>[0-9]+): "
                        r"(?P<where>[^:]+): (?P<message>\S.*)$")
SUMMARY = re.compile(r"^(?P<count>[0-9]+) problems? found; nothing was changed\.$")
ANNOTATION = re.compile(r"^::error file=(?P<file>[^,:]+),line=(?P<line>[0-9]+),"
                        r"col=(?P<col>[0-9]+)(?:,title=[^:]*)?::(?P<message>.*)$")
EXPECT = re.compile(r"^#\s*expect:\s*lines?\s+(?P<lines>[0-9]+(?:\s*,\s*[0-9]+)*)\s*:"
                    r"(?P<texts>.*)$")
NOTHING_ELSE = re.compile(r"^#\s*expect:\s*nothing else\s*$")
XFAIL = re.compile(r"^#\s*xfail:\s*(?P<reason>.+?)\s*$")


@dataclass
class Case:
    """What a corpus file says about itself in its leading comments."""

    expected: dict[int, list[str]] = field(default_factory=dict)
    nothing_else: bool = False
    xfail: str | None = None


def read_case(path: Path) -> Case:
    # The corpus holds a file that is not UTF-8 on purpose: its comments still are.
    text = path.read_bytes().decode("utf-8", errors="replace")
    header = NO_ROOM_FOR_A_COMMENT.get(path.name)
    lines = [f"# expect: {header}"] if header else []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    case = Case()
    for line in lines:
        if match := EXPECT.match(line):
            texts = [t.strip() for t in match["texts"].split("|") if t.strip()]
            for number in match["lines"].split(","):
                case.expected.setdefault(int(number), []).extend(texts)
        elif NOTHING_ELSE.match(line):
            case.nothing_else = True
        elif match := XFAIL.match(line):
            case.xfail = match["reason"]
        elif re.match(r"^#\s*(expect|xfail)\b", line):
            raise ValueError(f"{path.name}: cannot read {line!r}")
    return case


def params(paths: list[Path]) -> list[object]:
    """One test per file, named after it; `# xfail:` files are strict expected failures."""
    result = []
    for path in paths:
        reason = read_case(path).xfail
        marks = [pytest.mark.xfail(reason=reason, strict=True, raises=AssertionError)] \
            if reason else []
        result.append(pytest.param(path, id=path.name, marks=marks))
    return result


def run_validate(path: Path, actions: bool = False) -> Result:
    runner = CliRunner()
    env = {"GITHUB_ACTIONS": "true" if actions else None}
    return runner.invoke(cli, ["validate", str(path)], env=env)


def assert_no_traceback(result: Result) -> None:
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, f"the validator crashed: {result.exception!r}"
    assert "Traceback" not in result.stdout + result.stderr


def diagnostics(result: Result, path: Path) -> list[re.Match[str]]:
    """Every diagnostic on stderr, each checked for its `FILE:LINE:COL: where: message` shape."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, "nothing on stderr"
    summary = SUMMARY.match(lines[-1])
    assert summary, f"no 'N problems found' line at the end: {lines[-1]!r}"
    found = []
    for line in lines[:-1]:
        match = DIAGNOSTIC.match(line)
        assert match, f"not a FILE:LINE:COL: where: message line: {line!r}"
        assert Path(match["file"]).resolve() == path.resolve(), f"names another file: {line!r}"
        found.append(match)
    assert int(summary["count"]) == len(found), "the count does not match the list"
    return found


@pytest.mark.parametrize("path", params(BROKEN))
def test_broken_roadmap(path: Path) -> None:
    case = read_case(path)
    assert case.expected, f"{path.name} has no '# expect: line N: ...' comment"

    result = run_validate(path)
    assert_no_traceback(result)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "::error" not in result.stdout, "annotations outside GitHub Actions"
    found = diagnostics(result, path)
    printed = "\n".join(m.group(0) for m in found)
    for line, texts in case.expected.items():
        on_line = [m["message"] for m in found if int(m["line"]) == line]
        assert on_line, f"no diagnostic on line {line}; printed:\n{printed}"
        for text in texts:
            assert any(text in message for message in on_line), \
                f"line {line}: no diagnostic says {text!r}; printed:\n{printed}"
    if case.nothing_else:
        others = [m.group(0) for m in found if int(m["line"]) not in case.expected]
        assert not others, "diagnostics for problems the file does not have:\n" + \
            "\n".join(others)

    actions = run_validate(path, actions=True)
    assert_no_traceback(actions)
    assert actions.exit_code == 2
    annotations = [ANNOTATION.match(line) for line in actions.stdout.splitlines()
                   if line.startswith("::")]
    assert all(annotations), f"malformed annotation in:\n{actions.stdout}"
    assert len(annotations) == len(found), "one annotation per diagnostic"
    annotated = {int(a["line"]) for a in annotations if a}
    for line in case.expected:
        assert line in annotated, f"no ::error annotation with line={line}:\n{actions.stdout}"


def test_corpus_is_large_enough() -> None:
    assert len(BROKEN) >= MIN_CORPUS, f"only {len(BROKEN)} broken roadmaps"


def assert_valid(path: Path) -> None:
    result = run_validate(path)
    assert_no_traceback(result)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0].endswith(": valid"), result.stdout


@pytest.mark.parametrize("path", [pytest.param(p, id=p.relative_to(REPO).as_posix())
                                  for p in VALID_PLANS if p.exists()])
def test_shipped_roadmaps_are_valid(path: Path) -> None:
    assert_valid(path)


@pytest.mark.parametrize("path", params(VALID_EDGES))
def test_valid_edge_cases(path: Path) -> None:
    assert_valid(path)
