"""Page metadata from JSON-LD (schema.org), OpenGraph/article meta tags and <link rel=canonical>.

Read before the DOM is cleaned (JSON-LD lives in <script> elements). Each field keeps the first
good value in priority order: JSON-LD article object, then OpenGraph/article:*, then plain meta.
"""

from __future__ import annotations

import re
from typing import Any, Final
from urllib.parse import urljoin, urlsplit

import orjson
from selectolax.lexbor import LexborHTMLParser, LexborNode

from sieve.dates import parse_date
from sieve.language import LANGUAGE_CODE
from sieve.prune import LINK_ID, META_ID, SCRIPT_ID, TITLE_ID
from sieve.urls import URL_SCHEME

_ARTICLE_TYPES: Final = frozenset(
    "article newsarticle reportagenewsarticle analysisnewsarticle opinionnewsarticle blogposting "
    "backgroundnewsarticle reviewnewsarticle livebloggposting liveblogposting socialmediaposting "
    "scholarlyarticle techarticle report webpage".split()
)
#: The ``<meta>`` names/properties read_metadata reads (the others are not cleaned or kept).
_META_KEYS: Final = frozenset(
    "article:author article:modified_time article:published_time article:section article:tag author byl "
    "content-language date datemodified datepublished dc.date description keywords news_keywords "
    "og:description og:image og:image:alt og:locale og:site_name og:title og:type og:url og:video "
    "og:video:secure_url og:video:url pubdate publish-date sailthru.author sailthru.date twitter:image "
    "twitter:title".split()
)
_LISTING_TYPES: Final = frozenset({"collectionpage", "itemlist", "searchresultspage", "website"})
_VIDEO_TYPES: Final = frozenset({"videoobject"})
_NAME_SEPARATOR: Final = re.compile(r"\s*(?:,|\band\b|&)\s*")  # "Jane Doe, John Roe and Ann Poe"
_LOCALE_SEPARATOR: Final = re.compile(r"[-_]")  # en-US, pt_BR
META_SELECTOR: Final = 'script[type="application/ld+json"], meta[content], title, link[rel="canonical"]'


class Metadata:
    """What the page says of itself (JSON-LD, ``<meta>``, ``<title>``, ``<link rel=canonical>``).

    A plain class with a hand-written ``__init__``, not a dataclass: the compiled build (docs/operations.md)
    makes it native; a dataclass's generated ``__init__`` stays interpreted Python."""

    __slots__ = (
        "article_body",
        "authors",
        "canonical_url",
        "description",
        "html_title",
        "image_caption",
        "image_url",
        "language",
        "ld_objects",
        "ld_types",
        "modified_at",
        "og_title",
        "og_type",
        "published_at",
        "section",
        "site_name",
        "tags",
        "title",
        "video_url",
    )

    def __init__(self) -> None:
        self.title: str | None = None
        self.og_title: str | None = None
        self.html_title: str | None = None
        self.description: str | None = None
        self.authors: list[str] = []
        self.published_at: str | None = None
        self.modified_at: str | None = None
        self.section: str | None = None
        self.tags: list[str] = []
        self.language: str | None = None
        self.canonical_url: str | None = None
        self.site_name: str | None = None
        self.image_url: str | None = None
        self.image_caption: str | None = None
        self.article_body: str | None = None
        self.og_type: str | None = None
        self.ld_types: set[str] = set()
        self.ld_objects: list[dict[str, Any]] = []  # every JSON-LD object (breadcrumbs.py)
        self.video_url: str | None = None

    def __repr__(self) -> str:
        return (
            f"Metadata(title={self.title!r}, canonical_url={self.canonical_url!r}, published_at={self.published_at!r})"
        )


