"""The article body as typed blocks, built after classification from the body's region of the DOM.

Every body block of the classifier becomes one typed text block (``paragraph``, ``heading``,
``list_item``, ``quote``, ``preformatted``) carrying its text unchanged, or a cell of a ``table``;
the images and embeds inside the body's region become ``figure`` and ``embed`` blocks at their place
in reading order. :func:`paragraphs_of` gives ``Article.paragraphs`` back from the typed blocks, so
the two can never disagree.

Typed blocks are plain JSON-ready dicts (``{"type": "paragraph", "text": …}``): they go straight
into the event.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from selectolax.lexbor import LexborNode

from sieve.blocks import Block, Page
from sieve.contracts import BOILERPLATE_LABELS, Label
from sieve.lexicon import CREDIT_TEXT
from sieve.media import MEDIA_ATTR, Embed, best_src, dimension, embed_kind, embed_url
from sieve.urls import safe_url

#: The elements the typed body reads from the tree itself (image attributes, <pre> text as written):
#: extraction keeps only these of the walk's nodes.
NODE_TAGS: Final = frozenset({"img", "pre"})

# Enum members as module globals: ``Label.BODY`` is a metaclass lookup (~60 ns on Python 3.11).
_BODY: Final = Label.BODY
_CAPTION: Final = Label.CAPTION
_OTHER: Final = Label.OTHER
_VIDEO: Final = Label.VIDEO

TEXT_TYPES: Final = frozenset({"paragraph", "heading", "list_item", "quote", "preformatted"})
_LIST_TAGS: Final = frozenset({"ul", "ol", "menu", "dl"})
_CELL_TAGS: Final = frozenset({"td", "th"})
_MIN_IMAGE_SIDE: Final = 60
_AWAY: Final = BOILERPLATE_LABELS | {_OTHER}

if TYPE_CHECKING:
    from sieve.assemble import Analysis

Typed = dict[str, Any]


class Body:
    """What :func:`build` found: the typed blocks and the media and links among them (a plain class:
    compiled, its ``__init__`` is native)."""

    __slots__ = ("blocks", "images", "links", "region", "videos")

    def __init__(self, region: int = 0) -> None:
        self.blocks: list[Typed] = []
        self.images: list[Typed] = []
        self.videos: list[Typed] = []
        self.links: list[dict[str, str]] = []
        self.region = region


def paragraphs_of(blocks: list[Typed]) -> list[str]:
    """``Article.paragraphs`` from typed blocks: each text block, and each non-empty table cell."""
    out: list[str] = []
    for block in blocks:
        kind = block["type"]
        if kind in TEXT_TYPES:
            out.append(block["text"])
        elif kind == "table":
            out.extend(cell for row in block["rows"] for cell in row if cell)
    return out


def _region(page: Page, owners: list[int]) -> int:
    """The innermost element holding every body block (their lowest common ancestor)."""
    parents, ends = page.parents, page.ends
    region = owners[0]
    for owner in owners[1:]:
        while region > 0 and not (region <= owner <= ends[region]):
            region = parents[region]
    return max(region, 0)


class _Index:
    """Blocks by owner element, for "which blocks lie inside element e" in O(log n); built on first
    use (most pages need it only for a few images)."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.owners: list[int] = []
        self.order: list[int] = []

    def inside(self, lo: int, hi: int) -> list[Block]:
        return [self.blocks[i] for i in sorted(self.numbers(lo, hi))]

    def numbers(self, lo: int, hi: int) -> list[int]:
        """The indexes of the blocks inside, in no particular order."""
        if not self.owners:
            pairs = sorted((b.owner, b.index) for b in self.blocks)
            self.owners = [o for o, _ in pairs]
            self.order = [i for _, i in pairs]
        return self.order[bisect_left(self.owners, lo) : bisect_right(self.owners, hi)]


def _positions(tags: list[str], tag: str, lo: int, hi: int) -> list[int]:
    """Element numbers in [lo, hi] whose tag is ``tag`` (the scan runs in C: ``list.index``)."""
    found: list[int] = []
    k = lo
    try:
        while True:
            k = tags.index(tag, k, hi + 1)
            found.append(k)
            k += 1
    except ValueError:
        return found


