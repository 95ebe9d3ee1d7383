"""Segment a parsed page into text blocks in one pass over the DOM.

A *block* is the run of text between two block-level boundaries (``<p>``, ``<div>``, ``<li>``,
``<br><br>``...), with what the classifier needs to know about it: its element, how much of it is
linked, its links, which headings/lists/figures/quotes hold it, and the chain of ancestors that carry
markup hints (class/id/role tokens). Elements are numbered in document (pre-)order, and ``ends[i]`` is
the last number inside element ``i``, so "block b is inside element e" is ``e <= owner <= ends[e]``.

The walk is iterative (100,000-deep nesting is fine) and does the least Python work per node; all
text gathering is plain string appends.
"""

from __future__ import annotations

import re
from typing import Final

from selectolax.lexbor import LexborNode

from sieve.blocks import Block, Page
from sieve.contracts import Label
from sieve.lexicon import BLOCK_TAGS, CONTENT_TAGS, HEADING_TAGS, SKIP_TAGS, TAG_HINTS, markup_hint
from sieve.prune import tag_ids

#: Region hints label a whole subtree as page furniture; field hints mark article parts.
FIELD_LABELS: Final = frozenset({Label.BODY, Label.BYLINE, Label.DATELINE, Label.CAPTION, Label.TAGS})
_HINT_ATTRS: Final = ("class", "id", "role", "itemprop")
MAX_BLOCK_CHARS: Final = 100_000
_FRAME_TAGS: Final = frozenset({"nav", "footer"})
#: Block elements that change the context of the text inside them (the rest only change its owner).
_CONTEXT_TAGS: Final = frozenset("h1 h2 h3 h4 h5 h6 ul ol dl menu figure figcaption blockquote".split())
_LIST_TAGS: Final = frozenset({"ul", "ol", "dl", "menu"})
_FIGURE_TAGS: Final = frozenset({"figure", "figcaption"})
_HIDDEN: Final = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)  # inline styles that hide
#: ``str.isprintable`` looked up once (compiled, a str method without a native primitive is looked up by
#: name on every call).
_IS_PRINTABLE: Final = str.isprintable
_TEXT_ID: Final = 2  # lexbor's tag id of a text node (LXB_TAG__TEXT)
#: Tag names and walk flags by lexbor tag id, filled as met (``node.tag`` decodes the name anew on every
#: call). Only lexbor's built-in tags' ids are kept: a custom element's id is per document.
_BUILTIN_IDS: Final = 4096
_TAG_NAMES: Final[list[str | None]] = [None] * _BUILTIN_IDS
_ID_FLAGS: Final[list[int]] = [0] * _BUILTIN_IDS
_A_ID: Final = tag_ids(["a"])["a"]
# What the walk needs to know of a tag, as bits of one number looked up once per element (instead of
# a set lookup per question).
_SKIP: Final = 1
_BLOCK: Final = 2
_CONTENT: Final = 4
_FRAME: Final = 8
_CONTEXT: Final = 16
_LIST: Final = 32
_FIGURE: Final = 64


def _tag_flags() -> dict[str, int]:
    flags: dict[str, int] = {}
    for flag, names in (
        (_SKIP, SKIP_TAGS),
        (_BLOCK, BLOCK_TAGS),
        (_CONTENT, CONTENT_TAGS),
        (_FRAME, _FRAME_TAGS),
        (_CONTEXT, _CONTEXT_TAGS),
        (_LIST, _LIST_TAGS),
        (_FIGURE, _FIGURE_TAGS),
    ):
        for name in names:
            flags[name] = flags.get(name, 0) | flag
    return flags


_TAG_FLAGS: Final = _tag_flags()


class _Ctx:
    __slots__ = ("figure", "heading", "hints", "list_kind", "quote")

    def __init__(
        self,
        hints: tuple[int, ...],
        heading: int,
        list_kind: str,
        figure: bool,
        quote: bool,
    ) -> None:
        self.hints = hints
        self.heading = heading
        self.list_kind = list_kind
        self.figure = figure
        self.quote = quote


class _Frame:
    """One open element of the walk: its number, the context and block element to restore and the
    node to go on with after it, the link it is in, its tag's flags. The walk keeps one per depth and
    reuses it (a tuple per element, and a boxed int for each number in it, cost more)."""

    __slots__ = ("after", "ctx", "flags", "href", "idx", "owner")

    def __init__(self, idx: int, ctx: _Ctx, owner: int, after: LexborNode | None, href: str | None, flags: int) -> None:
        self.idx = idx
        self.ctx = ctx
        self.owner = owner
        self.after = after
        self.href = href
        self.flags = flags