def _clean(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _names(value: Any) -> list[str]:
    """Author names from a JSON-LD author value: a string, a Person, or a list of either."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = _clean(item.get("name")) if isinstance(item, dict) else _clean(item)
        if name and not name.startswith("http"):
            names.extend(split_names(name))
    return names


def split_names(text: str) -> list[str]:
    """The names in "Jane Doe, John Roe and Ann Poe" (an author line or field)."""
    return [n.strip() for n in _NAME_SEPARATOR.split(text) if n.strip()]


def _types(obj: dict[str, Any]) -> set[str]:
    raw = obj.get("@type")
    items = raw if isinstance(raw, list) else [raw]
    return {t.lower() for t in items if isinstance(t, str)}


def _walk_ld(data: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            _walk_ld(item, out, depth + 1)
    elif isinstance(data, dict):
        out.append(data)
        graph = data.get("@graph")
        if graph is not None:
            _walk_ld(graph, out, depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, (dict, list)):
            _walk_ld(main, out, depth + 1)


def _image_url(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _clean(value.get("url") or value.get("contentUrl"))
    return _clean(value)


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [k.strip() for k in value.split(",") if k.strip()]
    if isinstance(value, list):
        return [k.strip() for k in value if isinstance(k, str) and k.strip()]
    return []


def _apply_ld(meta: Metadata, objects: list[dict[str, Any]]) -> None:
    typed = [(obj, _types(obj)) for obj in objects]
    for _obj, types in typed:
        meta.ld_types |= types
    articles = [(o, t) for o, t in typed if t & _ARTICLE_TYPES and (o.get("headline") or o.get("articleBody"))]
    articles.sort(key=lambda pair: "webpage" in pair[1])  # real article types first
    for obj, _types_of in articles[:1]:
        meta.title = _clean(obj.get("headline")) or _clean(obj.get("name"))
        meta.description = _clean(obj.get("description"))
        meta.authors = _names(obj.get("author"))
        meta.published_at = parse_date(_clean(obj.get("datePublished")))
        meta.modified_at = parse_date(_clean(obj.get("dateModified")))
        section = obj.get("articleSection")
        meta.section = _clean(section[0] if isinstance(section, list) and section else section)
        meta.tags = _keywords(obj.get("keywords"))
        meta.language = _clean(obj.get("inLanguage"))
        meta.image_url = _image_url(obj.get("image"))
        body = obj.get("articleBody")
        meta.article_body = body if isinstance(body, str) and len(body) > 200 else None


def read_metadata(tree: LexborHTMLParser, url: str | None, found: list[LexborNode] | None = None) -> Metadata:
    """The page's metadata. ``found``: the elements META_SELECTOR matches, in document order, when the
    caller has them already (``prune.find``: a query of the whole tree costs about a quarter of the
    parse)."""
    meta = Metadata()
    scripts, metas = [], []
    title_node = canonical = None
    for node in tree.css(META_SELECTOR) if found is None else found:
        tag = node.tag_id  # (node.tag decodes the name anew: ~4x the cost)
        if tag == META_ID:
            metas.append(node)
        elif tag == SCRIPT_ID:
            scripts.append(node)
        elif tag == TITLE_ID:
            title_node = title_node or node
        elif tag == LINK_ID:
            canonical = canonical or node
    objects: list[dict[str, Any]] = []
    for script in scripts:
        raw = script.text(deep=True)
        try:
            _walk_ld(orjson.loads(raw.strip().rstrip(";")), objects)
        except orjson.JSONDecodeError:
            continue
    _apply_ld(meta, objects)
    meta.ld_objects = objects

    props: dict[str, str] = {}
    article_tags: list[str] = []
    for node in metas:
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get("http-equiv") or ""
        key = key.strip().lower()
        if key not in _META_KEYS:
            continue  # nothing below reads it
        content = _clean(attrs.get("content"))
        if not key or not content:
            continue
        if key == "article:tag":
            article_tags.append(content)
        props.setdefault(key, content)

    meta.og_title = props.get("og:title") or props.get("twitter:title")
    meta.title = meta.title or meta.og_title
    meta.description = meta.description or props.get("og:description") or props.get("description")
    if not meta.authors:
        author = props.get("author") or props.get("article:author") or props.get("byl") or props.get("sailthru.author")
        if author and not author.startswith("http"):
            meta.authors = _names(re.sub(r"^by\s+", "", author, flags=re.IGNORECASE))
    meta.published_at = meta.published_at or parse_date(
        props.get("article:published_time")
        or props.get("datepublished")
        or props.get("pubdate")
        or props.get("date")
        or props.get("dc.date")
        or props.get("publish-date")
        or props.get("sailthru.date")
    )
    meta.modified_at = meta.modified_at or parse_date(props.get("article:modified_time") or props.get("datemodified"))
    meta.section = meta.section or props.get("article:section")
    meta.og_type = props.get("og:type")
    is_article = bool(meta.ld_types & _ARTICLE_TYPES) or (meta.og_type or "").lower() == "article"
    # plain <meta name=keywords> is often site-wide; trust it only on pages that say they are articles
    meta.tags = (
        meta.tags
        or article_tags
        or _keywords(props.get("news_keywords") or (props.get("keywords") if is_article else None))
    )
    meta.site_name = props.get("og:site_name")
    meta.image_url = meta.image_url or props.get("og:image") or props.get("twitter:image")
    meta.image_caption = props.get("og:image:alt")
    meta.video_url = props.get("og:video:secure_url") or props.get("og:video:url") or props.get("og:video")

    html_node = tree.root
    lang = html_node.attributes.get("lang") if html_node is not None and html_node.tag == "html" else None
    meta.language = _language(meta.language or lang or props.get("og:locale") or props.get("content-language"))
    meta.html_title = _clean(title_node.text()) if title_node is not None else None
    meta.title = meta.title or meta.html_title
    href = canonical.attributes.get("href") if canonical is not None else None
    href = href or props.get("og:url")
    meta.canonical_url = absolute(href.strip(), url) if href and href.strip() else None
    if meta.image_url:
        meta.image_url = absolute(meta.image_url, url)
    return meta


def _language(value: str | None) -> str | None:
    if not value:
        return None
    code = _LOCALE_SEPARATOR.split(value.strip())[0].lower()
    return code if LANGUAGE_CODE.fullmatch(code) else None


def absolute(href: str | None, base: str | None) -> str | None:
    """``href`` resolved against ``base``; relative links stay relative when there is no base."""
    if not href:
        return None
    href = href.strip()
    if base and not href.startswith(("http://", "https://")):
        try:
            return urljoin(base, href)
        except ValueError:
            return href
    return href


class Resolver:
    """Makes a page's links absolute; the common forms (absolute, //host, /path, #fragment, another
    scheme such as mailto: or javascript:) skip urljoin, and each href is resolved once (menus, footers
    and link lists repeat theirs)."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.origin = ""
        self.page = ""  # the base without its fragment, as urljoin writes it: made on the first "#…"
        self.scheme = ""
        self.resolved: dict[str, str | None] = {}
        if base:
            try:
                parts = urlsplit(base)
            except ValueError:
                parts = None
            if parts is not None and parts.scheme and parts.netloc:
                self.origin = f"{parts.scheme}://{parts.netloc}"
                self.scheme = parts.scheme

    def __call__(self, href: str) -> str | None:
        if href in self.resolved:  # not try/except KeyError: most hrefs are new, and raising costs ~1 µs
            return self.resolved[href]
        target = self.resolved[href] = self._resolve(href)
        return target

    def _resolve(self, href: str) -> str | None:
        href = href.strip()
        if not href:
            return None
        if not self.base or href.startswith(("http://", "https://")):
            return href
        if self.origin:
            if href.startswith("//"):
                return f"{self.scheme}:{href}"
            if href.startswith("/"):
                return self.origin + href
            if href.startswith("#"):  # urljoin(base, "#x") is urljoin(base, "#") + "#x"
                if not self.page:
                    self.page = urljoin(self.base, "#")
                return self.page + href if len(href) > 1 else self.page
            scheme = URL_SCHEME.match(href)
            if scheme is not None and scheme.group(1).lower() != self.scheme:
                return href  # urljoin hands back a URL of another scheme as it is
        return absolute(href, self.base)
