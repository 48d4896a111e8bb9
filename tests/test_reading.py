"""What a run reads: the issues changed since the last run, the rest made from the ledger's
records, whose bodies hold the key and the boxes but not the learner's text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tracker import keys
from tracker.ledger import Record
from tracker.reading import real_issue
from tracker.store.base import StoreError
from tracker.store.local import LocalStore


def test_an_issue_made_from_its_record_is_read_before_its_text_is_used(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "t.db", owner="learner",
                       clock=lambda: dt.datetime(2026, 3, 23, tzinfo=dt.UTC))
    body = keys.compose(keys.Key("daily", "2026-03-23"), "- [x] a <!-- item:o:a -->") + \
        "\nMy notes.\n"
    issue = store.create_issue("📅", body, [], None)
    made = Record.of(issue).issue()
    assert keys.is_unread(made.body) and "My notes." not in made.body
    assert real_issue(store, made).body == body  # read from the store
    assert real_issue(store, issue) is issue  # read this run: as it is
    with pytest.raises(StoreError):  # an unread body is never written back
        store.update_issue(issue.number, body=made.body)
