"""One running kernel in its sandbox, driven over ZMQ with jupyter_client.

`SandboxKernel` knows how to start (and wait until the kernel answers), attach
datasets, run one cell under a wall-clock limit (interrupt, then kill), and die.
It does not serialise callers; `KernelManager` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import signal
import stat
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from queue import Empty
from typing import TYPE_CHECKING, Any, Literal, cast

import zmq
import zmq.asyncio
from jupyter_client.asynchronous.client import AsyncKernelClient

from chatdata.sandbox.errors import SandboxUnavailable
from chatdata.sandbox.launcher import LaunchedKernel, LaunchMode, launch_kernel, remove_paths
from chatdata.sandbox.limits import DatasetMount, SandboxLimits
from chatdata.sandbox.outputs import OutputCollector, error_part, notice, part_from_message

if TYPE_CHECKING:
    from jupyter_client.connect import KernelConnectionInfo

logger = logging.getLogger("chatdata.sandbox")

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
POLL_SECONDS = 0.5
SOCKET_POLL_SECONDS = 0.02
SEND_TIMEOUT_SECONDS = 2.0
REPLY_WAIT_SECONDS = 5.0
SETUP_ATTACH = """import chatdata_kernel_ext as _chatdata_ext
_chatdata_ext.attach(get_ipython(), {datasets}, sample_rows={sample_rows}, seed={seed},
    memory_mb={memory_mb}, threads={threads}, temp_dir={temp_dir!r})
