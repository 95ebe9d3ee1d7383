"""The article event from an analysed page: its fields, its body and its boilerplate lists.

:mod:`sieve.extract` parses and classifies (:class:`Analysis`); this module only reads what that
found. No Kafka here, no parsing.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sieve.blocks import Block, Page
from sieve.contracts import (
    BOILERPLATE_LABELS,
    DEFAULT_BODY_FORMATS,
    Article,
    ExtractorInfo,
    Image,
    Label,
    LinkItem,
    PageType,
)
from sieve.dates import parse_date
from sieve.enrich import enrich
from sieve.lexicon import BYLINE_TEXT, CREDIT_TEXT, heading_label
from sieve.media import Embed
from sieve.metadata import Metadata, Resolver, absolute, split_names
from sieve.pagetype import count_words, counts, page_type, spaced_words
from sieve.structure import build_body, paragraphs_of
from sieve.urls import host
from sieve.version import __version__

# Enum members as module globals: ``Label.BODY`` is a metaclass lookup (~60 ns on Python 3.11).
_BODY: Final = Label.BODY
_BYLINE: Final = Label.BYLINE
_CAPTION: Final = Label.CAPTION
_DATELINE: Final = Label.DATELINE
_HEADLINE: Final = Label.HEADLINE
_TAGS: Final = Label.TAGS

_LABEL_NAMES: Final = {label: label.value for label in Label}  # enum .value is a slow descriptor
_TITLE_SPLIT: Final = re.compile(r"\s+(?:[|–—»·:]|-|::)\s+")
_BY_PREFIX: Final = re.compile(r"^(?:by|written by|story by|words by|reporting by|von|por|par|di)\s+", re.IGNORECASE)
#: "Jane Doe Gazette-Tribune Staff Writer": the organisation and role after a name.
_ROLE: Final = re.compile(
    r"\s+(?:[\w.-]+\s+)?(?:staff|senior|chief|special|contributing|political|national)?\s*"
    r"(?:writer|reporter|correspondent|editor|columnist|contributor|photographer)s?\b.*$",
    re.IGNORECASE,
)
_DATE_IN_BYLINE: Final = re.compile(
    r"(?:\s+[-–—|•·]\s*|\s*[,|]\s*|\s+(?:on|updated|published|posted)\b).*?\d.*$", re.IGNORECASE
)
_WORD: Final = re.compile(r"\w+")


@dataclass(slots=True)
class Analysis:
    """Everything one extraction computed; ``sieve inspect`` shows it."""

    html: str
    tree: LexborHTMLParser
    meta: Metadata
    page: Page
    blocks: list[Block]
    embeds: list[Embed] = field(default_factory=list)  # media replaced by placeholders (media.py)
    nodes: dict[int, LexborNode] = field(default_factory=dict)  # elements by number, when kept
    main: int = 0  # the classifier's main region (an element number)


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
                names.extend(split_names(name))
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
    out: dict[str, list[LinkItem]] = {}  # per label, its items
    # per label, the (text, href) keys of its items: a set's add, then its length, hashes a key once
    # (``key in items`` and then ``items[key] = ...`` hashed each key twice)
    seen: dict[str, set[tuple[str, str | None]]] = {}
    for block in blocks:
        if block.label not in BOILERPLATE_LABELS:
            continue
        links = block.links
        if not links:
            if heading_label(block.text) is not None:
                continue  # the list's own heading ("Most Popular") is not one of its items
            links = [(block.text, None)]
        name = _LABEL_NAMES[block.label]
        items = out.get(name)
        if items is None:
            items = out[name] = []
            keys = seen[name] = set()
        else:
            keys = seen[name]
        for key in links:
            text, href = key
            if not text:
                continue
            known = len(keys)
            keys.add(key)
            if len(keys) > known:
                items.append(_link_item(text, resolve.__call__(href) if href else None))
    return {name: items for name, items in out.items() if items}


_NEW: Final = object.__new__  # looked up once: compiled, ``object.__new__`` is a builtins lookup and a getattr per call


def _link_item(text: str, href: str | None) -> LinkItem:
    """``LinkItem(text, href)``, its fields set as its frozen dataclass's ``__init__`` sets them, without
    running that ``__init__`` as interpreted Python (contracts.py stays pure): pages list ~80 of them."""
    item: LinkItem = _NEW(LinkItem)
    object.__setattr__(item, "text", text)
    object.__setattr__(item, "href", href)
    return item


def _site(canonical: str | None, url: str | None, meta: Metadata) -> str | None:
    for candidate in (canonical, url):
        name = host(candidate)  # "" for none, or for a URL urlsplit refuses ("http://[bad"): never an error
        if name:
            return name
    return meta.site_name


def assemble(
    analysis: Analysis, *, url: str | None, started: float, formats: frozenset[str] = frozenset(DEFAULT_BODY_FORMATS)
) -> Article:
    meta, blocks = analysis.meta, analysis.blocks
    body = build_body(analysis, url)  # typed blocks (structure.py); paragraphs and text come from them
    paragraphs = paragraphs_of(body.blocks)
    text = "\n\n".join(paragraphs)
    counted = counts(blocks)
    words = spaced_words(paragraphs)  # word_count: whitespace-separated words (docs/events.md)
    counted_words = count_words(text, words)  # CJK characters count one each (pagetype.py)
    kind, reason = page_type(meta, blocks, text, canonical_url_or(meta, url), counted, counted_words)
    if kind not in (PageType.ARTICLE, PageType.VIDEO):
        paragraphs, text, counted_words = [], "", 0  # a listing or error page has no article body to hand on
        body.blocks, body.images, body.videos, body.links = [], [], [], []
    content_hash = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    headline = _headline(meta, blocks)
    tags = meta.tags or [t for b in blocks if b.label is _TAGS for t, _href in b.links]
    canonical = meta.canonical_url
    lead = _lead_image(meta, blocks, url)
    more = enrich(
        analysis, body, kind=kind, text=text, url=url, lead=lead, formats=formats, counted=counted, words=counted_words
    )
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
    return _WORD.findall(text.casefold())


def _date_from_blocks(blocks: list[Block]) -> str | None:
    for block in blocks:
        if block.label in (_BYLINE, _DATELINE):
            found = parse_date(block.text)
            if found:
                return found
    return None
