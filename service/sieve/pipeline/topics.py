"""Create the pipeline's topics before a worker subscribes to them.

A consumer only learns of a topic created after it subscribed at its next metadata refresh (minutes
by default), so a worker whose internal topic appears a moment too late would sit without those
partitions. ``ensure_topics`` creates every topic the worker reads or writes, then waits until the
broker's metadata lists them all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic  # type: ignore[import-untyped]
from aiokafka.errors import TopicAlreadyExistsError  # type: ignore[import-untyped]

from sieve.pipeline.settings import Settings

log = logging.getLogger("sieve.pipeline.topics")


def topic_names(settings: Settings) -> list[str]:
    s = settings
    return [*s.input_topics, s.topic_clean, s.topic_skipped, s.topic_dlq, s.topic_links]


async def ensure_topics(
    settings: Settings,
    client_options: dict[str, Any],
    *,
    changelogs: Sequence[str] = (),
    timeout: float = 30.0,
) -> list[str]:
    """Create missing topics (partitions, replication, message size from the settings), and the
    tables' ``changelogs`` (compacted, as faust makes them); return the names created. Raises
    TimeoutError if the broker does not list them all within ``timeout``.

    faust declares a table's changelog when the table starts, concurrently with the consumer's
    subscription: a changelog that appears after it is unknown to the consumer (0 partitions) until
    a metadata refresh, and every write to that table fails meanwhile (``PartitionsMismatch``)."""
    admin = AIOKafkaAdminClient(**client_options)
    await admin.start()
    try:
        wanted = [*topic_names(settings), *changelogs]
        existing = set(await admin.list_topics())
        missing = [name for name in wanted if name not in existing]
        config = {"max.message.bytes": str(settings.max_message_bytes)}
        compacted = {**config, "cleanup.policy": "compact"}
        for name in missing:
            topic_config = compacted if name in changelogs else config
            with contextlib.suppress(TopicAlreadyExistsError):  # another worker was faster
                await admin.create_topics(
                    [NewTopic(name, settings.partitions, settings.replication, topic_configs=topic_config)]
                )
        deadline = time.monotonic() + timeout
        while True:
            existing = set(await admin.list_topics())
            if all(name in existing for name in wanted):
                break
            if time.monotonic() > deadline:
                absent = sorted(set(wanted) - existing)
                raise TimeoutError(f"topics not listed by the broker after {timeout:.0f}s: {absent}")
            await asyncio.sleep(0.2)
        if missing:
            log.info("created topics %s (%d partitions)", ", ".join(missing), settings.partitions)
        return missing
    finally:
        await admin.close()
