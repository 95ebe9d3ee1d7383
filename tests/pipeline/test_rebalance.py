"""The consumer classes of rebalance.py without a broker (fail-over itself: test_failover.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from sieve.pipeline.app import Pipeline
from sieve.pipeline.rebalance import FetchTunedThread, GuardedConsumer
from sieve.pipeline.settings import load


def _consumer_of(env: dict[str, str]) -> Any:
    pipeline = Pipeline(load({"SIEVE_GROUP_ID": "fetch-test", **env}))
    consumer = pipeline.app.consumer
    assert isinstance(consumer, GuardedConsumer)
    thread = consumer._thread
    assert isinstance(thread, FetchTunedThread)

    async def build() -> Any:  # aiokafka objects want a running loop; nothing connects here
        return thread._create_worker_consumer(pipeline.app.transport)

    return asyncio.run(build())


def test_the_worker_consumer_batches_fetches_as_configured() -> None:
    consumer = _consumer_of({"SIEVE_FETCH_MIN_BYTES": "4096", "SIEVE_FETCH_MAX_WAIT_MS": "7"})
    assert (consumer._fetch_min_bytes, consumer._fetch_max_wait_ms) == (4096, 7)


def test_fetch_batching_defaults() -> None:
    consumer = _consumer_of({})
    assert (consumer._fetch_min_bytes, consumer._fetch_max_wait_ms) == (65536, 10)
