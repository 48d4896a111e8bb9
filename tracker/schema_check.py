"""Check a roadmap against `roadmap.schema.json` and word each violation for a person."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path as FsPath
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from . import repo_files
from .diagnostics import Diagnostic, format_path
from .ids import slugify
from .slips import list_separator_hint
from .yamlsource import Path, SourceMap

SCHEMA_NAME = "roadmap.schema.json"

# What each pattern means, in words, with an example of the right form.
_PATTERN_HINTS = {
    "date": "is not a date: write it as YYYY-MM-DD, e.g. 2026-03-01",
    "time": "is not a time: write it as HH:MM in quotes, e.g. \"07:30\"",
    "url": "is not a link: write the full address, starting with https://",
    "id": "is not a valid id: use lowercase letters, digits, '.', '_' and '-' "
          "(at most 64, starting with a letter or digit)",
    "language": "is not a language code: use e.g. zh, en or zh-CN",
    "estimate": "is not an estimate: write hours as a number, or e.g. \"90m\", \"2h\", \"1.5d\"",
    "after": "is not a duration: write e.g. \"3 months\", \"6 weeks\" or \"10 days\"",
    "color": "is not a colour: write six hex digits without #, e.g. 1d76db",
    "email": "is not an email address: write it whole, e.g. ada@example.com",
    "countRange": "is not a whole number or a range: write e.g. 2, or the minimum and the "
                  "maximum, e.g. 2-3",
    "range": "is not a number or a range: write e.g. 1.5, or the minimum and the maximum, "
             "e.g. 1.5-2",
}

_TYPE_WORDS = {
    "object": "a mapping (key: value lines)",
    "array": "a list (lines starting with '- ')",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


@cache
def schema(near: FsPath | None = None) -> dict[str, Any]:
    """The roadmap schema: `roadmap.schema.json` beside the roadmap or above it, else the
    tracker's own checkout."""
    path = repo_files.find(SCHEMA_NAME, near)
    if path is None:
        raise SchemaMissing(f"{SCHEMA_NAME} not found beside the roadmap or above it: copy it "
                            f"from the tracker's repository")
    return json.loads(path.read_text(encoding="utf-8"))


def key_names(near: FsPath | None = None) -> frozenset[str]:
    """Every key the format knows, at any depth (weekday names too: they key `hours`)."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                names.update(properties)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    document = schema(near)
    walk(document)
    names.update(document["definitions"]["weekday"]["enum"])
    return frozenset(names - {"$schema"})


class SchemaMissing(Exception):
    """The schema file could not be found."""


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "null"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, dict | list):
        return _TYPE_WORDS[_type_of(value)]
    return repr(value)


def suggest(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when a choice is close to `word`, else an empty string."""
    lowered = {str(c).lower(): str(c) for c in choices}
    word = str(word).lower()
    match = difflib.get_close_matches(word, list(lowered), n=1, cutoff=0.6)
    if not match and len(word) >= 2:  # "zh" for "zh-CN", "wednesday" for "wed"
        match = [c for c in lowered if c.startswith(word) or word.startswith(c)][:1]
    return f" (did you mean '{lowered[match[0]]}'?)" if match else ""


def _pattern_hint(pattern: str) -> str:
    definitions = schema()["definitions"]
    for name in ("date", "time", "url", "id", "language", "countRange", "range"):
        if definitions.get(name, {}).get("pattern") == pattern:
            return _PATTERN_HINTS[name]
    if "(m|h|d)" in pattern:
        return _PATTERN_HINTS["estimate"]
    if "(day|week|month)" in pattern:
        return _PATTERN_HINTS["after"]
    if "a-fA-F" in pattern:
        return _PATTERN_HINTS["color"]
    if "@" in pattern:
        return _PATTERN_HINTS["email"]
    return f"does not have the expected form ({pattern})"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref and ref.startswith("#/definitions/"):
        return schema()["definitions"][ref.split("/")[-1]]
    return node


