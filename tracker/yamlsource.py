"""Read a YAML file into plain data, remembering where every key and value stands.

PyYAML's own loaders lose line numbers, keep the last of two duplicate keys without a word,
and follow YAML 1.1, where `7:30` is the integer 450, `no` is False and `2025-02-30` crashes the
date constructor. A learner's plan deserves better: we compose the node tree ourselves and
build the data with YAML 1.2 core-schema scalars (dates and times stay text, checked later).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    """A 1-based line and column in the source file."""

    line: int
    col: int


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of the loaded data came from."""

    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)

    def value(self, path: Path) -> Mark:
        """The mark of the value at `path`, or of its nearest enclosing value."""
        for n in range(len(path), -1, -1):
            mark = self.values.get(path[:n])
            if mark is not None:
                return mark
        return Mark(1, 1)

    def key(self, path: Path) -> Mark:
        """The mark of the key that holds `path`, falling back to the value's mark."""
        return self.keys.get(path) or self.value(path)


@dataclass(frozen=True)
class YamlProblem:
    """Something wrong found while reading the YAML itself."""

    path: Path
    mark: Mark
    message: str


class YamlSyntaxError(Exception):
    """The text is not YAML at all; nothing past this point can be read."""

    def __init__(self, mark: Mark, message: str, problem: str = "",
                 context: Mark | None = None) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.problem = problem  # the parser's own words, to recognise the kind of error
        self.context = context  # where the construct that failed began, if the parser says


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_STR = "tag:yaml.org,2002:str"


class _CoreResolver(yaml.resolver.Resolver):
    """Tags every plain scalar as a string; `_scalar` decides its type by YAML 1.2 rules."""


_CoreResolver.yaml_implicit_resolvers = {}


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,
              yaml.composer.Composer, _CoreResolver):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _CoreResolver.__init__(self)


# libyaml's C composer builds the same nodes with the same marks, three times as fast as the
# pure-Python one. In a few corners the two part ways, and there the pure-Python one reads the
# text: a tab or a U+FEFF (PyYAML's reader gives U+FEFF no column), a character YAML does not
# allow, a '#' right after a block scalar's '|' or '>', a text without a final line break, and
# plain scalars inside [...] or {...} that are empty or hold a '?'. Errors are always worded
# by the pure-Python path, so messages never depend on libyaml.
_PURE_ONLY = re.compile("[\\t\\ufeff]|[|>][-+0-9]{0,2}#|"
                        + yaml.reader.Reader.NON_PRINTABLE.pattern)
_CLoader: type[Any] | None
try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML built without libyaml
    _CLoader = None
