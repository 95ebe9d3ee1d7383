"""A worker's probes: consumer lag, liveness (``/healthz``) and readiness (``/readyz``).

:class:`Probes` only reads the state the :class:`~sieve.pipeline.app.Pipeline` keeps while it works
(the last processed offset per partition, the time of the last progress, how many agents run, an
agent's crash, whether it is stopping) plus the consumer's assignment and high watermarks, and sets
the lag gauges; nothing here changes how messages flow. ``web.py`` serves the answers.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sieve.pipeline.app import Pipeline


class Probes:
    """The ``/healthz`` and ``/readyz`` answers and the lag gauges of one worker."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def consumer_lag(self) -> dict[tuple[str, int], int]:
        """Messages behind the high watermark, per assigned partition of the topics we read."""
        p = self.pipeline
        lags: dict[tuple[str, int], int] = {}
        try:
            consumer = p.app.consumer
            assignment = consumer.assignment()
        except Exception:  # not started yet
            return lags
        for tp in assignment:
            if tp.topic not in p.settings.input_topics:
                continue
            try:
                high = consumer.highwater(tp)
            except Exception:
                continue
            if high is None:
                continue
            done = p.positions.get((tp.topic, tp.partition))
            lags[(tp.topic, tp.partition)] = max(0, int(high) - (done + 1 if done is not None else 0))
        return lags

    def refresh_gauges(self) -> dict[tuple[str, int], int]:
        """Set ``sieve_consumer_lag`` and ``sieve_assigned_partitions``; return the lags."""
        p = self.pipeline
        lags = self.consumer_lag()
        p.metrics.consumer_lag.values.clear()
        for (topic, partition), lag in lags.items():
            p.metrics.consumer_lag.set(lag, topic, str(partition))
        p.metrics.assigned.set(sum(1 for topic, _ in lags if topic == p.settings.topic_raw))
        return lags

    def health(self) -> tuple[bool, dict[str, Any]]:
        """Liveness: no agent crashed, progress while input waits, no stalled offset commits."""
        p = self.pipeline
        lags = self.refresh_gauges()
        idle = time.monotonic() - p.last_progress
        behind = sum(lags.values())
        problems = []
        if p.agent_error:
            problems.append(f"agent crashed: {p.agent_error}")
        if behind > 0 and idle > p.settings.stall_seconds:
            problems.append(f"no progress for {idle:.0f}s while {behind} messages are waiting")
        problems += p.commits.problems()
        body = {"ok": not problems, "problems": problems, "lag": behind, "idle_seconds": round(idle, 1)}
        body["event_loop_lag_max_seconds"] = round(p.loop_lag.max_recent, 4)
        return not problems, body

    def readiness(self) -> tuple[bool, dict[str, Any]]:
        """Readiness: every agent runs, no rebalance is in progress and the worker is not stopping."""
        p = self.pipeline
        lags = self.refresh_gauges()
        assigned = sorted(partition for topic, partition in lags if topic == p.settings.topic_raw)
        rebalancing = bool(getattr(p.app, "rebalancing", False))
        ready = p.agents_running >= len(p.app.agents) and not rebalancing and not p.stopping
        return ready, {"ready": ready, "rebalancing": rebalancing, "assigned_partitions": assigned}
