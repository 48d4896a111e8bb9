"""The dashboard's SVG pictures: valid, escaped, measured, and the same bytes every run."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tracker import pictures
from tracker.pictures import badge, burnup, heatmap, weekly_chart

from conftest import assert_golden

GOLDEN = Path(__file__).parent / "golden" / "pictures"
NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = '<b>&"\'</b> ]]> <script>alert(1)</script>\x00\x1b'
END = dt.date(2026, 3, 26)  # a Thursday
D = dt.date.fromisoformat
PLAN_FIRST, PLAN_LAST = D("2026-01-14"), D("2026-05-31")  # a plan of 20 weeks, today in it


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
    """Every day's cell: the days gone by, and those of the plan still to come."""
    return [r for r in root.iterfind(".//svg:rect", NS)
            if r.get("class", "").split()[:1] == ["day"]]


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
            out[f"heatmap.{locale}.{mode}.svg"] = heatmap(
                levels, PLAN_FIRST, PLAN_LAST, END, titles=titles, locale=locale, dark=dark)
            out[f"weekly.{locale}.{mode}.svg"] = weekly_chart(sample_weeks(), locale=locale,
                                                              dark=dark)
            out[f"burnup.{locale}.{mode}.svg"] = burnup(done, planned, 120, D("2026-03-26"),
                                                        locale=locale, dark=dark)
    return out


@pytest.mark.parametrize("name", sorted(golden_pictures()))
def test_pictures_match_the_golden_files(name: str) -> None:
    svg = golden_pictures()[name]
    parse(svg)
    assert_golden(GOLDEN / name, svg)


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

def plan_heatmap(levels=None, first=PLAN_FIRST, last=PLAN_LAST, today=END, **kw) -> ET.Element:
    return parse(heatmap(levels or {}, first, last, today, **kw))


def test_heatmap_is_drawn_at_phone_size_with_no_background() -> None:
    root = plan_heatmap()
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert width <= pictures.CHART_WIDTH and 120 <= height <= 150
    assert root.get("font-size") == "12"
    assert root.get("preserveAspectRatio") is None
    assert not [r for r in root.iterfind("svg:rect", NS) if r.get("class") is None]


@pytest.mark.parametrize("week_start", [0, 6])
@pytest.mark.parametrize(("first", "last"), [(D("2026-01-14"), D("2026-05-31")),
                                            (D("2026-03-23"), D("2026-03-23")),
                                            (D("2024-02-26"), D("2024-03-03"))])
