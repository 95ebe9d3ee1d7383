"""The public API contract of ``sieve.extract`` and the :class:`sieve.Article` event."""

from __future__ import annotations

import importlib
import json
from typing import Any

import orjson
import pytest

import sieve
from sieve import Article, ErrorKind, ExtractionError

extract_module = importlib.import_module("sieve.extract")

EVENT_KEYS = {
    "id",
    "url",
    "canonical_url",
    "site",
    "page_type",
    "reason",
    "title",
    "description",
    "authors",
    "published_at",
    "modified_at",
    "section",
    "tags",
    "language",
    "image",
    "paragraphs",
    "text",
    "word_count",
    "content_hash",
    "boilerplate",
    "extractor",
    # added by the richer events (docs/events.md); "blocks" and "html" only when asked for
    "page_type_confidence",
    "markdown",
    "images",
    "videos",
    "links",
    "breadcrumbs",
    "article_list",
    "quality",
}
TITLE = "Harbour authority approves new ferry terminal after long review"
P = [
    "The harbour authority on Wednesday approved plans for a new ferry terminal on the north quay, "
    "ending a review that lasted almost four years and drew more than two thousand public comments.",
    "The terminal will replace a cramped waiting room built in the 1960s and will have space for "
    "bicycles, a covered walkway to the bus station and a small café run by a local charity.",
    "Officials said work could begin in the autumn if the final contracts are signed in time, and "
    "that ferries would keep running from the old pier while the new building goes up.",
]
POPULAR = ["Council approves new parking rules for ...", "Five things to know about the regatta ..."]


def page(
    paragraphs: list[str] = P,
    *,
    canonical: str | None = None,
    popular: list[str] = POPULAR,
    popular_href: str = "/story/",
    extra_head: str = "",
) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    items = "".join(f'<li><a href="{popular_href}{i}">{t}</a></li>' for i, t in enumerate(popular))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{TITLE}</title>{link}{extra_head}</head>"
        "<body><nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
        "<li><a href='/sport'>Sport</a></li></ul></nav>"
        f"<main><article><h1>{TITLE}</h1><div class='byline'>By Anna Berg</div>{body}</article>"
        f"<div><h2>Most Popular</h2><ol>{items}</ol></div></main></body></html>"
    )


def wire(article: Article) -> dict[str, Any]:
    data = article.to_dict()
    data.pop("extractor")
    return data


# --- input forms ----------------------------------------------------------------------------------


def test_str_and_bytes_give_the_same_event() -> None:
    html = page()
    url = "https://news.example.org/harbour/ferry-terminal-approved"
    from_str = sieve.extract(html, url=url)
    from_bytes = sieve.extract(html.encode("utf-8"), url=url)
    assert wire(from_str) == wire(from_bytes)
    assert from_str.paragraphs == P


def test_returns_an_article_with_the_article_fields() -> None:
    article = sieve.extract(page(), url="https://news.example.org/harbour/ferry-terminal-approved")
    assert isinstance(article, Article)
    assert article.page_type == "article"
    assert article.title == TITLE
    assert article.paragraphs == P
    assert article.authors == ["Anna Berg"]
    assert article.language == "en"
    assert article.site == "news.example.org"
    assert article.url == "https://news.example.org/harbour/ferry-terminal-approved"


# --- id -------------------------------------------------------------------------------------------


def test_id_is_stable_for_the_same_canonical_url() -> None:
    canonical = "https://news.example.org/harbour/ferry-terminal-approved"
    a = sieve.extract(page(canonical=canonical), url=canonical + "?utm_source=feed")
    b = sieve.extract(page([*P, "An update added later in the day."], canonical=canonical), url=canonical)
    assert a.id == b.id
    assert a.canonical_url == b.canonical_url == canonical
    assert a.id  # non-empty
    assert sieve.extract(page(canonical=canonical)).id == a.id  # without a url, the canonical still decides


def test_id_ignores_url_case_of_scheme_and_host_and_the_fragment() -> None:
    a = sieve.extract(page(), url="https://news.example.org/harbour/ferry")
    b = sieve.extract(page(), url="HTTPS://News.Example.ORG/harbour/ferry#comments")
    assert a.id == b.id


def test_id_differs_for_different_canonical_urls() -> None:
    a = sieve.extract(page(canonical="https://news.example.org/harbour/ferry-terminal-approved"))
    b = sieve.extract(page(canonical="https://news.example.org/harbour/ferry-terminal-rejected"))
    assert a.id != b.id


