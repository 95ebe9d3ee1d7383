"""The signal table: which text and markup signals vote for which label, and how much.

Each row of :data:`RULES` is ``(label, weight, longest block it applies to, signal name, predicate)``.
:class:`~sieve.classify.Classifier` computes the :class:`Features` of every block, then adds up the
weights of the rows whose predicate fires; the highest total wins. Rows voting OTHER vote for the
most specific boilerplate label known for the block (its heading zone or markup region). The text
patterns themselves live in :mod:`sieve.lexicon`; cheap substring gates sit in front of the ones
that have to scan a whole block.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from typing import Final

from sieve.blocks import Block
from sieve.contracts import Label
from sieve.gates import Starts, gated_match, head, starts
from sieve.lexicon import (
    AD_TEXT,
    BARE_URL,
    BYLINE_TEXT,
    CONTACT_TEXT,
    CONTRIBUTOR_TEXT,
    COPYRIGHT_CREDIT,
    CREDIT_TEXT,
    DATE_TEXT,
    END_MATTER,
    FIGURE_PREFIX,
    FILE_PHOTO_PREFIX,
    FOOTER_LINK,
    NEWSLETTER_TEXT,
    PUBLISHED_TEXT,
    READER_PROMPT,
    READING_TIME,
    SHARE_HREF,
    TOGGLE_TEXT,
    UI_TEXT,
    heading_label,
)

PROSE_CHARS: Final = 80  # a block this long with few links reads like a paragraph
TAGS_PREFIX: Final = re.compile(
    r"^(?:tags?|tagged(?: with)?|topics?|filed under|related topics|etiquetas|temas|palabras clave|schlagw(?:ö|o)rte?r?|"
    r"stichw(?:ö|o)rte?r?|mots-clés|étiquettes|etichette|argomenti|tagi|теги)\b\s*:?",
    re.I,
)


class Features:
    """What the rules look at for one block (a plain class for the mypyc build, like ``Block``)."""

    __slots__ = (
        "block",
        "field",
        "first_h1",
        "head",
        "in_ld_body",
        "in_main",
        "is_title",
        "prefix",
        "region",
        "region_weight",
        "zone",
    )

    def __init__(
        self,
        block: Block,
        region: Label | None,
        region_weight: float,
        field: Label | None,
        zone: Label | None,
        in_main: bool,
        is_title: bool,
        in_ld_body: bool,
        prefix: Label | None = None,
        first_h1: bool = False,
    ) -> None:
        self.block = block
        self.region = region  # nearest accepted region hint
        self.region_weight = region_weight
        self.field = field  # nearest field hint (byline, dateline, caption, tags, body)
        self.zone = zone  # boilerplate heading zone
        self.in_main = in_main
        self.is_title = is_title
        self.in_ld_body = in_ld_body
        self.prefix = prefix  # the heading word before the block's links, if any
        self.first_h1 = first_h1  # the page's first unlinked <h1>
        self.head = head(block.text)  # what the prefix gates of the text patterns look at (sieve.gates)


Rule = tuple[Label, float, int, str, Callable[[Features], bool]]


def _ld(f: Features) -> float:
    return f.block.link_density


_WORD: Final = re.compile(r"\w")  # "___", the wire services' separator, is a word: it is in their copy
MENU_SIGNAL: Final = "menu: a run of short links"
REGION_SIGNAL: Final = "inside boilerplate markup"
OTHER: Final = Label.OTHER
# The field labels the rules below compare with, as Final module constants: the compiled build reads
# them from C statics (``Label.BYLINE`` in a lambda is a module lookup and an enum attribute per call).
_BODY: Final = Label.BODY
_BYLINE: Final = Label.BYLINE
_CAPTION: Final = Label.CAPTION
_DATELINE: Final = Label.DATELINE
_TAGS: Final = Label.TAGS
FOOTER_SIGNAL: Final = "footer links (privacy, contact, imprint...)"


def _share_href(href: str) -> bool:
    """A share intent (facebook.com/sharer, twitter.com/intent, mailto:?...). A site-relative link
    never is; every form SHARE_HREF knows holds one of the words below, and testing for them first
    is several times faster than the case-blind pattern search over every link."""
    if href[0] == "/":
        return False
    low = href.lower()
    gate = (
        "shar" in low
        or "intent" in low
        or "submit" in low
        or "pin/create" in low
        or "wa.me" in low
        or "whatsapp" in low
        or "mailto" in low
        or "sms:" in low
        or "bookmarklet" in low
    )
    return gate and SHARE_HREF.search(href) is not None


def _share_links(block: Block) -> bool:
    """Most of the block's first links are share intents."""
    hrefs = [h for _t, h in block.links[:4] if h]
    return bool(hrefs) and sum(1 for h in hrefs if _share_href(h)) * 2 >= len(hrefs)