else:
    class _FastLoader(CParser, _CoreResolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _CoreResolver.__init__(self)

    _CLoader = _FastLoader


def _compose(text: str) -> Node | None:
    """The node tree of `text`, the same whichever composer makes it."""
    if _CLoader is not None and text.endswith("\n") and not _PURE_ONLY.search(text):
        fast = _CLoader(text)
        try:
            root = fast.get_single_node()
        except yaml.YAMLError:
            pass  # the pure-Python path says what is wrong, in its own words
        else:
            if not _parts_ways(root):
                return root
        finally:
            fast.dispose()
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _parts_ways(node: Node | None, in_flow: bool = False,
                seen: frozenset[int] = frozenset()) -> bool:
    """Whether a plain scalar inside [...] or {...} is empty (libyaml marks it a column later)
    or holds a '?' (libyaml reads on past it)."""
    if isinstance(node, ScalarNode):
        return in_flow and not node.style and (not node.value or "?" in node.value)
    if not isinstance(node, CollectionNode) or id(node) in seen:  # seen: a recursive alias
        return False
    seen = seen | {id(node)}
    flow = in_flow or bool(node.flow_style)
    if isinstance(node, SequenceNode):
        return any(_parts_ways(item, flow, seen) for item in node.value)
    return any(_parts_ways(key, flow, seen) or _parts_ways(value, flow, seen)
               for key, value in node.value)


def _mark(node: Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


def _scalar(node: ScalarNode) -> Any:
    text = node.value
    if node.tag != _STR:
        short = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise ValueError(f"the tag {short} is not supported here; remove it")
    if node.style:  # quoted and block scalars are always text
        return text
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT.match(text):
        return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
    if _FLOAT.match(text):
        low = text.lower()
        if low.endswith("inf"):
            return -math.inf if low.startswith("-") else math.inf
        return math.nan if low.endswith("nan") else float(text)
    return text


_UNCLOSED = {
    "flow sequence": "this '[' is never closed: add the matching ']'",
    "flow mapping": "this '{' is never closed: add the matching '}'",
    "quoted scalar": "this quote is never closed: add the matching quote at the end of the text",
}


def _syntax_error(err: yaml.MarkedYAMLError) -> tuple[Mark, str]:
    """Where a person should look, and what to do there."""
    problem = err.problem or "invalid YAML"
    mark = err.problem_mark or err.context_mark
    where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
    if "'\\t'" in problem or "tab" in problem:
        return where, "a tab character is not allowed here: YAML indents with spaces only"
    context = err.context or ""
    for construct, advice in _UNCLOSED.items():
        if construct in context and err.context_mark is not None and (
                "end of stream" in problem or "expected" in problem):
            start = err.context_mark
            if mark is not None and mark.line == start.line and "end of stream" not in problem:
                # Closed on the same line: something inside it needs quotes.
                return where, ("YAML syntax error: inside [...] or {...}, text with ',', ':', "
                               "'?', '#' or brackets must be in quotes: quote the text")
            return Mark(start.line + 1, start.column + 1), f"YAML syntax error: {advice}"
    if "mapping values are not allowed" in problem:
        return where, ("YAML syntax error: a ': ' inside a value: if this is text, put the "
                       "whole text in quotes, e.g. title: \"Linux: the basics\"")
    return where, f"YAML syntax error: {context} {problem}".replace("  ", " ").replace(": :", ":")


def load(text: str) -> tuple[Any, SourceMap, list[YamlProblem]]:
    """Parse `text`; return the data, where each piece came from, and what is wrong with it.

    Raises `YamlSyntaxError` when the text cannot be parsed at all.
    """
    problems = _tab_problems(text)
    root = _compose_or_say_where(text, problems)
    builder = _Builder(problems)
    if root is None:
        return None, builder.source, problems
    return builder.build(root, (), ()), builder.source, problems


def _tab_problems(text: str) -> list[YamlProblem]:
    """Each line indented with a tab: YAML refuses them, and an editor hides them."""
    problems: list[YamlProblem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip() and not line.lstrip().startswith("#"):
            col = indent.index("\t") + 1
            problems.append(YamlProblem((), Mark(number, col),
                                        "a tab character in the indentation: YAML indents "
                                        "with spaces only; replace the tab with spaces"))
    return problems


def _compose_or_say_where(text: str, problems: list[YamlProblem]) -> Node | None:
    """The node tree, or a `YamlSyntaxError` naming the line and what to type instead."""
    try:
        return _compose(text)
    except yaml.MarkedYAMLError as err:
        where, message = _syntax_error(err)
        if problems and "tab" in message:
            raise YamlSyntaxError(problems[0].mark, problems[0].message) from None
        context = err.context_mark
        raise YamlSyntaxError(where, message, err.problem or "", Mark(
            context.line + 1, context.column + 1) if context else None) from None
    except yaml.reader.ReaderError as err:  # a control character YAML does not allow
        before = text[: err.position]
        where = Mark(before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)
        raise YamlSyntaxError(where, f"a control character (#x{err.character:04x}) YAML does "
                                     f"not allow: delete it") from None


class _Builder:
    """Plain data from the node tree, remembering where each key and value was written."""

    def __init__(self, problems: list[YamlProblem]) -> None:
        self.problems = problems
        self.source = SourceMap()

    def build(self, node: Node, path: Path, seen: tuple[int, ...]) -> Any:
        self.source.values.setdefault(path, _mark(node))
        if id(node) in seen:  # an alias that contains itself
            self.problems.append(YamlProblem(path, _mark(node), "a recursive alias: remove it"))
            return None
        seen = (*seen, id(node))
        if isinstance(node, ScalarNode):
            try:
                return _scalar(node)
            except ValueError as err:
                self.problems.append(YamlProblem(path, _mark(node), str(err)))
                return node.value
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), seen) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        return self._mapping(node, path, seen)

    def _mapping(self, node: MappingNode, path: Path, seen: tuple[int, ...]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, path, first_seen)
            if key is None:
                continue
            child = (*path, key)
            first_seen[key] = self.source.keys[child] = _mark(key_node)
            result[key] = self.build(value_node, child, seen)
        return result

    def _key(self, key_node: Node, path: Path, first_seen: dict[str, Mark]) -> str | None:
        """The key as written, or None (and a problem said) when it cannot count."""
        key_mark = _mark(key_node)
        if not isinstance(key_node, ScalarNode):
            self.problems.append(YamlProblem(path, key_mark,
                                             "a key must be a plain word, not a list or mapping"))
            return None
        if key_node.value == "<<" and key_node.tag.endswith(":merge"):
            self.problems.append(YamlProblem(path, key_mark,
                                             "merge keys (<<) are not supported: "
                                             "write the keys out"))
            return None
        key: str = key_node.value
        if key in first_seen:
            first = first_seen[key]
            self.problems.append(YamlProblem(
                (*path, key), key_mark,
                f"duplicate key '{key}' (first at line {first.line}): only one of them "
                f"can count; remove or rename one"))
            return None
        return key
