"""Prometheus metrics of one worker, in the text exposition format (written here: no client library).

:class:`Metrics` holds the pipeline's counters, gauges and histograms; :meth:`Metrics.render` gives
the ``/metrics`` body. :class:`LoopLagMonitor` measures how late the event loop wakes up.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Iterable

CONTENT_TYPE = "text/plain; version=0.0.4"  # aiohttp adds "; charset=utf-8"


def _labels(names: tuple[str, ...], values: tuple[str, ...]) -> str:
    if not names:
        return ""
    escaped = (v.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"') for v in values)
    return "{" + ",".join(f'{n}="{v}"' for n, v in zip(names, escaped, strict=True)) + "}"


def _num(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


class Counter:
    kind = "counter"

    def __init__(self, name: str, doc: str, labels: tuple[str, ...] = ()) -> None:
        self.name, self.doc, self.label_names = name, doc, labels
        self.values: dict[tuple[str, ...], float] = {} if labels else {(): 0.0}

    def inc(self, amount: float = 1.0, *labels: str) -> None:
        self.values[labels] = self.values.get(labels, 0.0) + amount

    def get(self, *labels: str) -> float:
        return self.values.get(labels, 0.0)

    def samples(self) -> Iterable[str]:
        suffix = "_total" if self.kind == "counter" else ""
        for labels, value in sorted(self.values.items()):
            yield f"{self.name}{suffix}{_labels(self.label_names, labels)} {_num(value)}"


class Gauge(Counter):
    kind = "gauge"

    def set(self, value: float, *labels: str) -> None:
        self.values[labels] = value


class Histogram:
    kind = "histogram"

    def __init__(self, name: str, doc: str, buckets: tuple[float, ...]) -> None:
        self.name, self.doc = name, doc
        self.buckets = (*tuple(sorted(buckets)), math.inf)
        self.counts = [0] * len(self.buckets)
        self.sum = 0.0
        self.count = 0

    def observe(self, value: float) -> None:
        self.sum += value
        self.count += 1
        for i, bound in enumerate(self.buckets):
            if value <= bound:
                self.counts[i] += 1
                break

    def samples(self) -> Iterable[str]:
        cumulative = 0
        for bound, count in zip(self.buckets, self.counts, strict=True):
            cumulative += count
            yield f'{self.name}_bucket{{le="{_num(bound)}"}} {cumulative}'
        yield f"{self.name}_sum {_num(self.sum)}"
        yield f"{self.name}_count {self.count}"


LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LAG_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    """Every metric a worker exports. Callers use the attributes; ``render`` formats them all."""

    def __init__(self) -> None:
        p = "sieve_"
        self.pages_in = Counter(p + "pages_in", "raw pages read from the input topic")
        self.articles_out = Counter(p + "articles_out", "article events published (new or changed)")
        self.revisions = Counter(p + "article_revisions", "published articles that changed (revision > 1)")
        self.skipped = Counter(p + "skipped", "non-article pages published to the skipped topic", ("page_type",))
        self.unchanged = Counter(p + "unchanged", "re-crawled articles with unchanged content, not re-published")
        self.dead_letters = Counter(p + "dead_letters", "messages sent to the dead-letter topic", ("kind", "stage"))
        self.extract_seconds = Histogram(p + "extraction_seconds", "time to extract one page", LATENCY_BUCKETS)
        self.loop_lag_seconds = Histogram(p + "event_loop_lag_seconds", "event loop wake-up delay", LAG_BUCKETS)
        self.loop_lag_max = Gauge(p + "event_loop_lag_max_seconds", "largest event loop delay in the last 10 s")
        self.consumer_lag = Gauge(p + "consumer_lag", "messages behind the high watermark", ("topic", "partition"))
        self.assigned = Gauge(p + "assigned_partitions", "input partitions assigned to this worker")
        self.last_progress = Gauge(p + "last_progress_timestamp_seconds", "unix time of the last processed input")
        # Offsets committed by the group vs processed by this worker (commits.py; per assigned partition).
        self.committed_offset = Gauge(
            p + "committed_offset", "offset committed by the group (next to read)", ("topic", "partition")
        )
        self.uncommitted = Gauge(
            p + "uncommitted_messages", "processed messages whose offsets are not committed yet", ("topic", "partition")
        )
        self.commit_stalled = Gauge(
            p + "commit_stalled", "1: the committed offset stopped moving while messages were processed",
            ("topic", "partition"),
        )  # fmt: skip
        self._all: list[Counter | Histogram] = [
            self.pages_in, self.articles_out, self.revisions, self.skipped, self.unchanged, self.dead_letters,
            self.extract_seconds, self.loop_lag_seconds, self.loop_lag_max, self.consumer_lag, self.assigned,
            self.last_progress,
        ]  # fmt: skip
        self._all += [self.committed_offset, self.uncommitted, self.commit_stalled]
        # Discovered links (pipeline/links.py): announced to the links topic, or suppressed as repeats.
        self.links_announced = Counter(p + "links_announced", "article links published to the links topic", ("label",))
        self.links_suppressed = Counter(
            p + "links_suppressed", "links not published: announced within SIEVE_LINKS_TTL (or redelivered)"
        )
        self._all += [self.links_announced, self.links_suppressed]
        self.duplicates = Counter(p + "duplicates", "article events published with duplicate_of (dedup.py)")
        self._all.append(self.duplicates)

    def render(self) -> str:
        lines: list[str] = []
        for metric in self._all:
            full = metric.name + ("_total" if metric.kind == "counter" else "")
            lines.append(f"# HELP {full} {metric.doc}")
            lines.append(f"# TYPE {full} {metric.kind}")
            lines.extend(metric.samples())
        return "\n".join(lines) + "\n"


class LoopLagMonitor:
    """Sleeps ``interval`` seconds in a loop and records how much later than asked it woke up."""

    def __init__(self, metrics: Metrics, interval: float = 0.05, clock: Callable[[], float] = time.monotonic):
        self.metrics = metrics
        self.interval = interval
        self.clock = clock
        self.max_recent = 0.0
        self._window: list[tuple[float, float]] = []

    async def run(self) -> None:
        while True:
            start = self.clock()
            await asyncio.sleep(self.interval)
            now = self.clock()
            self.record(now, max(0.0, now - start - self.interval))

    def record(self, now: float, lag: float) -> None:
        self.metrics.loop_lag_seconds.observe(lag)
        self._window.append((now, lag))
        while self._window and self._window[0][0] < now - 10.0:
            self._window.pop(0)
        self.max_recent = max(v for _, v in self._window)
        self.metrics.loop_lag_max.set(self.max_recent)
