"""The review section's items: a box per card, its small "hard" box, its answer folded."""

from __future__ import annotations

import datetime as dt

from tracker.memory import Memory
from tracker.review_section import MAX_ANSWER, answer_text, review_items
from tracker.reviews import DueCard, StudyCard

D = dt.date(2026, 3, 2)


def test_each_card_has_its_box_its_hard_box_and_its_answer() -> None:
    due = [DueCard(StudyCard("p:lc-94", "Inorder", "binary-tree, stack",
                             "https://leetcode.cn/problems/x/"), None, 0, None),
           DueCard(StudyCard("k:attn", "Why  divide\nby √d_k?", "Variance grows.",
                             source="cards/t.md"),
                   Memory("k:attn", D, D, D, 2.3, 5.0, 1, 0), 2, 0.8),
           DueCard(StudyCard("q:q1", "What is LoRA?", ""), None, 0, None)]
    items = review_items(due, "zh-CN")
    assert [(i["id"], i["hard_id"], i["text"], i["answer_label"]) for i in items] == [
        ("r:p:lc-94", "rh:p:lc-94", "Inorder", "提示"),
        ("r:k:attn", "rh:k:attn", "Why divide by √d_k?", "答案"),
        ("r:q:q1", "rh:q:q1", "What is LoRA?", "要点")]
    assert [(i["minutes"], i["new"], i["link"]) for i in items] == [
        (5, True, "https://leetcode.cn/problems/x/"), (2, False, None), (3, True, None)]
    assert [i["answer_label"] for i in review_items(due, "en")] == [
        "hint", "answer", "key points"]


def test_an_answer_loses_its_comments_so_it_cannot_close_the_plan_s_block() -> None:
    card = StudyCard("k:a", "Q", "Before <!-- study-tracker:end --> after <!-- item:x -->.")
    assert answer_text(card, "en") == "Before  after ."


def test_a_long_answer_is_cut_at_a_paragraph_with_a_pointer_to_its_file() -> None:
    paragraph = "word " * 100
    card = StudyCard("k:a", "Q", "\n\n".join([paragraph.strip()] * 5), source="cards/long.md")
    shown = answer_text(card, "en")
    assert len(shown) < MAX_ANSWER + 100
    assert shown.endswith("\n\n… (the whole answer is in cards/long.md)")
    assert shown.count("word") == 200  # two whole paragraphs, none cut in the middle
    zh = answer_text(card, "zh-CN")
    assert zh.endswith("……（全文见 cards/long.md）")


def test_a_cut_never_leaves_a_code_block_open() -> None:
    code = "```python\n" + "x = 1\n" * 400 + "```"
    shown = answer_text(StudyCard("k:a", "Q", code, source="cards/c.md"), "en")
    body = shown.split("\n\n…")[0]
    assert body.count("```") == 2 and body.endswith("```")
