from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

from sieve.pipeline import records
from sieve.pipeline.records import Source, Stage
from sieve.simhash import simhash_hex

SCHEMAS = Path(__file__).resolve().parents[2] / "service" / "sieve" / "schemas"
SOURCE = Source("pages.raw", 2, 41, "2026-11-25T08:00:00Z", "c1")


def _validate(name: str, record: dict[str, Any]) -> None:
    registry: Registry[Any] = Registry().with_resources(
        (p.name, Resource.from_contents(json.loads(p.read_text()))) for p in SCHEMAS.glob("*.json")
    )
    jsonschema.Draft202012Validator(json.loads((SCHEMAS / name).read_text()), registry=registry).validate(record)


def _article(page_type: str = "article") -> dict[str, Any]:
    return {
        "id": "abc",
        "url": "https://a.example/x",
        "canonical_url": None,
        "site": None,
        "page_type": page_type,
        "reason": None if page_type == "article" else "few words",
        "title": "T",
        "description": None,
        "authors": [],
        "published_at": None,
        "modified_at": None,
        "section": None,
        "tags": [],
        "language": "en",
        "image": None,
        "paragraphs": ["p"],
        "text": "p",
        "word_count": 1,
        "content_hash": "h",
        "boilerplate": {},
        "extractor": {"version": "0.1.0", "ms": 1.0},
    }


def test_clean_event_adds_source_and_revision() -> None:
    event = records.clean_event(_article(), SOURCE, 3)
    assert event["source"] == SOURCE.to_dict() and event["revision"] == 3
    _validate("article-clean.json", event)
    assert Source.from_dict(event["source"]) == SOURCE


def test_clean_event_carries_the_simhash_of_its_text() -> None:
    article = _article()
    article["text"] = "The council voted on Tuesday to close the old bridge for two years of repairs."
    event = records.clean_event(article, SOURCE, 1)
    assert event["simhash"] == simhash_hex(article["text"]) and len(event["simhash"]) == 16
    _validate("article-clean.json", event)


def test_skipped_record() -> None:
    record = records.skipped_record(_article("section_front"), SOURCE)
    assert record["page_type"] == "section_front" and record["reason"] == "few words"
    _validate("page-skipped.json", record)


def test_dead_letter_keeps_bytes_and_headers() -> None:
    value = b"\xff\x00binary"
    record = records.dead_letter(
        key=b"k",
        value=value,
        headers=[("url", b"https://a.example/"), ("raw", b"\xfe")],
        kind="binary_content",
        message="m",
        stage=Stage.DECODE,
        source=SOURCE,
        worker_id="w1",
        max_bytes=1 << 20,
    )
    _validate("dead-letter.json", record)
    assert records.decode_bytes(record["value"]) == value and record["value"]["encoding"] == "base64"
    assert record["key"] == {"encoding": "utf-8", "data": "k"}
    assert [records.decode_bytes(h["value"]) for h in record["headers"]] == [b"https://a.example/", b"\xfe"]
    assert record["error"] == {"kind": "binary_content", "message": "m", "stage": "decode"}


def test_dead_letter_cuts_values_that_cannot_fit() -> None:
    value = b"x" * 300_000
    record = records.dead_letter(
        key=None,
        value=value,
        headers=[],
        kind="too_large",
        message="m",
        stage=Stage.DECODE,
        source=SOURCE,
        worker_id="w",
        max_bytes=200_000,
    )
    assert record["value_truncated"] is True and record["value_bytes"] == 300_000
    assert len(records.dumps(record)) < 200_000
    _validate("dead-letter.json", record)
