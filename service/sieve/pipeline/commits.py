"""Stalled offset commits: detect a partition whose committed offset stops moving while work is done.

faust-streaming has a known failure (issues #318 and #502, robinhood/faust #625; measured in 1 of 5
kill runs, ``../shared/notes/kafka-faust-facts.md``): after a rebalance the worker keeps processing
the partitions it took over but never commits their offsets again, so the next restart re-processes
everything since. Nothing else shows it: throughput, lag (computed from what was processed) and the
outputs all look right.

:class:`CommitWatch` is the pure logic (an injected clock, no Kafka): it compares, per partition, the
offset the group has committed on the broker with the last offset this worker processed
(``Pipeline.positions``). :class:`CommitMonitor` is the periodic faust task that asks the broker for
the committed offsets (aiokafka's ``AIOKafkaConsumer.committed``, run in faust's consumer thread) of
every assigned partition of every topic the agents read (``Settings.input_topics``: ``pages.raw``
and the internal by-id, links and band topics), feeds the watch and exports
``sieve_committed_offset``, ``sieve_uncommitted_messages`` and ``sieve_commit_stalled``;
``/healthz`` reports stalled partitions as a problem, so the liveness probe restarts the worker,
which is what clears faust's stuck state.

This module also holds :func:`is_redelivery`, the check that keeps the ``article-versions`` table
from counting a re-delivered message twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from faust.types import TP

from sieve.pipeline.metrics import Metrics
from sieve.pipeline.records import Source

log = logging.getLogger("sieve.pipeline")

Key = tuple[str, int]  # (topic, partition)


@dataclass(frozen=True, slots=True)
class CommitStatus:
    """One partition's commit state as last observed."""

    topic: str
    partition: int
    committed: int | None  # next offset the group reads after a restart (None: never committed)
    uncommitted: int  # processed but not committed: re-processed after a crash or restart
    stalled_seconds: float  # how long the committed offset has not moved although work waits on it
    stalled: bool


@dataclass(slots=True)
class _Track:
    committed: int | None
    processed: int | None
    pending_since: float | None  # when processing first moved while ``committed`` kept its value


