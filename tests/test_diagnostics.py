"""Server error messages printed into the page (sieve.diagnostics): PHP's displayed warnings are the
server's, not the page's text. Small synthetic pages written here; no rule names a site."""

from __future__ import annotations

from sieve.extract import extract

POST = [
    "It has been a while since Henry was born, our first one. A few days ago Leo made it too, our second, "
    "and the house has been loud and happy ever since.",
    "This is how it looked when Henry saw the newcomer for the first time, talked to him and sniffed him "
    "with his eyes closed.",
]
WARNING = (
    "<br />\n<b>Warning</b>:  Use of undefined constant comments - assumed 'comments' (this will throw an "
    "Error in a future version of PHP) in <b>/homepages/15/htdocs/wp-content/plugins/recent-comments/"
    "recent-comments.php</b> on line <b>928</b><br />\n"
)


def page(post: str, sidebar: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Number two: Leo</title></head><body>"
        "<div id='page'><div id='content'><h2><a href='/leo/'>Number two: Leo</a></h2>"
        "<p class='meta'>3 August 2015 · Filed under <a href='/private/'>private</a></p>"
        f"{post}</div><div id='sidebar'><h2>Recent comments</h2><ul>{sidebar}</ul>"
        "<h2>Categories</h2><ul>"
        + "".join(f"<li><a href='/c/{i}'>category {i}</a> ({i})</li>" for i in range(8))
        + "</ul></div></div></body></html>"
    )


def test_php_warnings_in_a_sidebar_do_not_outvote_the_post() -> None:
    # a screen of warnings reads as long prose: without the rule it is the "article", the post is lost
    html = page("".join(f"<p>{p}</p>" for p in POST), WARNING * 8 + "<li><a href='/c#1'>Anna</a>: so sweet</li>")
    article = extract(html, url="https://blog.example/number-two-leo/")
    assert article.paragraphs[-2:] == POST
    assert "on line" not in article.text


def test_a_php_warning_inside_a_paragraph_goes_and_the_paragraph_stays() -> None:
    html = page(f"<p>{POST[0]}</p><p>{WARNING}{POST[1]}</p>", "<li><a href='/c#1'>Anna</a>: so sweet</li>")
    article = extract(html, url="https://blog.example/number-two-leo/")
    assert article.paragraphs[-2:] == POST


def test_a_php_warning_quoted_in_a_code_block_is_kept() -> None:
    quoted = "Warning: Division by zero in /var/www/html/index.php on line 3"
    text = (
        "When PHP divides by zero it does not stop: it prints a warning into the page, wherever the failing "
        "code ran, and carries on with the rest of the script as if nothing had happened at all."
    )
    html = page(f"<p>{text}</p><pre>{quoted}</pre><p>{POST[0]}</p>", "<li><a href='/c#1'>Anna</a>: hi</li>")
    assert quoted in extract(html, url="https://blog.example/php-division/").text