del _chatdata_ext
"""

RunStatus = Literal["ok", "error", "timeout", "killed"]


@dataclass(frozen=True)
class RunOutcome:
    """How a cell ended; its parts went into the collector."""

    status: RunStatus
    kernel_lost: bool


def new_zmq_context() -> zmq.asyncio.Context:
    """A ZMQ context for kernel clients.

    Sockets refuse oversized messages and never reconnect: they connect once, after
    the kernel has bound its sockets, so a kernel that later swaps its socket files
    for links can never make the server connect somewhere else.
    """
    context = zmq.asyncio.Context()
    context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
    context.setsockopt(zmq.LINGER, 0)
    context.setsockopt(zmq.RECONNECT_IVL, -1)
    return context


class KernelUnreachable(Exception):
    """A request could not be handed to the kernel (it closed or stalled its sockets)."""


class SandboxKernel:
    """A kernel process in its sandbox, and the client that talks to it.

    Requests are sent with `_send` on the client's asyncio sockets, never with
    jupyter_client's own (synchronous) send, so a kernel that stops reading can never
    block the server's event loop.
    """

    def __init__(
        self,
        kernel_id: str,
        host_dir: Path,
        launched: LaunchedKernel,
        client: AsyncKernelClient,
        limits: SandboxLimits,
    ) -> None:
        self.kernel_id = kernel_id
        self.host_dir = host_dir
        self.limits = limits
        self._launched = launched
        self._client = client
        self._dead = False
        self._stop_reason: str | None = None
        self.started_at = time.monotonic()
        self.last_used = self.started_at
        self.ready_seconds = 0.0
        self.datasets: tuple[DatasetMount, ...] = ()

    @classmethod
    async def start(
        cls,
        runtime_dir: Path,
        limits: SandboxLimits,
        mode: LaunchMode,
        context: zmq.asyncio.Context,
        *,
        isolate_network: bool = True,
    ) -> SandboxKernel:
        """Launch a kernel and wait until it answers; `SandboxUnavailable` if it cannot."""
        began = time.monotonic()
        kernel_id = uuid.uuid4().hex
        host_dir = runtime_dir / "kernels" / kernel_id
        host_dir.mkdir(parents=True, mode=0o755)
        try:
            launched = await launch_kernel(
                kernel_id, host_dir, limits, mode, isolate_network=isolate_network
            )
        except BaseException:
            shutil.rmtree(host_dir, ignore_errors=True)
            raise
        client = AsyncKernelClient(context=context)
        client.load_connection_info(cast("KernelConnectionInfo", launched.connection))
        kernel = cls(kernel_id, host_dir, launched, client, limits)
        try:
            deadline = time.monotonic() + limits.start_timeout_seconds
            await kernel._wait_for_sockets(deadline)
            client.start_channels(hb=False, stdin=False)
            await kernel._wait_ready(deadline - time.monotonic())
        except BaseException:
            diagnostics = launched.output_text()
            await kernel.kill()
            logger.error("kernel %s failed to start: %s", kernel_id, diagnostics)
            raise
        kernel.ready_seconds = time.monotonic() - began
        kernel.last_used = time.monotonic()
        return kernel

    @property
    def alive(self) -> bool:
        """True while the kernel process runs and has not been killed."""
        return not self._dead and self._launched.process.returncode is None

    @property
    def stop_reason(self) -> str | None:
        """Why the kernel was stopped on purpose (a restart), or None."""
        return self._stop_reason

    @property
    def scratch_root(self) -> str:
        """Host path of the kernel's `/work` (through `/proc/<pid>/root` in bubblewrap)."""
        return self._launched.scratch_root

    async def _wait_for_sockets(self, deadline: float) -> None:
        """Until the kernel has bound the sockets the client connects to."""
        connection = self._launched.connection
        paths = [
            Path(f"{connection['ip']}-{connection[name]}")
            for name in ("shell_port", "iopub_port", "control_port")
        ]
        while not all(path.exists() for path in paths):
            if not self.alive:
                raise SandboxUnavailable(
                    "The analysis kernel exited while starting.",
                    details={"reason": self._launched.output_text()[-500:]},
                )
            if time.monotonic() > deadline:
                raise SandboxUnavailable("The analysis kernel did not start in time.")
            await asyncio.sleep(SOCKET_POLL_SECONDS)

    async def _wait_ready(self, limit_seconds: float) -> None:
        """Until the kernel answers `kernel_info` and IOPub delivers its status."""
        deadline = time.monotonic() + limit_seconds
        while time.monotonic() < deadline:
            if not self.alive:
                raise SandboxUnavailable(
                    "The analysis kernel exited while starting.",
                    details={"reason": self._launched.output_text()[-500:]},
                )
            try:
                msg_id = await self._send("shell", "kernel_info_request", {})
                if await self._shell_reply(msg_id, POLL_SECONDS) is None:
                    continue
                await self._client.get_iopub_msg(timeout=0.2)
                return
            except (Empty, KernelUnreachable):
                continue
        raise SandboxUnavailable("The analysis kernel did not start in time.")

    async def _send(
        self, channel: Literal["shell", "control"], kind: str, content: dict[str, Any]
    ) -> str:
        """Send one request on an asyncio socket; its msg_id. `KernelUnreachable` if stuck."""
        session = self._client.session
        message = session.msg(kind, content)
        frames = session.serialize(message)
        if channel == "shell":
            socket = self._client.shell_channel.socket
        else:
            socket = self._client.control_channel.socket
        try:
            await asyncio.wait_for(socket.send_multipart(frames), SEND_TIMEOUT_SECONDS)
        except (TimeoutError, zmq.ZMQError) as error:
            raise KernelUnreachable(kind) from error
        return str(message["header"]["msg_id"])

    async def _shell_reply(self, msg_id: str, wait_seconds: float) -> dict[str, Any] | None:
        """The shell reply to `msg_id`, skipping stale replies; None when none came."""
        deadline = time.monotonic() + wait_seconds
        while True:
            remaining = deadline - time.monotonic()
            try:
                reply: dict[str, Any] = await self._client.get_shell_msg(timeout=max(remaining, 0))
            except Empty:
                return None
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return reply

    async def attach(self, datasets: tuple[DatasetMount, ...]) -> None:
        """Show `datasets` at the data directory and define `df`, `lf` and `con`."""
        placed = []
        for mount in datasets:
            name = f"{mount.view_name}.parquet"
            place_dataset(mount.host_path, self._launched.host_data_dir / name)
            placed.append([mount.view_name, f"{self._launched.data_dir}/{name}"])
        code = SETUP_ATTACH.format(
            datasets=json.dumps(placed),
            sample_rows=self.limits.sample_rows,
            seed=self.limits.sample_seed,
            memory_mb=self.limits.memory_mb,
            threads=self.limits.threads,
            temp_dir=f"{self._launched.work_dir}/.duckdb_tmp",
        )
        collector = OutputCollector(self.limits.output_cap_bytes, 0)
        outcome = await self.run(code, self.limits.start_timeout_seconds, collector, silent=True)
        if outcome.status != "ok":
            errors = [part for part in collector.parts() if part["type"] == "error"]
            detail = errors[0]["evalue"] if errors else outcome.status
            raise SandboxUnavailable(
                "The dataset could not be loaded into the analysis kernel.",
                details={"reason": detail[:500]},
            )
        self.datasets = datasets

    async def run(
        self, code: str, limit_seconds: float, collector: OutputCollector, *, silent: bool = False
    ) -> RunOutcome:
        """Run one cell; interrupt after `limit_seconds`, kill if that does not stop it."""
        self.last_used = time.monotonic()
        request = {
            "code": code,
            "silent": silent,
            "store_history": not silent,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": False,
        }
        try:
            msg_id = await self._send("shell", "execute_request", request)
        except KernelUnreachable:
            return await self._lost(collector, KERNEL_UNREACHABLE)
        deadline = time.monotonic() + limit_seconds
        interrupted = False
        while True:
            if not self.alive:
                return await self._lost(collector, self._stop_reason or KERNEL_DIED)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if interrupted or not await self._interrupt_at_time_limit():
                    text = _killed_after_timeout(limit_seconds)
                    return await self._lost(collector, text, "timeout")
                interrupted = True
                deadline = time.monotonic() + self.limits.interrupt_grace_seconds
                continue
            message = await self._iopub_message(min(remaining, POLL_SECONDS))
            if message is None or message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if _is_idle(message):
                break
            part = part_from_message(message)
            if part is not None:
                collector.add(part)
        self.last_used = time.monotonic()
        return await self._finish(msg_id, collector, interrupted, limit_seconds)

    async def _iopub_message(self, wait_seconds: float) -> dict[str, Any] | None:
        """The next IOPub message, or None when none came or the channel was closed."""
        try:
            message: dict[str, Any] = await self._client.get_iopub_msg(timeout=wait_seconds)
        except (Empty, zmq.ZMQError, AssertionError):
            return None
        return message

    async def _interrupt_at_time_limit(self) -> bool:
        """Interrupt a cell over its time limit; False when the kernel had to be killed."""
        await self.interrupt()
        return self.alive

    async def _finish(
        self, msg_id: str, collector: OutputCollector, interrupted: bool, limit_seconds: float
    ) -> RunOutcome:
        """The status from the execute reply once IOPub said the kernel is idle."""
        reply = await self._shell_reply(msg_id, REPLY_WAIT_SECONDS)
        content = reply.get("content", {}) if reply else {}
        if interrupted:
            collector.add(notice(_interrupted_after_timeout(limit_seconds)))
            return RunOutcome("timeout", kernel_lost=False)
        if content.get("status") == "ok":
            return RunOutcome("ok", kernel_lost=False)
        if reply is not None and content.get("status") == "error" and not _has_error(collector):
            collector.add(error_part(content))
        return RunOutcome("error", kernel_lost=False)

    async def _lost(
        self, collector: OutputCollector, text: str, status: RunStatus = "killed"
    ) -> RunOutcome:
        """End a cell whose kernel died or stopped answering: kill it, say so."""
        collector.add(notice(text))
        await self.kill()
        return RunOutcome(status, kernel_lost=True)

    async def interrupt(self) -> None:
        """Ask the kernel to interrupt the running cell (SIGINT to its process group).

        If the request cannot even be delivered the kernel is killed: a running cell
        then ends as `killed` and the next one rebuilds the kernel.
        """
        if not self.alive:
            return
        try:
            await self._send("control", "interrupt_request", {})
        except KernelUnreachable:
            await self.kill()

    async def kill(self, reason: str | None = None) -> None:
        """Stop the kernel for good and remove its host files.

        `reason` is what a cell running at that moment reports in its notice.
        """
        if reason is not None and self._stop_reason is None:
            self._stop_reason = reason
        self._dead = True
        process = self._launched.process
        pidfd, self._launched.sandbox_pidfd = self._launched.sandbox_pidfd, None
        if pidfd is not None:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            os.close(pidfd)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), timeout=2)
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), timeout=5)
        if self._client.channels_running:
            self._client.stop_channels()
        if self._launched.drain_task is not None:
            self._launched.drain_task.cancel()
        remove_paths([*self._launched.cleanup_paths, self.host_dir])


