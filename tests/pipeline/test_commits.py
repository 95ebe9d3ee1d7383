"""The stalled-commit logic (commits.py) without Kafka: an injected clock, offsets given by hand."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from faust.types import TP

from sieve.pipeline.commits import CommitMonitor, CommitWatch, install_commit_monitor, is_redelivery, unchanged
from sieve.pipeline.metrics import Metrics
from sieve.pipeline.records import Source
from sieve.pipeline.settings import load

RAW = ("pages.raw", 0)
BY_ID = ("sieve.articles-by-id", 0)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _watch(stall: float = 60.0) -> tuple[CommitWatch, Clock]:
    clock = Clock()
    return CommitWatch(stall, clock), clock


def test_commits_that_keep_up_never_stall() -> None:
    watch, clock = _watch()
    for step in range(100):  # processed offset 10 * step, the commit a step behind, for 1000 s
        clock.now += 10
        committed = 10 * step - 9 if step else None
        (status,) = watch.observe({RAW: committed}, {RAW: 10 * step})
        assert not status.stalled
        assert status.uncommitted == (10 * step + 1) - (committed or 0)


def test_a_commit_that_stops_while_processing_goes_on_is_stalled_after_the_threshold() -> None:
    watch, clock = _watch(60)
    (s,) = watch.observe({RAW: 100}, {RAW: 99})
    assert (s.committed, s.uncommitted, s.stalled) == (100, 0, False)
    for t in range(1, 7):  # processing goes on, the committed offset stays at 100
        clock.now += 10
        (s,) = watch.observe({RAW: 100}, {RAW: 99 + 5 * t})
        assert s.uncommitted == 5 * t
        assert not s.stalled, t  # the timer runs from t=1 (processing moved on, the commit did not)
    clock.now += 11
    (s,) = watch.observe({RAW: 100}, {RAW: 130})
    assert s.stalled and s.uncommitted == 31 and s.stalled_seconds == 61.0
    clock.now += 5
    (s,) = watch.observe({RAW: 131}, {RAW: 130})  # the commit moves again: at once not stalled
    assert not s.stalled and s.uncommitted == 0 and s.stalled_seconds == 0


def test_an_idle_partition_that_is_committed_up_to_date_is_not_stalled() -> None:
    watch, clock = _watch(60)
    watch.observe({RAW: 51}, {RAW: 50})
    clock.now += 3600
    (s,) = watch.observe({RAW: 51}, {RAW: 50})
    assert not s.stalled and s.uncommitted == 0


def test_a_partition_never_committed_stalls_once_processing_moved() -> None:
    watch, clock = _watch(30)
    (s,) = watch.observe({RAW: None}, {})
    assert (s.committed, s.uncommitted, s.stalled) == (None, 0, False)
    clock.now += 10
    watch.observe({RAW: None}, {RAW: 4})
    clock.now += 25
    assert not watch.observe({RAW: None}, {RAW: 9})[0].stalled
    clock.now += 6
    (s,) = watch.observe({RAW: None}, {RAW: 9})
    assert s.stalled and s.uncommitted == 10


def test_a_stale_processed_offset_from_an_earlier_assignment_is_not_a_stall() -> None:
    # We processed up to 500 when the partition was ours before; the group committed 480 and nothing moves.
    watch, clock = _watch(60)
    watch.observe({RAW: 480}, {RAW: 500})
    clock.now += 600
    (s,) = watch.observe({RAW: 480}, {RAW: 500})
    assert s.uncommitted == 21 and not s.stalled
    clock.now += 1
    (s,) = watch.observe({RAW: 480}, {RAW: 501})  # now processing moves, the commit still does not
    assert not s.stalled  # the commit has 60 s from now to follow
    clock.now += 59
    assert not watch.observe({RAW: 480}, {RAW: 502})[0].stalled
    clock.now += 2
    (s,) = watch.observe({RAW: 480}, {RAW: 503})
    assert s.stalled and s.stalled_seconds == 61.0


def test_partitions_are_independent_and_revoked_ones_are_forgotten() -> None:
    watch, clock = _watch(60)
    watch.observe({RAW: 10, BY_ID: 10}, {RAW: 9, BY_ID: 9})
    clock.now += 30
    watch.observe({RAW: 10, BY_ID: 20}, {RAW: 15, BY_ID: 19})
    clock.now += 61
    raw, by_id = watch.observe({BY_ID: 30, RAW: 10}, {RAW: 20, BY_ID: 29})
    assert (by_id.topic, raw.topic) == (BY_ID[0], RAW[0])  # sorted by topic
    assert raw.stalled and not by_id.stalled
    assert watch.observe({BY_ID: 30}, {RAW: 20, BY_ID: 29})[0].topic == BY_ID[0]
    # RAW revoked, then assigned again: a fresh start, not stalled from the old observations
    (s,) = watch.observe({RAW: 10}, {RAW: 20})
    assert not s.stalled


def test_reset_forgets_everything() -> None:
    watch, clock = _watch(10)
    watch.observe({RAW: 0}, {RAW: 0})
    clock.now += 5
    watch.observe({RAW: 0}, {RAW: 5})
    clock.now += 20
    watch.reset()
    (s,) = watch.observe({RAW: 0}, {RAW: 6})
    assert not s.stalled


# ---- the monitor's gauges and /healthz problems, with a fake consumer ------------------------------
class _FakeApp:
    rebalancing = False

    def __init__(self, committed: dict[tuple[str, int], int | None]) -> None:
        self.committed = committed


class _Monitor(CommitMonitor):
    async def committed(self) -> dict[tuple[str, int], int | None] | None:
        return dict(self.app.committed)


def test_monitor_exports_gauges_and_health_problems() -> None:
    app: Any = _FakeApp({RAW: 100, BY_ID: 7})
    metrics = Metrics()
    positions = {RAW: 120, BY_ID: 6}
    monitor = _Monitor(app, metrics, positions, (RAW[0], BY_ID[0]), stall_seconds=60)
    monitor.watch.clock = clock = Clock()
    asyncio.run(_one_round(monitor))
    assert metrics.committed_offset.get("pages.raw", "0") == 100
    assert metrics.uncommitted.get("pages.raw", "0") == 21
    assert metrics.uncommitted.get("sieve.articles-by-id", "0") == 0
    assert metrics.commit_stalled.get("pages.raw", "0") == 0
    assert monitor.problems() == []
    positions[RAW] = 150
    clock.now += 1
    asyncio.run(_one_round(monitor))  # processing moved on without the commit: the timer starts
    assert metrics.commit_stalled.get("pages.raw", "0") == 0
    clock.now += 61
    asyncio.run(_one_round(monitor))
    assert metrics.commit_stalled.get("pages.raw", "0") == 1
    assert metrics.commit_stalled.get("sieve.articles-by-id", "0") == 0
    (problem,) = monitor.problems()
    assert "pages.raw[0]" in problem and "51 processed" in problem
    text = metrics.render()
    assert 'sieve_commit_stalled{topic="pages.raw",partition="0"} 1' in text
    assert 'sieve_committed_offset{topic="sieve.articles-by-id",partition="0"} 7' in text


async def _one_round(monitor: CommitMonitor) -> None:
    committed = await monitor.committed()
    assert committed is not None
    monitor.update(committed)


# ---- which partitions are watched: every topic an agent reads ----------------------------------------
class _Thread:
    """faust's consumer thread, reduced to what CommitMonitor.committed uses."""

    def __init__(self, committed: dict[tuple[str, int], int | None]) -> None:
        self.committed_offsets = committed
        self.asked: list[TP] = []

    def _ensure_consumer(self) -> Any:
        return self

    async def committed(self, tp: TP) -> int | None:  # aiokafka's AIOKafkaConsumer.committed
        self.asked.append(tp)
        return self.committed_offsets[(tp.topic, tp.partition)]

    async def call_thread(self, fn: Any, *args: Any) -> Any:
        return await fn(*args)


