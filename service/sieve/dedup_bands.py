"""Finding syndicated copies by SimHash bands: the pure part of the dedup stage (no Kafka here).

Two SimHashes within Hamming distance ``k`` differ in at most ``k`` bit positions, so if the 64 bits
are cut into ``k + 1`` disjoint bands, at least one band holds none of those positions: the two
hashes agree exactly on that band (the pigeonhole principle). Filing every hash under each of its
``k + 1`` keys ``(k, band index, band value)`` therefore finds every earlier hash within distance
``k`` by exact look-ups; the full distance of each candidate filed under a shared key then decides.
Bands are contiguous runs of bits whose widths differ by at most one (k = 3: four 16-bit bands).

The pipeline's stage (``sieve.pipeline.dedup``) keeps one list of :class:`Entry` per key in a
partitioned faust table and visits a record's keys one after the other through an internal topic,
each key on the partition :func:`band_partition` gives it; :class:`BandIndex` does the same walk in
memory (the benchmark and the tests use it), with the same per-key step :func:`visit`.

"First seen" is a global order, not arrival order at a key: each entry carries ``order`` =
(milliseconds, article id), and an article is only ever flagged as a copy of an entry with a smaller
order and another id. Two copies can therefore never flag each other, whatever order they reach the
keys in; the price is that two copies in flight at the same time may both go unflagged (documented
in docs/pipeline.md). Among the earlier entries within ``k`` the earliest is chosen: the first one
seen, so that every copy of one story names the same original.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sieve.simhash import BITS, distance

#: Largest distance the stage accepts (17 bands of 3-4 bits: past that, keys stop selecting anything).
MAX_DISTANCE = 16
#: Entries kept per key (the oldest are dropped first); bounds a key that many stories share by chance.
MAX_ENTRIES_PER_KEY = 64
#: Bodies shorter than this (in words) are neither flagged nor filed: their SimHash says little (an
#: empty body hashes to 0, and every empty body would be a "copy" of the first).
MIN_WORDS = 40


def indexable(word_count: int) -> bool:
    """Whether a body of ``word_count`` words takes part in duplicate detection."""
    return word_count >= MIN_WORDS


def band_layout(k: int) -> tuple[tuple[int, int], ...]:
    """(shift, width) of each of the ``k + 1`` bands of a 64-bit hash; widths differ by at most one."""
    if not 0 <= k <= MAX_DISTANCE:
        raise ValueError(f"distance {k} outside 0..{MAX_DISTANCE}")
    count = k + 1
    layout = []
    shift = 0
    for i in range(count):
        width = BITS // count + (1 if i < BITS % count else 0)
        layout.append((shift, width))
        shift += width
    return tuple(layout)


def bands(simhash: int, k: int) -> list[int]:
    """The value of each of the ``k + 1`` bands of ``simhash``."""
    return [(simhash >> shift) & ((1 << width) - 1) for shift, width in band_layout(k)]


def band_key(k: int, band: int, value: int) -> str:
    """The table key of one band value; ``k`` is part of it, so changing k starts a fresh index."""
    return f"k{k}.b{band}.{value:x}"


def band_partition(key: str, partitions: int) -> int:
    """The partition that owns ``key``: CRC-32 of the key modulo ``partitions``.

    Stable across processes and Python versions (never ``hash()``, which is salted per process), so
    every worker routes a key to the same partition and the table's changelog stays consistent."""
    return zlib.crc32(key.encode("utf-8")) % partitions


@dataclass(frozen=True, slots=True)
class Entry:
    """One article filed under a key: its id, URL, SimHash and first-seen ``order`` (ms, id)."""

    id: str
    url: str | None
    simhash: int
    order_ms: int

    @property
    def order(self) -> tuple[int, str]:
        return (self.order_ms, self.id)

    def to_json(self) -> list[Any]:
        """Compact table form: ``[id, url, simhash as 16 hex digits, order ms]``."""
        return [self.id, self.url, f"{self.simhash:016x}", self.order_ms]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> Entry:
        return cls(str(data[0]), None if data[1] is None else str(data[1]), int(str(data[2]), 16), int(data[3]))


@dataclass(frozen=True, slots=True)
class Match:
    """The earlier article a copy duplicates, and how far apart their SimHashes are."""

    entry: Entry
    distance: int

    def to_json(self) -> dict[str, Any]:
        """The event's ``duplicate_of``: ``{id, url, distance}``."""
        return {"id": self.entry.id, "url": self.entry.url, "distance": self.distance}


def earlier(a: Match | None, b: Match | None) -> Match | None:
    """The better of two matches: the earlier original (the first one seen); None if neither."""
    if a is None or b is None:
        return a or b
    return a if a.entry.order <= b.entry.order else b


def find(entries: Iterable[Entry], me: Entry, k: int) -> Match | None:
    """The earliest entry of ``entries`` seen before ``me``, of another id, within distance ``k``."""
    best: Match | None = None
    for entry in entries:
        if entry.id == me.id or entry.order >= me.order:
            continue
        d = distance(entry.simhash, me.simhash)
        if d <= k:
            best = earlier(best, Match(entry, d))
    return best


def insert(
    entries: Sequence[Entry], me: Entry, *, now_ms: int, window_ms: int, cap: int = MAX_ENTRIES_PER_KEY
) -> list[Entry] | None:
    """``entries`` with ``me`` filed, entries older than ``window_ms`` dropped and at most ``cap``
    kept (the oldest go); None when nothing changed (a re-delivered record: no table write).

    An id already filed is replaced, keeping its earlier order and its URL, so a re-delivery or a new
    revision never files an article twice."""
    horizon = now_ms - window_ms
    kept = [e for e in entries if e.order_ms >= horizon and e.id != me.id]
    previous = next((e for e in entries if e.id == me.id), None)
    # a new revision keeps the first-seen order and URL: copies name the article as first seen
    mine = me if previous is None else Entry(me.id, previous.url, me.simhash, min(me.order_ms, previous.order_ms))
    if mine.order_ms >= horizon:
        kept.append(mine)
    kept.sort(key=lambda e: e.order)
    kept = kept[-cap:]
    return None if kept == list(entries) else kept


def visit(
    entries: Sequence[Entry], me: Entry, k: int, *, now_ms: int, window_ms: int, cap: int = MAX_ENTRIES_PER_KEY
) -> tuple[Match | None, list[Entry] | None]:
    """One key's step of the walk: the match among the key's live entries, and the key's new list
    (None: unchanged)."""
    horizon = now_ms - window_ms
    match = find((e for e in entries if e.order_ms >= horizon), me, k)
    return match, insert(entries, me, now_ms=now_ms, window_ms=window_ms, cap=cap)


class BandIndex:
    """The whole walk in one process: a dict of keys instead of the partitioned table."""

    def __init__(self, k: int, *, window_ms: int = 7 * 86_400_000, cap: int = MAX_ENTRIES_PER_KEY) -> None:
        band_layout(k)  # validates k
        self.k = k
        self.window_ms = window_ms
        self.cap = cap
        self.keys: dict[str, list[Entry]] = {}

    def add(self, me: Entry, now_ms: int | None = None) -> Match | None:
        """File ``me`` under its keys; return the earliest earlier entry within k (None: an original)."""
        now = me.order_ms if now_ms is None else now_ms
        best: Match | None = None
        for band, value in enumerate(bands(me.simhash, self.k)):
            key = band_key(self.k, band, value)
            match, updated = visit(
                self.keys.get(key, []), me, self.k, now_ms=now, window_ms=self.window_ms, cap=self.cap
            )
            best = earlier(best, match)
            if updated is not None:
                self.keys[key] = updated
        return best
