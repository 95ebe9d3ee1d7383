from __future__ import annotations

import pytest

from sieve.pipeline.settings import VARIABLES, SettingsError, describe, load


def test_defaults() -> None:
    s = load({})
    assert s.bootstrap == "127.0.0.1:9092"
    assert (s.topic_raw, s.topic_clean, s.topic_skipped, s.topic_dlq) == (
        "pages.raw",
        "articles.clean",
        "pages.skipped",
        "pages.dlq",
    )
    assert s.web_port == 6066 and s.max_message_bytes == 16 * 1024 * 1024
    assert s.topic_by_id == "sieve.articles-by-id"


def test_environment_overrides() -> None:
    s = load({"SIEVE_KAFKA_BOOTSTRAP": "a:1,b:2", "SIEVE_GROUP_ID": "g", "SIEVE_WEB_PORT": "7000"})
    assert s.bootstrap_servers == ["a:1", "b:2"] and s.topic_by_id == "g.articles-by-id" and s.web_port == 7000


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as err:
        load(
            {
                "SIEVE_KAFKA_BOOTSTRAP": "nohost",
                "SIEVE_PARTITIONS": "many",
                "SIEVE_TOPIC_DLQ": "pages.raw",
                "SIEVE_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
                "SIEVE_COMPRESSION": "brotli",
            }
        )
    text = str(err.value)
    for needle in (
        "nohost",
        "SIEVE_PARTITIONS",
        "must all be different",
        "SASL_USERNAME",
        "SIEVE_COMPRESSION",
    ):
        assert needle in text
    assert len(err.value.problems) == 5


def test_heartbeat_must_fit_the_session_timeout() -> None:
    with pytest.raises(SettingsError, match="third"):
        load({"SIEVE_SESSION_TIMEOUT": "10", "SIEVE_HEARTBEAT_INTERVAL": "5"})


def test_overrides_are_validated() -> None:
    with pytest.raises(SettingsError, match="SIEVE_WEB_PORT"):
        load({}).with_overrides(web_port=70000)


def test_settings_are_frozen_and_hide_the_password() -> None:
    s = load({"SIEVE_KAFKA_SECURITY_PROTOCOL": "sasl_plaintext", "SIEVE_KAFKA_SASL_USERNAME": "u",
              "SIEVE_KAFKA_SASL_PASSWORD": "secret"})  # fmt: skip
    assert "secret" not in repr(s)
    with pytest.raises(AttributeError):
        s.web_port = 1  # type: ignore[misc]


def test_every_variable_is_documented() -> None:
    text = describe()
    assert all(name in text for name, _, _ in VARIABLES)
    assert len({name for name, _, _ in VARIABLES}) == len(VARIABLES)


def test_body_formats() -> None:
    assert load({}).body_formats == ("text", "markdown")
    assert load({"SIEVE_BODY_FORMATS": "text, blocks,HTML"}).body_formats == ("text", "blocks", "html")
    with pytest.raises(SettingsError, match="SIEVE_BODY_FORMATS"):
        load({"SIEVE_BODY_FORMATS": "text,pdf"})


def test_links_settings() -> None:
    s = load({"SIEVE_GROUP_ID": "g"})
    assert (s.topic_links, s.topic_links_by_url, s.links_ttl) == ("links.discovered", "g.links-by-url", 86400.0)
    assert s.topic_links_by_url in s.input_topics and s.topic_links not in s.input_topics
    for text, seconds in (("3600", 3600.0), ("90s", 90.0), ("30m", 1800.0), ("24h", 86400.0), ("2D", 172800.0)):
        assert load({"SIEVE_LINKS_TTL": text}).links_ttl == seconds
    for bad in ("forever", "0", "-5", "1w"):
        with pytest.raises(SettingsError, match="SIEVE_LINKS_TTL"):
            load({"SIEVE_LINKS_TTL": bad})
    with pytest.raises(SettingsError, match="must all be different"):
        load({"SIEVE_TOPIC_LINKS": "articles.clean"})


def test_fetch_batching_settings() -> None:
    s = load({"SIEVE_FETCH_MIN_BYTES": "1", "SIEVE_FETCH_MAX_WAIT_MS": "0"})
    assert (s.fetch_min_bytes, s.fetch_max_wait_ms) == (1, 0)
    with pytest.raises(SettingsError) as err:
        load({"SIEVE_FETCH_MIN_BYTES": "0", "SIEVE_FETCH_MAX_WAIT_MS": "9000"})
    assert "SIEVE_FETCH_MIN_BYTES=0" in str(err.value) and "SIEVE_FETCH_MAX_WAIT_MS=9000" in str(err.value)
