"""Sandbox kernel figures: new-conversation kernel ready (warm pool vs cold), a trivial cell
round trip, and a group-by over the 12M-row Parquet through `con` in the kernel against the
same bare DuckDB query in this process, with the kernel's peak RSS.

    python -m bench.kernel [--rows 12000000] [--repeat 10]

Targets (DESIGN.md section 7): kernel ready <= 300 ms p50 with the pool, trivial cell
<= 30 ms p50, group-by ratio <= 1.5, kernel peak RSS <= 512 MiB.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import polars as pl
import psutil

from bench.common import BENCH_DATA, generate_csv
from chatdata.sandbox import DatasetMount, KernelManager, SandboxLimits

QUERY = "SELECT category, SUM(amount) AS total FROM {source} GROUP BY category ORDER BY category"


def bench_parquet(rows: int) -> Path:
    """The ingest benchmark's data as Parquet (generated once into bench/data/)."""
    parquet = BENCH_DATA / f"bench_{rows}.parquet"
    if not parquet.exists():
        csv = generate_csv(BENCH_DATA / f"bench_{rows}.csv", rows)
        pl.scan_csv(csv).sink_parquet(parquet)
    return parquet


def ms(values: list[float]) -> str:
    """p50 in milliseconds (and the range)."""
    low, high = min(values) * 1000, max(values) * 1000
    return f"{statistics.median(values) * 1000:.1f} ms (min {low:.1f}, max {high:.1f})"


async def wait_for_pool(manager: KernelManager) -> None:
    """Until the warm pool has a kernel ready."""
    while manager.status()["pool_ready"] < 1:
        await asyncio.sleep(0.1)


async def ready_times(
    manager: KernelManager, mount: DatasetMount, repeat: int, warm: bool
) -> list[float]:
    """Seconds from a new conversation's first cell to its result."""
    times = []
    for i in range(repeat):
        if warm:
            await wait_for_pool(manager)
        key = f"ready-{warm}-{i}"
        started = time.perf_counter()
        result = await manager.execute(key, "1", datasets=[mount])
        times.append(time.perf_counter() - started)
        assert result.status == "ok", result.outputs
        await manager.restart(key)
    return times


class TreeRss:
    """Peak summed RSS of this process's descendants (the kernels)."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process(os.getpid())
        while not self._stop.is_set():
            total = 0
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += child.memory_info().rss
            self.peak = max(self.peak, total)
            time.sleep(0.02)

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def groupby(parquet: Path, repeat: int) -> None:
    """The group-by in a kernel (no pool, so only this kernel is measured) vs bare DuckDB."""
    bare = []
    for _ in range(repeat):
        started = time.perf_counter()
        with duckdb.connect(config={"threads": 2}) as con:
            con.execute(QUERY.format(source="read_parquet(?)"), [str(parquet)]).fetchall()
        bare.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as runtime:
        manager = KernelManager(runtime_dir=Path(runtime), limits=SandboxLimits(), pool_size=0)
        await manager.start()
        mount = DatasetMount("data", parquet)
        warm = await manager.execute("groupby", "1", datasets=[mount])
        assert warm.status == "ok", warm.outputs
        code = f"rows = con.execute({QUERY.format(source='data')!r}).fetchall()\nprint(len(rows))"
        in_kernel = []
        with TreeRss() as rss:
            for _ in range(repeat):
                started = time.perf_counter()
                result = await manager.execute("groupby", code, datasets=[mount])
                in_kernel.append(time.perf_counter() - started)
                assert result.status == "ok", result.outputs
        await manager.shutdown()
    ratio = statistics.median(in_kernel) / statistics.median(bare)
    print(f"group-by, bare DuckDB: {ms(bare)}")
    print(f"group-by through `con` in the kernel: {ms(in_kernel)}")
    print(f"ratio: {ratio:.2f} (target <= 1.5)")
    print(f"kernel peak RSS during the group-by: {rss.peak / 2**20:.0f} MiB (target <= 512 MiB)")


async def main_async(rows: int, repeat: int) -> None:
    parquet = bench_parquet(rows)
    with tempfile.TemporaryDirectory() as runtime:
        small = Path(runtime) / "small.parquet"
        pl.DataFrame({"a": list(range(100))}).write_parquet(small)
        mount = DatasetMount("data", small)
        pooled = KernelManager(runtime_dir=Path(runtime) / "pool", pool_size=1)
        await pooled.start()
        warm = await ready_times(pooled, mount, repeat, warm=True)
        cell = []
        await pooled.execute("cells", "1", datasets=[mount])
        for _ in range(50):
            started = time.perf_counter()
            await pooled.execute("cells", "1 + 1", datasets=[mount])
            cell.append(time.perf_counter() - started)
        await pooled.shutdown()
        cold_manager = KernelManager(runtime_dir=Path(runtime) / "cold", pool_size=0)
        await cold_manager.start()
        cold = await ready_times(cold_manager, mount, max(3, repeat // 3), warm=False)
        await cold_manager.shutdown()
    print(f"new conversation's kernel ready, warm pool: {ms(warm)} (target <= 300 ms)")
    print(f"new conversation's kernel ready, no pool (baseline): {ms(cold)}")
    print(f"trivial cell round trip: {ms(cell)} (target <= 30 ms)")
    await groupby(parquet, max(3, repeat // 2))


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=12_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main_async(args.rows, args.repeat))


if __name__ == "__main__":
    main()
