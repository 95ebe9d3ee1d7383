"""The discovered-links rules (sieve.links): normal form, site, every drop rule, collection from events."""

from __future__ import annotations

from pathlib import Path

import pytest

import sieve
from sieve.links import ARTICLE_LIST, LINK_LABELS, collect_links, drop_reason, is_article_link, normalise, site

PAGES = Path(__file__).parent / "fixtures" / "pages"
SOURCE = "https://www.example.com/news/2026/11/the-page-itself"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("HTTPS://News.Example.COM/a/B?x=1", "https://news.example.com/a/B?x=1"),  # host, not path, lower-cased
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com:80/a", "https://example.com:80/a"),  # 80 is not https's default
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/a?utm_source=tw&id=7&UTM_Medium=x&fbclid=abc&gclid=1", "https://example.com/a?id=7"),
        ("https://example.com/a?b=2&a=1&msclkid=3&c", "https://example.com/a?b=2&a=1&c"),  # order and blanks kept
        ("https://example.com/a?q=caf%C3%A9&utm_campaign=z", "https://example.com/a?q=caf%C3%A9"),  # encoding kept
        ("https://example.com/a?utm_source=x#top", "https://example.com/a"),
        ("https://example.com./a", "https://example.com/a"),
        ("https://[2001:DB8::1]:8443/a", "https://[2001:db8::1]:8443/a"),
    ],
)
def test_normalise(href: str, expected: str) -> None:
    assert normalise(href) == expected


def test_normalise_resolves_against_the_page_and_refuses_what_is_not_a_web_link() -> None:
    assert normalise("../world/story-a?utm_source=x", SOURCE) == "https://www.example.com/news/2026/world/story-a"
    assert normalise("//cdn.example.com/x", SOURCE) == "https://cdn.example.com/x"
    for bad in ("mailto:desk@example.com", "tel:+15551234", "javascript:void(0)", "jav\tascript:alert(1)",
                "data:text/html,hi", "ftp://example.com/f", "", None, "https://user:pw@example.com/a",
                "https://example.com:99999/a", "https://example.com:port/a"):  # fmt: skip
        assert normalise(bad, SOURCE) is None, bad
    assert normalise("/relative/only") is None  # no page to resolve it against


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("www.example.com", "example.com"),
        ("news.example.com", "example.com"),
        ("a.b.c.example.com", "example.com"),
        ("example.com", "example.com"),
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("www.abc.net.au", "abc.net.au"),
        ("co.uk", "co.uk"),
        ("192.168.1.10", "192.168.1.10"),
        ("2001:db8::1", "2001:db8::1"),
        ("localhost", "localhost"),
    ],
)
def test_site(host: str, expected: str) -> None:
    assert site(host) == expected


@pytest.mark.parametrize(
    ("url", "title", "reason"),
    [
        ("https://www.example.com/world/2026/11/25/a-story-about-ports", "A story about ports", None),
        ("https://news.example.com/world/a-story", "", None),  # a subdomain is the same site
        ("https://example.com/world/a-story?id=5", "", None),
        ("https://www.other.com/world/a-story", "", "offsite"),
        ("https://example.com.evil.net/world/a-story", "", "offsite"),
        ("https://twitter.com/intent/tweet?url=x", "", "offsite"),
        ("ftp://www.example.com/a", "", "scheme"),
        (SOURCE, "", "self"),
        ("https://www.example.com/", "Home", "home"),
        ("https://news.example.com/", "", "home"),
        ("https://www.example.com/img/photo.JPG", "", "file"),
        ("https://www.example.com/docs/report.pdf", "", "file"),
        ("https://www.example.com/world/index.xml", "", "file"),
        ("https://www.example.com/video/clip.mp4", "", "file"),
        ("https://www.example.com/account/login", "", "account"),
        ("https://www.example.com/register", "", "account"),
        ("https://www.example.com/newsletter-signup/", "", "account"),
        ("https://www.example.com/subscribe", "", "account"),
        ("https://www.example.com/world/feed/", "", "feed"),
        ("https://www.example.com/rss", "", "feed"),
        ("https://www.example.com/share/12345", "", "share"),
        ("https://www.example.com/search?x=1", "", "search"),
        ("https://www.example.com/find?q=ports", "", "search"),
        ("https://www.example.com/tag/ukraine/", "Ukraine", "listing"),
        ("https://www.example.com/topic/heat-wave/", "", "listing"),
        ("https://www.example.com/author/jane-doe", "", "listing"),
        ("https://www.example.com/policy/international/", "See All", "navigation"),
        ("https://www.example.com/video/", "See all Video", "navigation"),
        ("https://www.example.com/news/", "More »", "navigation"),
        ("https://www.example.com/news/more-than-70-democrats-join", "More than 70 Democrats join", None),
    ],
)
def test_drop_rules(url: str, title: str, reason: str | None) -> None:
    assert drop_reason(url, SOURCE, title) == reason
    assert is_article_link(url, SOURCE, title) is (reason is None)


