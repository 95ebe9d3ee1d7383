"""The article's region (sieve.region): the main container, and the header above it whose prose is
the article's lead. Small synthetic pages written here; no rule names a site."""

from __future__ import annotations

from sieve.contracts import Article, Label
from sieve.extract import analyse, extract
from sieve.region import HEADER_BLOCKS, in_header_lead

TITLE = "Village school reopens after two years of repairs to its flooded classrooms"
LEAD = (
    "Pupils returned on Monday to the building the river flooded in 2021, now raised on new foundations "
    "and fitted with a pump room that keeps the cellar dry."
)
P = [
    "The school had been closed since the night of the flood, when water rose to the window sills of the "
    "ground floor and ruined the books, the desks and the heating of every classroom in the old wing.",
    "For two years the children were taught in containers on the football pitch, which the parents said "
    "were too cold in winter and too hot in summer, and the village council promised a quick repair.",
    "The repair took longer than planned because the engineers found that the foundations had been washed "
    "out, and the whole building had to be lifted by a metre before any of the classrooms could be rebuilt.",
    "The head teacher thanked the builders and the families who had waited, and said the school would hold "
    "an open day in the spring so that everyone in the village could see the new classrooms for themselves.",
]
SHARE = (
    '<ul class="share"><li><a href="https://x.example/share">Share on X</a></li>'
    '<li><a href="https://fb.example/s">Share on Facebook</a></li></ul>'
)
RELATED = (
    '<aside class="related"><h2>Related</h2><ul>'
    + "".join(f'<li><a href="/n/{i}">Another school story number {i} from the region</a></li>' for i in range(5))
    + "</ul></aside>"
)


def doc(article: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{TITLE} | The Valley Courier</title></head><body>"
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>'
        f"<main>{article}{RELATED}</main><footer><a href='/about'>About us</a></footer></body></html>"
    )


def body_div() -> str:
    return '<div class="article-body">' + "".join(f"<p>{p}</p>" for p in P) + "</div>"


def run(html: str) -> Article:
    return extract(html, url="https://www.valley-courier.example/news/school-reopens")


def labels(html: str, text: str) -> set[Label]:
    found = {b.label for b in analyse(html).blocks if text in b.text}
    assert found, f"no block holds {text!r}"
    return found


# --- the lead in the article header ------------------------------------------------------------------


def test_lead_in_a_header_beside_the_body_container_is_body() -> None:
    # <header> holds the headline and the lead; the paragraphs sit in a sibling body container
    header = f'<header><h1>{TITLE}</h1><div class="intro"><p>{LEAD}</p></div>{SHARE}</header>'
    html = doc(f"<article>{header}{body_div()}</article>")
    article = run(html)
    assert article.paragraphs == [LEAD, *P]
    assert labels(html, LEAD[:50]) == {Label.BODY}


def test_lead_in_a_div_after_the_headline_and_an_image_is_body() -> None:
    header = f'<h1>{TITLE}</h1><div class="teaser-text"><p>{LEAD}</p></div><img src="/school.jpg" alt="">'
    article = run(doc(f'<div class="news">{header}{body_div()}</div>'))
    assert article.paragraphs == [LEAD, *P]


def test_paragraph_after_the_byline_outside_the_body_container_is_not_kept() -> None:
    # the header ends at the byline: a paragraph below it, outside the body container, is not the lead
    aside = f'<div class="statement"><p>{LEAD}</p></div>'
    header = f'<header><h1>{TITLE}</h1><div class="byline">By Anna Berg</div></header>'
    article = run(doc(f"<article>{header}{aside}{body_div()}</article>"))
    assert article.paragraphs == P


def test_standfirst_before_the_byline_is_still_no_body() -> None:
    header = f'<header><h1>{TITLE}</h1><p class="dek">{LEAD}</p><div class="byline">By Anna Berg</div></header>'
    html = doc(f"<article>{header}{body_div()}</article>")
    assert run(html).paragraphs == P
    assert Label.BODY not in labels(html, LEAD[:50])


def test_subtitle_heading_and_short_lines_in_the_header_are_not_kept() -> None:
    subtitle = "Two years after the flood the children are back in their own classrooms, and a pump keeps them dry"
    views = '<div class="entry-content-views"><span>1.204</span> <span>views</span></div>'
    header = f"<header><h1>{TITLE}</h1><h2>{subtitle}</h2>{views}</header>"
    article = run(doc(f"<article>{header}{body_div()}</article>"))
    assert article.paragraphs == P