def test_id_falls_back_to_the_url() -> None:
    url = "https://news.example.org/harbour/ferry-terminal-approved"
    a = sieve.extract(page(), url=url)
    b = sieve.extract(page([*P[:2], "A different third paragraph about the ferry terminal plans."]), url=url)
    c = sieve.extract(page(), url="https://news.example.org/harbour/another-story")
    assert a.id == b.id
    assert a.id != c.id


def test_id_falls_back_to_the_content() -> None:
    a = sieve.extract(page())
    b = sieve.extract(page())
    c = sieve.extract(page([*P[:2], "A different third paragraph about the ferry terminal plans and costs."]))
    assert a.url is None and a.canonical_url is None
    assert a.id == b.id
    assert a.id != c.id


# --- content_hash ---------------------------------------------------------------------------------


def test_content_hash_changes_when_a_paragraph_changes() -> None:
    a = sieve.extract(page())
    changed = [P[0], P[1].replace("bicycles", "prams"), P[2]]
    b = sieve.extract(page(changed))
    assert a.content_hash != b.content_hash


def test_content_hash_ignores_boilerplate_changes() -> None:
    a = sieve.extract(page())
    b = sieve.extract(page(popular=["Storm warning issued for the coast ...", "Schools to close early on ..."]))
    assert a.paragraphs == b.paragraphs == P
    assert a.content_hash == b.content_hash


def test_content_hash_ignores_the_url() -> None:
    a = sieve.extract(page(), url="https://a.example/x")
    b = sieve.extract(page(), url="https://b.example/y")
    assert a.content_hash == b.content_hash


# --- wire form ------------------------------------------------------------------------------------


def test_to_json_round_trips_and_has_exactly_the_documented_keys() -> None:
    article = sieve.extract(page(), url="https://news.example.org/harbour/ferry-terminal-approved")
    raw = article.to_json()
    assert isinstance(raw, bytes)
    via_orjson = orjson.loads(raw)
    via_json = json.loads(raw.decode("utf-8"))
    assert via_orjson == via_json
    assert set(via_json) == EVENT_KEYS
    assert via_json == json.loads(json.dumps(article.to_dict()))
    assert via_json["paragraphs"] == P
    assert via_json["extractor"]["version"] == sieve.__version__
    assert set(via_json["extractor"]) == {"version", "ms"}
    for label, items in via_json["boilerplate"].items():
        assert isinstance(label, str)
        for item in items:
            assert set(item) == {"text", "href"}


def test_text_is_the_paragraphs_joined() -> None:
    article = sieve.extract(page())
    assert article.paragraphs == P
    assert article.text == "\n\n".join(article.paragraphs)


def test_word_count() -> None:
    article = sieve.extract(page())
    assert article.word_count == sum(len(p.split()) for p in P)
    assert article.word_count == len(article.text.split())


def test_extractor_info() -> None:
    article = sieve.extract(page())
    assert article.extractor.version == sieve.__version__
    assert article.extractor.ms > 0


def test_relative_boilerplate_hrefs_are_made_absolute() -> None:
    url = "https://news.example.org/harbour/ferry-terminal-approved"
    article = sieve.extract(page(popular_href="/popular/"), url=url)
    items = [i for i in article.boilerplate.get("most_popular", []) if i.href]
    assert [i.text for i in items] == POPULAR
    assert [i.href for i in items] == [f"https://news.example.org/popular/{n}" for n in range(len(POPULAR))]


def test_relative_hrefs_resolve_against_the_path() -> None:
    url = "https://news.example.org/harbour/ferry-terminal-approved"
    article = sieve.extract(page(popular_href="related-"), url=url)
    hrefs = [i.href for i in article.boilerplate.get("most_popular", []) if i.href]
    assert hrefs == ["https://news.example.org/harbour/related-0", "https://news.example.org/harbour/related-1"]


def test_relative_canonical_is_made_absolute() -> None:
    article = sieve.extract(page(canonical="/harbour/ferry-terminal-approved"), url="https://news.example.org/x?y=1")
    assert article.canonical_url == "https://news.example.org/harbour/ferry-terminal-approved"


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("empty", ["", b"", "   \n\t  ", b"\n\n"])
def test_empty_input(empty: str | bytes) -> None:
    with pytest.raises(ExtractionError) as info:
        sieve.extract(empty)
    assert info.value.kind is ErrorKind.EMPTY


