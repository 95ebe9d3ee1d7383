"""Is this page an article? A small table of page-level signals, like the block rules.

Kinds: ``article``; ``section_front`` (a listing of teasers: section fronts, tag pages, home pages);
``video`` (a player page with little prose); ``error`` (not-found and error pages); ``empty``
(nothing readable at all). Each non-article kind comes with the reason that decided it.
"""

from __future__ import annotations

import re
from typing import Final

from sieve.blocks import Block
from sieve.contracts import Label, PageType
from sieve.metadata import Metadata

_ERROR_TITLE: Final = re.compile(
    r"\b(?:404|410|500|page not found|not found|no longer available|error|página no encontrada|seite nicht gefunden)\b",
    re.IGNORECASE,
)
_ARTICLE_LD: Final = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "blogposting",
        "liveblogposting",
        "opinionnewsarticle",
        "analysisnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
    }
)
_LISTING_LD: Final = frozenset({"collectionpage", "itemlist", "searchresultspage"})
_FRAME: Final = frozenset({Label.NAV, Label.FOOTER})


#: Searched, not matched: no "[^/?#]*" before it (that prefix only made the search backtrack, ~5x slower).
_SLUG: Final = re.compile(r"(?:\w+[-_]){3,}\w+|\d{5,}")


def _article_url(url: str | None) -> bool:
    """Article URLs end in a long slug ("/russia-pulls-back-from-kharkiv") or carry a long numeric id."""
    if not url:
        return False
    path = url.split("://", 1)[-1].partition("/")[2]
    return bool(_SLUG.search(path))


#: Scripts written without spaces between words (Han, Hiragana, Katakana): each character counts as a word.
_UNSPACED: Final = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: Characters per space-separated "word" above which a text may be written without spaces: spaced
#: scripts average 5-7 (German's long compounds ~10).
_SPACED_WORD_CHARS: Final = 12


def spaced_script(chars: int, words: int) -> bool:
    """Whether ``chars`` characters holding ``words`` space-separated words read as a spaced script
    (the one test both :func:`count_words` and :func:`weigh_unspaced` make)."""
    return chars <= _SPACED_WORD_CHARS * words


def spaced_words(paragraphs: list[str]) -> int:
    """``len("\n\n".join(paragraphs).split())`` for block texts, without making a string of every word:
    a block's text has single spaces between its words and none at its start (segment.squash; a block
    cut at its length limit may end on one), so its words are its spaces plus one."""
    words = 0
    for text in paragraphs:
        if text:
            words += text.count(" ") + (text[-1] != " ")
    return words


def count_words(text: str, spaced: int | None = None) -> int:
    """Words of a text: runs between spaces, and every character of Chinese and Japanese (which put no
    spaces between words, so a whole paragraph would count as one or two "words"). ``spaced``: the
    text's whitespace-separated word count, when the caller has it."""
    words = len(text.split()) if spaced is None else spaced
    if spaced_script(len(text), words) or text.isascii():
        return words  # spaced words of ordinary length: no unspaced script to count
    unspaced = len(_UNSPACED.findall(text))
    return len(_UNSPACED.sub(" ", text).split()) + unspaced if unspaced else words


#: How many Latin-script characters one Han/Kana character is worth in the length rules: a Chinese
#: word is one or two characters, an English one five and a space (so a 27-character Chinese
#: sentence is as long as an 80-character English one).
UNSPACED_WEIGHT: Final = 3


def weigh_unspaced(blocks: list[Block]) -> None:
    """On a page written without spaces between words (Chinese, Japanese), make each block's ``chars``
    its length in Latin-script terms (each Han/Kana character counts ``UNSPACED_WEIGHT``), with its
    link characters scaled alike (the link density stays): the length rules (prose, teasers, short
    lines) were written for spaced scripts. Other pages are left as they are after one space count."""
    chars = 0
    for b in blocks:
        if b.chars >= 40:  # lines long enough to have spaces between words, if the script has them
            chars += b.chars
    if not chars:
        return
    words = 0
    for b in blocks:
        if b.chars >= 40:
            words += b.text.count(" ") + 1
            if spaced_script(chars, words):
                return  # spaced words of ordinary length
    for b in blocks:
        if b.chars >= 8 and not b.text.isascii():
            unspaced = len(_UNSPACED.findall(b.text))
            if unspaced:
                wide = b.chars + (UNSPACED_WEIGHT - 1) * unspaced
                b.link_chars = b.link_chars * wide // b.chars
                b.chars = wide


