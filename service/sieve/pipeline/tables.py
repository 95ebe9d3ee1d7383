"""What sieve's faust tables share: JSON keys and values, one partition per input partition, and a
rate limit for sweeping out entries that aged past their window (links.py, dedup.py)."""

from __future__ import annotations

from typing import Any

import faust


def json_table(app: faust.App, name: str, partitions: int, help: str) -> Any:
    """A changelog-backed table with JSON keys and values, partitioned like sieve's topics."""
    return app.Table(
        name,
        default=None,
        partitions=partitions,
        schema=faust.Schema(key_serializer="json", value_serializer="json"),
        help=help,
    )


class SweepSchedule:
    """When each partition of a table is due for a sweep: at most once per ``every`` seconds, the first
    time one ``every`` after the partition was first seen (so a worker's start does not sweep at once)."""

    def __init__(self, every: float) -> None:
        self.every = every
        self.swept: dict[int, float] = {}  # partition -> time of its last sweep (or first sighting)

    def due(self, partition: int, now: float) -> bool:
        """Is ``partition`` due at ``now``? If so, its next sweep is one ``every`` from now."""
        if now - self.swept.get(partition, now) < self.every:
            self.swept.setdefault(partition, now)
            return False
        self.swept[partition] = now
        return True
