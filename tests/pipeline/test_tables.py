"""The table helpers shared by the links and band stages."""

from __future__ import annotations

from sieve.pipeline.tables import SweepSchedule


def test_a_partition_is_first_due_one_interval_after_it_was_seen_then_once_per_interval() -> None:
    sweeps = SweepSchedule(60.0)
    assert not sweeps.due(0, 1000.0)  # first sighting: the clock starts
    assert not sweeps.due(0, 1059.0)
    assert sweeps.due(0, 1060.0)
    assert not sweeps.due(0, 1100.0)
    assert sweeps.due(0, 1120.0)


def test_partitions_keep_their_own_schedule() -> None:
    sweeps = SweepSchedule(10.0)
    assert not sweeps.due(1, 0.0)
    assert not sweeps.due(2, 5.0)
    assert sweeps.due(1, 10.0)
    assert not sweeps.due(2, 10.0)
    assert sweeps.due(2, 15.0)
