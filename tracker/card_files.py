"""The learner's knowledge cards: Markdown files in `cards/` beside the roadmap.

A file is one card, its `# heading` the question (front) and the text under it the answer
(back); or a file of several cards, each `## heading` a question with its answer under it (a
`# title` above them names the file). Optional front matter gives `tags`, a `topic` id and,
for a file of one card, its `id`:

    ---
    topic: peft-lora
    tags: [lora, peft]
    ---
    # Why does LoRA train only low-rank matrices?

    The weight update of fine-tuning has a low intrinsic rank, so…

A card's id is what keeps its history: it comes from the file's name (a file of one card) or
from the file's name and the question (a `##` card), so rewording an answer never loses it;
`{#id}` at the end of a `##` question, or `id:` in a one-card file's front matter, keeps it when
the question is reworded or the file renamed. Headings are found by a CommonMark parser, so a
`## ` inside a code block or a quote is text, not a card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from .diagnostics import Diagnostic, RoadmapError
from .ids import default_id
from .model import KnowledgeCard, Roadmap
from .schema_check import suggest
from .yamlsource import YamlSyntaxError, load

FOLDER = "cards"
SKIPPED = {"readme.md"}  # the folder's own page on GitHub, not a card
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_EXPLICIT_ID = re.compile(r"\s*\{#([^}\s]*)\}\s*$")
_FENCE = re.compile(r"^(---|\.\.\.)\s*$")
_FULL_WIDTH_KEY = re.compile(r"^\s*([A-Za-z_]+)\s*：")
_TAG_SPLIT = re.compile(r"[,，、]")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_KEYS = ("id", "tags", "topic")
_PARSER = MarkdownIt("commonmark")


@dataclass(frozen=True)
class _Heading:
    level: int
    first: int  # 0-based line where the heading starts
    after: int  # 0-based line after it
    text: str


@dataclass
class _File:
    """One card file being read: its name, its lines and what is wrong with it."""

    name: str
    lines: list[str]
    topic_ids: frozenset[str]
    found: list[Diagnostic] = field(default_factory=list)

    def error(self, line: int, where: str, message: str, col: int = 1) -> None:
        self.found.append(Diagnostic(line, col, where, message, self.name))


def card_paths(folder: Path) -> list[Path]:
    """The card files under `folder`, in a stable order; hidden files and READMEs left out."""
    if not folder.is_dir():
        return []
    paths = []
    for path in folder.rglob("*.md"):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.name.lower() in SKIPPED or not path.is_file():
            continue
        paths.append(path)
    return sorted(paths, key=lambda p: p.relative_to(folder).as_posix())


def read_cards(folder: Path, roadmap: Roadmap, base: Path | None = None) -> Roadmap:
    """The roadmap with the cards of `folder`; `RoadmapError` listing every problem in them.

    `base` is the folder file names are shown relative to (the roadmap's).
    """
    from dataclasses import replace

    base = base or folder.parent
    topic_ids = frozenset(roadmap.topics_by_id)
    cards: list[KnowledgeCard] = []
    found: list[Diagnostic] = []
    for path in card_paths(folder):
        name = _shown(path, base)
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            line = raw[: err.start].count(b"\n") + 1
            found.append(Diagnostic(line, 1, "(file)", f"not UTF-8 text ({err.reason}): save "
                                    f"the file as UTF-8", name))
            continue
        stem = path.relative_to(folder).with_suffix("").as_posix()
        file_cards, problems = parse_card_file(text, name, stem, topic_ids)
        cards += file_cards
        found += problems
    found += _duplicates(cards)
    if found:
        raise RoadmapError(found)
    return replace(roadmap, cards=tuple(cards))


def _shown(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _duplicates(cards: list[KnowledgeCard]) -> list[Diagnostic]:
    first: dict[str, KnowledgeCard] = {}
    found = []
    for card in cards:
        if card.id in first:
            other = first[card.id]
            found.append(Diagnostic(card.line, 1, "card", f"the card id '{card.id}' is also "
                                    f"used at {other.file}:{other.line}: ids must be unique; "
                                    f"give one of them another {{#id}}", card.file))
        else:
            first[card.id] = card
    return found


def parse_card_file(text: str, name: str, stem: str,
                    topic_ids: frozenset[str] = frozenset()
                    ) -> tuple[list[KnowledgeCard], list[Diagnostic]]:
    """The cards of one file and the problems found in it. `stem` is the file's path inside
    `cards/` without `.md`: the default id of its cards."""
    file = _File(name, text.split("\n"), topic_ids)
    meta, start = _front_matter(file)
    body = "\n".join(file.lines[start:])
    headings = _headings(body, start)
    questions = [h for h in headings if h.level == 2]
    if questions:
        cards = _many(file, meta, stem, headings)
    else:
        cards = _one(file, meta, stem, headings, start)
    return cards, file.found


def _front_matter(file: _File) -> tuple[dict[str, Any], int]:
    """The front matter's keys, and the line where the Markdown starts after it."""
    if not file.lines or file.lines[0].rstrip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(file.lines)) if _FENCE.match(file.lines[i])), None)
    if end is None:
        file.error(1, "(front matter)", "the front matter that opens with --- on line 1 is "
                                        "never closed: add a line with --- after its last key")
        return {}, 0
    for number in range(1, end):
        wide = _FULL_WIDTH_KEY.match(file.lines[number])
        if wide:
            file.error(number + 1, f"(front matter).{wide.group(1)}",
                       "full-width colon '：' after the key: use ':' followed by a space")
    if any(d.message.startswith("full-width") for d in file.found):
        return {}, end + 1
    return _meta(file, "\n".join(file.lines[1:end])), end + 1


