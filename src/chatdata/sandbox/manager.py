"""Kernels per conversation: a warm pool, serialised cells, replay, culling, shutdown.

A conversation's kernel is a cache: when it died, timed out beyond an interrupt, or
was culled, the next cell gets a fresh kernel (from the warm pool when one is ready),
the datasets are attached, and the conversation's earlier successful cells (supplied
by the caller) are replayed in order before the new cell runs. Cells of one
conversation run one at a time; different conversations run in parallel.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import logging
import re
import shutil
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chatdata.sandbox.artifacts import FileState, changed_files, copy_out, scan_out
from chatdata.sandbox.errors import CodeRejected
from chatdata.sandbox.isolation import Isolation, resolve_isolation
from chatdata.sandbox.kernel import KERNEL_RESTARTED, RunOutcome, SandboxKernel, new_zmq_context
from chatdata.sandbox.limits import DatasetMount, ExecutionResult, KillReason, SandboxLimits
from chatdata.sandbox.outputs import OutputCollector, notice
from chatdata.sandbox.pool import WarmPool
from chatdata.sandbox.static_check import check_code

logger = logging.getLogger("chatdata.sandbox")

ReplaySource = Sequence[str] | Callable[[], Awaitable[Sequence[str]]]
ResultObserver = Callable[[ExecutionResult], None]
MIB = 1024 * 1024


@dataclass
class _Conversation:
    """The manager's state for one conversation key."""

    key: str
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    kernel: SandboxKernel | None = None
    needs_replay: bool = True
    files: dict[str, FileState] = field(default_factory=dict)


