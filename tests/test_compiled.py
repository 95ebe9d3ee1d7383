"""The mypyc build (setup.py with SIEVE_MYPYC=1, what the image ships) extracts exactly what the pure
package does.

The test builds the compiled package itself, into a temporary directory (30-60 s; nothing cached is
reused), from a copy of what the image's build copies. A child process with that directory on
PYTHONPATH runs :func:`outcomes` (this file run as a script): every sample page in every body format,
and the error paths. Its results must equal those of the pure package in this process, and every
module of pyproject.toml's ``[tool.sieve.mypyc]`` list must have come from an extension module, so a
build that silently fell back to pure Python fails. No compiler or no mypyc: the test FAILS with the
reason, it never skips.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.machinery
import importlib.metadata as md
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path
from typing import Any

import orjson
import pytest
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO / "tests" / "fixtures" / "pages"
FORMATS = ("text", "markdown", "html", "blocks")
#: The modules setup.py compiles (one list, in pyproject.toml).
COMPILED = tuple(tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["sieve"]["mypyc"]["modules"])
#: What deploy/Dockerfile copies into its build stage: the package builds from these alone.
BUILD_CONTEXT = ("pyproject.toml", "README.md", "setup.py", "service")
NATIVE = tuple(importlib.machinery.EXTENSION_SUFFIXES)


def _pages() -> dict[str, tuple[bytes, str | None]]:
    """Sample page name -> (HTML bytes, URL from its .expected.json, as tests/test_extract_fixtures.py reads it)."""
    pages: dict[str, tuple[bytes, str | None]] = {}
    for path in sorted(PAGES.glob("*.html")):
        expected = path.with_suffix(".expected.json")
        url = json.loads(expected.read_text("utf-8"))["url"] if expected.exists() else None
        pages[path.stem] = (path.read_bytes(), url)
    return pages


def _bad_inputs(limit: int) -> dict[str, object]:
    return {
        "empty str": "",
        "empty bytes": b"",
        "whitespace": b" \r\n\t ",
        "png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        "gzip": gzip.compress(b"<html><body><p>compressed</p></body></html>", mtime=0),
        "nul bytes": b"\x00" * 1000,
        "too large str": "<p>" + "a" * limit + "</p>",
        "too large bytes": b"<p>" + b"a" * limit + b"</p>",
        "too deep": "<div>" * 6000 + "<p>deep</p>",
        "not text": 123,
    }


def outcomes() -> dict[str, Any]:
    """Where the sieve modules came from, each sample page's event (minus the timing) and what each
    bad input raises: run here (pure) and in the child (compiled)."""
    import sieve

    pages = {}
    for name, (html, url) in _pages().items():
        event = sieve.extract(html, url=url, formats=FORMATS).to_dict()
        del event["extractor"]  # version and milliseconds
        pages[name] = event
    errors: dict[str, dict[str, str]] = {}
    for case, data in _bad_inputs(sys.modules["sieve.extract"].MAX_INPUT_BYTES).items():
        try:
            sieve.extract(data, url="https://example.com/a")  # type: ignore[arg-type]
            errors[case] = {"raised": "nothing"}
        except sieve.ExtractionError as exc:
            errors[case] = {"raised": "ExtractionError", "kind": exc.kind.value, "message": exc.message}
        except Exception as exc:
            errors[case] = {"raised": type(exc).__name__, "message": str(exc)}
    for name in COMPILED:
        importlib.import_module(f"sieve.{name}")
    files = {
        name: getattr(module, "__file__", None) or ""
        for name, module in sys.modules.items()
        if name == "sieve" or name.startswith(("sieve.", "sieve__"))
    }
    return {"files": files, "pages": pages, "errors": errors}


def _require_toolchain() -> None:
    problems = []
    if importlib.util.find_spec("mypyc") is None:
        problems.append("mypyc is not installed (it comes with mypy: pip install -e '.[dev]')")
    if Version(md.version("setuptools")) < Version("77"):
        problems.append(f"setuptools {md.version('setuptools')} is too old, 77 or later is needed (the dev extra)")
    cc = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        problems.append(f"no C compiler ({cc}; Debian: apt-get install build-essential)")
    header = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if not header.is_file():
        problems.append(f"no Python headers ({header}; Debian: apt-get install python3-dev)")
    if problems:
        pytest.fail("cannot build the mypyc-compiled package: " + "; ".join(problems), pytrace=False)


@pytest.fixture(scope="module")
def compiled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh compiled build: ``SIEVE_MYPYC=1 pip install --target`` from a copy of the build context."""
    _require_toolchain()
    work = tmp_path_factory.mktemp("mypyc")
    source, site = work / "src", work / "site"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.so")
    for name in BUILD_CONTEXT:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, ignore=ignore)
        else:
            shutil.copy2(REPO / name, source / name)
    pip = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index"]
    argv = [*pip, "--disable-pip-version-check", "--target", str(site), str(source)]
    env = {**os.environ, "SIEVE_MYPYC": "1"}
    result = subprocess.run(argv, cwd=source, env=env, capture_output=True, text=True, timeout=1200, check=False)
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-6000:]
        pytest.fail(f"the mypyc build failed (exit {result.returncode}):\n{output}", pytrace=False)
    return site


