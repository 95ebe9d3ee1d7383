"""``sieve replay-dlq``: re-submit dead letters from ``pages.dlq`` once the cause is fixed.

A dead letter (``records.dead_letter``, schema ``dead-letter.json``) carries the failed message's
original key, value and headers. Replay restores them exactly and sends the message back:

* a raw page goes to ``SIEVE_TOPIC_RAW`` (or ``--to``);
* a message of an internal topic (``<group>.articles-by-id``, ``.links-by-url``, ``.simhash-bands``)
  goes back to that topic, recognised by the shape of its value (``letters.py`` says how, and why
  neither ``pages.raw`` nor the raw page named in ``source`` would do).

The range is fixed when the command starts: from the replay group's committed position (or the
oldest record, the first time, or with ``--from-beginning``) to the end offsets at start-up, so dead
letters that the replayed pages cause again are not replayed in the same run. After every batch the
broker acknowledged, the position is committed for the consumer group ``<SIEVE_GROUP_ID>.dlq-replay``
(``--group``), so an interrupted or repeated replay resumes instead of sending pages twice. Records
passed over by ``--kind``/``--stage`` are committed too: use ``--from-beginning`` (or another
``--group``) to look at them again. ``--dry-run`` sends and commits nothing and prints one JSON line
per dead letter it would replay.

A dead letter whose value was cut to fit the topic (``value_truncated``) cannot be restored and is
skipped; so is a record that is not a readable dead letter. Both are counted in the summary.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from sieve.pipeline.letters import Letter, Origin, parse_letter
from sieve.pipeline.records import Stage
from sieve.pipeline.settings import Settings, SettingsError, load
from sieve.progress import Progress

#: How many dead letters are sent before the producer is flushed and the position committed.
BATCH = 200


class ReplayError(Exception):
    """The replay cannot run (missing topic, unreachable broker): the message says why."""


@dataclass(frozen=True, slots=True)
class ReplayOptions:
    dlq_topic: str
    raw_topic: str
    internal_topic: str  # <group>.articles-by-id
    links_topic: str  # <group>.links-by-url
    bands_topic: str  # <group>.simhash-bands
    group: str
    kinds: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()
    max: int | None = None
    dry_run: bool = False
    from_beginning: bool = False


@dataclass(slots=True)
class ReplayReport:
    read: int = 0  # dead letters read in the range
    replayed: int = 0  # sent (or, with --dry-run, that would be sent)
    filtered: int = 0  # passed over by --kind / --stage
    truncated: int = 0  # value cut when the dead letter was written: cannot be restored
    unreadable: int = 0  # not a dead letter record
    by_topic: dict[str, int] = field(default_factory=dict)

    def summary(self, dry_run: bool) -> str:
        verb = "would replay" if dry_run else "replayed"
        where = ", ".join(f"{n} to {t}" for t, n in sorted(self.by_topic.items())) or "nothing"
        return (
            f"{verb} {self.replayed} of {self.read} dead letters ({where}); "
            f"{self.filtered} filtered out, {self.truncated} truncated, {self.unreadable} unreadable"
        )


def target_topic(letter: Letter, options: ReplayOptions) -> str:
    """Where a dead letter is replayed to: the topic its message was read from (raw pages: ``--to``)."""
    return {
        Origin.RAW: options.raw_topic,
        Origin.BY_ID: options.internal_topic,
        Origin.LINKS: options.links_topic,
        Origin.BANDS: options.bands_topic,
    }[letter.origin]


def _preview(data: bytes | None, limit: int = 120) -> str | None:
    if data is None:
        return None
    return data[:limit].decode("utf-8", "replace")


async def replay(settings: Settings, options: ReplayOptions, progress: Progress | None = None) -> ReplayReport:
    """Replay the dead letters of ``options.dlq_topic``; return the counts."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition  # type: ignore[import-untyped]

    from sieve.pipeline.cli import client_options

    options_common = client_options(settings)
    topics, partitions = await _metadata(options_common, options.dlq_topic)
    if options.dlq_topic not in topics:
        raise ReplayError(f"topic {options.dlq_topic} does not exist")
    if not options.dry_run and options.raw_topic not in topics:
        raise ReplayError(f"target topic {options.raw_topic} does not exist")
    consumer = AIOKafkaConsumer(
        **options_common,
        group_id=options.group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=settings.max_message_bytes + 1024 * 1024,
        fetch_max_bytes=max(64 * 1024 * 1024, settings.max_message_bytes + 1024 * 1024),
    )
    producer = None
    if not options.dry_run:
        producer = AIOKafkaProducer(
            **options_common,
            max_request_size=settings.max_message_bytes,
            compression_type=None if settings.compression == "none" else settings.compression,
            acks="all",
            linger_ms=5,
        )
    report = ReplayReport()
    await consumer.start()
    try:
        if producer is not None:
            await producer.start()
        tps = [TopicPartition(options.dlq_topic, p) for p in partitions]
        consumer.assign(tps)
        begin = await consumer.beginning_offsets(tps)
        end = await consumer.end_offsets(tps)
        start: dict[Any, int] = {}
        for tp in tps:
            committed = None if options.from_beginning else await consumer.committed(tp)
            start[tp] = max(begin[tp], committed) if committed is not None else begin[tp]
            consumer.seek(tp, start[tp])
        if progress is not None:
            progress.total = sum(max(0, end[tp] - start[tp]) for tp in tps)
        pending = [tp for tp in tps if start[tp] < end[tp]]
        consumer.pause(*[tp for tp in tps if tp not in pending])
        sent: list[asyncio.Future[Any]] = []
        to_commit: dict[Any, int] = {}
        out = sys.stdout.buffer

        async def flush() -> None:
            for future in sent:
                await future  # raises if the broker did not take it: nothing is committed then
            sent.clear()
            if to_commit and not options.dry_run:
                await consumer.commit(dict(to_commit))
            to_commit.clear()

        done = False
        while pending and not done:
            batches = await consumer.getmany(*pending, timeout_ms=500, max_records=BATCH)
            for tp, records in batches.items():
                for record in records:
                    if record.offset >= end[tp]:
                        break
                    if options.max is not None and report.replayed >= options.max:
                        done = True
                        break
                    report.read += 1
                    try:
                        await _handle(record, options, report, producer, sent, out, topics)
                    except ReplayError:
                        await flush()  # what was sent before is committed; this record is not
                        raise
                    to_commit[tp] = record.offset + 1
                    if progress is not None:
                        progress.advance()
                if done:
                    break
            for tp in list(pending):
                if (tp in to_commit and to_commit[tp] >= end[tp]) or await consumer.position(tp) >= end[tp]:
                    pending.remove(tp)
                    consumer.pause(tp)
            if options.max is not None and report.replayed >= options.max:
                done = True
            if len(sent) >= BATCH or done or not pending:
                await flush()
        await flush()
        out.flush()
    finally:
        if producer is not None:
            await producer.stop()
        await consumer.stop()
    return report


