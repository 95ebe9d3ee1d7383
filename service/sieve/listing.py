"""Listing pages and page-type confidence.

``article_list``: on a section front, tag page or home page, the article links in page order:
linked teaser titles, navigation and boilerplate lists (nav, footer, trending, most popular,
sponsored, video rails…) left out. ``page_type_confidence``: how clearly the page-level signals
that decided ``page_type`` point that way, in [0, 1].
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

from sieve.blocks import Block
from sieve.contracts import Label, PageType
from sieve.metadata import Metadata
from sieve.pagetype import _ARTICLE_LD, _LISTING_LD, _article_url, flanked
from sieve.urls import safe_url

#: Labels whose links are never the listing's own articles.
_NOT_LISTED: Final = frozenset(
    {
        Label.NAV,
        Label.FOOTER,
        Label.TRENDING,
        Label.MOST_POPULAR,
        Label.SPONSORED,
        Label.AD,
        Label.VIDEO,
        Label.JUST_IN,
        Label.SHARE,
        Label.NEWSLETTER,
        Label.COMMENTS,
        Label.TAGS,
        Label.BYLINE,
        Label.DATELINE,
        Label.HEADLINE,
    }
)
_WORDS: Final = re.compile(r"\w+")


def article_list(blocks: list[Block], base: str | None) -> list[dict[str, Any]]:
    """The teaser links of a listing page: a linked title of 4+ words whose block is mostly link."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for block in blocks:
        if block.label in _NOT_LISTED or block.link_density < 0.6 or block.chars > 300:
            continue
        for text, href in block.links:
            url = safe_url(href, base, allow_relative=True) if href else None
            if not url or url in seen or len(_WORDS.findall(text)) < 4 or len(text) > 200:
                continue
            if len(text) < 0.6 * block.chars:
                continue  # a "Read more" inside a prose block, not a teaser title
            seen.add(url)
            out.append({"title": text, "url": url, "position": len(out) + 1})
    return out


def _squash(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def confidence(
    kind: str, meta: Metadata, blocks: list[Block], words: int, url: str | None, counted: tuple[int, int]
) -> float:
    """How sure the page type is: the page-level evidence for ``kind`` against the evidence for the
    other kinds, squashed to [0, 1] (0.5 = a coin toss)."""
    article_markup = bool(meta.ld_types & _ARTICLE_LD) or (meta.og_type or "").lower() == "article"
    listing_markup = bool(meta.ld_types & _LISTING_LD)
    prose, teasers = counted
    slug = _article_url(url)
    excess = max(teasers - 4 * prose - 5, 0)
    if excess and flanked(blocks, prose):
        excess = 0  # rails before and after the body (pagetype.flanked): no listing evidence
    # evidence for an article, in log-odds
    article = (
        1.2 * article_markup
        + 0.8 * slug
        - 1.0 * listing_markup
        + 1.5 * math.tanh((words - 120) / 250)
        + 0.8 * math.tanh((prose - 2) / 4)
        - 0.8 * math.tanh(excess / 10)
    )
    if kind == PageType.ARTICLE:
        return round(_squash(0.8 + article), 3)
    if kind == PageType.SECTION_FRONT:
        return round(_squash(1.0 - article + 0.08 * min(teasers, 30)), 3)
    if kind == PageType.EMPTY:
        return 0.99 if not any(b.text for b in blocks) else round(_squash(2.0 - words / 15), 3)
    if kind == PageType.ERROR:
        return round(_squash(2.5 - words / 40), 3)
    if kind == PageType.VIDEO:
        return round(_squash(1.5 + (120 - words) / 60), 3)
    return 0.5
