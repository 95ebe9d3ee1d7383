"""Images and embeds: kept through the clean-up of the DOM, then read where the body is.

Before the parse tree is cleaned (``<picture>``, ``<video>``, ``<iframe>``… are removed in C so the
walk never visits them), :func:`keep_media` puts a bare ``<img data-sieve-media=N>`` in place of
each of them and remembers what it was. The placeholder holds no text, so segmentation and labels
are unchanged; it gets an element number like any ``<img>``, which is how ``structure.py`` finds
the media that sit inside the article body, in reading order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sieve.urls import host, safe_url

MEDIA_ATTR: Final = "data-sieve-media"
MEDIA_TAGS: Final = ("picture", "video", "audio", "iframe", "embed", "object")
MEDIA_SELECTOR: Final = ",".join(MEDIA_TAGS)
_LAZY_SRC: Final = ("data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src", "src")
_LAZY_SRCSET: Final = ("data-srcset", "data-lazy-srcset", "srcset")
_PIXELS: Final = re.compile(r"\s*(\d{1,5})(?:px)?\s*$")  # width="300", "300px"
#: One srcset candidate: its URL (up to a comma or a space), then an optional "300w"/"2x". Possessive:
#: a lazy URL (``\S+?``) tried the rest of the pattern after every character (9x slower on real srcsets).
_SRCSET_ITEM: Final = re.compile(r"\s*+(\S[^\s,]*+)(?:\s+(\d+(?:\.\d+)?)([wx]))?\s*(?:,|$)")
_MAX_MEDIA: Final = 200

#: (host suffix, provider, kind). Only these hosts are reported as embeds with a provider.
PROVIDERS: Final[tuple[tuple[str, str, str], ...]] = (
    ("youtube.com", "youtube", "video"),
    ("youtube-nocookie.com", "youtube", "video"),
    ("youtu.be", "youtube", "video"),
    ("vimeo.com", "vimeo", "video"),
    ("dailymotion.com", "dailymotion", "video"),
    ("jwplayer.com", "jwplayer", "video"),
    ("jwplatform.com", "jwplayer", "video"),
    ("brightcove.net", "brightcove", "video"),
    ("players.brightcove.net", "brightcove", "video"),
    ("facebook.com", "facebook", "social"),
    ("twitter.com", "twitter", "social"),
    ("x.com", "twitter", "social"),
    ("instagram.com", "instagram", "social"),
    ("tiktok.com", "tiktok", "social"),
    ("spotify.com", "spotify", "audio"),
    ("soundcloud.com", "soundcloud", "audio"),
    ("podcasts.apple.com", "apple_podcasts", "audio"),
    ("google.com", "google_maps", "map"),
    ("openstreetmap.org", "openstreetmap", "map"),
    ("datawrapper.dwcdn.net", "datawrapper", "chart"),
    ("flourish.studio", "flourish", "chart"),
    ("public.flourish.studio", "flourish", "chart"),
)


@dataclass(frozen=True, slots=True)
class Embed:
    """A removed ``<video>``/``<audio>``/``<iframe>``/``<embed>``/``<object>``: what it pointed at."""

    tag: str
    src: str | None
    poster: str | None = None


def keep_media(
    tree: LexborHTMLParser, found: list[LexborNode] | None = None, freed: set[int] | None = None
) -> list[Embed]:
    """Replace media elements by placeholders and remove them (instead of ``strip_tags``, which then
    need not look for them: this costs no extra pass over the tree). Returns the embeds by number.

    A ``<picture>`` becomes the ``<img>`` it holds (with its best ``<source>`` as ``srcset`` when
    the img has none); the others become ``<img data-sieve-media=N>``. ``found``: the media elements
    in document order, when the caller has them already (``prune.find``); ``freed`` receives the
    ``mem_id`` of every node removed here, so no caller touches one again.
    """
    embeds: list[Embed] = []
    top: list[LexborNode] = []
    nodes = tree.css(MEDIA_SELECTOR) if found is None else found
    for n, node in enumerate(nodes):
        parent = node.parent
        if parent is None or _inside_removed(parent):
            continue  # goes with its container (and is never touched again: it is freed with it)
        top.append(node)
        if n < _MAX_MEDIA:
            _placeholder(tree, node, embeds)
    for node in reversed(top):  # only now, innermost first: removing a container frees what is inside it
        if freed is not None:
            freed.update(inner.mem_id for inner in node.traverse(include_text=True))
        node.decompose()
    return embeds


def _placeholder(tree: LexborHTMLParser, node: LexborNode, embeds: list[Embed]) -> None:
    tag = node.tag or ""
    placeholder = tree.create_node("img")
    if tag == "picture":
        img = node.css_first("img")
        attrs = img.attributes if img is not None else {}
        for name in ("src", "alt", "width", "height", *_LAZY_SRC, *_LAZY_SRCSET):
            value = attrs.get(name)
            if value:
                placeholder.attrs[name] = value
        if not (attrs.get("srcset") or attrs.get("src")):
            source = node.css_first("source[srcset]")
            if source is not None:
                placeholder.attrs["srcset"] = source.attributes.get("srcset") or ""
    else:
        attrs = node.attributes
        src = attrs.get("src") or attrs.get("data-src") or attrs.get("data")
        if not src and tag in ("video", "audio"):
            source = node.css_first("source[src]")
            src = source.attributes.get("src") if source is not None else None
        if not src:
            return
        placeholder.attrs[MEDIA_ATTR] = str(len(embeds))
        embeds.append(Embed(tag, src, attrs.get("poster")))
    node.insert_before(placeholder)


def _inside_removed(node: LexborNode) -> bool:
    depth = 0
    current: LexborNode | None = node
    while current is not None and depth < 6:
        if current.tag in ("video", "audio", "picture", "object", "iframe"):
            return True
        current = current.parent
        depth += 1
    return False


def best_src(attrs: dict[str, str | None]) -> str | None:
    """An image's source: the widest ``srcset`` candidate, else a lazy-loading attribute, else ``src``."""
    for name in _LAZY_SRCSET:
        srcset = attrs.get(name)
        if srcset:
            best, best_w = None, -1.0
            for match in _SRCSET_ITEM.finditer(srcset):
                url, size = match.group(1), match.group(2)
                if not url or url.startswith("data:"):
                    continue
                width = float(size) if size else 0.0
                if width > best_w:
                    best, best_w = url, width
            if best:
                return best
    for name in _LAZY_SRC:
        src = attrs.get(name)
        if src and not src.strip().lower().startswith("data:"):
            return src
    return None


def dimension(value: str | None) -> int | None:
    if not value:
        return None
    match = _PIXELS.match(value)
    return int(match.group(1)) if match else None


def provider(url: str | None) -> tuple[str | None, str]:
    """(provider, kind) of an embed URL: ("youtube", "video"), (None, "video") for a bare file…"""
    name = host(url)
    for suffix, prov, kind in PROVIDERS:
        if name == suffix or name.endswith("." + suffix):
            if prov == "google_maps" and "/maps" not in (url or ""):
                return None, "other"
            return prov, kind
    return None, "other"


def embed_kind(embed: Embed, url: str | None) -> tuple[str | None, str]:
    prov, kind = provider(url)
    if prov is None and embed.tag in ("video", "audio"):
        return None, embed.tag
    return prov, kind


def embed_url(embed: Embed, base: str | None) -> str | None:
    return safe_url(embed.src, base, allow_relative=True)
