"""Task system benchmarks: small-task throughput on each runner, and a cleaning pipeline on a
12M-row Parquet dataset through the API (wall time and server peak RSS).

    python -m bench.tasks throughput --tasks 200        # in-process, then Celery (Redis)
    python -m bench.tasks cleaning --rows 12000000      # generated once into bench/data/
    python -m bench.tasks all --rows 1000000

Throughput: a real `chatdata serve` subprocess (and for Celery one `chatdata worker` with
`--concurrency 2` sharing its data dir and SQLite file, Redis db 14 unless
CHATDATA_BENCH_REDIS_URL says otherwise) runs N `describe` tasks on a 100-row dataset;
tasks/s = N / (first submit -> last task finished). Cleaning: the Parquet file is uploaded
and ingested through the API, then a 5-step `cleaning_pipeline` task runs on the in-process
runner; the figure is submit -> succeeded (includes writing, hashing, profiling and storing
the new version), the server's peak RSS sampled during the task, and, for context, the bare
pipeline (`run_cleaning_pipeline`, streaming) in a separate process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import polars as pl
import pyarrow.parquet as pq

from bench.common import BENCH_DATA, PeakRss, running_server, signed_in

API = "/api/v1"
REDIS_URL = os.environ.get("CHATDATA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
STEPS: list[dict[str, Any]] = [
    {"op": "normalize_strings", "columns": ["city"], "case": "lower"},
    {"op": "fill_missing", "column": "amount", "strategy": "median"},
    {"op": "outliers", "columns": ["amount"], "method": "iqr", "action": "cap"},
    {"op": "deduplicate", "columns": ["id"]},
    {"op": "drop_missing", "columns": ["city"]},
]


def generate_dirty_parquet(path: Path, rows: int, seed: int = 0, chunk: int = 2_000_000) -> Path:
    """A Parquet file with messy city names, missing and extreme amounts, duplicate ids."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    cities = np.array(["Berlin", " berlin", "PARIS ", "Paris", "Lima", "lima  ", "Osaka", "Oslo"])
    partial = path.with_suffix(".partial")
    writer: pq.ParquetWriter | None = None
    try:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            ids = np.arange(start, start + n)
            ids[rng.random(n) < 0.01] -= 1  # about 1% duplicate ids
            amount = rng.gamma(2.0, 50.0, n)
            amount[rng.random(n) < 0.001] *= 100  # outliers
            city = cities[rng.integers(0, len(cities), n)].astype(object)
            city[rng.random(n) < 0.005] = None
            frame = pl.DataFrame(
                {
                    "id": ids,
                    "city": pl.Series(city, dtype=pl.String),
                    "amount": pl.Series(amount).set(pl.Series(rng.random(n) < 0.03), None),
                    "quantity": rng.integers(1, 50, n),
                    "day": np.datetime64("2020-01-01") + rng.integers(0, 1500, n),
                }
            ).to_arrow()
            writer = writer or pq.ParquetWriter(partial, frame.schema)
            writer.write_table(frame)
    finally:
        if writer is not None:
            writer.close()
    partial.rename(path)
    return path


def upload_ready(url: str, headers: dict[str, str], path: Path) -> str:
    """Upload a file (streamed) and wait until its ingest task made it ready; its id."""
    with path.open("rb") as handle, httpx.Client(timeout=None) as client:
        response = client.post(
            f"{url}{API}/datasets/upload", files={"file": (path.name, handle)}, headers=headers
        )
        response.raise_for_status()
        dataset_id = str(response.json()["id"])
        while True:
            detail = client.get(f"{url}{API}/datasets/{dataset_id}", headers=headers).json()
            if detail["status"] != "processing":
                break
            time.sleep(0.1)
    if detail["status"] != "ready":
        raise RuntimeError(f"ingest failed: {detail}")
    return dataset_id


def submit(client: httpx.Client, dataset_id: str, task_type: str, params: dict[str, Any]) -> str:
    """POST a task; its id."""
    response = client.post(
        f"{API}/tasks",
        json={"task_type": task_type, "dataset_id": dataset_id, "parameters": params},
    )
    response.raise_for_status()
    return str(response.json()["id"])


def wait_done(client: httpx.Client, task_id: str, poll: float = 0.05) -> dict[str, Any]:
    """Poll until the task finished; the task."""
    while True:
        task: dict[str, Any] = client.get(f"{API}/tasks/{task_id}").json()
        if task["status"] in ("succeeded", "failed", "cancelled"):
            return task
        time.sleep(poll)


