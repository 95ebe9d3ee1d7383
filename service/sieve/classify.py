"""Give every block of a page one label, from a table of signals and weights.

Three steps, each a general rule about how news pages are built:

1. **Markup regions.** Class/id/role/tag hints ("related", "most-popular", ``<nav>``...) label their
   subtrees, except a hint on an element that holds most of the page's prose: that is a page wrapper
   with an unlucky class name ("has-sidebar", "with-ads"), not a sidebar. A related-teaser hint
   ("teaser", "promo") on prose with no link in or around it, or marked as the item's schema.org
   ``description``, is the article's own lead: a teaser of another article links to it. Even a firm
   hint ("dialog") is a page wrapper when its element holds the headline (or the page's <h1>) and
   most of the prose: no cookie or consent dialog does.
2. **Heading zones.** A short block whose text is a boilerplate heading ("Most Popular", "Just In",
   "More International News", "See All") labels the section it heads.
3. **The main region** (sieve.region): the maximum-scoring subtree of prose votes, and the article
   header above it (headline to byline), whose prose is the article's lead.

Then each block scores every label with the rules in ``RULES``; the highest wins, and short blocks
inside the body take the label of the body around them (jusText's context rule).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Final

from sieve.anchors import SlugIds
from sieve.blocks import Block, Page
from sieve.contracts import Label
from sieve.lexicon import FIRM, TAG_HINTS, heading_label, markup_hint
from sieve.region import SHORT_CHARS, can_wrap, context, header_span, lone_parent, main_region, outranks, outside
from sieve.region import prose as _prose
from sieve.segment import FIELD_LABELS
from sieve.signals import (
    DIGIT,
    DIGIT_LONGEST,
    FOOTER_SIGNAL,
    MENU_SIGNAL,
    OTHER,
    PROSE_CHARS,
    REGION_SIGNAL,
    Features,
    link_prefix,
    rules_for,
)
from sieve.urls import page_path

# Enum members as module globals: ``Label.BODY`` is a metaclass lookup (~60 ns on Python 3.11), a
# global is ~10 ns, and these comparisons run for every block in several passes.
_BODY: Final = Label.BODY
_BYLINE: Final = Label.BYLINE
_CAPTION: Final = Label.CAPTION
_DATELINE: Final = Label.DATELINE
_FOOTER: Final = Label.FOOTER
_HEADLINE: Final = Label.HEADLINE
_NAV: Final = Label.NAV
_OTHER: Final = Label.OTHER
_RELATED: Final = Label.RELATED
_PAGE_FRAME: Final = frozenset({_NAV, _FOOTER})  # menus and footers keep their label over headings inside
_TITLE_SEPARATORS: Final = re.compile(r"\s+(?:[|–—»·:]|-|::)\s+")
_WORD: Final = re.compile(r"\w+")


def _body_near(blocks: list[Block], i: int) -> bool:
    """Is the block before or after ``i`` body? (A short line takes its neighbours' class, as in jusText.)"""
    return (i > 0 and blocks[i - 1].label is _BODY) or (i + 1 < len(blocks) and blocks[i + 1].label is _BODY)


def _links_near(linked: list[int], el: int, ends: list[int]) -> bool:
    """Does element ``el`` hold a block with links? (``linked``: sorted owners of the blocks with links.)"""
    i = bisect_left(linked, el)
    return i < len(linked) and linked[i] <= ends[el]


def _holds(el: int, ends: list[int], owners: list[int]) -> bool:
    """Does element ``el`` hold a block of one of these owners?"""
    return any(el <= owner <= ends[el] for owner in owners)


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


class Classifier:
    """Labels the blocks of one page (holds per-page state; cheap to create)."""

    def __init__(
        self, page: Page, *, title: str | None, article_body: str | None, urls: tuple[str | None, ...] = ()
    ) -> None:
        self.page = page
        self.own = frozenset(p for p in map(page_path, urls) if p)  # the page's own address: its permalink
        self.title_norm = _norm(title) if title else ""
        # "Headline - Site Name" / "Site | Headline": the longest part is the headline
        parts = _TITLE_SEPARATORS.split(title) if title else []
        core = _norm(max(parts, key=len)) if len(parts) > 1 else ""
        self.title_core = core if len(core.split()) >= 4 else ""
        words = article_body.split() if article_body else []
        self.ld_body = " ".join(words)
        self.ld_words = frozenset(words)  # (one split of a long body, not two)
        self.accepted: dict[int, tuple[Label, float]] = {}
        self.main = 0
        self.main_end = len(page.tags) - 1

    def _is_title(self, b: Block, tlen: int) -> bool:
        if b.link_density >= 0.5 or not tlen:
            return False
        if abs(b.chars - tlen) <= tlen // 4 + 8 and _norm(b.text) == self.title_norm:
            return True
        core = self.title_core
        return (
            bool(core)
            and b.chars < 2 * len(core) + 150
            and b.text[:1].casefold() == core[:1]
            and _norm(b.text[: len(core) + 20]).startswith(core)
        )

    # -- step 1: markup regions ----------------------------------------------------------------
    def _accept_hints(self, title_owners: list[int], in_ld: list[bool]) -> None:
        page = self.page
        ends, hints, keys = page.ends, page.hints, page.keys
        total = 0.0
        prose_in: dict[int, float] = {}
        for block, ld in zip(page.blocks, in_ld, strict=True):
            if _prose(block):
                # prose under body markup or quoted by JSON-LD articleBody weighs more, as in the vote below
                weight = block.chars * (1.5 if ld else 1.0)
                if any(hints[el][0] is _BODY for el in block.hints):
                    weight *= 2.0
                total += weight
                for el in block.hints:
                    prose_in[el] = prose_in.get(el, 0.0) + weight
        linked: list[int] | None = None
        heads: list[int] | None = None
        slugs = SlugIds(page)
        for el, (label, weight) in hints.items():
            key = keys.get(el, "")
            plain = slugs.plain_key(el, key)
            if plain is not None:  # a section's id is its heading's slug: read the key without it
                hint = markup_hint(plain) or TAG_HINTS.get(key.partition(".")[0])
                if hint is None:
                    continue
                label, weight = hint
            if label not in FIELD_LABELS:
                share = prose_in.get(el, 0.0)
                if weight < FIRM:
                    if (share > 0.5 * total > 200 and can_wrap(page.tags[el])) or _holds(el, ends, title_owners):
                        continue  # a wrapper holding the headline or most of the prose is not boilerplate
                elif share > 0.5 * total > 200:
                    if heads is None:
                        heads = self._heads(title_owners)
                    if _holds(el, ends, heads):
                        continue  # no dialog holds the headline and most of the prose: a page wrapper
            if label is _RELATED and el in prose_in:
                if key.endswith(" ~description"):
                    continue  # schema.org's description of the item the page is about: its own lead
                if linked is None:
                    linked = sorted({b.owner for b in page.blocks if b.links})
                if not _links_near(linked, page.parents[el], ends):
                    continue  # a "teaser" with no link in or around it is the article's own lead
            self.accepted[el] = (label, weight)

    def _heads(self, title_owners: list[int]) -> list[int]:
        """Owners of the blocks that can be the headline: the title's and every unlinked <h1>."""
        return title_owners + [b.owner for b in self.page.blocks if b.heading == 1 and b.link_density < 0.5]

    def _hint_of(self, chain: tuple[int, ...]) -> tuple[Label | None, float, Label | None]:
        """Nearest accepted region hint (below any body container, a firm one or one named over a bare form further
        out wins), its weight, and nearest field hint of hinted ancestors; callers memoise by chain (one per element)"""
        region: Label | None = None
        weight = 0.0
        fld: Label | None = None
        for el in reversed(chain):
            hint = self.accepted.get(el)
            if hint is None:
                continue
            label, w = hint
            if label in FIELD_LABELS:
                if fld is None:
                    fld = label
                if label is _BODY and region is None:
                    break  # an article-body container cancels regions above it
            elif region is None:
                region, weight = label, w
            elif (label is _FOOTER and region is _NAV) or (fld is not _BODY and outranks(w, weight)):
                region, weight = label, w  # a footer's menu is the footer; a dialog's parts are the dialog
        return region, weight, fld

    # -- step 2: heading zones -----------------------------------------------------------------
    def _zones(self, titles: list[bool], teasers: list[bool], prefixes: list[Label | None]) -> list[Label | None]:
        blocks = self.page.blocks
        zones: list[Label | None] = [None] * len(blocks)
        parents, ends = self.page.parents, self.page.ends
        heads: list[tuple[int, Label]] = []
        for i, block in enumerate(blocks):
            if block.chars <= 60:
                label = heading_label(block.text) or prefixes[i]
                if label is not None:
                    heads.append((i, label))
        # a linked "See All" or "Subscribe" button names itself; it heads nothing
        leading = [i for i, _label in heads if blocks[i].heading or blocks[i].link_density < 0.9]
        for i, label in heads:
            zones[i] = label
        label_of = dict(heads)
        for n, i in enumerate(leading):
            block, label = blocks[i], label_of[i]
            next_head = leading[n + 1] if n + 1 < len(leading) else len(blocks)
            # the section this heading heads: climb while the element holds no more than the heading
            # and one companion ("See All", a subtitle), at most three levels
            container = parents[block.owner] if block.owner > 0 else 0
            for _level in range(3):
                lo, hi = container, ends[container]
                near = blocks[max(i - 8, 0) : i + 9]
                if container <= 0 or sum(1 for b in near if lo <= b.owner <= hi) > 2:
                    break
                container = parents[container]
            level = block.heading or 3
            stop = ends[container]
            for j in range(i + 1, next_head):
                other = blocks[j]
                if other.owner > stop or other.owner < container or titles[j]:
                    break  # past the section (a heading at the end of its section heads nothing)
                if other.chars > 150 and other.link_density < 0.3 and not teasers[j]:
                    break  # prose that is no teaser: the article (re)starts, the zone ends
                if other.heading and other.heading <= level and other.link_density < 0.5:
                    break  # the next section's own heading
                zones[j] = label
        return zones

    # -- step 2b: teaser cards ------------------------------------------------------------------
    def _teasers(self) -> list[bool]:
        """Runs of cards (a linked title, then a short summary) are listings of other articles.

        A card is small: the summary and the linked title just before it share an ancestor at most
        three levels up that holds only a few blocks. Three or more cards make a listing.
        """
        blocks, parents, ends = self.page.blocks, self.page.parents, self.page.ends
        marks = [False] * len(blocks)
        cards: list[tuple[int, int]] = []
        for i, block in enumerate(blocks):
            if block.heading or not (20 <= block.chars <= 450 and block.link_density < 0.3):
                continue
            for j in range(i - 1, max(i - 4, -1), -1):
                title = blocks[j]
                # a linked row heading (<th>) of a data table is no teaser's title
                is_title = title.link_density >= 0.95 and 15 <= title.chars <= 200 and title.tag != "th"
                if is_title and title.links and page_path(title.links[0][1]) in self.own:
                    break  # a title linking to the page itself (a blog's permalink) heads this page's own text
                if not is_title and title.chars <= 40:
                    continue  # a byline or a date between the title and the summary
                if is_title:
                    anc = block.owner
                    for _level in range(3):
                        anc = parents[anc]
                        if anc <= 0 or anc <= title.owner <= ends[anc]:
                            break
                    if anc > 0 and anc <= title.owner <= ends[anc]:
                        inside = sum(1 for b in blocks[max(j - 6, 0) : i + 7] if anc <= b.owner <= ends[anc])
                        if inside <= 6:
                            cards.append((j, i))
                break
        if len(cards) >= 3:
            for j, i in cards:
                for k in range(j, i + 1):
                    marks[k] = True
        return marks

    def _in_ld_body(self, text: str) -> bool:
        """``text`` (one-space separated, like the JSON-LD articleBody) occurs in the articleBody. A
        word inside the text (not its first or last, which may be cut) must be a word of the body:
        three set lookups turn most boilerplate away before the substring search of the whole body."""
        words = text.split(" ", 4)
        for word in words[1 : min(len(words) - 1, 4)]:
            if word not in self.ld_words:
                return False
        return text in self.ld_body

    # -- labelling -----------------------------------------------------------------------------
    def classify(self) -> list[Block]:
        blocks = self.page.blocks
        tlen = len(self.title_norm)
        titles = [self._is_title(b, tlen) for b in blocks]
        in_ld = [b.chars >= 20 and self._in_ld_body(b.text) for b in blocks] if self.ld_body else [False] * len(blocks)
        self._accept_hints([b.owner for b, t in zip(blocks, titles, strict=True) if t], in_ld)
        teasers = self._teasers()
        prefixes = [link_prefix(b) for b in blocks]
        zones = self._zones(titles, teasers, prefixes)
        feats: list[Features] = []
        memo: dict[tuple[int, ...], tuple[Label | None, float, Label | None]] = {}
        rows = zip(blocks, zones, titles, teasers, prefixes, in_ld, strict=True)
        for block, zone, is_title, teaser, prefix, ld in rows:
            hinted = memo.get(block.hints)
            if hinted is None:
                hinted = memo[block.hints] = self._hint_of(block.hints)
            region, weight, fld = hinted
            if teaser and region is None:
                region, weight = _RELATED, 1.2
            feats.append(Features(block, region, weight, fld, zone, False, is_title, ld, prefix))
        first_h1 = next((f for f in feats if f.block.heading == 1 and f.block.link_density < 0.5), None)
        if first_h1 is not None:
            first_h1.first_h1 = True
        best = main_region(self.page, feats, self.accepted)
        self.main, self.main_end = best, self.page.ends[best] if self.page.tags else 0
        for f in feats:
            f.in_main = self.main <= f.block.owner <= self.main_end
            self._score(f)
        self._smooth(feats)
        return blocks

    def _score(self, f: Features) -> None:
        furniture = f.region if f.region in _PAGE_FRAME else (f.zone or f.region)
        if furniture is not None and not f.in_main and not f.is_title and f.block.heading != 1:
            # outside the article, page furniture keeps its label (the table could not outvote it)
            f.block.label, f.block.score = furniture, 3.0
            f.block.why = ["inside a boilerplate heading zone" if f.zone else "inside boilerplate markup"]
            return
        other = OTHER
        # boilerplate signals (rows voting OTHER) vote for the most specific label known for the block
        specific = (f.region if f.region in _PAGE_FRAME else f.prefix or f.zone or f.region) or other
        scores: dict[Label, float] = {}
        fired: list[tuple[Label, str]] = []
        block = f.block
        digits = block.chars > DIGIT_LONGEST or DIGIT.search(block.text) is not None
        for row in rules_for(block.chars, bool(block.links), digits):
            if row.signal(f):
                label, weight = row.label, row.weight
                if label is other:
                    label = specific
                    if row.name is REGION_SIGNAL:
                        weight *= f.region_weight
                scores[label] = scores.get(label, 0.0) + weight
                fired.append((label, row.name))
        best, top = other, -1.0
        for label, score in scores.items():  # the first of the highest, as max() picks (no key calls)
            if score > top:
                best, top = label, score
        f.block.label, f.block.score = best, top
        f.block.why = [name for label, name in fired if label is best]

    def _smooth(self, feats: list[Features]) -> None:
        """Context rules over the labelled sequence (each a general rule of news layout):

        * body outside the main region is not body, but for the lead in the article header above it and
          text the page's JSON-LD ``articleBody`` holds (the page's own word: the article's text);
        * a short linked line at either edge of the body is not body;
        * between the headline and the byline/dateline/lead image sits the standfirst (one paragraph: several
          there are the body starting before an inline image), not the body;
        * a quote whose text repeats a body paragraph is a pull quote.
        """
        blocks = [f.block for f in feats]
        body_idx = [i for i, b in enumerate(blocks) if b.label is _BODY and feats[i].in_main]
        if not body_idx:
            return
        first, last = body_idx[0], body_idx[-1]
        header, lone, parents = header_span(feats), lone_parent(feats, self.page), self.page.parents
        for i, f in enumerate(feats):
            b = f.block
            if b.label is not _BODY:
                continue
            if outside(f, i, feats, header, lone, parents):
                b.label = _OTHER
                b.why = [*b.why, "outside the main region"]
            elif (i in (first, last)) and b.chars < SHORT_CHARS and not b.heading and b.link_density > 0.3:
                b.label = _OTHER
                b.why = [*b.why, "short linked line at the edge of the body"]
            elif b.chars < SHORT_CHARS and not b.heading and not _body_near(blocks, i):
                b.label = _OTHER
                b.why = [*b.why, "short line with no body around it"]
        self._standfirst(blocks)
        context(feats, self.page, lone)
        for i, b in enumerate(blocks):  # link rows found by their text: their place says menu or footer
            if b.label in _PAGE_FRAME and (MENU_SIGNAL in b.why or FOOTER_SIGNAL in b.why):
                b.label = _NAV if i < first else _FOOTER if i > last else b.label
        body_text = [b.text for b in blocks if b.label is _BODY and not b.quote and b.chars > 100]
        for b in blocks:
            if b.label is _BODY and (b.quote or b.tag == "aside") and b.chars < 300:
                core = b.text.strip("“”\"'‘’ ")
                if len(core) > 20 and any(core in text for text in body_text):
                    b.label = _OTHER
                    b.why = [*b.why, "pull quote: repeats a body paragraph"]

    @staticmethod
    def _standfirst(blocks: list[Block]) -> None:
        first_body = next((i for i, b in enumerate(blocks) if b.label is _BODY), len(blocks))
        head = next((i for i in range(first_body - 1, -1, -1) if blocks[i].label is _HEADLINE), None)
        if head is None:
            return
        for k in range(head + 1, min(head + 6, len(blocks))):
            if blocks[k].label in (_BYLINE, _DATELINE, _CAPTION):
                if sum(1 for b in blocks[head + 1 : k] if b.label is _BODY and b.chars >= PROSE_CHARS) > 1:
                    return  # a standfirst is one paragraph: several are the body's start
                # prose in the article-body container just before an inline figure is the body's start
                caption = blocks[k].label is _CAPTION
                for b in blocks[head + 1 : k]:
                    if b.label is _BODY and not (caption and b.chars >= PROSE_CHARS and "article-body markup" in b.why):
                        b.label = _HEADLINE
                        b.why = [*b.why, "standfirst: between the headline and the byline"]
                return
            if blocks[k].label is _BODY and blocks[k].chars > 400:
                return  # the body has started
