"""The learner's knowledge cards in `cards/`: the format, the ids that keep history, and the
errors `tracker validate` gives for a broken file (file, line, the fix; exit 2)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.card_files import parse_card_file, read_cards
from tracker.cli import cli
from tracker.diagnostics import RoadmapError
from tracker.roadmap import load_roadmap

from conftest import REPO

TOPICS = frozenset({"peft", "rlhf"})


def parse(text: str, stem: str = "peft", name: str = "cards/peft.md"):
    return parse_card_file(textwrap.dedent(text), name, stem, TOPICS)


def messages(text: str, stem: str = "peft") -> list[str]:
    return [f"{d.line}: {d.message}" for d in parse(text, stem)[1]]


def test_a_file_of_one_card_is_its_heading_and_the_text_below() -> None:
    cards, found = parse("""\
        ---
        topic: peft
        tags: [lora, peft]
        ---
        # Why does LoRA train only low-rank matrices?

        The update of fine-tuning has a low intrinsic rank.

        - so two small matrices suffice
        """)
    assert not found
    [card] = cards
    assert card.id == "peft"
    assert card.front == "Why does LoRA train only low-rank matrices?"
    assert card.back == ("The update of fine-tuning has a low intrinsic rank.\n\n"
                         "- so two small matrices suffice")
    assert (card.line, card.tags, card.topic_id, card.file) == (5, ("lora", "peft"), "peft",
                                                                 "cards/peft.md")


def test_a_file_of_many_cards_has_one_per_second_level_heading() -> None:
    cards, found = parse("""\
        # Transformer

        Cards from the interview bank.

        ## Why divide by the square root of d_k? {#attn-scale}
        The dot products grow with d_k.

        ```python
        ## a comment in code, not a card
        ```

        > ## a quote, not a card

        ---

        ## What does the KV cache save?
        ### In short
        Recomputing K and V of past tokens.
        """, stem="transformer")
    assert not found
    assert [(c.id, c.front, c.line) for c in cards] == [
        ("attn-scale", "Why divide by the square root of d_k?", 5),
        ("transformer.what-does-the-kv-cache-save", "What does the KV cache save?", 16)]
    assert cards[0].back.endswith("> ## a quote, not a card")  # the rule before ## is dropped
    assert cards[1].back == "### In short\nRecomputing K and V of past tokens."


def test_tags_may_be_written_with_chinese_commas() -> None:
    cards, found = parse("---\ntags: 注意力，缩放、 transformer\n---\n"
                         "# 为什么除以根号 d？\n方差。\n")
    assert not found
    assert cards[0].tags == ("注意力", "缩放", "transformer")


def test_a_chinese_question_gets_a_stable_ascii_id() -> None:
    text = "## KV cache 省了什么？\n推理时只算新 token。\n"
    first = parse(text, stem="infer")[0][0].id
    assert first.startswith("infer.kv-cache-") and first.isascii()
    edited = text.replace("只算新 token", "只算新 token 的 K、V")
    assert parse(edited, stem="infer")[0][0].id == first


def test_rewording_an_answer_or_a_question_with_an_id_keeps_the_card() -> None:
    before = parse("## What is LoRA? {#lora}\nLow rank.\n\n## Why QLoRA?\n4-bit base.\n")[0]
    after = parse("## What is LoRA, in one sentence? {#lora}\nA low-rank update.\n\n"
                  "## Why QLoRA?\nA 4-bit frozen base and paged optimizers.\n")[0]
    assert [c.id for c in before] == [c.id for c in after]
    one = parse("# Old question\nOld answer.\n", stem="ppo")[0][0].id
    assert parse("# New question\nNew answer.\n", stem="ppo")[0][0].id == one == "ppo"


@pytest.mark.parametrize(("text", "expected"), [
    ("---\ntopic: peft\n# Q\nA\n", "1: the front matter that opens with --- on line 1 is never "
                                   "closed: add a line with --- after its last key"),
    ("---\ntopic：peft\n---\n# Q\nA\n", "2: full-width colon '：' after the key: use ':' "
                                       "followed by a space"),
    ("---\ntopics: peft\n---\n# Q\nA\n", "2: unknown key 'topics' (did you mean 'topic'?); a "
                                         "card file knows id, tags, topic"),
    ("---\ntopic: pef\n---\n# Q\nA\n", "2: no topic 'pef' in the roadmap (did you mean "
                                       "'peft'?): use a topic's id"),
    ("---\ntags: {a: 1}\n---\n# Q\nA\n", "2: tags are a list of words, e.g. [lora, peft]"),
    ("---\nid: Big Id\n---\n# Q\nA\n", "2: 'Big Id' is not an id: use lowercase letters, "
                                       "digits, '.', '_' and '-', at most 64 characters"),
    ("---\n[broken\n---\n# Q\nA\n", "2: YAML syntax error"),
    ("Just some notes.\n", "1: no question in this card file: start it with '# ' and the "
                           "question, and write the answer below it"),
    ("\n\n# What is LoRA?\n\n", "3: the card 'What is LoRA?' has no answer: write it under "
                                "the question"),
    ("# Q1\nA1\n# Q2\nA2\n", "3: a second '# ' question in one file: make each card a '## ' "
                             "heading, or give it a file of its own"),
    ("## Q1\nA1\n\n##   \nA2\n", "4: the question is empty: write it after the '## '"),
    ("## Q1 {#Q-1}\nA1\n", "1: '{#Q-1}' is not an id: use lowercase letters, digits, '.', '_' "
                           "and '-', e.g. {#lora-rank}"),
    ("## Q1\nA1\n# Title\n## Q2\nA2\n", "3: a '# ' heading among '## ' cards: use '## ' for "
                                        "a card, or '### ' inside an answer"),
    ("---\nid: x\n---\n## Q1\nA1\n", "2: 'id' names a file of one card; in a file of '## ' "
                                     "cards give each its own id: '## Question {#id}'"),
])
def test_a_broken_card_file_is_reported_at_its_line_with_the_fix(text: str,
                                                                 expected: str) -> None:
    found = messages(text)
    assert len(found) == 1 and found[0].startswith(expected), found


def test_each_problem_names_the_key_or_part_it_is_about() -> None:
    # What validate prints and the Actions annotation shows: file, line, the key, the fix.
    shown = [str(d) for d in parse("---\nid: x\ntopics: peft\n---\n## Q1\nA1\n")[1]]
    assert shown == [
        "cards/peft.md:3:1: (front matter).topics: unknown key 'topics' (did you mean "
        "'topic'?); a card file knows id, tags, topic",
        "cards/peft.md:2:1: (front matter).id: 'id' names a file of one card; in a file of "
        "'## ' cards give each its own id: '## Question {#id}'"]


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    found = messages("## Q1\n\n## Q2\nA2\n\n## Q3\n")
    assert [f.split(":")[0] for f in found] == ["1", "6"]


@pytest.fixture
def fork(tmp_path: Path) -> Path:
    """A copy of the template's roadmap, schema and templates, with a cards/ folder."""
    for name in ("roadmap.yml", "roadmap.schema.json"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "templates", tmp_path / "templates")
    (tmp_path / "cards").mkdir()
    return tmp_path


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_cards_are_read_from_every_markdown_file_under_cards(fork: Path) -> None:
    write(fork / "cards/README.md", "# How to write cards\n\nNot a card.\n")
    write(fork / "cards/.drafts/x.md", "not even a card\n")
    write(fork / "cards/vla/pi0.md", "# What does π0 add to a VLM?\nAn action expert.\n")
    write(fork / "cards/linux.md", "## What does nohup do?\nKeeps it running.\n"
                                   "## Where does its output go?\nnohup.out.\n")
    roadmap = read_cards(fork / "cards", load_roadmap(fork / "roadmap.yml"), base=fork)
    assert [(c.id, c.file, c.line) for c in roadmap.cards] == [
        ("linux.what-does-nohup-do", "cards/linux.md", 1),
        ("linux.where-does-its-output-go", "cards/linux.md", 3),
        ("vla-pi0", "cards/vla/pi0.md", 1)]


