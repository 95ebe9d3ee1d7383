"""SimHash of article text: stable, tolerant of small edits, far apart for different stories."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sieve.simhash import BITS, distance, simhash, simhash_hex

STORY = (
    "The city council voted on Tuesday to close the old bridge over the river for two years of repairs. "
    "Engineers found corrosion in the steel beams during an inspection in the spring, the mayor said. "
    "Drivers will be sent to the north crossing, which adds about ten minutes to a trip downtown. "
    "Bus routes will change from next month, and the ferry will run every fifteen minutes at rush hour. "
    "Shop owners near the bridge asked for help; the council promised a grant programme by the summer. "
) * 3
OTHER = (
    "A local bakery won the regional bread prize for the third year running, beating forty entries. "
    "The owners credit a sourdough starter kept alive since the shop opened in nineteen eighty two. "
    "Judges praised the crust and the open crumb, and the prize money will pay for a second oven. "
) * 3


def _slow(text: str) -> int:
    """The textbook definition, one feature and one bit at a time, to check the fast one against."""
    import re

    words = re.findall(r"[^\W_]+", text.casefold())
    feats = {" ".join(words[i : i + 3]) for i in range(len(words) - 2)} if len(words) >= 3 else set(words)
    counts = [0] * BITS
    for feat in feats:
        value = int.from_bytes(hashlib.blake2b(feat.encode(), digest_size=8).digest(), "big")
        for bit in range(BITS):
            counts[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit in range(BITS) if counts[bit] > 0)


def test_matches_the_textbook_definition() -> None:
    for text in (STORY, OTHER, "one two", "a b c d", STORY[:500]):
        assert simhash(text) == _slow(text)


def test_same_text_same_hash_and_case_or_punctuation_do_not_matter() -> None:
    assert simhash(STORY) == simhash(STORY)
    assert simhash(STORY) == simhash(STORY.upper().replace(",", " ").replace(";", "."))


def _fixture_text(name: str) -> str:
    data = json.loads((Path(__file__).parent / "fixtures" / "pages" / f"{name}.expected.json").read_text("utf-8"))
    return "\n\n".join(data["paragraphs"])


def test_small_edits_stay_close_and_other_stories_are_far() -> None:
    story = _fixture_text("magazine_longform")  # a real-length story (~1,500 words)
    edited = "Editor's note: this story was updated on Friday.\n\n" + story.replace("pharmacy", "drugstore", 1)
    near = distance(simhash(story), simhash(edited))
    far = distance(simhash(story), simhash(_fixture_text("wire_story_articlebody")))
    assert near <= 6, near
    assert far >= 20, far


def test_hex_form_and_empty_text() -> None:
    assert simhash("") == 0
    assert simhash_hex("") == "0" * 16
    value = simhash_hex(STORY)
    assert len(value) == 16 and int(value, 16) == simhash(STORY)
