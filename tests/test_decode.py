"""Bytes to text (sieve.decode): BOMs, HTTP charset, <meta> charset, mislabelled pages, binary payloads.

Expectations follow the WHATWG encoding rules the module documents: a BOM beats every declaration, the
HTTP Content-Type charset beats <meta>, latin-1/ascii labels mean windows-1252, an unknown label is
ignored, and a binary payload is not HTML.
"""

from __future__ import annotations

import codecs

import pytest

import sieve
from sieve.contracts import ErrorKind, ExtractionError
from sieve.decode import decode, header_charset, normalise_charset

PARAS = [
    "The café on the corner of the old market square reopened on Monday after a long renovation.",
    "Its owner said the crème brûlée would stay on the menu, along with the smörgåsbord on Sundays.",
    "Neighbours queued from early morning, and by noon the kitchen had run out of the famous pâté.",
]


def page(charset_decl: str = "", paras: list[str] = PARAS) -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f"<!doctype html><html><head>{charset_decl}<title>Corner café reopens</title></head>"
        f"<body><article><h1>Corner café reopens</h1>{body}</article></body></html>"
    )


# --- byte order marks -----------------------------------------------------------------------------


def test_utf8_bom_is_stripped_and_wins() -> None:
    data = codecs.BOM_UTF8 + "<p>café</p>".encode()
    text, encoding = decode(data)
    assert text == "<p>café</p>"
    assert encoding.replace("_", "-").lower() in ("utf-8", "utf8")


def test_utf8_bom_beats_a_contradicting_header_and_meta() -> None:
    data = codecs.BOM_UTF8 + '<meta charset="windows-1251"><p>café</p>'.encode()
    text, _encoding = decode(data, {"Content-Type": "text/html; charset=iso-8859-2"})
    assert text.endswith("<p>café</p>")
    assert "\ufeff" not in text


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_utf16_boms(bom: bytes, codec: str) -> None:
    source = "<html><body><p>café, naïve, Zürich, Ωμέγα</p></body></html>"
    text, _encoding = decode(bom + source.encode(codec))
    assert text == source


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_page_with_bom_extracts(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec == "utf-16-le" else codecs.BOM_UTF16_BE
    article = sieve.extract(bom + page().encode(codec))
    assert article.paragraphs == PARAS


# --- declarations ---------------------------------------------------------------------------------


def test_http_charset_beats_meta_charset() -> None:
    russian = "Привет, мир. Это короткий текст на русском языке."
    html = f'<html><head><meta charset="iso-8859-2"></head><body><p>{russian}</p></body></html>'
    data = html.encode("windows-1251")
    text, _encoding = decode(data, {"Content-Type": "text/html; charset=windows-1251"})
    assert russian in text


def test_http_charset_header_name_is_case_insensitive() -> None:
    assert header_charset({"content-type": "text/html; charset=windows-1251"}) == normalise_charset("cp1251")
    assert header_charset({"CONTENT-TYPE": 'text/html; charset="KOI8-R"'}) == normalise_charset("koi8-r")
    assert header_charset({"Content-Type": "text/html"}) is None
    assert header_charset(None) is None


def test_meta_charset() -> None:
    russian = "Москва, 14 февраля. Новости дня."
    data = f'<html><head><meta charset="windows-1251"></head><body><p>{russian}</p></body></html>'.encode("cp1251")
    text, _encoding = decode(data)
    assert russian in text


def test_meta_http_equiv_content_type() -> None:
    polish = "Łódź, Kraków i Gdańsk: zażółć gęślą jaźń."
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">'
        f"</head><body><p>{polish}</p></body></html>"
    )
    text, _encoding = decode(html.encode("iso-8859-2"))
    assert polish in text


def test_iso_8859_1_label_means_windows_1252() -> None:
    # 0x93/0x94 are curly quotes in windows-1252 and C1 controls in real iso-8859-1 (WHATWG: decode as 1252)
    html = b'<html><head><meta charset="iso-8859-1"></head><body><p>\x93Quoted\x94 \x96 caf\xe9</p></body></html>'
    text, _encoding = decode(html)
    assert "“Quoted” – café" in text


def test_page_declared_latin1_that_is_really_utf8() -> None:
    data = page('<meta charset="iso-8859-1">').encode("utf-8")
    text, _encoding = decode(data)
    assert "café on the corner" in text
    assert "crème brûlée" in text
    assert "Ã" not in text  # no mojibake
    article = sieve.extract(data)
    assert article.paragraphs == PARAS


def test_header_latin1_but_body_is_utf8() -> None:
    data = page().encode("utf-8")
    article = sieve.extract(data, headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    assert article.paragraphs == PARAS


def test_windows_1252_without_any_declaration() -> None:
    text, _encoding = decode(b"<p>caf\xe9</p>")
    assert text == "<p>café</p>"


def test_windows_1252_page_without_declaration_extracts() -> None:
    data = page().encode("windows-1252")
    assert b"caf\xe9" in data
    article = sieve.extract(data)
    assert article.paragraphs == PARAS


def test_declared_utf8_with_a_stray_byte_keeps_the_utf8_text() -> None:
    good = page('<meta charset="utf-8">').encode("utf-8")
    data = good.replace(b"</article>", b"<p>\xff</p></article>")
    text, _encoding = decode(data)
    assert "crème brûlée" in text


def test_unknown_charset_label_falls_back_for_utf8_bytes() -> None:
    data = page('<meta charset="x-no-such-charset">').encode("utf-8")
    text, _encoding = decode(data)
    assert "crème brûlée" in text
    assert sieve.extract(data).paragraphs == PARAS


def test_unknown_charset_label_falls_back_for_legacy_bytes() -> None:
    text, _encoding = decode(b'<meta charset="klingon-8"><p>caf\xe9</p>')
    assert "<p>café</p>" in text


def test_unknown_header_charset_falls_back_to_meta() -> None:
    russian = "Привет, мир."
    data = f'<meta charset="windows-1251"><p>{russian}</p>'.encode("cp1251")
    text, _encoding = decode(data, {"Content-Type": "text/html; charset=bogus-label"})
    assert russian in text


def test_normalise_charset() -> None:
    assert normalise_charset(None) is None
    assert normalise_charset("") is None
    assert normalise_charset("no-such-charset") is None
    assert normalise_charset("UTF-8") == normalise_charset("utf8") == codecs.lookup("utf-8").name
    assert normalise_charset("ISO-8859-1") == codecs.lookup("cp1252").name
    assert normalise_charset("us-ascii") == codecs.lookup("cp1252").name


def test_ascii_page_decodes_unchanged() -> None:
    source = (
        '<html><head><meta charset="us-ascii"><title>Council</title></head>'
        "<body><p>Plain ASCII text about the city council meeting on Tuesday night.</p></body></html>"
    )
    text, _encoding = decode(source.encode("ascii"))
    assert text == source


# --- not HTML -------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00\x5c\x72\xa8\x66"
GZIP = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(256)) * 4


@pytest.mark.parametrize(
    "payload",
    [
        PNG + bytes(range(256)) * 8,
        b"<html>\x00\x00\x00\x00<body>\x00<p>text</p>\x00\x00</body></html>",
        b"\x00" * 1000,
        GZIP,
    ],
    ids=["png", "html-with-nuls", "all-nuls", "gzip"],
)
def test_binary_payload_is_not_html(payload: bytes) -> None:
    with pytest.raises(ExtractionError) as info:
        decode(payload)
    assert info.value.kind is ErrorKind.NOT_HTML
    with pytest.raises(ExtractionError) as info:
        sieve.extract(payload)
    assert info.value.kind is ErrorKind.NOT_HTML
