"""The discovered-links stage: every page's article links to ``links.discovered``, each URL at most once
per ``SIEVE_LINKS_TTL`` across all workers.

1. In stage 1 (agent ``pages``), once a page is extracted, :func:`sieve.links.collect_links` picks its
   article links (which ones, and their normalised form: ``sieve/links.py``). They are grouped by
   target partition, :func:`partition_for` = ``zlib.crc32(url) % SIEVE_PARTITIONS``, and **one**
   record per target partition, holding all of the page's links for it, is sent to the internal
   topic ``<group>.links-by-url`` with that explicit partition: a page with 40 links costs at most
   ``SIEVE_PARTITIONS`` internal messages, not 40. The page is acked only after they were acknowledged.
2. Agent ``links`` reads ``<group>.links-by-url``. For each link it looks up the table
   ``link-announcements`` (URL → unix time it was last announced): announced less than the TTL ago →
   not published, counted in ``sieve_links_suppressed_total``; otherwise published to
   ``links.discovered`` keyed by the URL, and once the broker acknowledged it, the table entry is set
   to now (``sieve_links_announced_total``).

**Why routing by an explicit partition keeps the table right.** faust writes a table change to the
changelog partition with the number of the partition of the event being processed
(``Collection.partition_for_key``), and gives the worker that owns partition P of the source topic
the table's changelog partition P (faust checks that they have the same partition count). Every URL
is always sent to the same partition, so its entry is written to, restored from and read on one
changelog partition, owned by one worker at a time: every worker gets the same answer for a URL,
after rebalances too. The hash must be the same in every process: Python's ``hash()`` of a string is
salted per process (``PYTHONHASHSEED``) and would route a URL differently on each worker; CRC-32 is
fixed. A link that arrives on another partition than its own (a replayed dead letter, or a topic
whose partition count differs from ``SIEVE_PARTITIONS``) is not looked up there but forwarded to its
partition.

**TTL.** A URL announced at time t is suppressed until t + TTL (the worker's wall clock at processing
time); the first sighting after that announces it again and restarts the TTL, so a link still on a
front page is re-announced about once per TTL. Entries older than the TTL are deleted by a sweep
that runs on each partition at most every TTL/4 (at least 60 s), so the table holds about one TTL of
URLs.

**Known URLs.** A site's trending, most-popular and see-all lists repeat on every one of its pages,
so most links a worker routes were announced minutes ago. The links agent remembers (for up to
``KNOWN_URLS`` URLs, oldest forgotten first) when each URL it announced or found in the table was
announced, and stage 1 of the same worker drops those links before routing them, counting them as
suppressed: what the table would have answered, without an internal message. It is a memo of the
table, never a second source of truth: a URL it does not know is always routed and looked up.

**At-least-once.** A table entry is written only after the broker acknowledged the announcement, so
a crash in between announces a URL again (a duplicate, never a loss). A re-delivered page or
internal message finds its URLs in the table and announces nothing: they count as suppressed.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import orjson
from faust.types import EventT, StreamT, TopicT

from sieve.dedup_bands import band_partition
from sieve.links import collect_links
from sieve.pipeline import records
from sieve.pipeline.records import Failure, Source, Stage
from sieve.pipeline.tables import SweepSchedule, json_table

if TYPE_CHECKING:
    from sieve.pipeline.app import Pipeline

Event = EventT[bytes]
#: How many URLs a worker remembers as announced (about 100 bytes each): see "Known URLs" above.
KNOWN_URLS = 200_000
#: Fields of the internal record copied onto every announced link.
_PAGE_FIELDS = ("source_url", "source_id", "seen_at")


#: The partition of ``<group>.links-by-url`` (and of the table) that owns a URL: the same stable
#: CRC-32 routing as the SimHash band keys.
partition_for = band_partition


def link_record(link: Mapping[str, Any], page: Mapping[str, Any]) -> dict[str, Any]:
    """A ``links.discovered`` record (schema ``link-discovered.json``)."""
    return {
        "url": link["url"],
        "title": link.get("title") or "",
        "label": link["label"],
        "position": int(link.get("position") or 0),
        **{name: page.get(name) for name in _PAGE_FIELDS},
    }


class LinkStage:
    """The links topics, the ``link-announcements`` table and the ``links`` agent of one worker."""

    def __init__(self, pipeline: Pipeline, clock: Callable[[], float] = time.time) -> None:
        s = pipeline.settings
        self.pipeline = pipeline
        self.partitions = s.partitions
        self.ttl = s.links_ttl
        self.clock = clock
        self.topic = pipeline._topic(s.topic_links)
        self.by_url = pipeline._topic(s.topic_links_by_url, internal=True)
        help = "normalised URL -> unix time it was announced on the links topic"
        self.table = json_table(pipeline.app, "link-announcements", s.partitions, help)
        self.sweeps = SweepSchedule(max(self.ttl / 4, 60.0))
        self.known: dict[str, float] = {}  # URL -> when announced, as this worker's links agent last saw it

        async def links(stream: StreamT[bytes]) -> None:
            await pipeline.run_agent(stream, self.handle)

        pipeline.app.agent(self.by_url, name="links", concurrency=1)(links)

    # ---- stage 1: a page's links -> their partitions -----------------------------------------
    async def route(self, event: Mapping[str, Any], source: Source) -> int:
        """Send the page's article links to their partitions of the internal topic; return how many.
        Links this worker already saw announced within the TTL are counted as suppressed right here."""
        found = collect_links(event)
        now = self.clock()
        links = [link for link in found if not self._known(str(link["url"]), now)]
        if len(links) < len(found):
            self.pipeline.metrics.links_suppressed.inc(len(found) - len(links))
        if links:
            page = {"source_url": event.get("url"), "source_id": event.get("id"), "seen_at": records.now_iso()}
            await self._forward(links, {**page, "source": source.to_dict()})
        return len(links)

    async def _forward(self, links: Sequence[Mapping[str, Any]], page: Mapping[str, Any]) -> None:
        groups: dict[int, list[Mapping[str, Any]]] = {}
        for link in links:
            groups.setdefault(partition_for(str(link["url"]), self.partitions), []).append(link)
        key = str(page.get("source_id") or "").encode("utf-8") or None
        await self._send(self.by_url, [(key, {**page, "links": group}, p) for p, group in sorted(groups.items())])

    # ---- stage 3: links of one partition -> links.discovered, unless announced within the TTL -----
    async def handle(self, event: Event) -> None:
        message = event.message
        try:
            record = orjson.loads(message.value or b"")
            page: dict[str, Any] = {name: record.get(name) for name in (*_PAGE_FIELDS, "source")}
            links: list[dict[str, Any]] = [dict(link) for link in record["links"] if str(link["url"])]
            outputs = [(str(link["url"]).encode("utf-8"), link_record(link, page), None) for link in links]
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise Failure("bad_internal_record", f"{type(exc).__name__}: {exc}", Stage.UPDATE) from exc
        now = self.clock()
        fresh: list[tuple[bytes | None, dict[str, Any], int | None]] = []
        misrouted: list[dict[str, Any]] = []
        seen: set[str] = set()
        suppressed = 0
        for link, output in zip(links, outputs, strict=True):
            url = str(link["url"])
            if partition_for(url, self.partitions) != message.partition:
                misrouted.append(link)
                continue
            last = self.table.get(url)
            if url in seen or (isinstance(last, int | float) and now - last < self.ttl):
                if isinstance(last, int | float):
                    self._remember(url, last)
                suppressed += 1
                continue
            seen.add(url)
            fresh.append(output)
        await self._send(self.topic, fresh)
        if misrouted:
            await self._forward(misrouted, page)
        for _key, announced, _partition in fresh:
            self.table[announced["url"]] = now
            self._remember(announced["url"], now)
            self.pipeline.metrics.links_announced.inc(1, str(announced["label"]))
        self.pipeline.metrics.links_suppressed.inc(suppressed)
        self._sweep(message.partition, now)

    # ---- what this worker learnt from the table -----------------------------------------------
    def _remember(self, url: str, announced: float) -> None:
        known = self.known
        known.pop(url, None)
        known[url] = announced
        if len(known) > KNOWN_URLS:  # drop the oldest tenth (dicts keep insertion order)
            for old in list(itertools.islice(known, KNOWN_URLS // 10)):
                del known[old]

    def _known(self, url: str, now: float) -> bool:
        announced = self.known.get(url)
        return announced is not None and now - announced < self.ttl

    def _sweep(self, partition: int, now: float) -> None:
        """Delete this partition's entries older than the TTL (rate-limited; see the module docstring)."""
        if not self.sweeps.due(partition, now):
            return
        expired = [
            url
            for url, announced in self.table.items()
            if isinstance(announced, int | float)
            and now - announced >= self.ttl
            and partition_for(str(url), self.partitions) == partition
        ]
        for url in expired:  # in the event's context: the deletions go to this partition's changelog
            del self.table[url]

    # ---- output ----------------------------------------------------------------------------------
    async def _send(self, topic: TopicT, items: Sequence[tuple[bytes | None, dict[str, Any], int | None]]) -> None:
        """Send every record, then wait until the broker acknowledged them all (Pipeline.publish_many)."""
        await self.pipeline.publish_many(topic, items)
