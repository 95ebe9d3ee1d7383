"""examples/consume_clean.py: its de-duplication rule, and the script against the real broker."""

from __future__ import annotations

import asyncio
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import orjson
import pytest

from .kafka_helpers import create_topics, produce

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "consume_clean.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("consume_clean", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


example = _load()


def _event(article_id: str, revision: int, title: str = "") -> dict[str, object]:
    return {"id": article_id, "revision": revision, "url": f"https://x.example/{article_id}", "title": title}


STREAM = [
    _event("a", 1, "a1"),
    _event("b", 1, "b1"),
    _event("a", 1, "a1 again"),  # re-delivery
    _event("a", 2, "a2"),  # changed
    _event("b", 1, "b1 again"),  # re-delivery
    _event("a", 1, "a1 late"),  # out of date
    _event("a", 3, "a3"),
    _event("a", 3, "a3 again"),
    _event("c", 2, "c2"),  # first seen at revision 2 (revision 1 consumed before we started)
    _event("c", 1, "c1 late"),
]


def test_keeps_the_highest_revision_and_drops_redeliveries() -> None:
    kept = [e["title"] for e in example.deduplicate(STREAM)]
    assert kept == ["a1", "b1", "a2", "a3", "c2"]


def test_is_new_remembers_per_id() -> None:
    latest: dict[str, int] = {"a": 4}
    assert not example.is_new(latest, _event("a", 4))
    assert example.is_new(latest, _event("a", 5)) and latest == {"a": 5}
    assert example.is_new(latest, _event("z", 1)) and latest == {"a": 5, "z": 1}


@pytest.mark.kafka
def test_the_script_against_the_broker(kafka_bootstrap: str) -> None:
    topic = "example-consumer.articles.clean"
    asyncio.run(create_topics(kafka_bootstrap, [topic], partitions=2))
    messages = [(str(e["id"]).encode(), orjson.dumps(e), []) for e in STREAM]
    asyncio.run(produce(kafka_bootstrap, topic, messages))  # keyed by id: each id's events stay in order
    options = ["--bootstrap", kafka_bootstrap, "--topic", topic, "--from-beginning", "--max", "5", "--timeout", "60"]
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *options],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    kept = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert sorted((e["id"], e["revision"]) for e in kept) == [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("c", 2)]
    assert "kept 5 events, dropped" in result.stderr
