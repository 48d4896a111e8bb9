"""The pictures of the public progress page: a badge and three charts, as SVG text.

The dashboard job writes them into the repository and README.md shows them through `<img>`
(and `<picture>` for dark mode). Inside an `<img>` an SVG runs no script, loads no web font and
shows no hover, and GitHub's image proxy serves it as-is, so each picture is a standalone file:
fonts from the reader's system, drawn at the size a phone shows it (see CHART_WIDTH), and no
background, so the page's own colour shows through.

Everything here is a pure function of its arguments: the same data gives the same bytes (no
random ids, numbers printed with one decimal at most), which keeps the job's commits empty when
nothing changed and lets the tests compare whole files.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

SVG_NS = "http://www.w3.org/2000/svg"
CHART_FONT = ('-apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, '
              "sans-serif")
BADGE_FONT = "Verdana, Geneva, DejaVu Sans, sans-serif"

BADGE_COLORS = {
    "brightgreen": "#4c1", "green": "#97ca00", "yellowgreen": "#a4a61d", "yellow": "#dfb317",
    "orange": "#fe7d37", "red": "#e05d44", "blue": "#007ec6", "lightgrey": "#9f9f9f",
    "lightgray": "#9f9f9f", "grey": "#555", "gray": "#555",
}
HEATMAP_PALETTES = {
    False: ("#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39"),
    True: ("#161b22", "#0e4429", "#006d32", "#26a641", "#39d353"),
}
# GitHub's own muted text (fg.muted) and success green in its light and dark themes.
_TEXT = {False: "#57606a", True: "#8b949e"}
_GREEN = {False: "#2da44e", True: "#3fb950"}
_GRID = {False: "#d0d7de", True: "#30363d"}  # border.default: lines that must stay quiet

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WORDS = {
    "en": {"mon": "Mon", "wed": "Wed", "fri": "Fri", "less": "Less", "more": "More",
           "plan": "Plan", "done": "Done", "total": "Total", "today": "today",
           "heatmap": "Study days of the plan", "weekly": "Share of each week's plan ticked",
           "no_weeks": "No week of the plan yet",
           "burnup": "Burn-up: {done} of {total} steps done"},
    "zh-CN": {"mon": "一", "wed": "三", "fri": "五", "less": "少", "more": "多",
              "plan": "计划", "done": "完成", "total": "总计", "today": "今天",
              "heatmap": "计划期间的学习日", "weekly": "每周计划的完成比例",
              "no_weeks": "计划还没开始",
              "burnup": "燃起图：已完成 {done} / {total} 步"},
}

# Verdana's advance widths at 11 px for printable ASCII (its 2048-unit metrics scaled): the
# numbers shields.io measures badges with, so our badges have its familiar proportions.
_VERDANA_11 = dict(zip(
    map(chr, range(0x20, 0x7F)),  # " " to "~"
    (3.87, 4.33, 5.05, 9.0, 6.99, 11.84, 7.99, 2.95, 5.0, 5.0, 6.99, 9.0, 4.0, 5.0, 4.0, 5.0,
     6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 6.99, 5.0, 5.0, 9.0, 9.0, 9.0, 6.0,
     11.0, 7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.63, 5.0, 7.62, 6.12, 9.27, 8.23,
     8.66, 6.63, 8.66, 7.65, 7.52, 6.78, 8.05, 7.52, 10.88, 7.54, 6.77, 7.54, 5.0, 5.0, 5.0,
     9.0, 6.99, 6.99, 6.61, 6.85, 5.73, 6.85, 6.55, 3.87, 6.85, 6.96, 3.02, 3.79, 6.51, 3.02,
     10.7, 6.96, 6.68, 6.85, 6.85, 4.69, 5.73, 4.33, 6.96, 6.51, 9.0, 6.51, 6.51, 5.78, 6.98,
     5.0, 6.98, 9.0),
    strict=True,
))
_WIDE = 11.0  # CJK and full-width: a square em
_EMOJI = 13.0  # colour emoji are drawn a little wider than an em
_OTHER = 7.0  # accented Latin, Greek, Cyrillic...: about an average Verdana letter
_BADGE_PAD = 5  # shields.io's padding each side of a text: 10 px per half of the badge
# Characters XML 1.0 cannot carry at all, even escaped: dropped rather than breaking the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# -- small helpers --------------------------------------------------------------------------------

def _num(value: float) -> str:
    """One decimal at most, no trailing zeros, never "-0": stable text for the same number."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attrs(attrs: Mapping[str, str | float | None]) -> str:
    parts = []
    for name, value in attrs.items():
        if value is None:
            continue
        shown = value if isinstance(value, str) else _num(value)
        parts.append(f" {name}={quoteattr(_NOT_XML.sub('', shown))}")
    return "".join(parts)


