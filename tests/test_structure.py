"""Typed body blocks, Markdown, media, links, breadcrumbs, listing links, confidence and quality.

Checked on the bundled fixture pages (tests/fixtures/pages; the structure keys of their
``expected.json`` are described in the README there) and on small pages written here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser

import sieve
from sieve.contracts import BODY_FORMATS
from sieve.structure import paragraphs_of

PAGES = Path(__file__).parent / "fixtures" / "pages"
SCHEMAS = Path(sieve.__file__).parent / "schemas"
CASES = sorted(p.with_suffix("").name for p in PAGES.glob("*.html") if p.with_suffix(".expected.json").exists())
ALL = ("text", "blocks", "markdown", "html")
STRUCTURE = "tech_explainer_structure"


def _load(name: str, formats: tuple[str, ...] = ALL) -> tuple[sieve.Article, dict[str, Any]]:
    expected = json.loads((PAGES / f"{name}.expected.json").read_text("utf-8"))
    return sieve.extract((PAGES / f"{name}.html").read_bytes(), url=expected["url"], formats=formats), expected


def _markdown_text(markdown: str) -> str:
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    body = LexborHTMLParser(f"<body>{html}</body>").body
    return body.text(deep=True, separator=" ") if body is not None else ""


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text)


@pytest.mark.parametrize("name", CASES)
def test_paragraphs_are_derived_from_blocks(name: str) -> None:
    article, expected = _load(name)
    assert article.blocks is not None
    assert paragraphs_of(article.blocks) == article.paragraphs == expected["paragraphs"]
    assert article.text == "\n\n".join(paragraphs_of(article.blocks))


@pytest.mark.parametrize("name", CASES)
def test_markdown_reads_back_as_the_text(name: str) -> None:
    """A CommonMark parser renders the Markdown; its text has the words of ``text``, in order
    (figures contribute none: alt and caption are attributes of the image; an embed is a link line)."""
    article, _expected = _load(name)
    assert article.markdown is not None
    lines = [
        ln for ln in article.markdown.split("\n") if not re.match(r"^\[(?:video|audio|social|map|chart|other)\b", ln)
    ]
    assert _tokens(_markdown_text("\n".join(lines))) == _tokens(article.text)


@pytest.mark.parametrize("name", CASES)
def test_events_validate_against_the_clean_record_schema(name: str) -> None:
    article, _expected = _load(name)
    schema = json.loads((SCHEMAS / "article-clean.json").read_text("utf-8"))
    source = json.loads((SCHEMAS / "source.json").read_text("utf-8"))
    registry_schema = {**schema, "properties": {**schema["properties"], "source": {"type": "object"}}}
    assert source["type"] == "object"
    if article.page_type != "article":
        registry_schema["properties"]["page_type"] = {"type": "string"}
    event = {**article.to_dict(), "source": {}, "revision": 1}
    validator = jsonschema.Draft202012Validator(registry_schema)
    errors = sorted(validator.iter_errors(event), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_every_block_type_on_the_structure_fixture() -> None:
    article, expected = _load(STRUCTURE)
    assert article.blocks is not None
    assert [b["type"] for b in article.blocks] == expected["block_types"]
    assert {b["type"] for b in article.blocks} == {
        "paragraph",
        "heading",
        "list_item",
        "quote",
        "preformatted",
        "table",
        "figure",
        "embed",
    }
    assert [[b["level"], b["text"]] for b in article.blocks if b["type"] == "heading"] == expected["headings"]
    items = [[b["ordered"], b["list"], b["position"]] for b in article.blocks if b["type"] == "list_item"]
    assert items == expected["lists"]
    assert next(b["rows"] for b in article.blocks if b["type"] == "table") == expected["table"]
    assert next(b["raw"] for b in article.blocks if b["type"] == "preformatted") == expected["preformatted"]
    figure = next(b for b in article.blocks if b["type"] == "figure")
    assert {k: v for k, v in figure.items() if k != "type"} == expected["figure"]
    embeds = [{k: v for k, v in b.items() if k != "type"} for b in article.blocks if b["type"] == "embed"]
    assert embeds == expected["embeds"]


def test_media_links_and_breadcrumbs_on_the_structure_fixture() -> None:
    article, expected = _load(STRUCTURE)
    assert [i["url"] for i in article.images] == expected["images"]
    assert article.images[0].get("lead") is True
    assert [v["url"] for v in article.videos] == expected["videos"]
    assert article.links == expected["links"]
    assert all("javascript" not in link["href"] for link in article.links)
    assert article.breadcrumbs == expected["breadcrumbs"]


def test_markdown_of_the_structure_fixture() -> None:
    article, _expected = _load(STRUCTURE)
    md = article.markdown or ""
    assert "## What the sensors measure" in md
    assert "### Watch: the sensors during the May 2 storm" in md
    assert "- the water level" in md and "1. Create an account" in md
    assert "> A number on a website is great" in md
    assert "```\ncurl -s https://data.riversideledger.example/api/river/latest.json \\\n  | jq" in md
    assert "| Hourly rise | What the city does |\n| --- | --- |" in md
    assert "![A grey sensor box bolted under the Elm Street bridge](<https://img.riversideledger.com/" in md
    assert "[state resilience grant](<https://www.riversideledger.com/news/2023/09/state-resilience-grant>)" in md
    html = MarkdownIt("commonmark").enable("table").render(md)
    tree = LexborHTMLParser(html)
    assert len(tree.css("h2")) == 2 and tree.css_first("table") is not None and tree.css_first("pre code") is not None
    assert len(tree.css("ul > li")) == 3 and len(tree.css("ol > li")) == 3 and tree.css_first("blockquote")


def test_magazine_lists_quotes_and_figures() -> None:
    article, _expected = _load("magazine_longform")
    blocks = article.blocks or []
    lists = {(b["list"], b["ordered"]) for b in blocks if b["type"] == "list_item"}
    assert lists == {(0, False), (1, True)}
    assert sum(b["type"] == "quote" for b in blocks) == 2
    assert sum(b["type"] == "figure" for b in blocks) >= 2
    assert all(b["url"].startswith("https://") for b in blocks if b["type"] == "figure")


def test_listing_page_carries_its_article_list() -> None:
    article, expected = _load("section_front")
    assert article.page_type == "section_front"
    assert [a["title"] for a in article.article_list] == expected["article_links"]
    assert [a["position"] for a in article.article_list] == list(range(1, 17))
    assert all(a["url"].startswith("https://www.meridian-daily.com/") for a in article.article_list)
    assert article.blocks == [] and article.markdown == "" and article.images == []
    assert 0.5 < article.page_type_confidence <= 1.0


@pytest.mark.parametrize("name", CASES)
def test_confidence_quality_and_language_are_in_range(name: str) -> None:
    article, expected = _load(name)
    assert 0.5 < article.page_type_confidence <= 1.0
    assert 0.0 <= article.quality <= 1.0
    assert article.language == expected["language"]
    if article.page_type == "article":
        assert article.article_list == []
        assert article.quality > 0.3


def test_formats_select_what_the_event_carries() -> None:
    page = (PAGES / "magazine_longform.html").read_bytes()
    default = sieve.extract(page).to_dict()
    assert "markdown" in default and "blocks" not in default and "html" not in default
    plain = sieve.extract(page, formats=("text",)).to_dict()
    assert not {"markdown", "blocks", "html"} & set(plain)
    everything = sieve.extract(page, formats=ALL).to_dict()
    assert {"markdown", "blocks", "html"} <= set(everything)
    assert plain["paragraphs"] == default["paragraphs"] == everything["paragraphs"]
    assert plain["content_hash"] == everything["content_hash"]
    assert sieve.extract(page, formats="blocks,html").to_dict().keys() >= {"blocks", "html"}
    with pytest.raises(ValueError, match="unknown body format"):
        sieve.extract(page, formats=("text", "pdf"))
    assert frozenset(ALL) == BODY_FORMATS


def test_quality_is_lower_when_boilerplate_is_scattered_through_the_body() -> None:
    prose = "The council approved the budget after a long debate about schools and roads in the town. " * 3
    clean = "".join(f"<p>{prose}</p>" for _ in range(6))
    messy = "".join(
        f"<p>{prose}</p><div class='promo'><a href='/x{i}'>Read more: another story {i}</a> "
        f"<a href='/y{i}'>and one more here</a></div>"
        for i in range(6)
    )
    wrap = "<html><head><title>Budget</title></head><body><h1>Budget</h1><div>{}</div></body></html>"
    assert sieve.extract(wrap.format(clean)).quality > sieve.extract(wrap.format(messy)).quality


def test_markdown_line_start_escape_matches_the_pattern() -> None:
    """_md_escape skips re.sub when the first character cannot start a Markdown marker."""
    from sieve import render

    def line_start(m: re.Match[str]) -> str:
        return "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3)

    for text in ("", "# a", "+ x", "= y", "- z", "1. one", "12) two", "\u0663. three", "x 1.", "1a", "§ 2", "a"):
        assert render._md_escape(text) == render._MD_LINE_START.sub(line_start, text), text
