"""The article's region of the page: its main container, and the header above it.

* **The main region.** Every block votes for its ancestors with ``+chars`` when it reads like prose
  and ``-chars/2`` when it is boilerplate or a run of links; the element with the highest total is
  the article's container (a maximum-scoring subtree, as in BTE/CETD). JSON-LD ``articleBody`` and
  body-markup hints add evidence.
* **The article header.** The body container often starts below the article's header: the headline,
  then the lead (standfirst, "intro", "teaser-text", "excerpt") in an element of its own, a sibling
  of the body container rather than inside it. The blocks between the headline and the main region,
  up to the first byline or date line, are that header: prose there is the article's lead, not page
  furniture. A header is short: past a dozen blocks the headline heads something else (a hero, a
  listing) and the span is no header.
* **Lists and tables of the article.** A list or a table row is one unit: an item or cell that is
  only a link, beside body items or cells of the same list or row, is part of the article's text.
"""

from __future__ import annotations

from typing import Final

from sieve.blocks import Block, Page
from sieve.contracts import Label
from sieve.lexicon import FIRM
from sieve.provenance import print_notes
from sieve.signals import PROSE_CHARS, Features

_BODY: Final = Label.BODY
_OTHER: Final = Label.OTHER
_BYLINE: Final = Label.BYLINE
_DATELINE: Final = Label.DATELINE
_FRAME_ELEMENTS: Final = frozenset({"nav", "footer"})
SHORT_CHARS: Final = 40
#: The farthest (in blocks) the body container starts below the headline, for the span to be its header.
HEADER_BLOCKS: Final = 12


def prose(block: Block) -> bool:
    """Long, few links, and not the text of a menu or footer element itself."""
    return block.chars >= PROSE_CHARS and block.link_density < 0.3 and block.tag not in _FRAME_ELEMENTS


def main_region(page: Page, feats: list[Features], accepted: dict[int, tuple[Label, float]]) -> int:
    """The element holding the article: the subtree with the highest vote (0 for an empty page)."""
    n = len(page.tags)
    if not n:
        return 0
    score = [0.0] * n
    for f in feats:
        b = f.block
        if f.region is not None or f.zone is not None or b.link_density >= 0.5:
            w = -0.5 * b.chars
        elif prose(b):
            w = float(b.chars) * (1.5 if f.in_ld_body else 1.0) * (2.0 if f.field is _BODY else 1.0)
        elif b.chars >= SHORT_CHARS and b.link_density < 0.3:
            w = 0.3 * b.chars
        else:
            w = 0.0
        score[b.owner] += w
    parents = page.parents
    for el in range(n - 1, 0, -1):  # children come after parents in pre-order
        s = score[el]
        if s != 0.0:  # most elements hold no block: nothing to add (and no float to make)
            score[parents[el]] += s
    for el, (label, _w) in accepted.items():
        if label is _BODY and score[el] > 0:
            score[el] *= 1.15
    best, top = 0, score[0]
    for el in range(1, n):  # the first of the highest, as max() picks (without a key call per element)
        if score[el] > top:
            best, top = el, score[el]
    return best


_LIST_TAGS: Final = frozenset({"ul", "ol", "dl"})


def can_wrap(tag: str) -> bool:
    """Can an element of this tag be a page wrapper with an unlucky class name (a hint on it, holding most
    of the prose, is then no boilerplate)? Not a list: a list holds items, and a "related posts" list
    with long excerpts may hold more prose than a short post."""
    return tag not in _LIST_TAGS


def outranks(further: float, nearer: float) -> bool:
    """Does a region hint further out (weight ``further``) outrank a nearer one (below any body
    container)? When it is firmer: a dialog (``FIRM``) over its parts' weaker names, and any named region
    (1.0 and up) over a bare ``<form>`` (0.5): a form only says "a form", the box around it says which
    (a newsletter's sign-up, a comment box)."""
    return further >= FIRM > nearer or nearer < 1.0 <= further


def header_span(feats: list[Features]) -> tuple[int, int]:
    """``(head, start)``: the blocks strictly between are the article's header, from the headline (the
    last title or first-h1 block before the main region) to the main region's first block, cut at the
    first byline or date line. ``(0, 0)`` when there is none. Call after the blocks are labelled."""
    start = next((i for i, f in enumerate(feats) if f.in_main), None)
    if start is None:
        return (0, 0)
    head = next((i for i in range(start - 1, -1, -1) if feats[i].is_title or feats[i].first_h1), None)
    if head is None or start - head > HEADER_BLOCKS:
        return (0, 0)
    for k in range(head + 1, start):
        if feats[k].block.label in (_BYLINE, _DATELINE):
            return (head, k)  # the header ends at the byline: below it the body starts
    return (head, start)


def lone_parent(feats: list[Features], page: Page) -> int | None:
    """When the main region is one block (a single paragraph won the vote: the post's container also
    holds its share bar, likes and comments, whose votes sank it), the element holding that block; None
    otherwise. A paragraph is no article's whole container: its sibling prose is the article's too."""
    lone = None
    for f in feats:
        if f.in_main:
            if lone is not None:
                return None  # two blocks: the region is a container
            lone = f.block
    return None if lone is None else page.parents[lone.owner]


