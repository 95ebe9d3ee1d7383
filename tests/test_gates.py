"""Prefix gates (sieve.gates): a gate may only turn away text its pattern would not match."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sieve.gates import head, may_match, starts
from sieve.lexicon import (
    AD_TEXT,
    BARE_URL,
    BYLINE_TEXT,
    END_MATTER,
    FILE_PHOTO_PREFIX,
    FOOTER_LINK,
    PUBLISHED_TEXT,
    READING_TIME,
    UI_TEXT,
)
from sieve.provenance import PRINT_NOTE

GATED = [
    END_MATTER, UI_TEXT, BYLINE_TEXT, PUBLISHED_TEXT, FILE_PHOTO_PREFIX, AD_TEXT, READING_TIME, FOOTER_LINK, PRINT_NOTE,
]  # fmt: skip


def _agrees(pattern: re.Pattern[str], text: str) -> None:
    gate = starts(pattern)
    assert gate is not None
    if pattern.match(text) is not None:
        assert may_match(head(text), gate), (pattern.pattern[:30], text)


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (END_MATTER, "© 2024 The Gazette"),
        (END_MATTER, "(c) 2024 The Gazette"),
        (END_MATTER, "COPYRIGHT 2024"),
        (END_MATTER, "We've detected you are on Internet Explorer"),
        (END_MATTER, "Weve detected you are using an old browser"),
        (END_MATTER, "ſee also: the other story"),  # long s: case-blind, it matches "s"
        (END_MATTER, "Lire aussi : la suite"),
        (END_MATTER, "Все права защищены"),
        (UI_TEXT, "3 of 12"),
        (UI_TEXT, "(Noch keine Bewertungen)"),
        (UI_TEXT, "Zurück nach oben"),
        (UI_TEXT, "Nach oben"),
        (UI_TEXT, "Caption Close"),
        (AD_TEXT, "AD"),
        (AD_TEXT, "Ad:"),
        (AD_TEXT, "广告"),
        (READING_TIME, "5 min read"),
        (BYLINE_TEXT, "By Jane Doe"),
        (BYLINE_TEXT, "di Mario Rossi"),
        (FOOTER_LINK, "AGB"),
        (FILE_PHOTO_PREFIX, "FILE - A view of the city"),
        (PUBLISHED_TEXT, "Published 3:04 PM"),
        (PRINT_NOTE, "Zuerst erschienen in der Printausgabe 3/2020"),
    ],
)
def test_gate_lets_matches_through(pattern: re.Pattern[str], text: str) -> None:
    gate = starts(pattern)
    assert gate is not None and pattern.match(text) is not None
    assert may_match(head(text), gate)


def test_gate_turns_prose_away() -> None:
    for pattern in (END_MATTER, UI_TEXT, AD_TEXT):
        gate = starts(pattern)
        assert gate is not None
        assert not may_match(head("The president said on Tuesday that the plan would go ahead."), gate)


def test_no_gate_without_a_literal_start() -> None:
    assert starts(BARE_URL) is None  # "[\w-]+\.com/": a match can start with any word character
    with pytest.raises(ValueError):
        starts(re.compile("^Copyright"))  # a gate lower-cases the text: case-sensitive patterns have none


_PIECES = st.sampled_from(
    ["copy", "right", "read more:", "(c) ", "© ", "all rights", "this ", "we", "'", "ve ", "1", "42", " of ",
     "ſ", "K", "İ", "ß", "noch ", "(", "keine", "by ", "file", " - ", "ad", "min ", "updated", "x", " ", ":", "\n"]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=8).map("".join), st.sampled_from(GATED))
def test_gate_never_turns_a_match_away(text: str, pattern: re.Pattern[str]) -> None:
    _agrees(pattern, text)
    _agrees(pattern, text.upper())
    _agrees(pattern, text.title())


@given(st.text(max_size=12), st.sampled_from(GATED))
def test_gate_on_any_text(text: str, pattern: re.Pattern[str]) -> None:
    _agrees(pattern, text)
