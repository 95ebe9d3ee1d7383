"""The one-pass element finder must match what the CSS selectors it replaces would find."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

import sieve
from sieve import prune
from sieve.media import MEDIA_SELECTOR, keep_media
from sieve.metadata import META_SELECTOR

PAGES = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.html"))
CLEAN_SELECTOR = ",".join([*prune.STRIP_TAGS, *prune.INLINE_TAGS])

TRICKY = """<!doctype html><html lang=en><head>
<title>One</title><title>Two</title>
<script type="Application/LD+JSON">{"@type": "NewsArticle", "headline": "H"}</script>
<script type="text/javascript">var x = 1;</script><script>var y;</script>
<meta name=description content="d"><meta name=empty content><meta charset=utf-8>
<link rel=Canonical href="/a"><link rel=stylesheet href=s.css><link rel="canonical x" href="/b">
<style>p{}</style></head><body>
<p>Some <b>bold <i>and italic</i></b> text<span></span>.</p>
<svg><title>icon</title><style>.a{}</style><a href="/x"><text>t</text></a></svg>
<noscript><iframe src="https://www.youtube.com/embed/x"></iframe><span>no js</span></noscript>
<video src="v.mp4"><noscript>old <b>browser</b></noscript><source src="w.mp4"></video>
<picture><source srcset="a.jpg 1x"><img src="b.jpg" alt="pic"></picture>
<object data="x.swf"><span>fallback <em>text</em></span><embed src="y.swf"></object>
<template><p>inert <b>content</b></p></template>
<button>Click <strong>me</strong></button><select><option>one</option></select>
<meta itemprop=datePublished content="2022-01-01">
</body></html>"""


def _ids(nodes: list[object]) -> list[int]:
    return [n.mem_id for n in nodes]  # type: ignore[attr-defined]


@pytest.mark.parametrize("html", [TRICKY, *(p.read_text() for p in PAGES)], ids=["tricky", *(p.stem for p in PAGES)])
def test_find_matches_the_selectors(html: str) -> None:
    tree = LexborHTMLParser(html)
    found = prune.find(tree)
    assert _ids(found.meta) == _ids(tree.css(META_SELECTOR))
    assert _ids(found.media) == _ids(tree.css(MEDIA_SELECTOR))
    assert _ids(found.clean) == _ids(tree.css(CLEAN_SELECTOR))


def test_clean_after_media_never_touches_a_freed_node() -> None:
    tree = LexborHTMLParser(TRICKY)
    found = prune.find(tree)
    freed: set[int] = set()
    keep_media(tree, found.media, freed)
    assert freed  # the video's <noscript>/<b> and the object's <span>/<em> went with them
    assert any(n.mem_id in freed for n in found.clean)
    prune.clean(found.clean, freed)
    tree.merge_text_nodes()
    body = tree.body
    assert body is not None
    assert body.css_first("script, style, svg, noscript, template, button, select, b, i, em, strong") is None
    assert body.css_first("span:not(:empty)") is None  # an empty inline element stays (it holds no text)
    assert "Some bold and italic text." in body.text(deep=True)
    assert "fallback" not in body.text(deep=True)


def test_extract_still_reads_metadata_and_media() -> None:
    article = sieve.extract(TRICKY, url="https://example.com/story", formats=("text", "blocks"))
    assert article.canonical_url == "https://example.com/a"
    assert article.title == "H"
    assert article.published_at is not None and article.published_at.startswith("2022-01-01")


def test_ruby_annotations_are_not_text() -> None:
    # <rt> holds the reading of the characters before it (furigana); a reader reads the base text
    html = (
        "<html><head><title>t</title></head><body><article><h1>法律</h1>"
        "<p><ruby>子<rp>(</rp><rt>こ</rt><rp>)</rp></ruby>どもへの<ruby>虐待<rt>ぎゃくたい</rt></ruby>を"
        "なくすための<ruby>法律<rt>ほうりつ</rt></ruby>ができて、親が子どもを教育するために、たたいたり蹴ったりする"
        "体罰を禁止することになりました。最近、親に虐待された子どもを児童相談所が守ることができなくて、"
        "子どもが亡くなる事件が続いています。</p></article></body></html>"
    )
    text = sieve.extract(html, url="https://news.example.jp/k100.html").text
    assert text.startswith("子どもへの虐待をなくすための法律ができて")
    assert "ぎゃくたい" not in text


def test_an_unclosed_element_in_noscript_does_not_hide_the_page() -> None:
    # for a browser (scripts on) a noscript's content is text up to "</noscript>"; the parser (scripts
    # off) keeps the <div> open and the noscript swallows the whole page
    paragraphs = [
        f"Paragraph {i} of the park's yearly report: the bear census counted more females with cubs than "
        "in any year since counting began, and the rangers expect the population to keep growing."
        for i in range(1, 15)
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        "<html><head><title>Bear census</title></head><body><noscript><div id='nojs'></noscript>"
        f"<div id='main'><h1>Bear census</h1><article>{body}</article></div>"
        "<noscript><img src='/pixel.gif'></noscript></body></html>"
    )
    article = sieve.extract(html, url="https://park.example/news/58354.html")
    assert article.paragraphs == paragraphs


def test_a_small_noscript_fallback_is_still_removed() -> None:
    body = "<p>" + "The council met on Tuesday and approved the plan for the bridge. " * 5 + "</p>"
    html = (
        "<html><body><article><h1>Bridge</h1>"
        f"<noscript><p>Please enable JavaScript to view the comments powered by our partner.</p></noscript>{body}"
        "</article></body></html>"
    )
    assert "enable JavaScript" not in sieve.extract(html).text


def test_a_noscript_holding_the_post_is_read() -> None:
    # Blogger's themes put the post into a <script type="text/template"> a script renders, and the same
    # post into a <noscript> for readers without scripts: that copy is the text
    paragraphs = [
        "Over the past few years we have seen threats on the web becoming increasingly sophisticated, "
        "and phishing sites rotate their domains very quickly to avoid being blocked.",
        "Turning on the new protection mode will substantially increase protection from dangerous "
        "websites and downloads by sharing real-time data with the service.",
    ]
    post = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        "<html><head><title>New protection mode</title></head><body><h2 class='title'>New protection mode</h2>"
        f"<div class='post-body'><script type='text/template'>{post}</script><noscript>{post}</noscript></div>"
        "<noscript><img src='/pixel.gif'></noscript></body></html>"
    )
    article = sieve.extract(html, url="https://blog.example/2020/05/new-protection-mode.html")
    assert article.paragraphs == paragraphs
