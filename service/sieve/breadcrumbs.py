"""The page's breadcrumb trail, ``[{"name", "url"}]``: JSON-LD ``BreadcrumbList`` first, then
schema.org microdata, then breadcrumb markup (``nav[aria-label=breadcrumb]``, ``.breadcrumb(s)``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from selectolax.lexbor import LexborHTMLParser

from sieve.urls import safe_url

#: One query for every form of breadcrumb markup; the first form found wins.
_MARKUP: Final = (
    '[itemtype*="BreadcrumbList"] [itemprop="itemListElement"], '
    'nav[aria-label*="readcrumb"] a, '
    '[class~="breadcrumb"] a, [class~="breadcrumbs"] a, [id="breadcrumb"] a, [id="breadcrumbs"] a'
)
_MAX: Final = 12

Crumb = dict[str, str | None]


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text[:200] or None


def _from_ld(objects: list[dict[str, Any]], base: str | None) -> list[Crumb]:
    for obj in objects:
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "BreadcrumbList" not in kinds:
            continue
        items = obj.get("itemListElement")
        if not isinstance(items, list):
            continue
        rows: list[tuple[float, Crumb]] = []
        for n, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            target = item.get("item")
            name = _clean(item.get("name"))
            url: Any = target
            if isinstance(target, dict):
                name = name or _clean(target.get("name"))
                url = target.get("@id") or target.get("url")
            if not name:
                continue
            pos = item.get("position")
            order = float(pos) if isinstance(pos, (int, float)) and not isinstance(pos, bool) else float(n)
            rows.append((order, {"name": name, "url": safe_url(url if isinstance(url, str) else None, base)}))
        if rows:
            return [crumb for _order, crumb in sorted(rows, key=lambda r: r[0])][:_MAX]
    return []


def _from_markup(tree: LexborHTMLParser, base: str | None) -> list[Crumb]:
    crumbs: list[Crumb] = []
    seen: set[str] = set()
    for node in tree.css(_MARKUP)[: _MAX * 3]:
        if node.tag == "a" and node.parent is not None and node.parent.attributes.get("itemprop") == "itemListElement":
            continue  # the microdata item was taken already
        link = node if node.tag == "a" else node.css_first("a")
        name_node = node.css_first('[itemprop="name"]') or link or node
        name = _clean(name_node.text(deep=True))
        if not name or name in seen or len(name) > 80:
            continue
        seen.add(name)
        href = link.attributes.get("href") if link is not None else None
        crumbs.append({"name": name, "url": safe_url(href, base)})
    return crumbs[:_MAX]


def breadcrumbs(
    objects: list[dict[str, Any]], tree: LexborHTMLParser, base: str | None, keys: Iterable[str] | None = None
) -> list[Crumb]:
    """``keys`` (segmentation's class/id/role/itemprop keys of block elements) let pages whose markup
    never says "breadcrumb" or ``itemListElement`` skip the query over the tree."""
    found = _from_ld(objects, base)
    if found:
        return found
    if keys is not None:
        # each distinct key once (pages repeat their keys: list items, cards); neither word holds a
        # space, so the join's order and separators cannot make or break a match
        words = " ".join(set(keys)).lower()
        if "readcrumb" not in words and "itemlistelement" not in words:
            return []
    return _from_markup(tree, base)
