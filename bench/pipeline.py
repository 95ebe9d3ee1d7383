"""End-to-end benchmark of the Kafka pipeline (issue 4): throughput, latency and worker memory.

On the shared corpus (181 real news pages), through a real local Apache Kafka broker that this
script starts itself (deploy/kafka-local.sh, on a free port, with its own data directory) and stops at
the end, also on Ctrl-C and on errors:

1. extraction-only throughput: sieve.extract over the same pages, in this process, in a loop;
2. for 1 and for 2 `sieve worker` processes (one consumer group, --partitions input partitions):
   - warm-up: --warmup passes (plus --broker-warmup on the first configuration: a cold broker JVM
     spends about twice the CPU per page), waited for, not counted;
   - throughput: --passes copies of the corpus, --window passes queued ahead of the workers (the next
     pass is sent when the oldest queued one has all its outputs), pages/s from the first produce to
     the last output record consumed; worker RSS (VmRSS) sampled all along and read after each pass
     (always at the same queue depth); CPU of the workers (main / extraction thread), the broker, this
     script and other processes, and the workers' own extraction time (/metrics) over the window;
   - latency: --latency-pages pages produced at a steady --latency-load × the measured throughput;
     p50/p99 from the produce timestamp to the output record's Kafka timestamp (and to its consumption).

Every pass carries its own canonical URL (`?sbp=<pass>` injected as <link rel=canonical>), so every
page gets a new article id and is really processed (identical re-sends would be `unchanged`, not
published). Outputs are counted across articles.clean + pages.skipped + pages.dlq and matched to their
input by `source` (partition, offset). Each configuration has its own topics and consumer group.

Exit status: 0 ran (whatever the targets say), 1 error (broker, workers, missing outputs),
2 corpus missing. Worker logs and the broker log go to bench/out/pipeline/<run>/ (git-ignored).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import gzip
import html as htmllib
import math
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import types
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from ports import free_port, free_port_pair  # one copy of the port helpers, shared with the tests

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "pipeline"
SHARED = ROOT.parent / "shared"
KAFKA_SCRIPT = ROOT / "deploy" / "kafka-local.sh"
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
TARGETS = {"pipeline_vs_extract": 0.75, "scale_2w": 1.7, "rss_mb": 200.0, "rss_flat_mb": 10.0}
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


class BenchError(RuntimeError):
    """The benchmark could not run (broker, workers, missing outputs): exit status 1."""


# ---- corpus ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Page:
    id: str
    url: str
    html: str
    base: str = ""  # the URL a pass marker is added to: the page's canonical URL, or its URL
    page_type: str = ""  # of the unmarked page


def corpus_dir(path: Path) -> Path:
    """The folder holding the *.html.gz files: PATH/html if it exists, else PATH."""
    return path / "html" if (path / "html").is_dir() else path


def load_corpus(path: Path) -> list[Page]:
    folder = corpus_dir(path)
    files = sorted(folder.glob("*.html.gz")) if folder.is_dir() else []
    if not files:
        raise FileNotFoundError(
            f"pipeline bench: no corpus at {path} (need html/*.html.gz); check out ../shared next to the "
            "repository or pass --corpus DIR"
        )
    urls: dict[str, str] = {}
    truth = folder.parent / "ground-truth.json"
    if truth.is_file():
        urls = {k: str(v.get("url") or "") for k, v in orjson.loads(truth.read_bytes()).items()}
    pages = []
    for f in files:
        pid = f.name.removesuffix(".html.gz")
        html = gzip.decompress(f.read_bytes()).decode("utf-8", "replace")
        pages.append(Page(pid, urls.get(pid) or f"https://pages.sieve.invalid/{pid}", html))
    return pages


_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)
_HTML = re.compile(r"<html(?:\s[^>]*)?>", re.IGNORECASE)


def marked(page: Page, label: str) -> tuple[str, str]:
    """(url, html) of the page for one pass: a canonical link with ``?sbp=<label>`` is injected first
    in <head>, so the article id (derived from the canonical URL) is new in every pass. The label has
    no '-' or '_' and no long digit runs, so sieve's article-URL heuristic sees the same path."""
    base = page.base or page.url
    canonical = f"{base}{'&' if '?' in base else '?'}sbp={label}"
    tag = f'<link rel="canonical" href="{htmllib.escape(canonical, quote=True)}">'
    m = _HEAD.search(page.html) or _HTML.search(page.html)
    html = page.html[: m.end()] + tag + page.html[m.end() :] if m else tag + page.html
    return page.url, html


# ---- extraction only --------------------------------------------------------------------------------
def extraction_only(pages: list[Page], rounds: int) -> tuple[list[Page], dict[str, Any]]:
    """One untimed round on the unmarked pages (warm-up; finds each page's canonical URL and type),
    then ``rounds`` timed rounds on the pages as the pipeline gets them (marked for pass 1)."""
    import sieve

    based = []
    for p in pages:
        try:
            a = sieve.extract(p.html, url=p.url)
            based.append(Page(p.id, p.url, p.html, a.canonical_url or p.url, str(a.page_type)))
        except sieve.ExtractionError:
            based.append(Page(p.id, p.url, p.html, p.url, "error"))
    inputs = [marked(p, "x1") for p in based]
    rates: list[float] = []
    types_marked: list[str] = []
    for r in range(rounds):
        types_marked = []
        start = time.perf_counter()
        for url, html in inputs:
            try:
                types_marked.append(str(sieve.extract(html, url=url).page_type))
            except sieve.ExtractionError:
                types_marked.append("error")
        elapsed = time.perf_counter() - start
        rates.append(len(inputs) / elapsed)
        print(f"  extraction-only round {r + 1}: {rates[-1]:.1f} pages/s", file=sys.stderr)
    changed = sum(a != b.page_type for a, b in zip(types_marked, based, strict=True))
    figures = {
        "pages_per_s": statistics.median(rates),
        "rounds_pages_per_s": rates,
        "mean_ms": 1000 / statistics.median(rates),
        "page_types": dict(Counter(types_marked)),
        "page_type_changed_by_marker": changed,
    }
    return based, figures


