"""The Kafka commands of ``sieve``: ``worker``, ``produce`` and ``tail``.

faust and aiokafka are imported inside the commands, so ``sieve --help`` stays fast.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from sieve.pipeline.settings import Settings, SettingsError, describe, load
from sieve.progress import Progress

DEFAULT_BASE_URL = "https://pages.sieve.invalid/"


def _settings(args: argparse.Namespace) -> Settings:
    settings = load()
    if getattr(args, "bootstrap", None):
        settings = settings.with_overrides(bootstrap=args.bootstrap)
    if getattr(args, "web_port", None) is not None:
        settings = settings.with_overrides(web_port=args.web_port)
    return settings


def client_options(settings: Settings) -> dict[str, Any]:
    """aiokafka client arguments (bootstrap, security) for the settings."""
    import ssl

    options: dict[str, Any] = {
        "bootstrap_servers": settings.bootstrap_servers,
        "security_protocol": settings.security_protocol,
    }
    if settings.security_protocol in ("SSL", "SASL_SSL"):
        context = ssl.create_default_context(cafile=settings.ssl_cafile or None)
        if settings.ssl_certfile:
            context.load_cert_chain(settings.ssl_certfile, settings.ssl_keyfile)
        options["ssl_context"] = context
    if settings.security_protocol.startswith("SASL_"):
        options.update(
            sasl_mechanism=settings.sasl_mechanism,
            sasl_plain_username=settings.sasl_username,
            sasl_plain_password=settings.sasl_password,
        )
    return options


# ---- worker -------------------------------------------------------------------------------------
def _cmd_worker(args: argparse.Namespace) -> int:
    if args.env:
        print(describe())
        return 0
    try:
        settings = _settings(args)
    except SettingsError as exc:
        print(f"sieve worker: {exc}", file=sys.stderr)
        return 2
    import asyncio

    import faust

    from sieve.pipeline.app import Pipeline
    from sieve.pipeline.topics import ensure_topics
    from sieve.pipeline.web import install

    limit_malloc_arenas()  # before the consumer and extraction threads exist
    pipeline = Pipeline(settings)  # builds the app, its topics and tables; nothing connects yet
    if settings.declare_topics:  # before subscribing: a topic created later is seen only minutes later
        changelogs = [table.changelog_topic.get_topic_name() for table in pipeline.app.tables.values()]
        try:
            asyncio.run(ensure_topics(settings, client_options(settings), changelogs=changelogs))
        except Exception as exc:  # any broker failure becomes a clear start-up error
            print(f"sieve worker: cannot create the topics on {settings.bootstrap}: {exc}", file=sys.stderr)
            return 1
    install(pipeline)
    worker = faust.Worker(pipeline.app, loglevel=settings.log_level, quiet=True)
    worker.execute_from_commandline()  # runs until SIGTERM/SIGINT, then exits the process
    return 0


#: glibc's mallopt() option number for the arena limit (M_ARENA_MAX in malloc.h).
_M_ARENA_MAX = -8


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Cap glibc's malloc arenas for this process, unless ``MALLOC_ARENA_MAX`` already says how many.

    glibc gives each thread that allocates its own arena (up to 8 per core); the worker's extraction
    thread builds and drops whole pages' worth of objects beside the event loop and the consumer
    thread, and freed memory in an extra arena is rarely handed back, so the worker's RSS sat 20-40 MB
    above what it uses (bench/pipeline.py: steady RSS). Two arenas keep the threads from contending on
    one lock. Returns whether the limit was set (False off glibc, or when the variable is set)."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to tune
        return False
    return bool(mallopt(_M_ARENA_MAX, arenas))


# ---- produce ------------------------------------------------------------------------------------
def _file_messages(paths: list[str], base_url: str, crawl_id: str) -> Iterator[tuple[bytes, bytes]]:
    for name in paths:
        path = Path(name)
        url = base_url + path.name
        envelope = {
            "url": url,
            "html": path.read_bytes().decode("utf-8", "replace"),
            "fetched_at": _now(),
            "status": 200,
            "crawl_id": crawl_id,
        }
        yield url.encode("utf-8"), orjson.dumps(envelope)


def _jsonl_messages(path: str, crawl_id: str) -> Iterator[tuple[bytes, bytes]]:
    stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    with stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            record = orjson.loads(line)
            url = record.get("url")
            if not isinstance(url, str) or not isinstance(record.get("html"), str):
                raise ValueError(f"{path}:{number}: each line needs a string url and html")
            envelope = {"url": url, "html": record["html"], "fetched_at": _now(), "crawl_id": crawl_id}
            yield url.encode("utf-8"), orjson.dumps(envelope)


def _now() -> str:
    from sieve.pipeline.records import now_iso

    return now_iso()


async def _produce(settings: Settings, topic: str, messages: Iterator[tuple[bytes, bytes]], total: int | None) -> int:
    from aiokafka import AIOKafkaProducer  # type: ignore[import-untyped]

    producer = AIOKafkaProducer(
        **client_options(settings), max_request_size=settings.max_message_bytes, linger_ms=10, acks="all"
    )
    progress = Progress(total, "produce")
    pending: list[asyncio.Future[Any]] = []
    await producer.start()
    try:
        for key, value in messages:
            pending.append(await producer.send(topic, value=value, key=key))
            if len(pending) >= 500:
                for future in pending:
                    await future
                    progress.advance()
                pending.clear()
        for future in pending:
            await future
            progress.advance()
    finally:
        await producer.stop()
        progress.close()
    return progress.done


def _cmd_produce(args: argparse.Namespace) -> int:
    if bool(args.pages) == bool(args.jsonl):
        print("sieve produce: give PAGE.html files or --jsonl FILE (not both)", file=sys.stderr)
        return 2
    try:
        settings = _settings(args)
    except SettingsError as exc:
        print(f"sieve produce: {exc}", file=sys.stderr)
        return 2
    crawl_id = args.crawl_id or time.strftime("crawl-%Y%m%dT%H%M%S")
    if args.jsonl:
        total = None
        if args.jsonl != "-":
            with open(args.jsonl, "rb") as fh:
                total = sum(1 for line in fh if line.strip())
        messages = _jsonl_messages(args.jsonl, crawl_id)
    else:
        total = len(args.pages)
        messages = _file_messages(args.pages, args.base_url, crawl_id)
    topic = args.topic or settings.topic_raw
    try:
        sent = asyncio.run(_produce(settings, topic, messages, total))
    except (OSError, ValueError) as exc:
        print(f"sieve produce: {exc}", file=sys.stderr)
        return 1
    print(f"sieve produce: {sent} pages sent to {topic}", file=sys.stderr)
    return 0


# ---- tail ---------------------------------------------------------------------------------------
async def _tail(settings: Settings, args: argparse.Namespace) -> int:
    from aiokafka import AIOKafkaConsumer

    topic = args.topic or settings.topic_clean
    consumer = AIOKafkaConsumer(
        topic,
        **client_options(settings),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest" if args.from_beginning else "latest",
        max_partition_fetch_bytes=settings.max_message_bytes,
    )
    await consumer.start()
    seen = 0
    last = time.monotonic()
    out = sys.stdout.buffer
    try:
        while args.max is None or seen < args.max:
            if args.idle_timeout is not None and time.monotonic() - last > args.idle_timeout:
                break
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                for record in records:
                    if args.max is not None and seen >= args.max:
                        break
                    seen += 1
                    last = time.monotonic()
                    out.write(_render(record.value, args.pretty))
            out.flush()
    finally:
        await consumer.stop()
    return seen


def _render(value: bytes | None, pretty: bool) -> bytes:
    if value is None:
        return b"null\n"
    try:
        data = orjson.loads(value)
    except orjson.JSONDecodeError:
        return value.rstrip(b"\n") + b"\n"
    option = orjson.OPT_APPEND_NEWLINE | (orjson.OPT_INDENT_2 if pretty else 0)
    return orjson.dumps(data, option=option)


def _cmd_tail(args: argparse.Namespace) -> int:
    try:
        settings = _settings(args)
    except SettingsError as exc:
        print(f"sieve tail: {exc}", file=sys.stderr)
        return 2
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_tail(settings, args))
    return 0


def register(sub: Any) -> None:
    """Add ``worker``, ``produce`` and ``tail`` to the ``sieve`` command's subparsers."""
    kafka = argparse.ArgumentParser(add_help=False)
    kafka.add_argument("--bootstrap", help="Kafka bootstrap servers (default $SIEVE_KAFKA_BOOTSTRAP)")

    p = sub.add_parser("worker", parents=[kafka], help="run a pipeline worker (configured by SIEVE_* variables)")
    p.add_argument("--web-port", type=int, help="HTTP port for /healthz, /readyz, /metrics (default 6066)")
    p.add_argument("--env", action="store_true", help="list the SIEVE_* environment variables and exit")
    p.set_defaults(func=_cmd_worker)

    p = sub.add_parser("produce", parents=[kafka], help="push HTML pages to the raw topic as a crawler would")
    p.add_argument("pages", nargs="*", metavar="PAGE.html", help="HTML files")
    p.add_argument("--jsonl", metavar="FILE", help='lines of {"id", "url", "html"} (- for stdin)')
    p.add_argument("--topic", help="target topic (default $SIEVE_TOPIC_RAW)")
    p.add_argument("--base-url", default=DEFAULT_BASE_URL, help="URL prefix for HTML files (+ file name)")
    p.add_argument("--crawl-id", help="crawl id written into each envelope (default: a timestamp)")
    p.set_defaults(func=_cmd_produce)

    p = sub.add_parser("tail", parents=[kafka], help="print records of a topic as they arrive")
    p.add_argument("--topic", help="topic to read (default $SIEVE_TOPIC_CLEAN)")
    p.add_argument("--from-beginning", action="store_true", help="start at the oldest record")
    p.add_argument("--max", type=int, help="stop after N records")
    p.add_argument("--idle-timeout", type=float, metavar="S", help="stop after S seconds without a record")
    p.add_argument("--pretty", action="store_true", help="indent JSON records")
    p.set_defaults(func=_cmd_tail)

    from sieve.pipeline.replay import register as register_replay  # replay-dlq lives in its own module

    register_replay(sub, [kafka])
