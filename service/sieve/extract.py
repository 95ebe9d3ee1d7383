"""One raw page in, one clean :class:`~sieve.contracts.Article` out.

decode -> parse -> metadata -> segment -> classify, then :mod:`sieve.assemble` builds the event.
No Kafka here.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sieve import prune
from sieve.assemble import Analysis, assemble
from sieve.classify import Classifier
from sieve.contracts import BODY_FORMATS, DEFAULT_BODY_FORMATS, Article, ErrorKind, ExtractionError
from sieve.decode import decode
from sieve.diagnostics import strip_server_errors
from sieve.media import keep_media
from sieve.metadata import read_metadata
from sieve.pagetype import weigh_unspaced
from sieve.segment import segment
from sieve.structure import NODE_TAGS

__all__ = ["MAX_INPUT_BYTES", "Analysis", "analyse", "assemble", "body_formats", "extract"]

MAX_INPUT_BYTES = 16 * 1024 * 1024


def analyse(
    html: str | bytes,
    *,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    keep_nodes: dict[int, LexborNode] | None = None,
    keep_tags: frozenset[str] | None = None,
) -> Analysis:
    if isinstance(html, (bytes, bytearray, memoryview)):
        data = bytes(html)
        if len(data) > MAX_INPUT_BYTES:
            raise ExtractionError(ErrorKind.TOO_LARGE, f"page is {len(data):,} bytes; the limit is {MAX_INPUT_BYTES:,}")
        text, _encoding = decode(data, headers)
    elif isinstance(html, str):
        if len(html) > MAX_INPUT_BYTES:
            raise ExtractionError(
                ErrorKind.TOO_LARGE, f"page is {len(html):,} characters; the limit is {MAX_INPUT_BYTES:,}"
            )
        text = html
    else:
        raise ExtractionError(ErrorKind.BAD_INPUT, f"html must be str or bytes, not {type(html).__name__}")
    if not text or text.isspace():
        raise ExtractionError(ErrorKind.EMPTY, "the page is empty")
    # The parser is given the UTF-8 bytes it would make of the text itself (selectolax encodes with
    # errors="ignore"); scanning bytes for "<" and NUL is far cheaper than scanning a UCS-2 str.
    data = text.encode("utf-8", "ignore")
    # How many "<" the page holds, as the bytes a copy without them lacks: the copy finds them with
    # memchr, where bytes.count tests every byte (about half the time on the dev pages).
    _check_depth(text, len(data) - len(data.replace(b"<", b"")))
    if b"\x00" in data:
        text = text.replace("\x00", "\ufffd")
        data = text.encode("utf-8", "ignore")
    tree = LexborHTMLParser(data)
    found = prune.find(tree)  # one pass over the elements for the three steps below
    meta = read_metadata(tree, url, found.meta)
    freed: set[int] = set()
    embeds = keep_media(tree, found.media, freed)  # <picture>, <video>, <iframe>… go, leaving a placeholder <img>
    prune.clean(found.clean, freed, len(text))  # scripts, styles, SVG... go; inline formatting is unwrapped
    tree.merge_text_nodes()
    root = tree.body or tree.root
    if root is None:
        raise ExtractionError(ErrorKind.NOT_HTML, "no document could be parsed from the input")
    page = segment(root, keep_nodes, keep_tags)
    strip_server_errors(page.blocks)  # PHP warnings printed into the page
    weigh_unspaced(page.blocks)  # Chinese/Japanese: lengths in Latin-script terms
    classifier = Classifier(page, title=meta.title, article_body=meta.article_body, urls=(url, meta.canonical_url))
    blocks = classifier.classify()
    return Analysis(text, tree, meta, page, blocks, embeds, keep_nodes or {}, classifier.main)


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(/?)>")
#: Void elements, and elements whose end tag may be left out (they never nest in practice).
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li dt dd tr td th option optgroup thead tbody tfoot colgroup rb rt rp".split()
)
MAX_DEPTH = 5_000
_DEPTH_CHECK_TAGS = 5_000


def _check_depth(text: str, tags: int) -> None:
    """Refuse absurd nesting before the parser sees it (its tree building slows quadratically with
    depth: 100,000 nested divs take ~20 s). Only pages with many tags (``tags``: how many "<" the
    page holds) pay for the scan."""
    if tags < _DEPTH_CHECK_TAGS:
        return
    depth = deepest = 0
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.groups()
        if closing:
            depth = max(depth - 1, 0)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    raise ExtractionError(ErrorKind.TOO_DEEP, f"elements nest deeper than {MAX_DEPTH:,} levels")


def extract(
    html: str | bytes,
    *,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    formats: Iterable[str] = DEFAULT_BODY_FORMATS,
) -> Article:
    """Extract the article event of one page. Raises ExtractionError only for unusable input.

    ``formats`` says which body formats the event carries besides ``paragraphs``/``text`` (always
    there): any of ``blocks``, ``markdown``, ``html`` (see docs/events.md)."""
    started = time.perf_counter()
    wanted = _DEFAULT_FORMATS if formats is DEFAULT_BODY_FORMATS else body_formats(formats)
    analysis = analyse(html, url=url, headers=headers, keep_nodes={}, keep_tags=NODE_TAGS)
    return assemble(analysis, url=url, started=started, formats=wanted)


def body_formats(formats: Iterable[str] | str) -> frozenset[str]:
    """Validated body formats ("text,markdown" or an iterable of names)."""
    names = formats.split(",") if isinstance(formats, str) else list(formats)
    wanted = frozenset(n.strip().lower() for n in names if n.strip())
    unknown = wanted - BODY_FORMATS
    if unknown:
        raise ValueError(f"unknown body format(s) {sorted(unknown)}; choose from {sorted(BODY_FORMATS)}")
    return wanted


_DEFAULT_FORMATS = body_formats(DEFAULT_BODY_FORMATS)
