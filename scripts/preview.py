"""Render Markdown as GitHub does (cmark-gfm) and screenshot it in headless Chromium.

For looking at what the learner sees: `python scripts/preview.py body.md out.png --width 390`
(add `--dark` for the dark theme). Images with relative paths load from the Markdown file's
folder, as on GitHub. `--measure` prints, for each picture of the page, the smallest text it
shows in CSS pixels at that width.

The page is framed as GitHub frames a README: below 544 px (a phone) the page keeps 16 px on
each side and the README box a 1 px border and 16 px of padding, so a 390 px phone gives the
README 324 px; wider, the box has 32 px of padding and the column is at most 830 px.

Headless Chromium never makes its window narrower than 500 px, so the page's own width is set
on the document: what is laid out and measured is the width asked for.
"""

from __future__ import annotations

import argparse
import html as html_text
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options

PHONE = 544  # GitHub's "sm" breakpoint: narrower is a phone layout
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

CSS = """
html { width: %(width)dpx; overflow-x: hidden; }
body { font-family: -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", Helvetica,
       Arial, sans-serif, "Noto Color Emoji"; font-size: 16px; line-height: 1.5;
       color: #1f2328; background: #fff; margin: 0; padding: 0 %(page)dpx;
       word-wrap: break-word; }
.box { max-width: 830px; margin: 16px auto; padding: %(box)dpx;
       border: 1px solid #d1d9e0; border-radius: 6px; }
body.dark { color: #e6edf3; background: #0d1117; } .dark .box { border-color: #3d444d; }
h1, h2, h3 { margin: 24px 0 16px; font-weight: 600; line-height: 1.25; }
h1 { font-size: 2em; } h2 { font-size: 1.5em; } h3 { font-size: 1.25em; }
h1:first-child, h2:first-child { margin-top: 0; }
a { color: #0969da; text-decoration: none; } .dark a { color: #4493f8; }
blockquote { margin: 0 0 16px; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
p, ul, ol, table, blockquote { margin: 0 0 16px; }
ul { padding-left: 2em; }
li.task-list-item { list-style: none; } li.task-list-item input { margin: 0 .2em .25em -1.4em; }
li > p { margin-top: 16px; } li + li { margin-top: .25em; } details { margin-bottom: 16px; }
ul:has(> li.task-list-item) { padding-left: 2em; }
code { padding: .2em .4em; font-size: 85%%; background: rgba(175,184,193,.2); border-radius: 6px; }
sub { color: #59636e; } .dark sub, .dark blockquote { color: #9198a1; }
img { max-width: 100%%; box-sizing: content-box; }  /* GitHub's own rule for README images */
table { border-collapse: collapse; } td, th { border: 1px solid #d1d9e0; padding: 6px 13px; }
"""

# Run once the page and its pictures have loaded: each picture's rendered width, and the
# smallest text inside it at that width, measured on a copy of the SVG laid out at that width.
MEASURE = """
addEventListener('load', () => {
  const sources = JSON.parse(document.getElementById('svg-sources').textContent);
  const found = [];
  for (const img of document.querySelectorAll('img')) {
    // The file the browser chose: a <picture> may pick its dark source.
    const chosen = img.currentSrc || img.src;
    const src = Object.keys(sources).find(k => chosen.endsWith('/' + k)) || img.getAttribute('src');
    const svg = sources[src];
    const width = img.getBoundingClientRect().width;
    if (!svg || !width) { found.push({src, width, smallest: null}); continue; }
    const holder = document.createElement('div');
    holder.style.cssText = 'position:absolute;left:0;top:0;width:' + width + 'px';
    holder.innerHTML = svg;
    document.body.appendChild(holder);
    const root = holder.querySelector('svg');
    root.setAttribute('width', width);
    root.removeAttribute('height');
    let smallest = null;
    for (const text of root.querySelectorAll('text')) {
      if (!text.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a;
      smallest = smallest === null ? size : Math.min(smallest, size);
    }
    holder.remove();
    found.push({src, width, natural: img.naturalWidth, smallest});
  }
  document.getElementById('measured').textContent = JSON.stringify(found);
});
"""


def frame(width: int) -> dict[str, int]:
    """The page's side margin and the README box's padding at this window width."""
    phone = width < PHONE
    return {"width": width, "page": 16 if phone else 24, "box": 16 if phone else 32}