def _el(tag: str, attrs: Mapping[str, str | float | None], content: str | None = None) -> str:
    """`<tag a="…"/>`, or with `content` (already escaped) inside."""
    if content is None:
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{content}</{tag}>"


def _open(tag: str, attrs: Mapping[str, str | float | None]) -> str:
    return f"<{tag}{_attrs(attrs)}>"


def _label(x: float, y: float, text: str, anchor: str = "start", **attrs: str | float) -> str:
    return _el("text", {"x": x, "y": y, "text-anchor": None if anchor == "start" else anchor,
                        **attrs}, _text(text))


def _svg(width: float, height: float, title: str, body: Iterable[str],
         root: Mapping[str, str | float | None]) -> str:
    """A standalone SVG document: one element a line, so golden-file diffs stay readable."""
    head = _open("svg", {"xmlns": SVG_NS, "width": width, "height": height,
                         "viewBox": f"0 0 {_num(width)} {_num(height)}", "role": "img",
                         "aria-label": title, **root})
    return "\n".join([head, f"<title>{_text(title)}</title>", *body, "</svg>"]) + "\n"


def _chart_root(dark: bool, size: float) -> dict[str, str | float | None]:
    return {"font-family": CHART_FONT, "font-size": size, "fill": _TEXT[dark]}


def _words(locale: str) -> dict[str, str]:
    # Only two languages exist; "zh", "zh-TW"… read Chinese rather than failing the dashboard.
    return _WORDS["zh-CN" if locale.lower().startswith("zh") else "en"]


def _is_zh(locale: str) -> bool:
    return locale.lower().startswith("zh")


def _short_date(day: dt.date, locale: str) -> str:
    """`3/23` / `23 Mar`: short enough to sit under a bar."""
    if _is_zh(locale):
        return f"{day.month}/{day.day}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]}"


def text_width(text: str, size: float = 11) -> float:
    """Estimated advance width of `text` in px at `size`, from Verdana's metrics.

    Verdana is among the widest common sans-serif fonts, so for chart labels this errs on the
    side of room; the badge uses it as the exact width, as shields.io does.
    """
    width = 0.0
    for char in text:
        code = ord(char)
        if char in _VERDANA_11:
            width += _VERDANA_11[char]
        elif unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
            continue  # combining marks, variation selectors, zero-width joiners
        elif 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or 0x2B00 <= code <= 0x2BFF:
            width += _EMOJI
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            width += _WIDE
        else:
            width += _OTHER
    return width * size / 11


# -- badge ----------------------------------------------------------------------------------------

def badge_color(color: str) -> str:
    """A shields.io colour name or a 6-digit hex (with or without `#`) as an SVG colour."""
    name = color.strip().lower()
    if name in BADGE_COLORS:
        return BADGE_COLORS[name]
    if re.fullmatch(r"#?[0-9a-f]{6}", name):
        return "#" + name.removeprefix("#")
    raise ValueError(f"unknown badge colour {color!r}: use one of "
                     f"{', '.join(sorted(BADGE_COLORS))} or a hex colour like 2da44e")


