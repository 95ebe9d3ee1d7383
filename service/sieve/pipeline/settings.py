"""The pipeline's one settings object, built from ``SIEVE_*`` environment variables.

Every variable is listed in :data:`VARIABLES` (name, default, meaning); ``sieve worker --env`` prints
that table and docs/pipeline.md reproduces it. :func:`load` collects every problem it finds and raises
one :class:`SettingsError` that names them all.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from sieve.contracts import BODY_FORMATS, DEFAULT_BODY_FORMATS
from sieve.dedup_bands import MAX_DISTANCE

T = TypeVar("T")

#: (variable, default, meaning): the documented configuration surface of the worker.
VARIABLES: tuple[tuple[str, str, str], ...] = (
    ("SIEVE_KAFKA_BOOTSTRAP", "127.0.0.1:9092", "Kafka bootstrap servers, comma-separated host:port"),
    ("SIEVE_TOPIC_RAW", "pages.raw", "input topic of raw pages"),
    ("SIEVE_TOPIC_CLEAN", "articles.clean", "output topic of article events (keyed by article id)"),
    ("SIEVE_TOPIC_SKIPPED", "pages.skipped", "output topic of non-article pages"),
    ("SIEVE_TOPIC_DLQ", "pages.dlq", "dead-letter topic"),
    ("SIEVE_TOPIC_BY_ID", "<group id>.articles-by-id", "internal topic: articles re-keyed by id"),
    ("SIEVE_TOPIC_BANDS", "<group id>.simhash-bands", "internal topic: articles routed to their SimHash band keys"),
    ("SIEVE_DEDUP", "on", "flag syndicated copies with duplicate_of (on or off: published without the field)"),
    ("SIEVE_DEDUP_DISTANCE", "4", "largest SimHash distance of a copy (0..16; k + 1 bands; see bench/dedup.py)"),
    ("SIEVE_DEDUP_WINDOW", "7d", "how long an article stays a candidate original (seconds, or 90m, 24h, 2d)"),
    ("SIEVE_TOPIC_LINKS", "links.discovered", "output topic of discovered article links (keyed by URL)"),
    ("SIEVE_TOPIC_LINKS_BY_URL", "<group id>.links-by-url", "internal topic: links routed to their table partition"),
    ("SIEVE_LINKS_TTL", "24h", "a link announced within this long is not announced again (seconds, or 90m, 24h, 2d)"),
    ("SIEVE_PARTITIONS", "4", "partitions of the topics the worker creates"),
    ("SIEVE_REPLICATION", "1", "replication factor of the topics the worker creates"),
    ("SIEVE_DECLARE_TOPICS", "true", "create missing topics at start-up (false where ACLs forbid it)"),
    ("SIEVE_GROUP_ID", "sieve", "consumer group id (also the faust app id)"),
    ("SIEVE_WORKER_ID", "<hostname>-<pid>", "worker id written into dead letters"),
    ("SIEVE_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT", "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL"),
    ("SIEVE_KAFKA_SASL_MECHANISM", "PLAIN", "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"),
    ("SIEVE_KAFKA_SASL_USERNAME", "", "SASL user (SASL_* protocols)"),
    ("SIEVE_KAFKA_SASL_PASSWORD", "", "SASL password (SASL_* protocols)"),
    ("SIEVE_KAFKA_SSL_CAFILE", "", "CA bundle for SSL/SASL_SSL (default: system CAs)"),
    ("SIEVE_KAFKA_SSL_CERTFILE", "", "client certificate for mutual TLS"),
    ("SIEVE_KAFKA_SSL_KEYFILE", "", "client key for mutual TLS"),
    ("SIEVE_MAX_MESSAGE_BYTES", "16777216", "producer/topic message size limit (max.message.bytes)"),
    ("SIEVE_MAX_PAGE_BYTES", "10485760", "largest HTML accepted; larger pages go to the DLQ (too_large)"),
    ("SIEVE_COMPRESSION", "zstd", "output compression: zstd, lz4, gzip, snappy or none"),
    ("SIEVE_WEB_HOST", "127.0.0.1", "address of the HTTP server (/healthz, /readyz, /metrics, /extract)"),
    ("SIEVE_WEB_PORT", "6066", "port of the HTTP server (sieve worker --web-port overrides)"),
    ("SIEVE_DATA_DIR", ".cache/sieve", "faust data directory (table state)"),
    (
        "SIEVE_TABLE_STORE",
        "memory://",
        "faust table store (memory:// or rocksdb:// with the rocksdict extra)",
    ),
    ("SIEVE_SESSION_TIMEOUT", "30", "consumer group session timeout, seconds (failover time after a crash)"),
    ("SIEVE_HEARTBEAT_INTERVAL", "3", "consumer heartbeat interval, seconds"),
    ("SIEVE_COMMIT_INTERVAL", "2.8", "offset commit interval, seconds"),
    (
        "SIEVE_FETCH_MIN_BYTES",
        "65536",
        "a fetch returns once this much data is ready (or after SIEVE_FETCH_MAX_WAIT_MS): fewer, fuller fetches",
    ),
    ("SIEVE_FETCH_MAX_WAIT_MS", "10", "longest a fetch waits for SIEVE_FETCH_MIN_BYTES (adds up to this per hop)"),
    ("SIEVE_EXTRACT_IN", "thread", "where extraction runs: thread (off the event loop) or inline"),
    ("SIEVE_BODY_FORMATS", "text,markdown", "body formats of each event: text plus any of blocks, markdown, html"),
    ("SIEVE_STALL_SECONDS", "120", "/healthz fails after this long without progress while lag > 0"),
    (
        "SIEVE_COMMIT_STALL_SECONDS",
        "60",
        "a partition's committed offset not moving this long while processed past it: stalled (/healthz fails)",
    ),
    ("SIEVE_SHUTDOWN_GRACE", "20", "seconds to finish the in-flight page on SIGTERM"),
    ("SIEVE_LOG_LEVEL", "info", "debug, info, warning or error"),
)

SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
COMPRESSIONS = ("zstd", "lz4", "gzip", "snappy", "none")
EXTRACT_MODES = ("thread", "inline")
LOG_LEVELS = ("debug", "info", "warning", "error")
_TOPIC_RE = re.compile(r"^[A-Za-z0-9._-]{1,249}$")
_HOSTPORT_RE = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$")


class SettingsError(ValueError):
    """Invalid configuration; the message lists every problem, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid sieve configuration:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Settings:
    bootstrap: str = "127.0.0.1:9092"
    topic_raw: str = "pages.raw"
    topic_clean: str = "articles.clean"
    topic_skipped: str = "pages.skipped"
    topic_dlq: str = "pages.dlq"
    topic_by_id: str = "sieve.articles-by-id"
    topic_bands: str = "sieve.simhash-bands"
    dedup: bool = True
    dedup_distance: int = 4
    dedup_window: float = 7 * 86400.0
    topic_links: str = "links.discovered"
    topic_links_by_url: str = "sieve.links-by-url"
    links_ttl: float = 86400.0
    partitions: int = 4
    replication: int = 1
    declare_topics: bool = True
    group_id: str = "sieve"
    worker_id: str = "sieve-worker"
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "PLAIN"
    sasl_username: str = ""
    sasl_password: str = field(default="", repr=False)
    ssl_cafile: str = ""
    ssl_certfile: str = ""
    ssl_keyfile: str = ""
    max_message_bytes: int = 16 * 1024 * 1024
    max_page_bytes: int = 10 * 1024 * 1024
    compression: str = "zstd"
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    data_dir: Path = Path(".cache/sieve")
    table_store: str = "memory://"
    session_timeout: float = 30.0
    heartbeat_interval: float = 3.0
    commit_interval: float = 2.8
    fetch_min_bytes: int = 65536
    fetch_max_wait_ms: int = 10
    extract_in: str = "thread"
    body_formats: tuple[str, ...] = DEFAULT_BODY_FORMATS
    stall_seconds: float = 120.0
    commit_stall_seconds: float = 60.0
    shutdown_grace: float = 20.0
    log_level: str = "info"

    @property
    def bootstrap_servers(self) -> list[str]:
        return [s.strip() for s in self.bootstrap.split(",") if s.strip()]

    @property
    def input_topics(self) -> tuple[str, ...]:
        """The topics the workers read: the raw pages and the internal re-keyed topics."""
        return (self.topic_raw, self.topic_by_id, self.topic_links_by_url, self.topic_bands)

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with some fields replaced, validated like the environment is."""
        updated = replace(self, **changes)
        problems = validate(updated)
        if problems:
            raise SettingsError(problems)
        return updated


class _Reader:
    """Reads typed values from an environment mapping, collecting problems instead of raising."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def raw(self, name: str, default: str) -> str:
        value = self.env.get(name)
        return default if value is None or value.strip() == "" else value.strip()

    def parse(self, name: str, default: T, conv: Callable[[str], T], what: str) -> T:
        value = self.env.get(name)
        if value is None or value.strip() == "":
            return default
        try:
            return conv(value.strip())
        except ValueError:
            self.problems.append(f"{name}={value!r}: expected {what}")
            return default

    def choice(self, name: str, default: str, choices: tuple[str, ...], *, upper: bool = False) -> str:
        value = self.raw(name, default)
        value = value.upper() if upper else value.lower()
        if value not in choices:
            self.problems.append(f"{name}={value!r}: expected one of {', '.join(choices)}")
            return default
        return value


