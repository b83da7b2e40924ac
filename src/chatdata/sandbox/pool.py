"""The warm pool: kernels started ahead of need, handed out ready, refilled in the background.

Pool kernels carry no dataset and no state; a conversation attaches its datasets to
the kernel it is given, so any pool kernel fits any conversation.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from chatdata.sandbox.kernel import SandboxKernel

logger = logging.getLogger("chatdata.sandbox")

KernelStarter = Callable[[], Awaitable[SandboxKernel]]


class WarmPool:
    """Up to `size` idle, ready kernels."""

    def __init__(self, size: int, start_kernel: KernelStarter) -> None:
        self.size = size
        self._start_kernel = start_kernel
        self._ready: list[SandboxKernel] = []
        self._starting: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def ready_count(self) -> int:
        """Kernels ready to be handed out now."""
        return sum(1 for kernel in self._ready if kernel.alive)

    async def fill(self) -> None:
        """Start the missing kernels and wait until they are ready."""
        missing = self.size - len(self._ready)
        kernels = await asyncio.gather(*(self._start_kernel() for _ in range(missing)))
        self._ready.extend(kernels)

    def take(self) -> SandboxKernel | None:
        """A ready kernel, or None when the pool is empty; a refill starts either way."""
        kernel: SandboxKernel | None = None
        while self._ready and kernel is None:
            candidate = self._ready.pop(0)
            if candidate.alive:
                kernel = candidate
            else:
                self._discard(candidate)
        self._refill()
        return kernel

    async def close(self) -> None:
        """Stop refilling and kill the idle kernels."""
        self._closed = True
        for task in list(self._starting):
            task.cancel()
        for task in list(self._starting):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        kernels, self._ready = self._ready, []
        await asyncio.gather(*(kernel.kill() for kernel in kernels), return_exceptions=True)

    def _refill(self) -> None:
        """Start kernels in the background until ready plus starting reach `size`."""
        if self._closed:
            return
        while len(self._ready) + len(self._starting) < self.size:
            task = asyncio.create_task(self._start_one())
            self._starting.add(task)
            task.add_done_callback(self._starting.discard)

    async def _start_one(self) -> None:
        """Start one pool kernel (failures are logged; the next take finds none)."""
        try:
            kernel = await self._start_kernel()
        except Exception:
            logger.exception("warm pool kernel failed to start")
            return
        if self._closed:
            await kernel.kill()
        else:
            self._ready.append(kernel)

    def _discard(self, kernel: SandboxKernel) -> None:
        """Clean up a pool kernel that died while waiting."""
        task = asyncio.create_task(kernel.kill())
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)