def _bright(color: str) -> bool:
    """Whether white text would be hard to read on `color` (shields.io's 0.69 threshold)."""
    digits = color.removeprefix("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    red, green, blue = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
    return (0.299 * red + 0.587 * green + 0.114 * blue) / 255 > 0.69


def badge(label: str, message: str, color: str) -> str:
    """A shields.io "flat" badge: grey `label` on the left, `message` on `color` on the right.

    Opaque and self-contained, so one file reads the same on GitHub's light and dark pages. An
    empty label gives a message-only badge.
    """
    fill = badge_color(color)
    title = f"{label}: {message}" if label else message
    label_text = math.ceil(text_width(label)) if label else 0
    message_text = math.ceil(text_width(message))
    label_width = label_text + 2 * _BADGE_PAD if label else 0
    message_width = message_text + 2 * _BADGE_PAD
    width = label_width + message_width
    text, shadow = ("#333", "#ccc") if _bright(fill) else ("#fff", "#010101")

    body = [
        '<linearGradient id="smooth" x2="0" y2="100%">'
        '<stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>',
        f'<clipPath id="round"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>',
        '<g clip-path="url(#round)">',
    ]
    if label:
        body.append(f'<rect width="{label_width}" height="20" fill="#555"/>')
    body += [f'<rect x="{label_width}" width="{message_width}" height="20" fill="{fill}"/>',
             f'<rect width="{width}" height="20" fill="url(#smooth)"/>',
             "</g>",
             _open("g", {"fill": "#fff", "text-anchor": "middle", "font-family": BADGE_FONT,
                         "text-rendering": "geometricPrecision", "font-size": 11})]
    # textLength pins each text to its measured width: a reader without Verdana gets DejaVu or
    # Arial squeezed or spread to fit, never a text running over the badge's edge.
    if label:
        body += [_el("text", {"aria-hidden": "true", "x": label_width / 2, "y": 15,
                              "fill": "#010101", "fill-opacity": ".3",
                              "textLength": label_text}, _text(label)),
                 _el("text", {"x": label_width / 2, "y": 14, "textLength": label_text},
                     _text(label))]
    middle = label_width + message_width / 2
    body += [_el("text", {"aria-hidden": "true", "x": middle, "y": 15, "fill": shadow,
                          "fill-opacity": ".3", "textLength": message_text}, _text(message)),
             _el("text", {"x": middle, "y": 14, "fill": None if text == "#fff" else text,
                          "textLength": message_text}, _text(message)),
             "</g>"]
    return _svg(width, 20, title, body, {})


# -- sizes for a phone ----------------------------------------------------------------------------
# The charts are drawn at their size on a phone, not scaled down from a desktop width: each is
# at most CHART_WIDTH wide, shown at its own size (GitHub gives images `max-width: 100%`), so a
# 390 px phone, whose README column is about 324 px, shows every label at 11 px or more, and a
# desktop shows them at the size of the page's own small print.
CHART_WIDTH = 340
CHART_FONT_SIZE = 12


# -- heatmap --------------------------------------------------------------------------------------

_CELL, _PITCH = 11, 13
_HEAT_LEFT, _HEAT_TOP, _HEAT_RIGHT = 30, 18, 4
# The weeks that fit in CHART_WIDTH: what a phone shows at full size, about five months.
HEATMAP_WEEKS = (CHART_WIDTH - _HEAT_LEFT - _HEAT_RIGHT + _PITCH - _CELL) // _PITCH


def week_start_of(day: dt.date, week_start: int = 0) -> dt.date:
    """The first day of `day`'s week, weeks starting on `week_start` (0 Monday … 6 Sunday)."""
    if not 0 <= week_start <= 6:
        raise ValueError(f"week_start must be a weekday number 0-6 (0 Monday, 6 Sunday), "
                         f"not {week_start}")
    return day - dt.timedelta(days=(day.weekday() - week_start) % 7)


def heatmap_window(plan_first: dt.date, plan_last: dt.date, today: dt.date,
                   weeks: int = HEATMAP_WEEKS, week_start: int = 0) -> tuple[dt.date, dt.date]:
    """The days the heatmap covers: the whole plan when it fits in `weeks` weeks, else the
    `weeks` weeks around today (from the plan's start while it is young), never an empty
    year before the plan existed."""
    last = max(plan_last, today)
    if (week_start_of(last, week_start) - week_start_of(plan_first, week_start)).days \
            < 7 * weeks:
        return plan_first, last
    end_week = max(week_start_of(today, week_start),
                   week_start_of(plan_first, week_start) + dt.timedelta(weeks=weeks - 1))
    first = end_week - dt.timedelta(weeks=weeks - 1)
    return max(first, plan_first), min(last, end_week + dt.timedelta(days=6))


def heatmap(levels: Mapping[dt.date, int], first: dt.date, last: dt.date, today: dt.date, *,
            titles: Mapping[dt.date, str] | None = None, locale: str = "en",
            dark: bool = False, week_start: int = 0) -> str:
    """Study days from `first` to `last` as GitHub's contribution graph draws them, a column a
    week; days after `today` are the plan still to come, drawn as empty outlines.

    `levels` are 0-4 per day (missing days are 0, others clamped); `titles` a tooltip per
    day (the date when missing). Weeks start on `week_start` (0 Monday … 6 Sunday).
    """
    words = _words(locale)
    palette = HEATMAP_PALETTES[dark]
    origin = week_start_of(first, week_start)
    columns = (week_start_of(max(first, last), week_start) - origin).days // 7 + 1
    grid_right = _HEAT_LEFT + columns * _PITCH - (_PITCH - _CELL)
    legend_top = _HEAT_TOP + 7 * _PITCH - (_PITCH - _CELL) + 8
    legend_w = _legend_width(words)
    width = max(grid_right, _HEAT_LEFT + legend_w) + _HEAT_RIGHT
    height = legend_top + _CELL + 4
    body = _month_names(origin, columns, first, locale, width)
    for weekday, key in ((0, "mon"), (2, "wed"), (4, "fri")):
        row = (weekday - week_start) % 7
        body.append(_label(_HEAT_LEFT - 5, _HEAT_TOP + row * _PITCH + 9, words[key], "end"))
    day = first
    while day <= last:
        body.append(_day_cell(day, (day - origin).days, levels, titles or {}, today, dark))
        day += dt.timedelta(days=1)
    body += _heat_legend(max(grid_right, _HEAT_LEFT + legend_w), legend_top, words, palette)
    return _svg(width, height, words["heatmap"], body, _chart_root(dark, CHART_FONT_SIZE))


def _day_cell(day: dt.date, index: int, levels: Mapping[dt.date, int],
              titles: Mapping[dt.date, str], today: dt.date, dark: bool) -> str:
    palette = HEATMAP_PALETTES[dark]
    column, row = divmod(index, 7)
    level = min(max(int(levels.get(day, 0)), 0), 4)
    future = day > today
    return _el("rect", {
        "class": "day future" if future else "day", "data-date": day.isoformat(),
        "data-level": str(level), "x": _HEAT_LEFT + column * _PITCH,
        "y": _HEAT_TOP + row * _PITCH, "width": _CELL, "height": _CELL, "rx": 2, "ry": 2,
        "fill": "none" if future else palette[level],
        "stroke": _GRID[dark] if future else None,
    }, f"<title>{_text(titles.get(day) or day.isoformat())}</title>")


def _month_names(origin: dt.date, columns: int, first: dt.date, locale: str,
                 width: float) -> list[str]:
    """Month names over the first column of each month, as GitHub places them; the first
    column's month only when the next name leaves it room."""
    marks: list[tuple[int, int]] = []
    for column in range(columns):
        monday = max(origin + dt.timedelta(weeks=column), first)
        if column == 0 or monday.month != marks[-1][1]:
            marks.append((column, monday.month))
    if len(marks) > 1 and marks[1][0] - marks[0][0] < 3:
        marks.pop(0)
    body = []
    for column, month in marks:
        name = f"{month}月" if _is_zh(locale) else _MONTHS_EN[month - 1]
        x = _HEAT_LEFT + column * _PITCH
        if x + text_width(name, CHART_FONT_SIZE) <= width:
            body.append(_label(x, _HEAT_TOP - 6, name))
    return body


def _legend_width(words: Mapping[str, str]) -> float:
    return (text_width(words["less"], CHART_FONT_SIZE) + 4 + 5 * _PITCH + 2
            + text_width(words["more"], CHART_FONT_SIZE))


def _heat_legend(right: float, top: float, words: Mapping[str, str],
                 palette: Sequence[str]) -> list[str]:
    """"Less ▢▢▢▢▢ More", right-aligned under the grid like GitHub's."""
    more_x = right - text_width(words["more"], CHART_FONT_SIZE)
    cells_x = more_x - 2 - 5 * _PITCH
    body = [_label(cells_x - 4, top + 10, words["less"], "end")]
    for level, color in enumerate(palette):
        body.append(_el("rect", {"class": "legend", "x": cells_x + level * _PITCH, "y": top,
                                 "width": _CELL, "height": _CELL, "rx": 2, "ry": 2,
                                 "fill": color}))
    body.append(_label(more_x, top + 10, words["more"]))
    return body


# -- weekly completion ----------------------------------------------------------------------------

WEEKS_SHOWN = 12
_ROW, _BAR_H = 22, 12
_WEEKLY_LEFT, _WEEKLY_TOP = 54, 6
_PERCENT_W = 40  # room at the right for "100%"


def weekly_chart(weeks: Sequence[tuple[dt.date, int, int]], *, locale: str = "en",
                 dark: bool = False) -> str:
    """Completion of each week since the plan began (the last 12): a row per
    `(monday, ticked, planned)`, oldest first, with the week's date and its percent.

    A bar's length is ticked/planned (capped at 100%); a week with nothing planned gets no
    bar and a dash. The dashed guide marks 50%, the share of a day's plan that makes it a
    study day. No week yet (the plan has not begun): one line that says so.
    """
    words = _words(locale)
    shown = sorted(weeks)[-WEEKS_SHOWN:]
    track = CHART_WIDTH - _WEEKLY_LEFT - _PERCENT_W
    height = _WEEKLY_TOP * 2 + _ROW * max(len(shown), 1)
    body: list[str] = []
    if not shown:
        body.append(_label(_WEEKLY_LEFT, _WEEKLY_TOP + 15, words["no_weeks"]))
    for n, (monday, ticked, planned) in enumerate(shown):
        body += _week_row(_WEEKLY_TOP + n * _ROW, monday, ticked, planned, track, locale, dark)
    if shown:
        guide = _WEEKLY_LEFT + track / 2
        body.append(_el("line", {"class": "guide", "x1": guide, "y1": _WEEKLY_TOP - 2,
                                 "x2": guide, "y2": height - _WEEKLY_TOP + 2,
                                 "stroke": _TEXT[dark], "stroke-opacity": ".45",
                                 "stroke-dasharray": "3 3"}))
    return _svg(CHART_WIDTH, height, words["weekly"], body, _chart_root(dark, CHART_FONT_SIZE))


def _week_row(top: float, monday: dt.date, ticked: int, planned: int, track: float,
              locale: str, dark: bool) -> list[str]:
    ratio = min(max(ticked, 0) / planned, 1.0) if planned > 0 else 0.0
    shown_pct = f"{round(100 * ratio)}%" if planned > 0 else "–"
    middle = top + _ROW / 2
    bar_y = middle - _BAR_H / 2
    tip = f"{_short_date(monday, locale)}: {ticked}/{planned} ({shown_pct})"
    return [
        _label(_WEEKLY_LEFT - 8, middle + 4, _short_date(monday, locale), "end"),
        _el("rect", {"class": "track", "x": _WEEKLY_LEFT, "y": bar_y, "width": track,
                     "height": _BAR_H, "rx": 2, "fill": _GRID[dark], "fill-opacity": ".5"}),
        _el("rect", {"class": "bar" if planned > 0 else "bar empty",
                     "data-week": monday.isoformat(), "data-ticked": str(ticked),
                     "data-planned": str(planned), "x": _WEEKLY_LEFT, "y": bar_y,
                     "width": round(track * ratio, 1), "height": _BAR_H, "rx": 2,
                     "fill": _GREEN[dark]}, f"<title>{_text(tip)}</title>"),
        _label(CHART_WIDTH - 2, middle + 4, shown_pct, "end"),
    ]


# -- burn-up --------------------------------------------------------------------------------------

_BURN_H = 200
_BURN_RIGHT, _BURN_TOP, _BURN_BOTTOM = 10, 42, 24
_TICKS = 3


def _value_at(points: Sequence[tuple[dt.date, int]], day: dt.date) -> int:
    """The last cumulative value on or before `day` (0 before the first)."""
    value = 0
    for when, count in points:
        if when > day:
            break
        value = count
    return value


@dataclass(frozen=True)
class _Frame:
    """The burn-up's plot area and its scales."""

    left: float
    right: float
    top: float
    base: float
    start: dt.date
    span: int
    highest: int

    def x(self, day: dt.date) -> float:
        if self.span == 0:  # a single day: everything in the middle
            return (self.left + self.right) / 2
        return self.left + (self.right - self.left) * (day - self.start).days / self.span

    def y(self, value: float) -> float:
        return self.base - (self.base - self.top) * max(value, 0) / self.highest

    def points(self, series: Sequence[tuple[dt.date, float]]) -> str:
        return " ".join(f"{_num(self.x(d))},{_num(self.y(v))}" for d, v in series)


def burnup(done: Sequence[tuple[dt.date, int]], planned: Sequence[tuple[dt.date, int]],
           total: int, today: dt.date, *, locale: str = "en", dark: bool = False) -> str:
    """A burn-up chart: cumulative steps planned (dashed) and done (green) against `total`.

    `done` and `planned` are `(date, cumulative steps by that date)`. The x axis runs from the
    first planned date (or an earlier done date, or today) to the last planned date or today,
    whichever is later; the done line stops at today, holding its last value up to it.
    """
    words = _words(locale)
    plan = sorted(planned)
    done_points = sorted(p for p in done if p[0] <= today)
    start = min([today] + [d for d, _ in plan[:1]] + [d for d, _ in done_points[:1]])
    end = max([today] + [d for d, _ in plan[-1:]])
    highest = max([total, 1] + [v for _, v in plan] + [v for _, v in done_points])
    left = max(26, math.ceil(text_width(str(total), CHART_FONT_SIZE)) + 10)
    frame = _Frame(left, CHART_WIDTH - _BURN_RIGHT, _BURN_TOP, _BURN_H - _BURN_BOTTOM, start,
                   (end - start).days, highest)
    today_right = frame.x(today) > (frame.left + frame.right) / 2
    body = _burnup_axes(frame, total, today_right, locale, dark)
    body += _burnup_today(frame, today, words, dark)
    body += _burnup_lines(frame, plan, done_points, today, dark)
    body += _burnup_legend(frame, today_right, words, dark)
    title = words["burnup"].format(done=_value_at(done_points, today), total=total)
    return _svg(CHART_WIDTH, _BURN_H, title, body, _chart_root(dark, CHART_FONT_SIZE))


def _burnup_axes(frame: _Frame, total: int, today_right: bool, locale: str,
                 dark: bool) -> list[str]:
    """The baseline, the total's line and name, and the dates under the axis."""
    words = _words(locale)
    body = [_el("line", {"class": "baseline", "x1": frame.left, "y1": frame.base,
                         "x2": frame.right, "y2": frame.base, "stroke": _TEXT[dark],
                         "stroke-opacity": ".6"}),
            _label(frame.left - 6, frame.base + 4, "0", "end")]
    if total > 0:
        total_y = frame.y(total)
        body += [_el("line", {"class": "total", "x1": frame.left, "y1": total_y,
                              "x2": frame.right, "y2": total_y, "stroke": _GRID[dark]}),
                 _label(frame.left - 6, total_y + 4, str(total), "end")]
        # The line's name on the side away from the "today" mark.
        name = f"{words['total']} {total}"
        body.append(_label(frame.left + 4, total_y - 5, name) if today_right
                    else _label(frame.right - 2, total_y - 5, name, "end"))
    ticks = sorted({frame.start + dt.timedelta(days=round(frame.span * i / (_TICKS - 1)))
                    for i in range(_TICKS)})
    for n, day in enumerate(ticks):
        anchor = "middle" if 0 < n < len(ticks) - 1 or len(ticks) == 1 else (
            "start" if n == 0 else "end")
        body += [_el("line", {"class": "tick", "x1": frame.x(day), "y1": frame.base,
                              "x2": frame.x(day), "y2": frame.base + 4, "stroke": _TEXT[dark],
                              "stroke-opacity": ".6"}),
                 _label(frame.x(day), frame.base + 18, _short_date(day, locale), anchor)]
    return body


def _burnup_today(frame: _Frame, today: dt.date, words: Mapping[str, str],
                  dark: bool) -> list[str]:
    x = frame.x(today)
    half = text_width(words["today"], CHART_FONT_SIZE) / 2
    anchor = "start" if x - half < frame.left else "end" if x + half > frame.right else "middle"
    return [_el("line", {"class": "today", "x1": x, "y1": frame.top - 8, "x2": x,
                         "y2": frame.base, "stroke": _TEXT[dark], "stroke-dasharray": "2 3"}),
            _label(x, frame.top - 12, words["today"], anchor)]


def _burnup_lines(frame: _Frame, plan: Sequence[tuple[dt.date, int]],
                  done_points: Sequence[tuple[dt.date, int]], today: dt.date,
                  dark: bool) -> list[str]:
    body = []
    if len(plan) > 1:
        body.append(_el("polyline", {"class": "plan", "points": frame.points(plan),
                                     "fill": "none", "stroke": _TEXT[dark],
                                     "stroke-width": 1.5, "stroke-dasharray": "6 4"}))
    elif plan:  # one planned date: a line of one point would not show at all
        body.append(_el("circle", {"class": "plan", "cx": frame.x(plan[0][0]),
                                   "cy": frame.y(plan[0][1]), "r": 3.5, "fill": "none",
                                   "stroke": _TEXT[dark], "stroke-width": 1.5}))
    # Nothing done yet is a line at zero up to today, not a missing line.
    done_line: list[tuple[dt.date, float]] = list(done_points) or [(frame.start, 0)]
    if done_line[-1][0] < today:
        done_line.append((today, done_line[-1][1]))
    if len(done_line) > 1:
        body.append(_el("polyline", {"class": "done", "points": frame.points(done_line),
                                     "fill": "none", "stroke": _GREEN[dark],
                                     "stroke-width": 2.5, "stroke-linejoin": "round",
                                     "stroke-linecap": "round"}))
    body.append(_el("circle", {"class": "done-now", "cx": frame.x(today),
                               "cy": frame.y(_value_at(done_points, today)), "r": 3.5,
                               "fill": _GREEN[dark]}))
    return body


def _burnup_legend(frame: _Frame, today_right: bool, words: Mapping[str, str],
                   dark: bool) -> list[str]:
    """A sample of each line and its name, on the side away from today's mark."""
    y = 13
    plan_w = text_width(words["plan"], CHART_FONT_SIZE)
    done_w = text_width(words["done"], CHART_FONT_SIZE)
    legend_w = 24 + plan_w + 16 + 24 + done_w
    plan_x = frame.left + 24 if today_right else frame.right - legend_w + 24
    done_x = plan_x + plan_w + 16 + 24
    return [
        _el("line", {"x1": plan_x - 24, "y1": y - 4, "x2": plan_x - 5, "y2": y - 4,
                     "stroke": _TEXT[dark], "stroke-width": 1.5, "stroke-dasharray": "6 4"}),
        _label(plan_x, y, words["plan"]),
        _el("line", {"x1": done_x - 24, "y1": y - 4, "x2": done_x - 5, "y2": y - 4,
                     "stroke": _GREEN[dark], "stroke-width": 2.5}),
        _label(done_x, y, words["done"]),
    ]
