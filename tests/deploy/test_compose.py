"""docker-compose.yml: valid against the Compose Specification schema, and tied to the worker's code."""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest

from sieve.pipeline.settings import load

from .conftest import (
    REPO,
    SETTINGS,
    SIEVE_NAME,
    interpolate_tree,
    interpolation_defaults,
    load_json,
    service_env,
)


def _validator() -> jsonschema.Draft7Validator:
    schema = load_json("compose-spec.json")
    assert "draft-07" in schema["$schema"]
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_compose_file_is_valid_against_the_compose_specification(compose: dict[str, Any]) -> None:
    errors = sorted(_validator().iter_errors(compose), key=lambda e: e.json_path)
    assert not errors, "\n".join(f"{e.json_path}: {e.message}" for e in errors)
    # ... and stays valid once variables are filled in (as `docker compose config` would).
    filled = interpolate_tree(compose, {})
    errors = sorted(_validator().iter_errors(filled), key=lambda e: e.json_path)
    assert not errors, "\n".join(f"{e.json_path}: {e.message}" for e in errors)


def test_the_schema_catches_mistakes(compose: dict[str, Any]) -> None:
    broken = {**compose, "services": {**compose["services"], "worker": {**compose["services"]["worker"]}}}
    broken["services"]["worker"]["depends_on"] = {"kafka": {"condition": "service_ready"}}
    broken["services"]["worker"]["restrat"] = "always"
    messages = [e.message for e in _validator().iter_errors(broken)]
    assert messages, "a misspelt key and a bad depends_on condition must not validate"


def test_broker_is_official_kafka_in_kraft_mode_with_a_healthcheck(compose: dict[str, Any]) -> None:
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    env = service_env(kafka)
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert "CONTROLLER" in env["KAFKA_CONTROLLER_LISTENER_NAMES"]
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(env["KAFKA_NODE_ID"] + "@")
    assert "zookeeper" not in str(kafka).lower()
    health = kafka["healthcheck"]
    assert health["test"][0] in ("CMD", "CMD-SHELL") and "kafka-broker-api-versions.sh" in " ".join(health["test"])
    # The internal topics of a single node need replication factor 1.
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"


def test_topic_service_is_one_shot_idempotent_and_sized(compose: dict[str, Any]) -> None:
    topics = compose["services"]["topics"]
    assert topics["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert topics.get("restart", "no") == "no"
    script = " ".join(topics["command"])
    for flag in ("--create", "--if-not-exists", "--partitions", "--replication-factor", "max.message.bytes"):
        assert flag in script
    env = interpolate_tree(service_env(topics), {})
    names = env["TOPICS"].split()
    expected = ("SIEVE_TOPIC_RAW", "SIEVE_TOPIC_CLEAN", "SIEVE_TOPIC_SKIPPED", "SIEVE_TOPIC_DLQ", "SIEVE_TOPIC_LINKS")
    assert names == [SETTINGS[n] for n in expected]
    assert env["PARTITIONS"] == SETTINGS["SIEVE_PARTITIONS"]
    assert env["MAX_MESSAGE_BYTES"] == SETTINGS["SIEVE_MAX_MESSAGE_BYTES"]


def test_worker_is_scalable_and_waits_for_broker_and_topics(compose: dict[str, Any]) -> None:
    worker = compose["services"]["worker"]
    assert worker["build"]["dockerfile"] == "deploy/Dockerfile" and (REPO / worker["build"]["dockerfile"]).is_file()
    assert worker["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert worker["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    # `docker compose up --scale worker=N` fails with a fixed container name or a fixed host port.
    assert "container_name" not in worker
    for port in worker.get("ports", []):
        if isinstance(port, dict):
            published = port.get("published")
        else:  # [[HOST_IP:]HOST_PORT:]CONTAINER_PORT
            published = port.rsplit(":", 1)[0].rsplit(":", 1)[-1] if ":" in str(port) else ""
        assert not published, f"a fixed host port ({port}) cannot be shared by several workers"
    assert worker["read_only"] is True and "ALL" in worker["cap_drop"]


def test_ui_is_an_optional_profile(compose: dict[str, Any]) -> None:
    ui = [name for name, s in compose["services"].items() if "ui" in (s.get("profiles") or [])]
    assert ui == ["kafka-ui"]
    assert all(not s.get("profiles") for name, s in compose["services"].items() if name != "kafka-ui")


def test_every_sieve_variable_exists_in_the_settings(compose_text: str) -> None:
    used = set(SIEVE_NAME.findall(compose_text))
    assert used, "the compose file configures the worker with SIEVE_* variables"
    assert used <= set(SETTINGS), f"unknown SIEVE_* variables: {sorted(used - set(SETTINGS))}"


def test_defaults_are_the_workers_own(compose_text: str) -> None:
    for name, default in interpolation_defaults(compose_text).items():
        if name.startswith("SIEVE_"):
            assert default == SETTINGS[name], f"${{{name}:-{default}}} but the worker's default is {SETTINGS[name]}"


def test_worker_environment_loads_as_valid_settings(compose: dict[str, Any]) -> None:
    env = interpolate_tree(service_env(compose["services"]["worker"]), {})
    settings = load(env)  # raises SettingsError listing every problem
    assert settings.web_host == "0.0.0.0", "in a container the HTTP server must listen on all interfaces"
    assert settings.bootstrap_servers == ["kafka:9092"]


def test_stop_grace_period_exceeds_the_workers_shutdown_grace(compose: dict[str, Any]) -> None:
    worker = compose["services"]["worker"]
    settings = load(interpolate_tree(service_env(worker), {}))
    m = re.fullmatch(r"(\d+)s", worker["stop_grace_period"])
    assert m and int(m.group(1)) > settings.shutdown_grace + 5


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("${A:-x} $${B} $A ${C-y}", {}, "x ${B}  y"),
        ("${A:-x}|${A-x}|${A:+set}", {"A": ""}, "x||"),
        ("${A:-x}|${A:+set}", {"A": "v"}, "v|set"),
    ],
)
def test_interpolation_helper(text: str, env: dict[str, str], expected: str) -> None:
    from .conftest import interpolate

    assert interpolate(text, env) == expected
