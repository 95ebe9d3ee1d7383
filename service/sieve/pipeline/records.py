"""The records the pipeline publishes: clean events, skipped pages, dead letters (and the internal
re-keyed article). Plain dicts in, plain dicts out; the JSON Schemas in ``sieve/schemas/`` describe them.
"""

from __future__ import annotations

import base64
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from sieve.simhash import simhash_hex

#: Bytes kept free for the rest of a dead letter when its value must be cut to fit the topic limit.
DLQ_OVERHEAD = 64 * 1024


class Stage(enum.StrEnum):
    """Where a page failed: reading the envelope, extracting, publishing, or the update check."""

    DECODE = "decode"
    EXTRACT = "extract"
    PUBLISH = "publish"
    UPDATE = "update"


class Failure(Exception):
    """Why a message goes to the dead-letter topic: ``kind``, ``message`` and the ``stage`` it failed in."""

    def __init__(self, kind: str, message: str, stage: Stage) -> None:
        super().__init__(f"{stage}/{kind}: {message}")
        self.kind = kind
        self.message = message
        self.stage = stage


@dataclass(frozen=True, slots=True)
class Source:
    """Where an input came from: every output carries it, so each input can be accounted for."""

    topic: str
    partition: int
    offset: int
    fetched_at: str | None = None
    crawl_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "partition": self.partition,
            "offset": self.offset,
            "fetched_at": self.fetched_at,
            "crawl_id": self.crawl_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Source:
        return cls(
            topic=str(data["topic"]),
            partition=int(data["partition"]),
            offset=int(data["offset"]),
            fetched_at=data.get("fetched_at"),
            crawl_id=data.get("crawl_id"),
        )


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def dumps(record: Mapping[str, Any]) -> bytes:
    return orjson.dumps(record)


def clean_event(article: Mapping[str, Any], source: Source, revision: int) -> dict[str, Any]:
    """An ``articles.clean`` record: the article event, its ``source`` and its ``revision`` (1, 2, ...)."""
    event = dict(article)
    event["simhash"] = simhash_hex(str(article.get("text") or ""))  # finds syndicated copies across URLs
    event["source"] = source.to_dict()
    event["revision"] = revision
    return event


def skipped_record(article: Mapping[str, Any], source: Source) -> dict[str, Any]:
    """A ``pages.skipped`` record: a page that is not an article, and why."""
    return {
        "id": article.get("id"),
        "url": article.get("url"),
        "page_type": article.get("page_type"),
        "reason": article.get("reason"),
        "title": article.get("title"),
        "word_count": article.get("word_count"),
        "source": source.to_dict(),
    }


def by_id_record(article: Mapping[str, Any], source: Source) -> dict[str, Any]:
    """The internal message that carries an extracted article to the update check, keyed by its id."""
    return {"article": dict(article), "source": source.to_dict()}


def encode_bytes(data: bytes | None) -> dict[str, Any] | None:
    """Bytes as JSON: UTF-8 text where they are valid UTF-8, base64 otherwise; None stays None."""
    if data is None:
        return None
    try:
        return {"encoding": "utf-8", "data": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"encoding": "base64", "data": base64.b64encode(data).decode("ascii")}


def decode_bytes(encoded: Mapping[str, Any] | None) -> bytes | None:
    """Inverse of :func:`encode_bytes` (to replay a dead letter)."""
    if encoded is None:
        return None
    if encoded["encoding"] == "base64":
        return base64.b64decode(encoded["data"])
    return str(encoded["data"]).encode("utf-8")


def dead_letter(
    *,
    key: bytes | None,
    value: bytes | None,
    headers: Sequence[tuple[str, bytes]],
    kind: str,
    message: str,
    stage: Stage,
    source: Source,
    worker_id: str,
    max_bytes: int,
    time: str | None = None,
) -> dict[str, Any]:
    """A ``pages.dlq`` record with the original key, value and headers, and what went wrong.

    The value is kept whole unless, encoded, it would not fit in ``max_bytes``: then it is cut and
    ``value_truncated`` is true (``value_bytes`` always gives the original size)."""
    truncated = False
    kept = value
    if value is not None:
        budget = max_bytes - DLQ_OVERHEAD
        encoded = encode_bytes(value)
        if encoded is not None and len(encoded["data"]) > budget:
            kept = value[: budget * 3 // 4 - 4]
            truncated = True
    return {
        "key": encode_bytes(key),
        "value": encode_bytes(kept),
        "value_bytes": None if value is None else len(value),
        "value_truncated": truncated,
        "headers": [{"key": k, "value": encode_bytes(bytes(v) if v is not None else None)} for k, v in headers],
        "error": {"kind": str(kind), "message": message[:2000], "stage": str(stage)},
        "source": source.to_dict(),
        "worker_id": worker_id,
        "time": time or now_iso(),
    }
