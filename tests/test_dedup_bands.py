"""SimHash bands: the pigeonhole guarantee, stable routing, first-seen choice, bounded keys."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from sieve.dedup_bands import (
    MAX_DISTANCE,
    BandIndex,
    Entry,
    band_key,
    band_layout,
    band_partition,
    bands,
    find,
    insert,
    visit,
)
from sieve.simhash import distance

DAY = 86_400_000


def _flip(value: int, count: int, rng: random.Random) -> int:
    for bit in rng.sample(range(64), count):
        value ^= 1 << bit
    return value


@pytest.mark.parametrize("k", range(MAX_DISTANCE + 1))
def test_layout_covers_the_64_bits_once(k: int) -> None:
    layout = band_layout(k)
    assert len(layout) == k + 1
    covered = [bit for shift, width in layout for bit in range(shift, shift + width)]
    assert covered == list(range(64))
    widths = {w for _, w in layout}
    assert max(widths) - min(widths) <= 1


def test_bad_distance_is_refused() -> None:
    for k in (-1, MAX_DISTANCE + 1):
        with pytest.raises(ValueError):
            band_layout(k)


@pytest.mark.parametrize("k", [0, 1, 3, 6, 10])
def test_pigeonhole_every_pair_within_k_shares_a_band(k: int) -> None:
    rng = random.Random(k)
    for _ in range(2000):
        a = rng.getrandbits(64)
        b = _flip(a, rng.randint(0, k), rng)
        assert distance(a, b) <= k
        assert any(x == y for x, y in zip(bands(a, k), bands(b, k), strict=True))
    # and bands reassemble the hash
    a = rng.getrandbits(64)
    assert sum(v << shift for v, (shift, _) in zip(bands(a, k), band_layout(k), strict=True)) == a


def test_partition_is_stable_across_processes_and_spreads() -> None:
    keys = [band_key(3, b, v) for b in range(4) for v in range(0, 4000, 7)]
    here = [band_partition(key, 8) for key in keys[:50]]
    code = (
        "from sieve.dedup_bands import band_partition, band_key;"
        "print([band_partition(band_key(3, b, v), 8) for b in range(4) for v in range(0, 4000, 7)][:50])"
    )
    # another interpreter with another hash seed routes every key the same way
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "123"}
    )
    assert other.stdout.strip() == str(here)
    counts = [0] * 8
    for key in keys:
        counts[band_partition(key, 8)] += 1
    assert min(counts) > len(keys) / 8 * 0.7, counts
    assert band_key(3, 0, 0xAB) != band_key(4, 0, 0xAB), "k is part of the key"


def _entry(i: str, h: int, ms: int, url: str | None = None) -> Entry:
    return Entry(i, url or f"https://{i}.example/story", h, ms)


def test_find_takes_the_earliest_earlier_entry_within_k_and_never_itself() -> None:
    h = 0x0123_4567_89AB_CDEF
    original = _entry("a", h ^ 0b111, 100)  # distance 3, earliest
    close = _entry("b", h ^ 0b1, 200)  # distance 1, later
    far = _entry("c", h ^ 0xFFFF, 50)  # distance 16: not a candidate
    later = _entry("d", h, 900)  # seen after me: never a candidate
    me = _entry("me", h, 500)
    match = find([close, far, later, original], me, 3)
    assert match is not None and match.entry.id == "a" and match.distance == 3
    assert find([close, far, later, original], me, 2).entry.id == "b"  # type: ignore[union-attr]
    assert find([_entry("me", h, 10)], me, 3) is None, "an earlier record of the same id is not a copy"
    assert find([later], me, 3) is None
    # the later copy never flags the earlier one: order decides, not arrival
    assert find([me], later, 3) is not None and find([later], me, 3) is None
    assert match.to_json() == {"id": "a", "url": "https://a.example/story", "distance": 3}


def test_same_order_ms_is_broken_by_id() -> None:
    a, b = _entry("a", 5, 100), _entry("b", 5, 100)
    assert find([a], b, 0) is not None and find([b], a, 0) is None


def test_insert_is_idempotent_keeps_first_order_and_expires() -> None:
    me = _entry("x", 1, 10 * DAY)
    first = insert([], me, now_ms=10 * DAY, window_ms=7 * DAY)
    assert first == [me]
    assert insert(first, me, now_ms=10 * DAY, window_ms=7 * DAY) is None, "re-delivery: no write"
    revised = Entry("x", "https://elsewhere.example/", 2, 11 * DAY)  # keeps its first-seen order and URL
    assert insert(first, revised, now_ms=11 * DAY, window_ms=7 * DAY) == [Entry("x", me.url, 2, 10 * DAY)]
    old = _entry("old", 3, 1 * DAY)
    assert insert([old], me, now_ms=10 * DAY, window_ms=7 * DAY) == [me], "expired entries are dropped"
    match, _ = visit([old], _entry("y", 3, 10 * DAY), 0, now_ms=10 * DAY, window_ms=7 * DAY)
    assert match is None, "an expired entry is not a candidate"


def test_insert_caps_a_key_dropping_the_oldest() -> None:
    entries: list[Entry] = []
    for i in range(10):
        entries = insert(entries, _entry(f"e{i}", i, 1000 + i), now_ms=2000, window_ms=DAY, cap=4) or entries
    assert [e.id for e in entries] == ["e6", "e7", "e8", "e9"]


def test_index_flags_copies_of_the_first_seen_and_nothing_else() -> None:
    rng = random.Random(7)
    index = BandIndex(3)
    story = rng.getrandbits(64)
    assert index.add(_entry("orig", story, 1000)) is None
    for n in range(1, 20):
        copy = _entry(f"copy{n}", _flip(story, rng.randint(1, 3), rng), 1000 + n)
        match = index.add(copy)
        assert match is not None and match.entry.id == "orig", n
    for n in range(200):
        assert index.add(_entry(f"other{n}", rng.getrandbits(64), 5000 + n)) is None
    # re-adding the original (a re-delivery) neither flags it nor files it twice
    assert index.add(_entry("orig", story, 1000)) is None
    assert sum(1 for entries in index.keys.values() for e in entries if e.id == "orig") == 4


def test_dedup_settings() -> None:
    from sieve.pipeline.settings import SettingsError, load

    default = load({})
    assert (default.dedup, default.dedup_distance, default.dedup_window) == (True, 4, 7 * 86400.0)
    assert default.topic_bands == "sieve.simhash-bands" and default.topic_bands in default.input_topics
    s = load({"SIEVE_DEDUP": "off", "SIEVE_DEDUP_DISTANCE": "3", "SIEVE_DEDUP_WINDOW": "2d", "SIEVE_GROUP_ID": "g"})
    assert (s.dedup, s.dedup_distance, s.dedup_window, s.topic_bands) == (False, 3, 2 * 86400.0, "g.simhash-bands")
    with pytest.raises(SettingsError) as err:
        load({"SIEVE_DEDUP_DISTANCE": str(MAX_DISTANCE + 1), "SIEVE_DEDUP": "maybe"})
    assert any("SIEVE_DEDUP_DISTANCE" in p for p in err.value.problems)
    assert any("SIEVE_DEDUP=" in p for p in err.value.problems)