def _menu(block: Block) -> bool:
    links = block.links
    return len(links) >= 3 and block.link_density >= 0.7 and sum(len(t) for t, _h in links) <= 20 * len(links)


# Cheap substring gates in front of the text patterns that have to scan a whole block.
_CREDIT_TAIL: Final = 160  # credits end a caption
_CREDIT_WORDS: Final = ("photo", "image", "picture", "foto", "credit", "source")
_AGENCIES: Final = (
    "getty", "shutterstock", "ap photo", "associated press", "reuters", "afp", "epa", "istock",
    "fotolia", "adobe", "pixabay", "unsplash", "pixelio", "picture", "imago",
)  # fmt: skip
_TOGGLES: Final = ("more", "less")  # how every form of TOGGLE_TEXT ends
_CONTACT_STARTS: Final = ("reach", "conta", "email", "e-mai", "follo", "write", "have ")
# Prefix gates (sieve.gates) of the anchored case-blind patterns the table tries on most blocks.
_END_MATTER: Final = starts(END_MATTER)
_UI_TEXT: Final = starts(UI_TEXT)
_BYLINE_TEXT: Final = starts(BYLINE_TEXT)
_PUBLISHED_TEXT: Final = starts(PUBLISHED_TEXT)
_FILE_PHOTO_PREFIX: Final = starts(FILE_PHOTO_PREFIX)
_AD_TEXT: Final = starts(AD_TEXT)
_READING_TIME: Final = starts(READING_TIME)
_FOOTER_LINK: Final = starts(FOOTER_LINK)


def _holds_any(text: str, words: tuple[str, ...]) -> bool:
    """``any(word in text for word in words)`` as a loop (compiled, a generator is an object per call)."""
    for word in words:  # noqa: SIM110
        if word in text:
            return True
    return False


def _credit(text: str) -> bool:
    """A photo credit ends the block: "(AP Photo/Name)", "(Gazette file photo)", "Photo: Getty Images",
    "© AFP / Name"."""
    tail = text[-_CREDIT_TAIL:].rstrip()
    if not tail or tail[-1] == ".":
        return False  # every form of CREDIT_TEXT ends the text with something other than a full stop
    if tail[-1] == ")":
        start = tail.rfind("(")
        if start >= 0 and CREDIT_TEXT.search(tail[start:]) is not None:
            return True
    cut = max(tail.rfind(":"), tail.rfind("/"))
    if cut >= 0:
        window = tail[max(cut - 24, 0) :]
        low = window.lower()
        if _holds_any(low, _CREDIT_WORDS) and CREDIT_TEXT.search(window) is not None:
            return True
    at = tail.rfind("©")
    if at >= 0 and len(tail) - at <= 70 and COPYRIGHT_CREDIT.match(tail, at) is not None:
        return True
    end = tail[-32:]
    low_end = end.lower()
    return _holds_any(low_end, _AGENCIES) and CREDIT_TEXT.search(end) is not None


_FIGURE_STARTS: Final = frozenset("fi ab gr il bi ti be he sy im ry zd".split())


