"""sieve.extract never crashes on hostile input: it returns an Article or raises ExtractionError.

Property tests feed arbitrary bytes, arbitrary text and random tag soup (tags, attributes with hint-like
class names, entities, unclosed and stray tags, comments, CDATA, random JSON-LD). Pathological sizes
run in a child process with a time limit, so a hang fails the test instead of hanging the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sieve
from sieve import Article, ExtractionError

PARAS = [
    "The river rose more than two metres overnight, and by dawn the lower streets of the old town were under water.",
    "Emergency crews moved about two hundred residents to the school gym, where volunteers handed out blankets.",
    "The weather service said the rain should ease by Friday, but warned that the river would stay high for days.",
]


def check(result: Article) -> None:
    """Invariants every returned event keeps, whatever the input."""
    assert isinstance(result, Article)
    assert result.text == "\n\n".join(result.paragraphs)
    assert result.word_count == len(result.text.split())
    assert all(isinstance(p, str) and p for p in result.paragraphs)
    assert result.id and result.content_hash
    orjson.loads(result.to_json())


def outcome(html: str | bytes, **kwargs: object) -> Article | ExtractionError:
    try:
        result = sieve.extract(html, **kwargs)  # type: ignore[arg-type]
    except ExtractionError as exc:
        assert exc.kind in set(sieve.ErrorKind)
        return exc
    check(result)
    return result


# --- property tests -------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(data: bytes) -> None:
    outcome(data)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=1000), st.sampled_from(["utf-8", "iso-8859-1", "utf-16", "shift_jis", "bogus", ""]))
def test_arbitrary_bytes_with_a_charset_header(data: bytes, charset: str) -> None:
    outcome(b"<html><body><p>" + data, headers={"Content-Type": f"text/html; charset={charset}"})


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=3000))
def test_arbitrary_text_including_surrogates_and_controls(text: str) -> None:
    outcome(text)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=500), st.text(max_size=200))
def test_arbitrary_url(text: str, url: str) -> None:
    outcome("<html><body><p>" + text + "</p></body></html>", url=url)


TAGS = [
    "div", "p", "span", "a", "ul", "ol", "li", "h1", "h2", "h3", "article", "main", "aside", "nav", "footer",
    "header", "section", "figure", "figcaption", "blockquote", "table", "tr", "td", "br", "img", "script",
    "style", "b", "i", "time", "form", "button", "svg", "template", "iframe", "noscript", "pre", "select",
    "option", "title", "meta", "link", "body", "html", "head", "textarea", "dl", "dt", "dd", "hr", "font",
]  # fmt: skip
CLASS_WORDS = [
    "article-body", "most-popular", "sidebar", "has-sidebar", "related", "trending", "ad", "ad-unit", "nav",
    "footer", "byline", "caption", "share", "c-article-footer__share", "RightRailContainer", "x", "",
]  # fmt: skip
ENTITIES = ["&amp;", "&nbsp;", "&lt;", "&#x1F600;", "&#0;", "&#xD800;", "&bogus;", "&", "&#99999999;", "&#x;"]
HEADINGS = ["Most Popular", "Trending:", "Just In...", "See All", "Related stories", "By Jane Doe", "Tags:"]

attr_value = st.one_of(st.sampled_from(CLASS_WORDS), st.text(max_size=20))
attribute = st.one_of(
    st.builds(lambda v: f' class="{v}"', attr_value),
    st.builds(lambda v: f" id={v}", st.sampled_from(CLASS_WORDS)),
    st.builds(lambda v: f' href="{v}"', st.sampled_from(["/a", "http://x/", "javascript:void(0)", "", "::", "//h"])),
    st.sampled_from([' role="navigation"', ' itemprop="articleBody"', ' style="display:none"', " hidden", " lang=es"]),
    st.builds(lambda k, v: f" {k}='{v}'", st.text("abcdef-", min_size=1, max_size=8), st.text(max_size=10)),
)
leaf = st.one_of(
    st.text(max_size=80),
    st.sampled_from(ENTITIES),
    st.sampled_from(HEADINGS),
    st.sampled_from(PARAS),
    st.sampled_from(["<!-- comment -->", "<![CDATA[ x < y ]]>", "</p>", "</div>", "<p>", "<", ">", "<!--", "-->"]),
)


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def build(tag: str, attrs: list[str], kids: list[str], close: bool) -> str:
        inner = "".join(kids)
        return f"<{tag}{''.join(attrs)}>{inner}" + (f"</{tag}>" if close else "")

    return st.builds(
        build, st.sampled_from(TAGS), st.lists(attribute, max_size=3), st.lists(children, max_size=5), st.booleans()
    )


tag_soup = st.recursive(leaf, element, max_leaves=40)
#: Values urllib and datetime refuse: each once made sieve.extract raise instead of reading past it.
HOSTILE = [
    "http://[bad/path", "//[::1", "https://example.com:99999/x", "http://exa mple.com/", "2024-01-01T10:00:00+99:99",
    "2024-13-45T25:61:00Z", "Tue, 99 Foo 2022 99:99:99 +9999", "javascript:alert(1)", "\\evil.com", "http:///x",
]  # fmt: skip
json_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=30),
        st.sampled_from(
            ["NewsArticle", "Person", "2022-09-10T12:09:00-04:00", "09/10/22 12:09 PM ET", "http://x/", *HOSTILE]
        ),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=10,
)
LD_KEYS = [
    "@type", "headline", "author", "datePublished", "dateModified", "articleBody", "keywords", "image",
    "articleSection", "inLanguage", "@graph", "mainEntity", "name", "description",
]  # fmt: skip
json_ld = st.dictionaries(st.sampled_from(LD_KEYS), json_value, max_size=8)
meta_value = st.one_of(st.text(max_size=30), st.sampled_from(HOSTILE)).map(lambda s: s.replace('"', ""))
meta_tag = st.one_of(
    st.builds(
        lambda k, v: f'<meta property="{k}" content="{v}">',
        st.sampled_from(
            ["og:title", "article:published_time", "og:url", "author", "article:tag", "og:type", "og:image"]
        ),
        meta_value,
    ),
    st.builds(lambda v: f'<link rel="canonical" href="{v}">', meta_value),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(tag_soup, min_size=1, max_size=6))
def test_random_tag_soup(parts: list[str]) -> None:
    html = "".join(parts)
    outcome(html)
    outcome(html.encode("utf-8", "surrogatepass"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_ld, st.lists(meta_tag, max_size=4), st.lists(tag_soup, max_size=4))
def test_random_metadata(ld: dict[str, object], metas: list[str], parts: list[str]) -> None:
    script = json.dumps(ld)  # json, not orjson: integers beyond 64 bits are fair input too
    html = (
        f'<html><head><script type="application/ld+json">{script}</script>{"".join(metas)}</head>'
        f"<body>{''.join(parts)}{''.join(f'<p>{p}</p>' for p in PARAS)}</body></html>"
    )
    outcome(html, url="https://example.com/news/some-story-slug-here")


# --- pathological sizes (in a child process, with a time limit) -----------------------------------


def run_isolated(code: str, limit: float) -> str:
    """Run ``code`` in a fresh interpreter; fail if it takes longer than ``limit`` seconds."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=limit, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"did not finish within {limit:.0f}s")
    assert done.returncode == 0, done.stderr[-3000:]
    print(f"finished in {time.perf_counter() - started:.2f}s")
    return done.stdout.strip()


