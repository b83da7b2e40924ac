"""Kernel life cycle: replay after loss, restart, culling, interrupt, locking, the pool."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from pathlib import Path

from chatdata.sandbox import DatasetMount, KernelManager
from tests.sandbox.conftest import TEST_LIMITS, parts_of, stdout

REPLAY_CELLS = ["base = 40", "base += 2", "label = f'answer={base}'"]


KEY = "lifecycle"


async def run_history(manager: KernelManager, sales: list[DatasetMount]) -> None:
    """Make the conversation's kernel hold the state of the replay cells."""
    result = await manager.execute(
        KEY, "base = 40\nbase += 2\nlabel = f'answer={base}'", datasets=sales, replay=REPLAY_CELLS
    )
    assert result.status == "ok"


async def test_kernel_death_is_rebuilt_by_replaying_successful_cells(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    await run_history(manager, sales)
    died = await manager.execute(KEY, "import os\nos._exit(3)", datasets=sales)
    assert died.status == "killed"
    assert parts_of(died, "notice")[0]["text"].startswith("The kernel stopped while running")
    calls: list[int] = []

    async def replay() -> Sequence[str]:
        calls.append(1)
        return REPLAY_CELLS

    after = await manager.execute(KEY, "print(label, len(df))", datasets=sales, replay=replay)
    assert after.status == "ok"
    assert calls == [1]
    assert after.outputs == [
        {"type": "notice", "text": "The kernel was rebuilt: 3 earlier cell(s) were replayed."},
        {"type": "stream", "name": "stdout", "text": "answer=42 6\n"},
    ]
    again = await manager.execute(KEY, "print(base)", datasets=sales, replay=replay)
    assert (stdout(again), calls) == ("42\n", [1])


async def test_ignored_interrupt_kills_and_the_next_cell_rebuilds(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    await run_history(manager, sales)
    code = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    result = await manager.execute(KEY, code, datasets=sales, timeout=1.0)
    assert result.status == "timeout"
    assert parts_of(result, "notice")[-1]["text"].startswith(
        "The cell ran longer than 1 s and did not stop when interrupted, "
        "so the kernel was restarted."
    )
    assert result.duration_ms < (1.0 + TEST_LIMITS.interrupt_grace_seconds + 8) * 1000
    after = await manager.execute(KEY, "print(label)", datasets=sales, replay=REPLAY_CELLS)
    assert (after.status, stdout(after)) == ("ok", "answer=42\n")


async def test_restart_starts_clean_without_replay(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    await run_history(manager, sales)
    await manager.restart(KEY)

    async def replay() -> Sequence[str]:
        raise AssertionError("a restarted kernel must not replay")

    result = await manager.execute(
        KEY, "print('base' in dir(), len(df))", datasets=sales, replay=replay
    )
    assert (result.status, stdout(result)) == ("ok", "False 6\n")


async def test_idle_kernels_are_culled_and_rebuilt_on_demand(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    await run_history(manager, sales)
    await asyncio.sleep(0.2)
    culled = await manager.cull_idle(0.1)
    assert culled >= 1
    assert manager.kernel_ready_seconds(KEY) is None
    result = await manager.execute(KEY, "print(base)", datasets=sales, replay=REPLAY_CELLS)
    assert (result.status, stdout(result)) == ("ok", "42\n")
    assert await manager.cull_idle(3600) == 0


async def test_interrupt_stops_the_running_cell(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    await manager.execute(KEY, "ready = True", datasets=sales)
    running = asyncio.create_task(
        manager.execute(KEY, "import time\ntime.sleep(60)", datasets=sales)
    )
    await asyncio.sleep(0.5)
    assert await manager.interrupt(KEY) is True
    result = await asyncio.wait_for(running, timeout=10)
    assert result.status == "error"
    assert parts_of(result, "error")[0]["ename"] == "KeyboardInterrupt"
    assert await manager.interrupt("no-such-conversation") is False


SPAN = "import time\nstart = time.time()\ntime.sleep(0.8)\nprint(start, time.time())"


def span(text: str) -> tuple[float, float]:
    start, end = text.split()
    return float(start), float(end)


async def test_cells_of_one_conversation_run_one_at_a_time(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    await manager.execute(KEY, "pass", datasets=sales)
    first, second = await asyncio.gather(
        manager.execute(KEY, SPAN, datasets=sales),
        manager.execute(KEY, SPAN, datasets=sales),
    )
    spans = sorted([span(stdout(first)), span(stdout(second))])
    assert spans[0][1] <= spans[1][0]


async def test_different_conversations_run_in_parallel(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    await asyncio.gather(
        manager.execute(KEY, "pass", datasets=sales),
        manager.execute("parallel-b", "pass", datasets=sales),
    )
    first, second = await asyncio.gather(
        manager.execute(KEY, SPAN, datasets=sales),
        manager.execute("parallel-b", SPAN, datasets=sales),
    )
    (start_a, end_a), (start_b, end_b) = span(stdout(first)), span(stdout(second))
    assert max(start_a, start_b) < min(end_a, end_b)


async def test_warm_pool_hands_out_ready_kernels_and_kernels_are_capped(
    tmp_path: Path, sales: list[DatasetMount]
) -> None:
    pooled = KernelManager(
        runtime_dir=tmp_path / "pool", limits=TEST_LIMITS, mode="bwrap", pool_size=1, max_kernels=1
    )
    try:
        began = time.monotonic()
        await pooled.start()
        cold_seconds = time.monotonic() - began
        assert pooled.status()["pool_ready"] == 1
        for number, key in enumerate(["first", "second"], start=1):
            await wait_for_pool(pooled)
            began = time.monotonic()
            result = await pooled.execute(key, "print(len(df))", datasets=sales)
            warm_seconds = time.monotonic() - began
            assert (result.status, stdout(result)) == ("ok", "6\n")
            assert pooled.status()["pool_hits"] == number
            assert pooled.kernel_ready_seconds(key) == 0.0
            assert warm_seconds < cold_seconds / 2
        status = pooled.status()
        assert (status["cold_starts"], status["kernels"], status["evicted"]) == (0, 1, 1)
        assert pooled.kernel_ready_seconds("first") is None
        back = await pooled.execute("first", "print(len(df))", datasets=sales)
        assert (back.status, stdout(back)) == ("ok", "6\n")
        assert pooled.kernel_ready_seconds("second") is None
    finally:
        await pooled.shutdown()
    assert pooled.status()["pool_ready"] == 0


async def wait_for_pool(manager: KernelManager) -> None:
    """Until the background refill has a kernel ready."""
    deadline = time.monotonic() + 60
    while manager.status()["pool_ready"] < 1:
        assert time.monotonic() < deadline, "the pool was not refilled"
        await asyncio.sleep(0.1)


async def test_restart_stops_a_running_cell(
    manager: KernelManager, sales: list[DatasetMount]
) -> None:
    await run_history(manager, sales)
    running = asyncio.create_task(
        manager.execute(KEY, "import time\ntime.sleep(60)", datasets=sales)
    )
    await asyncio.sleep(0.5)
    began = time.monotonic()
    await manager.restart(KEY)
    result = await asyncio.wait_for(running, timeout=10)
    assert time.monotonic() - began < 10
    assert result.status == "killed"
    assert result.outputs == [
        {
            "type": "notice",
            "text": "The kernel was restarted while this cell ran; its variables are gone.",
        }
    ]
    after = await manager.execute(KEY, "print('base' in dir())", datasets=sales)
    assert stdout(after) == "False\n"
