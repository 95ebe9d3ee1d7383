"""duplicate_of on the real broker: one wire story re-wrapped by other sites, two workers in one group.

The original is published first; then its copies (the story in the layouts of other fixture sites,
with small edits) and unrelated stories on the same topic, on every partition of the input, so both
workers extract pages and walk band keys. Every copy must come out flagged as a duplicate of the
original, whichever worker handled it and whichever partitions its band keys live on; no unrelated
story may be flagged.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaProducer

from .conftest import StartWorker, make_topics, worker_env
from .kafka_helpers import MAX_MESSAGE_BYTES, drain
from .pages import envelope

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import syndicate

pytestmark = pytest.mark.kafka

PARTITIONS = 4
#: The copies below move the 400-word wire story's SimHash by up to 5 bits (printed by the test); 6
#: leaves a margin and means 7 bands, so each article visits more partitions than there are.
DISTANCE = 6
WIRE = "wire_story_articlebody"


def _dateline(paragraphs: list[str]) -> list[str]:
    """A different first line: the site drops the agency from the dateline."""
    return [paragraphs[0].replace("WASHINGTON (AP) — ", "WASHINGTON — "), *paragraphs[1:]]


def _note(paragraphs: list[str]) -> list[str]:
    """An editor's note added at the end."""
    return [*paragraphs, "Editor's note: This story was updated."]


#: (layout, edit, url) of each syndicated copy
COPIES = [
    ("thehill_style_article", _dateline, "https://thehill.example/policy/bridges-inspections"),
    ("magazine_longform", _note, "https://magazine.example/2026/bridges"),
    ("tech_explainer_structure", lambda ps: ps, "https://ledger.example/news/bridge-inspections-proposed"),
    ("german_bare_divs", _note, "https://regional.example/ap/bridges"),
    ("spanish_article", _dateline, "https://diario.example/nacional/puentes"),
]
#: Other bridge stories: the same topic and words, not the same story.
UNRELATED = [
    [
        "The county closed the Mill Street bridge on Monday after inspectors found cracks in two of its "
        "concrete piers, sending about 9,000 drivers a day onto a detour through the industrial park.",
        "Engineers said the cracks were not an immediate danger, but the county's public works director "
        "said she would not take a chance with a structure built in 1958 and last rebuilt in the 1980s.",
        "A temporary repair could reopen one lane by the end of the month; a full replacement, which the "
        "county has asked the state to help pay for, would take at least two years.",
        "Business owners on both sides of the river said the closure came at the worst time of year, "
        "just as the summer market season begins and traffic to the waterfront is at its highest.",
        "The county will hold a public meeting on Thursday evening at the library to explain the detour "
        "and take questions about the schedule for the repairs and the replacement.",
    ],
    [
        "Drone pilots hired by the state transportation department finished their first season of "
        "bridge inspections this week, covering 340 structures in the time crews once needed for 90.",
        "The drones carry high-resolution cameras and thermal sensors that can spot rust under paint and "
        "water trapped inside concrete, problems that inspectors hanging from a truck's arm often miss.",
        "Department officials said the program saved about $2 million in lane closures and equipment "
        "rentals, and they plan to double the number of pilots next year.",
        "Inspectors still climb every bridge rated in poor condition, the department said, because a "
        "camera cannot tap a beam with a hammer and listen for the hollow sound of hidden decay.",
        "The union representing the inspectors said it supported the drones as long as they were used "
        "to add to the hands-on inspections and not to replace the people who do them.",
    ],
]


async def _send(bootstrap: str, topic: str, pages: list[tuple[str, str]]) -> None:
    """Send (url, html) pages round-robin over the input's partitions, so both workers get some."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_request_size=MAX_MESSAGE_BYTES)
    await producer.start()
    try:
        futures = [
            await producer.send(topic, value=envelope(url, html), key=url.encode(), partition=i % PARTITIONS)
            for i, (url, html) in enumerate(pages)
        ]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


def test_copies_across_sites_and_workers_are_flagged_unrelated_are_not(
    kafka_bootstrap: str, module_workers: StartWorker, tmp_path_factory: pytest.TempPathFactory
) -> None:
    topics = make_topics(PARTITIONS, kafka_bootstrap)
    workers = []
    for name in ("d1", "d2"):
        env = worker_env(kafka_bootstrap, topics, tmp_path_factory.mktemp(name), PARTITIONS)
        env["SIEVE_DEDUP_DISTANCE"] = str(DISTANCE)
        workers.append(module_workers(env, name))
    deadline = time.monotonic() + 90
    while True:  # both in the group, the partitions split between them
        parts = [set(w.wait_ready()["assigned_partitions"]) for w in workers]  # type: ignore[arg-type]
        if all(parts) and not parts[0] & parts[1] and parts[0] | parts[1] == set(range(PARTITIONS)):
            break
        assert time.monotonic() < deadline, f"partitions not split: {parts}"
        time.sleep(0.5)

    story = syndicate.fixture_paragraphs(WIRE)
    original_url = "https://wire.example/2026/11/25/bridges-inspections"
    asyncio.run(_send(kafka_bootstrap, topics.raw, [(original_url, syndicate.fixture_html(WIRE))]))
    first = asyncio.run(drain(kafka_bootstrap, [topics.clean], expect=1, timeout=90, settle=0))
    assert [orjson.loads(r.value or b"")["url"] for r in first] == [original_url], workers[0].log_tail()

    pages = [(url, syndicate.rewrap(layout, edit(story))) for layout, edit, url in COPIES]
    layouts = ("localnews_related_inside", "wire_story_articlebody")
    unrelated = [
        (f"https://county.example/news/bridge-{n}", syndicate.rewrap(layout, paragraphs))
        for n, (layout, paragraphs) in enumerate(zip(layouts, UNRELATED, strict=True))
    ]
    asyncio.run(_send(kafka_bootstrap, topics.raw, pages + unrelated))
    total = 1 + len(pages) + len(unrelated)
    out = asyncio.run(drain(kafka_bootstrap, [topics.clean, topics.dlq], expect=total, timeout=120, settle=3))
    events = {e["url"]: e for e in (orjson.loads(r.value or b"") for r in out if r.topic == topics.clean)}
    logs = "\n".join(w.log_tail() for w in workers)
    assert len(out) == total and set(events) == {original_url, *(u for u, _ in pages + unrelated)}, logs

    original = events[original_url]
    assert original["duplicate_of"] is None
    for url, _ in pages:
        flagged = events[url]["duplicate_of"]
        print(f"{url}: {flagged}")
        assert flagged is not None, f"{url} not flagged (simhash {events[url]['simhash']} vs {original['simhash']})"
        assert flagged["id"] == original["id"] and flagged["url"] == original_url
        assert 0 <= flagged["distance"] <= DISTANCE
        assert events[url]["id"] != original["id"]
    for url, _ in unrelated:
        assert events[url]["duplicate_of"] is None, (url, events[url]["duplicate_of"])

    metrics = [w.metrics() for w in workers]
    assert all(m["sieve_pages_in_total"] > 0 for m in metrics), "both workers extracted pages"
    assert sum(m["sieve_duplicates_total"] for m in metrics) == len(pages)
    assert sum(m["sieve_articles_out_total"] for m in metrics) == total
