"""64-bit SimHash of an article's text, for finding syndicated copies of one story across sites.

Tokenisation (the contract downstream relies on): the text is case-folded, split into words (runs of
Unicode letters and digits, ``\\w+`` without ``_``), and every run of three consecutive words (a
shingle) is one feature, each counted once; texts under three words use their words. Every feature
is hashed with BLAKE2b-64; bit ``i`` of the SimHash is set where more features have bit ``i`` set than
not (Charikar 2002). Near-identical texts differ in a few bits: a changed first line or an added
editor's note in a 600-word story moves a handful of the 64 bits, while unrelated stories differ in
about 32. The event carries it as 16 lower-case hex digits (``simhash``).
"""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"[^\W_]+")
BITS = 64
_LOWEST_BIT = bytes(7) + b"\x01"  # one 64-bit big-endian word with only bit 0 set


def _features(text: str) -> set[str]:
    words = _WORD.findall(text.casefold())
    if len(words) < 3:
        return set(words)
    return {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}


def simhash(text: str) -> int:
    """The 64-bit SimHash of ``text`` (0 for a text without words).

    The per-bit votes are counted in C: all feature hashes side by side in one integer, masked with
    every word's bit ``i`` at once and popcounted, 64 times, instead of a Python loop per feature and bit.
    """
    features = _features(text)
    if not features:
        return 0
    hashes = b"".join(hashlib.blake2b(f.encode("utf-8"), digest_size=8).digest() for f in features)
    packed = int.from_bytes(hashes, "big")
    lowest = int.from_bytes(_LOWEST_BIT * len(features), "big")  # bit 0 of every 64-bit word
    half = len(features) / 2
    return sum(1 << bit for bit in range(BITS) if (packed & (lowest << bit)).bit_count() > half)


def simhash_hex(text: str) -> str:
    """``simhash(text)`` as the event writes it: 16 lower-case hex digits."""
    return f"{simhash(text):016x}"


def distance(a: int, b: int) -> int:
    """Hamming distance between two SimHashes (how many of the 64 bits differ)."""
    return (a ^ b).bit_count()
