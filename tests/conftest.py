"""Session fixtures shared by the whole suite: a real Kafka broker started by deploy/kafka-local.sh.

Tests that need Kafka take the ``kafka_bootstrap`` fixture and carry ``@pytest.mark.kafka``
(``pytest -m kafka`` runs only them, ``pytest -m 'not kafka'`` skips them on purpose). When the
broker cannot start, those tests FAIL with the script's output: a missing broker is never a skip.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ports import free_port_pair

REPO = Path(__file__).resolve().parents[1]
KAFKA_SCRIPT = REPO / "deploy" / "kafka-local.sh"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "kafka: needs the real local Kafka broker (deploy/kafka-local.sh)")


@pytest.fixture(scope="session")
def kafka_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for deploy/kafka-local.sh that points at this session's own broker."""
    port = free_port_pair()
    data_dir = tmp_path_factory.mktemp("kafka-data")
    env = dict(os.environ)
    env.update(
        KAFKA_PORT=str(port),
        KAFKA_CONTROLLER_PORT=str(port + 1),
        KAFKA_DATA_DIR=str(data_dir),
        KAFKA_HEAP_OPTS=os.environ.get("KAFKA_HEAP_OPTS", "-Xmx512m -Xms128m"),
        # If this pytest process dies without running finalizers, the broker follows it.
        KAFKA_WATCH_PID=str(os.getpid()),
    )
    return env


def _run_script(env: dict[str, str], *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(KAFKA_SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def kafka_bootstrap(kafka_env: dict[str, str]) -> Iterator[str]:
    """Start a broker on a free port with its own data dir; yield ``127.0.0.1:PORT``; stop it at the end."""
    try:
        started = _run_script(kafka_env, "start", timeout=600)
    except subprocess.TimeoutExpired as exc:
        _run_script(kafka_env, "stop", timeout=60)
        pytest.fail(f"deploy/kafka-local.sh start did not finish in {exc.timeout:.0f}s", pytrace=False)
    if started.returncode != 0:
        pytest.fail(
            "could not start the local Kafka broker with deploy/kafka-local.sh "
            f"(exit {started.returncode}; needs Java 17+ and Maven):\n{started.stdout}{started.stderr}",
            pytrace=False,
        )
    try:
        yield f"127.0.0.1:{kafka_env['KAFKA_PORT']}"
    finally:
        stopped = _run_script(kafka_env, "stop", timeout=90)
        if stopped.returncode != 0:
            print(f"kafka-local.sh stop failed:\n{stopped.stdout}{stopped.stderr}")
