"""How a situation report writes dates, numbers and periods (in sentences and in the template alike)."""

from __future__ import annotations

from datetime import date, datetime


def day(value: date | datetime | None) -> str:
    """'5 Mar 2020'; a datetime at midnight is just its day, otherwise its time is kept."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if (value.hour, value.minute) != (0, 0):
            return f"{value.day} {value:%b %Y %H:%M}"
        value = value.date()
    return f"{value.day} {value:%b %Y}"


def number(value: float | None) -> str:
    """'948,000', '7', '2.5'; blank when unknown."""
    if value is None:
        return ""
    if value == int(value) or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def period(start: date | None, end: date | None) -> str:
    """'1 Dec 2019 – 5 Mar 2020', '12 Jan – 3 Feb 2020', '12–14 Jan 2020', or one day."""
    if start and end and type(start) is date and type(end) is date:
        if start == end:
            return day(start)
        if start.year == end.year and start.month == end.month:
            return f"{start.day}–{day(end)}"
        if start.year == end.year:
            return f"{start.day} {start:%b} – {day(end)}"
    return f"{day(start) or '…'} – {day(end) or '…'}"


def estimate(low: float | None, best: float | None, high: float | None) -> str:
    """'56–87–91' (low–best–high), with '?' where a bound is unknown."""
    return "–".join(number(v) if v is not None else "?" for v in (low, best, high))


__all__ = ["day", "estimate", "number", "period"]