def test_the_monitor_installed_for_a_worker_watches_every_input_topic() -> None:
    settings = load({"SIEVE_GROUP_ID": "grp", "SIEVE_TOPIC_RAW": "raw"})
    tasks: list[Any] = []
    assignment = [TP(topic, p) for topic in (*settings.input_topics, "articles.clean", "other") for p in (0, 1)]
    offsets: dict[tuple[str, int], int | None] = {(tp.topic, tp.partition): 10 * tp.partition for tp in assignment}
    thread = _Thread(offsets)
    consumer = SimpleNamespace(assignment=lambda: set(assignment), _thread=thread)
    app = SimpleNamespace(consumer=consumer, rebalancing=False, task=tasks.append)
    pipeline = SimpleNamespace(settings=settings, app=app, metrics=Metrics(), positions={})
    monitor = install_commit_monitor(pipeline)
    assert len(tasks) == 1  # the periodic task is registered on the app
    inputs = ("raw", "grp.articles-by-id", "grp.links-by-url", "grp.simhash-bands")
    assert set(settings.input_topics) == set(inputs)
    assert monitor.topics == frozenset(inputs)
    committed = asyncio.run(monitor.committed())
    assert committed == {(topic, p): 10 * p for topic in inputs for p in (0, 1)}  # outputs are not watched
    assert {tp.topic for tp in thread.asked} == set(inputs)
    # A stall on an internal topic is reported like one on pages.raw.
    monitor.watch.clock = clock = Clock()
    monitor.update(committed)
    pipeline.positions[("grp.links-by-url", 1)] = 30
    clock.now += 1
    monitor.update(committed)
    clock.now += monitor.watch.stall_seconds + 1
    monitor.update(committed)
    (problem,) = monitor.problems()
    assert "grp.links-by-url[1]" in problem and "21 processed" in problem


# ---- article-versions: a re-delivered input never makes a new revision -----------------------------
def test_redelivery_is_recognised_by_source_partition_and_offset() -> None:
    entry = {"hash": "h2", "revision": 2, "src": [3, 41]}
    assert is_redelivery(entry, Source("pages.raw", 3, 41))  # the same input again
    assert is_redelivery(entry, Source("pages.raw", 3, 40))  # an older input of the same partition
    assert not is_redelivery(entry, Source("pages.raw", 3, 42))  # newer
    assert not is_redelivery(entry, Source("pages.raw", 2, 5))  # another partition: order unknown
    assert not is_redelivery({"hash": "h", "revision": 1}, Source("pages.raw", 3, 0))  # entry without src
    assert not is_redelivery(None, Source("pages.raw", 0, 0))


@pytest.mark.parametrize(
    ("content_hash", "offset", "expected"),
    [("h2", 99, True), ("h1", 40, True), ("h1", 42, False), ("h2", 10, True)],
)
def test_unchanged_means_same_content_or_redelivered(content_hash: str, offset: int, expected: bool) -> None:
    entry = {"hash": "h2", "revision": 2, "src": [3, 41]}
    assert unchanged(entry, content_hash, Source("pages.raw", 3, offset)) is expected