def test_prose_far_above_the_body_container_is_no_header() -> None:
    # a headline, then a long run of teasers: what follows is no article header
    teasers = "".join(
        f'<div class="card"><a href="/n/{i}">Teaser title {i}</a><span>Short line {i}</span></div>'
        for i in range(HEADER_BLOCKS)
    )
    html = doc(f'<div class="page"><h1>{TITLE}</h1>{teasers}<div class="intro"><p>{LEAD}</p></div>{body_div()}</div>')
    assert LEAD not in run(html).text


def test_in_header_lead_needs_prose_inside_the_span() -> None:
    blocks = analyse(doc(f"<article><header><h1>{TITLE}</h1><p>{LEAD}</p></header>{body_div()}</article>")).blocks
    lead = next(i for i, b in enumerate(blocks) if b.text == LEAD)
    head = next(i for i, b in enumerate(blocks) if b.text == TITLE)
    assert in_header_lead(blocks[lead], lead, (head, lead + 1))
    assert not in_header_lead(blocks[lead], lead, (head, lead))  # the span ends before it
    assert not in_header_lead(blocks[head], head, (head, lead + 1))  # the headline itself


# --- linked subheadings inside the body ----------------------------------------------------------------


def test_linked_subheadings_between_body_paragraphs_are_body() -> None:
    # A list article heads each item with a link to what it names: the heading is the article's own.
    heads = ["The new pump room", "The raised foundations", "The rebuilt classrooms"]
    items = "".join(
        f'<h3><a href="/places/{i}">{h}</a></h3><p>{p}</p>' for i, (h, p) in enumerate(zip(heads, P[1:], strict=True))
    )
    html = doc(f'<article><h1>{TITLE}</h1><div class="article-body"><p>{P[0]}</p>{items}</div></article>')
    article = run(html)
    assert article.paragraphs == [P[0], heads[0], P[1], heads[1], P[2], heads[2], P[3]]


def test_a_lead_in_to_another_article_between_body_paragraphs_is_not_body() -> None:
    # "Label: linked title" (Read more:, WATCH:, "MIRA:") is a lead-in to another article
    other = '<h3>MIRA: <a href="/n/9">Flood defences for the valley are delayed again</a></h3>'
    html = doc(f'<article><h1>{TITLE}</h1><div class="article-body"><p>{P[0]}</p>{other}<p>{P[1]}</p></div></article>')
    assert "Flood defences" not in run(html).text


def test_an_unlinked_furniture_heading_between_body_paragraphs_stays_out() -> None:
    html = doc(
        f'<article><h1>{TITLE}</h1><div class="article-body"><p>{P[0]}</p><h4>Follow us on Twitter</h4>'
        f"<p>{P[1]}</p></div></article>"
    )
    assert run(html).paragraphs == P[:2]


# --- lists of the article --------------------------------------------------------------------------

CHANGES = [
    "The pump room now starts on its own when the water in the cellar rises above the first mark.",
    "The old boiler was replaced by a heat pump that also cools the classrooms in the summer months.",
]
LINKED = "Bug 4711 – the pump alarm rings twice"


def in_body(lst: str) -> str:
    """A page whose article body holds ``lst`` between two paragraphs."""
    return doc(f'<article><h1>{TITLE}</h1><div class="article-body"><p>{P[0]}</p>{lst}<p>{P[1]}</p></div></article>')


def test_a_linked_item_of_a_body_list_is_body() -> None:
    # A changelog or a post's list of resources mixes prose items with items that are only a link.
    items = f"<li>{CHANGES[0]}</li><li><a href='/bugs/4711'>{LINKED}</a></li><li>{CHANGES[1]}</li>"
    html = in_body(f"<ul>{items}</ul>")
    assert run(html).paragraphs == [P[0], CHANGES[0], LINKED, CHANGES[1], P[1]]


def test_a_list_of_links_nested_in_a_body_item_is_body() -> None:
    bugs = ["Bug 4712 – the cellar light flickers", "Bug 4713 – the heat pump is too loud"]
    nested = "".join(f"<li><a href='/bugs/{i}'>{t}</a></li>" for i, t in enumerate(bugs))
    items = f"<li>{CHANGES[0]}</li><li>Still open: <ul>{nested}</ul></li><li>{CHANGES[1]}</li>"
    html = in_body(f"<ul>{items}</ul>")
    text = run(html).text
    assert bugs[0] in text and bugs[1] in text


