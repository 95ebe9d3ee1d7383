"""Shared pieces of the deployment tests: paths, the compose file, kustomize, the settings' names.

No Docker engine and no cluster here: the files are validated offline (schemas, parsers, linters)
and tied to the code they deploy. kustomize comes from `make kustomize` (the Go module proxy); a test
that needs it FAILS when it is missing, it never skips.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from sieve.pipeline.settings import VARIABLES

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = Path(__file__).resolve().parent / "schemas"
COMPOSE_FILE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "deploy" / "Dockerfile"
K8S = REPO / "deploy" / "k8s"
OVERLAYS = sorted(p.name for p in (K8S / "overlays").iterdir() if (p / "kustomization.yaml").is_file())

#: SIEVE_* name -> documented default (settings.VARIABLES).
SETTINGS: dict[str, str] = {name: default for name, default, _ in VARIABLES}
#: SIEVE_* names that setup.py reads when the package is built, not settings of the worker.
BUILD_VARIABLES = frozenset({"SIEVE_MYPYC"})
SIEVE_NAME = re.compile(r"\bSIEVE_[A-Z0-9_]+\b")


def load_json(name: str) -> Any:
    return json.loads((SCHEMAS / name).read_text())


# ---- compose ------------------------------------------------------------------------------------
_INTERPOLATION = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Compose-file interpolation (Compose Specification, "Interpolation"): ``$$``, ``$VAR``,
    ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?err}``, ``${VAR?err}``, ``${VAR:+alt}``."""

    def repl(m: re.Match[str]) -> str:
        if m.group("escaped"):
            return "$"
        name = m.group("braced") or m.group("bare")
        op, arg = m.group("op"), m.group("arg") or ""
        value = env.get(name)
        unset_or_empty = value is None or (value == "" and op is not None and op.startswith(":"))
        if op in (":-", "-"):
            return arg if unset_or_empty else value or ""
        if op in (":?", "?"):
            if unset_or_empty:
                raise ValueError(f"required variable {name}: {arg}")
            return value or ""
        if op in (":+", "+"):
            return "" if unset_or_empty else arg
        return value or ""

    return _INTERPOLATION.sub(repl, text)


def interpolate_tree(node: Any, env: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [interpolate_tree(x, env) for x in node]
    if isinstance(node, dict):
        return {k: interpolate_tree(v, env) for k, v in node.items()}
    return node


def interpolation_defaults(text: str) -> dict[str, str]:
    """``${VAR:-default}`` of the file: variable -> default (the last one wins)."""
    return {m.group("braced"): m.group("arg") or "" for m in _INTERPOLATION.finditer(text) if m.group("op") == ":-"}


@pytest.fixture(scope="session")
def compose_text() -> str:
    return COMPOSE_FILE.read_text()


@pytest.fixture(scope="session")
def compose(compose_text: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(compose_text)
    return data


def service_env(service: Mapping[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


# ---- kustomize ----------------------------------------------------------------------------------
def find_kustomize() -> str | None:
    explicit = os.environ.get("KUSTOMIZE")
    if explicit and Path(explicit).is_file():
        return explicit
    built = sorted((REPO / ".cache" / "tools").glob("kustomize-*/kustomize"))
    if built:
        return str(built[-1])
    return shutil.which("kustomize")


@pytest.fixture(scope="session")
def kustomize() -> str:
    path = find_kustomize()
    if path is None:
        pytest.fail(
            "kustomize is not installed: run `make kustomize` (builds it from the Go module proxy into "
            ".cache/tools) or set KUSTOMIZE=/path/to/kustomize; `make test` does this itself",
            pytrace=False,
        )
    return path


def build(kustomize: str, directory: Path) -> list[dict[str, Any]]:
    result = subprocess.run(
        [kustomize, "build", str(directory)], capture_output=True, text=True, timeout=60, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"kustomize build {directory} failed:\n{result.stderr}", pytrace=False)
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="session")
def rendered(kustomize: str) -> dict[str, list[dict[str, Any]]]:
    """overlay name -> the objects ``kustomize build deploy/k8s/overlays/<name>`` renders."""
    return {name: build(kustomize, K8S / "overlays" / name) for name in OVERLAYS}


def one(objects: list[dict[str, Any]], kind: str, name: str | None = None) -> dict[str, Any]:
    found = [o for o in objects if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def worker_env(objects: list[dict[str, Any]]) -> dict[str, str]:
    """The worker container's SIEVE_* environment: ConfigMap (envFrom) plus explicit ``env`` values."""
    container = one(objects, "Deployment", "sieve")["spec"]["template"]["spec"]["containers"][0]
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(one(objects, "ConfigMap", source["configMapRef"]["name"])["data"])
    for item in container.get("env", []):
        env[item["name"]] = str(item["value"]) if "value" in item else f"<{sorted(item.get('valueFrom', {}))}>"
    return env