def counts(blocks: list[Block]) -> tuple[int, int]:
    """(prose paragraphs of the body, linked teasers): the block counts page_type and its confidence use.

    Links of the site's menus and footer are no teasers: every page of a site carries them, articles too
    (institutional sites put hundreds of links in their menus)."""
    prose = teasers = 0
    body = Label.BODY
    for b in blocks:
        if _teaser(b):
            teasers += 1
        if b.chars >= 150 and b.label is body:
            prose += 1
    return prose, teasers


def _teaser(b: Block) -> bool:
    """A linked teaser: a short block that is nearly all link, not in the site's menus or footer."""
    return b.link_density > 0.8 and 25 <= b.chars <= 160 and b.label not in _FRAME


def flanked(blocks: list[Block], prose: int) -> bool:
    """Do the teasers only flank the body? A content page is one run of prose (its body) with link rails
    before and after it (related recipes, more from the section, a sidebar), while a listing's teasers
    sit among whatever prose it has (teaser summaries) or come mostly before it (an SEO text under the
    grid). So: 3+ prose paragraphs, at most one teaser per four of them between the first and the last,
    and no more teasers before that run than after it."""
    if prose < 3:
        return False
    spots: list[tuple[int, bool]] = []  # (index, is prose), in page order
    body = Label.BODY
    for i, b in enumerate(blocks):
        if b.chars >= 150 and b.label is body:
            spots.append((i, True))
        elif _teaser(b):
            spots.append((i, False))
    runs = [i for i, is_prose in spots if is_prose]
    if not runs:
        return False
    first, last = runs[0], runs[-1]
    teasers = [i for i, is_prose in spots if not is_prose]
    before = sum(1 for i in teasers if i < first)
    inside = sum(1 for i in teasers if first < i < last)
    return 4 * inside <= prose and before <= len(teasers) - before - inside


def page_type(
    meta: Metadata,
    blocks: list[Block],
    text: str,
    url: str | None = None,
    counted: tuple[int, int] | None = None,
    words: int | None = None,
) -> tuple[str, str | None]:
    if words is None:
        words = count_words(text)
    prose, teasers = counted or counts(blocks)
    article_markup = bool(meta.ld_types & _ARTICLE_LD) or (meta.og_type or "").lower() == "article"
    title = meta.html_title or meta.title or ""

    if not text and not any(b.text for b in blocks):
        return PageType.EMPTY.value, "the page has no readable text"
    if words < 80 and _ERROR_TITLE.search(title):
        return PageType.ERROR.value, f"error page: title {title[:80]!r} and {words} words of text"
    if (meta.og_type or "").lower().startswith("video") and words < 120:
        return PageType.VIDEO.value, f"video page: og:type {meta.og_type} and {words} words of text"
    if meta.ld_types & _LISTING_LD and not article_markup and prose < 3:
        return PageType.SECTION_FRONT.value, f"listing markup ({', '.join(sorted(meta.ld_types & _LISTING_LD))})"
    if (
        not article_markup
        and not _article_url(url)
        and teasers >= 10
        and (words < 150 or (teasers > 4 * prose + 10 and not flanked(blocks, prose)))
    ):
        return PageType.SECTION_FRONT.value, f"{teasers} linked teasers and {prose} prose paragraphs"
    if words < 30 and not article_markup:
        return (
            PageType.SECTION_FRONT.value if teasers >= 5 else PageType.EMPTY.value,
            f"only {words} words of body text",
        )
    return PageType.ARTICLE.value, None
