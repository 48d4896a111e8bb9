"""The dashboard's SVG pictures: valid, escaped, measured, and the same bytes every run."""

from __future__ import annotations

import datetime as dt
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tracker import pictures
from tracker.pictures import badge, burnup, heatmap, weekly_chart

GOLDEN = Path(__file__).parent / "golden" / "pictures"
NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = '<b>&"\'</b> ]]> <script>alert(1)</script>\x00\x1b'
END = dt.date(2026, 3, 26)  # a Thursday
D = dt.date.fromisoformat


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    for name in ("viewBox", "width", "height"):
        assert root.get(name), f"no {name}"
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert (width, height) == (float(root.get("width")), float(root.get("height")))
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iterfind(".//svg:text", NS)]


def days(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//svg:rect[@class='day']", NS)


# -- sample data shared by the golden files --------------------------------------------------------

def sample_levels() -> dict[dt.date, int]:
    """A learner who started in late spring, studies most weekdays and rests on some Sundays."""
    levels = {}
    day = D("2025-05-12")
    while day <= END:
        n = day.toordinal()
        if day.weekday() != 6 or n % 3 == 0:
            levels[day] = (n * 7 + n // 5) % 5
        day += dt.timedelta(days=1)
    return levels


def sample_weeks() -> list[tuple[dt.date, int, int]]:
    counts = [(0, 0), (3, 10), (8, 12), (12, 12), (5, 14), (9, 15), (0, 0), (11, 16), (14, 14),
              (7, 13), (10, 12), (2, 9)]
    monday = D("2026-01-05")
    return [(monday + dt.timedelta(weeks=n), t, p) for n, (t, p) in enumerate(counts)]


def sample_burnup() -> tuple[list[tuple[dt.date, int]], list[tuple[dt.date, int]]]:
    start = D("2026-02-02")
    planned = [(start + dt.timedelta(days=7 * n), 12 * n) for n in range(11)]
    # Behind the plan, with the flat stretches of real weeks.
    counts = [0, 4, 9, 9, 15, 20, 20, 26, 31, 35, 35, 40, 47, 52, 58, 58, 63, 70]
    done = [(start + dt.timedelta(days=3 * n), count) for n, count in enumerate(counts)]
    return done, planned


def golden_pictures() -> dict[str, str]:
    levels = sample_levels()
    titles = {d: f"{d.isoformat()}: studied · {lvl} commits" for d, lvl in levels.items()}
    done, planned = sample_burnup()
    out = {"badge.svg": badge("streak", "12 days", "brightgreen")}
    for locale in ("en", "zh-CN"):
        for dark in (False, True):
            mode = "dark" if dark else "light"
            out[f"heatmap.{locale}.{mode}.svg"] = heatmap(levels, END, titles=titles,
                                                          locale=locale, dark=dark)
            out[f"weekly.{locale}.{mode}.svg"] = weekly_chart(sample_weeks(), locale=locale,
                                                              dark=dark)
            out[f"burnup.{locale}.{mode}.svg"] = burnup(done, planned, 120, D("2026-03-26"),
                                                        locale=locale, dark=dark)
    return out


@pytest.mark.parametrize("name", sorted(golden_pictures()))
def test_pictures_match_the_golden_files(name: str) -> None:
    svg = golden_pictures()[name]
    parse(svg)
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1" or not golden.exists():
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(svg, encoding="utf-8")
    assert svg == golden.read_text(encoding="utf-8"), (
        f"{name} changed: look at it, then rerun with UPDATE_GOLDEN=1 if it is right")


def test_pictures_are_deterministic_with_few_decimals() -> None:
    first, second = golden_pictures(), golden_pictures()
    assert first == second
    for name, svg in first.items():
        assert not re.search(r"\d\.\d{2,}", svg), name
        assert "NaN" not in svg and "inf" not in svg, name


# -- badge -----------------------------------------------------------------------------------------

def test_badge_is_a_flat_shields_badge() -> None:
    root = parse(badge("build", "passing", "brightgreen"))
    assert root.get("height") == "20"
    assert root.get("role") == "img" and root.get("aria-label") == "build: passing"
    assert root.find("svg:title", NS).text == "build: passing"
    assert root.find(".//svg:clipPath/svg:rect", NS).get("rx") == "3"
    fills = [r.get("fill") for r in root.iterfind(".//svg:g/svg:rect", NS)]
    assert fills[:2] == ["#555", "#4c1"]
    shadows = root.findall(".//svg:text[@fill='#010101']", NS)
    assert len(shadows) == 2 and all(s.get("fill-opacity") == ".3" for s in shadows)
    assert texts(root).count("passing") == 2
    # Verdana at 11 px: "build" 27 px and "passing" 42 px, plus 5 px padding each side.
    assert root.get("width") == "89"


@pytest.mark.parametrize(("name", "hex_color"), [
    ("brightgreen", "#4c1"), ("green", "#97ca00"), ("yellowgreen", "#a4a61d"),
    ("yellow", "#dfb317"), ("orange", "#fe7d37"), ("red", "#e05d44"), ("blue", "#007ec6"),
    ("lightgrey", "#9f9f9f"), ("2DA44E", "#2da44e"), ("#0969da", "#0969da"),
])
def test_badge_colours_by_name_or_hex(name: str, hex_color: str) -> None:
    root = parse(badge("a", "b", name))
    assert root.findall(".//svg:g/svg:rect", NS)[1].get("fill") == hex_color


def test_badge_refuses_an_unknown_colour() -> None:
    with pytest.raises(ValueError, match="unknown badge colour 'grene'"):
        badge("a", "b", "grene")
    with pytest.raises(ValueError):
        badge("a", "b", "url(#x)")


def test_badge_on_a_bright_colour_has_dark_text() -> None:
    root = parse(badge("a", "b", "ffff66"))
    assert "#333" in {t.get("fill") for t in root.iterfind(".//svg:text", NS)}


def test_badge_grows_with_its_text_and_cjk_is_wider() -> None:
    def width(label: str, message: str) -> int:
        return int(parse(badge(label, message, "blue")).get("width"))

    assert width("streak", "1 day") < width("streak", "12 days") < width("streak long", "12 days")
    assert width("ab", "连续") > width("ab", "ab")
    assert width("学习天数", "12") > width("abcd", "12")
    assert width("a", "🔥") > width("a", "a")
    assert width("iiii", "1") < width("WWWW", "1")


def test_badge_without_label_is_message_only() -> None:
    root = parse(badge("", "passing", "green"))
    assert texts(root) == ["passing", "passing"]
    assert root.find("svg:title", NS).text == "passing"


def test_badge_escapes_hostile_text() -> None:
    svg = badge(HOSTILE, '<b>&"', "red")
    root = parse(svg)
    assert "<b>" not in svg and "<script>" not in svg
    assert "&lt;b&gt;&amp;" in svg
    assert root.get("aria-label").startswith('<b>&"\'</b>')
    assert texts(root)[-1] == '<b>&"'


# -- heatmap ---------------------------------------------------------------------------------------

def test_heatmap_size_scales_with_its_viewbox() -> None:
    root = parse(heatmap({}, END))
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert 640 <= width <= 760 and 100 <= height <= 140
    # No preserveAspectRatio="none" and no background: <img width="100%"> keeps the proportions.
    assert root.get("preserveAspectRatio") is None
    assert not [r for r in root.iterfind("svg:rect", NS) if r.get("class") is None]


@pytest.mark.parametrize("end", [D("2026-03-23"), D("2026-03-26"), D("2026-03-29"),
                                 D("2024-02-29"), D("2027-01-01")])
@pytest.mark.parametrize("week_start", [0, 6])
def test_heatmap_draws_every_day_of_53_weeks_up_to_end(end: dt.date, week_start: int) -> None:
    cells = days(parse(heatmap({}, end, week_start=week_start)))
    first = D(cells[0].get("data-date"))
    assert first.weekday() == week_start
    expected = (end - first).days + 1
    assert 52 * 7 < expected <= 53 * 7
    assert len(cells) == expected
    assert cells[-1].get("data-date") == end.isoformat()
    assert len({c.get("data-date") for c in cells}) == expected


def test_heatmap_week_start_sets_the_first_row() -> None:
    for week_start, first_row_weekday in ((0, 0), (6, 6)):
        cells = days(parse(heatmap({}, END, week_start=week_start)))
        top = min(float(c.get("y")) for c in cells)
        first_row = {D(c.get("data-date")).weekday() for c in cells if float(c.get("y")) == top}
        assert first_row == {first_row_weekday}
    with pytest.raises(ValueError, match="week_start"):
        heatmap({}, END, week_start=7)


def test_heatmap_weekday_labels_follow_week_start() -> None:
    def label_rows(week_start: int, locale: str) -> dict[str, float]:
        root = parse(heatmap({}, END, week_start=week_start, locale=locale))
        return {"".join(t.itertext()): float(t.get("y")) for t in root.iterfind(".//svg:text", NS)
                if t.get("text-anchor") == "end" and float(t.get("y")) < 110}

    monday_first, sunday_first = label_rows(0, "en"), label_rows(6, "en")
    assert set(monday_first) == {"Mon", "Wed", "Fri"}
    assert sunday_first["Mon"] - monday_first["Mon"] == 12
    assert set(label_rows(0, "zh-CN")) == {"一", "三", "五"}


@pytest.mark.parametrize("dark", [False, True])
def test_heatmap_colours_each_level_from_githubs_palette(dark: bool) -> None:
    palette = pictures.HEATMAP_PALETTES[dark]
    levels = {END - dt.timedelta(days=n): n % 5 for n in range(20)}
    levels[END - dt.timedelta(days=30)] = 9  # out of range: clamped, not a crash
    levels[END - dt.timedelta(days=31)] = -2
    root = parse(heatmap(levels, END, dark=dark))
    for cell in days(root):
        level = levels.get(D(cell.get("data-date")), 0)
        level = min(max(level, 0), 4)
        assert cell.get("data-level") == str(level)
        assert cell.get("fill") == palette[level]
        assert (cell.get("width"), cell.get("height"), cell.get("rx")) == ("10", "10", "2")
    assert [r.get("fill") for r in root.iterfind(".//svg:rect[@class='legend']", NS)] == list(
        palette)
    assert root.get("fill") == ("#8b949e" if dark else "#57606a")


def test_heatmap_cells_sit_on_a_12px_grid_in_53_columns() -> None:
    cells = days(parse(heatmap({}, END)))
    xs = sorted({float(c.get("x")) for c in cells})
    ys = sorted({float(c.get("y")) for c in cells})
    assert len(xs) == 53 and len(ys) == 7
    assert {b - a for a, b in zip(xs, xs[1:], strict=False)} == {12.0}
    assert {b - a for a, b in zip(ys, ys[1:], strict=False)} == {12.0}


def test_heatmap_month_labels_in_both_languages() -> None:
    en = texts(parse(heatmap({}, END)))
    assert {"Apr", "Jun", "Dec", "Jan", "Mar"} <= set(en)
    assert "Less" in en and "More" in en
    zh = texts(parse(heatmap({}, END, locale="zh-CN")))
    assert {"4月", "6月", "12月", "1月", "3月"} <= set(zh)
    assert "少" in zh and "多" in zh
    months = [t for t in en if t in pictures._MONTHS_EN]
    assert len(months) == len(set(months)) >= 11


def test_heatmap_titles_each_cell() -> None:
    day = END - dt.timedelta(days=3)
    root = parse(heatmap({day: 2}, END, titles={day: f"{day}: studied · 3 commits"}))
    by_date = {c.get("data-date"): c.find("svg:title", NS).text for c in days(root)}
    assert by_date[day.isoformat()] == f"{day}: studied · 3 commits"
    assert by_date[END.isoformat()] == END.isoformat()  # untitled days still say which day


def test_heatmap_escapes_titles() -> None:
    svg = heatmap({}, END, titles={END: HOSTILE})
    assert "<script>" not in svg
    cell = days(parse(svg))[-1]
    assert cell.find("svg:title", NS).text == '<b>&"\'</b> ]]> <script>alert(1)</script>'


# -- weekly chart ----------------------------------------------------------------------------------

def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iterfind(".//svg:rect", NS) if "bar" in r.get("class", "")]


def test_weekly_chart_bars_are_proportional_and_empty_weeks_are_empty() -> None:
    weeks = [(D("2026-03-02"), 5, 10), (D("2026-03-09"), 10, 10), (D("2026-03-16"), 0, 0),
             (D("2026-03-23"), 0, 7), (D("2026-03-30"), 12, 8)]
    root = parse(weekly_chart(weeks))
    heights = [float(b.get("height")) for b in bars(root)]
    full = heights[1]
    assert full > 0
    assert heights == [full / 2, full, 0, 0, full]  # more ticks than planned: capped at 100%
    assert bars(root)[2].get("class") == "bar empty"
    shown = [t for t in texts(root) if t.endswith("%") or t == "–"]
    assert shown == ["50%", "50%", "100%", "–", "0%", "100%"]  # the guide's label, then bars
    # Bars stand on the baseline.
    base = float(root.find(".//svg:line[@class='baseline']", NS).get("y1"))
    assert {float(b.get("y")) + float(b.get("height")) for b in bars(root)} == {base}
    guide = float(root.find(".//svg:line[@class='guide']", NS).get("y1"))
    assert guide == pytest.approx(base - full / 2)


def test_weekly_chart_labels_weeks_in_both_languages() -> None:
    weeks = [(D("2026-03-23"), 3, 4)]
    assert "23 Mar" in texts(parse(weekly_chart(weeks)))
    assert "3/23" in texts(parse(weekly_chart(weeks, locale="zh-CN")))


def test_weekly_chart_shows_the_last_12_weeks_in_order() -> None:
    monday = D("2026-01-05")
    weeks = [(monday + dt.timedelta(weeks=n), n, 20) for n in range(15)]
    root = parse(weekly_chart(list(reversed(weeks))))
    shown = [b.get("data-week") for b in bars(root)]
    assert shown == [w[0].isoformat() for w in weeks[-12:]]
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert (width, height) == (720, 180)
    assert all(float(b.get("x")) + float(b.get("width")) <= width for b in bars(root))


def test_weekly_chart_with_no_weeks_is_still_a_picture() -> None:
    root = parse(weekly_chart([], dark=True))
    assert bars(root) == []
    assert root.get("fill") == "#8b949e"


# -- burn-up ---------------------------------------------------------------------------------------

def polyline(root: ET.Element, name: str) -> list[tuple[float, float]]:
    line = root.find(f".//svg:polyline[@class='{name}']", NS)
    assert line is not None, name
    return [tuple(float(v) for v in p.split(",")) for p in line.get("points").split()]


def test_burnup_draws_plan_done_total_and_today() -> None:
    done, planned = sample_burnup()
    root = parse(burnup(done, planned, 120, D("2026-03-26")))
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert (width, height) == (720, 240)
    plan, done_line = polyline(root, "plan"), polyline(root, "done")
    today_x = float(root.find(".//svg:line[@class='today']", NS).get("x1"))
    assert done_line[-1][0] == today_x
    assert plan[-1][0] > today_x  # the plan runs on past today
    total_y = float(root.find(".//svg:line[@class='total']", NS).get("y1"))
    assert min(y for _, y in plan) == total_y
    words = texts(root)
    assert {"Plan", "Done", "today", "0", "120", "Total 120"} <= set(words)
    assert root.get("aria-label") == "Burn-up: 70 of 120 steps done"
    zh = texts(parse(burnup(done, planned, 120, D("2026-03-26"), locale="zh-CN")))
    assert {"计划", "完成", "今天", "总计 120"} <= set(zh)


def test_burnup_runs_to_today_when_the_plan_ended_earlier() -> None:
    planned = [(D("2026-01-01"), 0), (D("2026-01-31"), 30)]
    root = parse(burnup([(D("2026-01-10"), 4)], planned, 30, D("2026-02-20")))
    done_line = polyline(root, "done")
    assert done_line[-1][0] == 720 - 16  # today is the right edge
    assert done_line[-1][1] == done_line[0][1]  # held flat since the last tick


@pytest.mark.parametrize(("done", "planned", "total"), [
    ([], [], 0),
    ([], [], 50),
    ([], [(D("2026-03-01"), 0), (D("2026-04-01"), 40)], 40),
    ([(D("2026-03-26"), 3)], [(D("2026-03-26"), 5)], 5),  # a single day
    ([(D("2026-03-20"), 3)], [(D("2026-03-26"), 0)], 0),
    ([(D("2026-04-20"), 3)], [(D("2026-05-01"), 10)], 10),  # everything after today
])
@pytest.mark.parametrize("dark", [False, True])
def test_burnup_survives_degenerate_inputs(done: list, planned: list, total: int,
                                           dark: bool) -> None:
    svg = burnup(done, planned, total, D("2026-03-26"), dark=dark, locale="zh-CN")
    root = parse(svg)
    for element in root.iter():
        for name in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy"):
            value = element.get(name)
            if value is not None:
                assert 0 <= float(value) <= 720, (name, value)
    assert "nan" not in svg.lower()


def test_burnup_reads_an_unknown_locale_as_english() -> None:
    root = parse(burnup([], [], 3, D("2026-03-26"), locale='<x>"'))
    assert "Plan" in texts(root)


# -- all of them ----------------------------------------------------------------------------------

def test_every_picture_is_standalone_svg_with_the_chart_font() -> None:
    for name, svg in golden_pictures().items():
        root = parse(svg)
        assert root.find("svg:title", NS) is not None, name
        assert "http" not in svg.replace("http://www.w3.org/2000/svg", ""), name
        assert "<script" not in svg and "<style" not in svg, name
        if not name.startswith("badge"):
            assert root.get("font-family") == pictures.CHART_FONT, name
