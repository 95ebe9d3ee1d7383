"""Section ids that are jump targets, not component names.

Documentation and wiki generators (Sphinx, pandoc, Markdown renderers) give every section the id of
its heading's words (``<div class="section" id="sharing-with-a-single-developer"><h2>Sharing with a
single developer</h2>``): whatever word the id holds ("sharing", "comments"), it names the heading,
not a kind of component, so it is no markup hint.
"""

from __future__ import annotations

import re
from typing import Final

from sieve.blocks import Block, Page
from sieve.lexicon import HEADING_TAGS, heading_label

_LETTERS: Final = re.compile(r"[^\W\d_]+")
#: How far (in elements, document order) an element's first heading may sit below it.
_HEADING_REACH: Final = 4


def without_anchor_id(key: str, heading: str, own: bool = False) -> str | None:
    """The hint key without its id when that id is the slug of ``heading`` (the element's first
    heading). None when the id is no such slug, or the heading is itself a boilerplate heading
    ("Comments", "Related articles": the id then says what the heading says). A heading's ``own`` id
    may also be a cut slug behind one prefix word (``<h3 id="nav_nur_die_folie__1">Nur die Folie bleibt
    zurück</h3>``, a table of contents' jump target): a heading is named after its own words."""
    head, _, rest = key.partition(" #")
    ident, _, tail = rest.partition(" @")
    words = _LETTERS.findall(ident.lower())
    if len(words) < 2 or heading_label(heading) is not None:
        return None
    said = _LETTERS.findall(heading.casefold())
    if words != said and not (own and len(words) >= 3 and words[1:] == said[: len(words) - 1]):
        return None
    return f"{head} # @{tail}"


class SlugIds:
    """Reads hinted elements' ids against their first headings; the page's heading map is built only
    when a heading sits close enough below an id'd element to be its own."""

    __slots__ = ("headings", "page")

    def __init__(self, page: Page) -> None:
        self.page = page
        self.headings: dict[int, Block] | None = None

    def plain_key(self, el: int, key: str) -> str | None:
        """Element ``el``'s markup key without its id when that id is the slug of the element's first
        heading (within three elements of it); None otherwise."""
        if " #" not in key or " # " in key:
            return None  # no id
        tags = self.page.tags
        for at in range(el, min(el + _HEADING_REACH, len(tags))):
            if tags[at] in HEADING_TAGS:
                if self.headings is None:
                    self.headings = {b.owner: b for b in self.page.blocks if b.heading}
                head = self.headings.get(at)
                return without_anchor_id(key, head.text, at == el) if head is not None else None
        return None
