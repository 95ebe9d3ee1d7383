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


def test_a_headings_own_id_may_be_a_cut_slug_behind_a_prefix() -> None:
    # a table of contents' jump target: "nav_" + the heading's first words + a counter
    key = "h3.subheading #nav_nur_die_folie__1 @"
    assert without_anchor_id(key, "Nur die Folie bleibt zurück", own=True) == "h3.subheading # @"
    assert without_anchor_id(key, "Nur die Folie bleibt zurück") is None  # a section's id: the whole slug
    assert without_anchor_id("h3 #nav_andere_worte @", "Nur die Folie bleibt zurück", own=True) is None


def test_a_subheading_with_a_jump_target_id_is_body() -> None:
    from sieve.extract import extract

    para = (
        "The battery cells are heated until the coating comes loose, and what is left is sorted by the "
        "machine into metals that the plant sells on to the makers of new cells for electric cars. "
    )
    html = (
        "<html><head><title>How old batteries are recycled</title></head><body><article>"
        "<h1>How old batteries are recycled</h1><div class='article-content'>"
        f"<p>{para * 2}</p><h3 class='subheading' id='nav_only_the_foil__1'>Only the foil is left over</h3>"
        f"<p>{para * 2}</p><p>{para}</p></div></article></body></html>"
    )
    assert "Only the foil is left over" in extract(html, url="https://example.org/tech/recycling").text
