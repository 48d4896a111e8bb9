"""Stable ids for things the learner did not name."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NOT_ID = re.compile(r"[^a-z0-9]+")
MAX_ID = 64


def default_id(text: str) -> str:
    """An id derived from a title or a checkbox text, stable while the text stays the same.

    ASCII titles give a readable slug (`Linux basics` -> `linux-basics`); titles with other
    scripts (Chinese, emoji) keep their ASCII words and add a short hash of the whole text,
    so that two Chinese titles never collide.
    """
    normal = unicodedata.normalize("NFKC", text).strip()
    slug = _NOT_ID.sub("-", normal.lower()).strip("-")
    if normal.isascii() and slug:
        return _fit(slug)
    digest = hashlib.sha1(normal.encode("utf-8")).hexdigest()[:8]
    return _fit(slug, suffix=digest) if slug else digest


def _fit(slug: str, suffix: str = "") -> str:
    room = MAX_ID - (len(suffix) + 1 if suffix else 0)
    slug = slug[:room].rstrip("-") if len(slug) > room else slug
    return f"{slug}-{suffix}" if suffix else slug


def slugify(text: str) -> str:
    """A readable id for a suggestion in an error message."""
    return _fit(_NOT_ID.sub("-", unicodedata.normalize("NFKC", text).lower()).strip("-"))
