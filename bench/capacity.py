"""Figures for the capacity plan (docs/capacity.md): message sizes and the broker's produce throughput.

1. Sizes, on the 181 pages of ``../shared/corpus/scrapinghub/``: the raw HTML, the JSON envelope a
   crawler puts on ``pages.raw``, that envelope compressed with each codec Kafka offers (gzip, lz4,
   zstd, snappy; via cramjam, one message per batch: a page is larger than a producer batch, 16 KiB),
   the internal ``articles-by-id`` record and the ``articles.clean`` event sieve makes of each page
   (default body formats), raw and zstd-compressed (sieve's default output compression).
2. Broker: a broker of our own (deploy/kafka-local.sh, a temporary data directory and free ports,
   stopped at the end), one topic of ``--partitions``; ``--messages`` envelopes of the corpus (cycled)
   are produced with aiokafka (acks=all, as faust's producer) once per codec given; the figures are
   messages/s and MB/s of uncompressed envelope bytes, from the first send to the last
   acknowledgement, plus the bytes the broker's log holds per message. Then they are read back.

    .venv/bin/python bench/capacity.py [--messages 1000] [--codecs none,zstd,lz4] [--json out.json]
    .venv/bin/python bench/capacity.py --no-broker        # sizes only

On a shared machine the throughput figures move with the other jobs; the script prints the load.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cramjam
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pipeline as pipeline_bench  # the sibling benchmark: its broker helper

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "scrapinghub"
MAX_MESSAGE_BYTES = 16 * 1024 * 1024


Page = pipeline_bench.Page


def load_corpus(path: Path) -> list[Page]:
    try:
        return pipeline_bench.load_corpus(path)
    except FileNotFoundError as exc:
        raise SystemExit(f"capacity bench: {exc}") from exc


def envelope(page: Page) -> bytes:
    return orjson.dumps({"url": page.url, "html": page.html, "fetched_at": "2026-11-25T08:00:00Z", "crawl_id": "cap"})


# Kafka's codecs at the producer's default levels: gzip 6 (java.util.zip default), zstd 3, lz4 frame.
CODECS: dict[str, Callable[[bytes], Any]] = {
    "gzip": lambda b: cramjam.gzip.compress(b, level=6),
    "lz4": lambda b: cramjam.lz4.compress(b),
    "zstd": lambda b: cramjam.zstd.compress(b, level=3),
    "snappy": lambda b: cramjam.snappy.compress_raw(b),
}


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def dist(values: Sequence[float]) -> dict[str, float]:
    return {
        "mean": sum(values) / len(values),
        "p50": percentile(values, 0.5),
        "p95": percentile(values, 0.95),
        "max": max(values),
    }


def sizes(pages: list[Page]) -> dict[str, Any]:
    from sieve import extract
    from sieve.pipeline.records import Source, by_id_record, clean_event

    raw_html = [len(p.html.encode("utf-8")) for p in pages]
    envs = [envelope(p) for p in pages]
    out: dict[str, Any] = {
        "pages": len(pages),
        "html_bytes": dist(raw_html),
        "envelope_bytes": dist([len(e) for e in envs]),
    }
    compressed: dict[str, Any] = {}
    for name, codec in CODECS.items():
        sizes_c = [len(bytes(codec(e))) for e in envs]
        compressed[name] = dist(sizes_c) | {"ratio": sum(len(e) for e in envs) / sum(sizes_c)}
    out["envelope_compressed_bytes"] = compressed
    clean, by_id, clean_z, by_id_z, articles, ms = [], [], [], [], 0, []
    for i, page in enumerate(pages):
        start = time.perf_counter()
        article = extract(page.html.encode("utf-8"), url=page.url)
        ms.append((time.perf_counter() - start) * 1000)
        data = article.to_dict()
        source = Source("pages.raw", 0, i, "2026-11-25T08:00:00Z", "cap")
        if article.page_type == "article":
            articles += 1
        event = orjson.dumps(clean_event(data, source, 1))
        internal = orjson.dumps(by_id_record(data, source))
        clean.append(len(event))
        by_id.append(len(internal))
        clean_z.append(len(bytes(CODECS["zstd"](event))))
        by_id_z.append(len(bytes(CODECS["zstd"](internal))))
    out["articles"] = articles
    out["clean_event_bytes"] = dist(clean)
    out["clean_event_zstd_bytes"] = dist(clean_z)
    out["by_id_record_bytes"] = dist(by_id)
    out["by_id_record_zstd_bytes"] = dist(by_id_z)
    out["extract_ms"] = dist(ms)
    return out


def table_entry(n: int = 50_000) -> dict[str, float]:
    """One ``article-versions`` entry: its changelog record (JSON key + value) and what the memory
    store holds per entry (a str key and a dict value, as the table keeps them), by tracemalloc over
    ``n`` entries shaped like the real ones."""
    import tracemalloc

    key, value = "0123456789abcdef", {"hash": "0123456789abcdef0123456789abcdef", "revision": 1, "src": [7, 123456789]}
    wire = len(orjson.dumps(key)) + len(orjson.dumps(value))
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    table = {f"{i:016x}": {"hash": f"{i:032x}", "revision": 1, "src": [i % 128, i]} for i in range(n)}
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del table
    return {"changelog_record_bytes": wire, "memory_bytes_per_entry": used / n}


# ---- broker ------------------------------------------------------------------------------------
class Broker(pipeline_bench.Broker):
    """The pipeline benchmark's own broker (deploy/kafka-local.sh on free ports), plus log sizes."""

    def log_bytes(self, topic: str) -> int:
        total = 0
        for path in self.data_dir.rglob("*.log"):
            if path.parent.name.startswith(topic + "-"):
                total += path.stat().st_size
        return total


