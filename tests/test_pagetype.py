"""Page-type rules (pagetype.py): content pages with big link rails against genuine listings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import sieve
from sieve.blocks import Block
from sieve.contracts import Label
from sieve.pagetype import _article_url, count_words, flanked, spaced_script, spaced_words

STEPS = [
    "Warm the milk in a small pan and melt the butter in it, then leave it to cool until it is only just "
    "warm to the touch, because hot milk would kill the yeast before the dough has had a chance to rise.",
    "Mix the flour with the yeast in a large bowl, add the sugar, the eggs and the warm milk, and knead "
    "everything for about five minutes until the dough is smooth and comes away from the sides of the bowl.",
    "Bring the butter, sugar, honey and cream to the boil in a pan, stirring all the time, let it bubble "
    "for two minutes, then stir in the flaked almonds and leave the topping to cool a little while you wait.",
    "Divide the risen dough between the muffin cups with two spoons, flatten it slightly, spread the "
    "almond topping over it and bake on the lower shelf for about fifteen minutes until golden brown.",
]

MORE = [
    "Classic cherry cake with crumble topping",
    "Lemon drizzle loaf for a sunny afternoon",
    "Chocolate brownies with fresh raspberries",
    "Vegan Christmas muffins with cinnamon",
    "Quick apple tart made with puff pastry",
    "Overnight porridge with mango and lime",
    "Marble cake the way grandmother made it",
    "Carrot cake with a cream cheese frosting",
    "Small blueberry cheesecakes in a jar",
    "Plum crumble with oat and walnut topping",
    "Strawberry roll with whipped vanilla cream",
    "Hazelnut cookies with dark chocolate chips",
    "Poppy seed and marzipan layer gateau",
    "Spiced pumpkin bread with maple glaze",
    "Apricot and rosemary cakes baked in jars",
    "Iced vanilla cupcakes for a birthday party",
    "Cinnamon buns with a brown butter glaze",
    "Rhubarb and custard tart with shortcrust",
    "Coconut macaroons dipped in chocolate",
    "Banana bread with walnuts and honey",
    "Black forest gateau with kirsch cherries",
    "Gingerbread biscuits to hang on the tree",
    "Peach galette with almond frangipane",
    "Mini pavlovas with passion fruit curd",
    "Salted caramel slices with a biscuit base",
    "Sticky toffee pudding with date sauce",
    "Orange and polenta cake without flour",
    "Raspberry and white chocolate blondies",
]


def _grid(titles: list[str]) -> str:
    return "".join(f'<div class="card"><a href="/recipes/r/{i}">{t}</a></div>' for i, t in enumerate(titles))


def _recipe() -> str:
    steps = "".join(f"<h3>Step {i + 1}</h3><p>{s}</p>" for i, s in enumerate(STEPS))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Bee sting muffins</title></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/recipes'>Recipes</a></li></ul></nav>"
        "<main><h1>Bee sting muffins</h1><p>Makes 12 · 60 minutes</p>"
        "<h2>Ingredients</h2><table><tr><td>250 g</td><td>flour</td></tr><tr><td>50 ml</td><td>milk</td></tr></table>"
        f"<h2>Method</h2>{steps}"
        f"<h2>More recipes you might like</h2>{_grid(MORE)}</main>"
        "<footer><a href='/about'>About us</a> <a href='/privacy'>Privacy</a></footer></body></html>"
    )


def _listing_with_text_below() -> str:
    text = "".join(f"<p>{s}</p>" for s in STEPS)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Cakes</title></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/recipes'>Recipes</a></li></ul></nav>"
        f"<main><h1>Cakes</h1>{_grid(MORE)}<h2>About our cakes</h2>{text}</main>"
        "<footer><a href='/about'>About us</a> <a href='/privacy'>Privacy</a></footer></body></html>"
    )


def test_content_page_with_a_big_rail_after_its_body_is_an_article() -> None:
    """A recipe (no article markup, no slug) whose steps are followed by a grid of 28 more recipes: the
    teasers only flank its prose, so they are a rail, not the page's listing."""
    article = sieve.extract(_recipe(), url="https://cooking.example/recipes/r/bee-sting")
    assert article.page_type == "article", article.reason
    assert "Divide the risen dough" in article.text
    assert "Classic cherry cake" not in article.text
    assert article.page_type_confidence > 0.8  # the rail is no listing evidence against the article either


def test_listing_with_its_text_under_the_grid_stays_a_section_front() -> None:
    """A category page: the grid of teasers comes first and a block of text sits below it."""
    article = sieve.extract(_listing_with_text_below(), url="https://cooking.example/recipes/cakes")
    assert article.page_type == "section_front", article.reason
    assert article.text == ""


def test_fixture_section_front_without_its_listing_markup_stays_a_section_front() -> None:
    """The teaser rule on its own: the fixture's grid, with its CollectionPage JSON-LD taken out."""
    html = (Path(__file__).parent / "fixtures" / "pages" / "section_front.html").read_text("utf-8")
    bare = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
    assert "CollectionPage" not in bare
    article = sieve.extract(bare, url="https://news.example/world")
    assert article.page_type == "section_front", article.reason
    assert "teasers" in (article.reason or "")


def _block(i: int, label: Label, chars: int, density: float) -> Block:
    text = "x" * chars
    return Block(i, text, i, "p", int(chars * density), [], 0, "", False, False, (), chars, density, label)


