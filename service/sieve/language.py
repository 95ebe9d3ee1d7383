"""Which language a text is in, from its most frequent function words (no model, no download).

Used only when a page declares no language. Covers the languages whose news pages are most common on
the open web; anything else stays ``None`` rather than a guess.
"""

from __future__ import annotations

import re
from typing import Final

_STOPWORDS: Final[dict[str, frozenset[str]]] = {
    code: frozenset(words.split())
    for code, words in {
        "en": "the of and to in is that for it was on with as he be by at are from his have this not but an they which",
        "es": "de la que el en los del las por un para con una su al lo como más pero sus le ya o este sí porque esta",
        "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus",
        "fr": "de la le et les des en du un une que est pour qui dans par sur au pas plus ne ce il sont avec se aux",
        "pt": "de que o a do da em para com não uma os no se na por mais as dos como mas foi ao ele das tem à seu",
        "it": "di che il la e per un in del non della una sono le si con da al dei ma è anche come alla nel più",
        "nl": "de van het een en in is dat op te zijn met voor niet aan er die ook als bij door maar om",
    }.items()
}
_WORD: Final = re.compile(r"[^\W\d_]+")


def detect_language(text: str, *, min_hits: int = 8) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when the evidence is thin."""
    counts = dict.fromkeys(_STOPWORDS, 0)
    for word in _WORD.findall(text[:5000].casefold()):
        for code, words in _STOPWORDS.items():
            if word in words:
                counts[code] += 1
    best = max(counts, key=counts.__getitem__)
    ranked = sorted(counts.values(), reverse=True)
    if ranked[0] < min_hits or ranked[0] < 1.3 * ranked[1]:
        return None
    return best


# --- the page's declaration checked against the text: CLD2 (pycld2) ------------------------------
# CLD2 is Chromium's compact language detector: C++, its tables compiled into the wheel (no model
# file, nothing downloaded), 80+ languages, about 0.05 ms for the 600 characters read here.
_CLD2_ALIASES: Final = {"iw": "he", "jw": "jv", "in": "id", "mo": "ro", "tl": "fil"}
_SAMPLE: Final = 600
_MIN_CHARS: Final = 200
LANGUAGE_CODE: Final = re.compile(r"[a-z]{2,3}")  # an ISO 639 code
_UNSAFE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # below this, a declaration is never overruled


def _cld2(text: str) -> tuple[str | None, bool, int]:
    """(ISO 639-1 code or None, is reliable, percent of the text in it)."""
    try:
        import pycld2
    except ImportError:  # pragma: no cover - a dependency; the function-word detector still works
        return None, False, 0
    try:
        reliable, _bytes, details = pycld2.detect(text[:_SAMPLE], bestEffort=False)
    except (pycld2.error, ValueError):  # UnicodeEncodeError (lone surrogates) is a ValueError
        try:  # invalid characters (lone surrogates, controls): retry on a cleaned sample
            clean = _UNSAFE.sub(" ", text[:_SAMPLE].encode("utf-8", "ignore").decode("utf-8"))
            reliable, _bytes, details = pycld2.detect(clean)
        except (pycld2.error, ValueError):
            return None, False, 0
    if not details:
        return None, False, 0
    code = str(details[0][1]).split("-")[0].lower()
    code = _CLD2_ALIASES.get(code, code)
    if code in ("un", "xx", "") or not LANGUAGE_CODE.fullmatch(code):
        return None, False, 0
    return code, bool(reliable), int(details[0][2])


#: A declaration is confirmed without CLD2 when the sample CLD2 would read holds this many words, and
#: at least this share of them are the declared language's function words (running text in English,
#: German, French... has 25-40 %; text in another language has a few percent, its chance homographs).
_CONFIRM_WORDS: Final = 60
_CONFIRM_SHARE: Final = 0.2


def confirms(declared: str, text: str) -> bool:
    """Does the start of ``text`` read as the ``declared`` language by its function words?

    CLD2 overrules a declaration only when 80 % of that sample is reliably another language, which a
    sample of 60 or more words a fifth of which are the declared language's function words never is;
    such pages (most pages: they declare their language, and rightly) skip CLD2. Its tables are megabytes
    that a page's parse has evicted from the cache, so it costs several times what the word count does."""
    words = _STOPWORDS.get(declared)
    if words is None:
        return False
    sample = text[:_SAMPLE].casefold().split()  # words as written: "the," is no hit, which only costs margin
    if len(sample) < _CONFIRM_WORDS:
        return False
    hits = 0
    for word in sample:
        if word in words:
            hits += 1
    return hits >= _CONFIRM_SHARE * len(sample)


def resolve_language(declared: str | None, text: str) -> str | None:
    """The page's language: its declaration (JSON-LD, ``<html lang>``, ``og:locale``…) unless the body
    text is clearly in another language; detected from the text when nothing is declared."""
    if len(text) < _MIN_CHARS:
        return declared or detect_language(text) or (_cld2(text)[0] if text and not declared else None)
    if declared and confirms(declared, text):
        return declared
    code, reliable, percent = _cld2(text)
    if declared:
        if code and code != declared and reliable and percent >= 80:
            return code
        return declared
    if code and reliable:
        return code
    return detect_language(text)
