"""Dates and small phrases in the learner's language (zh-CN or en)."""

from __future__ import annotations

import datetime as dt

_WEEKDAYS = {
    "zh-CN": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_LONG_WEEKDAYS = {
    "zh-CN": ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def weekday(day: dt.date, locale: str, long: bool = False) -> str:
    return (_LONG_WEEKDAYS if long else _WEEKDAYS)[locale][day.weekday()]


def short_date(day: dt.date, locale: str) -> str:
    """`11月30日` / `30 Nov`."""
    if locale == "zh-CN":
        return f"{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]}"


def full_date(day: dt.date, locale: str) -> str:
    """`2026年11月30日 星期一` / `Monday 30 Nov 2026`."""
    if locale == "zh-CN":
        return f"{day.year}年{day.month}月{day.day}日 {weekday(day, locale, long=True)}"
    return f"{weekday(day, locale, long=True)} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def percent(done: int, total: int) -> str:
    return f"{round(100 * done / total)}%" if total else "–"
