"""The optional mypyc build: ``SIEVE_MYPYC=1`` compiles the extraction core, the modules listed in
pyproject.toml under ``[tool.sieve.mypyc]``; without it the wheel is pure Python, as it always was.

mypy is deliberately not in ``[build-system] requires``: every pure build (editable installs, ``pip
install .``) would download it for nothing. A compiled build therefore runs without build isolation,
from an environment that already has mypy and setuptools: ``make compiled`` (the dev virtualenv),
tests/test_compiled.py, and the image's build stage (deploy/build-requirements.lock) all run
``SIEVE_MYPYC=1 pip ... --no-build-isolation``; without mypy it stops with that advice.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import tomllib
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent


def compiled_modules() -> list[str]:
    """Paths of the modules to compile, relative to the project root (pip builds there; mypyc names
    the modules after these paths)."""
    config = tomllib.loads((HERE / "pyproject.toml").read_text("utf-8"))
    names: list[str] = config["tool"]["sieve"]["mypyc"]["modules"]
    return [f"service/sieve/{name}.py" for name in names]


def main() -> None:
    if os.environ.get("SIEVE_MYPYC", "") != "1":
        setup()
        return
    if "editable_wheel" in sys.argv or "develop" in sys.argv:
        raise SystemExit("SIEVE_MYPYC=1: editable installs stay pure Python (no .so beside the sources); unset it")
    try:
        from mypyc.build import mypycify
    except ImportError as exc:
        raise SystemExit(
            f"SIEVE_MYPYC=1 needs mypy (mypyc) where the package is built ({exc}): install mypy and "
            "setuptools>=77 there and build with pip --no-build-isolation (see `make compiled`)"
        ) from exc
    # A fresh scratch directory per build instead of ./build itself: setuptools would ship whatever an
    # earlier build left in build/lib.* (e.g. the .so of a module since dropped from the list). It is
    # inside the project because setuptools takes only relative paths to C sources.
    (HERE / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mypyc-", dir=HERE / "build") as scratch:
        relative = Path(scratch).relative_to(HERE).as_posix()
        extensions = mypycify(
            compiled_modules(),
            opt_level="3",
            # The per-module .so files load one shared library, a top-level module beside the package:
            # sieve__mypyc.*.so instead of a hash of the module names. (mypyc derives the modules'
            # __file__ from it being above the package, so it cannot go inside sieve/.)
            group_name="sieve",
            target_dir=f"{relative}/c",
        )
        setup(ext_modules=extensions, options={"build": {"build_base": f"{relative}/build"}})
    with contextlib.suppress(OSError):  # only if empty: a pure build's build/lib may be there
        (HERE / "build").rmdir()


main()