class _Translator:
    def __init__(self, source: SourceMap, file: str) -> None:
        self.source = source
        self.file = file

    def at_value(self, path: Path, message: str) -> Diagnostic:
        mark = self.source.value(path)
        return Diagnostic(mark.line, mark.col, format_path(path), message, self.file)

    def at_key(self, path: Path, message: str) -> Diagnostic:
        mark = self.source.key(path)
        return Diagnostic(mark.line, mark.col, format_path(path), message, self.file)

    def translate(self, error: ValidationError) -> Iterator[Diagnostic]:
        path: Path = tuple(error.absolute_path)
        value = error.instance
        if "propertyNames" in error.relative_schema_path and isinstance(value, str):
            # A bad key: point at the key itself, not at the mapping that holds it.
            for diagnostic in _Translator(self.source, self.file).translate_value(error):
                mark = self.source.key((*path, value))
                yield Diagnostic(mark.line, mark.col, format_path((*path, value)),
                                 diagnostic.message, self.file)
            return
        yield from self.translate_value(error)

    def translate_value(self, error: ValidationError) -> Iterator[Diagnostic]:
        path: Path = tuple(error.absolute_path)
        value = error.instance
        kind = error.validator
        spec = error.validator_value
        if kind == "additionalProperties":
            yield from self._unknown_keys(error, path, value)
        elif kind == "required":
            yield from self._missing_keys(error, path, value)
        elif kind == "const":
            yield self.at_value(path, f"unsupported value {_show(value)}: this tracker reads "
                                      f"{format_path(path[-1:])}: {spec}")
        elif kind == "enum" and path == ("version",):
            yield self.at_value(path, f"unsupported value {_show(value)}: this tracker reads "
                                      f"version: 1 or 1.1")
        elif kind == "enum":
            options = ", ".join(str(o) for o in spec)
            hint = list_separator_hint(value) or suggest(str(value), [str(o) for o in spec])
            yield self.at_value(path, f"{_show(value)} is not allowed here: use one of "
                                      f"{options}{hint}")
        elif kind == "type":
            yield self.at_value(path, _wrong_type(spec, value))
        elif kind == "pattern":
            yield self.at_value(path, f"{_show(value)} {_pattern_advice(spec, value)}")
        elif kind == "minLength":
            yield self.at_value(path, "must not be empty")
        elif kind == "maxLength":
            yield self.at_value(path, f"is {len(value)} characters long; at most {spec} are "
                                      f"allowed (GitHub's limit): shorten it")
        elif kind in _BOUNDS:
            size, word = _BOUNDS[kind]
            yield self.at_value(path, f"{_show(value)} is too {size}: it must be {word} {spec}")
        elif kind == "minItems":
            yield self.at_value(path, f"needs at least {spec} item{'s' if spec > 1 else ''}")
        elif kind == "uniqueItems":
            for twice in _first_repeated(value):
                yield self.at_value(path, f"lists {_show(twice)} twice: remove one")
        elif kind == "propertyNames":
            for sub in error.context:
                yield from self.translate(sub)
        elif kind in ("oneOf", "anyOf"):
            yield from self._alternatives(error, path, value)
        else:
            yield self.at_value(path, error.message)

    def _unknown_keys(self, error: ValidationError, path: Path,
                      value: Any) -> Iterator[Diagnostic]:
        allowed = sorted(error.schema.get("properties", {}))
        for key in value:
            if key in allowed:
                continue
            hint = suggest(key, allowed)
            tail = hint or f"; allowed here: {', '.join(allowed)}"
            yield self.at_key((*path, key), f"unknown key '{key}'{tail}")

    def _missing_keys(self, error: ValidationError, path: Path,
                      value: Any) -> Iterator[Diagnostic]:
        allowed = error.schema.get("properties", {})
        misspelt = {suggest(k, list(allowed)) for k in value if k not in allowed}
        for key in error.validator_value:
            # A misspelt key is reported as unknown, with this key as the suggestion.
            if key not in value and f" (did you mean '{key}'?)" not in misspelt:
                yield self.at_value(path, f"missing key '{key}': add it "
                                          f"({_describe(error.schema, key)})")

    def _alternatives(self, error: ValidationError, path: Path, value: Any) -> Iterator[Diagnostic]:
        """Explain a failed oneOf by the branch meant for this kind of value."""
        if isinstance(value, dict) and len(value) == 1:
            (key, inner), = value.items()
            allowed = {p for b in error.validator_value for p in _resolve(b).get("properties", {})}
            if key not in allowed and (inner is None or isinstance(inner, str | int | float)):
                # `- Step 1: read` is a mapping to YAML: the text was meant.
                yield self.at_value(path, f"this reads as '{key}: …' because of the ': ' in "
                                          f"the text: put the whole text in quotes")
                return
        branches = [_resolve(b) for b in error.validator_value]
        actual = _type_of(value)
        for index, branch in enumerate(branches):
            types = _branch_types(branch)
            if actual in types or (actual == "integer" and "number" in types):
                subs = [e for e in error.context if e.schema_path and e.schema_path[0] == index]
                if subs:
                    for sub in subs:
                        yield from self.translate(sub)
                    return
        kinds: list[str] = []
        for branch in branches:
            kinds.extend(_TYPE_WORDS[t] for t in _branch_types(branch))
        yield self.at_value(path, f"expected {' or '.join(dict.fromkeys(kinds))}, found "
                                  f"{_TYPE_WORDS[actual]}")


