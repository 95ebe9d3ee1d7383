"""The dead letters of ``pages.dlq`` decoded for ``sieve replay-dlq``, and where each one goes back.

A dead letter (``records.dead_letter``, schema ``dead-letter.json``) carries the failed message's
original key, value and headers. For a message of an internal topic the worker writes that message's
own value, and in ``source`` the raw page it came from (``Pipeline.send_dead_letter``), not the
internal topic; so the topic is recognised by the shape of the value (:func:`origin_of`):

* ``{"article", "source"}``: an extracted article whose update check or hand-over (to the band walk,
  or straight to ``articles.clean``) failed → ``<group>.articles-by-id``: the check runs again;
* ``{"links", "source", ...}``: a page's links whose announcement failed → ``<group>.links-by-url``:
  agent ``links`` forwards them to their own partitions and announces those not announced within the
  TTL;
* ``{"event", "source", "order", "k", "band", "match"}``: a clean event whose band walk failed (a
  band look-up, or the final publication to ``articles.clean``) → ``<group>.simhash-bands``: the walk
  resumes at the band it failed on;
* anything else (a JSON envelope, bare HTML) is a raw page → ``pages.raw``.

Sending an internal letter to ``pages.raw`` would be wrong: its value is not a page and would only
fail again at decoding. Nor is replaying the raw page named in ``source`` a substitute: for a
band-walk letter the ``article-versions`` table already holds that input (the update check counts it
as a re-delivery), so the event would never be published; and the page may be gone from ``pages.raw``
by then, while the letter itself holds everything the internal stage needs.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from sieve.pipeline.records import decode_bytes


class Origin(enum.StrEnum):
    """The topic a dead letter's message was read from: a raw page, or one of the internal topics."""

    RAW = "raw"
    BY_ID = "by-id"  # <group>.articles-by-id (records.by_id_record)
    LINKS = "links"  # <group>.links-by-url (links.LinkStage)
    BANDS = "bands"  # <group>.simhash-bands (dedup.DedupStage)


@dataclass(frozen=True, slots=True)
class Letter:
    """One dead letter, decoded: the original message and why it failed."""

    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]
    kind: str
    stage: str
    truncated: bool
    origin: Origin  # which topic the message goes back to
    source: Mapping[str, Any]  # the raw page, also for a message of an internal topic

    @property
    def internal(self) -> bool:
        """A message of an internal topic, not a raw page."""
        return self.origin is not Origin.RAW


def parse_letter(value: bytes | None) -> Letter:
    """Decode a ``pages.dlq`` record; ``ValueError`` if it is not a dead letter."""
    try:
        record = orjson.loads(value or b"")
        error = record["error"]
        headers = [(str(h["key"]), decode_bytes(h["value"]) or b"") for h in record["headers"]]
        original = decode_bytes(record["value"])
        letter = Letter(
            key=decode_bytes(record["key"]),
            value=original,
            headers=headers,
            kind=str(error["kind"]),
            stage=str(error["stage"]),
            truncated=bool(record.get("value_truncated", False)),
            origin=origin_of(original),
            source=record.get("source") or {},
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"not a dead letter: {type(exc).__name__}: {exc}") from exc
    return letter


#: The keys of a ``<group>.links-by-url`` record (``LinkStage.route``); ``links`` and ``source`` are required.
_LINKS_KEYS = frozenset({"links", "source", "source_url", "source_id", "seen_at"})
#: The keys of a ``<group>.simhash-bands`` record (``DedupStage.submit``).
_BANDS_KEYS = frozenset({"event", "source", "order", "k", "band", "match"})


def origin_of(value: bytes | None) -> Origin:
    """The topic a dead letter's original value was read from, recognised by the value's shape.

    A raw page is either bare HTML or a JSON envelope (``url`` and ``html``/``html_b64``); none of the
    internal records has those keys, and each has exactly its own set of keys, so a page is never
    taken for an internal record."""
    if not value or not value.startswith(b"{"):
        return Origin.RAW
    try:
        data = orjson.loads(value)
    except orjson.JSONDecodeError:
        return Origin.RAW
    if not isinstance(data, dict) or not isinstance(data.get("source"), dict):
        return Origin.RAW
    keys = set(data)
    if keys == {"article", "source"} and isinstance(data["article"], dict):
        return Origin.BY_ID
    if "links" in keys and keys <= _LINKS_KEYS and isinstance(data["links"], list):
        return Origin.LINKS
    if keys == _BANDS_KEYS and isinstance(data["event"], dict):
        return Origin.BANDS
    return Origin.RAW


def is_internal_record(value: bytes | None) -> bool:
    """True for a message of an internal topic (by id, links or bands), not a raw page."""
    return origin_of(value) is not Origin.RAW
