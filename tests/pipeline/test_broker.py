"""The local broker itself: start (via the session fixture), create a topic, produce and consume."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from sieve.pipeline.app import Pipeline
from sieve.pipeline.cli import client_options
from sieve.pipeline.settings import load
from sieve.pipeline.topics import ensure_topics

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


def test_ensure_topics_creates_every_table_changelog_compacted(kafka_bootstrap: str, tmp_path: Path) -> None:
    """Changelogs exist before a worker subscribes (faust would declare them concurrently with it)."""
    settings = load(
        {
            "SIEVE_KAFKA_BOOTSTRAP": kafka_bootstrap,
            "SIEVE_GROUP_ID": "ensure-changelogs",
            "SIEVE_DATA_DIR": str(tmp_path),
            "SIEVE_PARTITIONS": "3",
        }
    )
    pipeline = Pipeline(settings)
    changelogs = sorted(t.changelog_topic.get_topic_name() for t in pipeline.app.tables.values())
    assert changelogs == [
        "ensure-changelogs-article-versions-changelog",
        "ensure-changelogs-link-announcements-changelog",
        "ensure-changelogs-simhash-bands-changelog",
    ]

    async def scenario() -> None:
        created = await ensure_topics(settings, client_options(settings), changelogs=changelogs)
        assert set(changelogs) <= set(created)
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
        await admin.start()
        try:
            described = await admin.describe_topics(changelogs)
            assert all(len(t["partitions"]) == 3 for t in described)
            configs = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, changelogs[0])])
            entries = {e[0]: e[1] for e in configs[0].resources[0][4]}
            assert entries["cleanup.policy"] == "compact"
        finally:
            await admin.close()
        assert await ensure_topics(settings, client_options(settings), changelogs=changelogs) == []

    asyncio.run(scenario())
