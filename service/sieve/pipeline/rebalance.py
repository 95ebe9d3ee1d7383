"""faust overrides that keep sieve's at-least-once promise across rebalances.

Measured cause of the pages lost on fail-over (tests/pipeline/test_failover.py, about 1 run in 3):
after a rebalance, faust's table recovery reads the changelogs with the consumer flow already
running and the stream partitions paused; then ``Recovery.on_recovery_completed``

1. resumes the stream partitions,
2. awaits ``consumer.perform_seek()`` (a round trip to the consumer thread and the broker),
3. calls ``app.flow_control.resume()``, which empties every stream queue.

Between 1 and 2 the running fetcher fetches a batch from the resumed partitions and starts handing
it to the agents. The seek then sets the consumer's ``_read_offset`` back to the committed offset
while the drain loop is in the middle of that batch, and the queue clear drops what the agents had
not taken yet. The drain loop carries on with the rest of the batch: the jump from the reset read
offset to the next record looks like a "gap" (the mechanism meant for compacted topics and
transaction markers), so faust counts every offset in it as acknowledged and commits past it; and
the records fetched again from the committed offset are dropped as "already read" (below
``_read_offset``). Never processed, yet committed: lost. The same race is faust-streaming#596
(open). :class:`SafeRecovery` does the same steps in a safe order: seek while the stream partitions
are still paused, empty the queues, and only then resume the partitions.

That order only holds if paused partitions really deliver nothing. They did: faust passes its live
set of active partitions to the consumer thread, aiokafka waits there up to a second for records,
and when the set became empty meanwhile (every partition paused) aiokafka read it as "no filter"
and returned records of paused partitions too, which faust then discarded although aiokafka had
already moved its position past them. :class:`GuardedConsumer` fetches with a snapshot of the set
and fetches nothing when it is empty.

Lastly, ``Stream.__aiter__`` acks, without yielding them, events that arrive while a rebalance is in
progress or that were fetched under an older consumer generation, so their offsets can be committed
although no agent saw them. They are fetched again after the rebalance seek, so this did not lose
pages in the test, but a crash in between would. :class:`GuardedConsumer` counts an ack on sieve's
input topics only for a message that sieve marked as processed (:func:`mark_processed`, called right
before ``stream.ack``).

The consumer classes here also carry one throughput setting, :class:`FetchTunedThread` (fetch
batching; not a rebalance matter, but it belongs to the same consumer).

These override private faust code of the pinned version (faust-streaming 0.15.x); the fail-over
test is what shows they still hold after an upgrade.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Iterable
from typing import Any, cast

import faust
from faust.tables import TableManager
from faust.tables.recovery import Recovery
from faust.transport.consumer import RecordMap
from faust.transport.drivers import aiokafka as aiokafka_driver
from faust.types import TP, AppT, Message
from faust.types.transports import ConsumerT, TransportT

log = logging.getLogger("sieve.pipeline")


class SafeRecovery(Recovery):
    """faust's Recovery with a hand-over that cannot feed stale records to the agents."""

    async def on_recovery_completed(self, generation_id: int = 0) -> None:
        """As faust's, but seek, clear the queues, and only then resume the stream partitions."""
        app = cast(Any, self.app)
        consumer = self.app.consumer
        self.log.info("Restore complete!")
        await self.app.on_rebalance_complete.send()
        self._set_recovery_ended()
        callback_coros = [
            asyncio.ensure_future(
                table.on_recovery_completed(self.actives_for_table[table], self.standbys_for_table[table])
            )
            for table in self.tables.values()
        ]
        if callback_coros:
            await asyncio.wait(callback_coros)
        assignment = consumer.assignment()
        if self.app.consumer_generation_id != generation_id:
            self.log.warning(
                f"Recovery rebalancing again app id {self.app.consumer_generation_id} param {generation_id}"
            )
            return
        streams = {tp for tp in assignment if not self._is_changelog_tp(tp)}
        if assignment:
            # The stream partitions are still paused (since on_partitions_assigned), so the fetcher
            # cannot deliver anything from them while the position and _read_offset are reset.
            self.log.info("Seek stream partitions to committed offsets.")
            await self._wait(consumer.perform_seek(), timeout=self.app.conf.broker_request_timeout)
        self.completed.set()
        self.app.flow_control.resume()  # clears the stream queues: nothing in them is current
        consumer.resume_partitions(streams)
        consumer.resume_flow()
        await app._fetcher.maybe_start()
        self.tables.on_actives_ready()
        if not self.app.assignor.assigned_standbys():
            self.tables.on_standbys_ready()
        self.app.on_rebalance_end()
        self.log.info("Worker ready")