KERNEL_RESTARTED = "The kernel was restarted while this cell ran; its variables are gone."
KERNEL_UNREACHABLE = (
    "The kernel stopped accepting work, so it was restarted. Earlier successful cells "
    "are replayed before the next one."
)
KERNEL_DIED = (
    "The kernel stopped while running this cell (it crashed or hit a resource limit). "
    "Its variables are lost; earlier successful cells are replayed before the next one."
)


def _interrupted_after_timeout(timeout: float) -> str:
    """The notice for a cell stopped at the time limit with its state kept."""
    return (
        f"The cell ran longer than {timeout:g} s and was interrupted. Variables from "
        "earlier cells are kept. Work on a sample or with DuckDB (`con`) to go faster."
    )


def _killed_after_timeout(timeout: float) -> str:
    """The notice for a cell that ignored the interrupt and was killed."""
    return (
        f"The cell ran longer than {timeout:g} s and did not stop when interrupted, so "
        "the kernel was restarted. Earlier successful cells are replayed before the next one."
    )


def _is_idle(message: dict[str, Any]) -> bool:
    """True for the IOPub status message that ends a request."""
    return (
        message.get("msg_type") == "status"
        and message.get("content", {}).get("execution_state") == "idle"
    )


def _has_error(collector: OutputCollector) -> bool:
    """True when the collector already holds an error part."""
    return any(part["type"] == "error" for part in collector.parts())


def place_dataset(source: Path, target: Path) -> None:
    """Hard-link `source` at `target` (atomically); copy when a link is impossible.

    When the server is root the kernel runs as an unprivileged uid, so the file must be
    readable by others; a file that is not gets a world-readable copy instead of a link.
    """
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
    readable = bool(source.stat().st_mode & stat.S_IROTH) or os.geteuid() != 0
    try:
        if not readable:
            raise PermissionError("dataset file is not world-readable")
        os.link(source, temporary)
    except OSError as error:
        logger.warning("copying dataset %s into the sandbox (%s)", source, error)
        shutil.copyfile(source, temporary)
        temporary.chmod(0o644)
    os.replace(temporary, target)