@contextmanager
def celery_worker(data_dir: Path, concurrency: int) -> Iterator[subprocess.Popen[bytes]]:
    """`chatdata worker` sharing the server's data dir (SQLite file and files)."""
    env = {
        **os.environ,
        "CHATDATA_DATA_DIR": str(data_dir),
        "CHATDATA_TASK_RUNNER": "celery",
        "CHATDATA_REDIS_URL": REDIS_URL,
        "CHATDATA_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "chatdata", "worker", "--concurrency", str(concurrency)]
    command += ["--loglevel", "WARNING"]
    worker = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        yield worker
    finally:
        worker.terminate()
        worker.wait(30)


def throughput(runner: str, tasks: int, work: Path) -> float:
    """Small tasks per second on one runner (2 workers)."""
    data_dir = work / runner
    data_dir.mkdir(parents=True)
    small = work / "small.csv"
    pl.DataFrame({"x": np.arange(100) * 0.5, "g": ["a", "b"] * 50}).write_csv(small)
    env = {"CHATDATA_TASK_RUNNER": runner, "CHATDATA_REDIS_URL": REDIS_URL}
    with running_server(data_dir, **env, CHATDATA_TASK_WORKERS="2") as (url, _process):
        worker = celery_worker(data_dir, 2) if runner == "celery" else None
        with worker or _nothing(), httpx.Client(base_url=url, timeout=60) as client:
            client.headers.update(signed_in(url))
            dataset_id = upload_ready(url, dict(client.headers), small)
            params = {"columns": ["x"], "bins": 10}
            wait_done(client, submit(client, dataset_id, "describe", params))  # warm-up
            started = time.perf_counter()
            ids = [submit(client, dataset_id, "describe", params) for _ in range(tasks)]
            statuses = [wait_done(client, task_id)["status"] for task_id in ids]
            seconds = time.perf_counter() - started
    if set(statuses) != {"succeeded"}:
        raise RuntimeError(f"some tasks did not succeed: {set(statuses)}")
    return tasks / seconds


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def bare_pipeline(source: Path, work: Path) -> dict[str, float]:
    """Run `run_cleaning_pipeline` alone in a fresh process: wall seconds and peak RSS MiB."""
    code = (
        "import json, resource, sys, time; from pathlib import Path;"
        "from chatdata.analysis.cleaning import run_cleaning_pipeline;"
        "t = time.perf_counter();"
        "run_cleaning_pipeline(Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3]));"
        "print(json.dumps({'seconds': time.perf_counter() - t,"
        "'peak_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code, str(source), str(work / "bare.parquet"), json.dumps(STEPS)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(output.stdout.strip().splitlines()[-1])
    return figures


def cleaning(rows: int, work: Path) -> None:
    """The cleaning pipeline task on a `rows`-row Parquet dataset; prints its figures."""
    source = generate_dirty_parquet(BENCH_DATA / f"tasks_dirty_{rows}.parquet", rows)
    print(f"dataset: {source.name}, {source.stat().st_size / 1e6:.0f} MB, {rows:,} rows")
    bare = bare_pipeline(source, work)
    print(
        f"bare run_cleaning_pipeline: {bare['seconds']:.2f} s, peak RSS {bare['peak_mib']:.0f} MiB"
    )
    (work / "cleaning").mkdir()
    with running_server(work / "cleaning") as (url, process):
        headers = signed_in(url)
        started = time.perf_counter()
        dataset_id = upload_ready(url, headers, source)
        print(f"upload + ingest task: {time.perf_counter() - started:.2f} s")
        with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
            idle_mib = process_rss_mib(process.pid)
            with PeakRss(process.pid) as rss:
                started = time.perf_counter()
                task = wait_done(
                    client,
                    submit(client, dataset_id, "cleaning_pipeline", {"steps": STEPS}),
                    poll=0.2,
                )
                seconds = time.perf_counter() - started
            result = client.get(f"{API}/tasks/{task['id']}/result").json()["result"]
    if task["status"] != "succeeded":
        raise RuntimeError(f"cleaning failed: {task['error']}")
    data = result["data"]
    print(
        f"cleaning_pipeline task ({len(STEPS)} steps -> version {result['new_version']}): "
        f"{seconds:.2f} s, rows {data['rows_before']:,} -> {data['rows_after']:,}"
    )
    print(f"server RSS: {idle_mib:.0f} MiB before, peak during the task {rss.peak / 2**20:.0f} MiB")


def process_rss_mib(pid: int) -> float:
    """Current RSS of a process in MiB."""
    import psutil

    return float(psutil.Process(pid).memory_info().rss) / 2**20


def main() -> None:
    """Parse the command line and run the chosen benchmark(s)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["throughput", "cleaning", "all"])
    parser.add_argument("--tasks", type=int, default=200, help="small tasks per runner")
    parser.add_argument("--rows", type=int, default=12_000_000, help="rows of the cleaning data")
    parser.add_argument("--runners", default="inprocess,celery")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-tasks-"))
    try:
        if args.what in ("throughput", "all"):
            for runner in args.runners.split(","):
                rate = throughput(runner, args.tasks, work)
                print(
                    f"throughput {runner}: {rate:.1f} small tasks/s ({args.tasks} describe tasks)"
                )
        if args.what in ("cleaning", "all"):
            cleaning(args.rows, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"bench process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB"
    )


if __name__ == "__main__":
    main()
