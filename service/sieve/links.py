"""Discovered article links: which links of a page a crawler should hear about, and in what form.

Pure functions, no Kafka: the pipeline's ``links.discovered`` stage (``sieve.pipeline.links``) calls
:func:`collect_links` on every extracted page.

**Where links come from.** A listing page's ``article_list`` (label ``article_list``), then the items
of the boilerplate lists that carry other articles (:data:`LINK_LABELS`: ``trending``,
``most_popular``, ``top_stories``, ``just_in``, ``see_all``, ``related``) in the event's order. Nav,
footer, share, newsletter, comments, sponsored, ad and video rails are not read. A URL is reported
once per page: where it first appears (``article_list`` before the boilerplate lists). ``position``
is the 1-based place of the item in its list as the page shows it (for ``article_list``, the
list's own ``position``).

**Normalised form** (:func:`normalise`): made absolute against the page URL (``sieve.urls.safe_url``,
so only ``http``/``https`` survive), scheme and host lower-cased, the default port (80 for http,
443 for https) and the fragment dropped, an empty path made ``/``, and the tracking parameters of
the query removed (every ``utm_*`` and the click ids in :data:`TRACKING_PARAMS`); the other
parameters keep their order and their encoding. URLs with user info (``user@host``) or an invalid
port are refused.

**Dropped links**, each rule by name (:func:`drop_reason` returns it):

* ``scheme``: not http(s) after resolution: ``mailto:``, ``tel:``, ``javascript:``, ``data:``…;
* ``offsite``: another site than the page's. A site is the registrable domain, approximated as the
  last two labels of the host, or the last three when the last two are one of the common
  two-level public suffixes in :data:`TWO_LEVEL_SUFFIXES` (``co.uk``, ``com.au``…); so
  ``www.example.com`` and ``news.example.com`` are one site, ``a.co.uk`` and ``b.co.uk`` are two. An
  IP address is only its own site. (No public-suffix list: a rare multi-tenant host such as
  ``*.github.io`` counts as one site.) Share intents (``twitter.com/intent``, ``facebook.com/sharer``)
  leave the site and are dropped by this rule;
* ``self``: the page itself;
* ``home``: the site's home page (path ``/``, no query);
* ``file``: a path ending in a non-page extension (:data:`FILE_EXTENSIONS`: images, audio and video,
  PDFs and office documents, archives, feeds, scripts and styles);
* ``account``: a path segment of :data:`ACCOUNT_SEGMENTS` (login, register, account, subscribe,
  newsletter sign-up, cart…);
* ``feed``: a path segment ``feed``, ``feeds``, ``rss`` or ``atom``;
* ``share``: a path segment ``share``, ``sharer``, ``sharer.php`` or ``intent``;
* ``search``: a path segment ``search``, or a ``q``/``query`` parameter;
* ``listing``: tag, topic, author and category pages (a path segment of :data:`LISTING_SEGMENTS`):
  lists of articles, not articles (a crawler finds them on the section fronts anyway);
* ``navigation``: an item whose title is a "See all …" / "View all …" / "More" link (they lead to
  section fronts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from sieve.urls import safe_url

#: Boilerplate lists whose items are links to other articles, in the order they are read.
LINK_LABELS = ("trending", "most_popular", "top_stories", "just_in", "see_all", "related")
#: The label of a listing page's own teaser links.
ARTICLE_LIST = "article_list"

#: Query parameters that only track a click: removed (besides every ``utm_*``).
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
        "li_fat_id", "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
        "oly_anon_id", "oly_enc_id", "vero_id", "wickedid", "s_cid", "cmpid", "ocid", "ncid", "sr_share",
    }
)  # fmt: skip
#: Two-level public suffixes under which the registrable domain has three labels.
TWO_LEVEL_SUFFIXES = frozenset(
    {
        "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "com.au", "net.au", "org.au",
        "gov.au", "edu.au", "co.nz", "org.nz", "net.nz", "co.jp", "ne.jp", "or.jp", "co.za", "org.za",
        "com.br", "com.mx", "com.ar", "com.tr", "com.cn", "com.hk", "com.sg", "com.my", "com.ph", "co.in",
        "co.il", "co.kr", "com.tw", "com.ua", "com.pl", "com.es",
    }
)  # fmt: skip
FILE_EXTENSIONS = frozenset(
    {
        "jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "bmp", "ico", "tif", "tiff", "heic",
        "mp3", "mp4", "m4a", "m4v", "mov", "webm", "ogg", "wav", "m3u8", "avi",
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "csv", "zip", "gz", "rar", "7z", "exe", "dmg",
        "rss", "atom", "xml", "json", "js", "css", "txt",
    }
)  # fmt: skip
ACCOUNT_SEGMENTS = frozenset(
    {
        "login", "log-in", "signin", "sign-in", "logout", "log-out", "signout", "sign-out", "register",
        "registration", "signup", "sign-up", "account", "accounts", "my-account", "myaccount", "profile",
        "subscribe", "subscription", "subscriptions", "newsletter-signup", "password", "cart", "checkout",
        "wp-login.php", "wp-admin",
    }
)  # fmt: skip
FEED_SEGMENTS = frozenset({"feed", "feeds", "rss", "atom"})
SHARE_SEGMENTS = frozenset({"share", "sharer", "sharer.php", "intent"})
LISTING_SEGMENTS = frozenset({"tag", "tags", "topic", "topics", "author", "authors", "category", "categories"})
SEARCH_PARAMS = frozenset({"q", "query"})

_DEFAULT_PORTS = {"http": 80, "https": 443}
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_NAVIGATION_TITLE = re.compile(r"^\s*(?:(?:see|view|show)\s+(?:all|more)\b|more\s*(?:»|›|>)?\s*$)", re.IGNORECASE)


def normalise(href: str | None, base: str | None = None) -> str | None:
    """``href`` as an absolute, normalised http(s) URL (see the module docstring), or None."""
    url = safe_url(href, base)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").rstrip(".")
    if not host or parts.username is not None or parts.password is not None:
        return None
    scheme = parts.scheme.lower()
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(p))
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def _is_tracking(pair: str) -> bool:
    name = unquote(pair.partition("=")[0]).strip().lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


def site(host: str) -> str:
    """The registrable domain of a lower-case ``host`` (the rule in the module docstring)."""
    host = host.rstrip(".").removeprefix("[").removesuffix("]")
    if ":" in host or _IPV4.match(host):
        return host
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and ".".join(labels[-2:]) in TWO_LEVEL_SUFFIXES else 2
    return ".".join(labels[-keep:])


def drop_reason(url: str, source_url: str | None, title: str = "") -> str | None:
    """Why the normalised link ``url`` found on ``source_url`` is not an article link, or None to keep it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "scheme"
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return "scheme"
    source = normalise(source_url) if source_url else None
    if source is None or site(parts.hostname) != site(urlsplit(source).hostname or ""):
        return "offsite"
    if url == source:
        return "self"
    path = unquote(parts.path).lower()
    if path in ("", "/") and not parts.query:
        return "home"
    segments = [s for s in path.split("/") if s]
    last = segments[-1] if segments else ""
    if "." in last and last.rsplit(".", 1)[1] in FILE_EXTENSIONS:
        return "file"
    for name, table in (
        ("account", ACCOUNT_SEGMENTS),
        ("feed", FEED_SEGMENTS),
        ("share", SHARE_SEGMENTS),
        ("search", frozenset({"search"})),
        ("listing", LISTING_SEGMENTS),
    ):
        if any(s in table for s in segments):
            return name
    params = {unquote(p.partition("=")[0]).lower() for p in parts.query.split("&") if p}
    if params & SEARCH_PARAMS:
        return "search"
    if title and _NAVIGATION_TITLE.match(title):
        return "navigation"
    return None