def build_body(analysis: Analysis, base: str | None) -> Body:
    return build(analysis.blocks, analysis.page, analysis.nodes, analysis.embeds, base)


def build(
    blocks: list[Block],
    page: Page,
    nodes: Mapping[int, LexborNode],
    embeds: list[Embed],
    base: str | None,
) -> Body:
    body_blocks = [b for b in blocks if b.label is _BODY]
    if not body_blocks:
        return Body()
    region = _region(page, [b.owner for b in body_blocks])
    index = _Index(blocks)
    tables = _tables(page, index, region, body_blocks)
    media = _media(page, nodes, index, region, embeds, base) if nodes else []
    out = Body(region=region)
    lists: dict[int, tuple[int, int]] = {}  # list element -> (its index, items so far)
    m = 0
    done_tables: set[int] = set()
    for block in body_blocks:
        while m < len(media) and media[m][0] < block.owner:
            out.blocks.append(media[m][1])
            m += 1
        table = tables.get(block.index)
        if table is not None:
            if table[0] not in done_tables:
                done_tables.add(table[0])
                out.blocks.append(table[1])
            continue
        out.blocks.append(_typed(block, page, nodes, lists, base, out.links))
    out.blocks.extend(item for _k, item in media[m:])
    for typed in out.blocks:
        if typed["type"] == "figure":
            out.images.append({k: v for k, v in typed.items() if k != "type"})
        elif typed["type"] == "embed" and typed["kind"] == "video":
            out.videos.append({k: v for k, v in typed.items() if k != "type"})
    return out


def _typed(
    block: Block,
    page: Page,
    nodes: Mapping[int, LexborNode],
    lists: dict[int, tuple[int, int]],
    base: str | None,
    all_links: list[dict[str, str]],
) -> Typed:
    tags = page.tags
    typed: Typed
    if block.heading:
        typed = {"type": "heading", "text": block.text, "level": block.heading}
    elif block.list_kind:
        element = _ancestor(page, block.owner, _LIST_TAGS)
        number, count = lists.get(element, (len(lists), 0))
        lists[element] = (number, count + 1)
        typed = {
            "type": "list_item",
            "text": block.text,
            "ordered": block.list_kind == "ol",
            "list": number,
            "position": count + 1,
        }
    elif block.quote:
        typed = {"type": "quote", "text": block.text}
    elif tags[block.owner] == "pre":
        raw = nodes[block.owner].text(deep=True) if nodes else ""
        typed = {"type": "preformatted", "text": block.text}
        if raw and " ".join(raw.split()) == block.text:
            typed["raw"] = raw.strip("\n")
    else:
        typed = {"type": "paragraph", "text": block.text}
    links = []
    for text, href in block.links:
        url = safe_url(href, base, allow_relative=True) if href else None
        if url and text:
            item = {"text": text, "href": url}
            links.append(item)
            all_links.append(item)
    if links:
        typed["links"] = links
    return typed


def _ancestor(page: Page, element: int, tags: frozenset[str], limit: int = 8) -> int:
    parents, names = page.parents, page.tags
    current = element
    for _ in range(limit):
        if current < 0:
            break
        if names[current] in tags:
            return current
        current = parents[current]
    return -1


def _tables(page: Page, index: _Index, region: int, body_blocks: list[Block]) -> dict[int, tuple[int, Typed]]:
    """Data tables inside the body: every non-empty cell is exactly one body block (layout tables,
    which hold the article rather than sit in it, never qualify). Keyed by each cell block's index."""
    tags, ends, parents = page.tags, page.ends, page.parents
    found: dict[int, tuple[int, Typed]] = {}
    seen: set[int] = set()
    for block in body_blocks:
        if tags[block.owner] not in _CELL_TAGS:
            continue
        table = _ancestor(page, block.owner, frozenset({"table"}), 4)
        if table <= region or table in seen:
            continue
        seen.add(table)
        end = ends[table]
        inside = index.inside(table, end)
        if any(tags[e] == "table" for e in range(table + 1, end + 1)):
            continue
        by_cell: dict[int, Block] = {}
        if any(b.label is not _BODY or tags[b.owner] not in _CELL_TAGS or b.owner in by_cell for b in inside):
            continue
        for b in inside:
            by_cell[b.owner] = b
        rows: list[list[str]] = []
        header = False
        for el in range(table + 1, end + 1):
            if tags[el] == "tr":
                rows.append([])
            elif tags[el] in _CELL_TAGS and rows and tags[parents[el]] == "tr":
                cell = by_cell.get(el)
                rows[-1].append(cell.text if cell is not None else "")
                if len(rows) == 1 and tags[el] == "th":
                    header = True
        rows = [r for r in rows if r]
        if len(rows) < 2 or sum(len(r) for r in rows) < 4:
            continue
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        typed: Typed = {"type": "table", "rows": rows, "header": header}
        for b in inside:
            found[b.index] = (table, typed)
    return found


