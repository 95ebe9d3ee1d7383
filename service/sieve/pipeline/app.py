"""The faust app: raw pages in, article events / skipped pages / dead letters out.

Four agents, concurrency 1 each, manual acks (``stream.noack()``), so an input offset is committed
only after every output it caused was acknowledged by the broker:

1. ``pages`` reads ``pages.raw``: decode the envelope, extract (in a worker thread, so the event loop
   keeps serving heartbeats and commits), then publish non-articles to ``pages.skipped`` and re-key
   articles by their id onto the internal ``<group>.articles-by-id`` topic.
2. ``articles`` reads that topic, so every id always lands on the same partition as its entry in the
   changelog-backed ``article-versions`` table (content hash + revision): an unchanged re-crawl is only
   counted; a new or changed article goes to ``articles.clean`` with its revision.
3. ``links`` announces the pages' article links on ``links.discovered``, each URL once per TTL (links.py).
4. ``bands`` walks new or changed articles through SimHash band keys for ``duplicate_of`` (dedup.py).

Every error is caught inside the loop and the message goes to ``pages.dlq``: per faust's semantics,
an exception escaping an agent would lose the message. If even the dead letter cannot be sent, the
page is retried with back-off and never acked.

Two tasks run beside them: the event-loop lag monitor (metrics.py) and the stalled-commit monitor
(commits.py). Consumer lag, ``/healthz`` and ``/readyz`` are read from this module's state by
``Pipeline.probes`` (health.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from typing import Any, cast

import faust
import orjson
from faust.types import EventT, StreamT, TopicT

from sieve.contracts import Article, ExtractionError
from sieve.pipeline import records
from sieve.pipeline.commits import install_commit_monitor, unchanged
from sieve.pipeline.dedup import DedupStage, first_seen
from sieve.pipeline.envelope import EnvelopeError, RawPage, decode
from sieve.pipeline.health import Probes
from sieve.pipeline.links import LinkStage
from sieve.pipeline.metrics import LoopLagMonitor, Metrics
from sieve.pipeline.rebalance import SieveApp, mark_processed
from sieve.pipeline.records import Failure, Source, Stage
from sieve.pipeline.settings import Settings
from sieve.pipeline.tables import json_table

log = logging.getLogger("sieve.pipeline")

ExtractFn = Callable[..., Article]
Event = EventT[bytes]
Handler = Callable[[Event], Awaitable[None]]


def _credentials(s: Settings) -> faust.SASLCredentials | faust.SSLCredentials | None:
    context: ssl.SSLContext | None = None
    if s.security_protocol in ("SSL", "SASL_SSL"):
        context = ssl.create_default_context(cafile=s.ssl_cafile or None)
        if s.ssl_certfile:
            context.load_cert_chain(s.ssl_certfile, s.ssl_keyfile)
    if s.security_protocol.startswith("SASL_"):
        return faust.SASLCredentials(
            username=s.sasl_username,
            password=s.sasl_password,
            mechanism=s.sasl_mechanism,
            ssl_context=context,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None


def _headers(message: Any) -> list[tuple[str, bytes]]:
    raw = message.headers or ()
    items = raw.items() if isinstance(raw, Mapping) else raw
    return [(str(k), bytes(v) if v is not None else b"") for k, v in items]


class Pipeline:
    """One worker's faust app, its topics, table, metrics and health state."""

    def __init__(self, settings: Settings, extract: ExtractFn | None = None) -> None:
        if extract is None:
            from sieve import extract as default_extract

            extract = default_extract
        self.settings = settings
        self.extract = extract
        self.metrics = Metrics()
        self.loop_lag = LoopLagMonitor(self.metrics)
        self.executor = (
            ThreadPoolExecutor(1, thread_name_prefix="sieve-extract") if settings.extract_in == "thread" else None
        )
        self.started_at = time.monotonic()
        self.last_progress = time.monotonic()
        self.positions: dict[tuple[str, int], int] = {}  # last processed input offset per partition
        self.agents_running = 0
        self.agent_error: str | None = None
        self.stopping = False
        self.app = self._make_app()
        self._declare_topics()
        self.table = json_table(self.app, "article-versions", settings.partitions, "article id -> {hash, revision}")
        self._install_agents()
        self.links = LinkStage(self)  # links.discovered: its topics, table and agent (links.py)
        self.dedup = DedupStage(self)  # duplicate_of: the SimHash band topic, table and agent (dedup.py)
        self.probes = Probes(self)  # lag, /healthz and /readyz, read from the state above (health.py)

    # ---- app, topics --------------------------------------------------------------------------
    def _make_app(self) -> faust.App:
        s = self.settings
        return SieveApp(
            s.group_id,
            guarded_topics=s.input_topics,
            fetch_min_bytes=s.fetch_min_bytes,
            fetch_max_wait_ms=s.fetch_max_wait_ms,
            broker=[f"kafka://{server}" for server in s.bootstrap_servers],
            broker_credentials=_credentials(s),
            store=s.table_store,
            datadir=str(s.data_dir),
            autodiscover=False,
            topic_partitions=s.partitions,
            topic_replication_factor=s.replication,
            topic_allow_declare=s.declare_topics,
            broker_session_timeout=s.session_timeout,
            broker_heartbeat_interval=s.heartbeat_interval,
            broker_commit_interval=s.commit_interval,
            producer_max_request_size=s.max_message_bytes,
            producer_compression_type=None if s.compression == "none" else s.compression,
            consumer_max_fetch_size=s.max_message_bytes,
            key_serializer="raw",
            value_serializer="raw",
            web_enabled=True,
            web_bind=s.web_host,
            web_host=s.web_host,
            web_port=s.web_port,
            web_in_thread=False,
        )

    def _topic(self, name: str, *, internal: bool = False) -> TopicT:
        return self.app.topic(
            name,
            key_type=bytes,
            value_type=bytes,
            partitions=self.settings.partitions,
            replicas=self.settings.replication,
            internal=internal,  # faust creates internal topics before subscribing to them
            config={"max.message.bytes": str(self.settings.max_message_bytes)},
        )

    def _declare_topics(self) -> None:
        s = self.settings
        self.raw = self._topic(s.topic_raw, internal=True)
        self.by_id = self._topic(s.topic_by_id, internal=True)
        self.clean = self._topic(s.topic_clean)
        self.skipped = self._topic(s.topic_skipped)
        self.dlq = self._topic(s.topic_dlq)

    async def declare_outputs(self) -> None:
        """Create the output topics if missing (faust itself only creates the ones it reads)."""
        for topic in (self.clean, self.skipped, self.dlq, self.links.topic):
            await topic.maybe_declare()

    # ---- agents -------------------------------------------------------------------------------
    def _install_agents(self) -> None:
        pipeline = self

        async def pages(stream: StreamT[bytes]) -> None:
            await pipeline.run_agent(stream, pipeline.handle_raw)

        async def articles(stream: StreamT[bytes]) -> None:
            await pipeline.run_agent(stream, pipeline.handle_by_id)

        async def loop_lag() -> None:
            await pipeline.loop_lag.run()

        self.app.agent(self.raw, name="pages", concurrency=1)(pages)
        self.app.agent(self.by_id, name="articles", concurrency=1)(articles)
        self.app.task(loop_lag)
        self.commits = install_commit_monitor(self)  # a task that detects stalled offset commits

    async def run_agent(self, stream: StreamT[bytes], handler: Handler) -> None:
        await self.declare_outputs()
        self.agents_running += 1
        try:
            manual: Any = cast(Any, stream).noack()  # StreamT does not declare noack()
            event: Event
            async for event in manual.events():
                task = asyncio.ensure_future(self.process(event, handler))
                try:
                    done = await asyncio.shield(task)
                except asyncio.CancelledError:
                    # Stopping (SIGTERM, rebalance): finish the in-flight page so it can be acked and
                    # committed; if it cannot finish in time, leave it unacked for redelivery.
                    self.stopping = True
                    try:
                        done = await asyncio.wait_for(asyncio.shield(task), self.settings.shutdown_grace)
                    except (TimeoutError, asyncio.CancelledError):
                        task.cancel()
                        raise
                    if done:
                        await self._ack(stream, event)
                    raise
                if done:
                    await self._ack(stream, event)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            self.agent_error = f"{type(exc).__name__}: {exc}"
            log.exception("agent crashed")
            raise
        finally:
            self.agents_running -= 1

    async def _ack(self, stream: StreamT[bytes], event: Event) -> None:
        # Only an ack preceded by mark_processed lets the offset be committed (see rebalance.py).
        mark_processed(self.app, event.message)
        await stream.ack(event)

    async def process(self, event: Event, handler: Handler) -> bool:
        """Run ``handler``; on any error send a dead letter. True once the event may be acked."""
        delay = 1.0
        while True:
            try:
                await handler(event)
                self._progress(event)
                return True
            except Exception as exc:  # every error: the message must not be lost
                failure = exc if isinstance(exc, Failure) else Failure("internal_error", _describe(exc), Stage.PUBLISH)
                try:
                    await self.send_dead_letter(event, failure)
                    self._progress(event)
                    return True
                except Exception:
                    log.exception("could not send a dead letter; retrying the page in %.0fs", delay)
            if self.stopping:
                return False
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)

    def _progress(self, event: Event) -> None:
        self.last_progress = time.monotonic()
        self.metrics.last_progress.set(time.time())
        message = event.message
        self.positions[(message.topic, message.partition)] = message.offset

    # ---- stage 1: raw page -> skipped / by-id --------------------------------------------------
    async def handle_raw(self, event: Event) -> None:
        message = event.message
        self.metrics.pages_in.inc()
        source = Source(message.topic, message.partition, message.offset)
        try:
            page = decode(message.value, _headers(message), max_page_bytes=self.settings.max_page_bytes)
        except EnvelopeError as exc:
            raise Failure(str(exc.kind), exc.message, Stage.DECODE) from exc
        source = replace(source, fetched_at=page.fetched_at, crawl_id=page.crawl_id)
        try:
            article = await self.run_extract(page)
        except ExtractionError as exc:
            raise Failure(str(exc.kind), exc.message, Stage.EXTRACT) from exc
        except Exception as exc:  # a bug in the extractor must not stop the stream
            raise Failure("extractor_crash", _describe(exc), Stage.EXTRACT) from exc
        data = article.to_dict()
        await self.links.route(data, source)  # its article links, to their table partitions
        if article.page_type == "article":
            await self.publish(self.by_id, article.id, records.by_id_record(data, source))
        else:
            await self.publish(self.skipped, article.id, records.skipped_record(data, source))
            self.metrics.skipped.inc(1, str(article.page_type))

    async def run_extract(self, page: RawPage) -> Article:
        call = partial(self.extract, page.html, url=page.url or None, headers=page.headers or None)
        start = time.perf_counter()
        try:
            if self.executor is None:
                return call()
            return await asyncio.get_running_loop().run_in_executor(self.executor, call)
        finally:
            self.metrics.extract_seconds.observe(time.perf_counter() - start)

    # ---- stage 2: article by id -> clean (new or changed) ------------------------------------
    async def handle_by_id(self, event: Event) -> None:
        try:
            record = orjson.loads(event.message.value or b"")
            article: dict[str, Any] = record["article"]
            source = Source.from_dict(record["source"])
            article_id = str(article["id"])
            content_hash = str(article["content_hash"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise Failure("bad_internal_record", _describe(exc), Stage.UPDATE) from exc
        previous = self.table.get(article_id)
        if unchanged(previous, content_hash, source):  # same content, or a re-delivered input
            self.metrics.unchanged.inc()
            return
        revision = int(previous["revision"]) + 1 if isinstance(previous, dict) else 1
        first = first_seen(previous, event)  # to articles.clean through the band walk (dedup.py)
        await self.dedup.submit(records.clean_event(article, source, revision), first)
        src = [source.partition, source.offset]
        self.table[article_id] = {"hash": content_hash, "revision": revision, "src": src, "first": first}

    # ---- output -------------------------------------------------------------------------------
    async def publish(
        self,
        topic: TopicT,
        key: str | bytes | None,
        record: Mapping[str, Any],
        headers: Sequence[tuple[str, bytes]] | None = None,
        partition: int | None = None,
    ) -> None:
        """Send one record and wait until the broker acknowledged it."""
        await self.publish_many(topic, [(key, record, partition)], headers)

    async def publish_many(
        self,
        topic: TopicT,
        items: Sequence[tuple[str | bytes | None, Mapping[str, Any], int | None]],
        headers: Sequence[tuple[str, bytes]] | None = None,
    ) -> None:
        """Send every ``(key, record, partition)``, then wait until the broker acknowledged them all
        (one round trip, not one per record). No record is sent when one of them is too large."""
        name = topic.get_topic_name()
        limit = self.settings.max_message_bytes - 1024
        encoded = []
        for key, record, partition in items:
            value = records.dumps(record)
            if len(value) > limit:
                raise Failure("event_too_large", f"the {name} record would be {len(value)} bytes", Stage.PUBLISH)
            encoded.append((key.encode("utf-8") if isinstance(key, str) else key, value, partition))
        try:
            extra = list(headers) if headers else None
            pending = [await topic.send(key=k, value=v, headers=extra, partition=p) for k, v, p in encoded]
            await asyncio.gather(*pending)
        except Exception as exc:
            raise Failure("publish_failed", f"{name}: {_describe(exc)}", Stage.PUBLISH) from exc

    async def send_dead_letter(self, event: Event, failure: Failure) -> None:
        message = event.message
        source = Source(message.topic, message.partition, message.offset)
        if message.topic in self.settings.input_topics[1:]:  # internal: name the original raw page
            with contextlib.suppress(Exception):
                source = Source.from_dict(orjson.loads(message.value or b"")["source"])
        headers = _headers(message)
        record = records.dead_letter(
            key=message.key,
            value=message.value,
            headers=headers,
            kind=failure.kind,
            message=failure.message,
            stage=failure.stage,
            source=source,
            worker_id=self.settings.worker_id,
            max_bytes=self.settings.max_message_bytes,
        )
        await self.publish(self.dlq, message.key, record, headers)
        self.metrics.dead_letters.inc(1, failure.kind, str(failure.stage))
        log.warning("dead letter %s at %s[%s]@%s", str(failure)[:300], *_coords(source))


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _coords(source: Source) -> tuple[str, int, int]:
    return source.topic, source.partition, source.offset
