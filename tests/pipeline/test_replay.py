"""``sieve replay-dlq``: exact restoration, routing (raw pages and the three internal topics), filters,
resume, dry run. The routing is tested without a broker on dead letters written by the worker's own
code; the tests marked ``kafka`` run the command against the real broker."""

from __future__ import annotations

import asyncio
import dataclasses
import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest

from sieve.cli import build_parser, main
from sieve.pipeline import records
from sieve.pipeline.app import Pipeline
from sieve.pipeline.letters import Origin, is_internal_record, origin_of, parse_letter
from sieve.pipeline.records import Failure, Source, Stage
from sieve.pipeline.replay import (
    ReplayError,
    ReplayOptions,
    ReplayReport,
    _handle,
    options_from_args,
    replay,
    target_topic,
)
from sieve.pipeline.settings import Settings, load

from .conftest import PipelineTopics, make_topics
from .kafka_helpers import Received, create_topics, drain, produce
from .pages import article_html, envelope

Message = tuple[bytes | None, bytes | None, list[tuple[str, bytes]]]


def _letter(
    key: bytes | None,
    value: bytes | None,
    headers: list[tuple[str, bytes]],
    kind: str,
    stage: Stage,
    *,
    max_bytes: int = 16 * 1024 * 1024,
) -> Message:
    """A dead letter as the worker writes it: the record, keyed by the original key, with its headers."""
    record = records.dead_letter(
        key=key,
        value=value,
        headers=headers,
        kind=kind,
        message=f"test {kind}",
        stage=stage,
        source=Source("pages.raw", 0, 7),
        worker_id="test-worker",
        max_bytes=max_bytes,
    )
    return key, records.dumps(record), headers


RAW_PAGE: Message = (
    b"https://news.example.com/a",
    envelope("https://news.example.com/a", article_html(1)),
    [("url", b"https://news.example.com/a"), ("x-trace", b"\xff\x00binary")],
)
BINARY_PAGE: Message = (None, bytes(range(256)) * 4, [("url", b"https://x.example/bin")])
INTERNAL: Message = (
    b"article-1",
    records.dumps(records.by_id_record({"id": "article-1", "content_hash": "h1"}, Source("pages.raw", 1, 3))),
    [],
)
# The shapes LinkStage.route and DedupStage.submit send (test_internal_dead_letters_* below checks
# the real stages' records are recognised the same way).
LINKS: Message = (
    b"page-1",
    orjson.dumps(
        {
            "source_url": "https://news.example.com/",
            "source_id": "page-1",
            "seen_at": "2026-11-25T08:00:00.000Z",
            "source": Source("pages.raw", 1, 4).to_dict(),
            "links": [
                {"url": "https://news.example.com/world/a", "title": "A", "label": "article_list", "position": 1}
            ],
        }
    ),
    [],
)
BANDS: Message = (
    b"article-2",
    orjson.dumps(
        {
            "event": {"id": "article-2", "simhash": "00000000000000ff", "text": "x", "revision": 1},
            "source": Source("pages.raw", 0, 5).to_dict(),
            "order": 1_800_000_000_000,
            "k": 4,
            "band": 2,
            "match": None,
        }
    ),
    [],
)


def _env(monkeypatch: pytest.MonkeyPatch, bootstrap: str, topics: PipelineTopics) -> None:
    for name, value in {
        "SIEVE_KAFKA_BOOTSTRAP": bootstrap,
        "SIEVE_TOPIC_RAW": topics.raw,
        "SIEVE_TOPIC_CLEAN": topics.clean,
        "SIEVE_TOPIC_SKIPPED": topics.skipped,
        "SIEVE_TOPIC_DLQ": topics.dlq,
        "SIEVE_GROUP_ID": topics.group,
    }.items():
        monkeypatch.setenv(name, value)


def _topics(bootstrap: str) -> PipelineTopics:
    topics = make_topics(2, bootstrap)
    internal = [f"{topics.group}.{name}" for name in ("articles-by-id", "links-by-url", "simhash-bands")]
    asyncio.run(create_topics(bootstrap, internal, partitions=2))
    return topics