OUTCOME_CODE = """
import sieve
try:
    article = sieve.extract(HTML)
except sieve.ExtractionError as exc:
    print("error", exc.kind)
else:
    print("article", len(article.paragraphs))
"""


@pytest.mark.parametrize("tag", ["div", "span"])
def test_100000_deep_nesting_finishes_quickly(tag: str) -> None:
    setup = (
        f"HTML = '<{tag}>' * 100_000 + '<p>The innermost paragraph of a very deep page, with enough words to read.</p>'"
        f" + '</{tag}>' * 100_000\n"
    )
    out = run_isolated(setup + OUTCOME_CODE, limit=5)
    assert out.split()[0] in ("article", "error")


def test_many_links_to_the_same_target_in_one_block_finish_quickly() -> None:
    setup = "HTML = '<div>' + '<a href=\"/same\">link</a> ' * 400_000 + '</div>'\n"
    out = run_isolated(setup + OUTCOME_CODE, limit=10)
    assert out.split()[0] in ("article", "error")


@pytest.mark.parametrize("as_bytes", [True, False])
def test_20_mb_page_is_refused_or_extracted_without_hanging(as_bytes: bool) -> None:
    body = "'<p>' + 'word ' * 30 + '</p>'"
    setup = f"HTML = ('<html><body>' + ({body}) * 130_000 + '</body></html>')\nassert len(HTML) > 20_000_000\n"
    if as_bytes:
        setup += "HTML = HTML.encode()\n"
    out = run_isolated(setup + OUTCOME_CODE.replace('print("error", exc.kind)', 'print("error", exc.kind.value)'), 10)
    kind, detail = out.split()
    assert kind == "article" or detail == "too_large"