# ---- processes ----------------------------------------------------------------------------------------
def proc_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def proc_cpu_s(pid: int, tid: int | None = None) -> float:
    """User + system CPU seconds of a process (or one of its threads)."""
    path = f"/proc/{pid}/task/{tid}/stat" if tid is not None else f"/proc/{pid}/stat"
    try:
        fields = Path(path).read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def thread_cpu(pid: int) -> dict[int, float]:
    try:
        tids = [int(t) for t in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        return {}
    return {tid: proc_cpu_s(pid, tid) for tid in tids}


class Broker:
    """A broker of our own, started and stopped by deploy/kafka-local.sh."""

    def __init__(self, data_dir: Path, log_dir: Path) -> None:
        try:
            self.port = free_port_pair()
        except RuntimeError as exc:
            raise BenchError(str(exc)) from exc
        self.data_dir = data_dir
        self.log_dir = log_dir
        self.env = dict(os.environ)
        self.env.update(
            KAFKA_PORT=str(self.port),
            KAFKA_CONTROLLER_PORT=str(self.port + 1),
            KAFKA_DATA_DIR=str(data_dir),
            KAFKA_WATCH_PID=str(os.getpid()),  # if this process dies without cleaning up, the broker follows
        )
        self.started = False
        self.pid: int | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _script(self, command: str, timeout: float) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(KAFKA_SCRIPT), command],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            start_new_session=True,  # Ctrl-C reaches us, not the script: the finally block stops it
        )

    def start(self) -> None:
        self.started = True  # from here on, stop() is due even if start fails half-way
        try:
            done = self._script("start", timeout=600)
        except subprocess.TimeoutExpired as exc:
            raise BenchError(f"deploy/kafka-local.sh start did not finish in {exc.timeout:.0f}s") from exc
        if done.returncode != 0:
            raise BenchError(
                f"could not start the broker (deploy/kafka-local.sh start, exit {done.returncode}; needs "
                f"Java 17+ and Maven):\n{done.stdout}{done.stderr}"
            )
        with contextlib.suppress(OSError, ValueError):
            self.pid = int((self.data_dir / "kafka.pid").read_text().strip())

    def stop(self) -> None:
        if not self.started:
            return
        self.started = False
        try:
            done = self._script("stop", timeout=90)
            if done.returncode != 0:
                print(f"pipeline bench: kafka-local.sh stop failed:\n{done.stdout}{done.stderr}", file=sys.stderr)
        except subprocess.TimeoutExpired:
            print("pipeline bench: kafka-local.sh stop timed out", file=sys.stderr)
        if self.pid is not None and Path(f"/proc/{self.pid}").exists():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        logs = self.data_dir / "logs"
        if logs.is_dir():
            with contextlib.suppress(OSError):
                shutil.copytree(logs, self.log_dir / "broker-logs", dirs_exist_ok=True)


class Worker:
    """One `sieve worker` subprocess in its own session; always stopped (SIGTERM, then SIGKILL)."""

    running: list[Worker] = []  # noqa: RUF012 - every worker still to stop, whatever happens

    def __init__(self, name: str, env: dict[str, str], log_path: Path) -> None:
        self.name = name
        self.web_port = free_port()
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sieve.cli", "worker", "--web-port", str(self.web_port)],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        Worker.running.append(self)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log_tail(self, lines: int = 30) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}{path}", timeout=5) as resp:
                return int(resp.status), bytes(resp.read())
        except urllib.error.HTTPError as exc:
            return int(exc.code), bytes(exc.read())
        except OSError:
            return 0, b""

    def readyz(self) -> list[int] | None:
        """The assigned input partitions once the worker is ready, else None."""
        if self.proc.poll() is not None:
            raise BenchError(f"worker {self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
        status, body = self.get("/readyz")
        if status != 200:
            return None
        return [int(p) for p in orjson.loads(body).get("assigned_partitions") or []]

    def metrics(self) -> dict[str, float]:
        status, body = self.get("/metrics")
        out: dict[str, float] = {}
        if status == 200:
            for line in body.decode().splitlines():
                if line and not line.startswith("#"):
                    name, _, value = line.rpartition(" ")
                    out[name] = float(value)
        return out

    def stop(self, timeout: float = 30.0) -> float:
        """SIGTERM; the seconds until it exited (SIGKILL to the process group after ``timeout``)."""
        start = time.monotonic()
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # anything it left behind in its session
        self._log.close()
        if self in Worker.running:
            Worker.running.remove(self)
        return time.monotonic() - start

    @classmethod
    def stop_all(cls) -> None:
        for worker in list(cls.running):
            worker.stop(timeout=30)


# ---- Kafka side -----------------------------------------------------------------------------------
@dataclass(slots=True)
class Sent:
    label: str
    index: int  # page index in the corpus
    size: int  # value bytes
    send_wall: float  # time.time() just before send()
    partition: int = -1
    offset: int = -1
    ts_ms: int = -1  # the input record's Kafka timestamp


@dataclass(frozen=True, slots=True)
class Output:
    topic: str
    partition: int  # of the raw input (from the record's source)
    offset: int
    ts_ms: int  # the output record's Kafka timestamp
    recv_wall: float  # time.time() when this script consumed it


@dataclass
class Topics:
    raw: str
    clean: str
    skipped: str
    dlq: str
    group: str

    @property
    def outputs(self) -> list[str]:
        return [self.clean, self.skipped, self.dlq]


@dataclass
class Collector:
    """Matches outputs to inputs by (partition, offset) of the raw record; counts per label."""

    sent: dict[tuple[int, int], Sent] = field(default_factory=dict)
    first: dict[tuple[int, int], Output] = field(default_factory=dict)
    pending: dict[tuple[int, int], list[Output]] = field(default_factory=dict)
    per_label: Counter[str] = field(default_factory=Counter)
    per_topic: Counter[str] = field(default_factory=Counter)
    expected: dict[str, int] = field(default_factory=dict)
    label_done_at: dict[str, float] = field(default_factory=dict)
    duplicates: int = 0
    total: int = 0
    last_output: float = field(default_factory=time.monotonic)
    on_label_done: list[Any] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    label_events: dict[str, asyncio.Event] = field(default_factory=dict)

    def register(self, sent: Sent) -> None:
        key = (sent.partition, sent.offset)
        self.sent[key] = sent
        for out in self.pending.pop(key, []):
            self._account(out)

    def add(self, out: Output) -> None:
        self.total += 1
        self.last_output = time.monotonic()
        key = (out.partition, out.offset)
        if key in self.sent:
            self._account(out)
        else:
            self.pending.setdefault(key, []).append(out)

    def _account(self, out: Output) -> None:
        key = (out.partition, out.offset)
        if key in self.first:
            self.duplicates += 1
            return
        self.first[key] = out
        self.per_topic[out.topic] += 1
        label = self.sent[key].label
        self.per_label[label] += 1
        if self.per_label[label] == self.expected.get(label, -1):
            self.label_done_at[label] = time.time()
            self._label_event(label).set()
            for callback in self.on_label_done:
                callback(label)
        self.changed.set()

    def _label_event(self, label: str) -> asyncio.Event:
        return self.label_events.setdefault(label, asyncio.Event())

    async def wait_label(self, label: str) -> None:
        """Until every page of ``label`` has an output (wait_outputs watches for stalls)."""
        await self._label_event(label).wait()

    def done(self, labels: Iterable[str]) -> bool:
        return all(self.per_label[lb] >= self.expected[lb] for lb in labels)

    def outputs(self, labels: Iterable[str]) -> list[tuple[Sent, Output]]:
        wanted = set(labels)
        return [(self.sent[k], o) for k, o in self.first.items() if self.sent[k].label in wanted]


async def create_topics(bootstrap: str, names: Sequence[str], partitions: int) -> None:
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic  # type: ignore[import-untyped]

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(n, partitions, 1, topic_configs={"max.message.bytes": str(MAX_MESSAGE_BYTES)}) for n in names]
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # until every partition has a leader
            described = await admin.describe_topics(list(names))
            leaders = [p.get("leader", -1) for t in described for p in t.get("partitions", [])]
            if len(leaders) == partitions * len(names) and min(leaders) >= 0:
                return
            await asyncio.sleep(0.2)
        raise BenchError(f"the topics {names} have no leaders after 30 s")
    finally:
        await admin.close()