def test_without_a_source_page_every_link_is_offsite() -> None:
    assert drop_reason("https://www.example.com/world/a-story", None) == "offsite"


def _event(**fields: object) -> dict[str, object]:
    return {"id": "abc", "url": SOURCE, "article_list": [], "boilerplate": {}, **fields}


def test_collect_links_labels_positions_order_and_repeats() -> None:
    event = _event(
        article_list=[
            {"title": "First  teaser\n title", "url": "https://www.example.com/world/first-story", "position": 1},
            {"title": "Second teaser", "url": "https://www.example.com/world/second-story?utm_id=4", "position": 2},
        ],
        boilerplate={
            "nav": [{"text": "World", "href": "https://www.example.com/world/some-nav-story"}],
            "trending": [
                {"text": "Ukraine", "href": "https://www.example.com/tag/ukraine/"},
                {"text": "A trending story", "href": "/world/trending-story#comments"},
            ],
            "most_popular": [
                {"text": "Second teaser again", "href": "https://WWW.example.com/world/second-story"},
                {"text": "Elsewhere", "href": "https://www.other.org/story"},
                {"text": "Popular one", "href": "https://news.example.com/politics/popular-one"},
                {"text": "No link", "href": None},
            ],
            "footer": [{"text": "About", "href": "https://www.example.com/about-us-story"}],
            "sponsored": [{"text": "Ad", "href": "https://www.example.com/promo/story"}],
            "related": "not a list",
        },
    )
    links = collect_links(event)
    assert links == [
        {"url": "https://www.example.com/world/first-story", "title": "First teaser title", "label": ARTICLE_LIST,
         "position": 1},
        {"url": "https://www.example.com/world/second-story", "title": "Second teaser", "label": ARTICLE_LIST,
         "position": 2},
        {"url": "https://www.example.com/world/trending-story", "title": "A trending story", "label": "trending",
         "position": 2},
        {"url": "https://news.example.com/politics/popular-one", "title": "Popular one", "label": "most_popular",
         "position": 3},
    ]  # fmt: skip


def test_collect_links_needs_the_page_url() -> None:
    links = [{"title": "A story", "url": "/world/a-story", "position": 1}]
    assert collect_links(_event(url=None, article_list=links)) == []
    assert collect_links(_event(article_list=links))[0]["url"] == "https://www.example.com/world/a-story"


def test_fixture_article_boilerplate_lists() -> None:
    url = "https://thehill.com/homenews/3637000-the-page-itself/"
    event = sieve.extract((PAGES / "thehill_style_article.html").read_bytes(), url=url).to_dict()
    links = collect_links(event)
    labels = {link["label"] for link in links}
    assert {"just_in", "see_all", "top_stories", "most_popular"} <= labels <= set(LINK_LABELS)
    assert all(link["url"].startswith("https://thehill.com/") and "/tag/" not in link["url"] for link in links)
    assert len({link["url"] for link in links}) == len(links)
    popular = [link for link in links if link["label"] == "most_popular"]
    assert popular[0] == {
        "url": "https://thehill.com/homenews/campaign/3636912-oz-tries-to-tighten-the-screws/",
        "title": "Oz tries to tighten the screws on ...",
        "label": "most_popular",
        "position": 1,
    }
    assert not any(link["title"].lower().startswith("see all") for link in links)


def test_fixture_section_front_article_list() -> None:
    url = "https://www.meridian-daily.com/world/"
    event = sieve.extract((PAGES / "section_front.html").read_bytes(), url=url).to_dict()
    links = collect_links(event)
    listed = [link for link in links if link["label"] == ARTICLE_LIST]
    assert [link["url"] for link in listed] == [item["url"] for item in event["article_list"]]
    assert [link["position"] for link in listed] == list(range(1, len(listed) + 1))
    assert len(listed) >= 10
    assert all("/topic/" not in link["url"] for link in links)  # the trending topic pages are not articles