@pytest.fixture(scope="module")
def compiled(compiled_site: Path) -> dict[str, Any]:
    """:func:`outcomes` in a child process that imports sieve from the compiled build."""
    env = {**os.environ, "PYTHONPATH": str(compiled_site)}
    result = subprocess.run(
        [sys.executable, __file__], cwd=compiled_site.parent, env=env, capture_output=True, timeout=600, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"the compiled package failed to run:\n{result.stderr.decode()[-6000:]}", pytrace=False)
    data: dict[str, Any] = orjson.loads(result.stdout)
    return data


@pytest.fixture(scope="module")
def pure() -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(orjson.dumps(outcomes()))  # the same JSON types as the child's
    native = sorted(name for name, file in data["files"].items() if file.endswith(NATIVE))
    if native:
        pytest.fail(f"this process must import the pure package, not compiled {native} (PYTHONPATH?)", pytrace=False)
    return data


def test_every_listed_module_is_compiled_and_nothing_else(compiled: dict[str, Any], compiled_site: Path) -> None:
    files = compiled["files"]
    assert Path(files["sieve"]).is_relative_to(compiled_site), f"sieve came from {files['sieve']}, not the build"
    native = {name for name, file in files.items() if file.endswith(NATIVE)}
    listed = {f"sieve.{name}" for name in COMPILED}
    assert listed <= set(files), f"not imported: {sorted(listed - set(files))}"
    assert not listed - native, f"not extension modules (compiled build fell back to pure?): {sorted(listed - native)}"
    # They share one library beside the package (setup.py's group_name); everything else is pure.
    assert native == listed | {"sieve__mypyc"}, f"unexpected extension modules: {sorted(native - listed)}"
    assert files["sieve.contracts"].endswith(".py")
    for name, file in files.items():
        assert Path(file).is_file() and Path(file).is_relative_to(compiled_site), f"{name}.__file__ is {file}"


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


def _difference(want: Any, got: Any, where: str = "") -> tuple[str, str, str]:
    """The first place where two JSON values differ: (path, pure excerpt, compiled excerpt)."""
    if isinstance(want, dict) and isinstance(got, dict):
        for key in [*want, *(k for k in got if k not in want)]:
            a, b = want.get(key, _MISSING), got.get(key, _MISSING)
            if a != b:
                return _difference(a, b, f"{where}[{key!r}]")
    if isinstance(want, list) and isinstance(got, list):
        for i, (a, b) in enumerate(zip(want, got, strict=False)):
            if a != b:
                return _difference(a, b, f"{where}[{i}]")
        return f"{where} (length)", f"{len(want)} items", f"{len(got)} items"
    if isinstance(want, str) and isinstance(got, str):
        at = next((i for i, (a, b) in enumerate(zip(want, got, strict=False)) if a != b), min(len(want), len(got)))
        start = max(0, at - 80)
        return f"{where} at character {at}", repr(want[start : at + 80]), repr(got[start : at + 80])
    return where, repr(want)[:300], repr(got)[:300]


@pytest.mark.parametrize("name", sorted(_pages()))
def test_page_is_extracted_exactly_as_pure(name: str, pure: dict[str, Any], compiled: dict[str, Any]) -> None:
    want, got = pure["pages"][name], compiled["pages"].get(name)
    if got != want:
        where, a, b = _difference(want, got) if got is not None else ("", "an event", "nothing")
        message = f"{name}.html: the compiled build differs at {where}\n  pure:     {a}\n  compiled: {b}"
        pytest.fail(message, pytrace=False)


def test_error_paths_raise_the_same_errors(pure: dict[str, Any], compiled: dict[str, Any]) -> None:
    assert pure["errors"]["not text"]["kind"] == "bad_input"
    assert pure["errors"]["too deep"]["kind"] == "too_deep"
    for case, want in pure["errors"].items():
        assert want["raised"] == "ExtractionError", f"{case}: the pure package raised {want}"
        got = compiled["errors"].get(case)
        if got != want:
            pytest.fail(f"{case!r} input: pure raised {want}, compiled {got}", pytrace=False)


if __name__ == "__main__":
    sys.stdout.buffer.write(orjson.dumps(outcomes()))
