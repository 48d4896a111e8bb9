"""Render Markdown as GitHub does (cmark-gfm) and screenshot it in headless Chromium.

For looking at what the learner sees: `python scripts/preview.py body.md out.png --width 390`.
Needs `pip install cmarkgfm` and Debian's chromium; not used by the tests.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options

CSS = """
body { font-family: -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", Helvetica,
       Arial, sans-serif, "Noto Color Emoji"; font-size: 16px; line-height: 1.5;
       color: #1f2328; background: #fff; margin: 0 auto; padding: 16px; word-wrap: break-word;
       max-width: 830px; }  /* GitHub's README column */
body.dark { color: #e6edf3; background: #0d1117; }
h1, h2, h3 { margin: 24px 0 16px; font-weight: 600; line-height: 1.25; }
h3 { font-size: 1.25em; }
a { color: #0969da; text-decoration: none; } .dark a { color: #4493f8; }
blockquote { margin: 0 0 16px; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
ul { padding-left: 2em; margin: 0 0 16px; }
li.task-list-item { list-style: none; } li.task-list-item input { margin: 0 .2em .25em -1.4em; }
ul:has(> li.task-list-item) { padding-left: 2em; }
code { padding: .2em .4em; font-size: 85%; background: rgba(175,184,193,.2); border-radius: 6px; }
sub { color: #59636e; }
table { border-collapse: collapse; } td, th { border: 1px solid #d1d9e0; padding: 6px 13px; }
"""


def render(markdown: str, dark: bool = False) -> str:
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    html = html.replace('<li><input type="checkbox"', '<li class="task-list-item"><input '
                        'type="checkbox"')
    return (f"<!doctype html><meta charset=utf-8><style>{CSS}</style>"
            f"<body class={'dark' if dark else 'light'}>{html}</body>")


def screenshot(html: str, out: Path, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                        f"--user-data-dir={tmp}/profile", f"--window-size={width},{height}",
                        f"--screenshot={out.resolve()}", page.as_uri()],
                       check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("markdown", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=1400)
    parser.add_argument("--dark", action="store_true")
    args = parser.parse_args()
    screenshot(render(args.markdown.read_text(encoding="utf-8"), args.dark), args.png,
               args.width, args.height)


if __name__ == "__main__":
    main()
