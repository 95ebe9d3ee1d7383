"""Section ids that are their heading's slug (sieve.anchors)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from sieve.anchors import SlugIds, without_anchor_id
from sieve.segment import segment


def test_an_id_made_of_the_headings_words_is_dropped_from_the_key() -> None:
    key = "div.section #sharing-with-a-single-developer @"
    assert without_anchor_id(key, "Sharing with a single developer") == "div.section # @"


def test_an_id_that_differs_from_the_heading_is_kept() -> None:
    assert without_anchor_id("div #share-bar @", "Sharing with a single developer") is None
    assert without_anchor_id("div #sharing @", "Sharing") is None  # one word: too little to be a slug


def test_a_boilerplate_heading_keeps_its_id() -> None:
    # the id then says what the heading says: a related box stays a related box
    assert without_anchor_id("div #related-stories @", "Related stories") is None


def _keys(html: str) -> tuple[SlugIds, dict[int, str]]:
    page = segment(LexborHTMLParser(html).body)  # type: ignore[arg-type]
    return SlugIds(page), {el: key for el, key in page.keys.items() if " #" in key}


def test_the_heading_must_sit_just_below_the_id() -> None:
    near = "<body><div class='section' id='the-long-plan'><h2>The long plan</h2><p>Text.</p></div></body>"
    slugs, keys = _keys(near)
    assert [slugs.plain_key(el, key) for el, key in keys.items()] == ["div.section # @ ~"]
    far = (
        "<body><div class='section' id='the-long-plan'><div><div><div><div><h2>The long plan</h2>"
        "</div></div></div></div></div></body>"
    )
    slugs, keys = _keys(far)
    assert [slugs.plain_key(el, key) for el, key in keys.items()] == [None]