_FORMATS_WHAT = f"a comma-separated list of {', '.join(sorted(BODY_FORMATS))}"


def _formats(text: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(n.strip().lower() for n in text.split(",") if n.strip()))
    if not names or set(names) - BODY_FORMATS:
        raise ValueError(text)
    return names


_DURATION_RE = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd]?)$", re.IGNORECASE)
_UNIT_SECONDS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def duration(text: str) -> float:
    """Seconds from ``"86400"``, ``"90s"``, ``"30m"``, ``"24h"`` or ``"2d"``; ValueError otherwise."""
    m = _DURATION_RE.match(text.strip())
    if not m:
        raise ValueError(text)
    return float(m.group(1)) * _UNIT_SECONDS[m.group(2).lower()]


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(text)


def load(env: Mapping[str, str] | None = None) -> Settings:
    """Build :class:`Settings` from ``env`` (default ``os.environ``); raise :class:`SettingsError`."""
    env = os.environ if env is None else env
    r = _Reader(env)
    group_id = r.raw("SIEVE_GROUP_ID", "sieve")
    settings = Settings(
        bootstrap=r.raw("SIEVE_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
        topic_raw=r.raw("SIEVE_TOPIC_RAW", "pages.raw"),
        topic_clean=r.raw("SIEVE_TOPIC_CLEAN", "articles.clean"),
        topic_skipped=r.raw("SIEVE_TOPIC_SKIPPED", "pages.skipped"),
        topic_dlq=r.raw("SIEVE_TOPIC_DLQ", "pages.dlq"),
        topic_by_id=r.raw("SIEVE_TOPIC_BY_ID", f"{group_id}.articles-by-id"),
        topic_bands=r.raw("SIEVE_TOPIC_BANDS", f"{group_id}.simhash-bands"),
        dedup=r.parse("SIEVE_DEDUP", True, _bool, "on or off"),
        dedup_distance=r.parse("SIEVE_DEDUP_DISTANCE", 4, int, "an integer"),
        dedup_window=r.parse("SIEVE_DEDUP_WINDOW", 7 * 86400.0, duration, "seconds or a duration like 24h, 7d"),
        topic_links=r.raw("SIEVE_TOPIC_LINKS", "links.discovered"),
        topic_links_by_url=r.raw("SIEVE_TOPIC_LINKS_BY_URL", f"{group_id}.links-by-url"),
        links_ttl=r.parse("SIEVE_LINKS_TTL", 86400.0, duration, "seconds or a duration like 90m, 24h, 2d"),
        partitions=r.parse("SIEVE_PARTITIONS", 4, int, "an integer"),
        replication=r.parse("SIEVE_REPLICATION", 1, int, "an integer"),
        declare_topics=r.parse("SIEVE_DECLARE_TOPICS", True, _bool, "true or false"),
        group_id=group_id,
        worker_id=r.raw("SIEVE_WORKER_ID", f"{socket.gethostname()}-{os.getpid()}"),
        security_protocol=r.choice("SIEVE_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT", SECURITY_PROTOCOLS, upper=True),
        sasl_mechanism=r.choice("SIEVE_KAFKA_SASL_MECHANISM", "PLAIN", SASL_MECHANISMS, upper=True),
        sasl_username=r.raw("SIEVE_KAFKA_SASL_USERNAME", ""),
        sasl_password=env.get("SIEVE_KAFKA_SASL_PASSWORD", ""),
        ssl_cafile=r.raw("SIEVE_KAFKA_SSL_CAFILE", ""),
        ssl_certfile=r.raw("SIEVE_KAFKA_SSL_CERTFILE", ""),
        ssl_keyfile=r.raw("SIEVE_KAFKA_SSL_KEYFILE", ""),
        max_message_bytes=r.parse("SIEVE_MAX_MESSAGE_BYTES", 16 * 1024 * 1024, int, "an integer"),
        max_page_bytes=r.parse("SIEVE_MAX_PAGE_BYTES", 10 * 1024 * 1024, int, "an integer"),
        compression=r.choice("SIEVE_COMPRESSION", "zstd", COMPRESSIONS),
        web_host=r.raw("SIEVE_WEB_HOST", "127.0.0.1"),
        web_port=r.parse("SIEVE_WEB_PORT", 6066, int, "a port number"),
        data_dir=Path(r.raw("SIEVE_DATA_DIR", ".cache/sieve")),
        table_store=r.raw("SIEVE_TABLE_STORE", "memory://"),
        session_timeout=r.parse("SIEVE_SESSION_TIMEOUT", 30.0, float, "seconds"),
        heartbeat_interval=r.parse("SIEVE_HEARTBEAT_INTERVAL", 3.0, float, "seconds"),
        commit_interval=r.parse("SIEVE_COMMIT_INTERVAL", 2.8, float, "seconds"),
        fetch_min_bytes=r.parse("SIEVE_FETCH_MIN_BYTES", 65536, int, "an integer (bytes)"),
        fetch_max_wait_ms=r.parse("SIEVE_FETCH_MAX_WAIT_MS", 10, int, "an integer (milliseconds)"),
        extract_in=r.choice("SIEVE_EXTRACT_IN", "thread", EXTRACT_MODES),
        body_formats=r.parse("SIEVE_BODY_FORMATS", DEFAULT_BODY_FORMATS, _formats, _FORMATS_WHAT),
        stall_seconds=r.parse("SIEVE_STALL_SECONDS", 120.0, float, "seconds"),
        commit_stall_seconds=r.parse("SIEVE_COMMIT_STALL_SECONDS", 60.0, float, "seconds"),
        shutdown_grace=r.parse("SIEVE_SHUTDOWN_GRACE", 20.0, float, "seconds"),
        log_level=r.choice("SIEVE_LOG_LEVEL", "info", LOG_LEVELS),
    )
    problems = r.problems + validate(settings)
    if problems:
        raise SettingsError(problems)
    return settings


def validate(s: Settings) -> list[str]:
    """Every problem with ``s`` (cross-field rules included), as readable sentences."""
    problems: list[str] = []
    servers = s.bootstrap_servers
    if not servers:
        problems.append("SIEVE_KAFKA_BOOTSTRAP is empty: expected host:port[,host:port...]")
    for server in servers:
        m = _HOSTPORT_RE.match(server)
        if not m or not 0 < int(m.group(2)) < 65536:
            problems.append(f"SIEVE_KAFKA_BOOTSTRAP: {server!r} is not host:port")
    topics = {
        "SIEVE_TOPIC_RAW": s.topic_raw,
        "SIEVE_TOPIC_CLEAN": s.topic_clean,
        "SIEVE_TOPIC_SKIPPED": s.topic_skipped,
        "SIEVE_TOPIC_DLQ": s.topic_dlq,
        "SIEVE_TOPIC_BY_ID": s.topic_by_id,
        "SIEVE_TOPIC_BANDS": s.topic_bands,
        "SIEVE_TOPIC_LINKS": s.topic_links,
        "SIEVE_TOPIC_LINKS_BY_URL": s.topic_links_by_url,
    }
    for name, topic in topics.items():
        if not _TOPIC_RE.match(topic) or topic in (".", ".."):
            problems.append(f"{name}={topic!r}: topic names are 1-249 of [A-Za-z0-9._-]")
    if len(set(topics.values())) != len(topics):
        problems.append("the topics (SIEVE_TOPIC_*) must all be different")
    if not _TOPIC_RE.match(s.group_id):
        problems.append(f"SIEVE_GROUP_ID={s.group_id!r}: use [A-Za-z0-9._-]")
    if not 1 <= s.partitions <= 10000:
        problems.append(f"SIEVE_PARTITIONS={s.partitions}: expected 1..10000")
    if not 1 <= s.replication <= 16:
        problems.append(f"SIEVE_REPLICATION={s.replication}: expected 1..16")
    if s.security_protocol.startswith("SASL_") and not (s.sasl_username and s.sasl_password):
        problems.append(
            f"SIEVE_KAFKA_SECURITY_PROTOCOL={s.security_protocol} needs SIEVE_KAFKA_SASL_USERNAME "
            "and SIEVE_KAFKA_SASL_PASSWORD"
        )
    if bool(s.ssl_certfile) != bool(s.ssl_keyfile):
        problems.append("SIEVE_KAFKA_SSL_CERTFILE and SIEVE_KAFKA_SSL_KEYFILE go together")
    for name, path in (
        ("SIEVE_KAFKA_SSL_CAFILE", s.ssl_cafile),
        ("SIEVE_KAFKA_SSL_CERTFILE", s.ssl_certfile),
        ("SIEVE_KAFKA_SSL_KEYFILE", s.ssl_keyfile),
    ):
        if path and not Path(path).is_file():
            problems.append(f"{name}={path!r}: no such file")
    if not 1024 <= s.max_message_bytes <= 1024 * 1024 * 1024:
        problems.append(f"SIEVE_MAX_MESSAGE_BYTES={s.max_message_bytes}: expected 1 KiB..1 GiB")
    if not 1 <= s.max_page_bytes < s.max_message_bytes:
        problems.append(
            f"SIEVE_MAX_PAGE_BYTES={s.max_page_bytes}: must be positive and below SIEVE_MAX_MESSAGE_BYTES "
            f"({s.max_message_bytes}), leaving room for the envelope"
        )
    if not 0 <= s.web_port < 65536:
        problems.append(f"SIEVE_WEB_PORT={s.web_port}: expected 0..65535")
    if not s.table_store.endswith("://"):
        problems.append(f"SIEVE_TABLE_STORE={s.table_store!r}: expected a faust store URL like memory://")
    for name, value, low, high in (
        ("SIEVE_SESSION_TIMEOUT", s.session_timeout, 6.0, 1800.0),
        ("SIEVE_HEARTBEAT_INTERVAL", s.heartbeat_interval, 0.1, 600.0),
        ("SIEVE_COMMIT_INTERVAL", s.commit_interval, 0.1, 600.0),
        ("SIEVE_STALL_SECONDS", s.stall_seconds, 1.0, 86400.0),
        ("SIEVE_COMMIT_STALL_SECONDS", s.commit_stall_seconds, 1.0, 86400.0),
        ("SIEVE_SHUTDOWN_GRACE", s.shutdown_grace, 0.0, 600.0),
        ("SIEVE_LINKS_TTL", s.links_ttl, 1.0, 365 * 86400.0),
        ("SIEVE_DEDUP_WINDOW", s.dedup_window, 60.0, 365 * 86400.0),
    ):
        if not low <= value <= high:
            problems.append(f"{name}={value}: expected {low:g}..{high:g} seconds")
    if not 1 <= s.fetch_min_bytes <= 64 * 1024 * 1024:
        problems.append(f"SIEVE_FETCH_MIN_BYTES={s.fetch_min_bytes}: expected 1..67108864 bytes")
    if not 0 <= s.fetch_max_wait_ms <= 5000:
        problems.append(f"SIEVE_FETCH_MAX_WAIT_MS={s.fetch_max_wait_ms}: expected 0..5000 ms")
    if not 0 <= s.dedup_distance <= MAX_DISTANCE:
        problems.append(f"SIEVE_DEDUP_DISTANCE={s.dedup_distance}: expected 0..{MAX_DISTANCE}")
    if s.heartbeat_interval * 3 > s.session_timeout:
        problems.append(
            f"SIEVE_HEARTBEAT_INTERVAL={s.heartbeat_interval:g} must be at most a third of "
            f"SIEVE_SESSION_TIMEOUT={s.session_timeout:g}"
        )
    if s.commit_stall_seconds < 2 * s.commit_interval:
        problems.append(
            f"SIEVE_COMMIT_STALL_SECONDS={s.commit_stall_seconds:g} must be at least twice "
            f"SIEVE_COMMIT_INTERVAL={s.commit_interval:g}"
        )
    return problems


def describe() -> str:
    """The documented variables as an aligned text table."""
    width = max(len(name) for name, _, _ in VARIABLES)
    return "\n".join(f"{name:<{width}}  {default or '(empty)':<28} {meaning}" for name, default, meaning in VARIABLES)