def test_a_list_of_nothing_but_links_in_the_body_stays_out() -> None:
    links = "".join(f"<li><a href='/n/{i}'>Another flood story number {i} from the valley</a></li>" for i in range(3))
    html = in_body(f"<ul>{links}</ul>")
    assert run(html).paragraphs == P[:2]


def test_teaser_cards_in_a_list_keep_their_linked_titles_out() -> None:
    # an item holding a linked title and its own summary paragraph is a card, not a prose item
    cards = "".join(f"<li><a href='/n/{i}'>Another flood story {i}</a><p>{P[2 + i]}</p></li>" for i in range(2))
    html = in_body(f"<ul>{cards}</ul>")
    assert "Another flood story" not in run(html).text


# --- data tables -----------------------------------------------------------------------------------

FILMS = [
    ("The Long Morning", "1993", "A weatherman relives the same winter day until he learns to be kind to the town."),
    ("Second Tuesday", "2004", "A courier delivers the same parcel on the same afternoon, and starts to read it."),
]


def test_a_linked_cell_of_a_body_row_is_body() -> None:
    # a data table's row is one record: the linked film title belongs with its year and description
    rows = "".join(
        f"<tr><th scope='row'><a href='/wiki/{i}'>{t}</a></th><td>{y}</td><td>{d}</td></tr>"
        for i, (t, y, d) in enumerate(FILMS)
    )
    head = "<thead><tr><th>Film</th><th>Year</th><th>Plot</th></tr></thead>"
    html = in_body(f"<table>{head}<tbody>{rows}</tbody></table>")
    text = run(html).text
    assert FILMS[0][0] in text and FILMS[1][0] in text and FILMS[1][2] in text


def test_a_row_of_nothing_but_links_stays_out() -> None:
    cells = "".join(f"<td><a href='/n/{i}'>Another flood story {i}</a></td>" for i in range(3))
    html = in_body(f"<table><tr>{cells}</tr></table>")
    assert "Another flood story" not in run(html).text


def test_a_linked_line_of_a_layout_table_cell_stays_out() -> None:
    # an old page's layout table: the whole article is one cell, its lines split by <br>; a link line
    # in that cell (breadcrumbs, "Print this story") is no data cell beside a body cell
    cell = f"<a href='/'>Home</a> &gt; <a href='/news'>Local News</a><br><br>{'<br><br>'.join(P)}"
    html = doc(f"<h1>{TITLE}</h1><table><tr><td>{cell}</td></tr></table>")
    assert "Local News" not in run(html).text


# --- sections headed by <h1> -----------------------------------------------------------------------


def test_an_h1_between_body_paragraphs_heads_a_section() -> None:
    # blog platforms and HTML5 sectioning give each section of a post its own <h1>
    html = doc(
        f"<article><h1>{TITLE}</h1><section><p>{P[0]}</p><p>{P[1]}</p></section>"
        f"<section><h1>The long repair</h1><p>{P[2]}</p><p>{P[3]}</p></section></article>"
    )
    article = run(html)
    assert article.paragraphs == [P[0], P[1], "The long repair", P[2], P[3]]
    assert article.title == TITLE


def test_an_h1_before_the_first_body_paragraph_is_not_body() -> None:
    # a site-name <h1> in the masthead, then the article's own <h1>: neither is the body's text
    html = doc(
        f"<h1>The Valley Courier</h1><article><h1>{TITLE}</h1><div class='article-body'>"
        + "".join(f"<p>{p}</p>" for p in P)
        + "</div></article>"
    )
    assert run(html).paragraphs == P


# --- excerpts of other pages -----------------------------------------------------------------------


def test_an_excerpt_closed_by_a_link_is_not_body() -> None:
    # a card for another article set inside the body: its first words, an ellipsis, "Read more"
    card = (
        "<aside class='inset'><h6><a href='/n/7'>How floods change a village</a></h6>"
        "<p>When the river rose over the banks for the third time in ten years, the families of the lower "
        "street began to talk about… <a href='/n/7'>Read more</a></p></aside>"
    )
    html = in_body(card)
    assert run(html).paragraphs == P[:2]


