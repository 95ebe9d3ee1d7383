"""Dates as news pages write them, to ISO 8601 with an offset.

Handles ISO 8601 / RFC 3339 (meta and JSON-LD), RFC 2822, and the forms printed in bylines:
``09/10/22 12:09 PM ET``, ``Sep. 10, 2022 3:04 p.m. EDT``, ``10 September 2022 15:04 BST``.
US zone abbreviations resolve through the IANA zone so ET is EDT in summer and EST in winter.
A date without a zone is taken as UTC. Unparseable text gives None, never an exception.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_ZONES: Final = {
    "ET": "America/New_York",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "CT": "America/Chicago",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "MT": "America/Denver",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "PT": "America/Los_Angeles",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "BST": "Europe/London",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "IST": "Asia/Kolkata",
    "JST": "Asia/Tokyo",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
}
_FIXED: Final = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "IST": 5.5,
    "JST": 9,
    "AEST": 10,
    "AEDT": 11,
    "ET": -5,
    "CT": -6,
    "MT": -7,
    "PT": -8,
}
_MONTHS: Final = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_MONTHS.update(
    {
        "sept": 9,
        "enero": 1,
        "febrero": 2,
        "marzo": 3,
        "abril": 4,
        "mayo": 5,
        "junio": 6,
        "julio": 7,
        "agosto": 8,
        "septiembre": 9,
        "octubre": 10,
        "noviembre": 11,
        "diciembre": 12,
        "januar": 1,
        "februar": 2,
        "märz": 3,
        "juni": 6,
        "juli": 7,
        "oktober": 10,
        "dezember": 12,
    }
)

_ISO: Final = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)
_RFC2822: Final = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|GMT|UTC?)\s*$")
_TIME: Final = r"(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap])?\.?\s*(?:m\.?)?"
_ZONE: Final = r"(?:\s*\(?([A-Z]{1,4})\)?)?"
_NUMERIC: Final = re.compile(rf"\b(\d{{1,2}})/(\d{{1,2}})/(\d{{2,4}})(?:\D{{0,6}}?{_TIME}{_ZONE})?", re.IGNORECASE)
_MONTH_FIRST: Final = re.compile(
    rf"\b([a-zä]{{3,10}})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?:\D{{0,8}}?{_TIME}{_ZONE})?", re.IGNORECASE
)
_DAY_FIRST: Final = re.compile(
    rf"\b(\d{{1,2}})\.?\s+(?:de\s+)?([a-zä]{{3,10}})\.?,?\s+(?:de\s+)?(\d{{4}})(?:\D{{0,8}}?{_TIME}{_ZONE})?",
    re.IGNORECASE,
)


def _zone(abbrev: str | None, naive: datetime) -> tzinfo | None:
    if not abbrev:
        return None
    abbrev = abbrev.upper()
    name = _ZONES.get(abbrev)
    if name:
        try:
            return ZoneInfo(name)
        except ZoneInfoNotFoundError:
            pass
    hours = _FIXED.get(abbrev)
    return timezone(timedelta(hours=hours)) if hours is not None else None


def _iso(dt: datetime) -> str:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.isoformat()


def _iso_offset(dt: datetime, minutes: int) -> str:
    """``dt.replace(tzinfo=timezone(timedelta(minutes=minutes))).isoformat()`` for a naive ``dt``
    without microseconds, written directly (the most common date, an ISO 8601 string in JSON-LD or a
    meta tag, needs no time zone object)."""
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return (
        f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
        f"{sign}{hours:02d}:{mins:02d}"
    )


def _clock(hour: str | None, minute: str | None, second: str | None, ampm: str | None) -> tuple[int, int, int]:
    h = int(hour) if hour else 0
    if ampm:
        h = h % 12 + (12 if ampm.lower() == "p" else 0)
    return h, int(minute or 0), int(second or 0)


def _build(year: int, month: int, day: int, groups: tuple[str | None, ...]) -> str | None:
    hour, minute, second, ampm, zone = groups
    if year < 100:
        year += 2000
    try:
        h, m, s = _clock(hour, minute, second, ampm)
        naive = datetime(year, month, day, h, m, s)
    except ValueError:
        return None
    tz = _zone(zone, naive)
    return _iso(naive.replace(tzinfo=tz) if tz else naive)


def parse_date(text: str | None) -> str | None:
    """ISO 8601 with offset for the first date found in ``text``, else None."""
    if not text:
        return None
    text = text.strip()[:200]
    match = _ISO.search(text)
    if match:
        y, mo, d, h, mi, s, tz = match.groups()
        try:
            naive = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
        except ValueError:
            return None
        offset = 0 if not tz or tz == "Z" else int(tz[0] + "1") * (int(tz[1:3]) * 60 + int(tz[-2:]))
        if abs(offset) >= 1440:
            return None  # an offset of a day or more ("+99:99") is no time zone: no date, not an error
        return _iso_offset(naive, offset)
    if _RFC2822.search(text):  # "Tue, 10 Sep 2022 15:04:00 +0200": only then, it drops AM/PM and zone names
        try:
            return _iso(parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError):
            pass
    match = _NUMERIC.search(text)
    if match:
        mo, d, y = (int(g) for g in match.groups()[:3])
        if mo > 12 >= d:  # day-first numeric date
            mo, d = d, mo
        return _build(y, mo, d, match.groups()[3:])
    for pattern, month_first in ((_MONTH_FIRST, True), (_DAY_FIRST, False)):
        match = pattern.search(text)
        if match:
            a, b, y = match.groups()[:3]
            month_name, day = (a, b) if month_first else (b, a)
            month = _MONTHS.get(month_name.lower()[:4].rstrip(".")) or _MONTHS.get(month_name.lower()[:3])
            if month is None:
                month = _MONTHS.get(month_name.lower())
            if month:
                return _build(int(y), month, int(day), match.groups()[3:])
    return None
