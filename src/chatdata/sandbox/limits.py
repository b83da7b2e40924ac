"""Value types of the sandbox API: resource limits, dataset mounts and execution results."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from chatdata.config import Settings

ExecutionStatus = Literal["ok", "error", "timeout", "rejected", "killed"]
KillReason = Literal["timeout", "died", "restarted"]

VIEW_NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
PRIMARY_VIEW = "data"


@dataclass(frozen=True)
class SandboxLimits:
    """Resource limits of one kernel; the defaults match `Settings`' sandbox knobs.

    `memory_mb` is the address-space limit of each process in the sandbox, `scratch_mb`
    the size of the writable `/work` tmpfs, `timeout_seconds` the wall clock of one cell,
    `output_cap_bytes` the text kept per cell (head and tail), `rich_output_cap_bytes` the
    images, charts and tables kept per cell, `sample_rows` the largest `df` loaded whole.
    """

    memory_mb: int = 2048
    cpu_seconds: int = 600
    max_processes: int = 256  # threads count too: Polars, Arrow and DuckDB pools
    max_file_mb: int = 512
    scratch_mb: int = 1024
    tmp_mb: int = 64
    timeout_seconds: float = 120.0
    interrupt_grace_seconds: float = 3.0
    output_cap_bytes: int = 262_144
    rich_output_cap_bytes: int = 8 * 1024 * 1024
    sample_rows: int = 200_000
    sample_seed: int = 0
    table_rows: int = 50
    threads: int = 2
    start_timeout_seconds: float = 60.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SandboxLimits:
        """The limits configured by the `kernel_*`/sandbox settings (other fields default)."""
        return cls(
            memory_mb=settings.kernel_memory_mb,
            cpu_seconds=settings.kernel_cpu_seconds,
            max_processes=settings.kernel_max_processes,
            max_file_mb=settings.kernel_max_file_mb,
            scratch_mb=settings.kernel_scratch_mb,
            tmp_mb=settings.kernel_tmp_mb,
            timeout_seconds=settings.execution_timeout_seconds,
            output_cap_bytes=settings.output_cap_bytes,
            sample_rows=settings.sample_rows,
        )


@dataclass(frozen=True)
class DatasetMount:
    """A Parquet file shown read-only to the kernel as `/data/<view_name>.parquet`.

    The first mount of a list is the primary dataset: it backs `df`, `lf` and the DuckDB
    view `data`; every mount also gets a DuckDB view named `view_name`.
    """

    view_name: str
    host_path: Path

    def __post_init__(self) -> None:
        if not VIEW_NAME_PATTERN.match(self.view_name):
            raise ValueError(f"view name {self.view_name!r} must be a Python/SQL identifier")


@dataclass
class ExecutionResult:
    """What one cell did: a status, its typed output parts, and how long it took.

    `ok` the cell ran; `error` it raised; `timeout` it hit the wall clock and was
    interrupted (or killed, said in a `notice` part); `rejected` the static check refused
    it; `killed` the kernel died while running it (its state is rebuilt on the next call).
    `kill_reason` says why the kernel was lost, when it was: `timeout` (the cell ignored the
    interrupt at the time limit), `died` (it crashed or hit a resource limit such as memory)
    or `restarted` (on request); it is not part of `to_dict`.
    """

    status: ExecutionStatus
    outputs: list[dict[str, Any]] = field(default_factory=list)
    duration_ms: int = 0
    kill_reason: KillReason | None = None

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-serialisable dict (the execute endpoint's body)."""
        return {"status": self.status, "outputs": self.outputs, "duration_ms": self.duration_ms}
