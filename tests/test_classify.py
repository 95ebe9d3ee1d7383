"""General block-classification rules (sieve.classify), on small synthetic pages written here.

Each page is what a person would obviously read as: the article (headline, byline, body paragraphs)
plus the page furniture around or inside it. The expectations say what a reader would say: which
paragraphs are the article, and what each boilerplate list is. No rule here names a site.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from sieve.blocks import Block
from sieve.contracts import Article, Label
from sieve.extract import analyse, extract
from sieve.segment import segment
from sieve.signals import DIGIT_SIGNALS, LINK_SIGNALS, RULES, Features

TITLE = "City council approves plan to rebuild the old river bridge"
P = [
    "The city council voted seven to two on Tuesday night to approve a plan to rebuild the old river bridge, "
    "ending more than a decade of debate over the crossing that links the two halves of the town.",
    "Engineers have warned since 2012 that the steel deck was corroding faster than expected, and the bridge "
    "has been closed to trucks for three years. The new design keeps the original stone piers.",
    "Construction is expected to start next spring and to take about two years. During that time a temporary "
    "footbridge will carry pedestrians and cyclists, while cars will be sent over the highway bypass.",
    "Several shop owners on the east bank told the council that the closure would hurt their business, and the "
    "council agreed to set aside a small fund to help them through the months of construction work.",
    "The mayor said the project would be paid for with a mix of state grants and a bond that voters approved "
    "last November, and that property taxes would not rise because of it.",
]

NAV = (
    '<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>'
    '<li><a href="/politics">Politics</a></li><li><a href="/sports">Sports</a></li>'
    '<li><a href="/opinion">Opinion</a></li></ul></nav></header>'
)
FOOTER = (
    '<footer><ul><li><a href="/about">About Us</a></li><li><a href="/privacy">Privacy Policy</a></li>'
    '<li><a href="/contact">Contact Us</a></li></ul></footer>'
)
MOST_POPULAR = [
    "Mayor says new parking rules will ...",
    "Five things to know about the school ...",
    "Police investigate break-in at downtown ...",
    "High school team wins first state title in ...",
    "Storm knocks out power to thousands of ...",
]
TRENDING = ["Election 2024", "School budget", "River bridge", "Weather"]
RELATED = [
    "Council delays vote on bridge plan again",
    "Engineers warn of corrosion on river bridge deck",
    "Truck ban on old bridge to stay in place",
]


def ps(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def links(items: list[str], prefix: str = "/story/", tag: str = "ul") -> str:
    lis = "".join(f'<li><a href="{prefix}{i}">{t}</a></li>' for i, t in enumerate(items))
    return f"<{tag}>{lis}</{tag}>"


def doc(body: str, title: str = TITLE) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title} | The Riverside Gazette</title></head>"
        f"<body>{NAV}{body}{FOOTER}</body></html>"
    )


def article_html(inner: str, *, byline: str = "By Jane Doe") -> str:
    return f'<article><h1>{TITLE}</h1><div class="byline">{byline}</div>{inner}</article>'


def run(html: str) -> Article:
    return extract(html, url="https://www.riverside-gazette.example/news/council-approves-bridge-plan")


def label_of(html: str, text: str) -> list[Label]:
    """Labels of the blocks whose text contains ``text``."""
    blocks = analyse(html).blocks
    found = [b.label for b in blocks if text in b.text]
    assert found, f"no block contains {text!r}"
    return found


def linked(article: Article, label: str) -> list[str]:
    """Texts of the link items reported under ``label`` (items without an href are headings)."""
    return [item.text for item in article.boilerplate.get(label, []) if item.href]


def assert_not_in_text(article: Article, strings: list[str]) -> None:
    leaks = [s for s in strings if s in article.text]
    assert not leaks, f"leaked into the article text: {leaks}"


# --- Most Popular ---------------------------------------------------------------------------------


def test_numbered_most_popular_list_with_truncated_titles() -> None:
    sidebar = f"<div><h2>Most Popular</h2>{links(MOST_POPULAR, tag='ol')}</div>"
    html = doc(f"<main>{article_html(ps(P[:3]))}{sidebar}</main>")
    article = run(html)
    assert article.paragraphs == P[:3]
    assert_not_in_text(article, [*MOST_POPULAR, "Most Popular"])
    assert linked(article, "most_popular") == MOST_POPULAR
    for title in MOST_POPULAR:
        assert set(label_of(html, title)) == {Label.MOST_POPULAR}


def test_most_popular_list_with_visible_rank_numbers_and_class() -> None:
    items = "".join(
        f'<li><span class="rank">{n}</span><a href="/story/{n}">{t}</a></li>'
        for n, t in enumerate(MOST_POPULAR, start=1)
    )
    widget = f'<section class="most-popular-widget"><h3>Most Read</h3><ol>{items}</ol></section>'
    html = doc(f"<main>{article_html(ps(P[:3]))}</main><aside>{widget}</aside>")
    article = run(html)
    assert article.paragraphs == P[:3]
    assert_not_in_text(article, MOST_POPULAR)
    found = linked(article, "most_popular")
    assert all(any(t in f for f in found) for t in MOST_POPULAR), found


def test_most_popular_list_that_repeats_the_headline_is_not_body() -> None:
    # a truncated copy of the page's own headline sits in the list: still a list item, not the headline
    items = [*MOST_POPULAR[:2], "City council approves plan to rebuild ...", *MOST_POPULAR[2:]]
    html = doc(f"<main>{article_html(ps(P[:3]))}<div><h2>Most Popular</h2>{links(items, tag='ol')}</div></main>")
    article = run(html)
    assert article.paragraphs == P[:3]
    assert article.title == TITLE
    assert linked(article, "most_popular") == items


# --- Trending -------------------------------------------------------------------------------------


def test_trending_prefix_followed_by_links() -> None:
    bar = "<div><strong>Trending:</strong> " + " ".join(f'<a href="/tag/{t}">{t}</a>' for t in TRENDING) + "</div>"
    html = doc(f"{bar}<main>{article_html(ps(P[:3]))}</main>")
    article = run(html)
    assert article.paragraphs == P[:3]
    assert_not_in_text(article, ["Trending", *TRENDING])
    found = linked(article, "trending")
    assert found == TRENDING


def test_trending_heading_with_a_list() -> None:
    box = f"<div><h3>Trending</h3>{links(TRENDING, prefix='/tag/')}</div>"
    html = doc(f"<main>{article_html(ps(P[:3]))}</main>{box}")
    article = run(html)
    assert article.paragraphs == P[:3]
    assert linked(article, "trending") == TRENDING


# --- other boilerplate headings -------------------------------------------------------------------


def test_just_in_see_all_top_stories_and_video_lists() -> None:
    just_in = ["Firefighters contain brush fire near the highway", "School board names new superintendent"]
    more = ["State lawmakers debate new transit funding plan", "County opens second vaccination clinic"]
    top = ["Governor signs budget after late-night session", "University raises tuition for third year"]
    videos = ["Watch: the bridge closure explained in two minutes", "Drone footage shows flood damage"]
    rail = (
        f"<div><h2>Just In...</h2>{links(just_in, '/ji/')}<a href='/latest'>View all</a></div>"
        f"<div><h2>More Local News</h2>{links(more, '/local/')}<a href='/local'>See All</a></div>"
        f"<div><h2>Top Stories</h2>{links(top, '/top/')}</div>"
        f"<div><h2>Video</h2>{links(videos, '/video/')}</div>"
    )
    html = doc(f"<main>{article_html(ps(P[:3]))}</main>{rail}")
    article = run(html)
    assert article.paragraphs == P[:3]
    assert_not_in_text(article, [*just_in, *more, *top, *videos, "See All", "View all"])
    got = {label: linked(article, label) for label in article.boilerplate}
    assert got.get("just_in", [])[:2] == just_in
    assert all(t in got.get("see_all", []) for t in more), got
    assert got.get("top_stories") == top
    assert got.get("video") == videos


# --- wrappers with unlucky class names ------------------------------------------------------------


def test_page_wrapper_with_sidebar_class_is_not_a_sidebar() -> None:
    sidebar = f'<div class="sidebar"><h2>Most Popular</h2>{links(MOST_POPULAR, tag="ol")}</div>'
    html = doc(f'<div class="page has-sidebar"><main>{article_html(ps(P[:4]))}</main>{sidebar}</div>')
    article = run(html)
    assert article.paragraphs == P[:4]
    assert_not_in_text(article, MOST_POPULAR)


def test_article_wrapper_with_ads_class_keeps_the_article() -> None:
    html = doc(f'<div class="layout with-ads"><div class="content-wrap">{article_html(ps(P[:4]))}</div></div>')
    assert run(html).paragraphs == P[:4]


# --- boilerplate inside the body ------------------------------------------------------------------


def test_related_box_inside_the_body_is_dropped_paragraphs_around_stay() -> None:
    box = f'<div class="related-box"><h3>Related stories</h3>{links(RELATED)}</div>'
    body = f'<div class="article-body">{ps(P[:2])}{box}{ps(P[2:])}</div>'
    html = doc(f"<main>{article_html(body)}</main>")
    article = run(html)
    assert article.paragraphs == P
    assert_not_in_text(article, [*RELATED, "Related stories"])
    assert linked(article, "related") == RELATED


def test_related_box_without_class_names_is_found_by_its_heading() -> None:
    box = f"<div><h4>Related stories</h4>{links(RELATED)}</div>"
    body = f"<div>{ps(P[:2])}{box}{ps(P[2:])}</div>"
    html = doc(f"<main>{article_html(body)}</main>")
    article = run(html)
    assert article.paragraphs == P
    assert_not_in_text(article, RELATED)


def test_a_section_id_made_from_its_headings_words_is_no_markup_hint() -> None:
    # Documentation generators (Sphinx, pandoc) give each section its heading's slug as id: the word
    # "sharing" in it names the section's topic, not a share bar.
    def section(slug: str, heading: str, inner: str) -> str:
        return f'<div class="section" id="{slug}"><h2>{heading}</h2>{inner}</div>'

    body = (
        section("the-plan", "The plan", ps(P[:3]))
        + section("sharing-the-cost-with-the-state", "Sharing the cost with the state", ps(P[3:]))
        + section("related-stories", "Related stories", links(RELATED))
    )
    article = run(doc(f"<main>{article_html(body)}</main>"))
    assert article.paragraphs == ["The plan", *P[:3], "Sharing the cost with the state", *P[3:]]
    assert_not_in_text(article, RELATED)


def test_related_box_with_a_german_heading_is_not_body() -> None:
    # a "related articles" box announced only by its heading, in the page's own language
    items = ["Neue Brücke: Bauarbeiten beginnen im Frühjahr", "Stadtrat streitet über Parkgebühren in der Altstadt"]
    box = f"<div><h3>Ähnliche Beiträge</h3>{links(items)}</div>"
    html = doc(f"<main>{article_html(ps(P[:3]) + box)}</main>")
    article = run(html)
    assert article.paragraphs == P[:3]
    assert_not_in_text(article, [*items, "Ähnliche Beiträge"])


def test_read_more_line_inside_the_body_is_not_body() -> None:
    line = '<p>Read more: <a href="/story/9">Council delays vote on bridge plan again</a></p>'
    html = doc(f"<main>{article_html(ps(P[:2]) + line + ps(P[2:4]))}</main>")
    article = run(html)
    assert article.paragraphs == P[:4]


def test_advertisement_label_inside_the_body_is_not_body() -> None:
    ad = '<div class="ad-slot"><p>Advertisement</p></div>'
    html = doc(f"<main>{article_html(ps(P[:2]) + ad + ps(P[2:4]))}</main>")
    article = run(html)
    assert article.paragraphs == P[:4]
    assert "Advertisement" not in article.text


def test_newsletter_box_inside_the_body_is_not_body() -> None:
    box = (
        '<div class="newsletter-signup"><h3>Sign up for our newsletter</h3>'
        "<p>Get the day's most important local stories delivered to your inbox every morning, free of charge.</p>"
        "</div>"
    )
    html = doc(f"<main>{article_html(ps(P[:2]) + box + ps(P[2:4]))}</main>")
    article = run(html)
    assert article.paragraphs == P[:4]
    assert "inbox" not in article.text


# --- captions -------------------------------------------------------------------------------------

CAPTION = (
    "Workers inspect the corroded steel deck of the old river bridge on Monday, Sept. 12, 2022. (AP Photo/Maria Lopez)"
)


def test_figure_caption_with_credit_is_a_caption() -> None:
    figure = f'<figure><img src="/img/bridge.jpg" alt=""><figcaption>{CAPTION}</figcaption></figure>'
    html = doc(f"<main>{article_html(figure + ps(P[:4]))}</main>")
    article = run(html)
    assert article.paragraphs == P[:4]
    assert "AP Photo" not in article.text
    assert set(label_of(html, "AP Photo/Maria Lopez")) == {Label.CAPTION}
    assert article.image is not None
    assert article.image.caption is not None and "corroded steel deck" in article.image.caption
    assert article.image.credit is not None and "AP Photo/Maria Lopez" in article.image.credit


def test_caption_with_credit_in_a_plain_div_between_paragraphs() -> None:
    html = doc(f"<main>{article_html(ps(P[:2]) + f'<div>{CAPTION}</div>' + ps(P[2:4]))}</main>")
    article = run(html)
    assert article.paragraphs == P[:4]
    assert set(label_of(html, "AP Photo/Maria Lopez")) == {Label.CAPTION}


# --- byline and standfirst ------------------------------------------------------------------------


def test_byline_is_not_body_and_names_the_author() -> None:
    html = doc(f"<main>{article_html(ps(P[:3]))}</main>")
    article = run(html)
    assert article.paragraphs == P[:3]
    assert "By Jane Doe" not in article.text
    assert article.authors == ["Jane Doe"]
    assert set(label_of(html, "By Jane Doe")) == {Label.BYLINE}


def test_byline_without_markup_hint() -> None:
    inner = f"<h1>{TITLE}</h1><p>By Jane Doe</p>{ps(P[:3])}"
    article = run(doc(f"<main><article>{inner}</article></main>"))
    assert article.paragraphs == P[:3]
    assert article.authors == ["Jane Doe"]


def test_byline_with_two_authors() -> None:
    article = run(doc(f"<main>{article_html(ps(P[:3]), byline='By Jane Doe and John Smith')}</main>"))
    assert article.paragraphs == P[:3]
    assert article.authors == ["Jane Doe", "John Smith"]


def test_byline_with_a_date_after_the_name() -> None:
    article = run(doc(f"<main>{article_html(ps(P[:3]), byline='By Jane Doe - 09/13/22 6:30 PM ET')}</main>"))
    assert article.paragraphs == P[:3]
    assert article.authors == ["Jane Doe"]
    assert article.published_at == "2022-09-13T18:30:00-04:00"


def test_byline_repeated_for_mobile_appears_once() -> None:
    inner = f'<div class="byline hide-on-desktop">By Jane Doe</div>{ps(P[:3])}'
    article = run(doc(f"<main>{article_html(inner)}</main>"))
    assert article.paragraphs == P[:3]
    assert article.authors == ["Jane Doe"]


STANDFIRST = (
    "After more than a decade of debate, the council backs a design that keeps the stone piers and adds "
    "a footbridge during two years of construction."
)


def test_standfirst_between_headline_and_byline_is_not_body() -> None:
    inner = f'<h1>{TITLE}</h1><p class="dek">{STANDFIRST}</p><div class="byline">By Jane Doe</div>{ps(P[:4])}'
    html = doc(f"<main><article>{inner}</article></main>")
    article = run(html)
    assert article.paragraphs == P[:4]
    assert STANDFIRST not in article.text
    assert Label.BODY not in label_of(html, STANDFIRST[:60])


def test_standfirst_without_class_is_not_body() -> None:
    inner = f"<h1>{TITLE}</h1><p>{STANDFIRST}</p><p>By Jane Doe</p>{ps(P[:4])}"
    article = run(doc(f"<main><article>{inner}</article></main>"))
    assert article.paragraphs == P[:4]


def test_a_post_whose_title_links_to_the_page_itself_is_no_teaser_card() -> None:
    # blog themes link the post's title to its permalink: with a sidebar of cards (linked title, then a
    # summary) the post's title and first paragraph looked like one card more, and that paragraph went
    url = "https://blog.example/2019/07/council-approves-bridge-plan/"
    cards = "".join(
        f'<div class="card"><h3><a href="/2019/0{i}/story-{i}/">{t}</a></h3><p>{m[:120]}</p></div>'
        for i, (t, m) in enumerate(zip(RELATED, P[2:], strict=False), start=1)
    )
    post = (
        f'<div class="post"><h2 class="entry-title"><a href="{url}" rel="bookmark">{TITLE}</a></h2>'
        f'<div class="entry-content">{ps(P[:2])}</div></div>'
    )
    html = doc(f'<div id="content">{post}</div><div id="sidebar">{cards}</div>')
    assert extract(html, url=url).paragraphs == P[:2]
    # the same title linking to another page is a card's title: its paragraph is not the post's text
    other = html.replace(f'href="{url}"', 'href="/2019/06/another-story/"')
    assert P[0] not in extract(other, url=url).text


def test_paragraph_outside_the_body_container_that_json_ld_articlebody_holds_is_body() -> None:
    # the lead sits after the byline in an element of its own, outside the body container: by its place
    # it is left out, but the page's own JSON-LD says the article's text holds it
    ld = json.dumps({"@type": "NewsArticle", "headline": TITLE, "articleBody": " ".join([STANDFIRST, *P[:4]])})
    inner = (
        f'<h1>{TITLE}</h1><div class="byline">By Jane Doe</div><div class="intro"><p>{STANDFIRST}</p></div>'
        f'<div class="article-body">{ps(P[:4])}</div>'
    )
    html = doc(f"<main><article>{inner}</article></main>").replace(
        "</head>", f'<script type="application/ld+json">{ld}</script></head>'
    )
    assert run(html).paragraphs == [STANDFIRST, *P[:4]]
    # without the JSON-LD the place decides: no body
    assert run(html.replace(STANDFIRST + " ", "")).paragraphs == P[:4]


def test_a_lead_repeating_a_body_paragraph_is_not_kept_twice_for_json_ld() -> None:
    # the lead outside the body container repeats the body's first paragraph: JSON-LD holds its text
    # (in the body), but the article's text holds it once
    ld = json.dumps({"@type": "NewsArticle", "headline": TITLE, "articleBody": " ".join(P[:4])})
    inner = (
        f'<h1>{TITLE}</h1><div class="byline">By Jane Doe</div><div class="intro"><p>{P[0]}</p></div>'
        f'<div class="article-body">{ps(P[:4])}</div>'
    )
    html = doc(f"<main><article>{inner}</article></main>").replace(
        "</head>", f'<script type="application/ld+json">{ld}</script></head>'
    )
    assert run(html).paragraphs == P[:4]


def test_paragraphs_before_an_inline_figure_are_body_not_a_standfirst() -> None:
    # headline, two paragraphs, an image with its caption, more paragraphs: the article starts at once
    figure = "<figure><img src='/bridge.jpg'><figcaption>The old river bridge in 1932.</figcaption></figure>"
    inner = f"<h1>{TITLE}</h1>{ps(P[:2])}{figure}{ps(P[2:])}"
    article = run(doc(f"<main><article>{inner}</article></main>"))
    assert article.paragraphs == P


def test_lead_paragraph_in_the_body_container_before_a_figure_is_body() -> None:
    figure = "<figure><img src='/bridge.jpg'><figcaption>The old river bridge in 1932.</figcaption></figure>"
    inner = f'<h1>{TITLE}</h1><div class="entry-content"><p>{P[0]}</p>{figure}{ps(P[1:])}</div>'
    article = run(doc(f"<main><article>{inner}</article></main>"))
    assert article.paragraphs == P


# --- pull quotes ----------------------------------------------------------------------------------

PULL = "the closure would hurt their business"
QUOTED = P[3].split(",")[0]  # "Several shop owners on the east bank told the council that the closure would ..."


def test_pull_quote_aside_repeating_a_body_sentence_is_dropped() -> None:
    quote = f'<aside class="pullquote"><p>“{QUOTED}”</p></aside>'
    html = doc(f"<main>{article_html(ps(P[:3]) + quote + ps(P[3:]))}</main>")
    article = run(html)
    assert article.paragraphs == P
    assert article.text.count(PULL) == 1


def test_pull_quote_blockquote_without_class_is_dropped() -> None:
    quote = f"<blockquote><p>“{QUOTED}”</p></blockquote>"
    html = doc(f"<main>{article_html(ps(P[:3]) + quote + ps(P[3:]))}</main>")
    article = run(html)
    assert article.paragraphs == P
    assert article.text.count(PULL) == 1


def test_blockquote_with_new_text_is_body() -> None:
    letter = (
        "We, the undersigned residents of the east bank, ask the council to keep the bridge open to foot "
        "traffic for as long as it is safe to do so."
    )
    html = doc(f"<main>{article_html(ps(P[:2]) + f'<blockquote><p>{letter}</p></blockquote>' + ps(P[2:4]))}</main>")
    article = run(html)
    assert article.paragraphs == [*P[:2], letter, *P[2:4]]


# --- teaser cards ---------------------------------------------------------------------------------

CARDS = [
    (
        "Library to extend weekend opening hours this summer",
        "The main branch will stay open until 8 p.m. on Saturdays and Sundays from June through August.",
    ),
    (
        "Farmers market moves to the old rail yard",
        "Vendors say the new site has more parking and shade, and the market will run on Wednesdays too.",
    ),
    (
        "Youth soccer league looks for volunteer coaches",
        "Organisers need at least a dozen more adults before the season starts in September this year.",
    ),
    (
        "Historic theatre reopens after two-year restoration",
        "The 1920s building got new seats, a repaired roof and a restored ceiling mural in the lobby.",
    ),
]


def cards_html() -> str:
    cards = "".join(
        f'<div class="item"><h3><a href="/story/c{i}">{t}</a></h3><p>{s}</p></div>' for i, (t, s) in enumerate(CARDS)
    )
    return f'<div class="grid">{cards}</div>'


def test_teaser_cards_after_the_article_are_not_body() -> None:
    html = doc(f"<main>{article_html(ps(P[:3]))}{cards_html()}</main>")
    article = run(html)
    assert article.paragraphs == P[:3]
    assert_not_in_text(article, [t for t, _s in CARDS] + [s for _t, s in CARDS])


def test_teaser_cards_inside_the_article_element_are_not_body() -> None:
    html = doc(f"<main>{article_html(ps(P[:4]) + cards_html())}</main>")
    article = run(html)
    assert article.paragraphs == P[:4]
    assert_not_in_text(article, [s for _t, s in CARDS])


# --- end matter, share bars -----------------------------------------------------------------------


def test_rows_of_a_data_table_with_linked_row_headings_are_no_teaser_cards() -> None:
    # A table of records (a linked name in the row's <th>, then its cells) is data of the article,
    # not a listing of other articles, though each row reads "linked title, short summary".
    rows = [
        ("Old River Bridge", "1898", "The steel bridge the council voted to rebuild, closed to trucks since 2021."),
        ("Mill Street Crossing", "1932", "A concrete arch that carries the highway bypass over the river today."),
        ("Harbour Footbridge", "1975", "A footbridge near the port that will take pedestrians during the works."),
    ]
    table = (
        "<table><tr><th>Bridge</th><th>Built</th><th>Notes</th></tr>"
        + "".join(
            f'<tr><th><a href="/wiki/{i}">{name}</a></th><td>{year}</td><td>{note}</td></tr>'
            for i, (name, year, note) in enumerate(rows)
        )
        + "</table>"
    )
    article = run(doc(f"<main>{article_html(ps(P[:3]) + table + ps(P[3:]))}</main>"))
    for _name, _year, note in rows:
        assert note in article.text


def test_prose_with_a_few_links_ends_a_heading_zone() -> None:
    # Encyclopedic prose links many of its words (a fifth here): it is still prose, and the zone a
    # furniture heading opened above it ("Jump to: navigation, search") ends there.
    linked = (
        'The <a href="/wiki/Bridge">old river bridge</a> was built in 1898 by the <a href="/wiki/Co">Riverside '
        "Iron Company</a> and carried the main road across the river until the 1970s, when the highway "
        "bypass opened further north and most of the heavy traffic moved away from the town centre for good."
    )
    jump = '<div>Jump to: <a href="#nav">navigation</a>, <a href="#search">search</a></div>'
    body = f"{jump}<p>{linked}</p>{ps(P)}"
    article = run(doc(f"<main>{article_html(body)}</main>"))
    assert "The old river bridge was built in 1898" in article.text


def test_copyright_line_is_not_body() -> None:
    line = "<p>Copyright 2022 The Riverside Gazette. All rights reserved.</p>"
    html = doc(f"<main>{article_html(ps(P[:4]) + line)}</main>")
    article = run(html)
    assert article.paragraphs == P[:4]
    assert "Copyright" not in article.text


def test_copyright_sign_line_is_not_body() -> None:
    line = "<p>© 2022 Riverside Media Group. This material may not be published, broadcast or redistributed.</p>"
    article = run(doc(f"<main>{article_html(ps(P[:4]) + line)}</main>"))
    assert article.paragraphs == P[:4]


def test_share_links_are_share() -> None:
    url = "https%3A%2F%2Fwww.riverside-gazette.example%2Fnews%2Fbridge"
    bar = (
        f'<div><a href="https://www.facebook.com/sharer/sharer.php?u={url}">Facebook</a> '
        f'<a href="https://twitter.com/intent/tweet?url={url}">Twitter</a> '
        f'<a href="mailto:?subject=Bridge&body={url}">Email</a></div>'
    )
    html = doc(f"<main>{article_html(bar + ps(P[:3]))}</main>")
    article = run(html)
    assert article.paragraphs == P[:3]
    assert linked(article, "share") == ["Facebook", "Twitter", "Email"]


def test_tags_are_tags_not_body() -> None:
    tags = '<div class="tags">Tags: <a href="/tag/bridge">Bridge</a> <a href="/tag/council">City Council</a></div>'
    article = run(doc(f"<main>{article_html(ps(P[:3]) + tags)}</main>"))
    assert article.paragraphs == P[:3]
    assert article.tags == ["Bridge", "City Council"]


def test_nav_and_footer_are_labelled() -> None:
    article = run(doc(f"<main>{article_html(ps(P[:3]))}</main>"))
    assert article.paragraphs == P[:3]
    assert linked(article, "nav")[:3] == ["Home", "News", "Politics"]
    footer = linked(article, "footer")
    assert "Privacy Policy" in footer and "Contact Us" in footer


def test_every_block_says_why() -> None:
    html = doc(f"<main>{article_html(ps(P[:3]))}<div><h2>Most Popular</h2>{links(MOST_POPULAR, tag='ol')}</div></main>")
    blocks = analyse(html).blocks
    assert blocks
    assert all(b.why for b in blocks)
    assert [b.text for b in blocks if b.label is Label.BODY] == P[:3]
    assert [b.text for b in blocks if b.label is Label.HEADLINE] == [TITLE]


# --- more placements of the same rules ------------------------------------------------------------


def test_most_popular_inside_the_article_element() -> None:
    widget = f"<div><h3>Most Popular</h3>{links(MOST_POPULAR, tag='ol')}</div>"
    html = doc(f"<main>{article_html(ps(P[:3]) + widget)}</main>")
    article = run(html)
    assert article.paragraphs == P[:3]
    assert linked(article, "most_popular") == MOST_POPULAR


def test_related_heading_as_a_bold_paragraph() -> None:
    box = f"<div><p><strong>Related stories</strong></p>{links(RELATED)}</div>"
    article = run(doc(f"<main>{article_html(ps(P[:2]) + box + ps(P[2:4]))}</main>"))
    assert article.paragraphs == P[:4]
    assert linked(article, "related") == RELATED


def test_more_section_news_with_see_all_link() -> None:
    more = f"<section><h2>More International News</h2>{links(RELATED)}<a href='/world'>See All</a></section>"
    article = run(doc(f"<main>{article_html(ps(P[:3]))}</main>{more}"))
    assert article.paragraphs == P[:3]
    assert_not_in_text(article, [*RELATED, "More International News", "See All"])
    assert linked(article, "see_all")[:3] == RELATED


def test_teaser_cards_with_longer_summaries_are_not_body() -> None:
    cards = "".join(
        f'<div class="item"><h3><a href="/story/c{i}">{t}</a></h3><p>{s} {s}</p></div>'
        for i, (t, s) in enumerate(CARDS)
    )
    article = run(doc(f"<main>{article_html(ps(P[:3]))}<div>{cards}</div></main>"))
    assert article.paragraphs == P[:3]
    assert_not_in_text(article, [s for _t, s in CARDS])


# --- page type ------------------------------------------------------------------------------------


def test_a_big_site_menu_does_not_make_an_article_a_listing() -> None:
    # institutional sites put dozens of long links in their menus, on every page; an article under
    # such a menu, at a URL with no slug, is still an article
    topics = ["Radiation protection", "Electromagnetic fields", "Nuclear safety", "Emergency management"]
    menu = "".join(
        f'<li><a href="/topics/{i}/{j}">{topic}: guidance for authorities and the public, part {j}</a></li>'
        for i, topic in enumerate(topics)
        for j in range(8)
    )
    html = doc(f'<div id="navigation"><ul>{menu}</ul></div><main>{article_html(ps(P[:2]))}</main>')
    article = extract(html, url="https://www.agency.example/SharedDocs/Press/2022/001.html")
    assert article.page_type == "article"
    assert article.paragraphs == P[:2]


def test_a_teaser_without_links_is_the_articles_own_lead() -> None:
    # CMSs call an article's lead paragraph its "teaser"; a related-article teaser links to its article
    lead = f'<header><h1>{TITLE}</h1><div class="teaser-text"><p>{P[0]}</p></div></header>'
    body = f'<div class="news-text">{ps(P[1:4])}<p>More: <a href="/story/7">the council minutes</a>.</p></div>'
    article = run(doc(f"<main><article>{lead}{body}</article></main>"))
    assert article.paragraphs[:4] == P[:4]


def test_a_teaser_marked_as_the_items_description_is_the_articles_own_lead() -> None:
    # schema.org microdata: itemprop="description" is the summary of the item the page is about, even
    # when the CMS calls it a "teaser" and a link (a tag, the section) sits next to it
    lead = (
        f'<header><h1>{TITLE}</h1><p class="meta"><a href="/politics">Politics</a></p>'
        f'<div class="teaser-text" itemprop="description"><p>{P[0]}</p></div></header>'
    )
    body = f'<div class="news-text">{ps(P[1:4])}</div>'
    article = run(doc(f'<main><article itemscope itemtype="https://schema.org/Article">{lead}{body}</article></main>'))
    assert article.paragraphs[:4] == P[:4]


def test_an_article_promoted_to_the_front_page_is_no_sponsored_content() -> None:
    # Drupal prints "node--promoted" on every article its editors promote to the front page
    node = (
        f'<h1>{TITLE}</h1><article class="node node--type-article node--promoted node--view-mode-full">'
        f'<footer class="node__meta">28.01.22 / 0 Kommentare</footer>'
        f'<div class="node__content">{ps(P[:2])}</div></article>'
    )
    issue = [
        "Our new series starts with a long talk with the region's oldest winemaker about the changing climate.",
        "Assyrtiko is Greece's best-known white grape, and the wines of Santorini show why it deserves the fame.",
        "The wine merchant of the year sells bottles from every Italian region and delivers them within two days.",
        "Our tasting panel tried forty new craft beers for this issue; the best of them are listed on page twelve.",
    ]
    sidebar = f'<aside class="region-sidebar"><h2>Issue 2/2022</h2>{ps(issue)}</aside>'
    notice = (
        '<div class="copyright"><p>Riverside Publishing Ltd, 7 Market Street, Riverside. Registered in the county '
        "court under "
        "number 1234, managing directors Anna Smith and John Brown.</p><p>If you want to change your privacy "
        "settings (give or withdraw consent), open the privacy centre at the bottom of any page.</p></div>"
    )
    article = run(doc(f"<main>{node}</main>{sidebar}{notice}"))
    assert article.paragraphs == P[:2]


def test_figure_captions_and_calls_to_follow_in_the_body_are_not_body() -> None:
    inner = (
        f"<p>{P[0]}</p><p>Figure 1: The old river bridge seen from the east bank in 1950.</p><p>{P[1]}</p>"
        f"<p>{P[2]}</p><p>Follow The Riverside Gazette on Twitter and Instagram @RiversideGazette.</p>"
    )
    article = run(doc(f"<main>{article_html(inner)}</main>"))
    assert article.paragraphs == P[:3]


def test_a_long_figure_caption_inside_the_article_body_container_is_not_body() -> None:
    # a caption printed as a paragraph of the body container, long enough to read as prose there: its
    # "Figure 2:" opening outweighs the container (as a reader prompt's opening does)
    caption = (
        "Figure 2: The old river bridge seen from the east bank in 1950, with the steel deck that the engineers "
        "later found corroding; the stone piers on the left are the ones the new design keeps, and the "
        "footbridge will run on the right."
    )
    inner = f'<div class="article-body"><p>{P[0]}</p><p>{caption}</p>{ps(P[1:3])}</div>'
    article = run(doc(f"<main>{article_html(inner)}</main>"))
    assert article.paragraphs == P[:3]


def test_a_blogs_posted_in_line_and_login_prompt_are_not_body() -> None:
    inner = (
        f"{ps(P[:3])}<p>This entry was posted in Local News on May 2, 2022 by Jane Doe. Bookmark the permalink.</p>"
        "<p>You must be logged in to post a comment.</p>"
    )
    article = run(doc(f"<main>{article_html(inner)}</main>"))
    assert article.paragraphs == P[:3]


def test_a_press_releases_contact_section_is_not_body() -> None:
    contact = (
        "<h2>Pressekontakt:</h2><h3>Anna Schmidt</h3><p>Referat Presse und Öffentlichkeitsarbeit</p>"
        "<p>Telefon: 0228 8491 4444</p><p><a href='mailto:presse@amt.example'>presse@amt.example</a></p>"
    )
    article = run(doc(f"<main>{article_html(ps(P[:3]) + contact)}</main>"))
    assert article.paragraphs == P[:3]


def test_an_appeal_to_the_reader_after_the_post_is_not_body() -> None:
    inner = ps(P[:3]) + "<p>If you enjoyed reading this article, please consider supporting our work.</p>"
    article = run(doc(f"<main>{article_html(inner)}</main>"))
    assert article.paragraphs == P[:3]


def test_a_paywall_prompt_where_the_article_stops_is_not_body() -> None:
    paywall = "To view the full story, please subscribe to The Riverside Gazette. Plans start at $5 a week."
    inner = ps(P[:3]) + f"<p>{paywall}</p>"
    article = run(doc(f"<main>{article_html(inner)}</main>"))
    assert article.paragraphs == P[:3]


def test_a_long_prompt_to_the_reader_in_the_article_body_is_not_body() -> None:
    # a paragraph of prose in the body container, opening with an appeal: the opening says what it is
    appeal = (
        "Gefällt dir unser Magazin? Bei der Gründung haben wir entschieden, keine Bezahlschranke einzuführen. "
        "Das wird auch so bleiben, denn wir möchten möglichst viele Leserinnen und Leser mit Nachrichten versorgen."
    )
    inner = f'<div class="article-body">{ps(P[:3])}<p>{appeal}</p></div>'
    article = run(doc(f"<main>{article_html(inner)}</main>"))
    assert article.paragraphs == P[:3]


def test_an_image_caption_ending_in_a_copyright_credit_is_not_body() -> None:
    inner = f"<p>{P[0]}</p><div><img src='/bridge.jpg'></div><p>The bridge in 1950. © AFP / Jane Smith</p>{ps(P[1:3])}"
    article = run(doc(f"<main>{article_html(inner)}</main>"))
    assert article.paragraphs == P[:3]


def test_the_next_article_box_after_the_post_is_not_body() -> None:
    nxt = (
        "<div><h3>Vorschau auf den nächsten Artikel</h3><p>Wie die Stadt den Fluss im Winter vor Hochwasser "
        "schützen will und warum die Deiche dafür erhöht werden.</p></div>"
    )
    article = run(doc(f"<main>{article_html(ps(P[:3]) + nxt)}</main>"))
    assert article.paragraphs == P[:3]


def test_teasers_with_links_stay_related() -> None:
    cards = "".join(
        f'<div class="teaser"><h3><a href="/story/{i}">{t}</a></h3><p>{P[4]}</p></div>' for i, t in enumerate(RELATED)
    )
    html = doc(f"<main>{article_html(ps(P[:4]))}<section>{cards}</section></main>")
    article = run(html)
    assert article.paragraphs == P[:4]


def test_a_page_wrapper_named_like_a_dialog_is_not_a_dialog() -> None:
    # some CMSs wrap the whole page in an element whose class says "dialog"; a real dialog (cookie
    # consent) never holds the article's headline and most of its prose
    consent = (
        '<div class="cookie-consent"><p>We use cookies to improve your experience on our site and to show you '
        "relevant advertising. By continuing you agree to our use of cookies.</p></div>"
    )
    page = f'<div class="dialog-off-canvas-main-canvas"><main>{article_html(ps(P[:4]))}</main></div>{consent}'
    article = run(doc(page))
    assert article.paragraphs == P[:4]
    assert "cookies" not in article.text


def test_a_dialog_named_page_wrapper_with_an_h1_unlike_the_title() -> None:
    page = f'<div class="dialog-off-canvas-main-canvas"><main>{article_html(ps(P[:4]))}</main></div>'
    article = run(doc(page, title="Riverside Gazette: local news, sport and weather"))
    assert article.paragraphs == P[:4]


def test_a_consent_wall_without_a_headline_stays_a_dialog() -> None:
    wall = (
        '<div class="cookie-consent"><h2>Your privacy</h2>'
        "<p>We and our partners use cookies and similar technologies to store and access information on your "
        "device, to measure audiences and to show you personalised advertising and content.</p>"
        "<p>You can accept or refuse these purposes, and change your choice at any time in the privacy settings "
        "linked at the bottom of every page of this website.</p></div>"
    )
    article = run(doc(wall))
    assert "cookies" not in article.text


def test_the_body_of_a_dialog_inside_the_article_is_the_dialog() -> None:
    # a hidden modal in the article container (Bootstrap: modal > modal-dialog > modal-content >
    # modal-body): its parts' weaker hints ("modal") do not let its prose pass for the article's
    notice = (
        "Your account is not approved yet. To become an approved author you must have at least two complete "
        "articles in your account, written by you and published nowhere else before."
    )
    modal = (
        '<div class="modal fade"><div class="modal-dialog"><div class="modal-content">'
        f'<div class="modal-header"><h4>Become an approved author</h4></div><div class="modal-body">{notice}</div>'
        "</div></div></div>"
    )
    article = run(doc(f"<main>{article_html(f'<div class=article-content>{ps(P[:4])}{modal}</div>')}</main>"))
    assert article.paragraphs == P[:4]


def test_a_short_chinese_article_is_not_an_empty_page() -> None:
    # Chinese puts no spaces between words: three paragraphs are ~200 words, not three
    zh = [
        "市议会周二晚上以七票对两票通过了重建旧河桥的计划，结束了十多年来关于这座连接城镇两岸的桥梁的争论。",
        "工程师们自二零一二年以来一直警告说，钢制桥面的腐蚀速度比预期的要快，这座桥已经禁止卡车通行三年了。",
        "预计明年春天开工，工期约两年。在此期间，一座临时人行桥将供行人和骑自行车的人通行，汽车将绕行高速公路。",
    ]
    html = doc(f"<main>{article_html(ps(zh))}</main>")
    article = extract(html, url="https://news.example.cn/2020/0105/c1002.html")
    assert article.page_type == "article"
    assert article.paragraphs == zh


def test_author_box_after_the_article_is_not_body() -> None:
    bio = (
        "Jane Doe has covered city hall for the Gazette since 2008. Before that she reported on schools and "
        "courts for two regional papers, and she still writes a monthly column about the river towns."
    )
    box = f'<div class="author-box"><img src="/jane.jpg"><div class="author-bio"><p>{bio}</p></div></div>'
    html = doc(f"<main>{article_html(ps(P[:4]) + box)}</main>")
    article = run(html)
    assert article.paragraphs == P[:4]
    assert "covered city hall" not in article.text
    assert article.authors == ["Jane Doe"]


def test_link_signals_name_rows_of_the_table_and_never_fire_without_links() -> None:
    """A block without links skips the LINK_SIGNALS rows: each must need links to fire."""
    rows = {name: signal for _label, _weight, _longest, name, signal in RULES}
    assert set(rows) >= LINK_SIGNALS
    pages = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.html"))
    unlinked = [
        b
        for page in pages
        for b in segment(LexborHTMLParser(page.read_text("utf-8")).body).blocks  # type: ignore[arg-type]
        if not b.links
    ]
    assert len(unlinked) > 100
    for block in unlinked:
        for region, zone in ((None, None), (Label.NAV, Label.RELATED), (Label.FOOTER, None)):
            for flags in ((False, False, False), (True, True, True)):
                f = Features(block, region, 1.0, None, zone, flags[0], flags[1], flags[2], None, flags[0])
                fired = [name for name in LINK_SIGNALS if rows[name](f)]
                assert fired == [], (block.text[:60], fired)


def test_digit_signals_never_fire_on_text_without_digits() -> None:
    """A short block without digits skips the DIGIT_SIGNALS rows: each must need a digit to fire."""
    rows = {name: signal for _label, _weight, _longest, name, signal in RULES}
    assert set(rows) >= DIGIT_SIGNALS
    pages = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.html"))
    blocks = [b for page in pages for b in segment(LexborHTMLParser(page.read_text("utf-8")).body).blocks]  # type: ignore[arg-type]
    dated = ["Published: March 3, 2024 10:15 AM", "Updated 12.04.2023", "Tuesday, 5 June 2024", "09/10/22 12:09 PM ET"]
    texts = [b.text for b in blocks] + dated
    for name in DIGIT_SIGNALS:
        fired = 0
        for text in texts:
            bare = re.sub(r"\d", "", text)
            block = Block(0, bare, 1, "p", 0, [], 0, "", False, False, (), len(bare) or 1, 0.0)
            assert not rows[name](Features(block, None, 1.0, Label.DATELINE, None, True, False, False)), (name, bare)
            with_digits = Block(0, text, 1, "p", 0, [], 0, "", False, False, (), len(text) or 1, 0.0)
            fired += rows[name](Features(with_digits, None, 1.0, Label.DATELINE, None, True, False, False))
        assert fired, name  # the examples do fire with their digits
