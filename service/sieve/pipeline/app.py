"""The faust app: raw pages in, article events / skipped pages / dead letters out.

Two agents, concurrency 1 each (faust-streaming#606), manual acks (``stream.noack()``), so an input
offset is committed only after every output it caused was acknowledged by the broker:

1. ``pages`` reads ``pages.raw``: decode the envelope, extract (on the event loop for pages up to
   256 KiB, in the extraction thread above that, see ``SIEVE_EXTRACT_IN``), then send non-articles to
   ``pages.skipped`` and re-key articles by their id onto the internal ``<group>.articles-by-id`` topic.
2. ``articles`` reads that topic, so every id always lands on the same partition as its entry in the
   changelog-backed ``article-versions`` table (content hash + revision): an unchanged re-crawl is only
   counted; a new or changed article goes to ``articles.clean`` with its revision.

Each agent goes on with the next message as soon as the outputs of one are handed to the producer
(which batches them): up to ``SIEVE_IN_FLIGHT`` messages wait for their deliveries, and
:class:`~sieve.pipeline.window.Window` acks them strictly in arrival order as they are confirmed, so no
offset is committed before every earlier one was processed. Outputs are sent in input order, so the
order per key is kept.

Every error is caught inside the loop and the message goes to ``pages.dlq``: per faust's semantics,
an exception escaping an agent would lose the message. If even the dead letter cannot be sent, it is
retried with back-off and the message (with everything after it) stays unacked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

import faust
import orjson
from faust.types import EventT, StreamT, TopicT

from sieve.contracts import Article, ExtractionError
from sieve.pipeline import records
from sieve.pipeline.envelope import EnvelopeError, RawPage, decode
from sieve.pipeline.metrics import LoopLagMonitor, Metrics
from sieve.pipeline.rebalance import SieveApp, mark_processed
from sieve.pipeline.records import Source, Stage
from sieve.pipeline.settings import Settings
from sieve.pipeline.window import Window

log = logging.getLogger("sieve.pipeline")

ExtractFn = Callable[..., Article]
Event = EventT[bytes]


@dataclass(slots=True)
class Sent:
    """A message's outputs handed to the producer: their deliveries, and what to do once they are
    confirmed (``on_delivered``) or failed (``on_failed``, before the message is dead-lettered)."""

    topic: str
    deliveries: list[Awaitable[Any]]
    on_delivered: Callable[[], None] | None = None
    on_failed: Callable[[], None] | None = None


Handler = Callable[[Event], Awaitable[Sent]]


#: ``SIEVE_EXTRACT_IN=auto``: pages up to this size are extracted on the event loop (a few ms, no
#: thread hand-over, no GIL contention with the loop); larger ones in the extraction thread, so that
#: no single page holds the loop for long.
INLINE_MAX_BYTES = 256 * 1024

#: Producer batch size (bytes per partition batch): articles are tens of KB, several share a batch.
PRODUCER_BATCH_BYTES = 1024 * 1024


def faust_env_names() -> frozenset[str]:
    """The environment variables faust reads its settings from (``CONSUMER_MAX_FETCH_SIZE``, ...)."""
    return frozenset(p.env_name for p in faust.Settings.SETTINGS.values() if p.env_name)


def warn_faust_env(environ: Mapping[str, str]) -> list[str]:
    """faust reads unprefixed variables (``PRODUCER_LINGER``, ``BROKER_COMMIT_INTERVAL``, ...) that
    would take priority over sieve's settings without a trace; the app is built with ``env={}`` so
    they are ignored. Warn about each one that is set; return their names."""
    found = sorted(faust_env_names() & environ.keys())
    if found:
        log.warning(
            "ignoring faust's environment variable(s) %s: the worker is configured by SIEVE_* only "
            "(sieve worker --env)",
            ", ".join(found),
        )
    return found


class Failure(Exception):
    """Why a message goes to the dead-letter topic: ``kind``, ``message`` and the ``stage`` it failed in."""

    def __init__(self, kind: str, message: str, stage: Stage) -> None:
        super().__init__(f"{stage}/{kind}: {message}")
        self.kind = kind
        self.message = message
        self.stage = stage


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

            extract = partial(default_extract, formats=settings.body_formats)  # SIEVE_BODY_FORMATS
        self.settings = settings
        self.extract = extract
        self.metrics = Metrics()
        self.loop_lag = LoopLagMonitor(self.metrics)
        self.executor = (
            ThreadPoolExecutor(1, thread_name_prefix="sieve-extract")
            if settings.extract_in in ("thread", "auto")
            else None
        )
        self.started_at = time.monotonic()
        self.last_progress = time.monotonic()
        self.positions: dict[tuple[str, int], int] = {}  # last processed input offset per partition
        self.agents_running = 0
        self.agent_error: str | None = None
        self.stopping = False
        warn_faust_env(os.environ)
        self.app = self._make_app()
        self._declare_topics()
        self.table = self.app.Table(
            "article-versions",
            default=None,
            partitions=settings.partitions,
            schema=faust.Schema(key_serializer="json", value_serializer="json"),
            help="article id -> {hash, revision}",
        )
        self._install_agents()

    # ---- app, topics --------------------------------------------------------------------------
    def _make_app(self) -> faust.App:
        s = self.settings
        return SieveApp(
            s.group_id,
            guarded_topics=(s.topic_raw, s.topic_by_id),
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
            producer_linger=s.linger_ms / 1000.0,
            producer_max_batch_size=PRODUCER_BATCH_BYTES,
            # Per partition and request; a larger message still comes through (alone in its fetch),
            # so this only bounds what is prefetched: the 10 MB limit does not need 10 MB fetches.
            consumer_max_fetch_size=s.fetch_bytes,
            # Events waiting in faust's queue of each topic ahead of the agent (the consumer prefetches
            # more): with the window in flight, a few hundred keep the agents fed and memory bounded.
            stream_buffer_maxsize=max(4 * s.in_flight, 64),
            key_serializer="raw",
            value_serializer="raw",
            web_enabled=True,
            web_bind=s.web_host,
            web_host=s.web_host,
            web_port=s.web_port,
            web_in_thread=False,
            env={},  # faust's own unprefixed variables would silently override these (see warn_faust_env)
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
        for topic in (self.clean, self.skipped, self.dlq):
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

    async def run_agent(self, stream: StreamT[bytes], handler: Handler) -> None:
        """Start each message in turn (``handler`` sends its outputs), keep up to ``in_flight`` of them
        waiting for their deliveries, and ack them in arrival order as they are delivered."""
        await self.declare_outputs()
        await self.app.maybe_start_producer()
        window: Window[Event] = Window(self.settings.in_flight, partial(self._ack, stream))
        acker = asyncio.ensure_future(window.run())
        self.agents_running += 1
        event: Event | None = None
        starting: asyncio.Future[asyncio.Future[bool]] | None = None
        try:
            manual: Any = cast(Any, stream).noack()  # StreamT does not declare noack()
            async for event in manual.events():
                await window.room()
                if window.blocked:
                    raise RuntimeError("an in-flight message failed unexpectedly; see the log")
                starting = asyncio.ensure_future(self.begin(event, handler))
                outcome = await asyncio.shield(starting)
                starting = None
                window.add(event, outcome)
        except asyncio.CancelledError:
            # Stopping (SIGTERM): finish the page being started and the ones in flight so they can be
            # acked and committed; what cannot finish in time stays unacked, for redelivery.
            self.stopping = True
            loop = asyncio.get_running_loop()
            deadline = loop.time() + self.settings.shutdown_grace
            acker.cancel()
            if starting is not None and event is not None:
                try:
                    window.add(event, await asyncio.wait_for(asyncio.shield(starting), self.settings.shutdown_grace))
                except (TimeoutError, asyncio.CancelledError):
                    starting.cancel()
            await window.finish(max(0.0, deadline - loop.time()))
            raise
        except BaseException as exc:
            self.agent_error = f"{type(exc).__name__}: {exc}"
            log.exception("agent crashed")
            raise
        finally:
            acker.cancel()
            self.agents_running -= 1

    async def _ack(self, stream: StreamT[bytes], event: Event) -> None:
        # Only an ack preceded by mark_processed lets the offset be committed (see rebalance.py).
        mark_processed(self.app, event.message)
        await stream.ack(event)
        self._progress(event)

    async def begin(self, event: Event, handler: Handler) -> asyncio.Future[bool]:
        """Run ``handler`` up to the sending of its outputs; the returned future settles the message:
        True once it may be acked (outputs delivered, or its dead letter delivered)."""
        try:
            sent = await handler(event)
        except Exception as exc:  # every error: the message must not be lost
            return asyncio.ensure_future(self.dead_letter_until_sent(event, _failure(exc)))
        return asyncio.ensure_future(self.settle(event, sent))

    async def settle(self, event: Event, sent: Sent) -> bool:
        try:
            for delivery in sent.deliveries:
                await delivery
        except Exception as exc:
            if sent.on_failed is not None:
                with contextlib.suppress(Exception):
                    sent.on_failed()
            failure = Failure("publish_failed", f"{sent.topic}: {_describe(exc)}", Stage.PUBLISH)
            return await self.dead_letter_until_sent(event, failure)
        if sent.on_delivered is not None:
            sent.on_delivered()
        return True

    async def dead_letter_until_sent(self, event: Event, failure: Failure) -> bool:
        """Send the dead letter of ``event``, retrying with back-off; False if stopping first."""
        delay = 1.0
        while True:
            try:
                await self.send_dead_letter(event, failure)
                return True
            except Exception:
                log.exception("could not send a dead letter; retrying in %.0fs", delay)
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
    async def handle_raw(self, event: Event) -> Sent:
        message = event.message
        self.metrics.pages_in.inc()
        try:
            page = decode(message.value, _headers(message), max_page_bytes=self.settings.max_page_bytes)
        except EnvelopeError as exc:
            raise Failure(str(exc.kind), exc.message, Stage.DECODE) from exc
        source = Source(message.topic, message.partition, message.offset, page.fetched_at, page.crawl_id)
        try:
            article = await self.run_extract(page)
        except ExtractionError as exc:
            raise Failure(str(exc.kind), exc.message, Stage.EXTRACT) from exc
        except Exception as exc:  # a bug in the extractor must not stop the stream
            raise Failure("extractor_crash", _describe(exc), Stage.EXTRACT) from exc
        data = article.to_dict()
        if article.page_type == "article":
            value, headers = records.by_id_message(data, source)
            return await self.send_value(self.settings.topic_by_id, article.id, value, headers)
        page_type = str(article.page_type)
        sent = await self.send(self.settings.topic_skipped, article.id, records.skipped_record(data, source))
        sent.on_delivered = partial(self.metrics.skipped.inc, 1, page_type)
        return sent

    async def run_extract(self, page: RawPage) -> Article:
        call = partial(self.extract, page.html, url=page.url or None, headers=page.headers or None)
        start = time.perf_counter()
        try:
            if self.executor is None or (self.settings.extract_in == "auto" and page.size <= INLINE_MAX_BYTES):
                return call()
            return await asyncio.get_running_loop().run_in_executor(self.executor, call)
        finally:
            self.metrics.extract_seconds.observe(time.perf_counter() - start)

    # ---- stage 2: article by id -> clean (new or changed) ------------------------------------
    async def handle_by_id(self, event: Event) -> Sent:
        message = event.message
        value = message.value or b""
        parts = records.split_by_id(value, _headers(message)) if message.headers else None
        article: dict[str, Any] | None = None
        if parts is not None:  # as written by handle_raw: no need to parse the article
            article_id, content_hash = parts.article_id, parts.content_hash
        else:
            try:
                record = orjson.loads(value)
                article = record["article"]
                source = Source.from_dict(record["source"])
                article_id = str(article["id"])
                content_hash = str(article["content_hash"])
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise Failure("bad_internal_record", _describe(exc), Stage.UPDATE) from exc
        previous = self.table.get(article_id)
        if isinstance(previous, dict) and previous.get("hash") == content_hash:
            self.metrics.unchanged.inc()
            return Sent(self.settings.topic_clean, [])
        revision = int(previous["revision"]) + 1 if isinstance(previous, dict) else 1
        if parts is not None:
            clean = parts.clean_event(revision)
        else:
            assert article is not None
            clean = records.dumps(records.clean_event(article, source, revision))
        sent = await self.send_value(self.settings.topic_clean, article_id, clean)
        # The table is updated now, so that the next version of this article (maybe already in this
        # window) counts from it; if the event then cannot be delivered, the entry is put back.
        entry = {"hash": content_hash, "revision": revision}
        self.table[article_id] = entry
        sent.on_delivered = partial(self._published, revision)
        sent.on_failed = partial(self._restore, article_id, entry, previous)
        return sent

    def _published(self, revision: int) -> None:
        self.metrics.articles_out.inc()
        if revision > 1:
            self.metrics.revisions.inc()

    def _restore(self, article_id: str, entry: dict[str, Any], previous: Any) -> None:
        if self.table.get(article_id) != entry:  # a later version took over meanwhile
            return
        if previous is None:
            del self.table[article_id]
        else:
            self.table[article_id] = previous

    # ---- output -------------------------------------------------------------------------------
    async def send(
        self,
        topic: str,
        key: str | bytes | None,
        record: Mapping[str, Any],
        headers: Sequence[tuple[str, bytes]] | None = None,
    ) -> Sent:
        """Hand one record to the producer (batched, compressed); its delivery is in the result."""
        return await self.send_value(topic, key, records.dumps(record), headers)

    async def send_value(
        self,
        topic: str,
        key: str | bytes | None,
        value: bytes,
        headers: Sequence[tuple[str, bytes]] | None = None,
    ) -> Sent:
        if len(value) > self.settings.max_message_bytes - 1024:
            raise Failure("event_too_large", f"the {topic} record would be {len(value)} bytes", Stage.PUBLISH)
        raw_key = key.encode("utf-8") if isinstance(key, str) else key
        try:
            delivery = await self.app.producer.send(
                topic, raw_key, value, partition=None, timestamp=None, headers=list(headers) if headers else None
            )
        except Exception as exc:
            raise Failure("publish_failed", f"{topic}: {_describe(exc)}", Stage.PUBLISH) from exc
        return Sent(topic, [delivery])

    async def publish(
        self,
        topic: str,
        key: str | bytes | None,
        record: Mapping[str, Any],
        headers: Sequence[tuple[str, bytes]] | None = None,
    ) -> None:
        """Send one record and wait until the broker acknowledged it."""
        sent = await self.send(topic, key, record, headers)
        try:
            for delivery in sent.deliveries:
                await delivery
        except Exception as exc:
            raise Failure("publish_failed", f"{topic}: {_describe(exc)}", Stage.PUBLISH) from exc

    async def send_dead_letter(self, event: Event, failure: Failure) -> None:
        message = event.message
        source = Source(message.topic, message.partition, message.offset)
        if message.topic == self.settings.topic_by_id:  # name the original raw page
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
        await self.publish(self.settings.topic_dlq, message.key, record, headers)
        self.metrics.dead_letters.inc(1, failure.kind, str(failure.stage))
        log.warning("dead letter %s at %s[%s]@%s", str(failure)[:300], *_coords(source))

    # ---- health -------------------------------------------------------------------------------
    def consumer_lag(self) -> dict[tuple[str, int], int]:
        """Messages behind the high watermark, per assigned partition of the topics we read."""
        lags: dict[tuple[str, int], int] = {}
        try:
            consumer = self.app.consumer
            assignment = consumer.assignment()
        except Exception:  # not started yet
            return lags
        for tp in assignment:
            if tp.topic not in (self.settings.topic_raw, self.settings.topic_by_id):
                continue
            try:
                high = consumer.highwater(tp)
            except Exception:
                continue
            if high is None:
                continue
            done = self.positions.get((tp.topic, tp.partition))
            lags[(tp.topic, tp.partition)] = max(0, int(high) - (done + 1 if done is not None else 0))
        return lags

    def refresh_gauges(self) -> dict[tuple[str, int], int]:
        lags = self.consumer_lag()
        self.metrics.consumer_lag.values.clear()
        for (topic, partition), lag in lags.items():
            self.metrics.consumer_lag.set(lag, topic, str(partition))
        self.metrics.assigned.set(sum(1 for topic, _ in lags if topic == self.settings.topic_raw))
        return lags

    def health(self) -> tuple[bool, dict[str, Any]]:
        lags = self.refresh_gauges()
        idle = time.monotonic() - self.last_progress
        behind = sum(lags.values())
        problems = []
        if self.agent_error:
            problems.append(f"agent crashed: {self.agent_error}")
        if behind > 0 and idle > self.settings.stall_seconds:
            problems.append(f"no progress for {idle:.0f}s while {behind} messages are waiting")
        body = {"ok": not problems, "problems": problems, "lag": behind, "idle_seconds": round(idle, 1)}
        body["event_loop_lag_max_seconds"] = round(self.loop_lag.max_recent, 4)
        return not problems, body

    def readiness(self) -> tuple[bool, dict[str, Any]]:
        lags = self.refresh_gauges()
        assigned = sorted(p for t, p in lags if t == self.settings.topic_raw)
        rebalancing = bool(getattr(self.app, "rebalancing", False))
        ready = self.agents_running >= 2 and not rebalancing and not self.stopping
        return ready, {"ready": ready, "rebalancing": rebalancing, "assigned_partitions": assigned}


def _failure(exc: Exception) -> Failure:
    return exc if isinstance(exc, Failure) else Failure("internal_error", _describe(exc), Stage.PUBLISH)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _coords(source: Source) -> tuple[str, int, int]:
    return source.topic, source.partition, source.offset