def test_heatmap_draws_every_day_of_the_span_and_nothing_else(first: dt.date, last: dt.date,
                                                              week_start: int) -> None:
    cells = days(plan_heatmap(first=first, last=last, today=first, week_start=week_start))
    assert [c.get("data-date") for c in cells] == [
        (first + dt.timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    origin = pictures.week_start_of(first, week_start)
    for cell in cells:  # each day in its week's column, its weekday's row
        column, row = divmod((D(cell.get("data-date")) - origin).days, 7)
        assert float(cell.get("x")) == 30 + 13 * column
        assert float(cell.get("y")) == 18 + 13 * row


def test_heatmap_draws_the_days_to_come_as_outlines() -> None:
    cells = {c.get("data-date"): c for c in days(plan_heatmap({END: 3}))}
    assert cells[END.isoformat()].get("class") == "day"
    tomorrow = cells[(END + dt.timedelta(days=1)).isoformat()]
    assert tomorrow.get("class") == "day future"
    assert tomorrow.get("fill") == "none" and tomorrow.get("stroke")


def test_heatmap_window_is_the_plan_or_the_weeks_around_today() -> None:
    window = pictures.heatmap_window
    # A plan that fits: all of it, from its first day to its last.
    assert window(D("2026-01-14"), D("2026-05-31"), END) == (D("2026-01-14"), D("2026-05-31"))
    assert pictures.HEATMAP_WEEKS == 23  # as many as fit in a phone's column
    # A year-long plan: 23 weeks, from its start while it is young...
    first, last = window(D("2026-01-05"), D("2026-12-27"), D("2026-02-01"))
    assert (first, last) == (D("2026-01-05"), D("2026-06-14"))
    # ...then the 23 weeks up to today's week.
    first, last = window(D("2026-01-05"), D("2026-12-27"), D("2026-09-02"))
    assert (first, last) == (D("2026-03-30"), D("2026-09-06"))
    # The widest heatmap fits the chart width.
    root = parse(heatmap({}, first, last, D("2026-09-02")))
    assert float(root.get("width")) <= pictures.CHART_WIDTH
    # A plan over and a learner still studying: up to today.
    assert window(D("2026-03-02"), D("2026-03-29"), D("2026-04-08"))[1] == D("2026-04-08")
    with pytest.raises(ValueError, match="week_start"):
        window(D("2026-03-02"), D("2026-03-29"), END, week_start=7)


def test_heatmap_weekday_labels_follow_week_start() -> None:
    def label_rows(week_start: int, locale: str) -> dict[str, float]:
        root = plan_heatmap(week_start=week_start, locale=locale)
        return {"".join(t.itertext()): float(t.get("y")) for t in root.iterfind(".//svg:text", NS)
                if t.get("text-anchor") == "end" and float(t.get("y")) < 110}

    monday_first, sunday_first = label_rows(0, "en"), label_rows(6, "en")
    assert set(monday_first) == {"Mon", "Wed", "Fri"}
    assert sunday_first["Mon"] - monday_first["Mon"] == 13
    assert set(label_rows(0, "zh-CN")) == {"一", "三", "五"}


@pytest.mark.parametrize("dark", [False, True])
def test_heatmap_colours_each_level_from_githubs_palette(dark: bool) -> None:
    palette = pictures.HEATMAP_PALETTES[dark]
    levels = {END - dt.timedelta(days=n): n % 5 for n in range(20)}
    levels[END - dt.timedelta(days=30)] = 9  # out of range: clamped, not a crash
    levels[END - dt.timedelta(days=31)] = -2
    root = plan_heatmap(levels, dark=dark)
    for cell in days(root):
        if cell.get("class") != "day":
            continue
        level = min(max(levels.get(D(cell.get("data-date")), 0), 0), 4)
        assert cell.get("data-level") == str(level)
        assert cell.get("fill") == palette[level]
        assert (cell.get("width"), cell.get("height"), cell.get("rx")) == ("11", "11", "2")
    assert [r.get("fill") for r in root.iterfind(".//svg:rect[@class='legend']", NS)] == list(
        palette)
    assert root.get("fill") == ("#8b949e" if dark else "#57606a")


def test_heatmap_month_labels_in_both_languages() -> None:
    en = texts(plan_heatmap())
    assert {"Feb", "Mar", "Apr", "May"} <= set(en)
    assert "Less" in en and "More" in en
    zh = texts(plan_heatmap(locale="zh-CN"))
    assert {"2月", "3月", "4月", "5月"} <= set(zh)
    assert "少" in zh and "多" in zh
    months = [t for t in en if t in pictures._MONTHS_EN]
    assert len(months) == len(set(months))


def test_a_short_plan_still_has_room_for_its_legend() -> None:
    root = plan_heatmap(first=END, last=END + dt.timedelta(days=6))
    width = float(root.get("width"))
    legend = root.findall(".//svg:rect[@class='legend']", NS)
    assert float(legend[0].get("x")) > 0 and float(legend[-1].get("x")) + 11 <= width


def test_heatmap_titles_each_cell() -> None:
    day = END - dt.timedelta(days=3)
    root = plan_heatmap({day: 2}, titles={day: f"{day}: studied · 3 commits"})
    by_date = {c.get("data-date"): c.find("svg:title", NS).text for c in days(root)}
    assert by_date[day.isoformat()] == f"{day}: studied · 3 commits"
    assert by_date[END.isoformat()] == END.isoformat()  # untitled days still say which day


def test_heatmap_escapes_titles() -> None:
    svg = heatmap({}, PLAN_FIRST, PLAN_LAST, END, titles={END: HOSTILE})
    assert "<script>" not in svg
    cell = next(c for c in days(parse(svg)) if c.get("data-date") == END.isoformat())
    assert cell.find("svg:title", NS).text == '<b>&"\'</b> ]]> <script>alert(1)</script>'


# -- weekly chart ----------------------------------------------------------------------------------

def bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iterfind(".//svg:rect", NS) if "bar" in r.get("class", "")]


def test_weekly_chart_bars_are_proportional_and_empty_weeks_are_empty() -> None:
    weeks = [(D("2026-03-02"), 5, 10), (D("2026-03-09"), 10, 10), (D("2026-03-16"), 0, 0),
             (D("2026-03-23"), 0, 7), (D("2026-03-30"), 12, 8)]
    root = parse(weekly_chart(weeks))
    lengths = [float(b.get("width")) for b in bars(root)]
    full = lengths[1]
    assert full > 0
    assert lengths == [full / 2, full, 0, 0, full]  # more ticks than planned: capped at 100%
    assert bars(root)[2].get("class") == "bar empty"
    shown = [t for t in texts(root) if t.endswith("%") or t == "–"]
    assert shown == ["50%", "100%", "–", "0%", "100%"]
    # Every bar starts at the same place; the guide marks half of a full bar.
    assert {float(b.get("x")) for b in bars(root)} == {54.0}
    guide = float(root.find(".//svg:line[@class='guide']", NS).get("x1"))
    assert guide == pytest.approx(54 + full / 2)


def test_weekly_chart_labels_weeks_in_both_languages() -> None:
    weeks = [(D("2026-03-23"), 3, 4)]
    assert "23 Mar" in texts(parse(weekly_chart(weeks)))
    assert "3/23" in texts(parse(weekly_chart(weeks, locale="zh-CN")))


def test_weekly_chart_shows_the_last_12_weeks_oldest_first() -> None:
    monday = D("2026-01-05")
    weeks = [(monday + dt.timedelta(weeks=n), n, 20) for n in range(15)]
    root = parse(weekly_chart(list(reversed(weeks))))
    shown = [b.get("data-week") for b in bars(root)]
    assert shown == [w[0].isoformat() for w in weeks[-12:]]
    ys = [float(b.get("y")) for b in bars(root)]
    assert ys == sorted(ys)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert width == pictures.CHART_WIDTH and height == 12 + 12 * 22
    assert all(float(b.get("x")) + float(b.get("width")) <= width for b in bars(root))


def test_weekly_chart_grows_with_the_weeks_the_plan_has() -> None:
    one = parse(weekly_chart([(D("2026-03-23"), 1, 2)]))
    assert len(bars(one)) == 1 and float(one.get("height")) == 12 + 22


def test_weekly_chart_with_no_weeks_says_so() -> None:
    root = parse(weekly_chart([], dark=True))
    assert bars(root) == []
    assert texts(root) == ["No week of the plan yet"]
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
    assert (width, height) == (pictures.CHART_WIDTH, 200)
    plan, done_line = polyline(root, "plan"), polyline(root, "done")
    today_x = float(root.find(".//svg:line[@class='today']", NS).get("x1"))
    assert done_line[-1][0] == today_x
    assert plan[-1][0] > today_x  # the plan runs on past today
    total_y = float(root.find(".//svg:line[@class='total']", NS).get("y1"))
    assert min(y for _, y in plan) == total_y
    words = texts(root)
    assert {"Plan", "Done", "today", "0", "120", "Total 120"} <= set(words)
    assert {"2 Feb", "9 Mar", "13 Apr"} <= set(words)  # three dates: room for each
    assert root.get("aria-label") == "Burn-up: 70 of 120 steps done"
    zh = texts(parse(burnup(done, planned, 120, D("2026-03-26"), locale="zh-CN")))
    assert {"计划", "完成", "今天", "总计 120"} <= set(zh)


def test_burnup_runs_to_today_when_the_plan_ended_earlier() -> None:
    planned = [(D("2026-01-01"), 0), (D("2026-01-31"), 30)]
    root = parse(burnup([(D("2026-01-10"), 4)], planned, 30, D("2026-02-20")))
    done_line = polyline(root, "done")
    assert done_line[-1][0] == pictures.CHART_WIDTH - 10  # today is the right edge
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
                assert 0 <= float(value) <= pictures.CHART_WIDTH, (name, value)
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
