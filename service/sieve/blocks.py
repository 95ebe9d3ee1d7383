"""The segmenter's output types: :class:`Block` (one run of text and what the classifier knows of it)
and :class:`Page` (the blocks and the per-element tables of one walk). :mod:`sieve.segment` makes them;
the classifier, region, page-type and assembly steps read them.
"""

from __future__ import annotations

from sieve.contracts import Label


class Block:
    """One block of text and what the classifier knows of it.

    A plain class, not a dataclass: pages make hundreds of blocks, and a hand-written ``__init__`` is
    what the mypyc build (docs/operations.md) compiles to a native constructor."""

    __slots__ = (
        "chars",
        "figure",
        "heading",
        "hints",
        "index",
        "label",
        "link_chars",
        "link_density",
        "links",
        "list_kind",
        "owner",
        "quote",
        "score",
        "tag",
        "text",
        "why",
    )

    def __init__(
        self,
        index: int,
        text: str,
        owner: int,
        tag: str,
        link_chars: int,
        links: list[tuple[str, str | None]],
        heading: int,
        list_kind: str,
        figure: bool,
        quote: bool,
        hints: tuple[int, ...],
        chars: int,
        link_density: float,
        label: Label = Label.OTHER,
        score: float = 0.0,
        why: list[str] | None = None,
    ) -> None:
        self.index = index
        self.text = text
        self.owner = owner
        self.tag = tag
        self.link_chars = link_chars
        self.links = links
        self.heading = heading
        self.list_kind = list_kind  # "", "ul" or "ol"
        self.figure = figure
        self.quote = quote
        self.hints = hints  # hinted ancestor elements, outermost first
        self.chars = chars  # len(text)
        self.link_density = link_density  # link_chars / chars
        self.label = label
        self.score = score
        self.why: list[str] = [] if why is None else why

    def __repr__(self) -> str:
        return f"Block({self.index}, {self.label.name}, {self.text[:40]!r})"


class Page:
    """The walk's result: the blocks, and per element (by number) its tag, nearest block-level ancestor,
    last element inside it, markup hint and markup key (a plain class, like ``Block``)."""

    __slots__ = ("blocks", "ends", "hints", "keys", "parents", "tags")

    def __init__(
        self,
        blocks: list[Block],
        tags: list[str],
        parents: list[int],
        ends: list[int],
        hints: dict[int, tuple[Label, float]],
        keys: dict[int, str],
    ) -> None:
        self.blocks = blocks
        self.tags = tags
        self.parents = parents
        self.ends = ends
        self.hints = hints
        self.keys = keys
