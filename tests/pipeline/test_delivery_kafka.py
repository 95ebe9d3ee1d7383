"""Delivery guarantees on the real broker: committed offsets are watched and advance on a normal run;
re-delivered inputs never make a new revision in the ``article-versions`` table."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from .conftest import PipelineTopics, StartWorker, make_topics, worker_env
from .kafka_helpers import Received, drain, produce
from .pages import article_html, envelope
from .worker_harness import WorkerProcess

pytestmark = pytest.mark.kafka

PARTITIONS = 2


@pytest.fixture(scope="module")
def topics(kafka_bootstrap: str) -> PipelineTopics:
    return make_topics(PARTITIONS, kafka_bootstrap)


@pytest.fixture(scope="module")
def worker(
    kafka_bootstrap: str, topics: PipelineTopics, module_workers: StartWorker, tmp_path_factory: pytest.TempPathFactory
) -> WorkerProcess:
    env = worker_env(kafka_bootstrap, topics, tmp_path_factory.mktemp("d1-data"), PARTITIONS)
    env["SIEVE_COMMIT_STALL_SECONDS"] = "10"  # checked every 2.5 s; commits every 1 s (worker_env)
    w = module_workers(env, "d1")
    w.wait_ready()
    return w


def _by_label(metrics: dict[str, float], name: str, topic: str) -> dict[int, float]:
    """{partition: value} of ``name`` for ``topic``."""
    out: dict[int, float] = {}
    prefix = f'{name}{{topic="{topic}",partition="'
    for key, value in metrics.items():
        if key.startswith(prefix):
            out[int(key[len(prefix) :].split('"', 1)[0])] = value
    return out


def _wait_committed(worker: WorkerProcess, topic: str, expected: dict[int, int], timeout: float = 60) -> dict[str, Any]:
    """Poll /metrics until sieve_committed_offset of ``topic`` equals ``expected``; no stall on the way."""
    deadline = time.monotonic() + timeout
    while True:
        m = worker.metrics()
        stalled = {k: v for k, v in m.items() if k.startswith("sieve_commit_stalled") and v}
        assert not stalled, f"a commit stall on a normal run: {stalled}\n{worker.log_tail()}"
        committed = _by_label(m, "sieve_committed_offset", topic)
        if committed == expected:
            return {"metrics": m, "committed": committed}
        assert time.monotonic() < deadline, f"committed {committed}, expected {expected}\n{worker.log_tail()}"
        time.sleep(0.5)


def test_committed_offsets_advance_and_nothing_stays_uncommitted(
    kafka_bootstrap: str, topics: PipelineTopics, worker: WorkerProcess
) -> None:
    def send(first: int, count: int) -> list[tuple[int, int]]:
        msgs = [
            (f"c{i}".encode(), envelope(f"https://commits.example/{i}", article_html(i, paragraphs=3)), [])
            for i in range(first, first + count)
        ]
        return asyncio.run(produce(kafka_bootstrap, topics.raw, msgs))

    def next_offsets(sent: list[tuple[int, int]]) -> dict[int, int]:
        ends = dict.fromkeys(range(PARTITIONS), 0)
        for partition, offset in sent:
            ends[partition] = max(ends[partition], offset + 1)
        return {p: e for p, e in ends.items()}

    sent = send(0, 30)
    first = _wait_committed(worker, topics.raw, next_offsets(sent))
    sent += send(30, 30)
    second = _wait_committed(worker, topics.raw, next_offsets(sent))
    moved = {p for p in range(PARTITIONS) if second["committed"][p] > first["committed"][p]}
    assert moved == {p for p, _ in sent[30:]}, (first["committed"], second["committed"])
    m = second["metrics"]
    assert sum(_by_label(m, "sieve_uncommitted_messages", topics.raw).values()) == 0
    assert set(_by_label(m, "sieve_commit_stalled", topics.raw)) == set(range(PARTITIONS))
    # the internal topic is watched too: one by-id record per article, all committed
    by_id = f"{topics.group}.articles-by-id"
    articles = m["sieve_articles_out_total"] + m["sieve_unchanged_total"]
    deadline = time.monotonic() + 30
    while sum(_by_label(m, "sieve_committed_offset", by_id).values()) != articles:
        assert time.monotonic() < deadline, (_by_label(m, "sieve_committed_offset", by_id), articles)
        time.sleep(0.5)
        m = worker.metrics()
    status, body = worker.get("/healthz")
    assert status == 200 and orjson.loads(body)["problems"] == []


def _clean_for(records: list[Received], url: str) -> list[dict[str, Any]]:
    events = [orjson.loads(r.value or b"") for r in records]
    return [e for e in events if e["url"] == url]


async def _resend(bootstrap: str, record: Received) -> None:
    """Produce ``record`` again, byte for byte, onto its own topic and partition (a re-delivery)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(
            record.topic, record.value, key=record.key, partition=record.partition, headers=list(record.headers)
        )
    finally:
        await producer.stop()