def ld_text(f: Features, feats: list[Features]) -> bool:
    """Is ``f``'s block text the page's JSON-LD ``articleBody`` holds, and that no block of the main
    region repeats (a lead repeating the body's first sentence is the article's, but once is enough)?"""
    if not f.in_ld_body:
        return False
    text = f.block.text
    return not any(g.in_main and text in g.block.text for g in feats)


def in_header_lead(block: Block, i: int, span: tuple[int, int]) -> bool:
    """Is block ``i`` prose of the article header (its lead), though outside the main region?"""
    return span[0] < i < span[1] and block.chars >= PROSE_CHARS and not block.heading


def outside(
    f: Features, i: int, feats: list[Features], span: tuple[int, int], lone: int | None, parents: list[int]
) -> bool:
    """Is body block ``i`` outside the article: not in the main region, nor the lead in its header
    (``span``), nor text the page's JSON-LD holds, nor prose beside a one-block region (``lone``)?"""
    return (
        not f.in_main
        and not ld_text(f, feats)
        and not in_header_lead(f.block, i, span)
        and parents[f.block.owner] != lone
    )


def linked_subheads(feats: list[Features]) -> None:
    """A linked subheading between two body paragraphs of the main region is the article's own (a
    list article's item heads link to the thing they name): body, as the paragraphs around it. Not a
    lead-in ("Read more:", "MIRA:") and its linked title: that points to another article."""
    for i in range(1, len(feats) - 1):
        f = feats[i]
        b = f.block
        if b.heading < 2 or b.label is not _OTHER or b.link_density < 0.5 or not f.in_main:
            continue
        if f.region is not None or f.zone is not None or f.prefix is not None:
            continue  # page furniture by its markup, its heading, or its text ("Follow us on …")
        if b.links and b.text.partition(b.links[0][0])[0].rstrip().endswith(":"):
            continue  # "Read more: <title>", "MIRA: <title>": a lead-in to another article
        before, after = feats[i - 1].block, feats[i + 1].block
        if before.label is _BODY and after.label is _BODY and after.chars >= PROSE_CHARS and b.chars <= 120:
            b.label = _BODY
            b.why = [*b.why, "linked subheading between body paragraphs"]


_LISTS: Final = frozenset({"li"})
_CELLS: Final = frozenset({"td", "th"})


def _units(feats: list[Features], tags: frozenset[str]) -> tuple[list[int], list[Block]]:
    """Items (``li``) or cells (``td``/``th``) of the main region whose text is one block of their own:
    the elements of the body ones, and the link-only ones that no markup, heading or text prefix
    calls furniture. An element split into several blocks (a layout table's cell, text and ``<br>``
    runs) is neither: its blocks are no list item or table cell of their own."""
    count: dict[int, int] = {}
    body: list[int] = []
    linked: list[Block] = []
    for f in feats:
        b = f.block
        if b.tag not in tags or not f.in_main:
            continue
        count[b.owner] = count.get(b.owner, 0) + 1
        if b.label is _BODY and b.link_density < 0.5:
            body.append(b.owner)
        elif b.label is _OTHER and b.link_density >= 0.5 and f.region is None and f.zone is None and f.prefix is None:
            linked.append(b)
    return [el for el in body if count[el] == 1], [b for b in linked if count[b.owner] == 1]


def list_items(feats: list[Features], page: Page) -> None:
    """A list is one unit of the text: an item that is only a link, in a list of the main region that
    has a body item, or nested in a body item, is part of the article's own list (a changelog's
    "Bug 123 – …" entries, a post's list of resources), not a link row. Only blocks that are the
    ``<li>`` itself count, both ways: a list of nothing but links (related links, menus) is left as it
    is, and so is a list of teaser cards (a linked title, then a summary paragraph in the same item)."""
    parents, tags = page.parents, page.tags
    body, linked = _units(feats, _LISTS)
    holders = {parents[el] for el in body}.union(body)  # the lists holding a body item, and those items
    for b in linked:
        el = parents[b.owner]
        if tags[el] in ("ul", "ol") and (el in holders or parents[el] in holders):
            b.label = _BODY
            b.why = [*b.why, "linked item of a body list"]


def table_cells(feats: list[Features], page: Page) -> None:
    """A data table's row is one record: a cell that is only a link (the film, the product, the
    download the row describes), in a row of the main region with a body cell, is part of the record.
    Only cells that are one block count (a layout table's content cell holds many)."""
    parents = page.parents
    body, linked = _units(feats, _CELLS)
    rows = {parents[el] for el in body}
    for b in linked:
        if parents[b.owner] in rows and b.chars <= 120:
            b.label = _BODY
            b.why = [*b.why, "linked cell of a body row"]


_HEADLINE: Final = Label.HEADLINE
_CAPTION: Final = Label.CAPTION