async def consume_outputs(bootstrap: str, topics: Topics, partitions: int, collector: Collector) -> None:
    """Read the three output topics from the beginning into ``collector`` until cancelled."""
    from aiokafka import AIOKafkaConsumer, TopicPartition  # type: ignore[import-untyped]

    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=100,
        fetch_max_bytes=64 * 1024 * 1024,
        max_partition_fetch_bytes=MAX_MESSAGE_BYTES + 1024 * 1024,
    )
    await consumer.start()
    try:
        consumer.assign([TopicPartition(t, p) for t in topics.outputs for p in range(partitions)])
        while True:
            batches = await consumer.getmany(timeout_ms=200, max_records=1000)
            now = time.time()
            for records in batches.values():
                for r in records:
                    try:
                        source = orjson.loads(r.value or b"")["source"]
                        partition, offset = int(source["partition"]), int(source["offset"])
                    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                        print(f"  unreadable output record in {r.topic}@{r.offset}", file=sys.stderr)
                        continue
                    collector.add(Output(r.topic, partition, offset, int(r.timestamp), now))
    finally:
        await consumer.stop()


class Producer:
    """aiokafka producer of JSON envelopes, as a crawler sends them (key = URL)."""

    def __init__(self, bootstrap: str, topic: str, pages: list[Page], collector: Collector) -> None:
        from aiokafka import AIOKafkaProducer

        self.topic = topic
        self.pages = pages
        self.collector = collector
        self.producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap,
            max_request_size=MAX_MESSAGE_BYTES,
            max_batch_size=1024 * 1024,
            linger_ms=0,
            acks="all",
        )

    async def start(self) -> None:
        await self.producer.start()

    async def stop(self) -> None:
        await self.producer.stop()

    def _message(self, label: str, index: int) -> tuple[bytes, bytes]:
        url, html = marked(self.pages[index], label)
        envelope = {
            "url": url,
            "html": html,
            "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "status": 200,
            "crawl_id": label,
        }
        return url.encode("utf-8"), orjson.dumps(envelope)

    async def send(self, label: str, index: int, marker: str | None = None) -> tuple[Sent, asyncio.Future[Any]]:
        """Send page ``index`` marked with ``marker`` (default: the label); count it under ``label``."""
        key, value = self._message(marker or label, index)
        sent = Sent(label, index, len(value), time.time())
        future = await self.producer.send(self.topic, value=value, key=key)
        return sent, future

    async def settle(self, sent: Sent, future: asyncio.Future[Any]) -> None:
        meta = await future
        sent.partition, sent.offset, sent.ts_ms = meta.partition, meta.offset, int(meta.timestamp)
        self.collector.register(sent)

    async def passes(self, labels: Sequence[str], window: int) -> float:
        """Every page once per label, as fast as the worker(s) take them: ``window`` passes are sent at
        once, then one more each time the oldest outstanding pass has all its outputs, so the input lag
        stays between ``window - 1`` and ``window`` passes (the workers never wait, and their memory is
        compared at the same queue depth after each pass). Returns the seconds spent sending."""
        sending = 0.0
        settling: list[asyncio.Future[None]] = []
        self.collector.expected.update(dict.fromkeys(labels, len(self.pages)))  # (the caller may wait first)
        for i, label in enumerate(labels):
            if i >= window:
                await self.collector.wait_label(labels[i - window])
            start = time.monotonic()
            batch = [await self.send(label, index) for index in range(len(self.pages))]
            settling += [asyncio.ensure_future(self.settle(sent, future)) for sent, future in batch]
            sending += time.monotonic() - start
        await asyncio.gather(*settling)
        return sending

    async def paced(self, label: str, count: int, rate: float) -> None:
        """``count`` pages (cycling through the corpus) at ``rate`` pages/s, evenly spaced."""
        self.collector.expected[label] = count
        start = time.monotonic()
        settling = []
        for n in range(count):
            delay = start + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            cycle, index = divmod(n, len(self.pages))  # a new marker per cycle: repeats would be `unchanged`
            sent, future = await self.send(label, index, f"{label}{cycle + 1}")
            settling.append(asyncio.ensure_future(self.settle(sent, future)))
        await asyncio.gather(*settling)