def _meta(file: _File, text: str) -> dict[str, Any]:
    try:
        data, source, problems = load(text)
    except YamlSyntaxError as err:
        file.error(err.mark.line + 1, "(front matter)", err.message)
        return {}
    for problem in problems:
        file.error(problem.mark.line + 1, "(front matter)", problem.message)
    if data is None:
        return {}
    if not isinstance(data, dict):
        file.error(2, "(front matter)", "front matter holds keys, e.g. 'topic: peft' and "
                                        "'tags: [lora]'")
        return {}
    meta: dict[str, Any] = {}
    for key, value in data.items():
        line = source.key((key,)).line + 1
        if key not in _KEYS:
            file.error(line, f"(front matter).{key}", f"unknown key '{key}'{suggest(key, _KEYS)}"
                                                      f"; a card file knows {', '.join(_KEYS)}")
            continue
        checked = _meta_value(file, key, value, line)
        if checked is not None:
            meta[key] = checked
    return meta


def _meta_value(file: _File, key: str, value: Any, line: int) -> Any:
    where = f"(front matter).{key}"
    if key == "tags":
        items = _TAG_SPLIT.split(value) if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(t, str | int) for t in items):
            file.error(line, where, "tags are a list of words, e.g. [lora, peft]")
            return None
        return tuple(t for t in (str(t).strip() for t in items) if t)
    if not isinstance(value, str) or not value.strip():
        file.error(line, where, f"'{key}' is a text, e.g. '{key}: peft-lora'")
        return None
    value = value.strip()
    if key == "topic" and value not in file.topic_ids:
        file.error(line, where, f"no topic '{value}' in the roadmap"
                                f"{suggest(value, sorted(file.topic_ids))}: use a topic's id")
        return None
    if key == "id" and not _ID.match(value):
        file.error(line, where, f"'{value}' is not an id: use lowercase letters, digits, '.', "
                                f"'_' and '-', at most 64 characters")
        return None
    return value


def _headings(body: str, offset: int) -> list[_Heading]:
    """The top-level headings of `body` (not those inside quotes, lists or code)."""
    tokens = _PARSER.parse(body)
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.map:
            text = tokens[index + 1].content.strip()
            found.append(_Heading(int(token.tag[1]), token.map[0] + offset,
                                  token.map[1] + offset, text))
    return found


def _one(file: _File, meta: dict[str, Any], stem: str, headings: list[_Heading],
         start: int) -> list[KnowledgeCard]:
    """A file that is one card: its `#` heading is the question, the rest the answer."""
    titles = [h for h in headings if h.level == 1]
    if not titles:
        file.error(start + 1, "card", "no question in this card file: start it with '# ' and "
                                      "the question, and write the answer below it")
        return []
    if len(titles) > 1:
        file.error(titles[1].first + 1, "card", "a second '# ' question in one file: make "
                                                "each card a '## ' heading, or give it a file "
                                                "of its own")
        return []
    card = _question(file, meta, titles[0], file.lines[titles[0].after:],
                     meta.get("id") or default_id(stem))
    return [card] if card else []


def _many(file: _File, meta: dict[str, Any], stem: str,
          headings: list[_Heading]) -> list[KnowledgeCard]:
    """A file of several cards: each `##` heading a question, the text under it the answer."""
    if "id" in meta:
        file.error(2, "(front matter).id", "'id' names a file of one card; in a file of '## ' "
                                           "cards give each its own id: '## Question {#id}'")
    cards = []
    seen_question = False
    for number, heading in enumerate(headings):
        if heading.level == 1 and seen_question:
            file.error(heading.first + 1, "card", "a '# ' heading among '## ' cards: use '## ' "
                                                  "for a card, or '### ' inside an answer")
            continue
        if heading.level != 2:
            continue
        seen_question = True
        end = next((h.first for h in headings[number + 1:] if h.level <= 2), len(file.lines))
        default = f"{default_id(stem)}.{default_id(_EXPLICIT_ID.sub('', heading.text))}"
        card = _question(file, meta, heading, file.lines[heading.after:end], default)
        if card is not None:
            cards.append(card)
    return cards


def _question(file: _File, meta: dict[str, Any], heading: _Heading, lines: list[str],
              default: str) -> KnowledgeCard | None:
    """The card of one question heading and the lines of its answer; None if it is broken."""
    explicit = _EXPLICIT_ID.search(heading.text)
    front = _EXPLICIT_ID.sub("", heading.text).strip()
    line = heading.first + 1
    marks = "#" * heading.level
    if not front:
        file.error(line, "card", f"the question is empty: write it after the '{marks} '")
        return None
    if explicit and not _ID.match(explicit.group(1)):
        file.error(line, "card", f"'{{#{explicit.group(1)}}}' is not an id: use lowercase "
                                 f"letters, digits, '.', '_' and '-', e.g. {{#lora-rank}}")
        return None
    back = _back(lines)
    if not back:
        file.error(line, "card", f"the card '{front}' has no answer: write it under the "
                                 f"question")
        return None
    ident = explicit.group(1) if explicit else default
    return _card(file, meta, ident, _Heading(heading.level, heading.first, heading.after, front),
                 back)


def _back(lines: list[str]) -> str:
    """The answer: its lines without the blank lines and rules (`---`) around it."""
    kept = list(lines)
    while kept and (not kept[-1].strip() or _RULE.match(kept[-1])):
        kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    return "\n".join(kept)


def _card(file: _File, meta: dict[str, Any], ident: str, heading: _Heading,
          back: str) -> KnowledgeCard:
    return KnowledgeCard(id=ident, front=heading.text, back=back, file=file.name,
                         line=heading.first + 1, tags=meta.get("tags", ()),
                         topic_id=meta.get("topic"))