def _branch_types(branch: dict[str, Any]) -> list[str]:
    """The JSON types a branch of a oneOf accepts, looking through references and nested
    alternatives (a count is a number or a range, which is text)."""
    types = branch.get("type")
    if isinstance(types, str):
        return [types]
    if isinstance(types, list):
        return list(types)
    found: list[str] = []
    for inner in branch.get("oneOf", []):
        found.extend(t for t in _branch_types(_resolve(inner)) if t not in found)
    return found


def _describe(node: dict[str, Any], key: str) -> str:
    prop = _resolve(node.get("properties", {}).get(key, {}))
    return prop.get("description", "see docs/roadmap-format.md").rstrip(".")


def check(data: Any, source: SourceMap, file: str,
          near: FsPath | None = None) -> list[Diagnostic]:
    """Every way `data` breaks the schema, one diagnostic each, in file order."""
    validator = jsonschema.Draft7Validator(schema(near))
    translator = _Translator(source, file)
    found: list[Diagnostic] = []
    for error in validator.iter_errors(data):
        found.extend(translator.translate(error))
    return sorted(set(found))


# A bound the value crossed: which way, and the words for the limit.
_BOUNDS = {"minimum": ("small", "at least"), "exclusiveMinimum": ("small", "more than"),
           "maximum": ("large", "at most"), "exclusiveMaximum": ("large", "less than")}


def _wrong_type(spec: Any, value: Any) -> str:
    wanted = spec if isinstance(spec, str) else spec[0]
    found = _TYPE_WORDS[_type_of(value)]
    if _type_of(value) in ("string", "integer", "number", "boolean"):
        found += f" {_show(value)}"
    return f"expected {_TYPE_WORDS[wanted]}, found {found}"


def _pattern_advice(spec: str, value: Any) -> str:
    """What a text of the wrong shape should look like, and the likely slip."""
    hint = _pattern_hint(spec)
    if list_separator_hint(value):
        return hint + list_separator_hint(value)
    if hint in (_PATTERN_HINTS["range"], _PATTERN_HINTS["countRange"]) and _is_number(value):
        return hint + " (a number in quotes is text: remove the quotes)"
    if hint == _PATTERN_HINTS["id"] and slugify(value):
        return hint + f" (did you mean '{slugify(value)}'?)"
    return hint


def _first_repeated(items: list[Any]) -> list[Any]:
    """The first item listed a second time, if any."""
    seen: list[Any] = []
    for item in items:
        if item in seen:
            return [item]
        seen.append(item)
    return []
