"""The operator docs name only what exists: settings, metrics, alerts, replay-dlq options."""

from __future__ import annotations

import re

import pytest
import yaml

from sieve.cli import build_parser
from sieve.pipeline.metrics import Metrics

from .conftest import BUILD_VARIABLES, K8S, REPO, SETTINGS, SIEVE_NAME

DOCS = [REPO / "docs" / "operations.md", REPO / "README.md"]


def _exported() -> set[str]:
    names = set()
    for line in Metrics().render().splitlines():
        if line.startswith("# TYPE "):
            names.add(line.split()[2])
    return names


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_settings_named_in_the_docs_exist(doc: object) -> None:
    text = doc.read_text()  # type: ignore[attr-defined]
    used = {n for n in SIEVE_NAME.findall(text) if not n.endswith("_")}
    known = set(SETTINGS) | BUILD_VARIABLES
    assert used <= known, f"unknown SIEVE_* variables: {sorted(used - known)}"


def test_every_metric_is_documented_and_documented_metrics_exist() -> None:
    text = DOCS[0].read_text()
    exported = _exported()
    mentioned = set(re.findall(r"`(sieve_[a-z_]+)`", text))
    assert mentioned <= exported, f"documented but not exported: {sorted(mentioned - exported)}"
    assert exported <= mentioned, f"exported but not documented: {sorted(exported - mentioned)}"


def test_every_alert_is_documented() -> None:
    rule = yaml.safe_load((K8S / "base" / "prometheusrule.yaml").read_text())
    alerts = {r["alert"] for g in rule["spec"]["groups"] for r in g["rules"]}
    documented = set(re.findall(r"`(Sieve[A-Za-z]+)`", DOCS[0].read_text()))
    assert alerts == documented


def _replay_options_in(text: str) -> set[str]:
    """``--options`` the text gives to ``sieve replay-dlq``: on its command lines, and in the code spans
    of paragraphs about it (code spans of other commands excluded)."""
    found: set[str] = set()
    for block in re.split(r"\n\s*\n", text):
        if "replay-dlq" not in block:
            continue
        for line in block.splitlines():
            if line.strip().startswith("sieve replay-dlq"):
                found.update(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", line.split("#", 1)[0]))
        for span in re.findall(r"`([^`]+)`", block):
            if span.startswith("--") or span.startswith("sieve replay-dlq"):
                found.update(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", span))
    return found


def test_replay_options_in_the_docs_exist() -> None:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    replay = sub.choices["replay-dlq"]  # type: ignore[index]
    options = {o for a in replay._actions for o in a.option_strings}
    for doc in DOCS:
        used = _replay_options_in(doc.read_text())
        assert used, f"{doc.name} shows how to replay dead letters"
        assert used <= options, f"{doc.name}: not options of sieve replay-dlq: {sorted(used - options)}"
