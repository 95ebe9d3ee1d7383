"""Typed body blocks rendered as CommonMark (``markdown``) and as simplified, safe HTML (``html``).

Both are written from the typed blocks, never copied from the page: every character of text is
escaped, and the only markup is what this module writes. The HTML allow-list is: ``p``, ``h2``–``h6``,
``ul``/``ol``/``li``, ``blockquote``, ``pre``, ``table``/``thead``/``tbody``/``tr``/``th``/``td``,
``figure``/``img``/``figcaption``, ``a[href]``, ``em``/``strong``/``code``, ``br``; the only
attributes are ``href`` (on ``a``) and ``src``/``alt``/``width``/``height`` (on ``img``), and every URL
has already been made absolute ``http(s)`` by :func:`sieve.urls.safe_url`.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from typing import Any, Final

from sieve.urls import safe_url

Typed = dict[str, Any]

ALLOWED_TAGS: Final = frozenset(
    "p h2 h3 h4 h5 h6 ul ol li blockquote pre table thead tbody tr th td "
    "figure img figcaption a em strong code br".split()
)
ALLOWED_ATTRS: Final = {"a": frozenset({"href"}), "img": frozenset({"src", "alt", "width", "height"})}

#: Characters CommonMark reads as markup anywhere in a line get a backslash.
_MD_SPECIALS: Final = "\\`*_[]<>|~"
#: Each special with its escape, the backslash first: the backslashes the others add stay single.
_MD_ESCAPES: Final = tuple((c, "\\" + c) for c in _MD_SPECIALS)
_MD_ENTITY: Final = re.compile(r"&(?=#?\w+;)")  # "&amp;" would be read as an entity
_MD_IMAGE: Final = re.compile(r"!(?=\\\[)")  # "![" (its "[" already escaped) would start an image
_MD_LINE_START: Final = re.compile(r"^(?:([#>+=-])|(\d{1,9})([.)]))")
_MD_LINE_MARKS: Final = "#>+=-"  # the first characters _MD_LINE_START can match besides digits (\d: str.isdecimal)


def _md_escape(text: str) -> str:
    # A backslash before each special, one special at a time: a substring search per character scans
    # faster than a regex character class, and specials are rare in prose (``translate`` with a
    # dict looks up every character of the text).
    for char, escaped in _MD_ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    if "&" in text:
        text = _MD_ENTITY.sub("\\\\&", text)
    if "!" in text:
        text = _MD_IMAGE.sub("\\\\!", text)
    first = text[:1]
    if not (first in _MD_LINE_MARKS or first.isdecimal()):  # the pattern cannot match: no re.sub call
        return text
    return _MD_LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text)


def _md_url(url: str) -> str:
    return "<" + url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E").replace("\n", "") + ">"


def spans(text: str, links: list[dict[str, str]] | None) -> Iterator[tuple[str, str | None]]:
    """``text`` cut into runs, each with the href of the link it is (None for plain text)."""
    pos = 0
    for link in links or ():
        found = text.find(link["text"], pos)
        if found < 0:
            continue
        if found > pos:
            yield text[pos:found], None
        end = found + len(link["text"])
        yield text[found:end], link["href"]
        pos = end
    if pos < len(text):
        yield text[pos:], None


def _md_inline(block: Typed) -> str:
    links = block.get("links")
    if not links:  # most blocks: one run of plain text, no generator
        return _md_escape(block["text"])
    out = []
    for run, href in spans(block["text"], links):
        out.append(f"[{_md_escape(run)}]({_md_url(href)})" if href else _md_escape(run))
    return "".join(out)


def _groups(blocks: list[Typed]) -> Iterator[tuple[str, list[Typed]]]:
    """Consecutive list items of one list, and consecutive quotes, come as one group."""
    i = 0
    while i < len(blocks):
        block = blocks[i]
        kind = block["type"]
        j = i + 1
        if kind == "list_item":
            while j < len(blocks) and blocks[j]["type"] == "list_item" and blocks[j]["list"] == block["list"]:
                j += 1
        elif kind == "quote":
            while j < len(blocks) and blocks[j]["type"] == "quote":
                j += 1
        yield kind, blocks[i:j]
        i = j


def _level(block: Typed) -> int:
    return min(max(int(block.get("level") or 2), 2), 6)


def _embed_label(block: Typed) -> str:
    provider = block.get("provider")
    kind = str(block.get("kind") or "embed")
    return f"{kind} ({provider})" if provider else kind


def to_markdown(blocks: list[Typed]) -> str:
    parts: list[str] = []
    bullets = 0
    previous = ""
    for kind, group in _groups(blocks):
        block = group[0]
        after_list, previous = previous == "list_item", kind
        if kind == "list_item":
            bullets = bullets + 1 if after_list else 1  # alternate markers: two lists in a row stay two
            lines = []
            for n, item in enumerate(group, 1):
                ordered = f"{n}{'.' if bullets % 2 else ')'} "
                marker = ordered if item["ordered"] else ("- " if bullets % 2 else "* ")
                lines.append(marker + _md_inline(item))
            parts.append("\n".join(lines))
            continue
        if kind == "heading":
            parts.append("#" * _level(block) + " " + _md_inline(block))
        elif kind == "paragraph":
            parts.append(_md_inline(block))
        elif kind == "quote":
            parts.append("\n>\n".join("> " + _md_inline(q) for q in group))
        elif kind == "preformatted":
            raw = block.get("raw") or block["text"]
            fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", raw)), default=0))
            parts.append(f"{fence}\n{raw}\n{fence}")
        elif kind == "table":
            rows = block["rows"]
            lines = ["| " + " | ".join(_md_escape(c) for c in rows[0]) + " |"]
            lines.append("|" + " --- |" * len(rows[0]))
            lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in rows[1:]]
            parts.append("\n".join(lines))
        elif kind == "figure":
            alt = _md_escape(block.get("alt") or "")
            caption = block.get("caption")
            title = ' "' + caption.replace("\\", "\\\\").replace('"', '\\"') + '"' if caption else ""
            parts.append(f"![{alt}]({_md_url(block['url'])}{title})")
        elif kind == "embed":
            parts.append(f"[{_md_escape(_embed_label(block))}]({_md_url(block['url'])})")
    return "\n\n".join(parts)


def _esc(text: str) -> str:
    return html_lib.escape(text, quote=True)


def _html_inline(block: Typed) -> str:
    out = []
    for run, href in spans(block["text"], block.get("links")):
        url = safe_url(href, None) if href else None
        out.append(f'<a href="{_esc(url)}">{_esc(run)}</a>' if url else _esc(run))
    return "".join(out)


def to_html(blocks: list[Typed]) -> str:
    """The body as safe HTML; links and images without an absolute http(s) URL lose their URL."""
    parts: list[str] = []
    for kind, group in _groups(blocks):
        block = group[0]
        if kind == "list_item":
            tag = "ol" if block["ordered"] else "ul"
            parts.append(f"<{tag}>" + "".join(f"<li>{_html_inline(i)}</li>" for i in group) + f"</{tag}>")
        elif kind == "heading":
            level = _level(block)
            parts.append(f"<h{level}>{_html_inline(block)}</h{level}>")
        elif kind == "paragraph":
            parts.append(f"<p>{_html_inline(block)}</p>")
        elif kind == "quote":
            parts.append("<blockquote>" + "".join(f"<p>{_html_inline(q)}</p>" for q in group) + "</blockquote>")
        elif kind == "preformatted":
            parts.append(f"<pre>{_esc(block.get('raw') or block['text'])}</pre>")
        elif kind == "table":
            rows = block["rows"]
            head, body = (rows[:1], rows[1:]) if block.get("header") else ([], rows)
            html = "<table>"
            if head:
                html += "<thead><tr>" + "".join(f"<th>{_esc(c)}</th>" for c in head[0]) + "</tr></thead>"
            html += "<tbody>" + "".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in r) + "</tr>" for r in body)
            parts.append(html + "</tbody></table>")
        elif kind == "figure":
            src = safe_url(block.get("url"), None)
            caption = block.get("caption")
            if not src and not caption:
                continue
            img = ""
            if src:
                img = f'<img src="{_esc(src)}" alt="{_esc(block.get("alt") or "")}"'
                for side in ("width", "height"):
                    if isinstance(block.get(side), int):
                        img += f' {side}="{block[side]}"'
                img += ">"
            parts.append(
                f"<figure>{img}" + (f"<figcaption>{_esc(caption)}</figcaption>" if caption else "") + "</figure>"
            )
        elif kind == "embed":
            url = safe_url(block.get("url"), None)
            if url:
                parts.append(f'<figure><a href="{_esc(url)}">{_esc(_embed_label(block))}</a></figure>')
    return "".join(parts)