async def _metadata(client: Mapping[str, Any], topic: str) -> tuple[set[str], list[int]]:
    """The cluster's topic names and the partitions of ``topic`` (the consumer only learns about
    topics it subscribes to; this one is assigned by hand)."""
    from aiokafka.admin import AIOKafkaAdminClient  # type: ignore[import-untyped]

    admin = AIOKafkaAdminClient(**client)
    await admin.start()
    try:
        names = set(await admin.list_topics())
        partitions: list[int] = []
        if topic in names:
            for described in await admin.describe_topics([topic]):
                if described["topic"] == topic:
                    partitions = sorted(int(p["partition"]) for p in described["partitions"])
    finally:
        await admin.close()
    return names, partitions


async def _handle(
    record: Any,
    options: ReplayOptions,
    report: ReplayReport,
    producer: Any,
    sent: list[asyncio.Future[Any]],
    out: Any,
    topics: set[str],
) -> None:
    try:
        letter = parse_letter(record.value)
    except ValueError:
        report.unreadable += 1
        return
    if (options.kinds and letter.kind not in options.kinds) or (options.stages and letter.stage not in options.stages):
        report.filtered += 1
        return
    if letter.truncated:
        report.truncated += 1
        return
    target = target_topic(letter, options)
    if producer is not None and target not in topics:
        raise ReplayError(f"target topic {target} does not exist (a worker creates its internal topics when it starts)")
    report.replayed += 1
    report.by_topic[target] = report.by_topic.get(target, 0) + 1
    if producer is None:
        line = {
            "dlq": {"partition": record.partition, "offset": record.offset},
            "target": target,
            "origin": str(letter.origin),
            "kind": letter.kind,
            "stage": letter.stage,
            "source": letter.source,
            "key": _preview(letter.key),
            "value_bytes": None if letter.value is None else len(letter.value),
        }
        out.write(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))
        return
    sent.append(await producer.send(target, value=letter.value, key=letter.key, headers=letter.headers or None))


