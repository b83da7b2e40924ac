"""Load: N concurrent users against one `chatdata serve` worker, in four phases.

    python -m bench.load [--users 50] [--duration 60] [--phase-seconds 20] [--list-rate 500]
                         [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test]

1. mixed (`--duration` s; 0 only signs the users up): each user registers, signs in, uploads
   a small CSV, waits until it is ready, opens a conversation, then loops: list datasets,
   every `--upload-every`th round upload another CSV, chat one turn (SSE) with the scripted
   OpenAI-compatible model; every `--cell-every`th turn the model calls `run_python`, so the
   sandbox kernel runs. No think time: the server is saturated.
2. list, closed loop (`--phase-seconds` s): the same users only `GET /datasets` (the
   authenticated list endpoint), each sending the next request when the last one answered:
   the most requests/s the server serves (target >= 500 on one worker, DESIGN.md section 7).
   With N users and no think time the mean latency is N / throughput, so p99 is judged in:
3. list, paced (`--phase-seconds` s): the users send `--list-rate` requests/s in all on a fixed
   schedule (open loop; latency from the scheduled time): target p99 <= 100 ms at 500/s.
4. baseline (`--phase-seconds` s): the closed-loop driver on the unauthenticated
   `GET /api/v1/health` (one `SELECT 1`), so the list figure has a reference.

Three processes: the server (one uvicorn worker; SQLite by default, a fresh database on the
`--postgres` server otherwise), the scripted model server, and this driver (asyncio + httpx).
The CPU each used per phase is printed, in % of one core (on 2 cores the driver must leave
the server its core), and the server's CPU per request, a figure other load on the machine
disturbs less than requests/s. Printed: requests/s, p50/p95/p99/max per endpoint, errors by
kind, and a summary against the targets.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil

from bench.common import running_server
from bench.load_model import model_server
from bench.load_stats import (
    BASELINE,
    LIST_MAX,
    LIST_PACED,
    SERVER,
    PhaseResult,
    Stats,
    report,
    summarise,
    tree_cpu,
)
from bench.load_user import (
    API,
    Action,
    Setup,
    User,
    health,
    list_datasets,
    mixed_round,
    paced_list,
    start_user,
)

SERVER_ENV = {
    "CHATDATA_LLM_PRESET": "openai",
    "CHATDATA_LLM_API_KEY": "bench-key",
    "CHATDATA_LLM_MAX_RETRIES": "0",
    "CHATDATA_CHAT_RATE_PER_MINUTE": "1000000",
    "CHATDATA_LOGIN_ATTEMPTS_PER_IP": "1000000",
    "CHATDATA_ACCESS_TOKEN_MINUTES": "600",
}


async def run_phase(
    name: str,
    users: list[User],
    action: Action,
    seconds: float,
    pids: dict[str, int],
    setup: Setup | None = None,
) -> PhaseResult:
    """Every user runs `setup` once (staying out when it fails), then `action` in a loop
    until `seconds` have passed."""
    stats = Stats()
    before = cpu_snapshot(pids)
    started = time.perf_counter()
    deadline = started + seconds

    async def loop(user: User) -> None:
        if setup is not None and not await setup(user, stats):
            return
        while time.perf_counter() < deadline:
            await action(user, stats)

    await asyncio.gather(*(loop(user) for user in users))
    wall = time.perf_counter() - started
    after = cpu_snapshot(pids)
    cpu = {who: after[who] - before[who] for who in before}
    return PhaseResult(name, wall, stats, cpu)


def cpu_snapshot(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far of the server tree, the model server and this driver."""
    snapshot = {who: tree_cpu(pid) for who, pid in pids.items()}
    snapshot["driver (this process)"] = time.process_time()
    return snapshot


async def wait_quiet(users: list[User]) -> None:
    """Until no dataset is still being ingested (the mixed phase's last uploads)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        pending = 0
        for each in users:
            response = await each.client.get(
                f"{API}/datasets", params={"status": "processing"}, headers=each.headers
            )
            pending += int(response.json()["total"])
        if pending == 0:
            return
        await asyncio.sleep(0.5)
    raise RuntimeError("datasets still processing after 5 minutes")


async def drive(url: str, args: argparse.Namespace, pids: dict[str, int]) -> list[PhaseResult]:
    """Run the four phases with `args.users` users; their results."""
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4)
    clients = [
        httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(300.0), limits=limits)
        for _ in range(args.users)
    ]
    users = [User(number, client) for number, client in enumerate(clients)]
    ready: list[User] = []

    async def setup(user: User, stats: Stats) -> bool:
        started = await start_user(user, stats)
        if started:
            ready.append(user)
        return started

    async def mixed(user: User, stats: Stats) -> None:
        await mixed_round(user, stats, args)

    try:
        results = [await run_phase("mixed", users, mixed, args.duration, pids, setup)]
        await wait_quiet(ready)
        seconds = args.phase_seconds
        results.append(await run_phase(LIST_MAX, ready, list_datasets, seconds, pids))
        paced = paced_list(args.list_rate, len(ready))
        results.append(await run_phase(LIST_PACED, ready, paced, seconds, pids))
        results.append(await run_phase(BASELINE, ready, health, seconds, pids))
        return results
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


@contextmanager
def database(postgres: str | None) -> Iterator[dict[str, str]]:
    """Server env for the database: SQLite in the data dir, or a fresh PostgreSQL one."""
    if postgres is None:
        yield {}
        return
    from tests.support import pg_database

    with pg_database(postgres) as url:
        yield {"CHATDATA_DATABASE_URL": url}


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="mixed phase, seconds")
    parser.add_argument("--phase-seconds", type=float, default=20.0, help="list and baseline")
    parser.add_argument("--list-rate", type=float, default=500.0, help="paced list, req/s")
    parser.add_argument("--upload-every", type=int, default=5, help="rounds per upload")
    parser.add_argument("--cell-every", type=int, default=4, help="chat turns per cell")
    parser.add_argument("--postgres", help="PostgreSQL server URL (a database is created)")
    return parser.parse_args()


def main() -> None:
    """Run the benchmark and print its figures."""
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        with (
            model_server() as (model_url, model_pid),
            database(args.postgres) as db_env,
            running_server(
                work / "server", **SERVER_ENV, CHATDATA_LLM_BASE_URL=model_url, **db_env
            ) as (url, process),
        ):
            pids = {SERVER: process.pid, "model server": model_pid}
            backend = "PostgreSQL" if args.postgres else "SQLite"
            print(f"{args.users} users, one uvicorn worker, {backend}, {psutil.cpu_count()} cores")
            try:
                import uvloop

                results = uvloop.run(drive(url, args, pids))
            except ImportError:
                results = asyncio.run(drive(url, args, pids))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for result in results:
        report(result)
    summarise(results, args.list_rate)


if __name__ == "__main__":
    main()
