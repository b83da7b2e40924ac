"""Celery with Redis as broker and result backend: the app, its one task, worker start-up.

Messages carry only a task id; the worker claims the task in `analysis_tasks` (the source of
truth) and runs it with the same `execute_task` as the in-process runner. Durability: acks
late, re-queue when a worker process dies (`task_reject_on_worker_lost`), prefetch 1, and the
heartbeat the server's reaper watches. Each worker process builds its own event loop, DB
engine and object store after the fork.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import socket
import uuid
from typing import Any

from celery import Celery
from sqlalchemy.exc import OperationalError

from chatdata.config import Settings
from chatdata.db.engine import create_engine, create_sessionmaker
from chatdata.storage import create_store
from chatdata.tasks.environment import TaskEnvironment
from chatdata.tasks.executor import execute_task
from chatdata.tasks.registry import load_task_types
from chatdata.tasks.tuning import TaskTuning

RUN_TASK = "chatdata.run_task"
QUEUE = "chatdata-tasks"
DB_RETRY_SECONDS = 5


class WorkerProcess:
    """One worker process's own handles: an event loop, a DB engine, the object store."""

    def __init__(self, settings: Settings, tuning: TaskTuning) -> None:
        importlib.import_module("chatdata.db.models")  # every mapper, for foreign keys
        self.loop = asyncio.new_event_loop()
        engine = create_engine(settings)
        self.env = TaskEnvironment(
            settings=settings,
            sessions=create_sessionmaker(engine),
            store=create_store(settings),
            tuning=tuning,
        )

    def run(self, task_id: uuid.UUID) -> str | None:
        """Claim and run one task on this process's loop; its final status."""
        return self.loop.run_until_complete(execute_task(self.env, task_id))


_PROCESSES: dict[int, WorkerProcess] = {}


def worker_process(settings: Settings, tuning: TaskTuning) -> WorkerProcess:
    """This process's handles, built on first use (after the pool forked)."""
    pid = os.getpid()
    if pid not in _PROCESSES:
        _PROCESSES.clear()
        _PROCESSES[pid] = WorkerProcess(settings, tuning)
    return _PROCESSES[pid]


def create_celery_app(settings: Settings, tuning: TaskTuning | None = None) -> Celery:
    """The Celery app for these settings, with the `chatdata.run_task` task registered."""
    tuning = tuning or TaskTuning.from_settings(settings)
    app = Celery("chatdata", broker=settings.redis_url, backend=settings.redis_url)
    retry_policy = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=QUEUE,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=24 * 3600,
        broker_transport_options={"visibility_timeout": tuning.visibility_timeout_seconds},
        broker_connection_retry_on_startup=True,
        task_publish_retry_policy=retry_policy,
        # Sending a task subscribes to its result; with Redis down the backend's default
        # policy (20 retries, 1 s apart) held the request ~20 s before the 503.
        result_backend_transport_options={"retry_policy": retry_policy},
    )

    @app.task(name=RUN_TASK, bind=True, max_retries=None)  # type: ignore[untyped-decorator]
    def run_task(self: Any, task_id: str) -> str:
        """Run one platform task by id; retried later while the database is unreachable."""
        try:
            status = worker_process(settings, tuning).run(uuid.UUID(task_id))
        except (OperationalError, OSError) as exc:
            raise self.retry(exc=exc, countdown=DB_RETRY_SECONDS) from exc
        return status or "skipped"

    return app


def worker_arguments(concurrency: int, loglevel: str, pool: str) -> list[str]:
    """The `celery worker` command line used by `chatdata worker`."""
    return [
        "worker",
        f"--concurrency={concurrency}",
        f"--loglevel={loglevel}",
        f"--pool={pool}",
        f"--queues={QUEUE}",
        f"--hostname=chatdata-{os.getpid()}@{socket.gethostname()}",
        "--without-gossip",
        "--without-mingle",
    ]


def start_worker(settings: Settings, concurrency: int, loglevel: str, pool: str) -> None:
    """Run a Celery worker in this process until it is stopped."""
    load_task_types()  # imported once here, inherited by the forked pool processes
    create_celery_app(settings).worker_main(worker_arguments(concurrency, loglevel, pool))
