"""The manual in docs/ keeps step with the schema and the CLI; README links to it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click

from tracker.cli import cli

from conftest import REPO

DOCS = REPO / "docs"
FORMAT = (DOCS / "roadmap-format.md").read_text(encoding="utf-8")
COMMANDS = (DOCS / "commands.md").read_text(encoding="utf-8")
SCHEMA = json.loads((REPO / "roadmap.schema.json").read_text(encoding="utf-8"))
# Objects reached through these definitions are documented once, under the definition's name.
SHARED = {"checkbox": "checkbox", "sessions": "sessions", "resource": "resource"}
# A mapping keyed by ids (of tracks, in a stage's tracks:) is documented under KEY.<track>.
ID_KEYED = {"stages[].tracks": "stages[].tracks.<track>"}


def schema_objects() -> dict[str, set[str]]:
    """Every object of the schema, by its heading in the format reference, with its keys."""
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
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], ID_KEYED.get(heading, heading + ".*"))
        properties = node.get("properties")
        if properties:
            found.setdefault(heading, set()).update(properties)
            for key, child in properties.items():
                prefix = "" if heading == "(top level)" else heading + "."
                walk(child, prefix + key)

    walk(SCHEMA, "(top level)")
    return found


def documented_sections() -> dict[str, set[str]]:
    """Keys documented in docs/roadmap-format.md, by heading."""
    sections: dict[str, set[str]] = {}
    for block in FORMAT.split("\n## ")[1:]:
        heading = block.splitlines()[0].strip().strip("`")
        sections[heading] = set(re.findall(r"^\| `([^`]+)` \|", block, flags=re.MULTILINE))
    return sections


def test_every_schema_key_is_documented() -> None:
    documented = documented_sections()
    missing = {
        heading: sorted(keys - documented.get(heading, set()))
        for heading, keys in schema_objects().items()
        if keys - documented.get(heading, set())
    }
    assert not missing, f"add these keys to docs/roadmap-format.md: {missing}"


def test_the_docs_document_no_key_the_schema_lacks() -> None:
    objects = schema_objects()
    stale = {h: sorted(keys - objects.get(h, set())) for h, keys in documented_sections().items()
             if keys - objects.get(h, set())}
    assert not stale, f"docs/roadmap-format.md documents keys the schema does not have: {stale}"


def test_every_command_has_help_and_is_in_the_docs() -> None:
    assert isinstance(cli, click.Group)
    for name, command in cli.commands.items():
        assert command.help, f"tracker {name} has no help text"
        assert f"`tracker {name}" in COMMANDS, f"tracker {name} is not in docs/commands.md"


def test_roadmap_points_editors_at_the_schema() -> None:
    first = (REPO / "roadmap.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./roadmap.schema.json"


def relative_links(page: Path) -> list[tuple[str, Path]]:
    """The page's Markdown links to files of the repository, resolved from the page."""
    text = page.read_text(encoding="utf-8")
    found = []
    targets = re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r'(?:src|srcset)="([^"]+)"', text)
    for target in targets:
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        found.append((target, (page.parent / target.split("#", 1)[0]).resolve()))
    return found


def test_every_link_of_the_readme_and_the_manual_resolves() -> None:
    pages = [REPO / "README.md", *sorted(DOCS.glob("*.md"))]
    broken = [f"{page.relative_to(REPO)}: {target}" for page in pages
              for target, path in relative_links(page) if not path.exists()]
    assert not broken, f"links to missing files: {broken}"


def test_the_readme_links_every_page_of_the_manual() -> None:
    linked = {path for _, path in relative_links(REPO / "README.md")}
    index = {path for _, path in relative_links(DOCS / "README.md")}
    pages = {page.resolve() for page in DOCS.glob("*.md")} - {(DOCS / "README.md").resolve()}
    assert DOCS.joinpath("README.md").resolve() in linked
    assert pages <= index, f"docs/README.md does not link {sorted(pages - index)}"
