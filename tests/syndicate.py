"""Syndicated copies for the dedup tests and benchmark: one story's body re-wrapped in the layout of
another fixture site (tests/fixtures/pages/), with the small edits syndication makes.

``rewrap(layout, paragraphs)`` finds the layout page's own body blocks (the elements whose text is
one of the paragraphs of its ``.expected.json``, innermost first), puts the new story's paragraphs
where the first of them was (same tag and attributes), and removes the others. Everything else of
the page (headline, sidebars, related lists, footers) stays, so the copy looks like that site.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
#: Article layouts whose body blocks are elements of their own (nojsonld_table_layout's body is
#: <br>-separated text in one cell, liveblog's is entries with headlines: neither can be re-filled).
LAYOUTS = (
    "wire_story_articlebody",
    "thehill_style_article",
    "localnews_related_inside",
    "magazine_longform",
    "tech_explainer_structure",
    "german_bare_divs",
    "spanish_article",
)
_SPACE = re.compile(r"\s+")
_MARK = "\x00sieve-story-body\x00"


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\xa0", " ")).strip()


def fixture_paragraphs(name: str) -> list[str]:
    data = json.loads((PAGES / f"{name}.expected.json").read_text("utf-8"))
    return [str(p) for p in data["paragraphs"]]


def fixture_html(name: str) -> str:
    return (PAGES / f"{name}.html").read_text("utf-8")


def _body_nodes(tree: LexborHTMLParser, paragraphs: list[str]) -> list[LexborNode]:
    wanted = set(paragraphs)
    found = [
        node
        for node in (tree.body.traverse() if tree.body is not None else [])
        if node.tag not in ("-text", "#text", "-comment") and _norm(node.text(deep=True)) in wanted
    ]
    inner = []
    for node in found:  # keep the innermost of nested matches (a <div> around one <p>)
        if not any(other is not node and _inside(other, node) for other in found):
            inner.append(node)
    return inner


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id == ancestor.mem_id:
            return True
        parent = parent.parent
    return False


def rewrap(layout: str, paragraphs: list[str]) -> str:
    """The page ``layout`` with its body replaced by ``paragraphs`` (plain text, escaped here)."""
    tree = LexborHTMLParser(fixture_html(layout))
    nodes = _body_nodes(tree, fixture_paragraphs(layout))
    if not nodes:
        raise ValueError(f"no body blocks found in {layout}")
    first = nodes[0]
    tag = first.tag if first.tag not in ("h1", "h2", "h3", "h4", "li", "td", "blockquote") else "p"
    attrs = (
        "".join(f' {name}="{html.escape(value or "", quote=True)}"' for name, value in first.attributes.items())
        if tag == first.tag
        else ""
    )
    body = "".join(f"<{tag}{attrs}>{html.escape(p, quote=False)}</{tag}>" for p in paragraphs)
    for own in tree.css('link[rel="canonical"], meta[property="og:url"]'):
        own.decompose()  # the copy is another site's page: its id comes from its own URL
    first.replace_with(_MARK)
    for node in nodes[1:]:
        node.decompose()
    page = tree.html or ""
    return page.replace(html.escape(_MARK, quote=False), body).replace(_MARK, body)


# ---- the small edits a syndicating site makes ------------------------------------------------------
def new_first_line(paragraphs: list[str]) -> list[str]:
    """A different first line: the local paper's own lead sentence in place of the wire's."""
    if not paragraphs:
        return paragraphs
    rest = paragraphs[0].split(". ", 1)
    lead = "Readers across the region will want to know about this news, which reached our desk today."
    return [lead + (" " + rest[1] if len(rest) > 1 else ""), *paragraphs[1:]]


def editors_note(paragraphs: list[str]) -> list[str]:
    """An editor's note added above the story."""
    return ["Editor's note: This story has been updated with additional details.", *paragraphs]


def trimmed(paragraphs: list[str]) -> list[str]:
    """The last paragraph cut (a site that runs the story shorter), when there is more than one."""
    return paragraphs[:-1] if len(paragraphs) > 2 else paragraphs


EDITS = {
    "first_line": new_first_line,
    "editors_note": editors_note,
    "first_line+note": lambda ps: editors_note(new_first_line(ps)),
    "note+trimmed": lambda ps: editors_note(trimmed(ps)),
}