async def produce_run(bootstrap: str, topic: str, messages: list[bytes], codec: str) -> dict[str, float]:
    from aiokafka import AIOKafkaProducer

    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        compression_type=None if codec == "none" else codec,
        max_request_size=MAX_MESSAGE_BYTES,
        linger_ms=5,
    )
    await producer.start()
    try:
        await (await producer.send(topic, b"warm-up"))  # metadata and connection before the clock starts
        start = time.perf_counter()
        futures = [await producer.send(topic, m) for m in messages]
        for f in futures:
            await f
        seconds = time.perf_counter() - start
    finally:
        await producer.stop()
    total = sum(len(m) for m in messages)
    return {"seconds": seconds, "msgs_per_s": len(messages) / seconds, "mb_per_s": total / seconds / 1e6}


async def consume_run(bootstrap: str, topic: str, expect: int) -> dict[str, float]:
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_bytes=64 * 1024 * 1024,
        max_partition_fetch_bytes=MAX_MESSAGE_BYTES + 1024 * 1024,
    )
    await consumer.start()
    got = nbytes = 0
    try:
        await consumer.getmany(timeout_ms=0)
        start = time.perf_counter()
        deadline = start + 120
        while got < expect and time.perf_counter() < deadline:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                got += len(records)
                nbytes += sum(len(r.value or b"") for r in records)
        seconds = time.perf_counter() - start
    finally:
        await consumer.stop()
    return {"seconds": seconds, "msgs": got, "msgs_per_s": got / seconds, "mb_per_s": nbytes / seconds / 1e6}