def segment(
    root: LexborNode, keep_nodes: dict[int, LexborNode] | None = None, keep_tags: frozenset[str] | None = None
) -> Page:
    """Walk ``root`` once. ``keep_nodes``, when given, receives elements by their number: those of
    ``keep_tags`` (what the typed body reads: images, ``<pre>``), or every element when it is None
    (``sieve inspect`` marks them all up)."""
    tags: list[str] = []
    parents: list[int] = []
    ends: list[int] = []
    hints: dict[int, tuple[Label, float]] = {}
    keys: dict[int, str] = {}
    blocks: list[Block] = []
    key_hints: dict[str, tuple[Label, float] | None] = {}

    parts: list[str] = []
    linked: list[tuple[str, str | None]] = []
    cur: _Ctx | None = None  # context of the text in `parts`
    cur_owner = 0  # and its block element
    brs = 0
    content_open = 0  # how many <article>/<main> elements enclose the walk

    # The walk follows sibling links: a text node costs no stack work; an element with children pushes
    # one frame (its number, the context and block element to restore, where to go on after it).
    frames: list[_Frame] = []  # frames[:depth] are the open elements, the rest kept for reuse
    depth = 0
    node: LexborNode | None = root
    ctx = _Ctx((), 0, "", False, False)
    owner = 0
    href: str | None = None  # the link the walk is inside ("" for a link without href), kept out of ctx
    # because links are the commonest element with children and need nothing else of a context
    while True:
        if node is None:  # the innermost open element has no more children: leave it
            if not depth:
                break
            depth -= 1
            frame = frames[depth]
            leaving = frame.idx
            ctx, owner, node, href = frame.ctx, frame.owner, frame.after, frame.href
            left = frame.flags
            ends[leaving] = len(tags) - 1
            if left & _CONTENT:
                content_open -= 1
            if parts and left & _BLOCK:
                _flush(parts, linked, cur, cur_owner, tags, blocks)
            continue
        tag_id = node.tag_id
        if tag_id == _TEXT_ID:
            if node.is_empty_text_node:  # ASCII whitespace: it only separates words already gathered
                if parts:
                    brs = 0
                    parts.append(" ")
            else:
                text = node.text_content or ""
                if parts:
                    brs = 0
                    parts.append(text)
                    if href is not None:
                        linked.append((text, href))
                elif text and not text.isspace():
                    brs = 0
                    cur, cur_owner = ctx, owner
                    parts.append(text)
                    if href is not None:
                        linked.append((text, href))
            node = node.next
            continue
        tag = _TAG_NAMES[tag_id] if tag_id < _BUILTIN_IDS else None
        if tag is not None:
            flags = _ID_FLAGS[tag_id]
        else:
            tag = node.tag
            if tag is None:
                node = node.next
                continue
            flags = _TAG_FLAGS.get(tag, 0)
            if tag_id < _BUILTIN_IDS:  # lists: an index costs less than a dict lookup
                _TAG_NAMES[tag_id], _ID_FLAGS[tag_id] = tag, flags
        if flags & _SKIP or tag[0] == "-":
            node = node.next
            continue
        if tag == "br":
            brs += 1
            if brs >= 2:
                if parts:
                    _flush(parts, linked, cur, cur_owner, tags, blocks)
            elif parts:
                parts.append("\n")
            node = node.next
            continue
        idx = len(tags)
        after = node.next if idx else None  # the root's siblings are not part of the walk
        tags.append(tag)
        if keep_nodes is not None and (keep_tags is None or tag in keep_tags):
            keep_nodes[idx] = node
        parents.append(owner if idx else -1)  # nearest block-level ancestor
        ends.append(idx)
        new = ctx
        new_owner = owner
        new_href = href
        if flags & _BLOCK:
            attrs = node.attributes
            if attrs:
                style = attrs.get("style")
                if "hidden" in attrs or (style and _HIDDEN.search(style)):
                    tags.pop()
                    parents.pop()
                    ends.pop()
                    if keep_nodes is not None:
                        keep_nodes.pop(idx, None)
                    node = after
                    continue
                cls, ident, role, prop = attrs.get("class"), attrs.get("id"), attrs.get("role"), attrs.get("itemprop")
            else:
                cls = ident = role = prop = None
            if parts:
                _flush(parts, linked, cur, cur_owner, tags, blocks)
            brs = 0
            hint = None
            if cls or ident or role or prop:
                key = f"{tag}.{cls or ''} #{ident or ''} @{role or ''} ~{prop or ''}"
                keys[idx] = key
                if key in key_hints:  # a page repeats its keys (list items, cards)
                    hint = key_hints[key]
                else:
                    hint = key_hints[key] = markup_hint(key)
            if hint is None:
                hint = TAG_HINTS.get(tag)
            if flags & _FRAME and (tag == "nav" or not content_open):
                # a menu or the page footer: one block, its text and links gathered in C
                hints[idx] = hint or TAG_HINTS[tag]
                blocks.append(_frame_block(node, len(blocks), idx, tag, (*ctx.hints, idx)))
                node = after
                continue
            new_owner = idx
            if hint is not None or flags & _CONTEXT:
                new = _Ctx(
                    ctx.hints,
                    HEADING_TAGS.get(tag, ctx.heading),
                    ("ol" if tag == "ol" else "ul") if flags & _LIST else ctx.list_kind,
                    ctx.figure or bool(flags & _FIGURE),
                    ctx.quote or tag == "blockquote",
                )
                if hint is not None:
                    hints[idx] = hint
                    new.hints = (*ctx.hints, idx)
        elif tag == "a":
            anchor = node.attrs
            target = anchor.get("href")
            if target is not None or "name" not in anchor:
                new_href = target or ""
            # else a named anchor (<a name=…>, no href): a jump target, not a link. Old pages leave it
            # unclosed, and the parser then wraps all the text after it: that text is not linked.
        child = node.first_child
        if child is None:
            node = after  # an empty element: nothing inside to walk or to close
            continue
        if flags & _CONTENT:
            content_open += 1
        if depth < len(frames):
            frame = frames[depth]
            frame.idx = idx
            frame.ctx = ctx
            frame.owner = owner
            frame.after = after
            frame.href = href
            frame.flags = flags
        else:
            frames.append(_Frame(idx, ctx, owner, after, href, flags))
        depth += 1
        ctx, owner, href = new, new_owner, new_href
        node = child
    if parts:
        _flush(parts, linked, cur, cur_owner, tags, blocks)
    return Page(blocks, tags, parents, ends, hints, keys)