class CommitWatch:
    """Tracks committed vs processed offsets per partition; pure (the clock is injected).

    A partition is *stalled* when this worker has processed past the committed offset and the
    committed offset has not moved for more than ``stall_seconds`` since processing first moved on
    without it. A healthy worker commits every ``SIEVE_COMMIT_INTERVAL`` seconds after it processed
    something, so that never lasts long. A processed offset that does not move (left from an earlier
    assignment of the partition, or an idle partition) is never a stall: the failure is commits
    stopping *while* messages are processed.
    """

    def __init__(self, stall_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.stall_seconds = stall_seconds
        self.clock = clock
        self._tracks: dict[Key, _Track] = {}

    def reset(self) -> None:
        """Forget every partition (after a rebalance: commits pause legitimately meanwhile)."""
        self._tracks.clear()

    def observe(self, committed: Mapping[Key, int | None], processed: Mapping[Key, int]) -> list[CommitStatus]:
        """Record one observation of the partitions in ``committed`` (this worker's assignment) and
        return their status. ``processed`` is the last processed offset per partition (may hold other
        partitions too); partitions missing from ``committed`` are forgotten."""
        now = self.clock()
        for key in self._tracks.keys() - committed.keys():
            del self._tracks[key]
        out: list[CommitStatus] = []
        for key in sorted(committed):
            done = processed.get(key)
            value = committed[key]
            track = self._tracks.get(key)
            if track is None:
                track = self._tracks[key] = _Track(value, done, None)
            if value != track.committed:
                track.committed, track.pending_since = value, None
            if done != track.processed:
                track.processed = done
                if track.pending_since is None:
                    track.pending_since = now
            uncommitted = 0 if done is None else max(0, done + 1 - (value or 0))
            if uncommitted == 0:
                track.pending_since = None
            waiting = now - track.pending_since if track.pending_since is not None else 0.0
            stalled = waiting > self.stall_seconds
            out.append(CommitStatus(key[0], key[1], value, uncommitted, round(waiting, 1) if stalled else 0.0, stalled))
        return out


def is_redelivery(previous: object, source: Source) -> bool:
    """True when ``source`` (an input of pages.raw) is not newer than the input that last updated this
    ``article-versions`` entry (its ``src``: [partition, offset]): a re-delivery (at-least-once) of an
    input already applied, or an older input arriving after a newer one of the same partition. Such a
    message must not make a new revision, whatever its content."""
    if not isinstance(previous, dict):
        return False
    src = previous.get("src")
    if not isinstance(src, list) or len(src) != 2:
        return False
    return int(src[0]) == source.partition and source.offset <= int(src[1])


def unchanged(previous: object, content_hash: str, source: Source) -> bool:
    """The update check of stage 2: nothing to publish when the table entry has this content already,
    or when the input is a re-delivery (:func:`is_redelivery`)."""
    same = isinstance(previous, dict) and previous.get("hash") == content_hash
    return same or is_redelivery(previous, source)


async def _committed_in_thread(aio_consumer: Any, tps: list[TP], timeout: float) -> list[int | None]:
    # Runs on the consumer thread's event loop. The timeout is applied there, so that a coordinator
    # that does not answer (aiokafka retries forever) cannot keep one of faust's two method-queue
    # workers busy for good.
    calls = asyncio.gather(*(aio_consumer.committed(tp) for tp in tps))
    return list(await asyncio.wait_for(calls, timeout))


class CommitMonitor:
    """The periodic task: read committed offsets from the broker, update the watch and the gauges."""

    def __init__(
        self,
        app: Any,
        metrics: Metrics,
        positions: Mapping[Key, int],
        topics: Collection[str],
        stall_seconds: float,
        interval: float | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.positions = positions
        self.topics = frozenset(topics)
        self.watch = CommitWatch(stall_seconds)
        self.interval = interval if interval is not None else max(1.0, min(15.0, stall_seconds / 4))
        self.timeout = timeout
        self.status: list[CommitStatus] = []

    async def committed(self) -> dict[Key, int | None] | None:
        """Committed offsets of the assigned partitions of our input topics; None if not available."""
        consumer = self.app.consumer
        try:
            assignment = consumer.assignment()
        except Exception:  # consumer not started yet
            return None
        tps = sorted((tp for tp in assignment if tp.topic in self.topics), key=lambda tp: (tp.topic, tp.partition))
        if not tps:
            return {}
        thread = consumer._thread  # faust's AIOKafkaConsumerThread (ThreadDelegateConsumer)
        aio_consumer = thread._ensure_consumer()
        values = await thread.call_thread(_committed_in_thread, aio_consumer, tps, self.timeout)
        return {(tp.topic, tp.partition): v for tp, v in zip(tps, values, strict=True)}

    def update(self, committed: Mapping[Key, int | None]) -> None:
        self.status = self.watch.observe(committed, self.positions)
        m = self.metrics
        for gauge in (m.committed_offset, m.uncommitted, m.commit_stalled):
            gauge.values.clear()
        for s in self.status:
            labels = (s.topic, str(s.partition))
            if s.committed is not None:
                m.committed_offset.set(s.committed, *labels)
            m.uncommitted.set(s.uncommitted, *labels)
            m.commit_stalled.set(1 if s.stalled else 0, *labels)
            if s.stalled:
                log.warning(
                    "offsets of %s[%s] not committed for %.0fs: committed %s, %d processed since",
                    s.topic, s.partition, s.stalled_seconds, s.committed, s.uncommitted,
                )  # fmt: skip

    def problems(self) -> list[str]:
        """For /healthz: one sentence per stalled partition."""
        return [
            f"offsets of {s.topic}[{s.partition}] not committed for {s.stalled_seconds:.0f}s "
            f"({s.uncommitted} processed messages uncommitted)"
            for s in self.status
            if s.stalled
        ]

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            if getattr(self.app, "rebalancing", False):
                self.watch.reset()  # the assignment is moving; commits pause legitimately
                continue
            try:
                committed = await self.committed()
            except Exception as exc:  # broker trouble: keep the last status, try again next round
                log.warning("could not read committed offsets: %s: %s", type(exc).__name__, exc)
                continue
            if committed is not None:
                self.update(committed)


def install_commit_monitor(pipeline: Any) -> CommitMonitor:
    """Create the monitor for a :class:`~sieve.pipeline.app.Pipeline` and register its faust task."""
    s = pipeline.settings
    # Every topic an agent reads (raw pages and the internal by-id, links and band topics): faust's
    # stuck commits can hit any of them, and each stuck one re-delivers its messages after a restart.
    monitor = CommitMonitor(pipeline.app, pipeline.metrics, pipeline.positions, s.input_topics, s.commit_stall_seconds)

    async def commit_monitor() -> None:
        await monitor.run()

    pipeline.app.task(commit_monitor)
    return monitor
