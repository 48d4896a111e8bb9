"""The fake's GraphQL endpoint (`POST /graphql`), for what the REST API cannot do: pinning.

It answers the one query and the two mutations the tracker sends, as GitHub does: HTTP 200
with `data` and, for what was refused, an `errors` list whose `path` names the field (so a
request that unpins one issue and pins another can half succeed). The repository pins at most
three issues; pinning needs write access to the repository (the Actions bot has it with the
workflow's `issues: write`); the Actions bot's login is `github-actions` in GraphQL.

Wording of the refusals: "Resource not accessible by integration" (FORBIDDEN), "Could not
resolve to a node with the global id of '…'" (NOT_FOUND) and "Could not resolve to a
Repository with the name '…'" are GitHub's as seen in public reports; the pin limit's exact
message is not documented, only the limit ("up to three"), so its text here is ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fake_github import FakeGitHub, Issue, User

MAX_PINS = 3
_FIELD = re.compile(r"(?:(\w+)\s*:\s*)?(pinIssue|unpinIssue)\s*\(\s*input\s*:\s*\{\s*issueId\s*:"
                    r"\s*(\$\w+|\"[^\"]*\")\s*\}\s*\)")


@dataclass
class PinnedIssue:
    number: int
    by: User


def graphql_login(user: User) -> str:
    """How GraphQL names an account: a bot without its REST "[bot]" suffix."""
    return user.login.removesuffix("[bot]") if user.type == "Bot" else user.login


def serve(fake: FakeGitHub, user: User, body: Any) -> dict[str, Any]:
    """The JSON answer to one GraphQL request by `user`."""
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return {"errors": [{"message": "A query attribute must be specified and must be a "
                                       "string."}]}
    query, variables = body["query"], body.get("variables") or {}
    if query.lstrip().startswith("mutation"):
        return _mutation(fake, user, query, variables)
    if "pinnedIssues" in query:
        return _pinned(fake, variables)
    return {"errors": [{"message": "the fake answers only the tracker's pinning requests",
                        "type": "NOT_SUPPORTED"}]}


def _pinned(fake: FakeGitHub, variables: dict[str, Any]) -> dict[str, Any]:
    owner, name = variables.get("owner", ""), variables.get("name", "")
    if (str(owner).lower(), str(name).lower()) != (fake.repo.owner.lower(),
                                                   fake.repo.name.lower()):
        return {"data": {"repository": None}, "errors": [{
            "type": "NOT_FOUND", "path": ["repository"],
            "message": f"Could not resolve to a Repository with the name '{owner}/{name}'."}]}
    nodes = [{"pinnedBy": {"login": graphql_login(p.by)},
              "issue": {"id": fake.issue_json(fake.issues[p.number])["node_id"],
                        "number": p.number, "body": fake.issues[p.number].body}}
             for p in fake.pinned[:MAX_PINS]]
    return {"data": {"repository": {"pinnedIssues": {"nodes": nodes}}}}


def _mutation(fake: FakeGitHub, user: User, query: str,
              variables: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for alias, action, ref in _FIELD.findall(query):
        key = alias or action
        node = variables.get(ref[1:]) if ref.startswith("$") else ref.strip('"')
        issue = next((i for i in fake.issues.values()
                      if fake.issue_json(i)["node_id"] == node and not i.pull_request), None)
        refusal = _refusal(fake, user, action, issue, node)
        if refusal is not None:
            data[key] = None
            errors.append({**refusal, "path": [key]})
            continue
        assert issue is not None
        _apply(fake, user, action, issue)
        data[key] = {"issue": {"number": issue.number}}
    answer: dict[str, Any] = {"data": data}
    if errors:
        answer["errors"] = errors
    return answer


def _refusal(fake: FakeGitHub, user: User, action: str, issue: Issue | None,
             node: Any) -> dict[str, str] | None:
    if issue is None:
        return {"type": "NOT_FOUND",
                "message": f"Could not resolve to a node with the global id of '{node}'"}
    if not fake._can_push(user):
        message = ("Resource not accessible by integration" if user.type == "Bot" else
                   f"{user.login} does not have the correct permissions to execute "
                   f"`{action[0].upper() + action[1:]}`")
        return {"type": "FORBIDDEN", "message": message}
    pinned = {p.number for p in fake.pinned}
    if action == "pinIssue" and issue.number not in pinned and len(pinned) >= MAX_PINS:
        return {"type": "UNPROCESSABLE",
                "message": f"Issue could not be pinned: at most {MAX_PINS} issues can be "
                           f"pinned to a repository"}
    return None


def _apply(fake: FakeGitHub, user: User, action: str, issue: Issue) -> None:
    if action == "unpinIssue":
        fake.pinned[:] = [p for p in fake.pinned if p.number != issue.number]
    elif all(p.number != issue.number for p in fake.pinned):
        fake.pinned.append(PinnedIssue(issue.number, user))
