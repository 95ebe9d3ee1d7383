"""The bundled sample pages: exact body paragraphs, no leaks, every boilerplate list labelled.

Each ``tests/fixtures/pages/X.html`` has a hand-written ``X.expected.json`` (see the README there):
what a person reading the page calls the article, and what they call page furniture.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import sieve

PAGES = Path(__file__).parent / "fixtures" / "pages"
CASES = sorted(p.with_suffix("").name for p in PAGES.glob("*.html") if p.with_suffix(".expected.json").exists())


def _load(name: str) -> tuple[sieve.Article, dict[str, Any]]:
    expected = json.loads((PAGES / f"{name}.expected.json").read_text("utf-8"))
    article = sieve.extract((PAGES / f"{name}.html").read_bytes(), url=expected["url"])
    return article, expected


def test_there_are_fixtures_of_many_kinds() -> None:
    assert len(CASES) >= 8
    kinds = {json.loads((PAGES / f"{c}.expected.json").read_text("utf-8"))["page_type"] for c in CASES}
    assert {"article", "section_front"} <= kinds


@pytest.mark.parametrize("name", CASES)
def test_page_type(name: str) -> None:
    article, expected = _load(name)
    assert article.page_type == expected["page_type"], article.reason


@pytest.mark.parametrize("name", CASES)
def test_exact_paragraphs(name: str) -> None:
    article, expected = _load(name)
    assert article.paragraphs == expected["paragraphs"]
    assert article.text == "\n\n".join(expected["paragraphs"])


@pytest.mark.parametrize("name", CASES)
def test_nothing_leaks_into_text(name: str) -> None:
    article, expected = _load(name)
    leaks = [s for s in expected["must_not_contain"] if s in article.text]
    assert not leaks


@pytest.mark.parametrize("name", CASES)
def test_boilerplate_items_are_labelled(name: str) -> None:
    article, expected = _load(name)
    for label, items in expected["boilerplate"].items():
        found = [item.text for item in article.boilerplate.get(label, [])]
        missing = [want for want in items if not any(want in have for have in found)]
        assert not missing, f"{label}: {missing} not among {found[:12]}"


@pytest.mark.parametrize("name", CASES)
def test_metadata(name: str) -> None:
    article, expected = _load(name)
    assert article.title == expected["title"]
    assert article.authors == expected["authors"]
    assert article.published_at == expected["published_at"]
    assert article.language == expected["language"]
    assert article.tags == expected["tags"]
