"""Shared sandbox fixtures: small Parquet datasets and one real bubblewrap manager."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from chatdata.sandbox import DatasetMount, ExecutionResult, KernelManager, SandboxLimits

TEST_LIMITS = SandboxLimits(
    memory_mb=2048,
    scratch_mb=64,
    tmp_mb=32,
    max_file_mb=16,
    timeout_seconds=60.0,
    interrupt_grace_seconds=1.5,
    start_timeout_seconds=120.0,
    output_cap_bytes=4000,
    rich_output_cap_bytes=2_000_000,
    sample_rows=100,
)
SALES_ROWS = {
    "region": ["north", "south", "north", "east", "south", "north"],
    "amount": [10.5, 20.0, 7.25, 3.0, None, 12.0],
    "units": [1, 2, 3, 4, 5, 6],
}
EVENT_ROWS = 1000


@pytest.fixture(scope="package")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with `sales.parquet` (6 rows) and `events.parquet` (1000 rows)."""
    directory = tmp_path_factory.mktemp("datasets")
    pl.DataFrame(SALES_ROWS).write_parquet(directory / "sales.parquet")
    events = pl.DataFrame(
        {"id": list(range(EVENT_ROWS)), "value": [2 * i for i in range(EVENT_ROWS)]}
    )
    events.write_parquet(directory / "events.parquet")
    return directory


@pytest.fixture(scope="package")
def sales(data_dir: Path) -> list[DatasetMount]:
    """The sales dataset as the primary (and only) mount."""
    return [DatasetMount("sales", data_dir / "sales.parquet")]


@pytest.fixture(scope="package")
def events(data_dir: Path) -> list[DatasetMount]:
    """The 1000-row events dataset as the primary mount."""
    return [DatasetMount("events", data_dir / "events.parquet")]


@pytest.fixture(scope="package")
async def manager(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[KernelManager]:
    """A manager with real bubblewrap isolation shared by the sandbox tests."""
    kernels = KernelManager(
        runtime_dir=tmp_path_factory.mktemp("runtime"),
        limits=TEST_LIMITS,
        mode="bwrap",
        pool_size=1,
    )
    await kernels.start()
    yield kernels
    await kernels.shutdown()


def stdout(result: ExecutionResult) -> str:
    """Everything the cell printed to stdout."""
    return "".join(
        part["text"]
        for part in result.outputs
        if part["type"] == "stream" and part["name"] == "stdout"
    )


def parts_of(result: ExecutionResult, kind: str) -> list[dict[str, Any]]:
    """The result's parts of one type."""
    return [part for part in result.outputs if part["type"] == kind]
