"""Placeholder: replaced by the real engine."""
from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping

from selectolax.lexbor import LexborHTMLParser

from sieve.contracts import Article, ExtractorInfo
from sieve.version import __version__


def extract(html: str | bytes, *, url: str | None = None, headers: Mapping[str, str] | None = None) -> Article:
    t0 = time.perf_counter()
    text_in = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    tree = LexborHTMLParser(text_in)
    body = tree.body
    paragraphs = [p.text(strip=True) for p in (body.css("p") if body else [])]
    paragraphs = [p for p in paragraphs if p]
    text = "\n\n".join(paragraphs)
    h = hashlib.sha256(text.encode()).hexdigest()
    return Article(
        id=hashlib.sha256((url or text).encode()).hexdigest()[:32], url=url, canonical_url=None, site=None,
        page_type="article", reason=None, title=None, description=None, authors=[], published_at=None,
        modified_at=None, section=None, tags=[], language=None, image=None, paragraphs=paragraphs, text=text,
        word_count=len(text.split()), content_hash=h, boilerplate={},
        extractor=ExtractorInfo(version=__version__, ms=(time.perf_counter() - t0) * 1000),
    )
