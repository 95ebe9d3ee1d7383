"""A bounded window of messages in flight, acknowledged strictly in the order they arrived.

An agent starts a message (decode, extract, *send* its outputs) and goes on with the next one while
the broker confirms the deliveries; each message's outcome is a future that resolves to True once it
may be acked (outputs delivered, or its dead letter delivered) or False if it must not be (stopping
before it was done). :class:`Window` acks the finished messages from the oldest one on and stops at
the first one still running, so an offset is acked only after every earlier offset of the stream
(hence of its partition) was: faust commits the first run of consecutive acked offsets above the last
commit and checks the head of that run loosely (``Consumer._new_offset``: ``min(acked) - committed >
1`` lets an ack one past an unacked offset through, and with no commit yet it does not check at all),
so acking out of order could commit past a message that was never processed. Once an outcome is False
(or failed), nothing after it is acked either: its offset and everything above it are redelivered.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")

log = logging.getLogger("sieve.pipeline")


class Window(Generic[T]):
    """Up to ``limit`` items in flight; ``ack`` is called for each finished item, in arrival order."""

    def __init__(self, limit: int, ack: Callable[[T], Awaitable[None]]) -> None:
        self.limit = max(1, limit)
        self._ack = ack
        self._entries: deque[tuple[T, asyncio.Future[bool]]] = deque()
        self._changed = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()
        self.blocked = False  # an item finished without leave to ack: nothing after it is acked
        self.acked = 0

    def __len__(self) -> int:
        return len(self._entries)

    async def room(self) -> None:
        """Wait until fewer than ``limit`` items are in flight (or the window is blocked)."""
        while len(self._entries) >= self.limit and not self.blocked:
            self._room.clear()
            await self._room.wait()

    def add(self, item: T, outcome: asyncio.Future[bool]) -> None:
        """Track ``item``; it is acked when ``outcome`` (and every earlier outcome) is True."""
        self._entries.append((item, outcome))
        outcome.add_done_callback(self._wake)

    def _wake(self, _: asyncio.Future[bool]) -> None:
        self._changed.set()

    async def run(self) -> None:
        """Ack finished items as they finish (run as a task next to the agent loop)."""
        while True:
            await self._changed.wait()
            self._changed.clear()
            await self.ack_finished()

    async def ack_finished(self) -> int:
        """Ack the finished items at the head of the window; the number acked."""
        count = 0
        entries = self._entries
        while entries and not self.blocked:
            item, outcome = entries[0]
            if not outcome.done():
                break
            if outcome.cancelled() or outcome.exception() is not None or not outcome.result():
                if not outcome.cancelled() and outcome.exception() is not None:
                    log.error("an in-flight message failed; it and the ones after it stay unacked",
                              exc_info=outcome.exception())
                self.blocked = True
                break
            await self._ack(item)
            entries.popleft()
            count += 1
        self.acked += count
        if len(entries) < self.limit or self.blocked:
            self._room.set()
        return count

    async def finish(self, timeout: float) -> None:
        """Wait up to ``timeout`` s for the items in flight, ack those done in order, cancel the rest."""
        pending = [outcome for _, outcome in self._entries if not outcome.done()]
        if pending and timeout > 0:
            await asyncio.wait(pending, timeout=timeout)
        await self.ack_finished()
        for _, outcome in self._entries:
            outcome.cancel()
