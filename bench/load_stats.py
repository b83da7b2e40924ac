"""What `bench.load` measures and prints: latencies and errors per endpoint, CPU per process,
one table per phase and a summary against the targets (DESIGN.md section 7)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import psutil

LIST_MAX = "list only, closed loop (most the server does)"
LIST_PACED = "list only, paced at the target rate"
BASELINE = "baseline: health, closed loop"
COLUMNS = ("count", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms")
SERVER = "server (+ kernels)"


@dataclass
class Stats:
    """Latencies (seconds) per endpoint and errors by kind for one phase."""

    latencies: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    list_items: list[int] = field(default_factory=list)

    def record(self, name: str, seconds: float) -> None:
        """One completed request."""
        self.latencies[name].append(seconds)

    def error(self, name: str, kind: str) -> None:
        """One failed request."""
        self.errors[f"{name}: {kind}"] += 1


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process, its live descendants and the children they reaped."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of `values` (not empty), in milliseconds."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank] * 1000


@dataclass
class PhaseResult:
    """What one phase measured."""

    name: str
    wall: float
    stats: Stats
    cpu: dict[str, float]  # CPU seconds used during the phase, by process


def report(result: PhaseResult) -> None:
    """Print one phase: per endpoint count, req/s and latency percentiles; errors; CPU."""
    stats, wall = result.stats, result.wall
    total = sum(len(v) for k, v in stats.latencies.items() if not k.startswith("chat:"))
    print(f"\n== {result.name}: {wall:.1f} s, {total} requests, {total / wall:.0f} req/s")
    print(f"{'endpoint':<28}" + "".join(f"{c:>9}" for c in COLUMNS))
    for name, values in sorted(stats.latencies.items()):
        row = [percentile(values, share) for share in (0.5, 0.95, 0.99, 1.0)]
        cells = [f"{len(values):>9}", f"{len(values) / wall:>9.1f}", *(f"{v:>9.1f}" for v in row)]
        print(f"{name:<28}" + "".join(cells))
    errors = sum(stats.errors.values())
    print(f"errors: {errors}" + "".join(f"\n  {k}: {n}" for k, n in stats.errors.most_common()))
    if stats.list_items:
        print(f"datasets per list answer: {sum(stats.list_items) / len(stats.list_items):.1f} avg")
    usage = ", ".join(f"{who} {seconds / wall * 100:.0f}%" for who, seconds in result.cpu.items())
    print(f"CPU (% of one core): {usage}")
    print(f"server CPU per request: {result.cpu[SERVER] / max(total, 1) * 1000:.2f} ms")


def summarise(results: list[PhaseResult], rate: float) -> None:
    """The list endpoint against its targets and the baseline."""
    by_name = {r.name: r for r in results}

    def figures(name: str, endpoint: str) -> tuple[float, float, float]:
        """(req/s, p99 ms, server CPU ms per request) of one endpoint in one phase."""
        phase = by_name[name]
        values = phase.stats.latencies[endpoint] or [0.0]
        cpu = phase.cpu[SERVER] / len(values) * 1000
        return len(values) / phase.wall, percentile(values, 0.99), cpu

    most, most_p99, cpu = figures(LIST_MAX, "GET /datasets")
    paced, paced_p99, _ = figures(LIST_PACED, "GET /datasets")
    base, _, base_cpu = figures(BASELINE, "GET /health")
    errors = sum(sum(r.stats.errors.values()) for r in results)
    print(
        f"\nlist endpoint, most it serves: {most:.0f} req/s (target >= 500), p99 {most_p99:.0f} ms"
    )
    print(
        f"list endpoint offered {rate:.0f} req/s: served {paced:.0f} req/s, p99 {paced_p99:.0f} ms"
    )
    print(f"  (target p99 <= 100 ms); {most / base:.2f}x the health baseline ({base:.0f} req/s)")
    print(f"server CPU per request: list {cpu:.2f} ms, health {base_cpu:.2f} ms")
    print(f"errors in all phases: {errors} (target 0)")