class SafeTableManager(TableManager):
    """TableManager whose recovery service is :class:`SafeRecovery`."""

    @property
    def recovery(self) -> Recovery:
        if self._recovery is None:
            self._recovery = SafeRecovery(self.app, self, beacon=self.beacon, loop=self.loop)
        return self._recovery


class FetchTunedThread(aiokafka_driver.AIOKafkaConsumerThread):
    """faust's consumer thread, with the fetch batching of :class:`SieveApp` (faust fixes
    ``fetch_max_wait_ms`` at 1500 and leaves ``fetch_min_bytes`` at aiokafka's 1).

    With ``fetch_min_bytes=1`` the broker answers a fetch as soon as any partition has one record, and
    the fetcher sends the next request at once: under load that is about one fetch request per
    internal record (a page makes several), each a socket write, a response parse and a wake-up of
    the consumer thread. Asking for ``fetch_min_bytes`` or ``fetch_max_wait_ms``, whichever comes
    first, collects several records per fetch (bench/README.md: the worker's CPU per page)."""

    def _create_worker_consumer(self, transport: TransportT) -> Any:  # aiokafka ships no type hints
        consumer = super()._create_worker_consumer(cast(aiokafka_driver.Transport, transport))
        app = self.app
        if isinstance(app, SieveApp):  # read by aiokafka's Fetcher when the consumer starts
            consumer._fetch_min_bytes = app.fetch_min_bytes
            consumer._fetch_max_wait_ms = app.fetch_max_wait_ms
        return consumer


class GuardedConsumer(aiokafka_driver.Consumer):
    """aiokafka consumer that commits an input offset only after sieve processed the message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guarded_topics: frozenset[str] = frozenset()
        self._processed: weakref.WeakSet[Message] = weakref.WeakSet()

    async def _getmany(self, active_partitions: set[TP] | None, timeout: float) -> RecordMap:
        # faust hands its live set of active partitions to the consumer thread, where aiokafka waits
        # up to ``timeout`` for records; if the set becomes empty meanwhile (all partitions paused
        # during a rebalance), aiokafka reads that as "no filter" and returns records of paused
        # partitions too. Ask for a snapshot instead, and for nothing when nothing is active.
        if active_partitions is not None:
            active_partitions = set(active_partitions)
            if not active_partitions:
                await asyncio.sleep(min(timeout, 0.1))
                return {}
        return await super()._getmany(active_partitions, timeout)

    def _new_consumer_thread(self) -> aiokafka_driver.AIOKafkaConsumerThread:
        return FetchTunedThread(self, loop=self.loop, beacon=self.beacon)

    def mark_processed(self, message: Message) -> None:
        self._processed.add(message)

    def ack(self, message: Message) -> bool:
        if message.topic in self.guarded_topics and message not in self._processed:
            # An event faust skipped (rebalance in progress / older generation): it is fetched again
            # after the rebalance, so it must not count as done. Forget it so that shutdown does not
            # wait for it.
            self._unacked_messages.discard(message)
            log.debug("not acking %s[%s]@%s: skipped by faust", message.topic, message.partition, message.offset)
            return False
        self._processed.discard(message)
        return super().ack(message)


class _Transport(aiokafka_driver.Transport):
    Consumer = GuardedConsumer


class SieveApp(faust.App):
    """faust.App with :class:`GuardedConsumer` and (via ``TableManager=``) :class:`SafeRecovery`."""

    def __init__(
        self,
        id: str,
        *,
        guarded_topics: Iterable[str] = (),
        fetch_min_bytes: int = 1,
        fetch_max_wait_ms: int = 1500,
        **options: Any,
    ) -> None:
        self.guarded_topics = frozenset(guarded_topics)
        self.fetch_min_bytes = fetch_min_bytes
        self.fetch_max_wait_ms = fetch_max_wait_ms
        options.setdefault("TableManager", SafeTableManager)
        super().__init__(id, **options)

    def _new_transport(self) -> TransportT:
        return _Transport(self.conf.broker_consumer, self)

    def _new_consumer(self) -> ConsumerT:
        consumer = super()._new_consumer()
        if isinstance(consumer, GuardedConsumer):
            consumer.guarded_topics = self.guarded_topics
        return consumer


def mark_processed(app: AppT, message: Message) -> None:
    """Tell the consumer that sieve is done with ``message`` (call right before acking it)."""
    consumer = app.consumer
    if isinstance(consumer, GuardedConsumer):
        consumer.mark_processed(message)
