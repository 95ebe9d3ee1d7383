"""Decode one ``pages.raw`` message into a typed :class:`RawPage`, or say exactly why not.

Two forms are accepted:

* a JSON envelope ``{"url", "html" | "html_b64", "fetched_at", "status", "headers", "crawl_id",
  "charset"}`` (``url`` and one of ``html``/``html_b64`` required; unknown fields are ignored);
* a bare HTML value, with the page URL in the Kafka header ``url`` (and optionally ``crawl_id``,
  ``fetched_at``, ``charset``, ``content-type`` headers), as simple crawlers send it.

Nothing here parses HTML: the page bytes are only decoded from base64 or a declared charset and
sniffed for binary content. Errors are :class:`EnvelopeError` with a :class:`DecodeErrorKind`.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import orjson

KafkaHeaders = Sequence[tuple[str, bytes]]


class DecodeErrorKind(enum.StrEnum):
    EMPTY_MESSAGE = "empty_message"
    INVALID_JSON = "invalid_json"
    INVALID_ENVELOPE = "invalid_envelope"
    MISSING_URL = "missing_url"
    BAD_URL = "bad_url"
    MISSING_HTML = "missing_html"
    EMPTY_HTML = "empty_html"
    BAD_BASE64 = "bad_base64"
    TOO_LARGE = "too_large"
    BINARY = "binary_content"
    UNKNOWN_CHARSET = "unknown_charset"
    CHARSET_MISMATCH = "charset_mismatch"
    BAD_FIELD = "bad_field"


class EnvelopeError(ValueError):
    def __init__(self, kind: DecodeErrorKind, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


@dataclass(frozen=True, slots=True)
class RawPage:
    """A page as the crawler sent it. ``html`` is ``str`` when the text is known (JSON ``html``, or
    bytes decoded with a declared charset) and ``bytes`` when the extractor must detect the encoding."""

    url: str
    html: str | bytes
    form: str  # "envelope" or "bare"
    fetched_at: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    crawl_id: str | None = None
    charset: str | None = None

    @property
    def size(self) -> int:
        return len(self.html)


def header_value(headers: KafkaHeaders, name: str) -> str | None:
    """The last value of a Kafka header (case-insensitive name), decoded as UTF-8."""
    found: str | None = None
    for key, value in headers:
        if key.lower() == name and value is not None:
            try:
                found = bytes(value).decode("utf-8").strip()
            except UnicodeDecodeError as exc:
                raise EnvelopeError(DecodeErrorKind.BAD_FIELD, f"Kafka header {key!r} is not UTF-8") from exc
    return found


def _check_url(url: Any) -> str:
    if url is None or (isinstance(url, str) and not url.strip()):
        raise EnvelopeError(DecodeErrorKind.MISSING_URL, "the page has no url")
    if not isinstance(url, str):
        raise EnvelopeError(DecodeErrorKind.BAD_URL, f"url must be a string, not {type(url).__name__}")
    text: str = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EnvelopeError(DecodeErrorKind.BAD_URL, f"url must be an absolute http(s) URL: {text[:200]!r}")
    return text


def _check_charset(charset: Any) -> str | None:
    if charset is None or charset == "":
        return None
    if not isinstance(charset, str):
        raise EnvelopeError(DecodeErrorKind.BAD_FIELD, "charset must be a string")
    try:
        name: str = codecs.lookup(charset.strip()).name
        return name
    except LookupError as exc:
        raise EnvelopeError(DecodeErrorKind.UNKNOWN_CHARSET, f"unknown charset {charset[:60]!r}") from exc


def _looks_binary(data: bytes) -> bool:
    """Binary sniff on the first 8 KiB: NUL bytes, or over 10% control bytes other than whitespace."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) // 10


def _finish_bytes(data: bytes, charset: str | None, max_bytes: int) -> str | bytes:
    if not data.strip():
        raise EnvelopeError(DecodeErrorKind.EMPTY_HTML, "the html is empty")
    if len(data) > max_bytes:
        raise EnvelopeError(DecodeErrorKind.TOO_LARGE, f"the html is {len(data)} bytes; the limit is {max_bytes}")
    wide = charset is not None and charset.startswith(("utf-16", "utf-32"))
    if not wide and _looks_binary(data):
        raise EnvelopeError(DecodeErrorKind.BINARY, "the page is binary data, not text")
    if charset is None:
        return data
    try:
        return data.decode(charset)
    except UnicodeDecodeError as exc:
        raise EnvelopeError(
            DecodeErrorKind.CHARSET_MISMATCH, f"the bytes are not valid {charset} (at byte {exc.start})"
        ) from exc


