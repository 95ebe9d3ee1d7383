"""Print-edition notes: where the text appeared on paper, not the text.

A newspaper or magazine that prints its articles says so at the end of the web copy: "A version of
this article appears in print on …, on Page A7 of the New York edition", "This article appeared in
the March issue of …", "Dieser Beitrag stammt aus Ausgabe 7/2019 der …", "Dieser Artikel erschien
zuerst in der EMOTION 10/22", "Cet article est paru dans l'édition du …", "Publicado en la edición
impresa", "Questo articolo è stato pubblicato sul numero …", "Dit artikel verscheen in de krant van
…". The note sits inside the article-body container, after the last paragraph or in a box above the
first, and reads as a short paragraph; it is the publisher's record of the text's history (like a copyright line), not
the author's text. A body block that opens with such a note is page furniture.
"""

from __future__ import annotations

import re
from typing import Final

from sieve.contracts import Label
from sieve.gates import gated_match, head, starts
from sieve.signals import Features

_BODY: Final = Label.BODY
_OTHER: Final = Label.OTHER
#: The longest block the note is read in: the note and the links after it ("Order Reprints | …").
_NOTE_CHARS: Final = 400
#: How many body blocks at either end of the text may hold the note (a box above the text, or a
#: line after it that a closing credit or tag line may follow).
_EDGE_BLOCKS: Final = 3

#: What the note opens with (matched at the block's start, case-blind). An issue is named by a word
#: ("print", "issue", "Ausgabe", "Heft", "édition", "edición impresa") or an issue number ("10/22").
PRINT_NOTE: Final = re.compile(
    r"(?:a version of this (?:article|story|review|essay|column) appear(?:s|ed) in print"
    r"|this (?:article|story|piece|essay|review|column) (?:first |originally )?"
    r"(?:appear(?:s|ed)|ran|was published) in (?:the )?(?:print\b|[^.]{0,60}?\b(?:issue|print edition)\b)"
    r"|dieser (?:artikel|beitrag|text) (?:erschien|ist (?:zuerst |ursprünglich )?erschienen|stammt aus)"
    r"[^.]{0,60}?(?:ausgabe|heft\b|\b\d{1,2}/\d{2,4}\b)"
    r"|(?:zuerst )?erschienen in (?:der )?(?:print-?)?ausgabe"
    r"|(?:cet )?article (?:est )?paru dans (?:l['’]édition|le numéro|le magazine)"
    r"|(?:este artículo )?(?:fue publicado|se publicó|apareció|publicado) (?:originalmente )?en "
    r"(?:la edición impresa|el número)"
    r"|(?:questo articolo è (?:stato )?|articolo )(?:pubblicato|uscito) (?:sul|nel) (?:numero|giornale|cartaceo)"
    r"|(?:este artigo|esta reportagem) (?:foi publicad[oa]|saiu) (?:originalmente )?na edição impressa"
    r"|dit artikel (?:verscheen|is verschenen) (?:ook )?in (?:de krant|de papieren|het nummer|editie))",
    re.IGNORECASE,
)
#: The pattern's prefix gate (sieve.gates), read off the pattern itself: a set lookup before it.
_GATE: Final = starts(PRINT_NOTE)


def print_notes(feats: list[Features]) -> None:
    """A body block opening with a print-edition note (see the module's doc) is not body. The note
    comes before or after the text, so only the first and the last few body blocks are read."""
    n = len(feats)
    _read(feats, range(n))
    _read(feats, range(n - 1, -1, -1))


def _read(feats: list[Features], order: range) -> None:
    left = _EDGE_BLOCKS
    for k in order:
        b = feats[k].block
        if b.label is not _BODY:
            continue
        if b.chars <= _NOTE_CHARS and not b.heading and gated_match(PRINT_NOTE, _GATE, b.text, head(b.text)):
            b.label = _OTHER
            b.why = [*b.why, "a note on the print edition the text appeared in"]
        left -= 1
        if not left:
            return