def render(markdown: str, dark: bool = False, width: int = 390, base: Path | None = None,
           script: str = "", scroll: int = 0) -> str:
    """The page as GitHub shows it: Markdown to HTML with cmark-gfm, in GitHub's frame,
    scrolled down by `scroll` px (for screenshots of a long page in parts)."""
    body = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    # A loose list wraps each item's text in <p>; GitHub puts the checkbox inside that
    # paragraph, so it stays on the text's line (cmark-gfm alone leaves it above).
    body = re.sub(r'<li><input type="checkbox"( checked="")? disabled="" />\s*<p>',
                  r'<li class="task-list-item"><p><input type="checkbox"\1 disabled="" /> ',
                  body)
    body = body.replace('<li><input type="checkbox"', '<li class="task-list-item"><input '
                        'type="checkbox"')
    head = f'<base href="{base.resolve().as_uri()}/">' if base is not None else ""
    css = CSS % frame(width) + (f"body {{ margin-top: -{scroll}px; }}" if scroll else "")
    return (f"<!doctype html><meta charset=utf-8>{head}<style>{css}</style>"
            f"<body class={'dark' if dark else 'light'}><div class=box>{body}</div>"
            f"{script}</body>")


def browser() -> str | None:
    """A headless-capable Chromium or Chrome on this machine, if any."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def _chromium(args: list[str], page_html: str, dark: bool) -> str:
    command = browser()
    if command is None:
        raise RuntimeError(f"no browser found: install one of {', '.join(BROWSERS)}")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(page_html, encoding="utf-8")
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                 "--allow-file-access-from-files", f"--user-data-dir={tmp}/profile"]
        if dark:  # what <picture><source media="(prefers-color-scheme: dark)"> reads
            flags.append("--force-dark-mode")
        done = subprocess.run([command, *flags, *args, page.as_uri()], check=True,
                              capture_output=True, timeout=120)
        return done.stdout.decode("utf-8", "replace")


def screenshot(page_html: str, out: Path, width: int, height: int, dark: bool = False) -> None:
    _chromium([f"--window-size={width},{height}", f"--screenshot={out.resolve()}"], page_html,
              dark)


HEIGHT = """<pre id=height></pre><script>addEventListener('load', () => {
  document.getElementById('height').textContent = Math.ceil(
    document.querySelector('.box').getBoundingClientRect().bottom + 16);
});</script>"""


def page_height(markdown: str, width: int, base: Path | None = None) -> int:
    """How tall the page is at `width`, in CSS px: a screenshot of all of it, no more."""
    dom = _chromium(["--window-size=1200,2000", "--virtual-time-budget=5000", "--dump-dom"],
                    render(markdown, False, width, base, HEIGHT), False)
    found = re.search(r'<pre id="height">(\d+)</pre>', dom)
    if found is None:
        raise RuntimeError("the page did not report its height")
    return int(found.group(1))


def measure(markdown: str, base: Path, width: int, dark: bool = False) -> list[dict]:
    """Each picture of the page at `width`: its rendered width and its smallest text (CSS px).

    The SVG files are read here and handed to the page, which lays each out at the width its
    <img> got and measures every <text> in it.
    """
    sources = {}
    for src in re.findall(r'(?:src|srcset)="([^"]+\.svg)"', render(markdown)):
        path = base / src
        if path.exists():
            sources[src] = path.read_text(encoding="utf-8")
    # A script's text is raw, not HTML: only "</" could end it early.
    raw = json.dumps(sources).replace("</", "<\\/")
    script = (f'<pre id=measured></pre><script type="application/json" id="svg-sources">'
              f'{raw}</script><script>{MEASURE}</script>')
    page = render(markdown, dark, width, base, script)
    dom = _chromium(["--window-size=1200,2000", "--virtual-time-budget=5000", "--dump-dom"],
                    page, dark)
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    if found is None or not found.group(1).strip():
        raise RuntimeError("the page did not report its measurements")
    return json.loads(html_text.unescape(found.group(1)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("markdown", type=Path)
    parser.add_argument("png", type=Path, nargs="?")
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=1400)
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--scroll", type=int, default=0,
                        help="start the screenshot this many px down the page")
    parser.add_argument("--measure", action="store_true",
                        help="print each picture's smallest text at --width, in CSS px")
    args = parser.parse_args()
    text = args.markdown.read_text(encoding="utf-8")
    base = args.markdown.parent
    if args.measure:
        for found in measure(text, base, args.width, args.dark):
            smallest = found["smallest"]
            shown = f"{smallest:.1f} px" if smallest is not None else "no text"
            print(f"{found['src']}: {found['width']:.0f} px wide, smallest text {shown}")
    if args.png is not None:
        screenshot(render(text, args.dark, args.width, base, scroll=args.scroll), args.png,
                   args.width, args.height, args.dark)


if __name__ == "__main__":
    main()