async def wait_outputs(
    collector: Collector, labels: Sequence[str], stall: float, what: str, sender: asyncio.Future[Any] | None = None
) -> None:
    """Until every page of ``labels`` has an output; BenchError after ``stall`` s without a new one, or
    at once if a worker exited or ``sender`` (the task producing the pages) failed."""
    collector.last_output = time.monotonic()
    while not collector.done(labels):
        for w in Worker.running:
            if w.proc.poll() is not None:
                raise BenchError(f"{what}: worker {w.name} exited with {w.proc.returncode}:\n{w.log_tail()}")
        if sender is not None and sender.done() and not sender.cancelled() and sender.exception() is not None:
            raise BenchError(f"{what}: producing the pages failed: {sender.exception()!r}")
        collector.changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(collector.changed.wait(), 1.0)
        if time.monotonic() - collector.last_output > stall:
            missing = {lb: collector.expected[lb] - collector.per_label[lb] for lb in labels}
            missing = {k: v for k, v in missing.items() if v}
            raise BenchError(
                f"{what}: no new output for {stall:.0f}s; missing outputs per pass: {missing} "
                f"(outputs seen {collector.total}, duplicates {collector.duplicates})"
            )


# ---- sampling -------------------------------------------------------------------------------------
@dataclass
class Sampler:
    """VmRSS of the workers every ``interval`` seconds."""

    workers: list[Worker]
    interval: float = 0.25
    samples: list[tuple[float, str, float]] = field(default_factory=list)  # (time, worker, MB)

    async def run(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.interval)

    def sample(self) -> dict[str, float]:
        now = time.time()
        current = {}
        for w in self.workers:
            mb = proc_rss_mb(w.pid)
            if mb is not None:
                self.samples.append((now, w.name, mb))
                current[w.name] = mb
        return current

    def max_between(self, start: float, end: float) -> dict[str, float]:
        out: dict[str, float] = {}
        for t, name, mb in self.samples:
            if start <= t <= end:
                out[name] = max(out.get(name, 0.0), mb)
        return out


@dataclass
class CpuSnapshot:
    wall: float
    workers: dict[str, float]
    worker_threads: dict[str, dict[int, float]]
    broker: float
    bench: float
    machine: tuple[int, int, int]  # /proc/stat jiffies: (busy, total, steal), all CPUs


def machine_jiffies() -> tuple[int, int, int]:
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0, 0, 0
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    steal = values[7] if len(values) > 7 else 0
    total = sum(values[:8])
    return total - idle, total, steal


def cpu_snapshot(workers: list[Worker], broker_pid: int | None) -> CpuSnapshot:
    t = os.times()
    return CpuSnapshot(
        time.monotonic(),
        {w.name: proc_cpu_s(w.pid) for w in workers},
        {w.name: thread_cpu(w.pid) for w in workers},
        proc_cpu_s(broker_pid) if broker_pid else 0.0,
        t.user + t.system,
        machine_jiffies(),
    )


def cpu_usage(a: CpuSnapshot, b: CpuSnapshot, workers: list[Worker]) -> dict[str, Any]:
    """Cores used between two snapshots: per worker (main thread / busiest other thread), broker, bench."""
    wall = b.wall - a.wall
    per_worker = {}
    for w in workers:
        threads = {tid: b.worker_threads[w.name].get(tid, 0.0) - a.worker_threads[w.name].get(tid, 0.0)
                   for tid in b.worker_threads[w.name]}  # fmt: skip
        others = sorted((v for tid, v in threads.items() if tid != w.pid), reverse=True)
        per_worker[w.name] = {
            "cores": (b.workers[w.name] - a.workers[w.name]) / wall,
            "main_thread_cores": threads.get(w.pid, 0.0) / wall,
            "busiest_other_thread_cores": (others[0] if others else 0.0) / wall,
        }
    ncpu = os.cpu_count() or 1
    total = b.machine[1] - a.machine[1]
    busy = ncpu * (b.machine[0] - a.machine[0]) / total if total else math.nan
    ours = sum(v["cores"] for v in per_worker.values()) + (b.broker - a.broker + b.bench - a.bench) / wall
    return {
        "wall_s": wall,
        "workers": per_worker,
        "broker_cores": (b.broker - a.broker) / wall,
        "bench_cores": (b.bench - a.bench) / wall,
        "machine_busy_cores": busy,
        "other_processes_cores": max(0.0, busy - ours),
        "steal_cores": ncpu * (b.machine[2] - a.machine[2]) / total if total else math.nan,
    }


def metric_delta(before: dict[str, float], after: dict[str, float], prefix: str) -> float:
    return sum(v - before.get(k, 0.0) for k, v in after.items() if k.startswith(prefix))


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return ordered[rank]


def latency_figures(pairs: list[tuple[Sent, Output]], clean_topic: str) -> dict[str, Any]:
    """p50/p99 ms: input record timestamp → output record timestamp (``ts``), and send → consumed
    (``consumed``), for articles.clean records and for all outputs."""
    out: dict[str, Any] = {}
    for scope, chosen in (("clean", [p for p in pairs if p[1].topic == clean_topic]), ("all", pairs)):
        ts = [float(o.ts_ms - s.ts_ms) for s, o in chosen]
        consumed = [(o.recv_wall - s.send_wall) * 1000 for s, o in chosen]
        out[scope] = {
            "n": len(chosen),
            "ts_p50_ms": percentile(ts, 50),
            "ts_p99_ms": percentile(ts, 99),
            "consumed_p50_ms": percentile(consumed, 50),
            "consumed_p99_ms": percentile(consumed, 99),
        }
    return out


# ---- one configuration ------------------------------------------------------------------------------
@dataclass
class Config:
    bootstrap: str
    broker_pid: int | None
    pages: list[Page]
    passes: int
    partitions: int
    warmup: int
    broker_warmup: int
    window: int
    latency_pages: int
    latency_load: float
    stall: float
    worker_env: dict[str, str]
    run_id: str
    log_dir: Path
    data_dir: Path