def _media(
    page: Page,
    nodes: Mapping[int, LexborNode],
    index: _Index,
    region: int,
    embeds: list[Embed],
    base: str | None,
) -> list[tuple[int, Typed]]:
    tags, ends = page.tags, page.ends
    out: list[tuple[int, Typed]] = []
    seen: set[str] = set()
    for k in _positions(tags, "img", region + 1, ends[region]):
        attrs = nodes[k].attributes
        number = attrs.get(MEDIA_ATTR)
        if _away(page, index, k, region, embed=number is not None):
            continue
        if number is not None:
            embed = embeds[int(number)] if number.isdigit() and int(number) < len(embeds) else None
            if embed is None:
                continue
            url = embed_url(embed, base)
            if not url or url in seen:
                continue
            seen.add(url)
            prov, kind = embed_kind(embed, url)
            typed: Typed = {"type": "embed", "kind": kind, "provider": prov, "url": url}
            out.append((k, typed))
            continue
        width, height = dimension(attrs.get("width")), dimension(attrs.get("height"))
        if (width is not None and width < _MIN_IMAGE_SIDE) or (height is not None and height < _MIN_IMAGE_SIDE):
            continue
        url = safe_url(best_src(attrs), base, allow_relative=True)
        if not url or url in seen:
            continue
        seen.add(url)
        caption = _caption(page, index, k, region)
        credit = None
        if caption:
            match = CREDIT_TEXT.search(caption)
            credit = match.group(0).strip().strip("()").strip() if match else None
        alt = " ".join((attrs.get("alt") or "").split()) or None
        out.append(
            (
                k,
                {
                    "type": "figure",
                    "url": url,
                    "alt": alt,
                    "caption": caption,
                    "credit": credit,
                    "width": width,
                    "height": height,
                },
            )
        )
    return out


def _away(page: Page, index: _Index, k: int, region: int, *, embed: bool = False) -> bool:
    """Is the image at element ``k`` in a boilerplate part of the region (a related card, an ad)?
    An embed's own wrapper (``div.video-embed``) is no video rail: for embeds the text around decides."""
    parents, hints, ends = page.parents, page.hints, page.ends
    current = parents[k]
    container = current
    while current > region:
        hint = hints.get(current)
        if hint is not None and hint[0] in _AWAY and not (embed and hint[0] in (_VIDEO, _OTHER)):
            return True
        current = parents[current]
    blocks = index.blocks
    for _ in range(3):  # the nearest container with text decides: a card's title, a caption, prose
        inside = index.numbers(container, ends[container])
        if inside:  # away if a boilerplate label is there and neither body nor caption is
            away = False
            for i in inside:
                label = blocks[i].label
                if label is _BODY or label is _CAPTION:
                    return False
                away = away or label in _AWAY
            return away
        if container <= region:
            break
        container = parents[container]
    return False


def _caption(page: Page, index: _Index, k: int, region: int) -> str | None:
    """The caption of the image at ``k``: the non-body text of its ``<figure>`` (or of the figure-like
    container just around it)."""
    figure = _ancestor(page, page.parents[k], frozenset({"figure"}), 4)
    container = figure if figure > region else page.parents[k]
    if container <= region and figure <= region:
        return None
    texts = [
        b.text
        for b in index.inside(container, page.ends[container])
        if b.label is _CAPTION or (figure > region and b.label is not _BODY and b.figure)
    ]
    return " ".join(texts) or None
