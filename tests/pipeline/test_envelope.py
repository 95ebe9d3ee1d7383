from __future__ import annotations

import base64

import orjson
import pytest

from sieve.pipeline.envelope import DecodeErrorKind, EnvelopeError, decode


def _kind(value: bytes | None, headers: list[tuple[str, bytes]] | None = None, **kw: int) -> str:
    with pytest.raises(EnvelopeError) as err:
        decode(value, headers or [], **kw)
    return str(err.value.kind)


def test_json_envelope() -> None:
    page = decode(
        orjson.dumps(
            {
                "url": "https://a.example/x",
                "html": "<p>hi</p>",
                "fetched_at": "2026-11-25T08:00:00Z",
                "status": 200,
                "headers": {"Content-Type": "text/html"},
                "crawl_id": "c1",
                "extra": "ignored",
            }
        )
    )
    assert (page.url, page.html, page.form, page.crawl_id, page.status) == (
        "https://a.example/x",
        "<p>hi</p>",
        "envelope",
        "c1",
        200,
    )
    assert page.headers == {"content-type": "text/html"}


def test_base64_with_charset_is_decoded_to_text() -> None:
    data = "<p>Caf\u00e9</p>".encode("latin-1")
    page = decode(
        orjson.dumps({"url": "http://a.example/", "html_b64": base64.b64encode(data).decode(), "charset": "latin-1"})
    )
    assert page.html == "<p>Caf\u00e9</p>" and page.charset == "iso8859-1"


def test_base64_without_charset_stays_bytes() -> None:
    page = decode(orjson.dumps({"url": "http://a.example/", "html_b64": base64.b64encode(b"<p>x</p>").decode()}))
    assert page.html == b"<p>x</p>"


def test_bare_html_with_url_header() -> None:
    page = decode(b"<html><p>x</p></html>", [("url", b"https://a.example/b"), ("crawl_id", b"c")])
    assert (page.url, page.form, page.crawl_id, page.html) == (
        "https://a.example/b",
        "bare",
        "c",
        b"<html><p>x</p></html>",
    )


@pytest.mark.parametrize(
    ("value", "headers", "kind"),
    [
        (None, [], DecodeErrorKind.EMPTY_MESSAGE),
        (b"  ", [], DecodeErrorKind.EMPTY_MESSAGE),
        (b'{"url": ', [], DecodeErrorKind.INVALID_JSON),
        (b"[1]", [], DecodeErrorKind.MISSING_URL),  # not JSON-object-looking: treated as bare HTML
        (b'{"html": "<p>x</p>"}', [], DecodeErrorKind.MISSING_URL),
        (b'{"url": "ftp://a/", "html": "<p>x</p>"}', [], DecodeErrorKind.BAD_URL),
        (b'{"url": "http://a.example/"}', [], DecodeErrorKind.MISSING_HTML),
        (b'{"url": "http://a.example/", "html": " "}', [], DecodeErrorKind.EMPTY_HTML),
        (b'{"url": "http://a.example/", "html_b64": "%%%"}', [], DecodeErrorKind.BAD_BASE64),
        (b'{"url": "http://a.example/", "html": "<p>x</p>", "status": "ok"}', [], DecodeErrorKind.BAD_FIELD),
        (
            b'{"url": "http://a.example/", "html": "<p>x</p>", "fetched_at": "yesterday"}',
            [],
            DecodeErrorKind.BAD_FIELD,
        ),
        (
            b'{"url": "http://a.example/", "html_b64": "eA==", "charset": "klingon"}',
            [],
            DecodeErrorKind.UNKNOWN_CHARSET,
        ),
        (
            b'{"url": "http://a.example/", "html_b64": "6Q==", "charset": "utf-8"}',
            [],
            DecodeErrorKind.CHARSET_MISMATCH,
        ),
        (b'["not an object"]', [("url", b"http://a.example/")], None),
        (b"<p>x</p>", [], DecodeErrorKind.MISSING_URL),
        (b"\x00\x01\x02garbage" * 10, [("url", b"http://a.example/")], DecodeErrorKind.BINARY),
        (b"\x00\x01\x02garbage" * 10, [], DecodeErrorKind.BINARY),
        (b"<p>x</p>", [("url", b"\xff")], DecodeErrorKind.BAD_FIELD),
    ],
)
def test_error_kinds(value: bytes | None, headers: list[tuple[str, bytes]], kind: DecodeErrorKind | None) -> None:
    if kind is None:
        assert decode(value, headers).form == "bare"
    else:
        assert _kind(value, headers) == kind


def test_size_limit() -> None:
    html = "<p>" + "x" * 2000 + "</p>"
    assert _kind(orjson.dumps({"url": "http://a.example/", "html": html}), max_page_bytes=1000) == "too_large"
    assert _kind(html.encode(), [("url", b"http://a.example/")], max_page_bytes=1000) == "too_large"
    assert decode(html.encode(), [("url", b"http://a.example/")], max_page_bytes=5000).size == len(html)
