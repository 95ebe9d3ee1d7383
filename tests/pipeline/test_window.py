"""The in-flight window acks in arrival order, never past an unfinished or failed message."""

from __future__ import annotations

import asyncio

from sieve.pipeline.app import faust_env_names, warn_faust_env
from sieve.pipeline.window import Window


def _run(coro: object) -> None:
    asyncio.run(coro)  # type: ignore[arg-type]


def test_acks_in_arrival_order_as_outcomes_finish() -> None:
    async def main() -> None:
        acked: list[int] = []

        async def ack(item: int) -> None:
            acked.append(item)

        window: Window[int] = Window(8, ack)
        runner = asyncio.ensure_future(window.run())
        loop = asyncio.get_running_loop()
        outcomes = [loop.create_future() for _ in range(4)]
        for i, fut in enumerate(outcomes):
            window.add(i, fut)
        outcomes[2].set_result(True)
        outcomes[1].set_result(True)
        await asyncio.sleep(0.01)
        assert acked == []  # 0 is still in flight: nothing after it may be acked
        outcomes[0].set_result(True)
        await asyncio.sleep(0.01)
        assert acked == [0, 1, 2]
        outcomes[3].set_result(True)
        await asyncio.sleep(0.01)
        assert acked == [0, 1, 2, 3] and len(window) == 0
        runner.cancel()

    _run(main())


def test_a_message_not_done_blocks_the_ones_after_it() -> None:
    async def main() -> None:
        acked: list[int] = []

        async def ack(item: int) -> None:
            acked.append(item)

        window: Window[int] = Window(8, ack)
        loop = asyncio.get_running_loop()
        outcomes = [loop.create_future() for _ in range(4)]
        for i, fut in enumerate(outcomes):
            window.add(i, fut)
        outcomes[0].set_result(True)
        outcomes[1].set_result(False)  # stopping before it was done: redelivered later
        outcomes[2].set_result(True)
        await window.finish(0.05)  # 3 never finishes: cancelled
        assert acked == [0]
        assert window.blocked and outcomes[3].cancelled()

    _run(main())


def test_room_waits_for_the_oldest_to_be_acked() -> None:
    async def main() -> None:
        acked: list[int] = []

        async def ack(item: int) -> None:
            acked.append(item)

        window: Window[int] = Window(2, ack)
        runner = asyncio.ensure_future(window.run())
        loop = asyncio.get_running_loop()
        first, second = loop.create_future(), loop.create_future()
        window.add(1, first)
        window.add(2, second)
        waiting = asyncio.ensure_future(window.room())
        await asyncio.sleep(0.01)
        assert not waiting.done()
        second.set_result(True)
        await asyncio.sleep(0.01)
        assert not waiting.done()  # the oldest is still in flight
        first.set_result(True)
        await asyncio.wait_for(waiting, 1)
        assert acked == [1, 2]
        runner.cancel()

    _run(main())


def test_faust_environment_variables_are_named() -> None:
    assert {"CONSUMER_MAX_FETCH_SIZE", "PRODUCER_LINGER", "BROKER_COMMIT_INTERVAL"} <= faust_env_names()
    assert warn_faust_env({"PRODUCER_LINGER": "1", "SIEVE_LINGER_MS": "2", "HOME": "/"}) == ["PRODUCER_LINGER"]
