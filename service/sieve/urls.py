"""URL safety for everything sieve hands on as a link or a media source.

Browsers ignore tabs and newlines anywhere in a URL and control characters or spaces at its ends, so
``jav&#x09;ascript:`` is still ``javascript:``. :func:`safe_url` normalises the way a browser does,
resolves against the page's URL, and keeps only ``http``/``https`` results: ``javascript:``,
``data:``, ``vbscript:``, ``file:`` and every other scheme are dropped.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urljoin, urlsplit

_INVISIBLE: Final = re.compile(r"[\t\n\r]")
_EDGES: Final = "".join(chr(c) for c in range(0x21)) + "\u00a0\u200b\ufeff"
_SAFE_SCHEMES: Final = frozenset({"http", "https"})
#: A URL's scheme as urllib.parse.urlsplit reads it (a letter, then letters, digits, "+", "-", "."; then ":").
URL_SCHEME: Final = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def safe_url(href: str | None, base: str | None, *, allow_relative: bool = False) -> str | None:
    """``href`` made absolute against ``base`` if it is (or becomes) an http(s) URL, else None.

    With ``allow_relative`` a relative URL that cannot be resolved (no ``base``) is kept as it is,
    as long as it names no scheme.
    """
    if not href:
        return None
    url = (_INVISIBLE.sub("", href) if "\t" in href or "\n" in href or "\r" in href else href).strip(_EDGES)
    if not url or len(url) > 4096:
        return None
    scheme = URL_SCHEME.match(url)
    if scheme is not None:
        return url if scheme.group(1).lower() in _SAFE_SCHEMES and _has_host(url) else None
    if url.startswith("\\") or url.startswith("/\\"):
        return None  # browsers read "\\evil.com" and "/\evil.com" as network paths
    if base:
        base_scheme = URL_SCHEME.match(base)
        if base_scheme is None or base_scheme.group(1).lower() not in _SAFE_SCHEMES:
            return url if allow_relative and not url.startswith("//") else None
        try:
            joined = urljoin(base, url)
        except ValueError:
            return None
        scheme = URL_SCHEME.match(joined)
        return joined if scheme is not None and scheme.group(1).lower() in _SAFE_SCHEMES else None
    return url if allow_relative and not url.startswith("//") else None


def _has_host(url: str) -> bool:
    """Does ``url`` (which starts with a scheme) name a host, as ``urlsplit(url).netloc`` says?"""
    rest = url[url.index(":") + 1 :]
    if not rest.startswith("//"):
        return False  # urlsplit finds no netloc, and only a netloc can make it fail
    end = len(rest)
    for stop in "/?#":
        found = rest.find(stop, 2)
        if 0 <= found < end:
            end = found
    netloc = rest[2:end]
    if netloc.isascii() and "[" not in netloc and "]" not in netloc:
        return bool(netloc)  # urlsplit's checks only concern brackets and non-ASCII hosts
    try:
        return bool(urlsplit(url).netloc)
    except ValueError:
        return False


def host(url: str | None) -> str:
    """The lower-case host of ``url`` without ``www.`` ("" when there is none)."""
    if not url:
        return ""
    try:
        name = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return name.removeprefix("www.")


def page_path(url: str | None) -> str:
    """The path of ``url`` without its trailing slash, the key a link to the same page shares with it
    whatever its host form or query ("" for none, for a site's home page: every page of a site links
    there, and for a link to a part of a page, ``#…``: a comment's permalink is no link to the page)."""
    if not url or "#" in url:
        return ""
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return ""
    return path.rstrip("/")
