"""Which language a text is in, from its most frequent function words (no model, no download).

Used only when a page declares no language. Covers the languages whose news pages are most common on
the open web; anything else stays ``None`` rather than a guess.
"""

from __future__ import annotations

import re

_STOPWORDS: dict[str, frozenset[str]] = {
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
_WORD = re.compile(r"[^\W\d_]+")


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
