"""The data contracts of the extraction core: block labels, the article event, and error kinds.

Field names of :class:`Article` are a contract with downstream consumers of ``articles.clean``;
see ``docs/events.md``. Nothing here imports a parser or Kafka.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields
from typing import Any

import orjson


class Label(enum.StrEnum):
    """What a block of a page is. Everything except the content labels is boilerplate."""

    BODY = "body"
    HEADLINE = "headline"
    BYLINE = "byline"
    DATELINE = "dateline"
    CAPTION = "caption"
    TAGS = "tags"
    TRENDING = "trending"
    JUST_IN = "just_in"
    SEE_ALL = "see_all"
    TOP_STORIES = "top_stories"
    MOST_POPULAR = "most_popular"
    VIDEO = "video"
    SPONSORED = "sponsored"
    RELATED = "related"
    NEWSLETTER = "newsletter"
    SHARE = "share"
    COMMENTS = "comments"
    NAV = "nav"
    FOOTER = "footer"
    AD = "ad"
    OTHER = "other"


#: Labels that describe the article itself rather than the page around it.
CONTENT_LABELS = frozenset({Label.BODY, Label.HEADLINE, Label.BYLINE, Label.DATELINE, Label.CAPTION, Label.TAGS})
#: Labels whose link items are reported in ``Article.boilerplate``.
BOILERPLATE_LABELS = frozenset(set(Label) - CONTENT_LABELS - {Label.OTHER})


class PageType(enum.StrEnum):
    ARTICLE = "article"
    SECTION_FRONT = "section_front"
    VIDEO = "video"
    ERROR = "error"
    EMPTY = "empty"


class ErrorKind(enum.StrEnum):
    """Why a page could not be turned into an event at all (never raised for merely poor pages)."""

    EMPTY = "empty_input"
    TOO_LARGE = "too_large"
    TOO_DEEP = "too_deep"
    NOT_HTML = "not_html"
    BAD_INPUT = "bad_input"


class ExtractionError(ValueError):
    """A page that cannot be extracted; ``kind`` is one of :class:`ErrorKind`."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True, slots=True)
class LinkItem:
    text: str
    href: str | None


@dataclass(frozen=True, slots=True)
class Image:
    url: str | None = None
    caption: str | None = None
    credit: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractorInfo:
    version: str
    ms: float


@dataclass(frozen=True, slots=True)
class Article:
    """One clean article event. ``to_dict``/``to_json`` give the wire form."""

    id: str
    url: str | None
    canonical_url: str | None
    site: str | None
    page_type: str
    reason: str | None
    title: str | None
    description: str | None
    authors: list[str]
    published_at: str | None
    modified_at: str | None
    section: str | None
    tags: list[str]
    language: str | None
    image: Image | None
    paragraphs: list[str]
    text: str
    word_count: int
    content_hash: str
    boilerplate: dict[str, list[LinkItem]]
    extractor: ExtractorInfo
    page_type_confidence: float = 1.0
    blocks: list[dict[str, Any]] | None = None  # None: not among the event's body formats
    markdown: str | None = None
    html: str | None = None
    images: list[dict[str, Any]] = field(default_factory=list)
    videos: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    breadcrumbs: list[dict[str, str | None]] = field(default_factory=list)
    article_list: list[dict[str, Any]] = field(default_factory=list)
    quality: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The event as plain JSON types, in contract order (built by hand: ``asdict`` deep-copies, slowly)."""
        data: dict[str, Any] = {name: getattr(self, name) for name in EVENT_FIELDS}
        image = self.image
        data["authors"] = list(self.authors)
        data["tags"] = list(self.tags)
        data["paragraphs"] = list(self.paragraphs)
        data["image"] = None if image is None else {"url": image.url, "caption": image.caption, "credit": image.credit}
        data["boilerplate"] = {
            label: [{"text": item.text, "href": item.href} for item in items]
            for label, items in self.boilerplate.items()
        }
        data["extractor"] = {"version": self.extractor.version, "ms": self.extractor.ms}
        for name in OPTIONAL_FIELDS:  # body formats the event was not asked to carry are left out
            if data[name] is None:
                del data[name]
        data.update(self.extra)
        return data

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict())


#: Event fields in contract order.
EVENT_FIELDS = tuple(f.name for f in fields(Article) if f.name != "extra")
#: Body formats besides ``paragraphs``/``text``, present in an event only when asked for.
OPTIONAL_FIELDS = ("blocks", "markdown", "html")
#: What ``extract(..., formats=...)`` and ``SIEVE_BODY_FORMATS`` accept; ``text`` is always carried.
BODY_FORMATS = frozenset({"text", "blocks", "markdown", "html"})
DEFAULT_BODY_FORMATS = ("text", "markdown")