class KernelManager:
    """Owns every kernel of this process: pool, conversations, life cycle.

    At most `max_kernels` conversations hold a kernel at once (plus `pool_size` idle
    ones): giving one to another conversation first stops the least recently used
    idle kernel, which is rebuilt by replay when its conversation comes back. With
    `idle_seconds`, `start()` also runs `cull_idle` in the background.
    """

    def __init__(
        self,
        *,
        runtime_dir: Path,
        limits: SandboxLimits | None = None,
        mode: str = "auto",
        pool_size: int = 1,
        max_kernels: int = 16,
        idle_seconds: float | None = None,
    ) -> None:
        self.runtime_dir = runtime_dir
        self.limits = limits or SandboxLimits()
        self.requested_mode = mode
        self.pool_size = pool_size
        self.max_kernels = max_kernels
        self.idle_seconds = idle_seconds
        self._culler: asyncio.Task[None] | None = None
        self._isolation: Isolation | None = None
        self._context = new_zmq_context()
        self._pool = WarmPool(pool_size, self._start_kernel)
        self._conversations: dict[str, _Conversation] = {}
        self._counters = {
            "pool_hits": 0,
            "cold_starts": 0,
            "rebuilds": 0,
            "culled": 0,
            "evicted": 0,
            "started": 0,
            "killed_timeout": 0,
            "killed_died": 0,
            "restarted": 0,
        }
        # Called with every result (metrics); must be quick and must not raise.
        self.observers: list[ResultObserver] = []
        self._artifact_numbers = itertools.count(1)

    @property
    def isolation(self) -> Isolation:
        """The isolation kernels get (decided on first use)."""
        if self._isolation is None:
            self._isolation = resolve_isolation(self.requested_mode)
        return self._isolation

    async def start(self) -> None:
        """Decide the isolation and fill the warm pool (waits until it is full).

        `runtime_dir` belongs to this manager alone: leftovers of an earlier process
        (kernel directories, copied files) are removed here.
        """
        self.runtime_dir.mkdir(parents=True, exist_ok=True)
        self.runtime_dir.chmod(0o700)
        for leftover in ("kernels", "artifacts"):
            shutil.rmtree(self.runtime_dir / leftover, ignore_errors=True)
        await asyncio.to_thread(lambda: self.isolation)
        await self._pool.fill()
        if self.idle_seconds is not None and self._culler is None:
            self._culler = asyncio.create_task(self._cull_forever(self.idle_seconds))

    async def execute(
        self,
        key: str,
        code: str,
        *,
        datasets: Sequence[DatasetMount] = (),
        replay: ReplaySource = (),
        timeout: float | None = None,  # noqa: ASYNC109 - a per-cell limit, not a wait
    ) -> ExecutionResult:
        """Run `code` in conversation `key`'s kernel (created or rebuilt as needed).

        `timeout` overrides `limits.timeout_seconds` for this cell. Refused code returns
        `rejected` without touching a kernel.
        """
        began = time.monotonic()
        try:
            check_code(code)
        except CodeRejected as rejection:
            return self._observed(
                ExecutionResult("rejected", [_rejection_part(rejection)], _ms_since(began))
            )
        conversation = self._conversations.setdefault(key, _Conversation(key))
        async with conversation.lock:
            collector = OutputCollector(
                self.limits.output_cap_bytes, self.limits.rich_output_cap_bytes
            )
            kernel = await self._ready_kernel(conversation, tuple(datasets), replay, collector)
            if kernel is None:
                self._counters["killed_died"] += 1
                parts = collector.parts()
                return self._observed(ExecutionResult("killed", parts, _ms_since(began), "died"))
            outcome = await kernel.run(code, timeout or self.limits.timeout_seconds, collector)
            kill_reason = None
            if outcome.kernel_lost:
                conversation.kernel = None
                conversation.needs_replay = True
                kill_reason = self._count_kill(outcome, kernel)
            else:
                for part in await asyncio.to_thread(self._new_files, conversation, kernel):
                    collector.add(part)
        result = ExecutionResult(outcome.status, collector.parts(), _ms_since(began), kill_reason)
        return self._observed(result)

    def _count_kill(self, outcome: RunOutcome, kernel: SandboxKernel) -> KillReason:
        """Why a cell's kernel was lost, counted."""
        if outcome.status == "timeout":
            self._counters["killed_timeout"] += 1
            return "timeout"
        if kernel.stop_reason == KERNEL_RESTARTED:
            return "restarted"
        self._counters["killed_died"] += 1
        return "died"

    def _observed(self, result: ExecutionResult) -> ExecutionResult:
        """Show the result to the observers (they never fail the cell)."""
        for observer in self.observers:
            try:
                observer(result)
            except Exception:
                logger.exception("an execution observer failed")
        return result

    async def interrupt(self, key: str) -> bool:
        """Interrupt the conversation's running cell; False when it has no kernel."""
        conversation = self._conversations.get(key)
        if conversation is None or conversation.kernel is None or not conversation.kernel.alive:
            return False
        await conversation.kernel.interrupt()
        return True

    async def restart(self, key: str) -> None:
        """Discard the conversation's kernel and state; the next cell starts clean.

        A running cell is stopped (it ends as `killed`). Earlier cells are not replayed
        after a restart; the next cell gets a fresh kernel (from the pool when ready).
        Also the way to let go of a deleted conversation's kernel.
        """
        conversation = self._conversations.setdefault(key, _Conversation(key))
        if conversation.kernel is not None:
            self._counters["restarted"] += 1
            await conversation.kernel.kill(KERNEL_RESTARTED)
        async with conversation.lock:
            if conversation.kernel is not None:
                await conversation.kernel.kill()
            conversation.kernel = None
            conversation.needs_replay = False
            conversation.files = {}

    async def cull_idle(self, max_idle_seconds: float) -> int:
        """Stop conversation kernels idle for longer than `max_idle_seconds`; how many."""
        now = time.monotonic()
        culled = 0
        for conversation in list(self._conversations.values()):
            kernel = conversation.kernel
            if kernel is None or conversation.lock.locked():
                continue
            if now - kernel.last_used > max_idle_seconds:
                del self._conversations[conversation.key]
                await kernel.kill()
                culled += 1
        self._counters["culled"] += culled
        return culled

    async def shutdown(self) -> None:
        """Stop every kernel (pool and conversations) and the background tasks."""
        if self._culler is not None:
            self._culler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._culler
        await self._pool.close()
        kernels = [c.kernel for c in self._conversations.values() if c.kernel is not None]
        for conversation in self._conversations.values():
            conversation.kernel = None
        await asyncio.gather(*(kernel.kill() for kernel in kernels), return_exceptions=True)
        shutil.rmtree(self.runtime_dir / "artifacts", ignore_errors=True)
        self._context.destroy(linger=0)

    def status(self) -> dict[str, Any]:
        """Isolation, pool and kernel counts, and life-cycle counters."""
        active = sum(1 for c in self._conversations.values() if c.kernel and c.kernel.alive)
        return {
            **self.isolation.as_dict(),
            "pool_size": self.pool_size,
            "max_kernels": self.max_kernels,
            "pool_ready": self._pool.ready_count,
            "kernels": active,
            "conversations": len(self._conversations),
            **self._counters,
        }

    def kernel_ready_seconds(self, key: str) -> float | None:
        """How long the conversation's current kernel took to become ready (None: none)."""
        conversation = self._conversations.get(key)
        kernel = conversation.kernel if conversation else None
        return kernel.ready_seconds if kernel else None

    # ------------------------------------------------------------ internals

    async def _ready_kernel(
        self,
        conversation: _Conversation,
        datasets: tuple[DatasetMount, ...],
        replay: ReplaySource,
        collector: OutputCollector,
    ) -> SandboxKernel | None:
        """The conversation's live kernel with `datasets` attached, rebuilt if needed.

        None when replaying the earlier cells killed the new kernel (said in a notice).
        """
        kernel = conversation.kernel
        if kernel is not None and kernel.alive:
            if kernel.datasets != datasets:
                await kernel.attach(datasets)
            return kernel
        if kernel is not None:
            await kernel.kill()
            conversation.kernel = None
        await self._make_room()
        kernel = await self._acquire()
        try:
            await kernel.attach(datasets)
            if conversation.needs_replay and not await self._replay(kernel, replay, collector):
                conversation.needs_replay = True
                return None
        except BaseException:
            await kernel.kill()
            raise
        conversation.kernel = kernel
        conversation.needs_replay = False
        conversation.files = await asyncio.to_thread(scan_out, kernel.scratch_root)
        return kernel

    async def _replay(
        self, kernel: SandboxKernel, replay: ReplaySource, collector: OutputCollector
    ) -> bool:
        """Run the conversation's earlier successful cells, outputs discarded.

        False when the kernel died during the replay.
        """
        cells = list(await replay() if callable(replay) else replay)
        if not cells:
            return True
        self._counters["rebuilds"] += 1
        failed = 0
        for number, cell in enumerate(cells, start=1):
            discard = OutputCollector(1024, 0)
            outcome = await kernel.run(cell, self.limits.timeout_seconds, discard)
            if outcome.kernel_lost:
                collector.add(
                    notice(
                        f"Rebuilding the kernel failed: replaying earlier cell {number} "
                        "stopped the kernel. Restart the kernel to continue."
                    )
                )
                return False
            failed += outcome.status != "ok"
        text = f"The kernel was rebuilt: {len(cells)} earlier cell(s) were replayed"
        text += f", {failed} of them failed this time." if failed else "."
        collector.add(notice(text))
        return True

    async def _cull_forever(self, idle_seconds: float) -> None:
        """Cull idle kernels every so often (a fraction of the idle limit, at most a minute)."""
        while True:
            await asyncio.sleep(min(max(idle_seconds / 4, 0.1), 60.0))
            try:
                await self.cull_idle(idle_seconds)
            except Exception:
                logger.exception("culling idle kernels failed")

    async def _make_room(self) -> None:
        """Stop least recently used idle kernels until another one fits `max_kernels`."""
        while True:
            holding = [c for c in self._conversations.values() if c.kernel is not None]
            idle = [c for c in holding if not c.lock.locked() and c.kernel is not None]
            if len(holding) < self.max_kernels or not idle:
                return
            oldest = min(idle, key=lambda c: c.kernel.last_used if c.kernel else 0.0)
            kernel, oldest.kernel = oldest.kernel, None
            oldest.needs_replay = True
            self._counters["evicted"] += 1
            if kernel is not None:
                await kernel.kill()

    async def _acquire(self) -> SandboxKernel:
        """A ready kernel: from the warm pool when possible, else started now."""
        kernel = self._pool.take()
        if kernel is not None:
            self._counters["pool_hits"] += 1
            kernel.ready_seconds = 0.0
            return kernel
        self._counters["cold_starts"] += 1
        return await self._start_kernel()

    async def _start_kernel(self) -> SandboxKernel:
        """Launch one kernel with this manager's isolation."""
        isolation = self.isolation
        self._counters["started"] += 1
        return await SandboxKernel.start(
            self.runtime_dir,
            self.limits,
            isolation.mode,
            self._context,
            isolate_network=isolation.network_isolated,
        )

    def _new_files(
        self, conversation: _Conversation, kernel: SandboxKernel
    ) -> list[dict[str, Any]]:
        """`file` parts for files the cell wrote under `/work/out/`, copied to the host."""
        after = scan_out(kernel.scratch_root)
        changed = changed_files(conversation.files, after)
        conversation.files = after
        parts = []
        target_dir = self._artifact_dir(conversation) / str(next(self._artifact_numbers))
        for name in changed:
            destination = target_dir / name
            size = copy_out(kernel.scratch_root, name, destination, self.limits.max_file_mb * MIB)
            if size is not None:
                parts.append({"type": "file", "name": name, "size": size, "path": str(destination)})
        return parts

    def _artifact_dir(self, conversation: _Conversation) -> Path:
        """Host directory for a conversation's copied files."""
        slug = re.sub(r"[^A-Za-z0-9_.-]", "_", conversation.key)[:48]
        digest = hashlib.sha256(conversation.key.encode()).hexdigest()[:12]
        return self.runtime_dir / "artifacts" / f"{slug}-{digest}"


def _rejection_part(rejection: CodeRejected) -> dict[str, Any]:
    """The `error` part a refused cell shows."""
    return {
        "type": "error",
        "ename": "CodeRejected",
        "evalue": rejection.message,
        "traceback": rejection.message,
    }


def _ms_since(began: float) -> int:
    """Milliseconds elapsed since the monotonic time `began`."""
    return int((time.monotonic() - began) * 1000)
