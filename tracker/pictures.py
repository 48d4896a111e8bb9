"""The pictures of the public progress page: a badge and three charts, as SVG text.

The dashboard job writes them into the repository and README.md shows them through `<img>`
(and `<picture>` for dark mode). Inside an `<img>` an SVG runs no script, loads no web font and
shows no hover, and GitHub's image proxy serves it as-is, so each picture is a standalone file:
fonts from the reader's system, sizes from a `viewBox` so `<img width="100%">` scales it down
on a phone, and no background, so the page's own colour shows through.

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
           "heatmap": "Study days in the last year", "weekly": "Weekly completion, last 12 weeks",
           "burnup": "Burn-up: {done} of {total} steps done"},
    "zh-CN": {"mon": "一", "wed": "三", "fri": "五", "less": "少", "more": "多",
              "plan": "计划", "done": "完成", "total": "总计", "today": "今天",
              "heatmap": "过去一年的学习日", "weekly": "近 12 周每周完成率",
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


# -- heatmap --------------------------------------------------------------------------------------

_CELL, _PITCH, _WEEKS = 10, 12, 53
_HEAT_FONT = 12  # px; the whole year shrinks to about 0.57 on a phone
_HEAT_LEFT, _HEAT_TOP, _HEAT_RIGHT = 36, 20, 12


def heatmap_start(end: dt.date, week_start: int = 0) -> dt.date:
    """The first day drawn: the start of the week 52 weeks before the week holding `end`."""
    if not 0 <= week_start <= 6:
        raise ValueError(f"week_start must be a weekday number 0-6 (0 Monday, 6 Sunday), "
                         f"not {week_start}")
    this_week = end - dt.timedelta(days=(end.weekday() - week_start) % 7)
    return this_week - dt.timedelta(weeks=_WEEKS - 1)


def heatmap(levels: Mapping[dt.date, int], end: dt.date, *,
            titles: Mapping[dt.date, str] | None = None, locale: str = "en", dark: bool = False,
            week_start: int = 0) -> str:
    """A year of days as GitHub's contribution graph draws it: 53 weeks up to `end`'s week.

    `levels` are 0-4 per day (missing days are 0, others clamped); `titles` a tooltip per
    day (the date when missing). Weeks start on `week_start` (0 Monday … 6 Sunday) and fill a
    column top to bottom; days after `end` are not drawn.
    """
    words = _words(locale)
    palette = HEATMAP_PALETTES[dark]
    titles = titles or {}
    first = heatmap_start(end, week_start)
    grid_right = _HEAT_LEFT + _WEEKS * _PITCH - (_PITCH - _CELL)
    width = grid_right + _HEAT_RIGHT
    legend_top = _HEAT_TOP + 7 * _PITCH - (_PITCH - _CELL) + 8
    height = legend_top + _CELL + 4
    body: list[str] = []

    # Month names over the first week that starts in that month, as GitHub places them; the
    # first column's month only when the next name leaves it room.
    marks: list[tuple[int, int]] = []
    for column in range(_WEEKS):
        month = (first + dt.timedelta(weeks=column)).month
        if column == 0 or month != (first + dt.timedelta(weeks=column - 1)).month:
            marks.append((column, month))
    if len(marks) > 1 and marks[1][0] - marks[0][0] < 3:
        marks.pop(0)
    drawn_to = 0.0  # where the last month name ends, so a moved one never covers it
    for column, month in marks:
        name = f"{month}月" if _is_zh(locale) else _MONTHS_EN[month - 1]
        x = _HEAT_LEFT + column * _PITCH
        name_w = text_width(name, _HEAT_FONT)
        if x + name_w <= width:
            body.append(_label(x, _HEAT_TOP - 7, name))
            drawn_to = x + name_w
        elif width - name_w > drawn_to + 6:  # a month just begun: its name ends at the edge
            body.append(_label(width, _HEAT_TOP - 7, name, "end"))

    for weekday, key in ((0, "mon"), (2, "wed"), (4, "fri")):
        row = (weekday - week_start) % 7
        body.append(_label(_HEAT_LEFT - 6, _HEAT_TOP + row * _PITCH + 9, words[key], "end"))

    day, index = first, 0
    while day <= end:
        level = min(max(int(levels.get(day, 0)), 0), 4)
        column, row = divmod(index, 7)
        tip = titles.get(day) or day.isoformat()
        body.append(_el("rect", {
            "class": "day", "data-date": day.isoformat(), "data-level": str(level),
            "x": _HEAT_LEFT + column * _PITCH, "y": _HEAT_TOP + row * _PITCH,
            "width": _CELL, "height": _CELL, "rx": 2, "ry": 2, "fill": palette[level],
        }, f"<title>{_text(tip)}</title>"))
        day += dt.timedelta(days=1)
        index += 1

    # "Less ▢▢▢▢▢ More", right-aligned under the grid like GitHub's.
    more_x = grid_right - text_width(words["more"], _HEAT_FONT)
    cells_x = more_x - 4 - 5 * _PITCH
    body.append(_label(cells_x - 4, legend_top + 9, words["less"], "end"))
    for level, color in enumerate(palette):
        body.append(_el("rect", {"class": "legend", "x": cells_x + level * _PITCH,
                                 "y": legend_top, "width": _CELL, "height": _CELL, "rx": 2,
                                 "ry": 2, "fill": color}))
    body.append(_label(more_x, legend_top + 9, words["more"]))
    return _svg(width, height, words["heatmap"], body, _chart_root(dark, _HEAT_FONT))


# -- weekly completion ----------------------------------------------------------------------------

_WEEKLY_W, _WEEKLY_H = 720, 180
_WEEKLY_LEFT, _WEEKLY_RIGHT, _WEEKLY_TOP, _WEEKLY_BOTTOM = 40, 8, 22, 30
_WEEKS_SHOWN = 12
_BAR = 32
# Larger than the page's small print: a phone shows these 720-wide charts at about half size.
_CHART_FONT_SIZE = 13


def weekly_chart(weeks: Sequence[tuple[dt.date, int, int]], *, locale: str = "en",
                 dark: bool = False) -> str:
    """Completion of the last 12 weeks: a bar per `(monday, ticked, planned)`.

    Height is ticked/planned (capped at 100%); a week with nothing planned gets no bar and a
    dash. The dashed guide marks 50%, the share of a day's plan that makes it a study day.
    Fewer than 12 weeks fill the slots on the right, so this week is always at the same place.
    """
    words = _words(locale)
    shown = sorted(weeks)[-_WEEKS_SHOWN:]
    base = _WEEKLY_H - _WEEKLY_BOTTOM
    plot_h = base - _WEEKLY_TOP
    right = _WEEKLY_W - _WEEKLY_RIGHT
    slot = (right - _WEEKLY_LEFT) / _WEEKS_SHOWN
    guide = base - plot_h / 2
    body = [
        _el("line", {"class": "guide", "x1": _WEEKLY_LEFT, "y1": guide, "x2": right, "y2": guide,
                     "stroke": _TEXT[dark], "stroke-opacity": ".45", "stroke-dasharray": "3 3"}),
        _label(_WEEKLY_LEFT - 6, guide + 4, "50%", "end"),
    ]
    first_slot = _WEEKS_SHOWN - len(shown)
    for n, (monday, ticked, planned) in enumerate(shown):
        center = _WEEKLY_LEFT + (first_slot + n + 0.5) * slot
        ratio = min(max(ticked, 0) / planned, 1.0) if planned > 0 else 0.0
        bar_h = round(plot_h * ratio, 1)
        shown_pct = f"{round(100 * ratio)}%" if planned > 0 else "–"
        tip = f"{_short_date(monday, locale)}: {ticked}/{planned} ({shown_pct})"
        body.append(_el("rect", {
            "class": "bar" if planned > 0 else "bar empty", "data-week": monday.isoformat(),
            "data-ticked": str(ticked), "data-planned": str(planned),
            "x": center - _BAR / 2, "y": base - bar_h, "width": _BAR, "height": bar_h,
            "rx": 2 if bar_h >= 4 else None, "fill": _GREEN[dark],
        }, f"<title>{_text(tip)}</title>"))
        body.append(_label(center, base - bar_h - 5, shown_pct, "middle"))
        body.append(_label(center, base + 18, _short_date(monday, locale), "middle"))
    body.append(_el("line", {"class": "baseline", "x1": _WEEKLY_LEFT, "y1": base, "x2": right,
                             "y2": base, "stroke": _TEXT[dark], "stroke-opacity": ".6"}))
    return _svg(_WEEKLY_W, _WEEKLY_H, words["weekly"], body,
                _chart_root(dark, _CHART_FONT_SIZE))


# -- burn-up --------------------------------------------------------------------------------------

_BURN_W, _BURN_H = 720, 240
_BURN_RIGHT, _BURN_TOP, _BURN_BOTTOM = 16, 40, 30
_TICKS = 5


def _value_at(points: Sequence[tuple[dt.date, int]], day: dt.date) -> int:
    """The last cumulative value on or before `day` (0 before the first)."""
    value = 0
    for when, count in points:
        if when > day:
            break
        value = count
    return value


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
    span = (end - start).days
    top = max([total, 1] + [v for _, v in plan] + [v for _, v in done_points])
    size = _CHART_FONT_SIZE
    left = max(40, math.ceil(text_width(str(total), size)) + 12)  # room for the total's digits
    base = _BURN_H - _BURN_BOTTOM
    right = _BURN_W - _BURN_RIGHT
    plot_w, plot_h = right - left, base - _BURN_TOP

    def x_of(day: dt.date) -> float:
        if span == 0:  # a single day: everything in the middle
            return left + plot_w / 2
        return left + plot_w * (day - start).days / span

    def y_of(value: float) -> float:
        return base - plot_h * max(value, 0) / top

    def points(series: Sequence[tuple[dt.date, float]]) -> str:
        return " ".join(f"{_num(x_of(d))},{_num(y_of(v))}" for d, v in series)

    now = _value_at(done_points, today)
    body: list[str] = []
    today_x = x_of(today)
    today_right = today_x > left + plot_w / 2

    # Axes and the quiet lines first, the data over them.
    body.append(_el("line", {"class": "baseline", "x1": left, "y1": base, "x2": right,
                             "y2": base, "stroke": _TEXT[dark], "stroke-opacity": ".6"}))
    body.append(_label(left - 6, base + 4, "0", "end"))
    if total > 0:
        total_y = y_of(total)
        body.append(_el("line", {"class": "total", "x1": left, "y1": total_y, "x2": right,
                                 "y2": total_y, "stroke": _GRID[dark]}))
        body.append(_label(left - 6, total_y + 4, str(total), "end"))
        # The line's name on the side away from the "today" label above the plot.
        name = f"{words['total']} {total}"
        if today_right:
            body.append(_label(left + 4, total_y - 5, name))
        else:
            body.append(_label(right - 4, total_y - 5, name, "end"))

    ticks = sorted({start + dt.timedelta(days=round(span * i / (_TICKS - 1)))
                    for i in range(_TICKS)})
    for n, day in enumerate(ticks):
        anchor = "middle"
        if len(ticks) > 1 and n == 0:
            anchor = "start"
        elif len(ticks) > 1 and n == len(ticks) - 1:
            anchor = "end"
        body.append(_el("line", {"class": "tick", "x1": x_of(day), "y1": base, "x2": x_of(day),
                                 "y2": base + 4, "stroke": _TEXT[dark], "stroke-opacity": ".6"}))
        body.append(_label(x_of(day), base + 19, _short_date(day, locale), anchor))

    body.append(_el("line", {"class": "today", "x1": today_x, "y1": _BURN_TOP - 8,
                             "x2": today_x, "y2": base, "stroke": _TEXT[dark],
                             "stroke-dasharray": "2 3"}))
    today_anchor = "middle"
    if today_x - text_width(words["today"], size) / 2 < left:
        today_anchor = "start"
    elif today_x + text_width(words["today"], size) / 2 > right:
        today_anchor = "end"
    body.append(_label(today_x, _BURN_TOP - 13, words["today"], today_anchor))

    if len(plan) > 1:
        body.append(_el("polyline", {"class": "plan", "points": points(plan), "fill": "none",
                                     "stroke": _TEXT[dark], "stroke-width": 1.5,
                                     "stroke-dasharray": "6 4"}))
    elif plan:  # one planned date: a line of one point would not show at all
        body.append(_el("circle", {"class": "plan", "cx": x_of(plan[0][0]),
                                   "cy": y_of(plan[0][1]), "r": 3.5, "fill": "none",
                                   "stroke": _TEXT[dark], "stroke-width": 1.5}))
    # Nothing done yet is a line at zero up to today, not a missing line.
    done_line: list[tuple[dt.date, float]] = list(done_points) or [(start, 0)]
    if done_line[-1][0] < today:
        done_line.append((today, done_line[-1][1]))
    if len(done_line) > 1:
        body.append(_el("polyline", {"class": "done", "points": points(done_line),
                                     "fill": "none", "stroke": _GREEN[dark], "stroke-width": 2.5,
                                     "stroke-linejoin": "round", "stroke-linecap": "round"}))
    body.append(_el("circle", {"class": "done-now", "cx": today_x, "cy": y_of(now), "r": 3.5,
                               "fill": _GREEN[dark]}))

    # The legend, a sample of each line and its name, on the side away from today's label.
    legend_y = 13
    plan_w, done_w = text_width(words["plan"], size), text_width(words["done"], size)
    legend_w = 26 + plan_w + 24 + 26 + done_w
    plan_x = left + 26 if today_right else right - legend_w + 26
    done_x = plan_x + plan_w + 24 + 26
    body += [
        _el("line", {"x1": plan_x - 26, "y1": legend_y - 4, "x2": plan_x - 6,
                     "y2": legend_y - 4, "stroke": _TEXT[dark], "stroke-width": 1.5,
                     "stroke-dasharray": "6 4"}),
        _label(plan_x, legend_y, words["plan"]),
        _el("line", {"x1": done_x - 26, "y1": legend_y - 4, "x2": done_x - 6,
                     "y2": legend_y - 4, "stroke": _GREEN[dark], "stroke-width": 2.5}),
        _label(done_x, legend_y, words["done"]),
    ]
    title = words["burnup"].format(done=now, total=total)
    return _svg(_BURN_W, _BURN_H, title, body, _chart_root(dark, size))
