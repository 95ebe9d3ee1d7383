"""Fixtures for the real-broker pipeline tests: per-test topic names and worker subprocesses."""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ports import free_port

from .kafka_helpers import create_topics
from .worker_harness import WorkerProcess

_counter = itertools.count(1)


@dataclass(frozen=True)
class PipelineTopics:
    raw: str
    clean: str
    skipped: str
    dlq: str
    group: str
    links: str = ""  # links.discovered: not among ``outputs`` (its records name no input offset)

    @property
    def outputs(self) -> list[str]:
        return [self.clean, self.skipped, self.dlq]


def make_topics(partitions: int, bootstrap: str) -> PipelineTopics:
    n = f"{os.getpid()}-{next(_counter)}"
    topics = PipelineTopics(
        f"t{n}.pages.raw",
        f"t{n}.articles.clean",
        f"t{n}.pages.skipped",
        f"t{n}.pages.dlq",
        f"g{n}",
        f"t{n}.links.discovered",
    )
    asyncio.run(create_topics(bootstrap, [topics.raw, *topics.outputs, topics.links], partitions=partitions))
    return topics


def worker_env(bootstrap: str, topics: PipelineTopics, data_dir: Path, partitions: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIEVE_")}
    env.update(
        SIEVE_KAFKA_BOOTSTRAP=bootstrap,
        SIEVE_TOPIC_RAW=topics.raw,
        SIEVE_TOPIC_CLEAN=topics.clean,
        SIEVE_TOPIC_SKIPPED=topics.skipped,
        SIEVE_TOPIC_DLQ=topics.dlq,
        SIEVE_TOPIC_LINKS=topics.links or f"{topics.group}.links.discovered",
        SIEVE_GROUP_ID=topics.group,
        SIEVE_PARTITIONS=str(partitions),
        SIEVE_DATA_DIR=str(data_dir),
        SIEVE_SESSION_TIMEOUT="10",
        SIEVE_HEARTBEAT_INTERVAL="1",
        SIEVE_COMMIT_INTERVAL="1",
        SIEVE_LOG_LEVEL="info",
        PYTHONUNBUFFERED="1",
    )
    return env


StartWorker = Callable[[dict[str, str], str], WorkerProcess]


@pytest.fixture(scope="module")
def module_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartWorker]:
    """Start workers that live until the end of the module; all are killed at the end."""
    started: list[WorkerProcess] = []
    logs = tmp_path_factory.mktemp("worker-logs")

    def start(env: dict[str, str], name: str) -> WorkerProcess:
        worker = WorkerProcess(env, free_port(), logs / f"{name}.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.terminate(timeout=30)
        worker.kill()
