"""Prometheus metrics of one app on its own registry: HTTP, tasks, kernels and the LLM.

HTTP figures are observed by the request middleware, cell durations by a kernel-manager
observer and LLM calls by `InstrumentedProvider` (see `metrics_wiring.py`). Figures kept
elsewhere (the kernel manager's counters, task counts in the database) are read into a
snapshot just before each scrape and shown from it. Labels never hold ids: routes are
their templates (`/api/v1/datasets/{dataset_id}`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
CELL_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
LLM_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0)
KILL_COUNTERS = {
    "timeout": "killed_timeout",
    "died": "killed_died",
    "restarted": "restarted",
    "culled": "culled",
    "evicted": "evicted",
}
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass
class Snapshot:
    """Figures read from the runtime just before a scrape."""

    kernels: dict[str, Any] = field(default_factory=dict)
    tasks: dict[tuple[str, str], int] | None = None  # None: the database did not answer


class Metrics:
    """Every metric of one app, registered on the app's own `CollectorRegistry`."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.snapshot = Snapshot()
        self._http_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self._define_http()
        self._define_kernels_and_llm()
        self.registry.register(_SnapshotCollector(self))

    def _define_http(self) -> None:
        labels = ["method", "route", "status"]
        self.http_requests = Counter(
            "chatdata_http_requests", "HTTP requests answered.", labels, registry=self.registry
        )
        self.http_seconds = Histogram(
            "chatdata_http_request_duration_seconds",
            "Time to answer an HTTP request (until the handler returned).",
            labels,
            buckets=HTTP_BUCKETS,
            registry=self.registry,
        )
        self.http_in_flight = Gauge(
            "chatdata_http_requests_in_flight",
            "HTTP requests being answered now.",
            registry=self.registry,
        )

    def _define_kernels_and_llm(self) -> None:
        self.cell_seconds = Histogram(
            "chatdata_kernel_cell_duration_seconds",
            "Wall-clock time of a code cell in a kernel, by how it ended.",
            ["status"],
            buckets=CELL_BUCKETS,
            registry=self.registry,
        )
        self.llm_requests = Counter(
            "chatdata_llm_requests", "Calls to the AI model.", ["provider"], registry=self.registry
        )
        self.llm_errors = Counter(
            "chatdata_llm_errors",
            "Failed calls to the AI model.",
            ["provider"],
            registry=self.registry,
        )
        self.llm_tokens = Counter(
            "chatdata_llm_tokens",
            "Tokens sent to (`in`) and received from (`out`) the AI model.",
            ["provider", "direction"],
            registry=self.registry,
        )
        self.llm_seconds = Histogram(
            "chatdata_llm_request_duration_seconds",
            "Time of one call to the AI model (streamed to its end).",
            ["provider"],
            buckets=LLM_BUCKETS,
            registry=self.registry,
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request and its latency (children cached: this is hot)."""
        key = (method, route, status)
        children = self._http_children.get(key)
        if children is None:
            labels = (method, route, str(status))
            children = (self.http_requests.labels(*labels), self.http_seconds.labels(*labels))
            self._http_children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def observe_cell(self, status: str, seconds: float) -> None:
        """One executed cell."""
        self.cell_seconds.labels(status).observe(seconds)

    def observe_llm_call(
        self, provider: str, seconds: float, usage: dict[str, int] | None, failed: bool
    ) -> None:
        """One model call: its time, its tokens when the model said, and whether it failed."""
        self.llm_requests.labels(provider).inc()
        self.llm_seconds.labels(provider).observe(seconds)
        if failed:
            self.llm_errors.labels(provider).inc()
        usage = usage or {}
        self.llm_tokens.labels(provider, "in").inc(usage.get("prompt_tokens", 0))
        self.llm_tokens.labels(provider, "out").inc(usage.get("completion_tokens", 0))

    def render(self) -> bytes:
        """The registry in Prometheus' text format."""
        return generate_latest(self.registry)


class _SnapshotCollector(Collector):
    """Kernel and task figures from the latest snapshot."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        snapshot = self.metrics.snapshot
        yield from _kernel_families(snapshot.kernels)
        yield GaugeMetricFamily(
            "chatdata_database_up",
            "1 when the database answered the task-count query of this scrape.",
            value=int(snapshot.tasks is not None),
        )
        if snapshot.tasks is not None:
            yield from _task_families(snapshot.tasks)


def _kernel_families(status: dict[str, Any]) -> Iterator[Metric]:
    if not status:
        return
    yield GaugeMetricFamily(
        "chatdata_kernels_live", "Conversation kernels running now.", value=status["kernels"]
    )
    yield GaugeMetricFamily(
        "chatdata_kernel_pool_ready", "Warm kernels waiting.", value=status["pool_ready"]
    )
    yield CounterMetricFamily(
        "chatdata_kernels_started", "Kernels launched.", value=status["started"]
    )
    killed = CounterMetricFamily(
        "chatdata_kernels_killed",
        "Kernels stopped: time limit, died (crash or memory limit), restarted on request, "
        "culled when idle, evicted to make room.",
        labels=["reason"],
    )
    for reason, counter in KILL_COUNTERS.items():
        killed.add_metric([reason], status.get(counter, 0))
    yield killed


def _task_families(counts: dict[tuple[str, str], int]) -> Iterator[Metric]:
    tasks = GaugeMetricFamily(
        "chatdata_tasks",
        "Tasks in the database by type and state (all processes and workers).",
        labels=["type", "state"],
    )
    for (task_type, state), count in sorted(counts.items()):
        tasks.add_metric([task_type, state], count)
    yield tasks
    pending = sum(count for (_, state), count in counts.items() if state == "pending")
    yield GaugeMetricFamily(
        "chatdata_task_queue_depth", "Tasks waiting for a worker.", value=pending
    )