@pytest.mark.parametrize("as_bytes", [False, True])
def test_input_over_the_size_limit(as_bytes: bool) -> None:
    limit = extract_module.MAX_INPUT_BYTES
    html = "<html><body><p>" + "a" * limit + "</p></body></html>"
    with pytest.raises(ExtractionError) as info:
        sieve.extract(html.encode() if as_bytes else html)
    assert info.value.kind is ErrorKind.TOO_LARGE


@pytest.mark.parametrize("bad", [123, None, 4.5, ["<p>hi</p>"], {"html": "<p>hi</p>"}, object()])
def test_non_text_input_is_bad_input(bad: object) -> None:
    with pytest.raises(ExtractionError) as info:
        sieve.extract(bad)  # type: ignore[arg-type]
    assert info.value.kind is ErrorKind.BAD_INPUT


def test_extraction_error_carries_kind_and_message() -> None:
    with pytest.raises(ValueError) as info:  # ExtractionError is a ValueError
        sieve.extract("")
    error = info.value
    assert isinstance(error, ExtractionError)
    assert error.kind == "empty_input"
    assert error.message and str(error) == error.message


def test_page_with_no_article_is_not_an_error() -> None:
    article = sieve.extract("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert article.page_type != "article"
    assert article.paragraphs == []
    assert article.text == ""
    assert article.word_count == 0


def test_meta_keys_cover_every_key_read() -> None:
    """read_metadata skips <meta> names outside _META_KEYS: each one it reads must be listed."""
    import inspect
    import re

    from sieve import metadata

    read = set(re.findall(r'props\.get\("([^"]+)"\)', inspect.getsource(metadata.read_metadata)))
    assert read and read <= metadata._META_KEYS


def test_has_host_agrees_with_urlsplit() -> None:
    from urllib.parse import urlsplit

    from sieve.urls import _has_host

    for url in (
        "http://a.b/c",
        "https://",
        "http:///x",
        "http://[::1]/",
        "http://[x/",
        "https://é.fr/",
        "http:/x",
        "http:x",
        "HTTP://A?b",
        "http://a#f",
        "http://?q",
        "ftp://h",
        "http://u@h:80/p",
    ):
        try:
            expected = bool(urlsplit(url).netloc)
        except ValueError:
            expected = False
        assert _has_host(url) is expected, url


def test_text_already_decoded_is_not_re_read_in_the_charset_its_meta_declares() -> None:
    # the parser is handed UTF-8 bytes of the str: a <meta charset> naming another encoding must not
    # make it decode them again (mojibake such as "cafÃ©")
    para = "Le café est fermé à Zürich pendant les travaux du pont, a annoncé la mairie mardi soir. " * 4
    html = (
        '<html><head><meta charset="windows-1252"><title>Café fermé</title></head><body><article>'
        f"<h1>Café fermé</h1><p>{para.strip()}</p><p>{para.strip()}</p></article></body></html>"
    )
    article = sieve.extract(html, url="https://news.example/2026/cafe-ferme-zurich.html")
    assert article.paragraphs == [para.strip(), para.strip()]
    assert article.title == "Café fermé"


def test_boilerplate_link_items_are_the_frozen_dataclass() -> None:
    """assemble builds them without running their dataclass __init__; they must be the same thing."""
    import dataclasses

    from sieve.assemble import _link_item
    from sieve.contracts import LinkItem

    item = _link_item("Most read", "https://example.com/a")
    assert item == LinkItem("Most read", "https://example.com/a")
    assert hash(item) == hash(LinkItem("Most read", "https://example.com/a"))
    assert repr(item) == "LinkItem(text='Most read', href='https://example.com/a')"
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.text = "changed"  # type: ignore[misc]


def test_a_canonical_url_urlsplit_refuses_does_not_fail_the_page() -> None:
    head = '<title>Budget</title><link rel="canonical" href="http://[bad/path">'
    body = "<article><h1>Budget</h1><p>" + "The council approved the budget. " * 10 + "</p></article>"
    article = sieve.extract(f"<html><head>{head}</head><body>{body}</body></html>", url="https://www.example.com/x")
    assert article.site == "example.com"
    assert article.text.startswith("The council approved the budget.")