def test_two_cards_with_one_id_name_both_places(fork: Path) -> None:
    write(fork / "cards/a.md", "## Q {#same}\nA\n")
    write(fork / "cards/b.md", "\n## Other {#same}\nB\n")
    with pytest.raises(RoadmapError) as caught:
        read_cards(fork / "cards", load_roadmap(fork / "roadmap.yml"), base=fork)
    [problem] = caught.value.diagnostics
    assert str(problem) == ("cards/b.md:2:1: card: the card id 'same' is also used at "
                            "cards/a.md:1: ids must be unique; give one of them another {#id}")


def test_validate_lists_card_problems_with_file_and_line_and_exits_2(fork: Path) -> None:
    write(fork / "cards/good.md", "# Fine\nYes.\n")
    write(fork / "cards/bad.md", "---\ntopic: nope\n---\n# Q\n")
    (fork / "cards/latin1.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    result = CliRunner().invoke(cli, ["validate", str(fork / "roadmap.yml")])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert any(line.endswith("cards/bad.md:2:1: (front matter).topic: no topic 'nope' in the "
                             "roadmap: use a topic's id") for line in lines), lines
    assert any(line.endswith("cards/bad.md:4:1: card: the card 'Q' has no answer: write it "
                             "under the question") for line in lines), lines
    assert any("cards/latin1.md:1:1: (file): not UTF-8 text" in line for line in lines), lines
    assert lines[-1] == "3 problems found; nothing was changed."


def test_validate_counts_the_cards_and_shows_the_review_budget(fork: Path) -> None:
    write(fork / "cards/good.md", "## One\nYes.\n## Two\nNo.\n")
    result = CliRunner().invoke(cli, ["validate", str(fork / "roadmap.yml")],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert "  review:      20 min a day, retention 0.9; 2 cards of yours in 1 file" \
        in result.output.splitlines()


def test_a_broken_card_file_stops_a_command_before_it_writes(fork: Path) -> None:
    write(fork / "cards/bad.md", "no heading here\n")
    db = fork / ".tracker" / "tracker.db"
    result = CliRunner().invoke(cli, ["sync", "--roadmap", str(fork / "roadmap.yml"),
                                      "--backend", "local", "--db", str(db)])
    assert result.exit_code == 2
    assert "cards/bad.md:1:1: card: no question in this card file" in result.output
    assert not db.exists()
