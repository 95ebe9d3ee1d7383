"""The pipeline against the real broker: end to end, poison messages, update detection, schemas."""

from __future__ import annotations

import asyncio
import base64
import json
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest
from referencing import Registry, Resource

from .conftest import PipelineTopics, StartWorker, make_topics, worker_env
from .kafka_helpers import Received, drain, produce
from .pages import article_html, article_url, envelope, envelope_b64, section_front_html
from .worker_harness import WorkerProcess

pytestmark = pytest.mark.kafka

SCHEMAS = Path(__file__).resolve().parents[2] / "service" / "sieve" / "schemas"
PARTITIONS = 3
N_ARTICLES = 24
N_FRONTS = 4


def _validator(name: str) -> jsonschema.Draft202012Validator:
    resources = [(p.name, Resource.from_contents(json.loads(p.read_text()))) for p in SCHEMAS.glob("*.json")]
    registry: Registry[Any] = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / name).read_text())
    return jsonschema.Draft202012Validator(schema, registry=registry)


def _poison() -> dict[str, tuple[bytes | None, bytes, list[tuple[str, bytes]]]]:
    """name -> (key, value, headers); each must land in the DLQ with the kind of the same name."""
    big = "<html><body><article>" + "<p>" + "x" * (10 * 1024 * 1024 + 1000) + "</p></article></body></html>"
    latin1 = ("<html><body><p>Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e</p></body></html>").encode("latin-1")
    return {
        "invalid_json": (b"p1", b'{"url": "https://x.example/a", "html": "<p>unterminated', []),
        "missing_url": (b"p2", envelope("", article_html(1)).replace(b'"url":""', b'"u":""'), []),
        "empty_html": (b"p3", envelope("https://x.example/empty", "   "), []),
        "binary_content": (
            b"p4",
            bytes(range(256)) * 40,
            [("url", b"https://x.example/bin"), ("x-trace", b"\xff\x00raw")],
        ),
        "too_large": (b"p5", envelope("https://x.example/big", big), []),
        "charset_mismatch": (b"p6", envelope_b64("https://x.example/latin", latin1, charset="utf-8"), []),
        "bad_base64": (b"p7", b'{"url": "https://x.example/b64", "html_b64": "***not base64***"}', []),
    }


@pytest.fixture(scope="module")
def topics(kafka_bootstrap: str) -> PipelineTopics:
    return make_topics(PARTITIONS, kafka_bootstrap)


@pytest.fixture(scope="module")
def worker(
    kafka_bootstrap: str,
    topics: PipelineTopics,
    module_workers: StartWorker,
    tmp_path_factory: pytest.TempPathFactory,
) -> WorkerProcess:
    env = worker_env(kafka_bootstrap, topics, tmp_path_factory.mktemp("w1-data"), PARTITIONS)
    w = module_workers(env, "w1")
    w.wait_ready()
    return w


def _source(r: Received) -> tuple[int, int]:
    src = orjson.loads(r.value or b"")["source"]
    return src["partition"], src["offset"]


