"""Small aiokafka helpers for the real-broker tests (topic creation, produce, drain)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

MAX_MESSAGE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Received:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]


async def create_topics(bootstrap: str, names: Iterable[str], partitions: int = 1) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        topics = [
            NewTopic(n, partitions, 1, topic_configs={"max.message.bytes": str(MAX_MESSAGE_BYTES)}) for n in names
        ]
        for topic in topics:  # one at a time so that an existing one does not hide the others
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics([topic])
    finally:
        await admin.close()


async def produce(
    bootstrap: str,
    topic: str,
    messages: Sequence[tuple[bytes | None, bytes | None, list[tuple[str, bytes]]]],
) -> list[tuple[int, int]]:
    """Send (key, value, headers) messages; return their (partition, offset)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=MAX_MESSAGE_BYTES, linger_ms=5)
    await producer.start()
    try:
        futures = [await producer.send(topic, value=v, key=k, headers=h) for k, v, h in messages]
        metas = [await f for f in futures]
    finally:
        await producer.stop()
    return [(m.partition, m.offset) for m in metas]


async def drain(
    bootstrap: str, topics: Sequence[str], *, expect: int, timeout: float = 60.0, settle: float = 1.0
) -> list[Received]:
    """Read the topics from the beginning until ``expect`` records arrived (then ``settle`` s more for
    extras) or ``timeout`` passed; return what was read."""
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
        fetch_max_bytes=64 * 1024 * 1024,
        max_partition_fetch_bytes=MAX_MESSAGE_BYTES + 1024 * 1024,
    )
    await consumer.start()
    out: list[Received] = []
    deadline = time.monotonic() + timeout
    settle_until: float | None = None
    try:
        while True:
            now = time.monotonic()
            if now >= deadline or (settle_until is not None and now >= settle_until):
                break
            batches = await consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for r in records:
                    out.append(Received(r.topic, r.partition, r.offset, r.key, r.value, tuple(r.headers or ())))
            if settle_until is None and len(out) >= expect:
                settle_until = time.monotonic() + settle
    finally:
        await consumer.stop()
    return out
