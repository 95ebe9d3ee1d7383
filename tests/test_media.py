"""sieve.media.best_src: an image's source from its srcset, lazy-loading attributes or src."""

from __future__ import annotations

import random
import re

import pytest

from sieve.media import _SRCSET_ITEM, best_src

#: The srcset grammar read the plain way (a lazy URL): _SRCSET_ITEM must split every string as it does.
LAZY = re.compile(r"\s*(\S+?)(?:\s+(\d+(?:\.\d+)?)([wx]))?\s*(?:,|$)")


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ({"srcset": "a.jpg 300w, b.jpg 1200w, c.jpg 600w", "src": "s.jpg"}, "b.jpg"),
        ({"srcset": "a.jpg 1x, b.jpg 2x"}, "b.jpg"),
        ({"data-srcset": "data:image/gif;base64,R0lG 1w, real.jpg 800w", "src": "s.jpg"}, "real.jpg"),
        ({"srcset": "https://cdn.example.com/x.jpg"}, "https://cdn.example.com/x.jpg"),
        ({"data-src": "lazy.jpg", "src": "data:image/gif;base64,R0lG"}, "lazy.jpg"),
        ({"src": "plain.jpg"}, "plain.jpg"),
        ({"src": "data:image/gif;base64,R0lG"}, None),
        ({}, None),
    ],
)
def test_best_src(attrs: dict[str, str | None], expected: str | None) -> None:
    assert best_src(attrs) == expected


def test_the_srcset_pattern_splits_as_the_plain_reading_does() -> None:
    rng = random.Random(3)
    alphabet = " ,a1wx.\n\t0/:"
    strings = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(14))) for _ in range(20_000)]
    strings += ["a.jpg 300w, b.jpg 1200w", "img,w_300.jpg 300w, img,w_600.jpg 600w", " , a.jpg 2x foo, b.jpg"]
    for s in strings:
        expected = [(m.span(), m.groups()) for m in LAZY.finditer(s)]
        assert [(m.span(), m.groups()) for m in _SRCSET_ITEM.finditer(s)] == expected, s
