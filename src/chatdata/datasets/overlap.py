"""Run a side job in a worker thread while the main work goes on (hashing or flushing a
file while it is converted or profiled)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import anyio

M = TypeVar("M")
S = TypeVar("S")


async def alongside(main: Callable[[], Awaitable[M]], side: Callable[[], S]) -> tuple[M, S]:
    """Await `main()` while `side()` runs in a worker thread; return both results.

    Both have finished when this returns or raises. Errors come out as they are (not in
    an exception group), the main work's first."""
    side_results: list[S] = []
    failures: list[Exception] = []

    async def run_side() -> None:
        try:
            side_results.append(await anyio.to_thread.run_sync(side))
        except Exception as exc:
            failures.append(exc)

    async with anyio.create_task_group() as group:
        group.start_soon(run_side)
        try:
            main_result = await main()
        except Exception as exc:
            failures.insert(0, exc)
    if failures:
        raise failures[0]
    return main_result, side_results[0]
