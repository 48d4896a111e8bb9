"""Stamp README.md as the README the template ships, after changing it.

A fork's first run replaces the shipped README with the learner's progress page, and only
that README: it recognises it by the stamp on its first line, a digest of the rest. Run this
after every change to README.md (`tests/test_learner_page.py` fails until you do):

    python scripts/stamp_readme.py
"""

from __future__ import annotations

from pathlib import Path

from tracker.page import is_shipped, stamp

README = Path(__file__).resolve().parent.parent / "README.md"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    if is_shipped(text):
        print(f"{README.name} is stamped already.")
        return
    README.write_text(stamp(text), encoding="utf-8", newline="\n")
    print(f"Stamped {README.name}: forks will replace it with the learner's page.")


if __name__ == "__main__":
    main()
