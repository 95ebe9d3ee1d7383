"""``quality``: an estimate in [0, 1] of how well this page's extraction went.

Made only of what sieve already knows after classifying the page (no second pass, no model). Each
feature maps to [0, 1], 1 = the extraction looks clean:

- ``fragments``: the body is one run of blocks, not cut into pieces by other blocks of its region;
- ``dispersion``: the body's blocks share few parent elements (one article container, not many);
- ``edges``: the first and last body blocks won their label decisively (rule score) and are not
  short lines (bylines, credits, "Advertisement" leak in at the edges);
- ``markup``: the share of the body the page itself marks up as the article body;
- ``captions``: no figure/caption text was kept as body;
- ``headings``: few headings among the body (listicles, live blogs and hub pages extract worse);
- ``ld``: agreement of the kept text with the JSON-LD ``articleBody``, where the page has one.

``quality`` is their weighted mean (:data:`WEIGHTS`, set on the dev corpus: Spearman with per-page
F1 is printed by ``bench/structure.py``, with the F1 of the pages above and below
:data:`THRESHOLD`).
"""

from __future__ import annotations

import re
from typing import Final

from sieve.blocks import Block, Page
from sieve.contracts import Label

# Enum members as module globals: ``Label.BODY`` is a metaclass lookup (~60 ns on Python 3.11).
_BODY: Final = Label.BODY

#: Pages scoring below this are worth a second look (see docs/events.md, bench/structure.py).
THRESHOLD: Final = 0.75
_WORD: Final = re.compile(r"\w+")
WEIGHTS: Final = {
    "fragments": 5.0,
    "dispersion": 2.0,
    "edge_score": 1.0,
    "edge_short": 2.0,
    "markup": 1.5,
    "captions": 1.5,
    "headings": 1.0,
    "ld": 1.5,
}


def features(blocks: list[Block], page: Page, text: str, region: int, article_body: str | None) -> dict[str, float]:
    body = [b for b in blocks if b.label is _BODY]
    if not body:
        return {"fragments": 0.0}
    feats: dict[str, float] = {}
    ends = page.ends[region] if region < len(page.ends) else region
    runs, inside_body = 0, False
    for b in blocks:
        if not (region <= b.owner <= ends):
            continue
        if b.label is _BODY:
            if not inside_body:
                runs += 1
            inside_body = True
        elif b.chars >= 40:
            inside_body = False
    feats["fragments"] = 1.0 / (1.0 + 0.25 * max(runs - 1, 0))
    parents = page.parents
    feats["dispersion"] = 1.0 - min(3.0 * len({parents[b.owner] for b in body}) / len(body), 1.0)
    edge = body[:2] + body[-3:]
    feats["edge_score"] = min(min(b.score for b in edge), 5.0) / 5.0
    feats["edge_short"] = 1.0 - min(sum(1 for b in edge if b.chars < 100), 5) / 5.0
    chars = sum(b.chars for b in body) or 1
    feats["markup"] = sum(b.chars for b in body if "markup" in "\n".join(b.why)) / chars
    feats["captions"] = 1.0 / (1.0 + sum(1 for b in body if b.figure))
    feats["headings"] = 1.0 - min(4.0 * sum(1 for b in body if b.heading) / len(body), 1.0)
    if article_body:
        truth = _bag(article_body)
        got = _bag(text)
        if truth and got:
            common = len(truth & got)
            precision, recall = common / len(got), common / len(truth)
            feats["ld"] = 2 * precision * recall / (precision + recall) if common else 0.0
    return feats


def _bag(text: str) -> set[tuple[str, str, str]]:
    """The text's word trigrams (as tuples: joining them into strings only costs time)."""
    words = _WORD.findall(text.casefold())
    return set(zip(words, words[1:], words[2:], strict=False))


def quality(feats: dict[str, float]) -> float:
    total = sum(WEIGHTS[k] for k in feats)
    return round(sum(WEIGHTS[k] * v for k, v in feats.items()) / total, 3) if total else 0.0
