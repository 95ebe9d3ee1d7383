"""Prefix gates for anchored, case-blind text patterns: a set lookup that turns most text away
before ``pattern.match`` tries the alternatives one by one.

Python's regular-expression engine tries a case-blind alternation one alternative at a time (the
quick first-character test it makes for each alternative only exists for case-sensitive literals),
so ``END_MATTER.match`` costs ~0.4 µs on a paragraph that starts like none of its ~40 forms. Every
match of such a pattern starts with one of a few literal beginnings ("copy", "read", "sign"...),
read here off the pattern's parse tree, so a set lookup on the text's lower-cased first characters
says whether the pattern can match at all.

The gate is exact, not a heuristic: :func:`may_match` is False only when ``pattern.match(text)`` is
None. Text whose first characters are not all ASCII always goes to the pattern (Unicode case folding
has special pairs, such as "ſ" and "s"); the beginnings are cut wherever the pattern stops being
literal (a character class, a repeat, a group with its own flags), which only makes the gate let
more through.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any, Final

#: How many first characters a gate looks at.
SIZE: Final = 4
_MAX_STARTS: Final = 4096  # beyond this many beginnings a gate is not worth its sets
_DIGITS: Final = "0123456789"


class Starts:
    """The literal beginnings of a pattern's matches, lower-cased, by length (``lengths[i]`` goes with
    ``sets[i]``), as :func:`may_match` reads them."""

    __slots__ = ("lengths", "sets")

    def __init__(self, lengths: list[int], sets: list[frozenset[str]]) -> None:
        self.lengths = lengths
        self.sets = sets


def starts(pattern: re.Pattern[str]) -> Starts | None:
    """The gate of a case-blind ``pattern`` used with ``match``; None when some match can start with
    no literal (the gate would let everything through)."""
    if not pattern.flags & re.IGNORECASE:
        raise ValueError(f"a prefix gate lower-cases the text: {pattern.pattern[:40]!r} must be case-blind")
    found: set[str] = set()
    _expand(list(_parser.parse(pattern.pattern, pattern.flags)), 0, "", found)
    if not found or "" in found or len(found) > _MAX_STARTS:
        return None
    ascii_only = set()
    for start in found:
        if start.isascii():
            ascii_only.add(start)
        elif any(_folds_to_ascii(c) for c in start if not c.isascii()):
            return None  # a non-ASCII letter an ASCII one matches case-blind (the Kelvin sign and k)
        # else only text with a non-ASCII first character can start so, and such text always passes
    by_length: dict[int, set[str]] = {}
    for start in ascii_only:
        by_length.setdefault(len(start), set()).add(start)
    lengths = sorted(by_length)
    return Starts(lengths, [frozenset(by_length[n]) for n in lengths])


def _folds_to_ascii(char: str) -> bool:
    """Does an ASCII character match ``char`` case-blind?"""
    return any(re.fullmatch(re.escape(char), chr(a), re.IGNORECASE) for a in range(128))


def _expand(items: list[tuple[Any, Any]], i: int, prefix: str, found: set[str]) -> None:
    """Adds to ``found`` the literal beginnings of the sequence ``items[i:]`` after ``prefix``."""
    if len(found) > _MAX_STARTS:
        return
    if len(prefix) >= SIZE or i >= len(items):
        found.add(prefix[:SIZE])
        return
    op, av = items[i]
    if op is sre.LITERAL:
        _expand(items, i + 1, prefix + chr(av).lower(), found)
    elif op is sre.AT:  # ^, $, \b: zero-width, they only restrict where a match may be
        _expand(items, i + 1, prefix, found)
    elif op is sre.BRANCH:
        for alternative in av[1]:
            _expand(list(alternative) + items[i + 1 :], 0, prefix, found)
    elif op is sre.SUBPATTERN and not av[1] and not av[2]:  # a group without flags of its own
        _expand(list(av[3]) + items[i + 1 :], 0, prefix, found)
    elif op is sre.IN and _members(av) is not None:
        for char in _members(av) or ():
            _expand(items, i + 1, prefix + char, found)
    elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, _high, body = av
        if low == 0:  # optional: without it, or once and then no more is known
            _expand(items, i + 1, prefix, found)
            if _high == 1:
                _expand(list(body) + items[i + 1 :], 0, prefix, found)
                return
        # at least once: a match starts with one repetition (what follows is not followed here)
        _expand(list(body), 0, prefix, found)
    else:  # anything else (a category, a back reference...): the literal beginning ends here
        found.add(prefix)


def _members(av: list[tuple[Any, Any]]) -> list[str] | None:
    """The lower-cased characters a class of literals (and ASCII digits) holds; None for any other class."""
    chars: list[str] = []
    for op, value in av:
        if op is sre.LITERAL:
            chars.append(chr(value).lower())
        elif op is sre.CATEGORY and value is sre.CATEGORY_DIGIT:
            chars.extend(_DIGITS)  # other digits are not ASCII: such text always passes
        else:
            return None
    return chars


#: ``str.isascii`` looked up once (compiled, a str method without a native primitive is looked up by name
#: on every call).
_IS_ASCII: Final = str.isascii


def head(text: str) -> str:
    """What a gate looks at: the text's first characters, lower-cased."""
    return text[:SIZE].lower()


def may_match(first: str, gate: Starts) -> bool:
    """False only if ``pattern.match(text)`` is None for the pattern ``gate`` was made of (``first``:
    :func:`head` of the text, computed once for all the patterns tried on it)."""
    if not _IS_ASCII(first):
        return True
    sets = gate.sets
    for k, n in enumerate(gate.lengths):  # noqa: SIM110 (a loop, not a generator: compiled, it is native)
        if first[:n] in sets[k]:
            return True
    return False


def gated_match(pattern: re.Pattern[str], gate: Starts | None, text: str, first: str) -> bool:
    """``pattern.match(text) is not None``, the pattern tried only when its gate (``starts(pattern)``;
    None: no gate) lets ``first``, the text's :func:`head`, through."""
    return (gate is None or may_match(first, gate)) and pattern.match(text) is not None