# --- broken markup --------------------------------------------------------------------------------


def page(body: str) -> str:
    return f"<html><head><title>River floods old town</title></head><body><h1>River floods old town</h1>{body}"


def test_unclosed_paragraphs() -> None:
    article = sieve.extract(page("".join(f"<p>{p}" for p in PARAS)))
    assert article.paragraphs == PARAS


def test_stray_end_tags() -> None:
    body = f"<p>{PARAS[0]}</p></p></div></span><p>{PARAS[1]}</p></article></li><p>{PARAS[2]}</p></td></table>"
    assert sieve.extract(page(body)).paragraphs == PARAS


def test_comments_and_cdata_are_not_text() -> None:
    body = (
        f"<!-- <p>This commented-out paragraph must never appear in the article text at all.</p> -->"
        f"<p>{PARAS[0]}</p><![CDATA[ raw cdata section that is no paragraph ]]>"
        f"<p>{PARAS[1]}<!-- inline comment --></p><!--><p>{PARAS[2]}</p>"
    )
    article = sieve.extract(page(body))
    assert article.paragraphs == PARAS
    assert "commented-out" not in article.text
    assert "cdata" not in article.text.lower()


def test_misnested_and_unclosed_inline_tags() -> None:
    body = f"<p><b>{PARAS[0][:20]}</b>{PARAS[0][20:]}<p><i>{PARAS[1]}</p></i><p><b>{PARAS[2]}"
    assert sieve.extract(page(body)).paragraphs == PARAS


def test_unquoted_and_odd_attributes() -> None:
    body = (
        f'<div class=story id=main><p class=x>{PARAS[0]}</p><p data-x="a"b =foo>{PARAS[1]}</p>'
        f'<p class="a" class="b" <="">{PARAS[2]}</p></div>'
    )
    assert sieve.extract(page(body)).paragraphs == PARAS


def test_no_html_head_or_body_tags() -> None:
    html = "<title>River floods old town</title><h1>River floods old town</h1>" + "".join(f"<p>{p}</p>" for p in PARAS)
    assert sieve.extract(html).paragraphs == PARAS


def test_entities_are_decoded() -> None:
    body = "<p>Residents said the water was &ldquo;higher than in 1998&rdquo; &amp; the town&#39;s walls held.</p>"
    article = sieve.extract(page(body + "".join(f"<p>{p}</p>" for p in PARAS)))
    assert article.paragraphs[0] == "Residents said the water was “higher than in 1998” & the town's walls held."


def test_nul_bytes_inside_a_str_page() -> None:
    html = page("".join(f"<p>{p}</p>" for p in PARAS)).replace("<h1>", "<h1>\x00")
    result = outcome(html)
    assert isinstance(result, Article)
    assert result.paragraphs == PARAS
