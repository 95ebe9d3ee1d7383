"""The event fields computed from an analysed page and its typed body, besides the body itself:
language, page-type confidence, Markdown and HTML, breadcrumbs, the listing's articles, quality."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sieve.breadcrumbs import breadcrumbs
from sieve.contracts import Image, PageType
from sieve.language import resolve_language
from sieve.listing import article_list, confidence
from sieve.media import provider
from sieve.quality import features, quality
from sieve.render import to_html, to_markdown
from sieve.structure import Body
from sieve.urls import safe_url

if TYPE_CHECKING:
    from sieve.assemble import Analysis


class Enriched:
    """The fields :func:`enrich` computes (a plain class: compiled, its ``__init__`` is native)."""

    __slots__ = ("article_list", "breadcrumbs", "confidence", "html", "language", "markdown", "quality")

    def __init__(self) -> None:
        self.language: str | None = None
        self.confidence = 1.0
        self.markdown: str | None = None
        self.html: str | None = None
        self.breadcrumbs: list[dict[str, str | None]] = []
        self.article_list: list[dict[str, Any]] = []
        self.quality = 0.0


def enrich(
    analysis: Analysis,
    body: Body,
    *,
    kind: str,
    text: str,
    url: str | None,
    lead: Image | None,
    formats: frozenset[str],
    counted: tuple[int, int],
    words: int,
) -> Enriched:
    """``counted``: pagetype.counts of the blocks; ``words``: pagetype.count_words of ``text``."""
    meta = analysis.meta
    base = meta.canonical_url or url
    out = Enriched()
    out.language = resolve_language(meta.language, text)
    out.confidence = confidence(kind, meta, analysis.blocks, words, base, counted)
    if "markdown" in formats:
        out.markdown = to_markdown(body.blocks)
    if "html" in formats:
        out.html = to_html(body.blocks)
    out.breadcrumbs = breadcrumbs(meta.ld_objects, analysis.tree, base, analysis.page.keys.values())
    if kind == PageType.SECTION_FRONT:
        out.article_list = article_list(analysis.blocks, base)
    if kind in (PageType.ARTICLE, PageType.VIDEO):
        feats = features(analysis.blocks, analysis.page, text, body.region, meta.article_body)
        out.quality = quality(feats)
        _lead_media(body, lead, meta.video_url, base)
    return out


def _lead_media(body: Body, lead: Image | None, video_url: str | None, base: str | None) -> None:
    """The lead image first in ``images`` (and the page's og:video first in ``videos``)."""
    if lead is not None and lead.url:
        url = safe_url(lead.url, base, allow_relative=True)
        if url:
            rest = [img for img in body.images if img.get("url") != url]
            body.images[:] = [{"url": url, "alt": None, "caption": lead.caption, "credit": lead.credit, "lead": True}]
            body.images += rest
    if video_url:
        url = safe_url(video_url, base)
        if url:
            same = [v for v in body.videos if _video_key(v.get("url")) == _video_key(url)]
            rest = [v for v in body.videos if v not in same]
            prov, _kind = provider(url)
            first = same[0] if same else {"kind": "video", "provider": prov, "url": url}
            body.videos[:] = [{**first, "lead": True}, *rest]


def _video_key(url: str | None) -> str:
    """youtube.com/embed/X and youtube-nocookie.com/embed/X are one video."""
    if not url:
        return ""
    rest = url.split("://", 1)[-1].removeprefix("www.")
    return rest.replace("youtube-nocookie.com", "youtube.com", 1).split("?", 1)[0].rstrip("/")
