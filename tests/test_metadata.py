"""sieve.metadata.Resolver: a page's links made absolute, its shortcuts agreeing with urljoin."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from sieve.metadata import Resolver

BASES = [
    "https://news.example.com/world/2024/story.html?id=7#top",
    "https://news.example.com",
    "http://news.example.com/section/",
    "https://news.example.com/a/b;params?q=1",
]
HREFS = [
    "#",
    "#comments",
    " #padded ",
    "mailto:desk@news.example.com",
    "JavaScript:void(0)",
    "tel:+4969380795200",
    "whatsapp://send?text=Hello%20there",
    "fb-messenger://share?app_id=1",
    "http:relative-with-scheme",
    "HTTPS:other",
    "?p=2",
    "tech",
    "../up/one",
    "//cdn.example.net/pic.jpg",
    "/politics/story",
    "https://elsewhere.example.org/x",
    "1st:not-a-scheme",
]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("href", HREFS)
def test_resolved_links_are_what_urljoin_makes_of_them(base: str, href: str) -> None:
    assert Resolver(base)(href) == urljoin(base, href.strip())


def test_each_href_is_resolved_once_and_blank_ones_are_none() -> None:
    resolve = Resolver(BASES[0])
    assert resolve("#a") == resolve("#a") == "https://news.example.com/world/2024/story.html?id=7#a"
    assert resolve("   ") is None
    assert list(resolve.resolved) == ["#a", "   "]


def test_without_a_base_links_stay_as_written() -> None:
    resolve = Resolver(None)
    assert resolve("tech") == "tech"
    assert resolve("#x") == "#x"