def _as_message(r: Received) -> Message:
    return r.key, r.value, list(r.headers)


def test_parse_letter_round_trips_what_the_worker_writes() -> None:
    letter = parse_letter(_letter(*RAW_PAGE, "extractor_crash", Stage.EXTRACT)[1])
    assert (letter.key, letter.value, letter.headers) == RAW_PAGE
    assert (letter.kind, letter.stage) == ("extractor_crash", "extract")
    assert not letter.truncated and not letter.internal
    assert parse_letter(_letter(*BINARY_PAGE, "binary_content", Stage.DECODE)[1]).value == BINARY_PAGE[1]
    assert parse_letter(_letter(*INTERNAL, "publish_failed", Stage.PUBLISH)[1]).internal
    assert is_internal_record(INTERNAL[1]) and not is_internal_record(RAW_PAGE[1]) and not is_internal_record(None)
    assert parse_letter(_letter(*LINKS, "publish_failed", Stage.PUBLISH)[1]).origin is Origin.LINKS
    assert parse_letter(_letter(*BANDS, "bad_internal_record", Stage.UPDATE)[1]).origin is Origin.BANDS
    with pytest.raises(ValueError):
        parse_letter(b"not json")
    with pytest.raises(ValueError):
        parse_letter(b'{"key": null}')


def test_cli_registers_replay_dlq() -> None:
    args = build_parser().parse_args(["replay-dlq", "--dry-run", "--kind", "a", "--kind", "b", "--max", "3"])
    assert args.command == "replay-dlq" and args.dry_run and args.kind == ["a", "b"] and args.max == 3


