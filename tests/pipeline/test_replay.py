"""``sieve replay-dlq`` against the real broker: exact restoration, routing, filters, resume, dry run."""

from __future__ import annotations

import asyncio
import dataclasses

import orjson
import pytest

from sieve.cli import build_parser, main
from sieve.pipeline import records
from sieve.pipeline.records import Source, Stage
from sieve.pipeline.replay import ReplayOptions, is_internal_record, parse_letter, replay
from sieve.pipeline.settings import load

from .conftest import PipelineTopics, make_topics
from .kafka_helpers import Received, create_topics, drain, produce
from .pages import article_html, envelope

pytestmark = pytest.mark.kafka

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
    asyncio.run(create_topics(bootstrap, [f"{topics.group}.articles-by-id"], partitions=2))
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
    with pytest.raises(ValueError):
        parse_letter(b"not json")
    with pytest.raises(ValueError):
        parse_letter(b'{"key": null}')


def test_cli_registers_replay_dlq() -> None:
    args = build_parser().parse_args(["replay-dlq", "--dry-run", "--kind", "a", "--kind", "b", "--max", "3"])
    assert args.command == "replay-dlq" and args.dry_run and args.kind == ["a", "b"] and args.max == 3


def test_replay_restores_messages_routes_them_and_resumes(
    kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = _topics(kafka_bootstrap)
    by_id = f"{topics.group}.articles-by-id"
    truncated = _letter(b"big", b"<p>" + b"x" * 20_000, [], "too_large", Stage.DECODE, max_bytes=70 * 1024)
    assert orjson.loads(truncated[1] or b"")["value_truncated"] is True
    letters = [
        _letter(*RAW_PAGE, "extractor_crash", Stage.EXTRACT),
        _letter(*BINARY_PAGE, "binary_content", Stage.DECODE),
        truncated,
        _letter(*INTERNAL, "publish_failed", Stage.PUBLISH),
        (b"junk", b"this is not a dead letter", []),
    ]
    asyncio.run(produce(kafka_bootstrap, topics.dlq, letters))
    _env(monkeypatch, kafka_bootstrap, topics)

    # A dry run lists what it would replay and neither sends nor commits.
    assert main(["replay-dlq", "--dry-run"]) == 0
    out, err = capsys.readouterr()
    listed = [orjson.loads(line) for line in out.splitlines()]
    assert sorted(x["target"] for x in listed) == sorted([topics.raw, topics.raw, by_id])
    assert {x["kind"] for x in listed} == {"extractor_crash", "binary_content", "publish_failed"}
    assert "would replay 3 of 5" in err and "1 truncated, 1 unreadable" in err
    assert asyncio.run(drain(kafka_bootstrap, [topics.raw, by_id], expect=0, timeout=5, settle=1.0)) == []

    # The real run restores key, value and headers exactly; the internal record goes back to its topic.
    assert main(["replay-dlq"]) == 0
    assert "replayed 3 of 5" in capsys.readouterr().err
    raw = asyncio.run(drain(kafka_bootstrap, [topics.raw], expect=2, timeout=30, settle=0.5))
    assert sorted(map(_as_message, raw), key=repr) == sorted([RAW_PAGE, BINARY_PAGE], key=repr)
    internal = asyncio.run(drain(kafka_bootstrap, [by_id], expect=1, timeout=30, settle=0.5))
    assert list(map(_as_message, internal)) == [INTERNAL]

    # The position was committed: running again replays nothing, then only what arrived since.
    assert main(["replay-dlq"]) == 0
    assert "replayed 0 of 0" in capsys.readouterr().err
    late = (b"https://news.example.com/late", envelope("https://news.example.com/late", article_html(2)), [])
    asyncio.run(produce(kafka_bootstrap, topics.dlq, [_letter(*late, "extractor_crash", Stage.EXTRACT)]))
    assert main(["replay-dlq"]) == 0
    assert "replayed 1 of 1" in capsys.readouterr().err
    raw = asyncio.run(drain(kafka_bootstrap, [topics.raw], expect=3, timeout=30, settle=0.5))
    assert sorted(map(_as_message, raw), key=repr) == sorted([RAW_PAGE, BINARY_PAGE, late], key=repr)


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
    base = ReplayOptions(dlq_topic=dlq, raw_topic=topics.raw, internal_topic=settings.topic_by_id, group=topics.group)

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


def test_missing_topic_is_a_clear_error(
    kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = _topics(kafka_bootstrap)
    _env(monkeypatch, kafka_bootstrap, topics)
    assert main(["replay-dlq", "--from-topic", "no.such.topic"]) == 1
    assert "no.such.topic does not exist" in capsys.readouterr().err
