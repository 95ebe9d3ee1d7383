"""The parse tree before the walk: what is read first, what goes, what melts into the text around it.

One pass over the elements (selectolax's ``traverse`` in C, each element tested by its lexbor tag
id) finds them all. It replaces three CSS queries: every query of the whole tree costs about a
quarter of the parse however simple its selector, and a list of 41 type selectors about half.

* *meta*: JSON-LD scripts, ``<meta content>``, ``<title>`` and ``<link rel=canonical>`` for
  :mod:`sieve.metadata`; *media*: the media elements :mod:`sieve.media` turns into placeholders;
* *clean*: elements whose subtree goes (scripts, styles, SVG, form controls...: the walk never
  visits them) and inline formatting that is unwrapped (its text joins the text around it; links
  stay, link density needs them).
"""

from __future__ import annotations

from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sieve.media import MEDIA_TAGS

#: Removed with everything inside them (picture, video, audio, iframe, embed, object: media.py
#: removes those, after noting them).
STRIP_TAGS: Final = (
    # rt/rp: ruby annotations (the reading of a Japanese/Chinese word printed above it), not text
    "script style noscript template svg math canvas select textarea button map rt rp".split()
)
#: Inline formatting whose text belongs to the block around it.
INLINE_TAGS: Final = (
    "span em strong b i u font small abbr cite sup sub mark q time s strike big tt code kbd var dfn "
    "bdi bdo ins del label nobr wbr".split()
)
_READ_TAGS: Final = ("script", "meta", "title", "link")
_LD_TYPE: Final = "application/ld+json"


def tag_ids(names: list[str] | tuple[str, ...]) -> dict[str, int]:
    """lexbor's tag id of each name, read off a parsed probe (no constant copied from its headers)."""
    probe = LexborHTMLParser("<html><body>" + "".join(f"<{n}></{n}>" for n in names) + "</body></html>")
    found = {n.tag: n.tag_id for n in probe.root.traverse()} if probe.root is not None else {}
    missing = [n for n in names if n not in found]
    if missing:  # pragma: no cover - only a different lexbor could do this
        raise RuntimeError(f"no tag id for {missing}")
    return {n: found[n] for n in names}


_IDS: Final = tag_ids([*STRIP_TAGS, *INLINE_TAGS, *_READ_TAGS, *MEDIA_TAGS, "p"])
_STRIP_IDS: Final = frozenset(_IDS[n] for n in STRIP_TAGS)
_CLEAN_IDS: Final = frozenset(_IDS[n] for n in (*STRIP_TAGS, *INLINE_TAGS))
_MEDIA_IDS: Final = frozenset(_IDS[n] for n in MEDIA_TAGS)
SCRIPT_ID: Final = _IDS["script"]
META_ID: Final = _IDS["meta"]
TITLE_ID: Final = _IDS["title"]
LINK_ID: Final = _IDS["link"]
_NOSCRIPT: Final = _IDS["noscript"]
_P: Final = _IDS["p"]
_LOOK_IDS: Final = _CLEAN_IDS | _MEDIA_IDS | {META_ID, TITLE_ID, LINK_ID}
#: What ``find`` does with an element, by tag id (a list index costs less than a set lookup of a boxed
#: int per element). Only lexbor's built-in tags are looked for; a custom element's id is larger.
_CLEAN: Final = 1
_MEDIA: Final = 2
_READ: Final = 3


def _kinds() -> list[int]:
    kinds = [0] * (max(_LOOK_IDS) + 1)
    for tag_id in _LOOK_IDS:
        kinds[tag_id] = _CLEAN if tag_id in _CLEAN_IDS else _MEDIA if tag_id in _MEDIA_IDS else _READ
    return kinds


_KINDS: Final = _kinds()
_MAX_KIND_ID: Final = len(_KINDS)


class Found:
    """The elements of one page that the steps before the walk act on, each list in document order
    (a plain class: compiled, its ``__init__`` is native; a dataclass's would stay Python)."""

    __slots__ = ("clean", "media", "meta")

    def __init__(self) -> None:
        self.meta: list[LexborNode] = []  # for metadata.read_metadata
        self.media: list[LexborNode] = []  # for media.keep_media
        self.clean: list[LexborNode] = []  # for clean()


def find(tree: LexborHTMLParser) -> Found:
    """Every element metadata, media and clean-up need, from one pass over the tree.

    Matches what these CSS selectors would: ``script[type="application/ld+json"]``, ``meta[content]``,
    ``title``, ``link[rel="canonical"]`` (HTML compares ``type`` and ``rel`` values without case),
    the media tags, and the strip and inline tags."""
    found = Found()
    root = tree.root
    if root is None:
        return found
    meta, media, clean = found.meta, found.media, found.clean
    for node in root.traverse():
        tag_id: int = node.tag_id
        if tag_id >= _MAX_KIND_ID:
            continue
        kind = _KINDS[tag_id]
        if not kind:
            continue
        if kind == _CLEAN:
            clean.append(node)
            if tag_id == SCRIPT_ID and (node.attrs.get("type") or "").lower() == _LD_TYPE:
                meta.append(node)
        elif kind == _MEDIA:
            media.append(node)
        elif tag_id == TITLE_ID:
            meta.append(node)
        elif tag_id == META_ID:
            if "content" in node.attrs:
                meta.append(node)
        elif (node.attrs.get("rel") or "").lower() == "canonical":  # a <link>
            meta.append(node)
    return found


def clean(nodes: list[LexborNode], freed: set[int], page_chars: int = 0) -> None:
    """Remove the strip elements and unwrap the inline ones. Last first: a node's descendants come
    after it in document order, so they are handled before it and no freed node is touched; ``freed``
    holds the ``mem_id`` of nodes already freed (inside media elements removed by media.py).

    A ``<noscript>`` holding most of the page (``page_chars``: the length of its HTML) is unwrapped, not
    removed: browsers run scripts, and for them a noscript's content is raw text that ends at the
    first ``</noscript>``; the parser (scripting off) lets an element left open in it swallow the page.
    So is a ``<noscript>`` holding paragraphs of prose (``<p>`` children): it is the text itself for readers without
    scripts, whose script copy (a ``<script type="text/template">`` a script renders) is removed."""
    for node in reversed(nodes):
        if freed and node.mem_id in freed:
            continue
        tag_id = node.tag_id
        if tag_id in _STRIP_IDS:
            if tag_id == _NOSCRIPT and ((page_chars and _swallows_page(node, page_chars)) or _holds_prose(node)):
                node.unwrap()
            else:
                node.decompose()
        else:
            node.unwrap()


def _swallows_page(node: LexborNode, page_chars: int) -> bool:
    """Does this noscript hold more than half the page? (Its own text first: a real fallback is small.)"""
    return len(node.text(deep=True)) > 2_000 and len(node.html or "") > page_chars // 2


def _holds_prose(node: LexborNode) -> bool:
    """Does this noscript hold paragraphs of prose, two ``<p>`` of its own and 300 characters? (Tracking
    pixels, lazy-image copies and "enable JavaScript" notes do not.) Its children are walked, not its
    HTML serialised: most noscripts hold one ``<img>`` or ``<iframe>``, and this runs for each."""
    paragraphs = 0
    child = node.child  # most noscripts hold one <img> or <iframe>: one step
    while child is not None:
        if child.tag_id == _P:
            paragraphs += 1
            if paragraphs == 2:
                return len(node.text(deep=True)) > 300
        child = child.next
    return False
