"""What a task function sees: progress reporting, cooperative cancellation and its data.

A task function is plain code (sync, run in a worker thread, or async for functions that
write to the database). It calls `ctx.progress(...)` as it goes and `ctx.check_cancelled()`
between steps and inside long loops; the runner's monitor flushes progress to the database
and turns a cancel request (or a shutdown) into an exception at the next check.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from chatdata.errors import BadRequest
from chatdata.tasks.environment import TaskEnvironment


class TaskCancelled(Exception):
    """Raised at `check_cancelled()` once the task's cancellation was requested."""


class TaskInterrupted(Exception):
    """Raised at `check_cancelled()` when the runner shuts down; the task is re-queued."""


class TaskControl:
    """Progress and stop flags shared by a running function (any thread) and its monitor."""

    def __init__(self, interrupted: threading.Event | None = None) -> None:
        self._lock = threading.Lock()
        self._percent = 0
        self._message: str | None = None
        self._changes = 0
        self.cancelled = threading.Event()
        self.interrupted = interrupted or threading.Event()

    def report(self, percent: int, message: str | None) -> None:
        """Record progress (clamped to 0-99; 100 is written when the task succeeds)."""
        with self._lock:
            self._percent = max(0, min(99, int(percent)))
            self._message = message
            self._changes += 1

    def snapshot(self) -> tuple[int, int, str | None]:
        """(change counter, percent, message): the monitor writes when the counter moved."""
        with self._lock:
            return self._changes, self._percent, self._message

    def check(self) -> None:
        """Raise TaskCancelled or TaskInterrupted when the task must stop."""
        if self.cancelled.is_set():
            raise TaskCancelled()
        if self.interrupted.is_set():
            raise TaskInterrupted()


@dataclass(frozen=True)
class VersionRef:
    """The dataset version a task reads: its id, number, storage key and local path."""

    id: uuid.UUID
    number: int
    key: str
    path: Path


@dataclass(frozen=True)
class TaskContext:
    """Everything a task function may use about its task and the process it runs in."""

    task_id: uuid.UUID
    user_id: uuid.UUID
    team_id: uuid.UUID
    dataset_id: uuid.UUID | None
    attempt: int
    env: TaskEnvironment
    control: TaskControl
    version: VersionRef | None
    work_dir: Path

    def progress(self, percent: int, message: str | None = None) -> None:
        """Report progress 0-99 with a short message (cheap; flushed by the monitor)."""
        self.control.report(percent, message)

    def check_cancelled(self) -> None:
        """Stop here (raise) when the task was cancelled or the runner is shutting down."""
        self.control.check()

    def require_version(self) -> VersionRef:
        """The dataset version to read; BadRequest when the task has no dataset data."""
        if self.version is None:
            raise BadRequest("This task needs a dataset with data (no version found).")
        return self.version

    def scan(self) -> pl.LazyFrame:
        """A lazy Polars scan of the dataset version's Parquet file (nothing loaded yet)."""
        return pl.scan_parquet(self.require_version().path)

    def idempotency_key(self, purpose: str) -> str:
        """A key derived from the task id: a retried run reuses it, so nothing is duplicated."""
        return f"task:{self.task_id}:{purpose}"
