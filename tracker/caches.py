"""Files in the checkout that are derived from the store: the dashboard's ledger
(`dashboard/state.json`) and the fingerprint of the last synced roadmap
(`dashboard/synced.json`).

Each records the identity of the store it was derived from. A checkout pointed at another
store (a fork of another learner's repository, a local store deleted and made again, a
repository made again under the same name) does not match, and the cache is rebuilt from the
store instead of being believed.
"""

from __future__ import annotations

from .store.base import Store


def describes(recorded: object, store: Store) -> bool:
    """Whether a cache that recorded the store `recorded` describes `store`."""
    return isinstance(recorded, str) and recorded == store.identity