# ---- command line -------------------------------------------------------------------------------
def options_from_args(settings: Settings, args: argparse.Namespace) -> ReplayOptions:
    return ReplayOptions(
        dlq_topic=args.from_topic or settings.topic_dlq,
        raw_topic=args.to or settings.topic_raw,
        internal_topic=settings.topic_by_id,
        links_topic=settings.topic_links_by_url,
        bands_topic=settings.topic_bands,
        group=args.group or f"{settings.group_id}.dlq-replay",
        kinds=frozenset(args.kind or ()),
        stages=frozenset(args.stage or ()),
        max=args.max,
        dry_run=args.dry_run,
        from_beginning=args.from_beginning,
    )


def _cmd_replay(args: argparse.Namespace) -> int:
    try:
        settings = load()
        if args.bootstrap:
            settings = settings.with_overrides(bootstrap=args.bootstrap)
    except SettingsError as exc:
        print(f"sieve replay-dlq: {exc}", file=sys.stderr)
        return 2
    if args.max is not None and args.max < 0:
        print("sieve replay-dlq: --max must be 0 or more", file=sys.stderr)
        return 2
    options = options_from_args(settings, args)
    progress = Progress(None, "replay-dlq")
    from aiokafka.errors import KafkaError  # type: ignore[import-untyped]

    try:
        report = asyncio.run(replay(settings, options, progress))
    except ReplayError as exc:
        print(f"sieve replay-dlq: {exc}", file=sys.stderr)
        return 1
    except (KafkaError, OSError) as exc:
        print(f"sieve replay-dlq: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        progress.close()
    print(f"sieve replay-dlq: {report.summary(options.dry_run)}", file=sys.stderr)
    return 0


def register(sub: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Add ``replay-dlq`` to the ``sieve`` command's subparsers."""
    p = sub.add_parser(
        "replay-dlq",
        parents=list(parents),
        help="re-submit dead letters (pages.dlq) to pages.raw after a fix",
        description=(__doc__ or "").split("\n\n")[0],
    )
    p.add_argument("--max", type=int, metavar="N", help="replay at most N dead letters")
    p.add_argument("--kind", action="append", metavar="KIND", help="only dead letters of this error kind (repeatable)")
    p.add_argument(
        "--stage", action="append", choices=[str(s) for s in Stage], help="only dead letters of this stage (repeatable)"
    )
    p.add_argument("--dry-run", action="store_true", help="print what would be replayed; send and commit nothing")
    p.add_argument(
        "--from-beginning",
        action="store_true",
        help="start at the oldest dead letter, not where the last replay of this group stopped",
    )
    p.add_argument("--from-topic", metavar="TOPIC", help="dead-letter topic (default $SIEVE_TOPIC_DLQ)")
    p.add_argument("--to", metavar="TOPIC", help="topic for raw pages (default $SIEVE_TOPIC_RAW)")
    p.add_argument(
        "--group", help="consumer group that remembers the replay position (default $SIEVE_GROUP_ID.dlq-replay)"
    )
    p.set_defaults(func=_cmd_replay)
