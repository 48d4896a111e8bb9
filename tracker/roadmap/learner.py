"""The `learner:` and `schedule:` sections: who studies, in which time zone, and when."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

from ..model import WEEKDAYS, HoursPeriod, Learner, Schedule
from ..schema_check import suggest
from ..yamlsource import Path
from .amounts import read_week_hours
from .context import Context, as_dict, weekdays

_ZONE_ALIASES = {
    "beijing": "Asia/Shanghai", "china": "Asia/Shanghai", "cst": "Asia/Shanghai",
    "shanghai": "Asia/Shanghai", "hong kong": "Asia/Hong_Kong", "taipei": "Asia/Taipei",
    "tokyo": "Asia/Tokyo", "singapore": "Asia/Singapore", "london": "Europe/London",
    "berlin": "Europe/Berlin", "paris": "Europe/Paris", "new york": "America/New_York",
    "est": "America/New_York", "pst": "America/Los_Angeles", "san francisco":
    "America/Los_Angeles", "seattle": "America/Los_Angeles", "sydney": "Australia/Sydney",
}


def read_learner(ctx: Context, raw: Any) -> Learner | None:
    if not isinstance(raw, dict):
        return None
    zone = raw.get("timezone")
    if isinstance(zone, str) and zone:
        check_zone(ctx, zone, ("learner", "timezone"))
    if not all(isinstance(raw.get(k), str) for k in ("name", "timezone")):
        return None
    goal = raw.get("goal")
    if isinstance(goal, str) and "\n" in goal.strip():
        ctx.error(("learner", "goal"), "the goal is one line: remove the line breaks")
    emails = raw.get("emails")
    return Learner(name=raw["name"], timezone=raw["timezone"],
                   locale=raw.get("locale", "zh-CN"),
                   goal=goal.strip() or None if isinstance(goal, str) else None,
                   emails=tuple(e.strip() for e in emails if isinstance(e, str))
                   if isinstance(emails, list) else ())


def check_zone(ctx: Context, zone: str, path: Path) -> None:
    """Report a time zone that is not an IANA name, with the name the learner likely meant."""
    try:
        ctx.zone = zoneinfo.ZoneInfo(zone)
        return
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        pass
    ctx.error(path, f"unknown time zone '{zone}': use an IANA name such as Asia/Shanghai "
                    f"or Europe/Berlin{_zone_hint(zone)}")


def _zone_hint(zone: str) -> str:
    names = zoneinfo.available_timezones()
    alias = _ZONE_ALIASES.get(zone.strip().lower())
    if alias:
        return f" (did you mean '{alias}'?)"
    if re.fullmatch(r"(?i)(utc|gmt)?\s*[+-]\d{1,2}(:?\d\d)?", zone.strip()):
        return (": a fixed offset ignores daylight saving; name the city's zone, "
                "e.g. Asia/Shanghai for UTC+8")
    by_city = {n.split("/")[-1].lower(): n for n in names}
    city = zone.replace(" ", "_").split("/")[-1].lower()
    if city in by_city:
        return f" (did you mean '{by_city[city]}'?)"
    return suggest(zone, sorted(names)) or suggest(zone.split("/")[-1], sorted(
        {n.split("/")[-1]: n for n in names}))


def read_schedule(ctx: Context, raw: Any) -> Schedule | None:
    if not isinstance(raw, dict):
        return None
    auto = raw.get("start") == "auto"
    start = ctx.first_run_day() if auto else ctx.date(raw.get("start"), ("schedule", "start"))
    retro = as_dict(raw.get("retro"))
    hours = read_week_hours(ctx, raw.get("hours", 4), ("schedule", "hours"))
    if hours is None:
        return None
    light, rest = weekdays(raw.get("light_days")), weekdays(raw.get("rest_days"))
    for day in sorted(light & rest):
        ctx.error(("schedule", "light_days"), f"{WEEKDAYS[day]} is both a light day and a "
                                              f"rest day: keep it in one list")
    if start is None:
        return None
    schedule = Schedule(
        start=start,
        day_opens_at=_time(raw.get("day_opens_at"), dt.time(7, 0)),
        retro_weekday=WEEKDAYS.index(retro.get("weekday", "sun"))
        if retro.get("weekday", "sun") in WEEKDAYS else 6,
        retro_at=_time(retro.get("at"), dt.time(20, 0)),
        hours={day: amount.low for day, amount in hours.items()},
        light_days=light, rest_days=rest,
        light_factor=float(raw.get("light_factor", 0.5))
        if isinstance(raw.get("light_factor", 0.5), int | float) else 0.5,
        start_auto=auto,
        # Ranges of hours are kept whole from the first day on; `hours` holds their minimums.
        hours_periods=() if all(a.exact_value for a in hours.values())
        else (HoursPeriod(dt.date.min, hours),),
    )
    if schedule.hours_per_day == 0:
        ctx.error(("schedule", "hours"), "the week has no study hours: give at least one "
                                         "day some hours")
    return schedule


def _time(value: Any, default: dt.time) -> dt.time:
    if isinstance(value, str) and re.fullmatch(r"\d\d:\d\d", value):
        hour, minute = (int(p) for p in value.split(":"))
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    return default