def _gated(f: Features, pattern: re.Pattern[str], gate: Starts | None) -> bool:
    """``pattern.match`` of the block's text, tried only when the pattern's prefix gate lets it through."""
    return gated_match(pattern, gate, f.block.text, f.head)


def _figure(text: str) -> bool:
    return text[:2].lower() in _FIGURE_STARTS and FIGURE_PREFIX.match(text) is not None


def _contributor(text: str) -> bool:
    return ("contributed" in text or " by" in text[:40]) and CONTRIBUTOR_TEXT.search(text) is not None


def _contact(text: str) -> bool:
    gate = "@" in text or "reached at" in text or text[:5].lower() in _CONTACT_STARTS
    return gate and CONTACT_TEXT.search(text) is not None


def _newsletter(text: str) -> bool:
    low = text.lower()
    gate = "newsletter" in low or "inbox" in low or "mail" in low or "boletín" in low
    return gate and NEWSLETTER_TEXT.search(text) is not None


#: The first four characters (lower-cased) every form of READER_PROMPT starts with: a set lookup is a
#: third of the cost of trying the pattern's alternatives (tests/test_lexicon.py checks the examples).
_PROMPT_STARTS: Final = frozenset(
    start.replace("_", " ")  # "_" stands for a space
    for start in "foll sígu sigu folg suiv segu siga obse down for_ the_ late get_ lade télé desc you_ sie_ du_m du_b "
    "vous debe devi this dies der_ cett esta if_y did_ plea supp help beco hat_ gefä wenn unte jede te_h le_h apoy sout "
    "to_v to_r to_c to_a subs alre sind bere sie_ du_h jetz déjà pour ¿ya_ para "  # paywall prompts
    "*thi we_m we_r we_e i_ma i_re i_ea letz bei_ werb *wer *die dies der_ cet_ este".split()  # disclosures
)


def _reader_prompt(text: str, first: str | None = None) -> bool:
    """``first``: the text's :func:`~sieve.gates.head` (its first four characters, lower-cased), if known."""
    return (text[:4].lower() if first is None else first) in _PROMPT_STARTS and READER_PROMPT.match(text) is not None


def _footer_link(text: str) -> bool:
    return gated_match(FOOTER_LINK, _FOOTER_LINK, text, head(text))


def _footer_links(block: Block) -> bool:
    links = block.links
    return bool(links) and block.link_density >= 0.7 and any(_footer_link(t) for t, _h in links[:12])


def link_prefix(block: Block) -> Label | None:
    """ "Trending: Ukraine | Midterms", "Compartir Facebook X": a heading word, then the links it heads."""
    if not block.links or block.link_density < 0.3 or block.chars > 600:
        return None
    cut = block.text.find(block.links[0][0])
    return heading_label(block.text[:cut]) if 2 < cut <= 40 else None


