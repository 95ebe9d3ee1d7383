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


def _features(text: str) -> set[str]:
    words = _WORD.findall(text.casefold())
    if len(words) < 3:
        return set(words)
    return set(map(" ".join, zip(words, words[1:], words[2:], strict=False)))


#: ``_BIT_OF[b]`` maps every byte to its bit ``b`` (0 or 1), for :meth:`bytes.translate`.
_BIT_OF = [bytes((value >> b) & 1 for value in range(256)) for b in range(8)]


def simhash(text: str) -> int:
    """The 64-bit SimHash of ``text`` (0 for a text without words).

    The per-bit votes are counted in C: the feature hashes are laid side by side (8 big-endian bytes
    each), and for each of the 8 byte positions the column of that byte in every hash is sliced out;
    ``translate`` turns the column into its bit ``b`` (0 or 1) and ``count`` tallies the ones, 64
    times in all, instead of a Python loop per feature and bit.
    """
    features = _features(text)
    if not features:
        return 0
    blake2b = hashlib.blake2b
    hashes = b"".join([blake2b(f.encode(), digest_size=8).digest() for f in features])
    half = len(features) / 2
    value = 0
    for byte in range(8):  # byte 0 holds bits 63..56 of each big-endian hash
        column = hashes[byte::8]
        shift = 8 * (7 - byte)
        for b in range(8):
            if column.translate(_BIT_OF[b]).count(1) > half:
                value |= 1 << (shift + b)
    return value


def simhash_hex(text: str) -> str:
    """``simhash(text)`` as the event writes it: 16 lower-case hex digits."""
    return f"{simhash(text):016x}"


def distance(a: int, b: int) -> int:
    """Hamming distance between two SimHashes (how many of the 64 bits differ)."""
    return (a ^ b).bit_count()
