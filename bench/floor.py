"""The floor of a faust worker on this machine: CPU per page that faust + aiokafka cost with no
extraction at all, next to what sieve's worker costs per page (bench/pipeline.py).

Issue 4 asks one worker to reach 0.75 × the extraction-only throughput, i.e. at most extraction ÷ 0.75
of worker CPU per page: about 1.2 ms per page for everything that is not extraction. This script
measures what the cheapest faust workers cost, on the same broker set-up, pages and consumer
settings as `sieve worker` (sieve's own faust app class, fetch batching included):

- ``forward``: one agent reads ``pages.raw`` (manual acks, concurrency 1, as sieve) and publishes one
  small record per page, naming its source offset, waiting for the broker's acknowledgement before
  acking the input: the least any pipeline with an output does;
- ``rekey``: the least update detection (issue 4): the page is re-keyed onto an internal topic, and a
  second agent sets an entry of a changelog-backed table and publishes the small record.

The bench starts its own broker (deploy/kafka-local.sh, free ports, a temporary data directory),
produces ``--passes`` copies of the corpus (as bench/pipeline.py does: JSON envelopes, key = URL,
uncompressed) to each mode's own topics, and reads the outputs back; the worker's CPU time is read
from /proc over the measured passes (after a warm-up pass). Figures only; no target is asserted.

    .venv/bin/python bench/floor.py [--passes 4] [--modes forward,rekey] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pipeline as pipeline_bench  # the sibling benchmark: broker, corpus and /proc helpers

MODES = ("forward", "rekey")
#: Partitions of each mode's topics (bench/pipeline.py's default).
PARTITIONS = 4
#: Bytes of the page carried on by ``rekey``: about a clean event's size (docs/capacity.md: p50 23 KiB).
EVENT_BYTES = 24_000


# ---- the floor worker (a subprocess: `floor.py --serve MODE ...`) -------------------------------
def serve(mode: str, bootstrap: str, prefix: str, partitions: int) -> None:
    import faust

    from sieve.pipeline.rebalance import SieveApp, mark_processed
    from sieve.pipeline.settings import Settings

    s = Settings()  # sieve's defaults: the same consumer, commit and producer settings as a worker
    app = SieveApp(
        f"{prefix}floor",
        guarded_topics=(f"{prefix}raw", f"{prefix}by-id"),
        fetch_min_bytes=s.fetch_min_bytes,
        fetch_max_wait_ms=s.fetch_max_wait_ms,
        broker=f"kafka://{bootstrap}",
        store="memory://",
        datadir=tempfile.mkdtemp(prefix="sieve-floor-"),
        autodiscover=False,
        topic_partitions=partitions,
        broker_commit_interval=s.commit_interval,
        producer_max_request_size=s.max_message_bytes,
        producer_compression_type=s.compression,
        consumer_max_fetch_size=s.max_message_bytes,
        key_serializer="raw",
        value_serializer="raw",
        web_enabled=False,
    )

    def topic(name: str) -> Any:
        return app.topic(f"{prefix}{name}", key_type=bytes, value_type=bytes, partitions=partitions, internal=True)

    raw, by_id, out = topic("raw"), topic("by-id"), topic("out")
    table = app.Table("versions", default=None, partitions=partitions)

    def source(message: Any) -> bytes:
        return orjson.dumps({"source": {"partition": message.partition, "offset": message.offset}})

    async def run(stream: Any, handle: Any) -> None:
        async for event in stream.noack().events():
            await handle(event.message)
            mark_processed(app, event.message)
            await stream.ack(event)

    async def pages(message: Any) -> None:
        if mode == "forward":
            await (await out.send(key=message.key, value=source(message)))
        else:  # rekey: a stand-in for the article event (about its size) goes on, with its source
            stand_in = message.value[:EVENT_BYTES].decode("utf-8", "replace")
            record = {"source": {"partition": message.partition, "offset": message.offset}, "event": stand_in}
            await (await by_id.send(key=message.key, value=orjson.dumps(record)))

    async def articles(message: Any) -> None:
        record = orjson.loads(message.value)
        table[message.key] = {"hash": "x", "revision": 1}
        await (await out.send(key=message.key, value=orjson.dumps({"source": record["source"]})))

    async def pages_agent(stream: Any) -> None:
        await run(stream, pages)

    async def articles_agent(stream: Any) -> None:
        await run(stream, articles)

    app.agent(raw, name="pages", concurrency=1)(pages_agent)
    if mode == "rekey":
        app.agent(by_id, name="articles", concurrency=1)(articles_agent)
    faust.Worker(app, loglevel="warning", quiet=True).execute_from_commandline()


# ---- the bench ---------------------------------------------------------------------------------
async def measure(
    mode: str, broker: pipeline_bench.Broker, pages: list[pipeline_bench.Page], passes: int, log_dir: Path
) -> dict[str, Any]:
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    bootstrap = broker.bootstrap

    partitions = PARTITIONS
    prefix = f"floor-{mode}-{os.getpid()}."
    await pipeline_bench.create_topics(bootstrap, [f"{prefix}{t}" for t in ("raw", "by-id", "out")], partitions)
    log = open(log_dir / f"floor-{mode}.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", mode, "--bootstrap", bootstrap, "--prefix", prefix],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=pipeline_bench.MAX_MESSAGE_BYTES)
    consumer = AIOKafkaConsumer(
        f"{prefix}out", bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await producer.start()
    await consumer.start()
    seen = 0

    async def send_pass(label: str) -> None:
        sends = []
        for page in pages:
            value = orjson.dumps({"url": f"{page.url}#{label}", "html": page.html, "crawl_id": label})
            sends.append(await producer.send(f"{prefix}raw", value=value, key=page.url.encode()))
        await asyncio.gather(*sends)

    async def wait_for(total: int, timeout: float = 300.0) -> None:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while seen < total:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise pipeline_bench.BenchError(f"floor worker ({mode}) stopped or stalled at {seen}/{total} outputs")
            batch = await consumer.getmany(timeout_ms=200)
            seen += sum(len(records) for records in batch.values())

    try:
        await send_pass("warm-up")  # start-up, assignment and the broker's first batches: not counted
        await wait_for(len(pages), timeout=180.0)
        cpu0, start = pipeline_bench.proc_cpu_s(proc.pid), time.monotonic()
        broker0 = pipeline_bench.proc_cpu_s(broker.pid) if broker.pid else 0.0
        for n in range(passes):
            await send_pass(f"p{n}")
        await wait_for(len(pages) * (passes + 1))
        elapsed = time.monotonic() - start
        cpu = pipeline_bench.proc_cpu_s(proc.pid) - cpu0
        broker_cpu = (pipeline_bench.proc_cpu_s(broker.pid) - broker0) if broker.pid else float("nan")
    finally:
        await consumer.stop()
        await producer.stop()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(30)
        log.close()
    count = len(pages) * passes
    return {
        "mode": mode,
        "pages": count,
        "pages_per_s": count / elapsed,
        "cpu_ms_per_page": 1000 * cpu / count,
        "broker_ms_per_page": 1000 * broker_cpu / count,
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=pipeline_bench.SHARED / "corpus" / "scrapinghub",
        help="corpus folder (default: %(default)s)",
    )
    parser.add_argument("--passes", type=int, default=4, help="measured copies of the corpus per mode (default: 4)")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated, of: " + ", ".join(MODES))
    parser.add_argument("--serve", choices=MODES, help=argparse.SUPPRESS)  # the worker subprocess
    parser.add_argument("--bootstrap", help=argparse.SUPPRESS)
    parser.add_argument("--prefix", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve:
        serve(args.serve, args.bootstrap, args.prefix, PARTITIONS)
        return 0
    # the new topics elect their leaders while the first fetches and sends go out: aiokafka retries them
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not modes or set(modes) - set(MODES):
        print(f"floor bench: --modes takes {', '.join(MODES)}", file=sys.stderr)
        return 2
    try:
        pages = pipeline_bench.load_corpus(args.corpus)
    except FileNotFoundError as exc:
        print(f"floor bench: {exc}", file=sys.stderr)
        return 2
    out = pipeline_bench.ROOT / "bench" / "out" / "floor"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sieve-bench-floor-") as tmp:
        broker = pipeline_bench.Broker(Path(tmp) / "kafka", out)
        try:
            broker.start()
            results = [asyncio.run(measure(m, broker, pages, args.passes, out)) for m in modes]
        except pipeline_bench.BenchError as exc:
            print(f"floor bench: {exc}", file=sys.stderr)
            return 1
        finally:
            broker.stop()
    size = sum(len(p.html) for p in pages) / len(pages) / 1024
    print(f"\n{len(pages)} pages (mean {size:.0f} KiB of HTML) × {args.passes} passes per mode; {os.cpu_count()} CPUs")
    print(f"{'mode':10s} {'pages/s':>8s} {'worker CPU ms/page':>19s} {'broker CPU ms/page':>19s}")
    for r in results:
        print(f"{r['mode']:10s} {r['pages_per_s']:8.1f} {r['cpu_ms_per_page']:19.2f} {r['broker_ms_per_page']:19.2f}")
    print("A sieve worker's CPU per page minus its extraction thread's is what it spends on Kafka and faust;")
    print("compare it with these floors (bench/pipeline.py prints both).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
