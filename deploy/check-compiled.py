#!/usr/bin/env python3
"""Fail unless the sieve that Python imports runs the mypyc-compiled extraction core.

    PYTHONPATH=.cache/mypyc .venv/bin/python deploy/check-compiled.py      (make compiled)
    /opt/sieve/bin/python /src/deploy/check-compiled.py /src/pyproject.toml (deploy/Dockerfile)

Every module named in pyproject.toml's ``[tool.sieve.mypyc]`` (the list setup.py compiles when
SIEVE_MYPYC=1) must import from an extension module; a build that fell back to pure Python exits 1.
tests/test_compiled.py checks the same and that the compiled modules extract exactly as the pure ones.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import tomllib
from pathlib import Path


def main(argv: list[str]) -> int:
    pyproject = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "pyproject.toml"
    names: list[str] = tomllib.loads(pyproject.read_text("utf-8"))["tool"]["sieve"]["mypyc"]["modules"]
    files = {name: getattr(importlib.import_module(f"sieve.{name}"), "__file__", None) or "" for name in names}
    pure = [name for name, file in files.items() if not file.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))]
    if pure:
        print(f"check-compiled: not compiled: {', '.join(f'{n} ({files[n]})' for n in pure)}", file=sys.stderr)
        return 1
    print(f"check-compiled: {len(files)} compiled modules of sieve in {Path(files[names[0]]).parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