def test_redelivered_inputs_make_no_new_revision(
    kafka_bootstrap: str, topics: PipelineTopics, worker: WorkerProcess
) -> None:
    url = "https://redelivery.example/2026/story"
    v1 = (url.encode(), envelope(url, article_html(7000)), [])
    v2 = (url.encode(), envelope(url, article_html(7000, variant=1)), [])
    by_id = f"{topics.group}.articles-by-id"

    def unchanged() -> float:
        return worker.metrics()["sieve_unchanged_total"]

    def wait_unchanged(target: float) -> None:
        deadline = time.monotonic() + 60
        while unchanged() < target:
            assert time.monotonic() < deadline, f"unchanged stays at {unchanged()}, expected {target}"
            time.sleep(0.3)

    before = unchanged()
    asyncio.run(produce(kafka_bootstrap, topics.raw, [v1]))
    clean = asyncio.run(drain(kafka_bootstrap, [topics.clean], expect=10**9, timeout=5, settle=0))
    deadline = time.monotonic() + 60
    while not _clean_for(clean, url):
        assert time.monotonic() < deadline, worker.log_tail()
        clean = asyncio.run(drain(kafka_bootstrap, [topics.clean], expect=10**9, timeout=2, settle=0))
    assert [e["revision"] for e in _clean_for(clean, url)] == [1]

    # 1. the crawler sends the same page again (a new raw offset): counted unchanged, not published
    asyncio.run(produce(kafka_bootstrap, topics.raw, [v1]))
    wait_unchanged(before + 1)
    # 2. the internal record of v1 is delivered again (same source partition and offset), as after a
    #    crash before the commit
    internal = asyncio.run(drain(kafka_bootstrap, [by_id], expect=10**9, timeout=4, settle=0))
    mine = [r for r in internal if orjson.loads(r.value or b"")["article"]["url"] == url]
    assert len(mine) == 2, mine  # v1 and its re-crawl
    asyncio.run(_resend(kafka_bootstrap, mine[0]))
    wait_unchanged(before + 2)
    # 3. the content changes: revision 2; then v1's internal record arrives once more: it is older
    #    than what the table holds, so it must not become revision 3 (content differs from v2!)
    asyncio.run(produce(kafka_bootstrap, topics.raw, [v2]))
    deadline = time.monotonic() + 60
    while len(_clean_for(clean, url)) < 2:
        assert time.monotonic() < deadline, worker.log_tail()
        clean = asyncio.run(drain(kafka_bootstrap, [topics.clean], expect=10**9, timeout=2, settle=0))
    asyncio.run(_resend(kafka_bootstrap, mine[0]))
    wait_unchanged(before + 3)
    time.sleep(2)  # anything wrongly published would be there by now
    clean = asyncio.run(drain(kafka_bootstrap, [topics.clean], expect=10**9, timeout=4, settle=0))
    revisions = [e["revision"] for e in _clean_for(clean, url)]
    assert revisions == [1, 2], revisions
    m = worker.metrics()
    assert m["sieve_unchanged_total"] == before + 3
