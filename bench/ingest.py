"""Upload + ingest + profile of a large CSV through the running API, against a bare
`polars.scan_csv(f).sink_parquet(o)` of the same file measured in the same run.

    python -m bench.ingest            # 12M rows, ~1.1 GB (generated once into bench/data/)
    python -m bench.ingest --rows 1000000

Targets (DESIGN.md section 7): ratio <= 2.0, server peak RSS <= 1 GiB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import polars as pl

from bench.common import BENCH_DATA, PeakRss, generate_csv, running_server, signed_in

GIB = 1024**3


def bare_polars_seconds(csv: Path, out_dir: Path) -> float:
    """The baseline: the plainest streaming CSV -> Parquet conversion."""
    started = time.perf_counter()
    pl.scan_csv(csv).sink_parquet(out_dir / "baseline.parquet")
    return time.perf_counter() - started


def upload_until_ready(
    url: str, headers: dict[str, str], csv: Path
) -> tuple[float, dict[str, object]]:
    """Seconds from the start of the upload until the dataset is ready, followed the way
    the web UI does (`?wait=`, answered at each change) rather than by polling several
    times a second, which itself costs the server measurable CPU."""
    started = time.perf_counter()
    with csv.open("rb") as handle, httpx.Client(timeout=None) as client:
        response = client.post(
            f"{url}/api/v1/datasets/upload",
            files={"file": (csv.name, handle, "text/csv")},
            headers=headers,
        )
        response.raise_for_status()
        dataset_id = response.json()["id"]
        while True:  # long polling: each answer comes when the progress changes
            detail = client.get(
                f"{url}/api/v1/datasets/{dataset_id}", params={"wait": 30}, headers=headers
            ).json()
            if detail["status"] != "processing":
                break
    return time.perf_counter() - started, detail


def main() -> None:
    """Run the benchmark and print its figures (medians over `--repeat` runs of each side,
    taken in turns, so both meet the same machine)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=12_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side (median)")
    args = parser.parse_args()
    csv = generate_csv(BENCH_DATA / f"bench_{args.rows}.csv", args.rows)
    size = csv.stat().st_size
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    baselines: list[float] = []
    runs: list[float] = []
    peaks: list[int] = []
    try:
        for attempt in range(args.repeat):  # a fresh server and data dir each time
            os.sync()  # neither side inherits the other's disk writes still in flight
            baselines.append(bare_polars_seconds(csv, work))
            with running_server(work / f"server-{attempt}") as (url, process):
                headers = signed_in(url)
                os.sync()
                with PeakRss(process.pid) as rss:
                    seconds, detail = upload_until_ready(url, headers, csv)
            assert detail["status"] == "ready", detail
            runs.append(seconds)
            peaks.append(rss.peak)
            shutil.rmtree(work / f"server-{attempt}", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    baseline, seconds = statistics.median(baselines), statistics.median(runs)
    ratio = seconds / baseline
    print(f"file: {csv.name}, {size / 1e9:.2f} GB, {args.rows:,} rows; {args.repeat} runs each")
    print(f"baseline polars scan_csv().sink_parquet(): {baseline:.2f} s (runs: {_list(baselines)})")
    print(f"upload + ingest + profile through the API:  {seconds:.2f} s (runs: {_list(runs)})")
    print(f"ratio of the medians: {ratio:.2f} (target <= 2.0)")
    print(f"server peak RSS: {max(peaks) / 2**20:.0f} MiB (target <= 1024 MiB)")
    print(f"rows ingested: {detail['row_count']:,}, columns: {detail['column_count']}")


def _list(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


if __name__ == "__main__":
    main()
