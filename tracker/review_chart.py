"""The review forecast as a small chart: a bar a day for the next 14 days.

Drawn for a phone first, like the page's other charts: 320 px wide and shown at its own size,
so it fits a README's column on a 390 px phone with every label at 12 px. A bar's height is
how full that day's review budget is; the number over it is the reviews planned; the dashed
line is the budget. The same helpers and colours as the dashboard's other pictures
(`tracker.pictures`), light and dark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .model import ReviewSettings
from .pictures import _GREEN, _TEXT, _chart_root, _el, _is_zh, _label, _svg, _text
from .reviews import DayLoad

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 34, 34
FONT = 12
_WORDS = {
    "en": {"title": "Reviews in the next 14 days", "budget": "budget {}",
           "minutes": "{} min", "cards": "{} cards", "waiting": "{} waiting",
           "today": "today"},
    "zh-CN": {"title": "未来 14 天的复习", "budget": "每日预算 {}", "minutes": "{} 分钟",
              "cards": "{} 张", "waiting": "还有 {} 张排队", "today": "今天"},
}
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _fullness(load: DayLoad, review: ReviewSettings) -> float:
    if review.cards:
        return min(load.planned / review.cards, 1.0)
    return min(load.minutes / review.minutes, 1.0) if review.minutes else 0.0


def _month(day: dt.date, locale: str) -> str:
    return f"{day.month}月" if _is_zh(locale) else _MONTHS_EN[day.month - 1]


def forecast_chart(loads: Sequence[DayLoad], review: ReviewSettings, *, locale: str = "en",
                   dark: bool = False) -> str:
    """A bar for each day of `loads`: the reviews the plan of that day will hold."""
    words = _WORDS["zh-CN" if _is_zh(locale) else "en"]
    budget = (words["cards"].format(review.cards) if review.cards
              else words["minutes"].format(review.minutes))
    base = HEIGHT - BOTTOM
    plot = base - TOP
    slot = (WIDTH - LEFT - RIGHT) / max(len(loads), 1)
    body = [_label(LEFT, 14, words["budget"].format(budget))]
    waiting = loads[-1].waiting if loads else 0
    if waiting:
        body.append(_label(WIDTH - RIGHT, 14, words["waiting"].format(waiting), "end"))
    body.append(_el("line", {"class": "budget", "x1": LEFT, "y1": TOP, "x2": WIDTH - RIGHT,
                             "y2": TOP, "stroke": _TEXT[dark], "stroke-opacity": ".45",
                             "stroke-dasharray": "3 3"}))
    for n, load in enumerate(loads):
        center = LEFT + (n + 0.5) * slot
        height = round(plot * _fullness(load, review), 1)
        tip = f"{load.day.isoformat()}: {load.planned} ({load.minutes} min)"
        body.append(_el("rect", {
            "class": "bar", "data-day": load.day.isoformat(), "data-reviews": str(load.planned),
            "x": center - slot * 0.3, "y": base - height, "width": slot * 0.6,
            "height": height, "rx": 2 if height >= 4 else None, "fill": _GREEN[dark],
        }, f"<title>{_text(tip)}</title>"))
        if load.planned:
            body.append(_label(center, base - height - 4, str(load.planned), "middle"))
        body.append(_label(center, base + 15, str(load.day.day), "middle"))
        if n == 0 or load.day.day == 1:
            below = words["today"] if n == 0 else _month(load.day, locale)
            body.append(_label(center - slot * 0.3, base + 30, below))
    body.append(_el("line", {"class": "baseline", "x1": LEFT, "y1": base, "x2": WIDTH - RIGHT,
                             "y2": base, "stroke": _TEXT[dark], "stroke-opacity": ".6"}))
    return _svg(WIDTH, HEIGHT, words["title"], body, _chart_root(dark, FONT))
