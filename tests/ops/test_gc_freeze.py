"""Once the task families are imported, the start-up heap is out of the cyclic GC's scans."""

from __future__ import annotations

import asyncio
import gc

from httpx import AsyncClient

from chatdata.ops.gc_freeze import freeze_startup_heap


async def test_the_start_up_heap_is_frozen_once_the_imports_are_done(client: AsyncClient) -> None:
    for _ in range(600):
        health = (await client.get("/api/v1/health")).json()
        if health["checks"]["tasks"]["types_loaded"]:
            break
        await asyncio.sleep(0.1)
    assert health["checks"]["tasks"]["types_loaded"]
    await asyncio.sleep(0)  # the freeze follows the import in the same background task
    frozen = gc.get_freeze_count()
    assert frozen > 10_000  # modules, classes and functions of the scientific stack
    freeze_startup_heap()  # once per process: a later app does not freeze again
    assert gc.get_freeze_count() == frozen