@pytest.mark.kafka
def test_replay_restores_messages_routes_them_and_resumes(
    kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = _topics(kafka_bootstrap)
    by_id, links, bands = (f"{topics.group}.{n}" for n in ("articles-by-id", "links-by-url", "simhash-bands"))
    truncated = _letter(b"big", b"<p>" + b"x" * 20_000, [], "too_large", Stage.DECODE, max_bytes=70 * 1024)
    assert orjson.loads(truncated[1] or b"")["value_truncated"] is True
    letters = [
        _letter(*RAW_PAGE, "extractor_crash", Stage.EXTRACT),
        _letter(*BINARY_PAGE, "binary_content", Stage.DECODE),
        truncated,
        _letter(*INTERNAL, "publish_failed", Stage.PUBLISH),
        _letter(*LINKS, "publish_failed", Stage.PUBLISH),
        _letter(*BANDS, "publish_failed", Stage.PUBLISH),
        (b"junk", b"this is not a dead letter", []),
    ]
    asyncio.run(produce(kafka_bootstrap, topics.dlq, letters))
    _env(monkeypatch, kafka_bootstrap, topics)

    # A dry run lists what it would replay and neither sends nor commits.
    assert main(["replay-dlq", "--dry-run"]) == 0
    out, err = capsys.readouterr()
    listed = [orjson.loads(line) for line in out.splitlines()]
    assert sorted(x["target"] for x in listed) == sorted([topics.raw, topics.raw, by_id, links, bands])
    assert sorted(x["origin"] for x in listed) == ["bands", "by-id", "links", "raw", "raw"]
    assert {x["kind"] for x in listed} == {"extractor_crash", "binary_content", "publish_failed"}
    assert "would replay 5 of 7" in err and "1 truncated, 1 unreadable" in err
    everywhere = [topics.raw, by_id, links, bands]
    assert asyncio.run(drain(kafka_bootstrap, everywhere, expect=0, timeout=5, settle=1.0)) == []

    # The real run restores key, value and headers exactly; internal records go back to their topics.
    assert main(["replay-dlq"]) == 0
    assert "replayed 5 of 7" in capsys.readouterr().err
    raw = asyncio.run(drain(kafka_bootstrap, [topics.raw], expect=2, timeout=30, settle=0.5))
    assert sorted(map(_as_message, raw), key=repr) == sorted([RAW_PAGE, BINARY_PAGE], key=repr)
    for topic, message in ((by_id, INTERNAL), (links, LINKS), (bands, BANDS)):
        internal = asyncio.run(drain(kafka_bootstrap, [topic], expect=1, timeout=30, settle=0.5))
        assert list(map(_as_message, internal)) == [message], topic

    # The position was committed: running again replays nothing, then only what arrived since.
    assert main(["replay-dlq"]) == 0
    assert "replayed 0 of 0" in capsys.readouterr().err
    late = (b"https://news.example.com/late", envelope("https://news.example.com/late", article_html(2)), [])
    asyncio.run(produce(kafka_bootstrap, topics.dlq, [_letter(*late, "extractor_crash", Stage.EXTRACT)]))
    assert main(["replay-dlq"]) == 0
    assert "replayed 1 of 1" in capsys.readouterr().err
    raw = asyncio.run(drain(kafka_bootstrap, [topics.raw], expect=3, timeout=30, settle=0.5))
    assert sorted(map(_as_message, raw), key=repr) == sorted([RAW_PAGE, BINARY_PAGE, late], key=repr)


@pytest.mark.kafka
def test_kind_filter_max_and_from_beginning(kafka_bootstrap: str) -> None:
    topics = _topics(kafka_bootstrap)
    pages = [
        (f"k{i}".encode(), envelope(f"https://news.example.com/{i}", article_html(i)), [("n", str(i).encode())])
        for i in range(6)
    ]
    kinds = ["extractor_crash", "charset_mismatch"] * 3
    letters = [_letter(*m, kind, Stage.EXTRACT) for m, kind in zip(pages, kinds, strict=True)]
    dlq = f"{topics.dlq}.one-partition"  # one partition: the order, and so what --max picks, is fixed
    asyncio.run(create_topics(kafka_bootstrap, [dlq], partitions=1))
    asyncio.run(produce(kafka_bootstrap, dlq, letters))
    settings = load(
        {
            "SIEVE_KAFKA_BOOTSTRAP": kafka_bootstrap,
            "SIEVE_TOPIC_RAW": topics.raw,
            "SIEVE_TOPIC_DLQ": topics.dlq,
            "SIEVE_GROUP_ID": topics.group,
        }
    )
    base = ReplayOptions(
        dlq_topic=dlq,
        raw_topic=topics.raw,
        internal_topic=settings.topic_by_id,
        links_topic=settings.topic_links_by_url,
        bands_topic=settings.topic_bands,
        group=topics.group,
    )

    def run(**changes: object) -> int:
        return asyncio.run(replay(settings, dataclasses.replace(base, **changes))).replayed  # type: ignore[arg-type]

    assert run(kinds=frozenset({"charset_mismatch"}), max=2) == 2
    # --from-beginning ignores the committed position; the filter picks the 3 crashes only.
    assert run(kinds=frozenset({"extractor_crash"}), from_beginning=True) == 3
    got = asyncio.run(drain(kafka_bootstrap, [topics.raw], expect=5, timeout=30, settle=0.5))
    keys = sorted(r.key or b"" for r in got)
    assert keys == [b"k0", b"k1", b"k2", b"k3", b"k4"]  # k1, k3 (--max 2) and the three crashes
    # Everything up to the end was committed by the second run: nothing is left for this group.
    assert run() == 0


@pytest.mark.kafka
def test_missing_topic_is_a_clear_error(
    kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = _topics(kafka_bootstrap)
    _env(monkeypatch, kafka_bootstrap, topics)
    assert main(["replay-dlq", "--from-topic", "no.such.topic"]) == 1
    assert "no.such.topic does not exist" in capsys.readouterr().err


# ---- routing of internal dead letters, without a broker ------------------------------------------
SOURCE = Source("pages.raw", 2, 41, fetched_at="2026-11-25T08:00:00Z", crawl_id="c1")
Captured = tuple[str, bytes | str | None, dict[str, Any], int | None]


@pytest.fixture
def worker(tmp_path: Path) -> tuple[Pipeline, list[Captured]]:
    """A worker that is built but never started; everything it publishes is captured."""
    settings = load({"SIEVE_DATA_DIR": str(tmp_path), "SIEVE_PARTITIONS": "4", "SIEVE_GROUP_ID": "grp"})
    pipeline = Pipeline(settings)
    sent: list[Captured] = []

    async def publish(topic: Any, key: Any, record: Any, headers: Any = None, partition: Any = None) -> None:
        sent.append((topic.get_topic_name(), key, dict(record), partition))

    async def send(topic: Any, items: Any) -> None:
        sent.extend((topic.get_topic_name(), key, record, partition) for key, record, partition in items)

    pipeline.publish = publish  # type: ignore[method-assign]
    pipeline.links._send = send  # type: ignore[method-assign]
    return pipeline, sent


def _internal_messages(pipeline: Pipeline, sent: list[Captured]) -> dict[str, Captured]:
    """One message of each internal topic, as the stages produce them from one extracted article page."""
    s = pipeline.settings
    words = " ".join(f"word{i}" for i in range(80))
    article = {
        "id": "a1",
        "url": "https://news.example.com/world/a1",
        "content_hash": "h1",
        "text": words,
        "word_count": 80,
        "page_type": "article",
        "article_list": [
            {"title": "Another story today", "url": "https://news.example.com/world/story-2", "position": 1}
        ],
    }
    asyncio.run(pipeline.links.route(article, SOURCE))
    asyncio.run(pipeline.dedup.submit(records.clean_event(article, SOURCE, 1), 1_800_000_000_000))
    sent.append((s.topic_by_id, b"a1", records.by_id_record(article, SOURCE), None))
    out = {topic: item for item in sent if (topic := item[0]) in s.input_topics[1:]}
    assert set(out) == {s.topic_by_id, s.topic_links_by_url, s.topic_bands}
    sent.clear()
    return out


def _dead_letter(pipeline: Pipeline, sent: list[Captured], topic: str, key: bytes | None, value: bytes) -> bytes:
    """What the worker writes to pages.dlq when a message of ``topic`` fails."""
    message = SimpleNamespace(topic=topic, partition=3, offset=17, key=key, value=value, headers=[])
    failure = Failure("publish_failed", "broker said no", Stage.PUBLISH)
    asyncio.run(pipeline.send_dead_letter(SimpleNamespace(message=message), failure))  # type: ignore[arg-type]
    ((dlq, _, record, _),) = sent
    sent.clear()
    assert dlq == pipeline.settings.topic_dlq
    return records.dumps(record)


def _options(settings: Settings, *argv: str) -> ReplayOptions:
    return options_from_args(settings, build_parser().parse_args(["replay-dlq", *argv]))


def test_internal_dead_letters_go_back_to_the_topic_they_were_read_from(
    worker: tuple[Pipeline, list[Captured]],
) -> None:
    pipeline, sent = worker
    s = pipeline.settings
    options = _options(s, "--to", "elsewhere.raw")
    assert (options.internal_topic, options.links_topic, options.bands_topic) == (
        "grp.articles-by-id",
        "grp.links-by-url",
        "grp.simhash-bands",
    )
    expected = {s.topic_by_id: Origin.BY_ID, s.topic_links_by_url: Origin.LINKS, s.topic_bands: Origin.BANDS}
    for topic, (_, key, record, _) in _internal_messages(pipeline, sent).items():
        raw_key = key.encode() if isinstance(key, str) else key
        value = records.dumps(record)
        letter = parse_letter(_dead_letter(pipeline, sent, topic, raw_key, value))
        assert letter.origin is expected[topic] and letter.internal
        assert target_topic(letter, options) == topic  # not --to: that is for raw pages only
        assert (letter.key, letter.value) == (raw_key, value)  # restored exactly
        assert letter.source["topic"] == "pages.raw" and letter.source["offset"] == 41  # names the raw page


def test_raw_pages_are_never_taken_for_internal_records(worker: tuple[Pipeline, list[Captured]]) -> None:
    pipeline, sent = worker
    s = pipeline.settings
    # An envelope that happens to carry fields named like an internal record's is still a page.
    odd = orjson.dumps({"url": "https://x.example/", "html": "<p>hi</p>", "source": {}, "links": [], "article": {}})
    bands_like = orjson.loads(BANDS[1] or b"")
    for value in (RAW_PAGE[1], BINARY_PAGE[1], b"<html>{}</html>", odd, orjson.dumps({**bands_like, "url": "u"})):
        assert origin_of(value) is Origin.RAW
        letter = parse_letter(_dead_letter(pipeline, sent, s.topic_raw, b"k", value or b""))
        assert target_topic(letter, _options(s)) == s.topic_raw
        assert target_topic(letter, _options(s, "--to", "elsewhere.raw")) == "elsewhere.raw"
    assert origin_of(LINKS[1]) is Origin.LINKS and origin_of(BANDS[1]) is Origin.BANDS
    links_missing = orjson.loads(LINKS[1] or b"")
    del links_missing["links"]
    assert origin_of(orjson.dumps(links_missing)) is Origin.RAW


class _Producer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes | None, bytes | None, Any]] = []

    async def send(self, topic: str, *, value: bytes | None, key: bytes | None, headers: Any) -> asyncio.Future[None]:
        self.sent.append((topic, key, value, headers))
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        future.set_result(None)
        return future


