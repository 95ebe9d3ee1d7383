"""The local broker itself: start (via the session fixture), create a topic, produce and consume."""

from __future__ import annotations

import asyncio

import pytest

from .kafka_helpers import MAX_MESSAGE_BYTES, create_topics, drain, produce

pytestmark = pytest.mark.kafka


def test_produce_and_consume_roundtrip(kafka_bootstrap: str) -> None:
    async def scenario() -> None:
        await create_topics(kafka_bootstrap, ["smoke.roundtrip"], partitions=2)
        sent = await produce(
            kafka_bootstrap,
            "smoke.roundtrip",
            [(b"k1", b"hello", [("url", b"https://example.com/")]), (b"k2", b"world", [])],
        )
        got = await drain(kafka_bootstrap, ["smoke.roundtrip"], expect=2, timeout=30, settle=0.2)
        assert sorted((r.partition, r.offset) for r in got) == sorted(sent)
        by_key = {r.key: r for r in got}
        assert by_key[b"k1"].value == b"hello"
        assert by_key[b"k1"].headers == (("url", b"https://example.com/"),)
        assert by_key[b"k2"].value == b"world"

    asyncio.run(scenario())


def test_topic_accepts_a_ten_megabyte_message(kafka_bootstrap: str) -> None:
    big = b"x" * (10 * 1024 * 1024)

    async def scenario() -> None:
        await create_topics(kafka_bootstrap, ["smoke.big"])
        await produce(kafka_bootstrap, "smoke.big", [(None, big, [])])
        got = await drain(kafka_bootstrap, ["smoke.big"], expect=1, timeout=30, settle=0.1)
        assert [len(r.value or b"") for r in got] == [len(big)]
        assert len(big) < MAX_MESSAGE_BYTES

    asyncio.run(scenario())
