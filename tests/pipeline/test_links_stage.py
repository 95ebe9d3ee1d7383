"""The links stage without a broker: routing to partitions, the TTL table, redelivery, forwarding, sweep.

The faust app is built but never started; the table is a dict and sends are recorded, so these tests
check the stage's own decisions. The real-broker behaviour is in test_links_kafka.py.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest

from sieve.pipeline.app import Pipeline
from sieve.pipeline.links import LinkStage, partition_for
from sieve.pipeline.records import Failure, Source
from sieve.pipeline.settings import load

PARTITIONS = 4
TTL = 3600.0
SOURCE = Source("pages.raw", 2, 41, fetched_at="2026-11-25T08:00:00Z")
Sent = tuple[str, bytes | None, dict[str, Any], int | None]


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def stage(tmp_path: Path) -> tuple[LinkStage, list[Sent], Clock]:
    settings = load({"SIEVE_DATA_DIR": str(tmp_path), "SIEVE_PARTITIONS": str(PARTITIONS), "SIEVE_LINKS_TTL": "1h"})
    pipeline = Pipeline(settings)
    links = pipeline.links
    sent: list[Sent] = []

    async def send(topic: Any, items: Sequence[tuple[bytes | None, dict[str, Any], int | None]]) -> None:
        sent.extend((topic.get_topic_name(), key, record, partition) for key, record, partition in items)

    clock = Clock()
    links.table = {}
    links.clock = clock
    links._send = send  # type: ignore[method-assign]
    return links, sent, clock


def _page(n: int = 20) -> dict[str, Any]:
    items = [
        {"title": f"Story {k} of the day", "url": f"https://www.example.com/world/story-{k}?utm_id=1", "position": k}
        for k in range(1, n + 1)
    ]
    return {"id": "page-1", "url": "https://www.example.com/world/", "article_list": items, "boilerplate": {}}


def _event(record: dict[str, Any], partition: int) -> Any:
    message = SimpleNamespace(topic="sieve.links-by-url", partition=partition, offset=7, key=None,
                              value=orjson.dumps(record), headers=[])  # fmt: skip
    return SimpleNamespace(message=message)


def _route(links: LinkStage, sent: list[Sent], page: dict[str, Any]) -> list[tuple[dict[str, Any], int]]:
    asyncio.run(links.route(page, SOURCE))
    internal = [(record, partition) for topic, _, record, partition in sent if topic == "sieve.links-by-url"]
    assert all(partition is not None for _, partition in internal)
    sent.clear()
    return [(record, int(partition or 0)) for record, partition in internal]


def _announced(sent: list[Sent]) -> list[dict[str, Any]]:
    return [record for topic, _, record, _ in sent if topic == "links.discovered"]


def test_partition_for_is_crc32_and_the_same_in_every_process() -> None:
    url = "https://www.example.com/world/a-story"
    assert partition_for(url, 4) == 1 and partition_for(url, 12) == 5  # zlib.crc32, fixed values
    code = f"from sieve.pipeline.links import partition_for; print(partition_for({url!r}, 1000))"
    results = {
        subprocess.run([sys.executable, "-c", code], env={"PYTHONHASHSEED": seed}, capture_output=True, text=True,
                       check=True).stdout.strip()
        for seed in ("1", "2")
    }  # fmt: skip
    assert results == {str(partition_for(url, 1000))}


def test_route_sends_one_record_per_target_partition(stage: tuple[LinkStage, list[Sent], Clock]) -> None:
    links, sent, _ = stage
    records = _route(links, sent, _page(20))
    partitions = [p for _, p in records]
    expected = {partition_for(f"https://www.example.com/world/story-{k}", PARTITIONS) for k in range(1, 21)}
    assert sorted(partitions) == sorted(expected) and len(partitions) == len(set(partitions))
    assert sum(len(record["links"]) for record, _ in records) == 20
    for record, partition in records:
        assert all(partition_for(link["url"], PARTITIONS) == partition for link in record["links"])
        assert record["source_url"] == "https://www.example.com/world/" and record["source_id"] == "page-1"
        assert record["source"]["offset"] == 41 and record["seen_at"].endswith("Z")
    assert asyncio.run(links.route({"id": "x", "url": None, "article_list": _page()["article_list"]}, SOURCE)) == 0
    assert sent == []


def test_a_redelivered_message_announces_nothing_again(stage: tuple[LinkStage, list[Sent], Clock]) -> None:
    links, sent, clock = stage
    records = _route(links, sent, _page(20))
    for record, partition in records:
        asyncio.run(links.handle(_event(record, partition)))
    first = _announced(sent)
    assert len(first) == 20 and len({r["url"] for r in first}) == 20
    assert first[0].keys() == {"url", "title", "label", "position", "source_url", "source_id", "seen_at"}
    assert all("utm_" not in r["url"] and r["label"] == "article_list" for r in first)
    keys = [key for topic, key, _, _ in sent if topic == "links.discovered"]
    assert keys == [r["url"].encode() for r in first], "keyed by the normalised URL"
    metrics = links.pipeline.metrics
    assert metrics.links_announced.get("article_list") == 20 and metrics.links_suppressed.get() == 0

    sent.clear()
    clock.now += 60
    for record, partition in records:  # at-least-once: the same internal messages again
        asyncio.run(links.handle(_event(record, partition)))
    assert _announced(sent) == []
    assert metrics.links_suppressed.get() == 20 and metrics.links_announced.get("article_list") == 20

    sent.clear()
    for record, partition in _route(links, sent, _page(20)):  # the page crawled again: a new record
        asyncio.run(links.handle(_event(record, partition)))
    assert _announced(sent) == [] and metrics.links_suppressed.get() == 40


def test_announced_again_once_the_ttl_passed(stage: tuple[LinkStage, list[Sent], Clock]) -> None:
    links, sent, clock = stage
    records = _route(links, sent, _page(6))
    for record, partition in records:
        asyncio.run(links.handle(_event(record, partition)))
    assert len(_announced(sent)) == 6
    sent.clear()
    clock.now += TTL - 1
    for record, partition in records:
        asyncio.run(links.handle(_event(record, partition)))
    assert _announced(sent) == []
    clock.now += 2
    for record, partition in records:
        asyncio.run(links.handle(_event(record, partition)))
    assert len(_announced(sent)) == 6
    assert all(announced == clock.now for announced in links.table.values()), "the TTL restarts"


def test_links_on_the_wrong_partition_are_forwarded(stage: tuple[LinkStage, list[Sent], Clock]) -> None:
    links, sent, _ = stage
    records = _route(links, sent, _page(20))
    merged = dict(records[0][0], links=[link for record, _ in records for link in record["links"]])
    asyncio.run(links.handle(_event(merged, 0)))
    own = {link["url"] for link in merged["links"] if partition_for(link["url"], PARTITIONS) == 0}
    assert {r["url"] for r in _announced(sent)} == own and set(links.table) == own
    forwarded = [(record, partition) for topic, _, record, partition in sent if topic == "sieve.links-by-url"]
    assert sum(len(record["links"]) for record, _ in forwarded) == 20 - len(own)
    for record, partition in forwarded:
        assert partition != 0 and all(partition_for(link["url"], PARTITIONS) == partition for link in record["links"])


def test_a_repeat_inside_one_record_is_announced_once(stage: tuple[LinkStage, list[Sent], Clock]) -> None:
    links, sent, _ = stage
    record, partition = _route(links, sent, _page(1))[0]
    asyncio.run(links.handle(_event(dict(record, links=record["links"] * 3), partition)))
    assert len(_announced(sent)) == 1 and links.pipeline.metrics.links_suppressed.get() == 2


def test_a_bad_internal_record_is_a_failure(stage: tuple[LinkStage, list[Sent], Clock]) -> None:
    links, _, _ = stage
    for value in ({"links": [{"title": "no url"}]}, {"nolinks": 1}, {"links": "x"}):
        with pytest.raises(Failure) as err:
            asyncio.run(links.handle(_event(value, 0)))
        assert err.value.kind == "bad_internal_record"


def test_the_sweep_deletes_only_expired_entries_of_its_partition(stage: tuple[LinkStage, list[Sent], Clock]) -> None:
    links, sent, clock = stage
    records = _route(links, sent, _page(20))
    for record, partition in records:
        asyncio.run(links.handle(_event(record, partition)))
    assert len(links.table) == 20
    record, partition = records[0]
    clock.now += TTL + 1
    candidates = (f"https://www.example.com/world/fresh-{k}" for k in range(100))
    fresh = {next(url for url in candidates if partition_for(url, PARTITIONS) == partition): clock.now - 10}
    links.table.update(fresh)
    asyncio.run(links.handle(_event(dict(record, links=[]), partition)))  # a sweep is due on this partition
    kept = {url for url in links.table if partition_for(url, PARTITIONS) == partition}
    assert kept == set(fresh), "expired entries of this partition deleted, the fresh one kept"
    others = [url for url in links.table if partition_for(url, PARTITIONS) != partition]
    assert len(others) == 20 - len(record["links"]), "other partitions' entries are theirs to sweep"


def test_links_known_as_announced_are_not_routed_again(stage: tuple[LinkStage, list[Sent], Clock]) -> None:
    links, sent, clock = stage
    for record, partition in _route(links, sent, _page(8)):
        asyncio.run(links.handle(_event(record, partition)))
    assert len(_announced(sent)) == 8
    sent.clear()
    clock.now += 60
    page = _page(10)  # the same 8 links and 2 new ones, on the next page of the site
    routed = _route(links, sent, page)
    assert sorted(link["url"] for record, _ in routed for link in record["links"]) == [
        "https://www.example.com/world/story-10",
        "https://www.example.com/world/story-9",
    ]
    assert links.pipeline.metrics.links_suppressed.get() == 8, "dropped before routing, still counted"
    clock.now += TTL
    assert sum(len(record["links"]) for record, _ in _route(links, sent, page)) == 10, "known only within the TTL"


def test_the_memo_of_known_urls_is_bounded(
    stage: tuple[LinkStage, list[Sent], Clock], monkeypatch: pytest.MonkeyPatch
) -> None:
    links, _, clock = stage
    monkeypatch.setattr("sieve.pipeline.links.KNOWN_URLS", 100)
    for n in range(1000):
        links._remember(f"https://www.example.com/{n}", clock.now)
    assert len(links.known) <= 100
    assert links._known("https://www.example.com/999", clock.now)
    assert not links._known("https://www.example.com/0", clock.now), "the oldest are forgotten first"
