"""The syndicated-copies stage: ``duplicate_of`` on ``articles.clean``, across URLs and workers.

A new or changed article leaves stage 2 (``handle_by_id``) not for ``articles.clean`` but for a walk
through the SimHash band index (the pure logic, and why k + 1 bands find every pair within distance
k, is in ``sieve/dedup_bands.py``):

1. :meth:`DedupStage.submit` sends the clean event, wrapped in a band record ``{event, source, order,
   k, band: 0, match: null}``, to the internal topic ``<group>.simhash-bands``, on the partition that
   owns the key of band 0 (:func:`sieve.dedup_bands.band_partition`: CRC-32 of the key modulo
   ``SIEVE_PARTITIONS``).
2. Agent ``bands`` reads that topic. For band ``i`` it looks up the key in the table
   ``simhash-bands`` (key → list of entries ``[id, url, simhash, order ms]``), keeps the earliest
   entry seen before this article, of another id, within distance k, files the article under the key
   (an id already there is replaced, never added twice), goes on with the next bands as long as their
   keys live on this same partition (one message then does the work of several), and sends the
   record on to the partition of the next band. After the last band it publishes the event to
   ``articles.clean`` with ``duplicate_of`` = ``{id, url, distance}`` of the earliest match, or null.

**Why explicit partitions keep the table right.** faust writes a table change to the changelog
partition with the number of the partition of the event being processed, and gives the worker that
owns partition P of the source topic the table's changelog partition P. Every band key is always sent
to the same partition (CRC-32 is the same in every process; Python's ``hash()`` is salted per
process), so its list is written to, restored from and read on one changelog partition, owned by one
worker at a time. A record that arrives on another partition than its key's (a replayed dead letter,
a topic with another partition count) is forwarded to the right one first.

**Order, and the race it leaves.** "First seen" is the time stage 2 first saw the article id: the
timestamp of its ``articles-by-id`` message, kept in ``article-versions`` as ``first`` so that a later
revision keeps it; ties are broken by id. An article is only flagged as a copy of an entry with a
smaller order, so two copies can never name each other. Two copies whose walks overlap in time
(both in flight, each filing its keys after the other looked them up) may both come out unflagged:
the window is the few milliseconds of one walk, and an unflagged copy is exactly what sieve
published before this stage existed, so the loss is recall, never a wrong flag.

**At-least-once.** A re-delivered band record finds its own id in the key and skips it (same id is
never a candidate) and does not write the table again (the list is unchanged). The re-published
event may name an earlier copy that was still in flight the first time.

**Bounds.** Each key keeps at most ``MAX_ENTRIES_PER_KEY`` entries (the oldest go) of the last
``SIEVE_DEDUP_WINDOW``; a sweep on each partition, at most every window/4 (at least 60 s), deletes keys
whose entries all expired. Cost: about (k + 1) × 100 bytes of table per article in the window, and per
article at most k + 1 internal messages (each the clean event plus ~150 bytes; consecutive bands whose
keys share a partition share one) and k + 1 changelog writes of a key's whole list. Bodies under
``MIN_WORDS`` words are published at once with ``duplicate_of: null``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import orjson
from faust.types import EventT, StreamT

from sieve.dedup_bands import Entry, Match, band_key, band_partition, bands, earlier, indexable, visit
from sieve.pipeline.records import Failure, Stage
from sieve.pipeline.tables import SweepSchedule, json_table

if TYPE_CHECKING:
    from sieve.pipeline.app import Pipeline

Event = EventT[bytes]


def first_seen(previous: Any, event: Event) -> int:
    """The article's first-seen time in ms: kept from an earlier revision, else this message's timestamp."""
    if isinstance(previous, Mapping) and isinstance(previous.get("first"), int):
        return int(previous["first"])
    return int(float(event.message.timestamp or time.time()) * 1000)


def _match_json(match: Match | None) -> dict[str, Any] | None:
    return None if match is None else {"entry": match.entry.to_json(), "distance": match.distance}


def _match_from(data: Mapping[str, Any] | None) -> Match | None:
    return None if data is None else Match(Entry.from_json(data["entry"]), int(data["distance"]))


class DedupStage:
    """The band topic, the ``simhash-bands`` table and the ``bands`` agent of one worker."""

    def __init__(self, pipeline: Pipeline, clock: Callable[[], float] = time.time) -> None:
        s = pipeline.settings
        self.pipeline = pipeline
        self.enabled = s.dedup
        self.k = s.dedup_distance
        self.window_ms = int(s.dedup_window * 1000)
        self.partitions = s.partitions
        self.clock = clock
        self.topic = pipeline._topic(s.topic_bands, internal=True)
        self.table = json_table(
            pipeline.app, "simhash-bands", s.partitions, "SimHash band key -> [[id, url, simhash, first-seen ms], ...]"
        )
        self.sweeps = SweepSchedule(max(self.window_ms / 4000, 60.0))

        async def bands_agent(stream: StreamT[bytes]) -> None:
            await pipeline.run_agent(stream, self.handle)

        pipeline.app.agent(self.topic, name="bands", concurrency=1)(bands_agent)

    # ---- from stage 2 ---------------------------------------------------------------------------
    async def submit(self, event: dict[str, Any], first_ms: int) -> None:
        """Publish a new or changed article: through the band walk, or at once (stage off, short body)."""
        if not self.enabled:
            await self.publish(event, None, flagged=False)
            return
        if not indexable(int(event.get("word_count") or 0)):
            await self.publish(event, None)
            return
        record = {"event": event, "source": event["source"], "order": first_ms, "k": self.k, "band": 0, "match": None}
        await self._forward(record)

    async def _forward(self, record: dict[str, Any], key: str | None = None) -> None:
        """Send ``record`` to the partition owning the key of its band (``key``, when already known)."""
        key = key or self._key(record)
        partition = band_partition(key, self.partitions)
        event_id = str(record["event"]["id"])
        await self.pipeline.publish(self.topic, event_id, record, partition=partition)

    @staticmethod
    def _key(record: Mapping[str, Any]) -> str:
        k, band = int(record["k"]), int(record["band"])
        return band_key(k, band, bands(int(str(record["event"]["simhash"]), 16), k)[band])

    # ---- agent ``bands`` --------------------------------------------------------------------------
    async def handle(self, event: Event) -> None:
        message = event.message
        try:
            record: dict[str, Any] = orjson.loads(message.value or b"")
            article = record["event"]
            k, band = int(record["k"]), int(record["band"])
            me = Entry(str(article["id"]), article.get("url"), int(str(article["simhash"]), 16), int(record["order"]))
            values = bands(me.simhash, k)
            key = band_key(k, band, values[band])
            best = _match_from(record.get("match"))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, IndexError) as exc:
            raise Failure("bad_internal_record", f"{type(exc).__name__}: {exc}", Stage.UPDATE) from exc
        if band_partition(key, self.partitions) != message.partition:
            await self._forward(record, key)  # not this partition's key: send it where its entries live
            return
        now_ms = int(self.clock() * 1000)
        writes: list[tuple[str, list[Entry] | None]] = []
        while True:  # this band, and the next ones as long as their keys live on this same partition
            try:
                entries = [Entry.from_json(e) for e in self.table.get(key) or ()]
            except (KeyError, TypeError, ValueError, IndexError) as exc:
                raise Failure("bad_internal_record", f"{key}: {type(exc).__name__}: {exc}", Stage.UPDATE) from exc
            match, updated = visit(entries, me, k, now_ms=now_ms, window_ms=self.window_ms)
            best = earlier(best, match)
            writes.append((key, updated))
            band += 1
            if band > k:
                break
            key = band_key(k, band, values[band])
            if band_partition(key, self.partitions) != message.partition:
                break
        if band <= k:
            await self._forward({**record, "band": band, "match": _match_json(best)}, key)
        else:
            await self.publish(article, best)
        for written, updated in writes:  # after the send, in this event's context: this partition's changelog
            if updated:
                self.table[written] = [e.to_json() for e in updated]
            elif updated is not None and written in self.table:
                del self.table[written]
        self._sweep(message.partition, now_ms)

    def _sweep(self, partition: int, now_ms: int) -> None:
        """Delete this partition's keys whose entries all left the window (rate-limited)."""
        if not self.sweeps.due(partition, now_ms / 1000):
            return
        horizon = now_ms - self.window_ms
        expired = [
            key
            for key, entries in self.table.items()
            if band_partition(str(key), self.partitions) == partition
            and all(int(e[3]) < horizon for e in entries or ())
        ]
        for key in expired:
            del self.table[key]

    # ---- out --------------------------------------------------------------------------------------
    async def publish(self, event: Mapping[str, Any], match: Match | None, *, flagged: bool = True) -> None:
        """Publish the clean event (with ``duplicate_of`` when the stage ran) and count it."""
        out = dict(event)
        if flagged:
            out["duplicate_of"] = None if match is None else match.to_json()
        p = self.pipeline
        await p.publish(p.clean, str(out["id"]), out)
        p.metrics.articles_out.inc()
        if int(out.get("revision") or 1) > 1:
            p.metrics.revisions.inc()
        if match is not None:
            p.metrics.duplicates.inc()
