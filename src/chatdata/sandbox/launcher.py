"""Start one kernel process in its sandbox and say how to reach it.

`launch_kernel` writes nothing the kernel can change on the host: in bubblewrap mode
the ZMQ sockets live in the sandbox's own tmpfs and the server reaches them through
`/proc/<sandbox pid>/root`, the scratch directory is a size-capped tmpfs, and the
dataset directory is a read-only bind.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import os
import secrets
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from chatdata.sandbox.commands import (
    CONNECTION_FILE,
    DATA_MOUNT,
    KERNEL_EXT_DIR,
    KERNEL_EXT_MOUNT,
    SOCKET_DIR,
    SYSTEM_PATH,
    VENV_MOUNT,
    WORK_MOUNT,
    BwrapFiles,
    PythonRuntime,
    bwrap_arguments,
    etc_files,
    kernel_command,
    kernel_environment,
    next_host_uid,
    runtime_binds,
    staged_prefix,
)
from chatdata.sandbox.errors import SandboxUnavailable
from chatdata.sandbox.limits import SandboxLimits
from chatdata.sandbox.seccomp import seccomp_program

LaunchMode = Literal["bwrap", "subprocess"]
PORT_NAMES = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
OUTPUT_TAIL_BYTES = 8192


@dataclass
class LaunchedKernel:
    """A started kernel process and everything needed to talk to it."""

    process: asyncio.subprocess.Process
    connection: dict[str, Any]
    scratch_root: str
    work_dir: str
    data_dir: str
    host_data_dir: Path
    cleanup_paths: list[Path] = field(default_factory=list)
    sandbox_pidfd: int | None = None
    output_tail: collections.deque[bytes] = field(default_factory=collections.deque)
    drain_task: asyncio.Task[None] | None = None

    def output_text(self) -> str:
        """The last bytes the kernel process wrote to its stdout/stderr (diagnostics)."""
        return b"".join(self.output_tail).decode("utf-8", "replace")[-OUTPUT_TAIL_BYTES:]


def connection_info(ip: str) -> dict[str, Any]:
    """A fresh IPC connection description with a random HMAC key."""
    info: dict[str, Any] = {name: index + 1 for index, name in enumerate(PORT_NAMES)}
    info.update(
        transport="ipc",
        ip=ip,
        key=secrets.token_hex(32),
        signature_scheme="hmac-sha256",
        kernel_name="python3",
    )
    return info


async def launch_kernel(
    kernel_id: str,
    host_dir: Path,
    limits: SandboxLimits,
    mode: LaunchMode,
    *,
    isolate_network: bool = True,
) -> LaunchedKernel:
    """Start the kernel process for `kernel_id` in `host_dir` (which must exist)."""
    host_data_dir = host_dir / "data"
    host_data_dir.mkdir(mode=0o755, exist_ok=True)
    if mode == "bwrap":
        launched = await _launch_bwrap(host_data_dir, limits)
    else:
        launched = await _launch_subprocess(kernel_id, host_dir, limits, isolate_network)
    launched.drain_task = asyncio.create_task(_drain_output(launched))
    return launched


@dataclass
class BwrapCommand:
    """A ready bubblewrap command line with the descriptors it must inherit."""

    argv: list[str]
    pass_fds: tuple[int, ...]
    info_read: int
    connection: dict[str, Any]

    def close_child_ends(self) -> None:
        """Close the descriptors meant for the child (after it started or failed)."""
        for fd in self.pass_fds:
            os.close(fd)


def build_bwrap_command(
    host_data_dir: Path, limits: SandboxLimits, inner: list[str] | None = None
) -> BwrapCommand:
    """The staged (when root) bubblewrap command running the kernel, or `inner`."""
    runtime = PythonRuntime.current()
    connection = connection_info(f"{SOCKET_DIR}/k")
    contents = {"connection": json.dumps(connection).encode(), **etc_files()}
    program = seccomp_program()
    if program is not None:
        contents["seccomp"] = program
    readers = {name: _pipe_with(data) for name, data in contents.items()}
    info_read, info_write = os.pipe()
    files = BwrapFiles(
        connection_fd=readers["connection"],
        passwd_fd=readers["passwd"],
        group_fd=readers["group"],
        hosts_fd=readers["hosts"],
        info_fd=info_write,
        seccomp_fd=readers.get("seccomp"),
    )
    env = kernel_environment(
        limits,
        work_dir=WORK_MOUNT,
        tmp_dir="/tmp",  # noqa: S108 - the sandbox's private tmpfs
        ext_dir=KERNEL_EXT_MOUNT,
        python_bin=f"{VENV_MOUNT}/bin" if runtime.venv else str(runtime.base_prefix / "bin"),
    )
    binds = runtime_binds(runtime, host_data_dir)
    prefix: list[str] = []
    if os.geteuid() == 0:
        prefix, binds = staged_prefix(binds, next_host_uid())
    if inner is None:
        inner = kernel_command(limits, runtime.sandbox_executable(), CONNECTION_FILE)
    argv = [*prefix, *bwrap_arguments(limits, binds, env, files), *inner]
    return BwrapCommand(argv, (*readers.values(), info_write), info_read, connection)


async def _launch_bwrap(host_data_dir: Path, limits: SandboxLimits) -> LaunchedKernel:
    """bubblewrap (behind the stage when root) running the kernel."""
    command = build_bwrap_command(host_data_dir, limits)
    try:
        process = await _spawn(command.argv, pass_fds=command.pass_fds, cwd=Path("/"))
    finally:
        command.close_child_ends()
    info = await _read_info(command.info_read, process, limits.start_timeout_seconds)
    sandbox_pid = int(info["child-pid"])
    root = f"/proc/{sandbox_pid}/root"
    connection = dict(command.connection, ip=f"{root}{SOCKET_DIR}/k")
    return LaunchedKernel(
        process=process,
        connection=connection,
        scratch_root=f"{root}{WORK_MOUNT}",
        work_dir=WORK_MOUNT,
        data_dir=DATA_MOUNT,
        host_data_dir=host_data_dir,
        sandbox_pidfd=_pidfd(sandbox_pid),
    )


async def _launch_subprocess(
    kernel_id: str, host_dir: Path, limits: SandboxLimits, isolate_network: bool
) -> LaunchedKernel:
    """The fallback: a restricted subprocess (rlimits, clean env, maybe no network)."""
    runtime = PythonRuntime.current()
    work, tmp = host_dir / "work", host_dir / "tmp"
    sockets = Path("/tmp") / f"chatdata-{kernel_id[:16]}"  # noqa: S108 - short IPC paths
    for directory in (work, work / "out", tmp, sockets):
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    connection = connection_info(str(sockets / "k"))
    connection_file = sockets / "connection.json"
    connection_file.write_text(json.dumps(connection))
    connection_file.chmod(0o600)
    prefix = ["unshare", "--net", "--"] if isolate_network else []
    if os.geteuid() == 0 and all(
        _world_accessible(path) for path in (Path(runtime.host_executable()), host_dir)
    ):
        uid = next_host_uid()
        for path in (work, work / "out", tmp, sockets, connection_file):
            os.chown(path, uid, uid)
        prefix += [
            "setpriv",
            f"--reuid={uid}",
            f"--regid={uid}",
            "--clear-groups",
            "--no-new-privs",
            "--",
        ]
    env = kernel_environment(
        limits,
        work_dir=str(work),
        tmp_dir=str(tmp),
        ext_dir=str(KERNEL_EXT_DIR),
        python_bin=str(Path(runtime.host_executable()).parent),
    )
    command = [*prefix, *kernel_command(limits, runtime.host_executable(), str(connection_file))]
    process = await _spawn(command, pass_fds=(), cwd=work, env=env)
    return LaunchedKernel(
        process=process,
        connection=connection,
        scratch_root=str(work),
        work_dir=str(work),
        data_dir=str(host_dir / "data"),
        host_data_dir=host_dir / "data",
        cleanup_paths=[sockets],
    )


async def _spawn(
    command: list[str],
    *,
    pass_fds: tuple[int, ...],
    cwd: Path | None,
    env: dict[str, str] | None = None,
) -> asyncio.subprocess.Process:
    """Start `command` in its own session with a minimal environment."""
    return await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        pass_fds=pass_fds,
        cwd=cwd,
        env=env if env is not None else {"PATH": SYSTEM_PATH},
        start_new_session=True,
    )


def _pidfd(pid: int) -> int | None:
    """A pidfd for the sandbox's init (the kernel), to signal exactly that process later."""
    try:
        return os.pidfd_open(pid)
    except OSError:
        return None


