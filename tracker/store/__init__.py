"""Where the tracker keeps its rows: GitHub, or the embedded local store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .base import Store, StoreBadInput, StoreError
from .local import DEFAULT_PATH, LocalStore
from .waits import WaitReport

__all__ = ["Store", "StoreBadInput", "StoreError", "LocalStore", "open_store", "DEFAULT_PATH"]


class StoreConfigError(StoreError):
    """The store cannot be opened as configured: bad input, exit status 2."""


def open_store(backend: str, *, token: str | None, repository: str | None, api_url: str | None,
               db: Path = DEFAULT_PATH, now: dt.datetime | None = None,
               repository_id: str | None = None, waits: WaitReport | None = None) -> Store:
    """The store a command works on; `backend` is "github" or "local"; `waits` hears of every
    wait longer than a few seconds."""
    if backend == "local":
        owner = repository.split("/", 1)[0] if repository and "/" in repository else "learner"
        if now is None:
            return LocalStore(db, owner=owner, waits=waits)
        return LocalStore(db, owner=owner, clock=lambda: now, waits=waits)
    if not token:
        raise StoreConfigError("GITHUB_TOKEN is not set: in a workflow, pass it with "
                               "'env: GITHUB_TOKEN: ${{ github.token }}'; on a laptop, export a "
                               "token or use --backend local")
    if not repository:
        raise StoreConfigError("GITHUB_REPOSITORY is not set: export it as owner/name, or pass "
                               "--repo owner/name")
    from .github import DEFAULT_API_URL, GitHubStore

    return GitHubStore(token, repository, api_url or DEFAULT_API_URL,
                       repository_id=repository_id, waits=waits)
