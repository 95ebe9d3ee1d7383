"""URL helpers (sieve.urls): the path key that tells a link to the page itself."""

from __future__ import annotations

from sieve.urls import page_path


def test_a_link_to_the_same_page_shares_its_path_key_whatever_its_form() -> None:
    key = page_path("https://blog.example/2019/07/leo/")
    assert key == "/2019/07/leo"
    assert page_path("http://www.blog.example/2019/07/leo") == key
    assert page_path("/2019/07/leo/?utm_source=rss") == key


def test_home_pages_parts_of_a_page_and_nothing_have_no_key() -> None:
    assert page_path("https://blog.example/") == ""
    assert page_path("https://blog.example/2019/07/leo/#comment-12") == ""  # a comment's permalink
    assert page_path(None) == ""
    assert page_path("http://[bad") == ""
