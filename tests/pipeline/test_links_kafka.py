"""links.discovered against the real broker: a section front and an article with boilerplate lists go in;
their normalised article links come out once, and never again within the TTL: not for the same pages
sent again, not for a redelivered internal message, not after a second worker took half the partitions."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest
from aiokafka import AIOKafkaProducer

import sieve
from sieve.links import collect_links

from .conftest import StartWorker, make_topics, worker_env
from .kafka_helpers import Received, drain, produce
from .pages import envelope
from .worker_harness import WorkerProcess

pytestmark = pytest.mark.kafka

PARTITIONS = 3
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
SCHEMA = Path(__file__).resolve().parents[2] / "service" / "sieve" / "schemas" / "link-discovered.json"
ARTICLE_URL = "https://thehill.com/homenews/3637000-lawmakers-return-to-a-busy-fall/"
FRONT_URL = "https://www.meridian-daily.com/world/"
OZ = "https://thehill.com/homenews/campaign/3636912-oz-tries-to-tighten-the-screws/"
OZ_TRACKED = (
    "https://TheHill.com:443/homenews/campaign/3636912-oz-tries-to-tighten-the-screws/?utm_source=pop&amp;fbclid=x#c"
)
FIRST_TEASER = "https://www.meridian-daily.com/world/2024/08/14/coastal-nations-sign-pact-to-curb-illegal-fishing/"

Message = tuple[bytes | None, bytes | None, list[tuple[str, bytes]]]


def _pages() -> list[tuple[str, str]]:
    article = (FIXTURES / "thehill_style_article.html").read_text()
    assert article.count(OZ) == 1
    article = article.replace(OZ, OZ_TRACKED)  # a most-popular link with tracking, port, fragment, upper case
    return [(ARTICLE_URL, article), (FRONT_URL, (FIXTURES / "section_front.html").read_text())]


def _messages() -> list[Message]:
    return [(url.encode(), envelope(url, html), []) for url, html in _pages()]


def _expected() -> dict[str, tuple[str, int, str]]:
    """url -> (label, position, source_url), from the pages as the extractor sees them."""
    out: dict[str, tuple[str, int, str]] = {}
    for url, html in _pages():
        for link in collect_links(sieve.extract(html.encode(), url=url).to_dict()):
            assert link["url"] not in out
            out[link["url"]] = (link["label"], link["position"], url)
    return out


def _metric(workers: list[WorkerProcess], name: str) -> float:
    return sum(v for w in workers for k, v in w.metrics().items() if k == name or k.startswith(name + "{"))


def _wait_for(what: str, check: Callable[[], bool], workers: list[WorkerProcess], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}\n" + "\n".join(w.log_tail() for w in workers)
        time.sleep(0.5)


async def _produce_to_partition(bootstrap: str, topic: str, value: bytes, partition: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, partition=partition)
    finally:
        await producer.stop()


def _links(bootstrap: str, topic: str, expect: int, timeout: float = 90) -> list[Received]:
    return asyncio.run(drain(bootstrap, [topic], expect=expect, timeout=timeout, settle=3))


def test_links_are_announced_once_across_redelivery_and_workers(
    kafka_bootstrap: str, module_workers: StartWorker, tmp_path_factory: pytest.TempPathFactory
) -> None:
    topics = make_topics(PARTITIONS, kafka_bootstrap)
    env = worker_env(kafka_bootstrap, topics, tmp_path_factory.mktemp("l1"), PARTITIONS)
    w1 = module_workers(env, "links-w1")
    w1.wait_ready()
    expected = _expected()
    assert OZ in expected and FIRST_TEASER in expected and len(expected) > 30

    # 1. both pages once: every expected link exactly once, normalised, keyed by URL, per the schema
    asyncio.run(produce(kafka_bootstrap, topics.raw, _messages()))
    out = _links(kafka_bootstrap, topics.links, len(expected))
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    records = [orjson.loads(r.value or b"") for r in out]
    for r, record in zip(out, records, strict=True):
        validator.validate(record)
        assert r.key == record["url"].encode()
    got = {rec["url"]: (rec["label"], rec["position"], rec["source_url"]) for rec in records}
    assert len(records) == len(got), "a URL announced twice"
    assert got == expected, (set(got) ^ set(expected), w1.log_tail())
    assert got[OZ] == ("most_popular", 1, ARTICLE_URL)
    assert got[FIRST_TEASER] == ("article_list", 1, FRONT_URL)
    assert not any("/tag/" in u or "/topic/" in u or "utm_" in u or "#" in u for u in got)
    assert {rec["source_id"] for rec in records} == {sieve.extract(h.encode(), url=u).id for u, h in _pages()}
    assert _metric([w1], "sieve_links_announced_total") == len(expected)
    assert _metric([w1], "sieve_links_suppressed_total") == 0

    # 2. the same pages again: nothing announced, every link counted as suppressed
    asyncio.run(produce(kafka_bootstrap, topics.raw, _messages()))
    _wait_for("the resent pages' links", lambda: _metric([w1], "sieve_links_suppressed_total") >= len(expected), [w1])
    assert _metric([w1], "sieve_links_suppressed_total") == len(expected)

    # 3. an internal message delivered again (at-least-once): nothing announced
    internal = asyncio.run(drain(kafka_bootstrap, [f"{topics.group}.links-by-url"], expect=10**6, timeout=5, settle=0))
    assert internal, "no internal links records"
    again = internal[0]
    n_again = len(orjson.loads(again.value or b"")["links"])
    asyncio.run(_produce_to_partition(kafka_bootstrap, again.topic, again.value or b"", again.partition))
    target = len(expected) + n_again
    _wait_for("the redelivered record", lambda: _metric([w1], "sieve_links_suppressed_total") >= target, [w1])

    # 4. a second worker takes some partitions (its table restored from the changelog): still no repeat
    w2 = module_workers(worker_env(kafka_bootstrap, topics, tmp_path_factory.mktemp("l2"), PARTITIONS), "links-w2")
    w2.wait_ready()

    def split() -> bool:
        p1 = set(_assigned(w1.wait_ready()))
        p2 = set(_assigned(w2.wait_ready()))
        return bool(p1 and p2 and not p1 & p2 and p1 | p2 == set(range(PARTITIONS)))

    _wait_for("the partitions to be split between both workers", split, [w1, w2])
    asyncio.run(produce(kafka_bootstrap, topics.raw, _messages()))
    target += len(expected)
    workers = [w1, w2]
    _wait_for("the third sending's links", lambda: _metric(workers, "sieve_links_suppressed_total") >= target, workers)
    assert _metric(workers, "sieve_links_suppressed_total") == target
    assert _metric(workers, "sieve_links_announced_total") == len(expected)
    final = _links(kafka_bootstrap, topics.links, len(expected) + 1, timeout=8)
    assert len(final) == len(expected), f"{len(final) - len(expected)} links announced again"
    dead = asyncio.run(drain(kafka_bootstrap, [topics.dlq], expect=1, timeout=3, settle=0))
    assert not dead, [orjson.loads(r.value or b"")["error"] for r in dead]


def _assigned(ready: dict[str, Any]) -> list[int]:
    return list(ready["assigned_partitions"])