def test_a_quoted_post_ending_in_its_picture_link_stays() -> None:
    # a link shown as its address after "..." is the quoted post's own picture, not a "Read more"
    post = (
        "Record heat at the valley station today, 18.3 degrees, the warmest since records began in 1961. "
        "And it was not the only record... <a href='https://t.example/r'>pic.example.com/rhKsPF</a>"
    )
    assert "the only record" in run(in_body(f"<p>{post}</p>")).text


# --- a one-paragraph main region ---------------------------------------------------------------------


def test_sibling_prose_of_a_one_paragraph_main_region_is_body() -> None:
    # the post's container also holds its share bar and a long comment thread, whose votes sink it: one
    # paragraph alone wins the region vote, and the post's other paragraph, its sibling, was dropped
    comments = (
        '<div class="comments"><h3>12 comments</h3>'
        + "".join(f'<div class="comment"><p>{p}</p></div>' for p in (P * 2))
        + "</div>"
    )
    post = f'<div class="post"><h1>{TITLE}</h1><p>{P[0]}</p><p>{LEAD}</p>{SHARE}{comments}</div>'
    html = doc(post)
    assert run(html).paragraphs == [P[0], LEAD]


def test_short_lines_beside_a_one_paragraph_main_region_are_body() -> None:
    # the post opens with a one-line remark and closes with another: short, but the post's own lines
    comments = (
        '<div class="comments"><h3>12 comments</h3>'
        + "".join(f'<div class="comment"><p>{p}</p></div>' for p in (P * 2))
        + "</div>"
    )
    first, last = "Well, here we go again.", "– „Ok.“"
    post = (
        f'<div class="post"><h1>{TITLE}</h1><p>{first}</p><p>{P[0]}</p><p>{last}</p><p>* * *</p>{SHARE}{comments}</div>'
    )
    assert run(doc(post)).paragraphs == [first, P[0], last]


# --- a heading over page furniture -------------------------------------------------------------------


def test_a_heading_over_page_furniture_only_is_not_body() -> None:
    # the body container ends with a heading whose section is a link list (a "Guides for parents"
    # box the site put inside the article): the links go as furniture, and so must their heading
    links = "".join(f'<li><a href="/n/{i}">Another school story {i} from the valley</a></li>' for i in range(4))
    inner = f"<h2>How the repairs went</h2><p>{P[2]}</p><p>{P[3]}</p><h2>Guides for parents</h2><ul>{links}</ul>"
    html = doc(f'<article><h1>{TITLE}</h1><div class="article-body"><p>{P[0]}</p><p>{P[1]}</p>{inner}</div></article>')
    article = run(html)
    assert "How the repairs went" in article.text  # a heading over body text stays
    assert "Guides for parents" not in article.text
    assert article.paragraphs[-1] == P[3]


def test_a_heading_over_nothing_is_left_as_it_is() -> None:
    # a heading with the next heading right below it heads the section that follows
    inner = f"<h2>The repairs</h2><h3>The foundations</h3><p>{P[2]}</p><p>{P[3]}</p>"
    html = doc(f'<article><h1>{TITLE}</h1><div class="article-body"><p>{P[0]}</p><p>{P[1]}</p>{inner}</div></article>')
    assert "The repairs" in run(html).text


def test_a_section_flagged_as_holding_ads_is_the_article() -> None:
    # "o-section--has-ads" says the section has an ad slot, not that its text is an ad
    html = doc(
        f"<article><h1>{TITLE}</h1>"
        f'<section class="o-section o-section--has-ads"><p>{P[0]}</p><div class="ad-slot"></div></section>'
        f'<section class="o-section">{"".join(f"<p>{p}</p>" for p in P[1:])}</section></article>'
    )
    assert P[0] in extract(html, url="https://example.org/news/school-reopens").text


BIO = (
    "Jane Doe has reported on schools and the valley's councils since 2009, after ten years at a regional "
    "paper; she studied history in Leeds, taught for two years in Ghana, and lives with her family and "
    "three dogs on a farm above the river."
)


def test_prose_in_author_markup_is_the_authors_biography() -> None:
    html = doc(f'<article><h1>{TITLE}</h1>{body_div()}<div itemprop="author" itemscope><p>{BIO}</p></div></article>')
    text = run(html).text
    assert P[-1] in text
    assert BIO not in text


def test_an_article_wrapped_in_author_markup_keeps_its_text() -> None:
    # a CMS printing the author's name as a class of the article element ("author-jdoe")
    paras = "".join(f"<p>{p}</p>" for p in P)
    html = doc(f'<article class="node author-jdoe"><h1>{TITLE}</h1>{paras}<p>{BIO}</p></article>')
    text = run(html).text
    assert P[0] in text
    assert BIO in text