def is_article_link(url: str, source_url: str | None, title: str = "") -> bool:
    """True when ``url`` (normalised) on ``source_url`` passes every rule of the module docstring."""
    return drop_reason(url, source_url, title) is None


def _items(event: Mapping[str, Any]) -> Iterable[tuple[str, int, str, str | None]]:
    """(label, position, title, href) of every candidate link of the event, in reading order."""
    for item in event.get("article_list") or ():
        if isinstance(item, Mapping):
            yield ARTICLE_LIST, int(item.get("position") or 0), str(item.get("title") or ""), item.get("url")
    boilerplate = event.get("boilerplate") or {}
    if not isinstance(boilerplate, Mapping):
        return
    for label, items in boilerplate.items():
        if label not in LINK_LABELS or not isinstance(items, list):
            continue
        for position, item in enumerate(items, 1):
            if isinstance(item, Mapping):
                yield label, position, str(item.get("text") or ""), item.get("href")


def collect_links(event: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The article links of one extracted page (an event dict, ``Article.to_dict()``), in reading
    order, each URL once: ``[{"url", "title", "label", "position"}, ...]``."""
    source_url = event.get("url")
    if not isinstance(source_url, str) or not source_url:
        return []  # relative links cannot be resolved, nor a site told apart
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for label, position, title, href in _items(event):
        url = normalise(href if isinstance(href, str) else None, source_url)
        if url is None or url in seen or drop_reason(url, source_url, title) is not None:
            continue
        seen.add(url)
        out.append({"url": url, "title": " ".join(title.split())[:500], "label": label, "position": position})
    return out