async def broker_runs(
    broker: Broker, pages: list[Page], count: int, codecs: list[str], partitions: int
) -> dict[str, Any]:
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    envs = [envelope(p) for p in pages]
    messages = [envs[i % len(envs)] for i in range(count)]
    admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap)
    await admin.start()
    try:
        for codec in codecs:
            config = {"max.message.bytes": str(MAX_MESSAGE_BYTES), "compression.type": "producer"}
            await admin.create_topics([NewTopic(f"capacity.{codec}", partitions, 1, topic_configs=config)])
    finally:
        await admin.close()
    results: dict[str, Any] = {}
    for codec in codecs:
        topic = f"capacity.{codec}"
        produced = await produce_run(broker.bootstrap, topic, messages, codec)
        await asyncio.sleep(1)
        produced["log_bytes_per_msg"] = broker.log_bytes(topic) / (count + 1)
        consumed = await consume_run(broker.bootstrap, topic, count + 1)
        results[codec] = {"produce": produced, "consume": consumed}
        print(
            f"  {codec:<6} produce {produced['msgs_per_s']:7.0f} msgs/s {produced['mb_per_s']:6.1f} MB/s; "
            f"log {produced['log_bytes_per_msg'] / 1024:6.1f} KiB/msg; "
            f"read back {consumed['msgs_per_s']:7.0f} msgs/s {consumed['mb_per_s']:6.1f} MB/s",
            flush=True,
        )
    results["messages"] = count
    results["payload_bytes"] = sum(len(m) for m in messages)
    return results


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "loadavg": os.getloadavg(),
        "command": " ".join([".venv/bin/python", *sys.argv]),
    }


def kib(x: float) -> str:
    return f"{x / 1024:7.1f}"


def print_sizes(s: dict[str, Any]) -> None:
    print(f"sizes over {s['pages']} corpus pages ({s['articles']} articles), KiB    mean     p50     p95     max")
    rows = [("raw HTML", s["html_bytes"]), ("pages.raw envelope (JSON)", s["envelope_bytes"])]
    rows += [(f"  envelope {k} (ratio {v['ratio']:.2f})", v) for k, v in s["envelope_compressed_bytes"].items()]
    rows += [
        ("articles-by-id record", s["by_id_record_bytes"]),
        ("  zstd", s["by_id_record_zstd_bytes"]),
        ("articles.clean event", s["clean_event_bytes"]),
        ("  zstd", s["clean_event_zstd_bytes"]),
    ]
    for name, d in rows:
        print(f"  {name:<42}{kib(d['mean'])} {kib(d['p50'])} {kib(d['p95'])} {kib(d['max'])}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--messages", type=int, default=1000, help="messages produced per codec (default 1000)")
    ap.add_argument(
        "--codecs", default="none,zstd,lz4", help="producer compressions to run (none,gzip,lz4,zstd,snappy)"
    )
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--no-broker", action="store_true", help="sizes only")
    ap.add_argument("--json", type=Path, help="write every figure as JSON")
    args = ap.parse_args(argv)

    pages = load_corpus(args.corpus)
    result: dict[str, Any] = {"machine": machine()}
    result["sizes"] = sizes(pages)
    result["sizes"]["table_entry"] = entry = table_entry()
    print_sizes(result["sizes"])
    print(
        f"  article-versions entry: changelog record {entry['changelog_record_bytes']} B (key + value JSON), "
        f"memory store {entry['memory_bytes_per_entry']:.0f} B"
    )
    if not args.no_broker:
        data_dir = Path(tempfile.mkdtemp(prefix="sieve-capacity-kafka-"))
        broker = Broker(data_dir / "kafka", data_dir)
        try:
            try:
                broker.start()
            except pipeline_bench.BenchError as exc:
                print(f"capacity bench: {exc}", file=sys.stderr)
                return 1
            codecs = [c.strip() for c in args.codecs.split(",") if c.strip()]
            print(f"broker: {args.messages} envelopes per codec, {args.partitions} partitions, acks=all, one producer")
            result["broker"] = asyncio.run(broker_runs(broker, pages, args.messages, codecs, args.partitions))
        finally:
            broker.stop()
            shutil.rmtree(data_dir, ignore_errors=True)
    result["machine"]["loadavg_end"] = os.getloadavg()
    m = result["machine"]
    print(f"machine: nproc {m['nproc']}, {m['cpu']}, Python {m['python']}, load {m['loadavg']} -> {m['loadavg_end']}")
    print(f"command: {m['command']}  ({m['date']})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