def _opt_str(envelope: dict[str, Any], name: str) -> str | None:
    value = envelope.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise EnvelopeError(DecodeErrorKind.BAD_FIELD, f"{name} must be a string")
    return value


def _decode_envelope(value: bytes, max_bytes: int) -> RawPage:
    try:
        envelope = orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        raise EnvelopeError(DecodeErrorKind.INVALID_JSON, f"the value is not valid JSON: {exc}") from exc
    if not isinstance(envelope, dict):
        raise EnvelopeError(DecodeErrorKind.INVALID_ENVELOPE, "the JSON value must be an object")
    url = _check_url(envelope.get("url"))
    charset = _check_charset(envelope.get("charset"))
    html_text, html_b64 = envelope.get("html"), envelope.get("html_b64")
    if (html_text is None) == (html_b64 is None):
        raise EnvelopeError(DecodeErrorKind.MISSING_HTML, "give exactly one of html and html_b64")
    html: str | bytes
    if html_text is not None:
        if not isinstance(html_text, str):
            raise EnvelopeError(DecodeErrorKind.BAD_FIELD, "html must be a string")
        if not html_text.strip():
            raise EnvelopeError(DecodeErrorKind.EMPTY_HTML, "the html is empty")
        if len(html_text) > max_bytes:
            raise EnvelopeError(
                DecodeErrorKind.TOO_LARGE,
                f"the html is {len(html_text)} characters; the limit is {max_bytes}",
            )
        html = html_text
    else:
        if not isinstance(html_b64, str):
            raise EnvelopeError(DecodeErrorKind.BAD_FIELD, "html_b64 must be a string")
        try:
            data = base64.b64decode(html_b64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise EnvelopeError(DecodeErrorKind.BAD_BASE64, f"html_b64 is not valid base64: {exc}") from exc
        html = _finish_bytes(data, charset, max_bytes)
    status = envelope.get("status")
    if status is not None and (not isinstance(status, int) or isinstance(status, bool) or not 0 <= status < 1000):
        raise EnvelopeError(DecodeErrorKind.BAD_FIELD, "status must be an HTTP status code")
    headers = envelope.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise EnvelopeError(DecodeErrorKind.BAD_FIELD, "headers must be an object of strings")
    fetched_at = _opt_str(envelope, "fetched_at")
    if fetched_at is not None:
        try:
            datetime.fromisoformat(fetched_at)
        except ValueError as exc:
            raise EnvelopeError(DecodeErrorKind.BAD_FIELD, f"fetched_at is not ISO 8601: {fetched_at[:60]!r}") from exc
    return RawPage(
        url=url,
        html=html,
        form="envelope",
        fetched_at=fetched_at,
        status=status,
        headers={str(k).lower(): v for k, v in headers.items()},
        crawl_id=_opt_str(envelope, "crawl_id"),
        charset=charset,
    )


def _decode_bare(value: bytes, headers: KafkaHeaders, max_bytes: int) -> RawPage:
    charset = _check_charset(header_value(headers, "charset"))
    html = _finish_bytes(value, charset, max_bytes)  # garbage is reported as such before a missing url
    url = _check_url(header_value(headers, "url"))
    content_type = header_value(headers, "content-type")
    return RawPage(
        url=url,
        html=html,
        form="bare",
        fetched_at=header_value(headers, "fetched_at"),
        headers={"content-type": content_type} if content_type else {},
        crawl_id=header_value(headers, "crawl_id"),
        charset=charset,
    )


def decode(value: bytes | None, headers: KafkaHeaders = (), *, max_page_bytes: int = 10 * 1024 * 1024) -> RawPage:
    """Decode a ``pages.raw`` message value (and its Kafka headers); raise :class:`EnvelopeError`."""
    if value is None or not value.strip():
        raise EnvelopeError(DecodeErrorKind.EMPTY_MESSAGE, "the message has no value")
    # A JSON envelope starts with "{"; HTML never does. The envelope may be up to ~4/3 the page (base64).
    if value.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] == b"{":
        if len(value) > max_page_bytes * 4 // 3 + 65536:
            raise EnvelopeError(DecodeErrorKind.TOO_LARGE, f"the message is {len(value)} bytes")
        return _decode_envelope(value, max_page_bytes)
    return _decode_bare(value, headers, max_page_bytes)
