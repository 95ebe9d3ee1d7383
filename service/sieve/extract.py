"""One raw page in, one clean :class:`~sieve.contracts.Article` out.

decode -> parse -> metadata -> segment -> classify -> assemble. No Kafka here.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sieve import prune
from sieve.classify import Classifier
from sieve.contracts import (
    BODY_FORMATS,
    BOILERPLATE_LABELS,
    DEFAULT_BODY_FORMATS,
    Article,
    ErrorKind,
    ExtractionError,
    ExtractorInfo,
    Image,
    Label,
    LinkItem,
    PageType,
)
from sieve.dates import parse_date
from sieve.decode import decode
from sieve.enrich import enrich
from sieve.lexicon import BYLINE_TEXT, CREDIT_TEXT, heading_label
from sieve.media import Embed, keep_media
from sieve.metadata import Metadata, Resolver, absolute, read_metadata
from sieve.pagetype import count_words, counts, page_type
from sieve.segment import Block, Page, segment
from sieve.structure import build_body, paragraphs_of
from sieve.version import __version__

# Enum members as module globals: ``Label.BODY`` is a metaclass lookup (~60 ns on Python 3.11).
_BODY = Label.BODY
_BYLINE = Label.BYLINE
_CAPTION = Label.CAPTION
_DATELINE = Label.DATELINE
_HEADLINE = Label.HEADLINE
_TAGS = Label.TAGS

MAX_INPUT_BYTES = 16 * 1024 * 1024
_LABEL_NAMES = {label: label.value for label in Label}  # enum .value is a slow descriptor
_TITLE_SPLIT = re.compile(r"\s+(?:[|–—»·:]|-|::)\s+")
_BY_PREFIX = re.compile(r"^(?:by|written by|story by|words by|reporting by|von|por|par|di)\s+", re.IGNORECASE)
#: "Jane Doe Gazette-Tribune Staff Writer": the organisation and role after a name.
_ROLE = re.compile(
    r"\s+(?:[\w.-]+\s+)?(?:staff|senior|chief|special|contributing|political|national)?\s*"
    r"(?:writer|reporter|correspondent|editor|columnist|contributor|photographer)s?\b.*$",
    re.IGNORECASE,
)
_DATE_IN_BYLINE = re.compile(
    r"(?:\s+[-–—|•·]\s*|\s*[,|]\s*|\s+(?:on|updated|published|posted)\b).*?\d.*$", re.IGNORECASE
)


@dataclass(slots=True)
class Analysis:
    """Everything one extraction computed; ``sieve inspect`` shows it."""

    html: str
    tree: LexborHTMLParser
    meta: Metadata
    page: Page
    blocks: list[Block]
    embeds: list[Embed] = field(default_factory=list)  # media replaced by placeholders (media.py)
    nodes: list[LexborNode] = field(default_factory=list)  # elements by number, when kept
    main: int = 0  # the classifier's main region (an element number)


def analyse(
    html: str | bytes,
    *,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    keep_nodes: list[LexborNode] | None = None,
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
    _check_depth(text, data.count(b"<"))
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
    page = segment(root, keep_nodes)
    classifier = Classifier(page, title=meta.title, article_body=meta.article_body)
    blocks = classifier.classify()
    return Analysis(text, tree, meta, page, blocks, embeds, keep_nodes or [], classifier.main)


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
    wanted = body_formats(formats)
    analysis = analyse(html, url=url, headers=headers, keep_nodes=[])
    return assemble(analysis, url=url, started=started, formats=wanted)


def body_formats(formats: Iterable[str] | str) -> frozenset[str]:
    """Validated body formats ("text,markdown" or an iterable of names)."""
    names = formats.split(",") if isinstance(formats, str) else list(formats)
    wanted = frozenset(n.strip().lower() for n in names if n.strip())
    unknown = wanted - BODY_FORMATS
    if unknown:
        raise ValueError(f"unknown body format(s) {sorted(unknown)}; choose from {sorted(BODY_FORMATS)}")
    return wanted


def _stable_id(canonical: str | None, url: str | None, content_hash: str) -> str:
    key = _normalise_url(canonical or url) or content_hash
    return hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()


def _normalise_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def _authors(meta: Metadata, blocks: list[Block]) -> list[str]:
    names = list(meta.authors)
    if not names:
        for block in blocks:
            if block.label is _BYLINE and BYLINE_TEXT.match(block.text):
                name = _DATE_IN_BYLINE.sub("", _ROLE.sub("", _BY_PREFIX.sub("", block.text[:150])))
                names.extend(n.strip() for n in re.split(r"\s*(?:,|\band\b|&)\s*", name) if n.strip())
                break
    seen: set[str] = set()
    unique = []
    for name in names:
        key = name.casefold()
        if key not in seen and len(name) < 80:
            seen.add(key)
            unique.append(name)
    return unique


def _lead_image(meta: Metadata, blocks: list[Block], url: str | None) -> Image | None:
    caption = credit = None
    for block in blocks:
        if block.label is _CAPTION:
            caption = block.text
            match = CREDIT_TEXT.search(caption)
            if match:
                credit = match.group(0).strip().strip("()").strip()
            break
        if block.label is _BODY:
            break
    if not (meta.image_url or caption):
        return None
    return Image(url=absolute(meta.image_url, url), caption=caption or meta.image_caption, credit=credit)


def _boilerplate(blocks: list[Block], url: str | None) -> dict[str, list[LinkItem]]:
    resolve = Resolver(url)
    out: dict[str, dict[tuple[str, str | None], LinkItem]] = {}  # per label, its items by (text, href)
    for block in blocks:
        if block.label not in BOILERPLATE_LABELS:
            continue
        links = block.links
        if not links:
            if heading_label(block.text) is not None:
                continue  # the list's own heading ("Most Popular") is not one of its items
            links = [(block.text, None)]
        items = out.setdefault(_LABEL_NAMES[block.label], {})
        for key in links:
            text, href = key
            if not text or key in items:
                continue
            items[key] = LinkItem(text, resolve(href) if href else None)
    return {name: list(items.values()) for name, items in out.items() if items}


def _site(canonical: str | None, url: str | None, meta: Metadata) -> str | None:
    for candidate in (canonical, url):
        if candidate:
            host = urlsplit(candidate).hostname
            if host:
                return host.removeprefix("www.")
    return meta.site_name


def assemble(
    analysis: Analysis, *, url: str | None, started: float, formats: frozenset[str] = frozenset(DEFAULT_BODY_FORMATS)
) -> Article:
    meta, blocks = analysis.meta, analysis.blocks
    body = build_body(analysis, url)  # typed blocks (structure.py); paragraphs and text come from them
    paragraphs = paragraphs_of(body.blocks)
    text = "\n\n".join(paragraphs)
    counted = counts(blocks)
    words = len(text.split())  # word_count: whitespace-separated words (docs/events.md)
    kind, reason = page_type(meta, blocks, text, canonical_url_or(meta, url), counted, count_words(text, words))
    if kind not in (PageType.ARTICLE, PageType.VIDEO):
        paragraphs, text = [], ""  # a listing or error page has no article body to hand on
        body.blocks, body.images, body.videos, body.links = [], [], [], []
    content_hash = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    headline = _headline(meta, blocks)
    tags = meta.tags or [t for b in blocks if b.label is _TAGS for t, _href in b.links]
    canonical = meta.canonical_url
    lead = _lead_image(meta, blocks, url)
    more = enrich(analysis, body, kind=kind, text=text, url=url, lead=lead, formats=formats, counted=counted)
    return Article(
        id=_stable_id(canonical, url, content_hash),
        url=url,
        canonical_url=canonical,
        site=_site(canonical, url, meta),
        page_type=kind,
        reason=reason,
        title=headline or meta.title,
        description=meta.description,
        authors=_authors(meta, blocks),
        published_at=meta.published_at or _date_from_blocks(blocks),
        modified_at=meta.modified_at,
        section=meta.section,
        tags=list(dict.fromkeys(tags)),
        language=more.language,
        image=lead,
        paragraphs=paragraphs,
        text=text,
        word_count=words if text else 0,
        content_hash=content_hash,
        boilerplate=_boilerplate(blocks, url),
        extractor=ExtractorInfo(version=__version__, ms=round((time.perf_counter() - started) * 1000, 3)),
        page_type_confidence=more.confidence,
        blocks=body.blocks if "blocks" in formats else None,
        markdown=more.markdown,
        html=more.html,
        images=body.images,
        videos=body.videos,
        links=body.links,
        breadcrumbs=more.breadcrumbs,
        article_list=more.article_list,
        quality=more.quality,
    )


def canonical_url_or(meta: Metadata, url: str | None) -> str | None:
    return meta.canonical_url or url


def _headline(meta: Metadata, blocks: list[Block]) -> str | None:
    """The headline block's text; when that block runs on into a subtitle, the title's part it starts with."""
    block = next((b.text for b in blocks if b.label is _HEADLINE), None)
    if block is None or not meta.title:
        return block or meta.title
    words = _words(block)
    if words == _words(meta.title):
        return block
    for part in sorted(_TITLE_SPLIT.split(meta.title), key=len, reverse=True):
        if len(_words(part)) >= 4 and words[: len(_words(part))] == _words(part):
            return part.strip()
    return block


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _date_from_blocks(blocks: list[Block]) -> str | None:
    for block in blocks:
        if block.label in (_BYLINE, _DATELINE):
            found = parse_date(block.text)
            if found:
                return found
    return None
