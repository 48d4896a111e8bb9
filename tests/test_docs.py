"""The README keeps step with the schema and the CLI."""

from __future__ import annotations

import json
import re
from typing import Any

import click

from tracker.cli import cli

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
SCHEMA = json.loads((REPO / "roadmap.schema.json").read_text(encoding="utf-8"))
# Objects reached through these definitions are documented once, under the definition's name.
SHARED = {"checkbox": "checkbox"}


def schema_objects() -> dict[str, set[str]]:
    """Every object of the schema, by its README heading, with its keys."""
    found: dict[str, set[str]] = {}
    definitions = SCHEMA["definitions"]

    def walk(node: dict[str, Any], heading: str) -> None:
        ref = node.get("$ref")
        if ref:
            name = ref.split("/")[-1]
            walk(definitions[name], SHARED.get(name, heading))
            return
        for branch in node.get("oneOf", []):
            walk(branch, heading)
        if "items" in node:
            walk(node["items"], heading + "[]")
        properties = node.get("properties")
        if properties:
            found.setdefault(heading, set()).update(properties)
            for key, child in properties.items():
                prefix = "" if heading == "(top level)" else heading + "."
                walk(child, prefix + key)

    walk(SCHEMA, "(top level)")
    return found


def readme_sections() -> dict[str, set[str]]:
    """Keys documented in the README's format reference, by heading."""
    reference = README.split("## The roadmap format", 1)[1].split("\n## ", 1)[0]
    sections: dict[str, set[str]] = {}
    for block in reference.split("\n### ")[1:]:
        heading = block.splitlines()[0].strip().strip("`")
        sections[heading] = set(re.findall(r"^\| `([^`]+)` \|", block, flags=re.MULTILINE))
    return sections


def test_every_schema_key_is_documented_in_the_readme() -> None:
    documented = readme_sections()
    missing = {
        heading: sorted(keys - documented.get(heading, set()))
        for heading, keys in schema_objects().items()
        if keys - documented.get(heading, set())
    }
    assert not missing, f"add these keys to README.md's format reference: {missing}"


def test_the_readme_documents_no_key_the_schema_lacks() -> None:
    objects = schema_objects()
    stale = {h: sorted(keys - objects.get(h, set())) for h, keys in readme_sections().items()
             if keys - objects.get(h, set())}
    assert not stale, f"README.md documents keys the schema does not have: {stale}"


def test_every_command_has_help_and_is_in_the_readme() -> None:
    assert isinstance(cli, click.Group)
    for name, command in cli.commands.items():
        assert command.help, f"tracker {name} has no help text"
        assert f"`tracker {name}" in README, f"tracker {name} is not in README.md"


def test_roadmap_points_editors_at_the_schema() -> None:
    first = (REPO / "roadmap.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./roadmap.schema.json"