def _record(value: bytes | None, offset: int) -> SimpleNamespace:
    return SimpleNamespace(value=value, partition=0, offset=offset)


def test_handle_sends_each_letter_to_its_topic_and_counts_it(tmp_path: Path) -> None:
    settings = load({"SIEVE_DATA_DIR": str(tmp_path), "SIEVE_GROUP_ID": "grp"})
    options = _options(settings)
    messages = [RAW_PAGE, INTERNAL, LINKS, BANDS]
    letters = [_letter(*m, "publish_failed", Stage.PUBLISH)[1] for m in messages]
    topics = {settings.topic_raw, settings.topic_by_id, settings.topic_links_by_url, settings.topic_bands}

    async def run(producer: _Producer | None, topics: set[str], out: io.BytesIO) -> ReplayReport:
        report = ReplayReport()
        sent: list[asyncio.Future[Any]] = []
        for offset, value in enumerate(letters):
            await _handle(_record(value, offset), options, report, producer, sent, out, topics)
        return report

    producer = _Producer()
    report = asyncio.run(run(producer, topics, io.BytesIO()))
    assert [(t, k, v) for t, k, v, _ in producer.sent] == [
        (settings.topic_raw, RAW_PAGE[0], RAW_PAGE[1]),
        ("grp.articles-by-id", INTERNAL[0], INTERNAL[1]),
        ("grp.links-by-url", LINKS[0], LINKS[1]),
        ("grp.simhash-bands", BANDS[0], BANDS[1]),
    ]
    assert producer.sent[0][3] == RAW_PAGE[2]  # headers restored
    assert report.replayed == 4 and report.by_topic == {t: 1 for t in topics}
    assert "1 to grp.links-by-url, 1 to grp.simhash-bands" in report.summary(False)

    # A dry run prints the target and origin of each; nothing needs to exist.
    out = io.BytesIO()
    asyncio.run(run(None, set(), out))
    lines = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert [(x["origin"], x["target"]) for x in lines] == [
        ("raw", settings.topic_raw),
        ("by-id", "grp.articles-by-id"),
        ("links", "grp.links-by-url"),
        ("bands", "grp.simhash-bands"),
    ]

    # A missing internal topic is a clear error, not a silent send elsewhere.
    with pytest.raises(ReplayError, match=r"grp\.simhash-bands does not exist"):
        asyncio.run(run(_Producer(), topics - {"grp.simhash-bands"}, io.BytesIO()))
