"""Cut GitHub's OpenAPI description down to what the tests check the fake against.

    python tests/openapi/reduce.py FULL.json > tests/openapi/github-rest-2022-11-28.json

FULL.json is GitHub's REST description (calendar version 2022-11-28) or any subset of it that
still holds the paths below. The path items are kept whole and unchanged, with every component
they reference, directly or through other components; nothing is rewritten.
"""

from __future__ import annotations

import json
import sys
from typing import Any

# The endpoints the tracker's store calls and the schema tests answer through the fake.
PATHS = (
    "/rate_limit",
    "/user",
    "/repos/{owner}/{repo}",
    "/repos/{owner}/{repo}/issues",
    "/repos/{owner}/{repo}/issues/{issue_number}",
    "/repos/{owner}/{repo}/issues/{issue_number}/comments",
    "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    "/repos/{owner}/{repo}/issues/{issue_number}/labels",
    "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
    "/repos/{owner}/{repo}/labels",
    "/repos/{owner}/{repo}/labels/{name}",
    "/repos/{owner}/{repo}/milestones",
    "/repos/{owner}/{repo}/milestones/{milestone_number}",
)
# Components the tests name directly (besides those the paths reach).
COMPONENTS = ("#/components/schemas/public-user", "#/components/schemas/simple-user",
              "#/components/schemas/basic-error", "#/components/examples/issue",
              "#/components/examples/label", "#/components/examples/milestone",
              "#/components/examples/issue-comment")


def refs(node: Any) -> set[str]:
    """Every `$ref` inside `node`."""
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(refs(item) for item in node)) if node else set()
    return set()


def reduce(full: dict[str, Any]) -> dict[str, Any]:
    paths = {path: full["paths"][path] for path in PATHS}
    wanted: set[str] = set()
    todo = refs(paths) | set(COMPONENTS)
    while todo:
        ref = todo.pop()
        if ref in wanted:
            continue
        wanted.add(ref)
        _, _, kind, name = ref.split("/", 3)
        todo |= refs(full["components"][kind][name])
    components: dict[str, dict[str, Any]] = {}
    for ref in sorted(wanted):
        _, _, kind, name = ref.split("/", 3)
        components.setdefault(kind, {})[name] = full["components"][kind][name]
    kept = {kind: dict(sorted(items.items())) for kind, items in sorted(components.items())}
    return {"openapi": full["openapi"], "info": full["info"], "servers": full["servers"],
            "paths": paths, "components": kept}


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        json.dump(reduce(json.load(handle)), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
