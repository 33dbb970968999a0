"""Opening hours in plain words ("Monday to Friday, 9am to 5pm") and "open now" in UK time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from .schema import labels

UK = ZoneInfo("Europe/London")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def day_name(code: str) -> str:
    return labels("days")[code]


def clock_time(value: str) -> str:
    """"18:30" -> "6:30pm", "09:00" -> "9am", "12:00" -> "noon", "24:00"/"00:00" -> "midnight"."""
    hour, minute = (int(part) for part in value.split(":"))
    if (hour, minute) in ((0, 0), (24, 0)):
        return "midnight"
    if (hour, minute) == (12, 0):
        return "noon"
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour}{suffix}" if minute == 0 else f"{hour}:{minute:02d}{suffix}"


def day_ranges(days: Iterable[str]) -> list[list[str]]:
    """Group days into runs of consecutive days, in week order."""
    runs: list[list[str]] = []
    for code in sorted(set(days), key=DAYS.index):
        if runs and DAYS.index(code) == DAYS.index(runs[-1][-1]) + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
    return runs


def days_text(days: Sequence[str]) -> str:
    """"Monday to Friday", "Tuesdays", "Mondays and Thursdays", "Every day"."""
    if set(days) == set(DAYS):
        return "Every day"
    parts: list[str] = []
    for run in day_ranges(days):
        if len(run) >= 3:
            parts.append(f"{day_name(run[0])} to {day_name(run[-1])}")
        else:
            parts.extend(day_name(code) + ("s" if len(days) <= 2 else "") for code in run)
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def hours_text(days: Sequence[str], opens: str, closes: str) -> str:
    return f"{days_text(days)}, {clock_time(opens)} to {clock_time(closes)}"


def is_open(hours: Iterable[tuple[Sequence[str], str, str]], when: dt.datetime) -> bool:
    """Whether any (days, opens, closes) entry covers `when`, read in Europe/London time."""
    local = when.astimezone(UK)
    today, now = DAYS[local.weekday()], local.strftime("%H:%M")
    return any(today in days and opens <= now < closes for days, opens, closes in hours)