def test_end_to_end_poison_and_schemas(kafka_bootstrap: str, topics: PipelineTopics, worker: WorkerProcess) -> None:
    poison = _poison()
    good = [(article_url(i).encode(), envelope(article_url(i), article_html(i)), []) for i in range(N_ARTICLES)]
    fronts = [
        (f"f{i}".encode(), b"", [("url", f"https://news.example.com/section/{i}".encode())]) for i in range(N_FRONTS)
    ]
    fronts = [(k, section_front_html(i).encode(), h) for i, (k, _, h) in enumerate(fronts)]  # bare HTML form
    big_ok = article_html(999, paragraphs=4) + "<!--" + "m" * (3 * 1024 * 1024) + "-->"
    good.append((b"big-ok", envelope(article_url(999), big_ok), []))
    # interleave poison among good pages
    messages: list[tuple[bytes | None, bytes | None, list[tuple[str, bytes]]]] = []
    poison_items = list(poison.items())
    for i, msg in enumerate(good + fronts):
        messages.append(msg)
        if i % 4 == 1 and poison_items:
            messages.append(poison_items.pop(0)[1])
    messages.extend(m for _, m in poison_items)
    total = len(messages)

    sent = asyncio.run(produce(kafka_bootstrap, topics.raw, messages))
    sent_by_key = {m[0]: coords for m, coords in zip(messages, sent, strict=True)}
    out = asyncio.run(drain(kafka_bootstrap, topics.outputs, expect=total, timeout=120, settle=3))

    by_topic = Counter(r.topic for r in out)
    sources = [_source(r) for r in out]
    assert len(out) == total, f"{total} in, {len(out)} out: {by_topic}\n{worker.log_tail()}"
    assert sorted(sources) == sorted(sent), "every input accounted for exactly once by its source offset"

    dead = {r.key: r for r in out if r.topic == topics.dlq}
    assert set(dead) == {m[0] for m in poison.values()}, "exactly the poison messages are dead letters"
    for kind, (key, value, headers) in poison.items():
        record = orjson.loads(dead[key].value or b"")
        assert record["error"]["kind"] == kind, record["error"]
        assert record["error"]["stage"] == "decode"
        assert (record["source"]["partition"], record["source"]["offset"]) == sent_by_key[key]
        assert record["key"] == {"encoding": "utf-8", "data": key.decode()}
        assert _decoded(record["value"]) == value and record["value_truncated"] is False
        assert [(h["key"], _decoded(h["value"])) for h in record["headers"]] == headers
        assert list(dead[key].headers) == headers, "the dead letter carries the original Kafka headers"

    validators = {
        topics.clean: _validator("article-clean.json"),
        topics.skipped: _validator("page-skipped.json"),
        topics.dlq: _validator("dead-letter.json"),
    }
    for r in out:
        validators[r.topic].validate(orjson.loads(r.value or b""))
    clean = [orjson.loads(r.value or b"") for r in out if r.topic == topics.clean]
    assert clean, f"no article events at all: {by_topic}"
    assert all(e["revision"] == 1 for e in clean)
    assert all(r.key == orjson.loads(r.value or b"")["id"].encode() for r in out if r.topic == topics.clean)
    big = [r for r in out if r.topic != topics.dlq and _source(r) == sent_by_key[b"big-ok"]]
    assert big, "a 3 MB page is processed, not dead-lettered"

    metrics = worker.metrics()
    assert metrics["sieve_pages_in_total"] == total
    dead_total = sum(v for k, v in metrics.items() if k.startswith("sieve_dead_letters_total"))
    assert dead_total == len(poison)
    assert metrics["sieve_articles_out_total"] == len(clean)
    status, body = worker.get("/healthz")
    assert status == 200, body


def _decoded(encoded: dict[str, str]) -> bytes:
    if encoded["encoding"] == "base64":
        return base64.b64decode(encoded["data"])
    return encoded["data"].encode("utf-8")


def test_resent_pages_are_unchanged_and_changes_get_a_revision(
    kafka_bootstrap: str, topics: PipelineTopics, worker: WorkerProcess
) -> None:
    before = asyncio.run(drain(kafka_bootstrap, [topics.clean], expect=10**9, timeout=4, settle=0))
    urls_clean = {orjson.loads(r.value or b"")["url"] for r in before}
    unchanged_before = worker.metrics()["sieve_unchanged_total"]
    resend = [(article_url(i).encode(), envelope(article_url(i), article_html(i)), []) for i in range(N_ARTICLES)]
    changed = [(article_url(0).encode(), envelope(article_url(0), article_html(0, variant=1)), [])]
    asyncio.run(produce(kafka_bootstrap, topics.raw, resend))
    asyncio.run(produce(kafka_bootstrap, topics.raw, changed))

    expected_unchanged = sum(1 for i in range(N_ARTICLES) if article_url(i) in urls_clean)
    after = asyncio.run(drain(kafka_bootstrap, [topics.clean], expect=len(before) + 1, timeout=60, settle=3))
    new = _new_records(before, after)
    if article_url(0) in urls_clean:
        assert [(e["url"], e["revision"]) for e in new] == [(article_url(0), 2)], new
    metrics = worker.metrics()
    assert metrics["sieve_unchanged_total"] - unchanged_before == expected_unchanged
    assert expected_unchanged > 0


def _new_records(before: list[Received], after: list[Received]) -> list[dict[str, Any]]:
    seen = {(r.partition, r.offset) for r in before}
    return [orjson.loads(r.value or b"") for r in after if (r.partition, r.offset) not in seen]


def test_post_extract_returns_an_event(worker: WorkerProcess) -> None:
    status, body = worker.post("/extract", envelope(article_url(5), article_html(5)), "application/json")
    assert status == 200, body
    data = orjson.loads(body)
    assert data["event"]["url"] == article_url(5) and data["topic"].endswith(("clean", "skipped"))
    status, body = worker.post("/extract", b'{"url": 1}', "application/json")
    assert status == 400 and orjson.loads(body)["error"]["kind"] == "bad_url"