#: The signal table. Each row: (label, weight, longest block it applies to, signal name, predicate).
#: Every row whose signal fires adds its weight to its label; the highest total wins. Rows voting
#: OTHER vote for the most specific boilerplate label known for the block (its zone or region).
INF: Final = 1 << 30
# fmt: off
RULES: Final[tuple[Rule, ...]] = (
    (Label.HEADLINE, 5.0, 600, "text is the page title", lambda f: f.is_title),
    (Label.HEADLINE, 2.0, 600, "h1 heading", lambda f: f.block.heading == 1 and _ld(f) < 0.5),
    (Label.HEADLINE, 2.5, 400, "the page's first h1", lambda f: f.first_h1),
    (Label.BYLINE, 3.5, 150, "byline text (By ...)", lambda f: _gated(f, BYLINE_TEXT, _BYLINE_TEXT)),
    (Label.BYLINE, 2.0, 200, "byline markup", lambda f: f.field is _BYLINE),
    (Label.BYLINE, 4.0, 400, "contributor credit (Reporting by ..., ... contributed)", lambda f: _contributor(f.block.text)),
    (Label.DATELINE, 3.0, 80, "a date alone", lambda f: DATE_TEXT.match(f.block.text) is not None),
    (Label.DATELINE, 1.5, 120, "date markup", lambda f: f.field is _DATELINE),
    (Label.DATELINE, 3.5, 140, "Published/Updated and a date", lambda f: _gated(f, PUBLISHED_TEXT, _PUBLISHED_TEXT)),
    (Label.CAPTION, 3.5, INF, "inside figure/figcaption or caption markup", lambda f: f.block.figure or f.field is _CAPTION),
    (Label.CAPTION, 3.5, 600, "FILE photo prefix", lambda f: _gated(f, FILE_PHOTO_PREFIX, _FILE_PHOTO_PREFIX)),
    (Label.CAPTION, 3.5, 400, "photo credit", lambda f: _credit(f.block.text)),
    (Label.CAPTION, 5.0, 400, "a figure's caption (Figure 4: ...)", lambda f: _figure(f.block.text)),
    (Label.TAGS, 3.0, INF, "tags markup", lambda f: f.field is _TAGS and (_ld(f) > 0.3 or f.block.chars < 40)),
    (Label.TAGS, 3.5, INF, "Tags: followed by links", lambda f: _ld(f) > 0.4 and TAGS_PREFIX.match(f.block.text) is not None),
    (Label.SHARE, 3.0, 400, "links are share buttons", lambda f: _ld(f) >= 0.5 and _share_links(f.block)),
    (Label.AD, 3.5, 20, "an ad label", lambda f: _gated(f, AD_TEXT, _AD_TEXT)),
    (Label.NAV, 2.0, INF, MENU_SIGNAL, lambda f: _menu(f.block)),
    (Label.FOOTER, 2.5, INF, FOOTER_SIGNAL, lambda f: _footer_links(f.block)),
    (Label.OTHER, 3.0, INF, "inside a boilerplate heading zone", lambda f: f.zone is not None),
    (Label.OTHER, 2.5, INF, REGION_SIGNAL, lambda f: f.region is not None),
    (Label.OTHER, 1.5, INF, "mostly links", lambda f: _ld(f) >= 0.5),
    (Label.OTHER, 2.0, INF, "list item that is only a link", lambda f: f.block.list_kind != "" and _ld(f) >= 0.9),
    (Label.OTHER, 2.0, 150, "a linked title on its own line", lambda f: _ld(f) >= 0.9 and len(f.block.links) == 1 and f.block.list_kind == ""),
    (Label.OTHER, 2.5, INF, "end matter (copyright, read more)", lambda f: _gated(f, END_MATTER, _END_MATTER)),
    (Label.OTHER, 3.0, INF, "escaped markup", lambda f: f.block.text[:1] == "<" and "=" in f.block.text[:40]),
    (Label.OTHER, 3.0, 12, "no words", lambda f: not _WORD.search(f.block.text)),
    (Label.OTHER, 3.5, 60, "reading time", lambda f: _gated(f, READING_TIME, _READING_TIME)),
    (Label.OTHER, 3.5, 800, "a preview with a more/less toggle", lambda f: f.block.text.endswith(_TOGGLES) and TOGGLE_TEXT.search(f.block.text[-16:]) is not None),
    (Label.OTHER, 3.5, 300, "a bare URL", lambda f: " " not in f.block.text and BARE_URL.match(f.block.text) is not None),  # no match holds a space
    (Label.OTHER, 3.5, 40, "a control's label (Close, Print, Load more)", lambda f: _gated(f, UI_TEXT, _UI_TEXT)),
    (Label.BYLINE, 3.0, 250, "how to reach the reporter", lambda f: _contact(f.block.text)),
    (Label.NEWSLETTER, 3.5, 250, "a newsletter prompt", lambda f: _newsletter(f.block.text)),
    # anchored at the block's start, a prompt outweighs prose-in-the-body-container (up to 5.0): it opens its paragraph
    (Label.OTHER, 5.0, 400, "a prompt to the reader (follow us, log in to comment, did you like it?) or a posted-in line", lambda f: _reader_prompt(f.block.text, f.head)),
    (Label.OTHER, 3.5, 600, "a heading followed by its links (Trending: ..., Share: ...)", lambda f: f.prefix is not None),
    (Label.OTHER, 0.5, INF, "baseline", lambda f: True),
    (Label.BODY, 2.0, INF, "inside the main region", lambda f: f.in_main),
    (Label.BODY, 1.0, INF, "prose (long, few links)", lambda f: f.block.chars >= PROSE_CHARS and _ld(f) < 0.3),
    (Label.BODY, 1.0, INF, "long prose", lambda f: f.block.chars >= 200 and _ld(f) < 0.15),
    (Label.BODY, 1.5, INF, "in JSON-LD articleBody", lambda f: f.in_ld_body),
    (Label.BODY, 1.0, INF, "article-body markup", lambda f: f.field is _BODY and f.region_weight < 1.5),
)
# fmt: on


