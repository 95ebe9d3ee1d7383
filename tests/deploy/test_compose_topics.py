"""The compose file's Kafka commands, run for real against the local broker.

The `topics` service's entrypoint and command run unchanged under /bin/sh with the service's own
(interpolated) environment; only two things differ from the container: BOOTSTRAP points at the test
broker instead of kafka:9092, and /opt/kafka/bin/<tool>.sh is a two-line stand-in that starts the
same Java class from the jars deploy/kafka-local.sh fetched (which is all the real script does).
The broker's healthcheck command is run the same way.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from .conftest import REPO, interpolate, interpolate_tree, service_env

pytestmark = pytest.mark.kafka

#: The scripts of the apache/kafka image that the compose file calls, and the class each one runs.
TOOLS = {
    "kafka-topics.sh": "org.apache.kafka.tools.TopicCommand",
    "kafka-broker-api-versions.sh": "org.apache.kafka.tools.BrokerApiVersionsCommand",
}
IMAGE_BIN = "/opt/kafka/bin/"


def _tool_dir(tmp_path: Path, kafka_env: dict[str, str]) -> Path:
    jars = Path(kafka_env.get("KAFKA_HOME_CACHE", str(REPO / ".cache" / "kafka"))) / "jars"
    assert list(jars.glob("kafka-tools-*.jar")), f"no Kafka jars in {jars} (the kafka_bootstrap fixture fetches them)"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log4j = REPO / "deploy" / "kafka" / "log4j2.properties"
    for script, main_class in TOOLS.items():
        path = bin_dir / script
        path.write_text(
            "#!/bin/sh\n"
            f'exec java -Dlog4j2.configurationFile="{log4j}" -Dkafka.logs.dir="{tmp_path}" '
            f'-cp "{jars}/*" {main_class} "$@"\n'
        )
        path.chmod(0o755)
    return bin_dir


def _with_local_tools(text: str, bin_dir: Path) -> str:
    assert IMAGE_BIN in text, "the compose file calls the image's Kafka scripts by their full path"
    return text.replace(IMAGE_BIN, f"{bin_dir}/")


async def _describe(bootstrap: str, names: list[str]) -> dict[str, tuple[int, str]]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        topics = await admin.describe_topics(names)
        partitions = {t["topic"]: len(t["partitions"]) for t in topics if not t["error_code"]}
        resources = [ConfigResource(ConfigResourceType.TOPIC, n, configs={"max.message.bytes": None}) for n in names]
        limits: dict[str, str] = {}
        for response in await admin.describe_configs(resources):
            for resource in response.to_object()["resources"]:
                for entry in resource["config_entries"]:
                    if entry["config_names"] == "max.message.bytes":
                        limits[resource["resource_name"]] = entry["config_value"]
    finally:
        await admin.close()
    return {n: (partitions.get(n, 0), limits.get(n, "")) for n in names}


def test_topic_creation_command_of_the_compose_file(
    compose: dict[str, Any], kafka_bootstrap: str, kafka_env: dict[str, str], tmp_path: Path
) -> None:
    service = compose["services"]["topics"]
    prefix = f"compose{os.getpid()}"
    shell_env = {  # what an operator's .env would say
        "SIEVE_TOPIC_RAW": f"{prefix}.pages.raw",
        "SIEVE_TOPIC_CLEAN": f"{prefix}.articles.clean",
        "SIEVE_TOPIC_SKIPPED": f"{prefix}.pages.skipped",
        "SIEVE_TOPIC_DLQ": f"{prefix}.pages.dlq",
        "SIEVE_TOPIC_LINKS": f"{prefix}.links.discovered",
        "SIEVE_PARTITIONS": "3",
    }
    env = interpolate_tree(service_env(service), shell_env)
    assert env["BOOTSTRAP"] == "kafka:9092"
    env["BOOTSTRAP"] = kafka_bootstrap
    bin_dir = _tool_dir(tmp_path, kafka_env)
    command = [_with_local_tools(interpolate(part, shell_env), bin_dir) for part in service["command"]]
    argv = [*service["entrypoint"], *command]
    run_env = {**env, "PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    if "JAVA_HOME" in os.environ:
        run_env["JAVA_HOME"] = os.environ["JAVA_HOME"]

    names = env["TOPICS"].split()
    assert names == [v for k, v in shell_env.items() if k.startswith("SIEVE_TOPIC_")]
    for attempt in (1, 2):  # the second run finds the topics and must still succeed (--if-not-exists)
        result = subprocess.run(argv, env=run_env, capture_output=True, text=True, timeout=180, check=False)
        assert result.returncode == 0, f"run {attempt}:\n{result.stdout}\n{result.stderr}"
        assert result.stdout.count("ready") == len(names)
    described = asyncio.run(_describe(kafka_bootstrap, names))
    assert described == {n: (3, env["MAX_MESSAGE_BYTES"]) for n in names}
    assert env["MAX_MESSAGE_BYTES"] == "16777216"


def test_broker_healthcheck_command(
    compose: dict[str, Any], kafka_bootstrap: str, kafka_env: dict[str, str], tmp_path: Path
) -> None:
    kind, command = compose["services"]["kafka"]["healthcheck"]["test"]
    assert kind == "CMD-SHELL" and "localhost:9092" in command
    command = _with_local_tools(command, _tool_dir(tmp_path, kafka_env)).replace("localhost:9092", kafka_bootstrap)
    result = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
