"""The extractors sieve is compared with in the benches, each optional (the ``bench`` extra installs
them all): trafilatura (defaults, no comments), resiliparse (``main_content=True``) and
readability-lxml (the text of ``Document(html).summary()``).

readability-lxml returns HTML; :func:`block_text` makes text of it the way sieve's ``text`` reads (a
line break before each block element, inline text joined). A bench whose truth is built otherwise
passes its own ``summary_text``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from selectolax.lexbor import LexborHTMLParser

#: (html, url) -> text; html as the bench holds it (str or bytes).
Extractor = Callable[[str | bytes, str | None], str]
NAMES = ("trafilatura", "resiliparse", "readability")

_BLOCK_START = re.compile(
    r"(?=<(?:p|div|li|h[1-6]|tr|td|th|br|blockquote|pre|ul|ol|dl|dd|dt|table|section|article|figure|figcaption)\b)",
    re.IGNORECASE,
)


def block_text(html: str) -> str:
    """Text of an extractor's HTML output: a line break before each block element, inline text joined."""
    root = LexborHTMLParser(_BLOCK_START.sub("\n", html)).body
    return root.text(separator="") if root is not None else ""


def others(
    names: tuple[str, ...] = NAMES, *, summary_text: Callable[[str], str] = block_text, bench: str = "bench"
) -> dict[str, Extractor]:
    """The installed ones of ``names``, in that order; a missing one is named on stderr and skipped."""
    found: dict[str, Extractor] = {}
    for name in names:
        try:
            found[name] = _make(name, summary_text)
        except ImportError as exc:
            print(f"{bench}: {name} is not installed ({exc}); skipped", file=sys.stderr)
    return found


def _make(name: str, summary_text: Callable[[str], str]) -> Extractor:
    if name == "trafilatura":
        import trafilatura

        return lambda html, url: trafilatura.extract(html, url=url, include_comments=False) or ""
    if name == "resiliparse":
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.encoding import bytes_to_str, detect_encoding

        def resiliparse(html: str | bytes, _url: str | None) -> str:
            text = html if isinstance(html, str) else bytes_to_str(html, detect_encoding(html) or "utf-8")
            return str(extract_plain_text(text, main_content=True))

        return resiliparse
    if name == "readability":
        from readability import Document  # type: ignore[import-untyped]

        return lambda html, url: summary_text(Document(html, url=url).summary())
    raise ValueError(f"unknown extractor {name!r}; choose from {NAMES}")
