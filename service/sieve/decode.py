"""Bytes to text: BOM, then the HTTP Content-Type charset, then <meta charset>, then detection.

Follows the WHATWG encoding rules where they matter for news pages: latin-1/ascii labels mean
windows-1252, a BOM beats every declaration, and undecodable bytes are replaced, never fatal.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from typing import Final

from sieve.contracts import ErrorKind, ExtractionError

_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET: Final = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET: Final = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
#: WHATWG: these labels are decoded as windows-1252.
_ALIASES: Final = {
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-sjis": "shift_jis",
    "utf8": "utf-8",
}
_SNIFF_BYTES: Final = 4096


def normalise_charset(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    name = _ALIASES.get(label.strip().lower(), label.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def header_charset(headers: Mapping[str, str] | None) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == "content-type" and isinstance(value, str):
            match = _HEADER_CHARSET.search(value)
            return normalise_charset(match.group(1)) if match else None
    return None


def _looks_binary(head: bytes) -> bool:
    """NUL bytes or many control characters in the first bytes: an image, a PDF, a zip..."""
    if not head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return b"\x00" in head or controls > len(head) // 20


def decode(data: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``. Raises ExtractionError(NOT_HTML) for binary payloads."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace"), encoding
    head = data[:_SNIFF_BYTES]
    if _looks_binary(head):
        raise ExtractionError(ErrorKind.NOT_HTML, "the payload is binary, not an HTML page")
    declared = header_charset(headers)
    if declared is None:
        match = _META_CHARSET.search(head)
        declared = normalise_charset(match.group(1).decode("ascii", "replace")) if match else None
    if declared in ("utf-16-le", "utf-16-be", "utf-16"):
        declared = "utf-8"  # a page without a BOM that says utf-16 in ASCII is not utf-16 (WHATWG)
    utf8 = _strict_utf8(data)
    if declared and declared != "utf-8":
        # A declaration is trusted unless the bytes are valid UTF-8 with multi-byte sequences:
        # legacy-encoded text practically never is, and mislabelled UTF-8 pages are common.
        if utf8 is not None and not data.isascii():
            return utf8, "utf-8"
        return data.decode(declared, "replace"), declared
    if utf8 is not None:
        return utf8, "utf-8"
    if declared == "utf-8":
        text = data.decode("utf-8", "replace")
        if text.count("\ufffd") * 100 < len(text):  # a few broken bytes in a UTF-8 page
            return text, "utf-8"
    return data.decode("cp1252", "replace"), "cp1252"


def _strict_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None
