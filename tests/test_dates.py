"""Dates as news pages print them (sieve.dates.parse_date) -> ISO 8601 with an offset, or None.

US zone abbreviations follow daylight saving: "ET" is EDT (-04:00) in September and EST (-05:00) in
January. A date without a zone is taken as UTC (documented in the module).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sieve
from sieve.dates import parse_date


def instant(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, f"{value!r} has no offset"
    return parsed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-09-10T16:09:00Z", "2022-09-10T16:09:00+00:00"),
        ("2022-09-10T12:09:00-04:00", "2022-09-10T12:09:00-04:00"),
        ("2022-09-10T12:09:00+05:30", "2022-09-10T12:09:00+05:30"),
        ("2022-09-10T12:09:00+0200", "2022-09-10T12:09:00+02:00"),
        ("2022-09-10 12:09:00+02:00", "2022-09-10T12:09:00+02:00"),
        ("2022-09-10T12:09Z", "2022-09-10T12:09:00+00:00"),
        ("2022-09-10T12:09:00", "2022-09-10T12:09:00+00:00"),
        ("2022-09-10", "2022-09-10T00:00:00+00:00"),
        ("  2022-09-10T12:09:00-04:00  ", "2022-09-10T12:09:00-04:00"),
    ],
)
def test_iso_8601(text: str, expected: str) -> None:
    assert parse_date(text) == expected


def test_iso_with_fractional_seconds_keeps_the_instant() -> None:
    result = parse_date("2022-09-10T16:09:00.123456Z")
    assert result is not None
    assert abs(instant(result) - instant("2022-09-10T16:09:00+00:00")) < timedelta(seconds=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sat, 10 Sep 2022 16:09:00 GMT", "2022-09-10T16:09:00+00:00"),
        ("Sat, 10 Sep 2022 12:09:00 -0400", "2022-09-10T12:09:00-04:00"),
        ("10 Sep 2022 12:09:00 +0100", "2022-09-10T12:09:00+01:00"),
    ],
)
def test_rfc_2822(text: str, expected: str) -> None:
    result = parse_date(text)
    assert result is not None
    assert instant(result) == instant(expected)
    assert instant(result).utcoffset() == instant(expected).utcoffset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ET in September is EDT
        ("09/10/22 12:09 PM ET", "2022-09-10T12:09:00-04:00"),
        ("by Julia Shapero - 09/10/22 12:09 PM ET", "2022-09-10T12:09:00-04:00"),
        # ET in January is EST
        ("01/15/23 9:30 AM ET", "2023-01-15T09:30:00-05:00"),
        ("12/24/2022 11:45 PM ET", "2022-12-24T23:45:00-05:00"),
        # 12 AM is midnight, 12 PM is noon
        ("01/03/23 12:05 AM ET", "2023-01-03T00:05:00-05:00"),
        ("Sep. 10, 2022 3:04 p.m. EDT", "2022-09-10T15:04:00-04:00"),
        ("Sept. 10, 2022 3:04 a.m. EDT", "2022-09-10T03:04:00-04:00"),
        ("September 10, 2022 3:04 PM ET", "2022-09-10T15:04:00-04:00"),
        ("January 15, 2023 8:00 PM ET", "2023-01-15T20:00:00-05:00"),
        # Pacific time: before and after the 2023 switch to daylight time (March 12)
        ("March 5, 2023 8:15 PM PT", "2023-03-05T20:15:00-08:00"),
        ("July 4, 2023 8:15 PM PT", "2023-07-04T20:15:00-07:00"),
        ("10 September 2022 15:04 BST", "2022-09-10T15:04:00+01:00"),
        ("Published Sep. 10, 2022 3:04 p.m. EDT", "2022-09-10T15:04:00-04:00"),
        ("Updated: 09/10/22 12:09 PM ET", "2022-09-10T12:09:00-04:00"),
    ],
)
def test_printed_dates_with_zones(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14 de febrero de 2023", "2023-02-14T00:00:00+00:00"),
        ("Publicado el 3 de marzo de 2023", "2023-03-03T00:00:00+00:00"),
        ("1 de diciembre de 2022", "2022-12-01T00:00:00+00:00"),
        ("3. März 2023", "2023-03-03T00:00:00+00:00"),
        ("10 September 2022", "2022-09-10T00:00:00+00:00"),
        ("September 10, 2022", "2022-09-10T00:00:00+00:00"),
        ("Sep 10th, 2022", "2022-09-10T00:00:00+00:00"),
        ("25/12/2022", "2022-12-25T00:00:00+00:00"),  # day-first: 25 cannot be a month
    ],
)
def test_dates_without_time_or_zone(text: str, expected: str) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "not a date",
        "hello world 123",
        "Breaking news from the capital",
        "99/99/99",
        "2022-13-45",
        "2022-02-30T10:00:00Z",
        "February 30, 2023",
        "31 de febrero de 2023",
        "Foo 10, 2022",
        "The Senate voted 51 to 49 on the bill.",
    ],
)
def test_garbage_gives_none(text: str | None) -> None:
    assert parse_date(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_never_raises_and_always_has_an_offset(text: str) -> None:
    result = parse_date(text)
    if result is not None:
        instant(result)


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31)))
def test_iso_round_trip_in_utc(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    text = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    result = parse_date(text)
    assert result is not None
    assert instant(result).replace(tzinfo=None) - instant(result).utcoffset() == moment  # type: ignore[operator]


@pytest.mark.parametrize("text", ["2024-01-01T10:00:00+99:99", "2024-01-01T10:00:00-24:00", "2024-01-01 10:00 +2400"])
def test_an_offset_of_a_day_or_more_is_no_date(text: str) -> None:
    assert parse_date(text) is None


def test_a_page_with_an_impossible_offset_still_extracts() -> None:
    head = '<title>Budget</title><meta property="article:published_time" content="2024-01-01T10:00:00+99:99">'
    body = "<article><h1>Budget</h1><p>" + "The council approved the budget. " * 10 + "</p></article>"
    article = sieve.extract(f"<html><head>{head}</head><body>{body}</body></html>")
    assert article.published_at is None
    assert article.text.startswith("The council approved the budget.")


@given(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.integers(min_value=-1439, max_value=1439),
)
@settings(max_examples=400, deadline=None)
def test_iso_offsets_are_written_as_isoformat_does(dt: datetime, minutes: int) -> None:
    from datetime import timezone

    from sieve.dates import _iso_offset

    naive = dt.replace(microsecond=0)
    assert _iso_offset(naive, minutes) == naive.replace(tzinfo=timezone(timedelta(minutes=minutes))).isoformat()