def worker_env(cfg: Config, topics: Topics, data_dir: Path, name: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIEVE_")}
    env.update(
        SIEVE_KAFKA_BOOTSTRAP=cfg.bootstrap,
        SIEVE_TOPIC_RAW=topics.raw,
        SIEVE_TOPIC_CLEAN=topics.clean,
        SIEVE_TOPIC_SKIPPED=topics.skipped,
        SIEVE_TOPIC_DLQ=topics.dlq,
        SIEVE_GROUP_ID=topics.group,
        SIEVE_PARTITIONS=str(cfg.partitions),
        SIEVE_DATA_DIR=str(data_dir),
        SIEVE_WORKER_ID=name,
        PYTHONUNBUFFERED="1",
    )
    env.update(cfg.worker_env)
    return env


async def wait_assigned(workers: list[Worker], partitions: int, timeout: float = 120.0) -> dict[str, list[int]]:
    """Until every worker is ready and together they hold each input partition exactly once (stable 1 s)."""
    deadline = time.monotonic() + timeout
    stable_since: float | None = None
    last: dict[str, list[int]] = {}
    while time.monotonic() < deadline:
        current = {}
        for w in workers:
            current[w.name] = await asyncio.to_thread(w.readyz)
        owned = [p for parts in current.values() if parts for p in parts]
        good = all(current.values()) and sorted(owned) == list(range(partitions))
        if good and current == last:
            stable_since = stable_since or time.monotonic()
            if time.monotonic() - stable_since >= 1.0:
                return {k: v or [] for k, v in current.items()}
        else:
            stable_since = None
        last = {k: v for k, v in current.items() if v is not None}
        await asyncio.sleep(0.3)
    tails = "\n".join(f"--- {w.name} ---\n{w.log_tail()}" for w in workers)
    raise BenchError(f"workers not ready with all {partitions} partitions within {timeout:.0f}s ({last}):\n{tails}")


async def run_config(cfg: Config, n_workers: int, first: bool) -> dict[str, Any]:
    tag = f"w{n_workers}"
    prefix = f"bench{cfg.run_id}.{tag}"
    topics = Topics(
        f"{prefix}.pages.raw", f"{prefix}.articles.clean", f"{prefix}.pages.skipped", f"{prefix}.pages.dlq",
        f"bench{cfg.run_id}-{tag}",
    )  # fmt: skip
    print(f"\n== {n_workers} worker(s): topics {prefix}.*, group {topics.group}", file=sys.stderr)
    await create_topics(cfg.bootstrap, [topics.raw, *topics.outputs], cfg.partitions)
    collector = Collector()
    consumer = asyncio.ensure_future(consume_outputs(cfg.bootstrap, topics, cfg.partitions, collector))
    producer = Producer(cfg.bootstrap, topics.raw, cfg.pages, collector)
    workers: list[Worker] = []
    sampler_task: asyncio.Future[None] | None = None
    try:
        await producer.start()
        for i in range(n_workers):
            name = f"{tag}-{i + 1}"
            data = cfg.data_dir / f"sieve-{name}"
            data.mkdir(parents=True, exist_ok=True)
            workers.append(Worker(name, worker_env(cfg, topics, data, name), cfg.log_dir / f"{name}.log"))
        started = time.monotonic()
        assignment = await wait_assigned(workers, cfg.partitions)
        print(f"  ready in {time.monotonic() - started:.1f}s, partitions {assignment}", file=sys.stderr)
        sampler = Sampler(workers)
        sampler_task = asyncio.ensure_future(sampler.run())

        # warm-up, not counted: the worker's lazy imports, connections and table; on the first
        # configuration also the broker's JVM (cold, it spends about twice the CPU per page)
        warm = [f"warm{n}" for n in range(1, cfg.warmup + (cfg.broker_warmup if first else 0) + 1)]
        if warm:
            started = time.monotonic()
            collector.expected.update(dict.fromkeys(warm, len(cfg.pages)))
            sending = asyncio.ensure_future(producer.passes(warm, cfg.window))
            try:
                await wait_outputs(collector, warm, cfg.stall, "warm-up", sending)
            finally:
                if not sending.done():
                    sending.cancel()
            await sending
            print(f"  warm-up: {len(warm)} pass(es) in {time.monotonic() - started:.1f}s", file=sys.stderr)
        rss_idle = sampler.sample()

        # throughput: the passes, with --window passes queued ahead of the workers
        labels = [f"p{n}" for n in range(1, cfg.passes + 1)]
        pass_rss: dict[str, dict[str, float]] = {}

        pass_cpu: dict[str, dict[str, float]] = {}  # CPU ms per page of the pass: workers, broker
        last_cpu = [0.0, 0.0, time.time()]

        def on_pass(label: str) -> None:
            if label in labels:
                pass_rss[label] = sampler.sample()
                workers_s = sum(proc_cpu_s(w.pid) for w in workers)
                broker_s = proc_cpu_s(cfg.broker_pid) if cfg.broker_pid else 0.0
                n = len(cfg.pages)
                pass_cpu[label] = {
                    "workers_ms_per_page": 1000 * (workers_s - last_cpu[0]) / n,
                    "broker_ms_per_page": 1000 * (broker_s - last_cpu[1]) / n,
                    "pages_per_s": n / (time.time() - last_cpu[2]),
                }
                last_cpu[:] = [workers_s, broker_s, time.time()]
                c = pass_cpu[label]
                print(
                    f"  pass {label[1:]:>3}/{cfg.passes} done: "
                    + ", ".join(f"{k} RSS {v:.1f} MB" for k, v in pass_rss[label].items())
                    + f"; {c['pages_per_s']:.0f} pages/s, CPU ms/page workers {c['workers_ms_per_page']:.1f}, "
                    f"broker {c['broker_ms_per_page']:.1f}",
                    file=sys.stderr,
                )

        collector.on_label_done.append(on_pass)
        metrics_before = {w.name: await asyncio.to_thread(w.metrics) for w in workers}
        cpu_before = cpu_snapshot(workers, cfg.broker_pid)
        t0 = time.time()
        last_cpu[:] = [sum(cpu_before.workers.values()), cpu_before.broker, t0]
        collector.expected.update(dict.fromkeys(labels, len(cfg.pages)))
        sending = asyncio.ensure_future(producer.passes(labels, cfg.window))
        try:
            await wait_outputs(collector, labels, cfg.stall, f"{n_workers} worker(s), throughput", sending)
        finally:
            if not sending.done():
                sending.cancel()
        produce_s = await sending
        cpu_after = cpu_snapshot(workers, cfg.broker_pid)
        metrics_after = {w.name: await asyncio.to_thread(w.metrics) for w in workers}
        pairs = collector.outputs(labels)
        t_end = max(o.recv_wall for _, o in pairs)
        n_pages = len(pairs)
        window = t_end - t0
        throughput = n_pages / window
        first_pass_done = collector.label_done_at.get(labels[0], t0)
        steady = sampler.max_between(first_pass_done, t_end)
        cpu = cpu_usage(cpu_before, cpu_after, workers)
        per_worker: dict[str, Any] = {}
        for w in workers:
            b, a = metrics_before[w.name], metrics_after[w.name]
            pages_in = metric_delta(b, a, "sieve_pages_in_total")
            extract_s = metric_delta(b, a, "sieve_extraction_seconds_sum")
            per_worker[w.name] = {
                "pages_in": pages_in,
                "articles_out": metric_delta(b, a, "sieve_articles_out_total"),
                "skipped": metric_delta(b, a, "sieve_skipped_total"),
                "unchanged": metric_delta(b, a, "sieve_unchanged_total"),
                "dead_letters": metric_delta(b, a, "sieve_dead_letters_total"),
                "extract_mean_ms": 1000 * extract_s / pages_in if pages_in else math.nan,
                "extract_share_of_window": extract_s / window,
                "event_loop_lag_max_s": a.get("sieve_event_loop_lag_max_seconds", math.nan),
                "rss_idle_mb": rss_idle.get(w.name, math.nan),
                "rss_steady_max_mb": steady.get(w.name, math.nan),
                **cpu["workers"][w.name],
            }
        throughput_fig = {
            "pages": n_pages,
            "expected": len(labels) * len(cfg.pages),
            "duplicates": collector.duplicates,
            "per_topic": {t: sum(1 for _, o in pairs if o.topic == t) for t in topics.outputs},
            "window_s": window,
            "produce_s": produce_s,
            "pages_per_s": throughput,
            "latency_backlog": latency_figures(pairs, topics.clean),
            "pass_rss_mb": pass_rss,
            "pass_cpu": pass_cpu,
            "pass_done_s": {lb: collector.label_done_at.get(lb, math.nan) - t0 for lb in labels},
            "cpu": {k: v for k, v in cpu.items() if k not in ("workers", "wall_s")},
            "workers": per_worker,
        }
        print(f"  {n_pages} pages in {window:.1f}s: {throughput:.1f} pages/s", file=sys.stderr)

        # latency: a steady rate below capacity
        latency_fig: dict[str, Any] = {}
        if cfg.latency_pages:
            rate = max(1.0, cfg.latency_load * throughput)
            print(f"  latency: {cfg.latency_pages} pages at {rate:.1f} pages/s", file=sys.stderr)
            await producer.paced("lat", cfg.latency_pages, rate)
            await wait_outputs(collector, ["lat"], cfg.stall, f"{n_workers} worker(s), latency")
            latency_fig = {"rate_pages_per_s": rate, **latency_figures(collector.outputs(["lat"]), topics.clean)}
        rss_end = sampler.sample()
        stop_s = {w.name: w.stop() for w in workers}
        return {
            "workers": n_workers,
            "topics": topics.__dict__,
            "assignment": assignment,
            "throughput": throughput_fig,
            "latency": latency_fig,
            "rss_end_mb": rss_end,
            "stop_s": stop_s,
        }
    finally:
        if sampler_task is not None:
            sampler_task.cancel()
        for w in workers:
            w.stop()
        consumer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await consumer
        with contextlib.suppress(Exception):
            await producer.stop()


# ---- report -----------------------------------------------------------------------------------------
def machine() -> str:
    cpu = platform.processor()
    with contextlib.suppress(OSError):
        cpu = next(
            (
                ln.split(":", 1)[1].strip()
                for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")
            ),
            cpu,
        )
    return f"nproc {os.cpu_count()}, {cpu}, Python {platform.python_version()}, {platform.system()}"


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def rss_flatness(result: dict[str, Any]) -> tuple[float, str]:
    """How much higher (MB) any worker's RSS is in the second half of the passes than in the first half
    (pass 1 left out: warm-up). A leak keeps climbing, so its second half is higher; a high-water mark
    reached early (allocator arenas, buffers) is not growth."""
    per_pass: dict[str, dict[str, float]] = result["throughput"]["pass_rss_mb"]
    labels = list(per_pass)[1:] if len(per_pass) >= 3 else list(per_pass)
    if len(labels) < 2:
        return math.nan, "(needs 2+ passes)"
    half = len(labels) // 2
    first, second = labels[:half], labels[half:]
    growth = max(
        max(per_pass[lb].get(w, 0.0) for lb in second) - max(per_pass[lb].get(w, 0.0) for lb in first)
        for w in per_pass[labels[-1]]
    )
    return growth, f"max of passes {second[0][1:]}–{second[-1][1:]} vs {first[0][1:]}–{first[-1][1:]}"


def _join(items: Iterable[dict[str, Any]], key: str, spec: str) -> str:
    return ", ".join(format(item[key], spec) for item in items)


def command_line() -> str:
    return shlex.join(
        [
            os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else sys.executable,
            os.path.relpath(__file__, ROOT),
            *sys.argv[1:],
        ]
    )


def short(topic: str) -> str:
    """``bench….w1.articles.clean`` → ``articles.clean``."""
    return ".".join(topic.split(".")[-2:])


def summary(
    args: argparse.Namespace,
    extraction: dict[str, Any],
    results: dict[int, dict[str, Any]],
    load_start: str,
    date: str,
    command: str,
) -> tuple[list[str], list[tuple[str, str, bool]]]:
    ex = extraction["pages_per_s"]
    lines = [
        f"date     {date}",
        f"machine  {machine()}; load average {load_start} at start, {loadavg()} at end",
        f"command  {command}",
        f"corpus   {len(args.pages)} pages × {args.passes} passes = {len(args.pages) * args.passes} pages per "
        f"configuration, {min(args.window, args.passes)} pass(es) queued ahead; {args.partitions} partitions; "
        f"warm-up {args.warmup} pass(es) per configuration (+{args.broker_warmup} before the first); Kafka on "
        "127.0.0.1 (this script's own broker)",
        f"worker env  {' '.join(f'{k}={v}' for k, v in args.worker_env.items()) or '(defaults)'}",
        "",
        f"extraction only   {ex:7.1f} pages/s  ({extraction['mean_ms']:.2f} ms/page mean, median of "
        f"{len(extraction['rounds_pages_per_s'])} rounds, single process)",
        f"page types        {', '.join(f'{k} {v}' for k, v in sorted(extraction['page_types'].items()))}; "
        f"changed by the pass marker: {extraction['page_type_changed_by_marker']}",
        "",
        f"{'pipeline':<10} {'pages/s':>8} {'×extract':>8}   {'p50 ms':>7} {'p99 ms':>7}  {'(at pages/s)':>12}"
        f"   {'steady RSS MB':>13}  {'worker cores':>12}",
    ]
    for n, r in results.items():
        t, lat = r["throughput"], r["latency"]
        ws = t["workers"].values()
        rss = max(w["rss_steady_max_mb"] for w in ws)
        cores = "+".join(f"{w['cores']:.2f}" for w in ws)
        clean = lat.get("clean", {})
        lines.append(
            f"{n} worker{'s' if n > 1 else ' '}  {t['pages_per_s']:8.1f} {t['pages_per_s'] / ex:8.2f}   "
            f"{clean.get('ts_p50_ms', math.nan):7.0f} {clean.get('ts_p99_ms', math.nan):7.0f}  "
            f"{lat.get('rate_pages_per_s', math.nan):12.1f}   {rss:13.1f}  {cores:>12}"
        )
    lines.append(
        "  latency: produce → articles.clean record (Kafka timestamps), at the given steady load "
        f"({args.latency_load:.0%} of that configuration's throughput)"
    )
    for n, r in results.items():
        t = r["throughput"]
        back = t["latency_backlog"]["clean"]
        lines.append(
            f"  {n}w: {t['pages']}/{t['expected']} outputs "
            f"({', '.join(f'{short(k)} {v}' for k, v in t['per_topic'].items())}), "
            f"{t['duplicates']} duplicates; sending took {t['produce_s']:.1f}s of {t['window_s']:.1f}s; latency "
            f"at full load p50/p99 {back['ts_p50_ms'] / 1000:.1f}/{back['ts_p99_ms'] / 1000:.1f} s (queueing)"
        )
        c, ws, rate = t["cpu"], list(t["workers"].values()), t["pages_per_s"]
        worker_ms = 1000 * sum(w["cores"] for w in ws) / rate
        extract_ms = 1000 * sum(w["busiest_other_thread_cores"] for w in ws) / rate
        loop_ms = 1000 * sum(w["main_thread_cores"] for w in ws) / rate
        inline = args.worker_env.get("SIEVE_EXTRACT_IN", "").lower() == "inline"
        names = ("event loop + extraction", "busiest other thread") if inline else ("event loop", "extraction thread")
        lines.append(
            f"      CPU per page: workers {worker_ms:.1f} ms ({names[1]} {extract_ms:.1f}, {names[0]} "
            f"{loop_ms:.1f}, other threads {worker_ms - extract_ms - loop_ms:.1f}), broker "
            f"{1000 * c['broker_cores'] / rate:.1f}, bench {1000 * c['bench_cores'] / rate:.1f}; "
            f"extraction-only {extraction['mean_ms']:.1f}"
        )
        lines.append(
            f"      machine busy {c['machine_busy_cores']:.2f} of {os.cpu_count()} cores (other processes "
            f"{c['other_processes_cores']:.2f}, steal {c['steal_cores']:.2f}); worker extraction wall "
            f"{_join(ws, 'extract_mean_ms', '.1f')} ms/page, busy {_join(ws, 'extract_share_of_window', '.0%')} "
            "of the window; event-loop lag max "
            f"{_join(ws, 'event_loop_lag_max_s', '.3f')} s"
        )
    checks: list[tuple[str, str, bool]] = []
    if 1 in results:
        r1 = results[1]
        one = r1["throughput"]["pages_per_s"]
        rss_line = ", ".join(
            f"{lb[1:]}: {max(v.values()):.0f}" for lb, v in r1["throughput"]["pass_rss_mb"].items() if v
        )
        lines.append(f"1-worker RSS MB after each pass  {rss_line}")
        checks.append(
            (
                f"1 worker ≥ {TARGETS['pipeline_vs_extract']:.2f}× extraction-only",
                f"{one:.1f} vs {ex:.1f} pages/s = {one / ex:.2f}×",
                one >= TARGETS["pipeline_vs_extract"] * ex,
            )
        )
        if 2 in results:
            two = results[2]["throughput"]["pages_per_s"]
            checks.append(
                (
                    f"2 workers ≥ {TARGETS['scale_2w']:.1f}× 1 worker",
                    f"{two:.1f} vs {one:.1f} pages/s = {two / one:.2f}×",
                    two >= TARGETS["scale_2w"] * one,
                )
            )
        growth, span = rss_flatness(r1)
        checks.append(
            (
                f"1-worker RSS flat over {args.passes} passes (≤ +{TARGETS['rss_flat_mb']:.0f} MB)",
                f"{growth:+.1f} MB {span}" + ("" if args.passes >= 10 else f" (only {args.passes} passes)"),
                growth <= TARGETS["rss_flat_mb"],
            )
        )
    steady_all = [w["rss_steady_max_mb"] for r in results.values() for w in r["throughput"]["workers"].values()]
    checks.append(
        (
            f"steady worker RSS ≤ {TARGETS['rss_mb']:.0f} MB",
            f"max {max(steady_all):.1f} MB (any worker, after pass 1)",
            max(steady_all) <= TARGETS["rss_mb"],
        )
    )
    lines.append("targets")
    lines += [f"  {'PASS' if ok else 'FAIL'}  {what:<40} {got}" for what, got, ok in checks]
    return lines, checks


# ---- main -------------------------------------------------------------------------------------------
def _on_sigterm(signum: int, frame: types.FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--corpus",
        type=Path,
        metavar="DIR",
        default=SHARED / "corpus" / "scrapinghub",
        help="corpus folder with html/<id>.html.gz (and ground-truth.json for the URLs), or the html/ "
        "folder itself (default: %(default)s)",
    )
    ap.add_argument("--passes", type=int, default=10, metavar="N", help="copies of the corpus sent (default: 10)")
    ap.add_argument(
        "--workers",
        default="1,2",
        metavar="LIST",
        help="worker counts to run, comma-separated (default: 1,2; the targets need both)",
    )
    ap.add_argument("--partitions", type=int, default=4, metavar="N", help="partitions per topic (default: 4)")
    ap.add_argument(
        "--window",
        type=int,
        default=2,
        metavar="N",
        help="passes queued ahead of the workers: the next pass is sent when the oldest queued one is "
        "done (default: 2; --window 0 = all passes at once, one big backlog)",
    )
    ap.add_argument(
        "--warmup", type=int, default=1, metavar="N", help="warm-up passes per configuration, not counted (1)"
    )
    ap.add_argument(
        "--broker-warmup",
        type=int,
        default=2,
        metavar="N",
        help="extra warm-up passes before the first configuration, for the broker's JVM (default: 2)",
    )
    ap.add_argument(
        "--latency-pages", type=int, default=362, metavar="N", help="pages of the steady-load latency phase (362)"
    )
    ap.add_argument(
        "--latency-load",
        type=float,
        default=0.5,
        metavar="F",
        help="rate of the latency phase, as a fraction of the measured throughput (default: 0.5)",
    )
    ap.add_argument(
        "--extract-rounds", type=int, default=3, metavar="N", help="timed extraction-only rounds (default: 3)"
    )
    ap.add_argument(
        "--worker-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the workers, e.g. SIEVE_EXTRACT_IN=inline or SIEVE_COMMIT_INTERVAL=1 "
        "(repeatable). SIEVE_* variables of this shell are NOT passed on: the workers run on sieve's defaults "
        "plus the bench's broker, topics and group, plus these",
    )
    ap.add_argument(
        "--stall-timeout",
        type=float,
        default=90.0,
        metavar="S",
        help="give up when no output arrives for S seconds (default: 90)",
    )
    ap.add_argument(
        "--dedup-compare",
        action="store_true",
        help="instead of the worker counts: the first count with SIEVE_DEDUP=off, then =on, and the ratio "
        "of their throughputs (what the duplicate_of stage costs)",
    )
    ap.add_argument("--keep", action="store_true", help="keep the broker's data directory (in /tmp)")
    ap.add_argument("--json", type=Path, metavar="PATH", help="also write every figure here as JSON")
    args = ap.parse_args(argv)
    try:
        args.worker_counts = list(dict.fromkeys(int(x) for x in args.workers.split(",") if x.strip()))
    except ValueError:
        ap.error("--workers takes a comma-separated list of counts, e.g. 1,2")
    if not args.worker_counts or min(args.worker_counts) < 1:
        ap.error("--workers: counts must be at least 1")
    if args.window < 0:
        ap.error("--window must be ≥ 0")
    args.window = args.window or args.passes
    if args.passes < 1 or args.partitions < 1 or args.extract_rounds < 1:
        ap.error("--passes, --partitions and --extract-rounds must be at least 1")
    if max(args.worker_counts) > args.partitions:
        ap.error("--partitions must be at least the largest worker count")
    if not 0 < args.latency_load <= 1.5 or min(args.latency_pages, args.warmup, args.broker_warmup) < 0:
        ap.error("--latency-load must be in (0, 1.5]; --latency-pages and the warm-ups must be ≥ 0")
    env: dict[str, str] = {}
    for item in args.worker_env:
        key, sep, value = item.partition("=")
        if not sep or not key:
            ap.error(f"--worker-env {item!r}: expected KEY=VALUE")
        env[key] = value
    args.worker_env = env
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        pages = load_corpus(args.corpus)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _on_sigterm)
    load_start = loadavg()
    run_id = dt.datetime.now().strftime("%m%d%H%M%S")
    log_dir = OUT / run_id
    log_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="sieve-bench-pipeline-"))
    print(f"{len(pages)} pages from {args.corpus}; logs in {os.path.relpath(log_dir, ROOT)}", file=sys.stderr)
    if float(load_start.split()[0] if load_start != "?" else 0) > 0.5:
        print(f"note: load average {load_start} at start: other work on this machine skews the figures",
              file=sys.stderr)  # fmt: skip

    print("extraction only ...", file=sys.stderr)
    pages, extraction = extraction_only(pages, args.extract_rounds)
    args.pages = pages
    broker = Broker(tmp / "kafka", log_dir)
    results: dict[int, dict[str, Any]] = {}
    try:
        print(f"starting a Kafka broker on {broker.bootstrap} (data in {broker.data_dir}) ...", file=sys.stderr)
        broker.start()
        cfg = Config(
            bootstrap=broker.bootstrap,
            broker_pid=broker.pid,
            pages=pages,
            passes=args.passes,
            partitions=args.partitions,
            warmup=args.warmup,
            broker_warmup=args.broker_warmup,
            window=min(args.window, args.passes),
            latency_pages=args.latency_pages,
            latency_load=args.latency_load,
            stall=args.stall_timeout,
            worker_env=args.worker_env,
            run_id=run_id,
            log_dir=log_dir,
            data_dir=tmp,
        )
        if args.dedup_compare:  # one worker count, the dedup stage off then on, in the same run
            for i, mode in enumerate(("off", "on")):
                env = {**cfg.worker_env, "SIEVE_DEDUP": mode}
                mode_cfg = replace(cfg, worker_env=env, run_id=f"{run_id}{mode}")
                results[i] = asyncio.run(run_config(mode_cfg, args.worker_counts[0], first=not results))
        else:
            for n in args.worker_counts:
                results[n] = asyncio.run(run_config(cfg, n, first=not results))
    except BenchError as exc:
        print(f"pipeline bench: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("pipeline bench: interrupted; stopping what was started", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # cleaning up: no second interruption
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        Worker.stop_all()
        broker.stop()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    if args.dedup_compare:
        off, on = (results[i]["throughput"]["pages_per_s"] for i in (0, 1))
        lat = [results[i]["latency"].get("clean", {}).get("ts_p50_ms", math.nan) for i in (0, 1)]
        print(f"\n---- dedup stage ({args.worker_counts[0]} worker(s), {command_line()}) ----")
        print(f"SIEVE_DEDUP=off {off:.1f} pages/s, on {on:.1f} pages/s: on/off = {on / off:.3f}")
        print(f"latency p50 at {args.latency_load:g} load: off {lat[0]:.0f} ms, on {lat[1]:.0f} ms (load {loadavg()})")
        return 0
    date = f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    command = command_line()
    lines, checks = summary(args, extraction, results, load_start, date, command)
    print("\n---- summary ----\n" + "\n".join(lines) + "\n-----------------")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_bytes(
            orjson.dumps(
                {
                    "date": date,
                    "machine": machine(),
                    "command": command,
                    "load_average_start": load_start,
                    "corpus_pages": len(pages),
                    "passes": args.passes,
                    "partitions": args.partitions,
                    "worker_env": args.worker_env,
                    "extraction_only": extraction,
                    "pipeline": {str(n): r for n, r in results.items()},
                    "targets": [{"target": what, "value": got, "pass": ok} for what, got, ok in checks],
                },
                option=orjson.OPT_INDENT_2,
            )
        )
        print(f"figures written to {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
