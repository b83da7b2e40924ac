"""Connect an app's runtime to its metrics: the LLM provider, the kernels and the snapshot
read before each scrape. Called once the runtime is built (in the app's lifespan)."""

from __future__ import annotations

import logging
import time

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from chatdata.chat.llm.base import ChatProvider, ModelTurn, TokenSink, TurnRequest
from chatdata.ops.metrics import Metrics
from chatdata.runtime import Runtime
from chatdata.sandbox.limits import ExecutionResult
from chatdata.tasks.models import AnalysisTask

log = logging.getLogger("chatdata.metrics")


class InstrumentedProvider:
    """A provider that counts and times every call of the one it wraps."""

    def __init__(self, inner: ChatProvider, metrics: Metrics) -> None:
        self.inner = inner
        self.metrics = metrics
        self.name = inner.name  # also the metrics' `provider` label
        self.model = inner.model

    async def complete(self, request: TurnRequest, on_token: TokenSink) -> ModelTurn:
        """Run the call; its time, tokens and failure are observed."""
        began = time.perf_counter()
        try:
            turn = await self.inner.complete(request, on_token)
        except Exception:
            self.metrics.observe_llm_call(self.name, time.perf_counter() - began, None, True)
            raise
        self.metrics.observe_llm_call(self.name, time.perf_counter() - began, turn.usage, False)
        return turn


def instrument(runtime: Runtime, metrics: Metrics) -> None:
    """Wrap the runtime's provider and observe its kernels' cells."""
    deps = runtime.chat.deps
    if not isinstance(deps.provider, InstrumentedProvider):
        deps.provider = InstrumentedProvider(deps.provider, metrics)

    def observe(result: ExecutionResult) -> None:
        metrics.observe_cell(result.status, result.duration_ms / 1000)

    runtime.kernels.observers.append(observe)


async def refresh_snapshot(runtime: Runtime, metrics: Metrics) -> None:
    """Read the kernel counters and the task counts per type and state for a scrape."""
    metrics.snapshot.kernels = runtime.kernels.status()
    try:
        async with runtime.sessions() as session:
            rows = await session.execute(
                select(AnalysisTask.task_type, AnalysisTask.status, func.count()).group_by(
                    AnalysisTask.task_type, AnalysisTask.status
                )
            )
            counts = {(str(kind), str(state)): int(n) for kind, state, n in rows.all()}
    except (SQLAlchemyError, OSError) as exc:
        log.warning("metrics: task counts unavailable (%s)", type(exc).__name__)
        metrics.snapshot.tasks = None
        return
    metrics.snapshot.tasks = counts
