"""The learner's page: after set-up, the repository's README.md is their own progress page.

The template ships a README that presents the tool to people who find the template. On the
first run in a fork, the tracker replaces that README, and only that one, with the learner's
page: their name and goal, the dashboard, the current stage, the latest retro. It recognises
the shipped README exactly, by a stamp on its first line holding the digest of the rest: a
README the learner has changed in any way (or written themselves) no longer matches, and is
kept; the tracker then writes only between its markers.
"""

from __future__ import annotations

import hashlib
import re

from .model import Roadmap
from .render import environment

_STAMP = re.compile(r"\A<!-- study-tracker:shipped-readme sha256:([0-9a-f]{64}) -->\n")


def _digest(body: str) -> str:
    # Line endings as git may have converted them on a checkout; nothing else is forgiven.
    return hashlib.sha256(body.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def stamp(readme: str) -> str:
    """The README with a first-line stamp of its content (an old stamp replaced), so that a
    fork's first run recognises it as the one the template ships."""
    body = _STAMP.sub("", readme.replace("\r\n", "\n"), count=1)
    return f"<!-- study-tracker:shipped-readme sha256:{_digest(body)} -->\n{body}"


def is_shipped(readme: str) -> bool:
    """Whether this README is exactly the one the template ships (stamp and content agree)."""
    found = _STAMP.match(readme.replace("\r\n", "\n"))
    return found is not None and found.group(1) == _digest(readme.replace("\r\n", "\n")[
        found.end():])


def learner_page(roadmap: Roadmap, section: str) -> str:
    """The learner's whole page around the dashboard `section` (markers included)."""
    template = environment().get_template(f"{roadmap.learner.locale}/page.md.j2")
    return template.render(learner=roadmap.learner, section=section).rstrip("\n") + "\n"