def squash(text: str) -> str:
    """``text`` with its whitespace runs made single spaces and its ends stripped: ``" ".join(text.split())``.

    Most blocks need nothing done (their text is one source line): a printable string (every whitespace
    character but the space is unprintable) with no double, leading or trailing space is returned as
    it is, and most others only need their ends stripped, without making a string of every word. The
    ends go first (``strip`` returns the text itself when they hold no whitespace, and every whitespace
    character but the space is unprintable), so the text is scanned once either way."""
    stripped = text.strip()  # most blocks that need anything only have whitespace at their ends (indentation)
    if _IS_PRINTABLE(stripped) and "  " not in stripped:
        return stripped
    return " ".join(stripped.split())


def _flush(
    parts: list[str],
    linked: list[tuple[str, str | None]],
    ctx: _Ctx | None,
    owner: int,
    tags: list[str],
    blocks: list[Block],
) -> None:
    """End the block being gathered: its text (``parts``, with its links) becomes a block if it holds any,
    and both lists are emptied for the next one."""
    if ctx is not None:
        _add_block(parts, linked, ctx, owner, tags[owner], blocks)
    parts.clear()
    linked.clear()


def _add_block(
    parts: list[str], linked: list[tuple[str, str | None]], ctx: _Ctx, owner: int, tag: str, blocks: list[Block]
) -> None:
    """The text gathered in ``parts`` (with its links) as one block, if it holds any."""
    text = squash("".join(parts))
    if not text:
        return
    if len(text) > MAX_BLOCK_CHARS:
        text = text[:MAX_BLOCK_CHARS]
    link_chars = 0
    links: list[tuple[str, str | None]] = []
    if linked:  # most blocks hold no link
        runs: list[tuple[list[str], str | None]] = []  # consecutive pieces with one href join once
        for ltext, href in linked:
            ltext = squash(ltext)
            if not ltext:
                continue
            link_chars += len(ltext) + 1
            if runs and runs[-1][1] == href:
                runs[-1][0].append(ltext)
            else:
                runs.append(([ltext], href))
        links = [(" ".join(pieces), href) for pieces, href in runs]
    chars = len(text)
    if link_chars > chars:
        link_chars = chars
    blocks.append(
        Block(
            len(blocks),
            text,
            owner,
            tag,
            link_chars,
            links,
            ctx.heading,
            ctx.list_kind,
            ctx.figure,
            ctx.quote,
            ctx.hints,
            chars,
            link_chars / chars,
        )
    )


def _anchor_text(anchor: LexborNode) -> str:
    """``anchor.text(deep=True, separator=" ")``; most menu links hold one text node (their inline
    formatting was unwrapped and merged), read without building a text container."""
    child = anchor.first_child
    if child is not None and child.tag_id == _TEXT_ID and child.next is None:
        return child.text_content or ""
    return anchor.text(deep=True, separator=" ")


def _frame_block(node: LexborNode, index: int, owner: int, tag: str, hints: tuple[int, ...]) -> Block:
    """A whole ``<nav>`` or page ``<footer>`` as one block: no Python walk over its subtree."""
    text = squash(node.text(deep=True, separator=" "))[:MAX_BLOCK_CHARS]
    links: list[tuple[str, str | None]] = []
    link_chars = 0
    for anchor in node.traverse():  # its elements in document order (a CSS query costs more here)
        if anchor.tag_id != _A_ID:
            continue
        ltext = squash(_anchor_text(anchor))
        if ltext:
            links.append((ltext, anchor.attrs.get("href") or ""))
            link_chars += len(ltext) + 1
    chars = len(text)
    link_chars = min(link_chars, chars)
    density = link_chars / chars if chars else 0.0
    return Block(index, text, owner, tag, link_chars, links, 0, "", False, False, hints, chars, density)