def _prose(i: int) -> Block:
    return _block(i, Label.BODY, 400, 0.0)


def _teaser(i: int) -> Block:
    return _block(i, Label.RELATED, 60, 1.0)


def test_flanked_needs_one_clean_run_of_prose() -> None:
    rail_after = [_prose(0), _prose(1), _prose(2), _prose(3)] + [_teaser(4 + i) for i in range(20)]
    assert flanked(rail_after, 4)
    # teaser summaries labelled body, each followed by its linked title: teasers inside the run
    interleaved = [b for i in range(10) for b in (_prose(2 * i), _teaser(2 * i + 1))]
    assert not flanked(interleaved, 10)
    # most teasers before the prose: a grid with an SEO text under it
    text_below = [_teaser(i) for i in range(20)] + [_prose(20 + i) for i in range(4)] + [_teaser(30), _teaser(31)]
    assert not flanked(text_below, 4)
    # too little prose to call it a body
    assert not flanked([_prose(0), _prose(1)] + [_teaser(2 + i) for i in range(20)], 2)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.com/world/russia-pulls-back-from-kharkiv", True),
        ("https://news.example.com/2024/05/14/russia_pulls_back_from_kharkiv.html", True),
        ("https://news.example.com/story/1234567", True),
        ("https://news.example.com/news/?id=98765", True),
        ("https://news.example.com/world/", False),
        ("https://news.example.com/tag/north-korea", False),
        ("https://news.example.com/section/local-news/sports", False),
        ("https://news.example.com", False),
        (None, False),
    ],
)
def test_article_urls_carry_a_long_slug_or_a_long_numeric_id(url: str | None, expected: bool) -> None:
    assert _article_url(url) is expected


def test_spaced_words_count_what_split_does_on_every_fixture_page() -> None:
    pages = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.html"))
    assert pages
    for page in pages:
        article = sieve.extract(page.read_text("utf-8"), url=f"https://example.com/news/{page.stem}")
        assert spaced_words(article.paragraphs) == len("\n\n".join(article.paragraphs).split()), page.name


def test_spaced_words_of_a_block_cut_after_a_space() -> None:
    assert spaced_words(["one two ", "three", ""]) == 3


def test_one_spacing_test_for_word_counts_and_block_weights() -> None:
    german = "Die Bundesregierung hat am Dienstagnachmittag die Grundsteuerreform beschlossen"
    assert spaced_script(len(german), len(german.split()))  # long compounds are still a spaced script
    assert count_words(german) == 8
    chinese = "今年冬天的第一波寒流來得特別早，山上的楓樹一夜之間全都變紅了。 我們一早就從台北出發。"
    assert not spaced_script(len(chinese), len(chinese.split()))
    assert count_words(chinese) > 30  # every Han character counts as a word


# A Chinese blog post: sentences of 25-35 characters, each as much text as an 80-character English one.
POST_ZH = [
    "今年冬天的第一波寒流來得特別早，山上的楓樹一夜之間全都變紅了。",
    "我們一早就從台北出發，沿著蜿蜒的山路開了三個多小時才到營地。",
    "營地主人很熱情地招呼我們，還特地準備了熱茶讓大家暖暖身子。",
    "下午的雲霧慢慢散開，整片山谷的楓葉在陽光下顯得格外鮮艷動人。",
    "晚上氣溫降到只有五度，大家圍著火爐聊天，一直聊到深夜才睡。",
    "第二天早上醒來，地上已經鋪滿了一層厚厚的落葉，踩起來沙沙作響。",
    "離開之前我們又在營地附近走了一圈，拍下了許多難忘的美麗照片。",
    "如果你也喜歡賞楓，十二月中旬是最好的時間，記得要提早預約營位。",
]
COMMENTS_ZH = [
    "謝謝分享這麼漂亮的照片！我們去年也去過這個營地，可惜那時候楓葉還沒有紅，看了你的文章真的很想再去一次，"
    "請問營地的衛浴設備乾淨嗎？晚上會不會很冷？需要準備什麼特別的裝備嗎？",
    "好美的楓葉啊！每次看你的遊記都覺得好像自己也跟著去了一趟，文字和照片都很有感覺，期待你下一次的分享，"
    "也祝你新年快樂，身體健康，全家平安，明年繼續帶我們去更多美麗的地方看看。",
]


def test_a_chinese_posts_short_sentences_outweigh_longer_comments_under_it() -> None:
    # Chinese puts no spaces between words: a 30-character sentence is a paragraph of prose, and the
    # post is the page's main text (counted by its characters alone, only the longer comments below
    # it were prose, and they alone were taken for the main text).
    post = "".join(f"<p>{s}</p>" for s in POST_ZH)
    comments = "".join(f"<li>{c}</li>" for c in COMMENTS_ZH)
    html = (
        "<!doctype html><html lang='zh-Hant'><head><meta charset='utf-8'><title>美樹營地賞楓</title></head><body>"
        "<nav><ul><li><a href='/'>首頁</a></li><li><a href='/travel'>旅遊</a></li></ul></nav>"
        f"<div><h1>美樹營地賞楓</h1><div>{post}</div></div><div><h4>留言</h4><ul>{comments}</ul></div>"
        "</body></html>"
    )
    article = sieve.extract(html)
    assert article.paragraphs[: len(POST_ZH)] == POST_ZH
