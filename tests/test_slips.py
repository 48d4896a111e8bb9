"""Typing slips found on the line where they are: full-width colons and spaces, indentation."""

from __future__ import annotations

from tracker.slips import indentation_slip, key_slips, list_separator_hint

KEYS = {"name", "timezone", "id", "title", "steps", "hours"}


def test_a_full_width_colon_after_a_known_key_is_a_slip_wherever_the_key_is() -> None:
    text = "learner:\n  name：学习者\nstages:\n  - id：linux\n    - title：A\n"
    slips = key_slips(text, KEYS)
    assert [(s.line, s.col) for s in slips] == [(2, 7), (4, 7), (5, 12)]
    assert "full-width colon '：' after 'name': use ':' followed by a space" in slips[0].message


def test_a_full_width_colon_inside_text_or_after_an_unknown_word_is_text() -> None:
    text = ("steps:\n  - Linux：先读总纲\n  - 第一周：环境与初探\n  - \"id：quoted\"\n"
            "title: 第一阶段：生存基石\n# name：a comment\n")
    assert key_slips(text, KEYS) == []


def test_full_width_spaces_after_a_colon_and_in_the_indentation() -> None:
    slips = key_slips("schedule:\n  hours:\u30006\n\u3000\u3000name: A\n", KEYS)
    assert [(s.line, s.col) for s in slips] == [(2, 9), (3, 1)]
    assert "full-width space after 'hours:'" in slips[0].message
    assert "full-width space '　' in the indentation" in slips[1].message


def test_one_space_too_many_names_the_line_to_line_up_with() -> None:
    text = "a:\n  - title: T\n    steps: [x]\n  - title: U\n     steps: [y]\n"
    slip = indentation_slip(text, 5)
    assert slip is not None and (slip.line, slip.col) == (5, 6)
    assert slip.message == ("indentation one space off: this line has 5 spaces, one too many; "
                            "line it up with 'title' on line 4 (4 spaces)")


def test_one_space_too_few_for_a_list_item() -> None:
    text = "steps:\n  - x\n - y\n"
    slip = indentation_slip(text, 3)
    assert slip is not None
    assert "this line has 1 space, one too few; line it up with '- x' on line 2" in slip.message


def test_a_line_that_lines_up_with_something_above_is_not_a_slip() -> None:
    text = "a:\n  b: 1\n  c: 2\nd: 3\n"
    assert indentation_slip(text, 3) is None
    assert indentation_slip(text, 4) is None
    # Two spaces off is not a one-space slip; the parser's own message stands.
    assert indentation_slip("a:\n    b: 1\n  c: 2\n", 3) is None
    assert indentation_slip("a: 1\n", 9) is None


def test_a_chinese_comma_between_list_items() -> None:
    assert "full-width comma '，'" in list_separator_hint("sat，sun")
    assert "full-width comma '、'" in list_separator_hint("sat、sun")
    assert list_separator_hint("sat") == "" and list_separator_hint(3) == ""


def test_comments_and_full_width_spaces_inside_text_are_not_slips() -> None:
    text = "  # 注释：name：学习者\n# name：x\ntitle: 第一阶段\u3000生存基石\n"
    assert key_slips(text, KEYS) == []
    # A full-width space before a '#' makes it text to YAML, not a comment.
    assert [s.line for s in key_slips("a: 1\n\u3000# 注释\n", KEYS)] == [2]


def test_a_full_width_indentation_slip_says_so_exactly() -> None:
    (slip,) = key_slips("learner:\n\u3000locale: zh-CN\n", KEYS)
    assert (slip.line, slip.col, slip.message) == (
        2, 1, "a full-width space '　' in the indentation: indent with ordinary spaces")


def test_an_indentation_slip_is_found_past_blank_lines_comments_and_deeper_lines() -> None:
    # The line it belongs with is three lines up, past a deeper line and a blank one.
    text = ("stages:\n  - title: T\n    steps:\n      - x\n\n    # note\n"
            " - title: U\n")
    slip = indentation_slip(text, 7)
    assert slip is not None
    assert "one too few; line it up with '- title' on line 2 (2 spaces)" in slip.message
    # Against the very first line of the file, too.
    first = indentation_slip("a: 1\n b: 2\n", 2)
    assert first is not None and "line it up with 'a' on line 1 (0 spaces)" in first.message


def test_no_slip_is_made_up_past_the_line_that_encloses_the_error() -> None:
    # Line 4 is two spaces in from its parent on line 3: the line above that, one column
    # away, belongs to another block.
    assert indentation_slip("a:\n   b: 1\n  c:\n    d: 1\n", 4) is None


def test_the_key_named_is_the_one_before_the_first_colon() -> None:
    slip = indentation_slip("- url: https://example.com\n   title: T\n", 2)
    assert slip is not None and "line it up with 'url' on line 1 (2 spaces)" in slip.message