def section_h1s(feats: list[Features]) -> None:
    """A page has one headline: an ``<h1>`` between body paragraphs of the main region (body prose
    before it and right after it), not the page's title nor its first ``<h1>``, heads a section of
    the article (blog platforms and HTML5 sectioning give every section its own ``<h1>``): body, as
    an ``<h2>`` there is. An ``<h1>`` before the body's first paragraph is still the headline."""
    started = False  # body prose of the main region came before
    for i in range(len(feats) - 1):
        f = feats[i]
        b = f.block
        if b.label is _BODY:
            started = started or (f.in_main and b.chars >= PROSE_CHARS)
            continue
        if not started or b.label is not _HEADLINE or b.heading != 1 or f.is_title or f.first_h1:
            continue
        if not f.in_main or f.region is not None or f.zone is not None or b.link_density >= 0.5:
            continue
        after = feats[i + 1].block
        if after.label is _BODY and after.chars >= PROSE_CHARS:
            b.label = _BODY
            b.why = [*b.why, "a section's h1 between body paragraphs"]


_ELLIPSES: Final = ("…", "...")


def excerpts(feats: list[Features]) -> None:
    """A text cut short with an ellipsis and closed by a link ("… Read more", "… Continue") is an
    excerpt of the page the link opens (a card for another article set inside the body), not the
    article's own text: an author does not end a paragraph mid-sentence and point elsewhere. A link
    shown as its address ("pic.twitter.com/…" after a quoted post's "...") is the post's own media."""
    for f in feats:
        b = f.block
        if b.label is not _BODY or not b.links or b.chars > 800:
            continue
        tail = b.links[-1][0]
        if not tail or len(tail) > 40 or "/" in tail or not b.text.endswith(tail):
            continue
        if b.text[: -len(tail)].rstrip().endswith(_ELLIPSES):
            b.label = _OTHER
            b.why = [*b.why, "an excerpt closed by a link to its page"]


def orphan_headings(feats: list[Features]) -> None:
    """A heading heads the text below it: a body heading over blocks that are all page furniture, up to
    the next heading of its level or above (or the page's end), heads a section that is not the
    article's (a "Services" or "See also" heading over a link list, a newsletter's heading over its
    form, a "Rate this article" heading over the stars): not body either. A heading over nothing (the
    next heading follows at once, or the page ends) is left as it is: it may head a section of its own,
    and so is one over a figure (captions are the article's own)."""
    open_: list[Block] = []  # body headings still waiting for their text, outermost first
    seen = 0  # open_[:seen] have page furniture below them
    for f in feats:
        b = f.block
        label = b.label
        if label is not _BODY:
            if label is not _CAPTION:
                seen = len(open_)
            continue
        if not open_ and not b.heading:
            continue
        if not b.heading or b.chars >= PROSE_CHARS:  # (a "heading" as long as a paragraph is text)
            open_.clear()  # they head this text
            seen = 0
            continue
        while open_ and open_[-1].heading >= b.heading:
            _orphan(open_.pop(), len(open_) < seen)
        seen = min(seen, len(open_))
        open_.append(b)
    for k, b in enumerate(open_):
        _orphan(b, k < seen)


def _orphan(b: Block, furniture: bool) -> None:
    if furniture:
        b.label = _OTHER
        b.why = [*b.why, "a heading over page furniture only"]


def lone_siblings(feats: list[Features], page: Page, lone: int | None) -> None:
    """Beside a one-block main region (``lone``: its :func:`lone_parent`), the short lines of the same
    parent element (a post's one-line opening, its closing remark) are the post's too, unless their
    markup, heading zone or text prefix calls them furniture, or they are mostly links."""
    if lone is None:
        return
    parents = page.parents
    for f in feats:
        b = f.block
        if b.label is not _OTHER or b.heading or parents[b.owner] != lone or b.link_density >= 0.3:
            continue
        if f.region is None and f.zone is None and f.prefix is None and any(c.isalnum() for c in b.text):
            b.label = _BODY
            b.why = [*b.why, "a line beside a one-block main region"]


def author_bios(feats: list[Features]) -> None:
    """Prose inside the article's author markup (``itemprop="author"``, an hCard ``vcard author``, an
    author box) is the author's biography, not the article: the markup names the person who wrote the
    text, and a paragraph there is about that person. Not when such prose is most of the body (an
    article element carrying its author's name as a class, ``author-jdoe``, wraps the whole text)."""
    bios = [f.block for f in feats if f.field is _BYLINE and f.block.label is _BODY and f.block.chars >= PROSE_CHARS]
    if not bios or 3 * sum(b.chars for b in bios) > sum(f.block.chars for f in feats if f.block.label is _BODY):
        return
    for b in bios:
        if not b.heading:
            b.label = _OTHER
            b.why = [*b.why, "prose in author markup: the author's biography"]


def context(feats: list[Features], page: Page, lone: int | None) -> None:
    """The region's context rules, run on the labelled blocks after the standfirst rule (``lone``: the
    main region's :func:`lone_parent`)."""
    linked_subheads(feats)
    list_items(feats, page)
    table_cells(feats, page)
    section_h1s(feats)
    excerpts(feats)
    lone_siblings(feats, page, lone)
    author_bios(feats)
    print_notes(feats)
    orphan_headings(feats)
