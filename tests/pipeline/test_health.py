"""The worker's probes (health.py) without a broker: lag per input partition, /healthz and /readyz."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

from faust.types import TP

from sieve.pipeline.health import Probes
from sieve.pipeline.metrics import Metrics
from sieve.pipeline.settings import load


def _worker(assignment: list[TP], high: dict[TP, int | None], **state: Any) -> Any:
    settings = load({"SIEVE_GROUP_ID": "grp", "SIEVE_TOPIC_RAW": "raw", "SIEVE_STALL_SECONDS": "120"})
    consumer = SimpleNamespace(assignment=lambda: set(assignment), highwater=lambda tp: high[tp])
    app = SimpleNamespace(consumer=consumer, agents=["pages", "articles", "links", "bands"], rebalancing=False)
    defaults: dict[str, Any] = {
        "positions": {},
        "last_progress": time.monotonic(),
        "agents_running": 4,
        "agent_error": None,
        "stopping": False,
        "commits": SimpleNamespace(problems=list),
        "loop_lag": SimpleNamespace(max_recent=0.01234),
    }
    return SimpleNamespace(settings=settings, app=app, metrics=Metrics(), **{**defaults, **state})


RAW0, RAW1, LINKS0, CLEAN0 = TP("raw", 0), TP("raw", 1), TP("grp.links-by-url", 0), TP("articles.clean", 0)


def test_lag_counts_input_partitions_only_and_sets_the_gauges() -> None:
    high: dict[TP, int | None] = {RAW0: 100, RAW1: 5, LINKS0: 7, CLEAN0: 1000}
    worker = _worker([RAW0, RAW1, LINKS0, CLEAN0], high, positions={("raw", 0): 89})
    probes = Probes(worker)
    assert probes.refresh_gauges() == {("raw", 0): 10, ("raw", 1): 5, ("grp.links-by-url", 0): 7}
    assert worker.metrics.consumer_lag.get("raw", "0") == 10
    assert worker.metrics.assigned.get() == 2  # pages.raw partitions only


def test_health_fails_on_a_crash_a_stall_or_a_commit_problem() -> None:
    probes = Probes(_worker([RAW0], {RAW0: 3}))
    ok, body = probes.health()
    assert ok and body["lag"] == 3 and body["problems"] == [] and body["event_loop_lag_max_seconds"] == 0.0123
    stalled = _worker([RAW0], {RAW0: 3}, last_progress=time.monotonic() - 200)
    ok, body = Probes(stalled).health()
    assert not ok and "no progress for 200s while 3 messages are waiting" in body["problems"][0]
    idle = _worker([RAW0], {RAW0: 3}, last_progress=time.monotonic() - 200, positions={("raw", 0): 2})
    assert Probes(idle).health()[0]  # nothing waiting: idle is fine
    crashed = _worker([], {}, agent_error="KeyError: x", commits=SimpleNamespace(problems=lambda: ["stuck"]))
    ok, body = Probes(crashed).health()
    assert not ok and body["problems"] == ["agent crashed: KeyError: x", "stuck"]


def test_ready_only_when_all_four_agents_run_and_nothing_moves() -> None:
    ready, body = Probes(_worker([RAW0, LINKS0], {RAW0: 0, LINKS0: 0})).readiness()
    assert ready and body == {"ready": True, "rebalancing": False, "assigned_partitions": [0]}
    assert not Probes(_worker([], {}, agents_running=3)).readiness()[0]
    assert not Probes(_worker([], {}, stopping=True)).readiness()[0]
    rebalancing = _worker([], {})
    rebalancing.app.rebalancing = True
    assert Probes(rebalancing).readiness() == (False, {"ready": False, "rebalancing": True, "assigned_partitions": []})