def test_a_live_tickers_entries_are_the_text() -> None:
    entries = "".join(
        f'<div class="live-match-comment"><span class="minute">{m}\'</span>'
        f'<div class="live-match-comment-body">{p}</div></div>'
        for m, p in zip((90, 75, 60, 45), P, strict=True)
    )
    html = doc(f"<article><h1>{TITLE}</h1><div class='live'>{entries}</div></article>")
    text = run(html).text
    assert P[0] in text and P[3] in text


def test_a_consent_dialogs_main_content_is_not_the_article() -> None:
    notice = (
        "This website uses cookies so that we can give you the best user experience. Cookie information is "
        "stored in your browser and performs functions such as recognising you when you return to our "
        "website and helping our team understand which sections of the website you find most interesting."
    )
    paras = "".join(f"<h4>{p}</h4>" for p in P[:2])
    html = doc(
        f"<article><h1>{TITLE}</h1><p>Short intro.</p>{paras}</article>"
        f'<div class="moove-gdpr-tab-main" id="privacy_overview">'
        f'<div class="moove-gdpr-tab-main-content"><p>{notice}</p><p>{notice}</p></div></div>'
    )
    text = run(html).text
    assert notice not in text
    assert P[0] in text


def test_a_form_inside_a_named_box_is_that_box() -> None:
    # the bare <form> only says "a form"; the newsletter box around it says which
    prompt = "Our latest investigations into the valley's far right, with the documents behind each one."
    box = f'<div class="newsletter newsletter--inline"><form><p>{prompt}</p><input type="email"></form></div>'
    paras = "".join(f"<p>{p}</p>" for p in P)
    html = doc(f'<article><h1>{TITLE}</h1><div class="article-body">{paras}{box}</div></article>')
    text = run(html).text
    assert P[-1] in text
    assert prompt not in text


def test_a_comment_section_with_a_utility_class_is_still_the_comments() -> None:
    notice = "The comments do not represent the opinion of the paper; the author of each one is responsible for it."
    box = f'<section class="comments-article u-visually-hidden"><p>{notice}</p></section>'
    paras = "".join(f"<p>{p}</p>" for p in P)
    html = doc(f'<article><h1>{TITLE}</h1><div class="article-body">{paras}{box}</div></article>')
    text = run(html).text
    assert P[-1] in text
    assert notice not in text


def test_a_related_list_holding_most_of_the_prose_is_still_a_related_list() -> None:
    # a list holds items, not a page: long excerpts in a "related posts" list outweighing a short post
    excerpt = (
        "Another story from the valley about the council, the river and the school, cut off after a few "
        "sentences of its opening so that readers click through to the rest of it on its own page ... "
    )
    items = "".join(f'<li><a href="/n/{i}">Story {i}</a> {excerpt * 2}</li>' for i in range(6))
    html = doc(f'<article><h1>{TITLE}</h1>{body_div()}<ul class="related_post wp_rp">{items}</ul></article>')
    text = run(html).text
    assert P[0] in text
    assert "Another story from the valley" not in text


def test_a_named_box_inside_the_body_container_is_no_body_text() -> None:
    # the article-body container around a box is the box's container, not evidence for the box's text
    blurb = (
        "Every week our reporters walk the valley's villages, farms and council chambers and write up what "
        "they find there; this box tells you about the people behind the paper and the values that guide "
        "the way they work."
    )
    paras = "".join(f"<p>{p}</p>" for p in P)
    box = f'<div class="author-card"><p>{blurb}</p></div>'
    html = doc(f'<article><h1>{TITLE}</h1><div class="article-body">{paras}{box}</div></article>')
    text = run(html).text
    assert P[-1] in text
    assert blurb not in text


def test_a_contact_heading_on_the_topic_heads_page_furniture() -> None:
    paras = "".join(f"<p>{p}</p>" for p in P)
    contact = "<h2>Ansprechpartnerin zum Thema:</h2><p>Dr. Erika Muster</p><p>Referentin Klimaschutz</p>"
    html = doc(f'<article><h1>{TITLE}</h1><div class="article-body">{paras}{contact}</div></article>')
    text = run(html).text
    assert P[-1] in text
    assert "Ansprechpartnerin" not in text
