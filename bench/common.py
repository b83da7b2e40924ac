"""Shared benchmark helpers: data generation, a server subprocess, RSS sampling."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import numpy as np
import polars as pl
import psutil

BENCH_DATA = Path(__file__).parent / "data"
PASSWORD = "benchmark-pass-1"


def generate_csv(path: Path, rows: int, seed: int = 0, chunk: int = 1_000_000) -> Path:
    """A mixed-type CSV (ints, floats with nulls, dates, categories, booleans, emails)."""
    if path.exists() and path.stat().st_size > 0:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    cities = np.array(["Berlin", "Paris", "Shanghai", "Austin", "Lagos", "Lima", "Osaka"])
    categories = np.array([f"cat_{i:02d}" for i in range(20)])
    partial = path.with_suffix(".partial")
    with partial.open("wb") as handle:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            ids = np.arange(start, start + n)
            amount = np.round(rng.gamma(2.0, 50.0, n), 2)
            frame = pl.DataFrame(
                {
                    "id": ids,
                    "day": (np.datetime64("2020-01-01") + rng.integers(0, 1500, n)).astype(str),
                    "category": categories[rng.integers(0, 20, n)],
                    "city": cities[rng.integers(0, len(cities), n)],
                    "amount": pl.Series(amount).set(pl.Series(rng.random(n) < 0.03), None),
                    "quantity": rng.integers(1, 50, n),
                    "score": np.round(rng.normal(0, 1, n), 4),
                    "active": rng.random(n) < 0.5,
                    "email": [f"user{i}@example.com" for i in ids],
                }
            )
            frame.write_csv(handle, include_header=start == 0)
    partial.rename(path)
    return path


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PeakRss:
    """Samples a process tree's RSS every `interval` seconds; `peak` is the maximum."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return
            time.sleep(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def running_server(data_dir: Path, **env: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`chatdata serve` in a subprocess on a free port; yields its base URL."""
    port = free_port()
    environment = {
        **os.environ,
        "CHATDATA_DATA_DIR": str(data_dir),
        "CHATDATA_LOG_LEVEL": "WARNING",
    }
    environment.update(env)
    process = subprocess.Popen(
        [sys.executable, "-m", "chatdata", "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_warm(url)
        yield url, process
    finally:
        process.terminate()
        process.wait(30)


def wait_until_warm(url: str, timeout: float = 120.0) -> None:
    """Until the server answers, its warm kernel pool is full and its task types are
    imported: a running server is measured, not one still starting (which takes the CPU
    on 2 cores)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            health = httpx.get(f"{url}/api/v1/health", timeout=1)
            checks = health.json().get("checks", {})
            sandbox = checks.get("sandbox", {})
            pool_full = sandbox.get("pool_ready", 0) >= sandbox.get("pool_size", 0)
            if health.status_code == 200 and pool_full and checks["tasks"]["types_loaded"]:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not become ready")


def signed_in(url: str, email: str = "bench@example.com") -> dict[str, str]:
    """Register (if needed) and sign in; the Authorization header."""
    httpx.post(
        f"{url}/api/v1/auth/register",
        json={"email": email, "username": "bench", "password": PASSWORD},
    )
    tokens = httpx.post(
        f"{url}/api/v1/auth/login", json={"email": email, "password": PASSWORD}
    ).json()
    return {"Authorization": f"Bearer {tokens['access_token']}"}