def _pipe_with(data: bytes) -> int:
    """A pipe already holding `data` (write end closed); returns the read end."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, data)
    finally:
        os.close(write_end)
    return read_end


async def _read_info(
    info_read: int, process: asyncio.subprocess.Process, limit_seconds: float
) -> dict[str, Any]:
    """bubblewrap's `--info-fd` JSON (the sandbox pid), or a start failure."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(info_read, "rb", buffering=0)
    )
    try:
        raw = await asyncio.wait_for(reader.read(), limit_seconds)
    except TimeoutError:
        raw = b""
        with contextlib.suppress(ProcessLookupError):
            process.kill()
    finally:
        transport.close()
    try:
        info: dict[str, Any] = json.loads(raw)
        int(info["child-pid"])
    except (ValueError, KeyError, TypeError) as error:
        output = b""
        if process.stdout is not None:
            try:
                output = await asyncio.wait_for(process.stdout.read(4096), timeout=2)
            except TimeoutError:
                output = b""
        detail = output.decode("utf-8", "replace").strip()
        raise SandboxUnavailable(
            "The analysis sandbox could not be started.", details={"reason": detail[:500]}
        ) from error
    return info


async def _drain_output(launched: LaunchedKernel) -> None:
    """Keep reading the kernel's stdout/stderr so it never blocks; keep the tail."""
    stream = launched.process.stdout
    if stream is None:
        return
    kept = 0
    while chunk := await stream.read(4096):
        launched.output_tail.append(chunk)
        kept += len(chunk)
        while kept > OUTPUT_TAIL_BYTES and len(launched.output_tail) > 1:
            kept -= len(launched.output_tail.popleft())


def _world_accessible(target: Path) -> bool:
    """True when any user may reach `target` (it and every ancestor searchable by others)."""
    real = target.resolve()
    for path in [real, *real.parents]:
        try:
            mode = path.stat().st_mode
        except OSError:
            return False
        if not mode & stat.S_IXOTH:
            return False
    return True


def remove_paths(paths: list[Path]) -> None:
    """Delete directories a kernel left on the host (best effort)."""
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
