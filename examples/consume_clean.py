"""Read sieve's ``articles.clean`` and drop what at-least-once delivery repeats.

sieve publishes each article event at least once: after a worker crash, the pages it had processed
but not committed are processed again and their events come out a second time, with the same ``id``
and ``revision``. A changed article comes out with ``revision + 1``. So a consumer keeps, per ``id``,
the highest ``revision`` it has seen, and drops any event whose revision is not above it: a
re-delivery (same revision) or an out-of-date copy (lower revision).

    python examples/consume_clean.py --bootstrap 127.0.0.1:9092 --from-beginning
    python examples/consume_clean.py --max 100 --timeout 30 --full > events.jsonl

One JSON line per kept event on stdout (``id``, ``revision``, ``url``, ``title``; the whole event with
``--full``), a summary on stderr. The "seen" map lives in memory here; a real consumer keeps it where
it stores the articles (e.g. ``UPDATE ... WHERE revision < :revision``, or an upsert that keeps the
higher revision), so that it survives restarts. Needs only ``aiokafka`` (installed with sieve).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Any


def is_new(latest: MutableMapping[str, int], event: Mapping[str, Any]) -> bool:
    """True if ``event`` is newer than anything seen for its ``id`` (and remember it); False for a
    re-delivery (same revision) or an older revision."""
    article_id = str(event["id"])
    revision = int(event["revision"])
    seen = latest.get(article_id)
    if seen is not None and revision <= seen:
        return False
    latest[article_id] = revision
    return True


def deduplicate(
    events: Iterable[Mapping[str, Any]], latest: MutableMapping[str, int] | None = None
) -> Iterator[Mapping[str, Any]]:
    """The events of ``events`` that :func:`is_new` keeps, in order."""
    latest = {} if latest is None else latest
    for event in events:
        if is_new(latest, event):
            yield event


def _summary(event: Mapping[str, Any]) -> dict[str, Any]:
    return {k: event.get(k) for k in ("id", "revision", "url", "title")}


async def consume(args: argparse.Namespace) -> tuple[int, int]:
    from aiokafka import AIOKafkaConsumer  # imported here so the pure functions need no Kafka client

    consumer = AIOKafkaConsumer(
        args.topic,
        bootstrap_servers=args.bootstrap,
        group_id=args.group,  # None: no group, nothing committed
        auto_offset_reset="earliest" if args.from_beginning else "latest",
        enable_auto_commit=args.group is not None,
    )
    await consumer.start()
    latest: dict[str, int] = {}
    kept = dropped = 0
    deadline = time.monotonic() + args.timeout if args.timeout else None
    try:
        while args.max is None or kept < args.max:
            if deadline is not None and time.monotonic() >= deadline:
                break
            batches = await consumer.getmany(timeout_ms=500)
            for records in batches.values():
                for record in records:
                    event = json.loads(record.value or b"{}")
                    if not is_new(latest, event):
                        dropped += 1
                        continue
                    kept += 1
                    print(json.dumps(event if args.full else _summary(event), ensure_ascii=False), flush=True)
                    if args.max is not None and kept >= args.max:
                        break
    finally:
        await consumer.stop()
    return kept, dropped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092", help="Kafka bootstrap servers")
    parser.add_argument("--topic", default="articles.clean")
    parser.add_argument("--group", default=None, help="consumer group (commits offsets); default: none")
    parser.add_argument("--from-beginning", action="store_true", help="start at the oldest event")
    parser.add_argument("--max", type=int, default=None, help="stop after N kept events")
    parser.add_argument("--timeout", type=float, default=None, help="stop after this many seconds")
    parser.add_argument("--full", action="store_true", help="print whole events, not a summary")
    args = parser.parse_args(argv)
    kept, dropped = asyncio.run(consume(args))
    print(f"kept {kept} events, dropped {dropped} repeated or out-of-date ones", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
