"""segment: one walk of the DOM into text blocks, with how much of each is linked."""

from __future__ import annotations

import sys

import pytest
from selectolax.lexbor import LexborHTMLParser

from sieve.blocks import Block
from sieve.segment import segment, squash

PROSE = "The council approved the new budget on Tuesday after a long debate about schools and roads."


def _blocks(html: str) -> list[Block]:
    tree = LexborHTMLParser(html)
    assert tree.body is not None
    return segment(tree.body).blocks


def test_link_text_counts_as_linked() -> None:
    (block,) = _blocks(f'<body><p>{PROSE} <a href="/more">Read the full budget</a></p></body>')
    assert block.links == [("Read the full budget", "/more")]
    assert block.link_chars == len("Read the full budget") + 1


@pytest.mark.parametrize("style", ["display: none", "visibility: hidden", "color: red; VISIBILITY:hidden"])
def test_inline_hidden_elements_are_not_text(style: str) -> None:
    # What the reader cannot see is not the page's text (a template, a tab not shown, a test of readers).
    blocks = _blocks(f'<body><div style="{style}"><p>Hidden {PROSE}</p></div><p>{PROSE}</p></body>')
    assert [b.text for b in blocks] == [PROSE]


def test_visible_styles_keep_their_text() -> None:
    blocks = _blocks(f'<body><div style="visibility: visible; display: block"><p>{PROSE}</p></div></body>')
    assert [b.text for b in blocks] == [PROSE]


def test_named_anchor_is_not_a_link() -> None:
    # An old jump target left unclosed: the parser wraps everything after it in the <a>.
    blocks = _blocks(f'<body><a name="top"><p>{PROSE}</p><p>{PROSE}</p></body>')
    assert [b.text for b in blocks] == [PROSE, PROSE]
    assert all(b.link_chars == 0 and b.links == [] for b in blocks)


def test_link_inside_a_named_anchor_is_still_a_link() -> None:
    (block,) = _blocks(f'<body><a name="s1"><p>{PROSE} <a href="/x">a link</a></p></body>')
    assert block.links == [("a link", "/x")]


def test_anchor_without_href_or_name_is_a_link_without_target() -> None:
    # script-driven links (<a onclick=…>) are links to the reader: their text stays linked
    (block,) = _blocks('<body><p><a onclick="go()">Next story: the budget vote</a></p></body>')
    assert block.links == [("Next story: the budget vote", "")]


@pytest.mark.parametrize(
    "text",
    [
        "Already one line of text.",
        "  leading and trailing  ",
        "\n    indented source line\n  ",
        "two  spaces",
        "line\nbreaks\tand\ttabs",
        "no-break\u00a0space and\u2009thin space",
        "ideographic\u3000space",
        "zero\u200bwidth (unprintable, not whitespace)",
        "",
        " ",
        "\n",
    ],
)
def test_squash_is_split_and_join(text: str) -> None:
    assert squash(text) == " ".join(text.split())


def test_the_space_is_the_only_printable_whitespace() -> None:
    """squash returns printable text as it is: that is only right while no other whitespace is printable."""
    printable = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c.isprintable()]
    assert printable == [" "]
