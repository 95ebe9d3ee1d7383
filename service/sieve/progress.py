"""A minimal progress bar for batch jobs: drawn on stderr only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int | None, label: str, stream: TextIO | None = None) -> None:
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self.done = 0
        self.errors = 0
        self._start = time.monotonic()
        self._last_draw = 0.0

    def advance(self, *, error: bool = False) -> None:
        self.done += 1
        self.errors += int(error)
        now = time.monotonic()
        if self.enabled and (now - self._last_draw > 0.1 or self.done == self.total):
            self._last_draw = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        rate = self.done / max(now - self._start, 1e-9)
        if self.total:
            frac = self.done / self.total
            bar = "#" * int(frac * 30)
            head = f"{self.label} [{bar:<30}] {self.done}/{self.total}"
        else:
            head = f"{self.label} {self.done}"
        self.stream.write(f"\r{head}  {rate:,.0f}/s  errors {self.errors}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
