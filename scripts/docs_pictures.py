"""Make the manual's pictures from the demo, so that they show what the tracker does today.

    python scripts/docs_pictures.py

It plays the demo of the shipped roadmap from a fixed first day, writes the learner's page it
ends with into `docs/demo/` (the demo page the template's README links), and screenshots, at
390 px in headless Chromium as GitHub lays them out: a day's plan (`docs/pictures/plan.png`),
the Sunday retro (`retro.png`) and the page, light and dark (`page.png`, `page-dark.png`).
`docs/pictures/sources.json` keeps a digest of the Markdown each picture shows:
`tests/test_docs_pictures.py` plays the same demo and fails when they differ, so a change to
the planner, the templates or the roadmap cannot leave the pictures behind. Run this script
after such a change, and look at the pictures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
PICTURES = DOCS / "pictures"
DEMO = DOCS / "demo"
SOURCES = PICTURES / "sources.json"
FIRST_DAY = dt.date(2026, 11, 30)  # a Monday: the demo's week ends with its retro
DAYS = 14
PLAN_DAY = "2026-12-02"  # day 3: work carried over, a full day planned
RETRO_WEEK = "2026-W49"
WIDTH = 390


@dataclass(frozen=True)
class Demo:
    """What the pictures show: each as the Markdown GitHub renders, and the page's folder."""

    markdown: dict[str, str]  # picture name -> Markdown
    page: Path  # the demo's page folder: README.md, dashboard/, progress.json


def play_demo(into: Path) -> Demo:
    """Play the shipped roadmap's demo into `into`; what each picture will show."""
    from tracker import keys, render, repo_files
    from tracker.demo import play
    from tracker.roadmap import load_roadmap
    from tracker.store.local import LocalStore

    roadmap_path = REPO / "roadmap.yml"
    render.use_templates(REPO / "templates")
    roadmap = load_roadmap(roadmap_path, today=FIRST_DAY)
    play(roadmap, into, DAYS, roadmap_path=roadmap_path, templates=REPO / "templates",
         readme=repo_files.find("README.md", roadmap_path))
    store = LocalStore(into / ".tracker" / "tracker.db")
    try:
        issues = {(parsed.key.kind, parsed.key.id): issue for issue in store.list_issues()
                  if (parsed := keys.parse(issue.body)) is not None}
    finally:
        store.close()
    plan, retro = issues[("daily", PLAN_DAY)], issues[("retro", RETRO_WEEK)]
    page = (into / "README.md").read_text(encoding="utf-8")
    # The demo page lives in docs/demo/: its footer's link to the manual is one folder up.
    page = page.replace("(docs/README.md)", "(../README.md)")
    (into / "README.md").write_text(page, encoding="utf-8")
    return Demo({"plan": f"# {plan.title}\n\n{plan.body}", "retro": f"# {retro.title}\n\n"
                 f"{retro.body}", "page": page, "page-dark": page}, into)


def digests(demo: Demo) -> dict[str, str]:
    """A digest of what each picture shows, and of every file of the demo page."""
    found = {f"{name}.png": hashlib.sha256(text.encode()).hexdigest()
             for name, text in demo.markdown.items()}
    for path in sorted(page_files(demo.page)):
        found[f"demo/{path.relative_to(demo.page)}"] = hashlib.sha256(
            path.read_bytes()).hexdigest()
    return found


def page_files(folder: Path) -> list[Path]:
    return [folder / "README.md", folder / "progress.json",
            *sorted((folder / "dashboard").glob("*.svg"))]


def _preview():  # scripts/preview.py, loaded by path (scripts/ is not a package)
    spec = importlib.util.spec_from_file_location("preview", REPO / "scripts" / "preview.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def main() -> None:
    preview = _preview()
    with tempfile.TemporaryDirectory() as tmp:
        demo = play_demo(Path(tmp) / "demo")
        if DEMO.exists():
            shutil.rmtree(DEMO)
        for path in page_files(demo.page):
            target = DEMO / path.relative_to(demo.page)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
        PICTURES.mkdir(parents=True, exist_ok=True)
        for name, markdown in demo.markdown.items():
            dark = name.endswith("-dark")
            height = min(preview.page_height(markdown, WIDTH, DEMO), 2600)
            preview.screenshot(preview.render(markdown, dark, WIDTH, DEMO),
                               PICTURES / f"{name}.png", WIDTH, height, dark)
            print(f"docs/pictures/{name}.png: {WIDTH}×{height}")
        SOURCES.write_text(json.dumps(digests(demo), indent=1, sort_keys=True) + "\n",
                           encoding="utf-8")
    print(f"The demo page is in {DEMO.relative_to(REPO)}/; look at the pictures.")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