class Row:
    """One row of :data:`RULES` as the classifier reads it: a plain class, so that the compiled build
    reads its fields at fixed offsets (a row tuple is unpacked and type-checked anew for every block)."""

    __slots__ = ("label", "name", "signal", "weight")

    def __init__(self, label: Label, weight: float, name: str, signal: Callable[[Features], bool]) -> None:
        self.label = label
        self.weight = weight
        self.name = name
        self.signal = signal


#: The rows whose signal needs links in the block (a link density above a bound, the links themselves,
#: or the heading word before them): a block without links (two blocks in three) skips them.
LINK_SIGNALS: Final = frozenset(
    {
        "Tags: followed by links",
        "links are share buttons",
        MENU_SIGNAL,
        FOOTER_SIGNAL,
        "mostly links",
        "list item that is only a link",
        "a linked title on its own line",
        "a heading followed by its links (Trending: ..., Share: ...)",
    }
)

#: The rows whose pattern needs a digit in the text (every form of a date has one): a short block
#: without digits (most of them: menu items, headings, labels) skips them.
DIGIT_SIGNALS: Final = frozenset({"a date alone", "Published/Updated and a date"})
DIGIT: Final = re.compile(r"\d")  # the digits of those patterns' \d
#: Blocks longer than this are past every digit row's length limit: no need to look for a digit.
DIGIT_LONGEST: Final = max(row[2] for row in RULES if row[3] in DIGIT_SIGNALS)

#: The table cut by block length, links and digits: ``_ROWS_UP_TO[i][k]`` holds, in table order, the
#: rows that apply to a block of at most ``_LONGEST[i]`` characters (k: 0 with links and digits, 1
#: without links, 2 without digits, 3 without either), so scoring a block never looks at a row that
#: cannot apply.
_LONGEST: Final = sorted({row[2] for row in RULES})


def _cut(bound: int) -> tuple[tuple[Row, ...], ...]:
    rows = [Row(label, weight, name, signal) for label, weight, longest, name, signal in RULES if longest >= bound]
    unlinked = [r for r in rows if r.name not in LINK_SIGNALS]
    return (
        tuple(rows),
        tuple(unlinked),
        tuple(r for r in rows if r.name not in DIGIT_SIGNALS),
        tuple(r for r in unlinked if r.name not in DIGIT_SIGNALS),
    )


_ROWS_UP_TO: Final = [_cut(bound) for bound in _LONGEST]


def rules_for(chars: int, linked: bool = True, digits: bool = True) -> tuple[Row, ...]:
    """The rows of :data:`RULES` that apply to a block of ``chars`` characters (holding links or not,
    digits or not), in table order."""
    i = bisect_left(_LONGEST, chars)
    if i >= len(_ROWS_UP_TO):
        return ()
    return _ROWS_UP_TO[i][(0 if linked else 1) + (0 if digits else 2)]
