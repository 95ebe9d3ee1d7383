"""`sieve worker` start-up pieces that need no broker (the real-broker runs: test_pipeline_kafka.py)."""

from __future__ import annotations

import platform

import pytest

from sieve.pipeline.cli import limit_malloc_arenas


def test_malloc_arenas_are_capped_on_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert limit_malloc_arenas() is (platform.libc_ver()[0] == "glibc")


def test_an_operator_setting_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")  # glibc reads it itself at start-up
    assert limit_malloc_arenas() is False
