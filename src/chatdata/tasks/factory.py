"""`create_runner`: the task runner the settings ask for."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatdata.config import Settings
from chatdata.storage.base import ObjectStore
from chatdata.tasks.environment import TaskEnvironment
from chatdata.tasks.runner import TaskRunner
from chatdata.tasks.tuning import TaskTuning


def create_runner(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    store: ObjectStore,
    tuning: TaskTuning | None = None,
) -> TaskRunner:
    """The in-process pool (`task_runner=inprocess`, default) or the Celery dispatcher."""
    env = TaskEnvironment(settings, sessions, store, tuning or TaskTuning.from_settings(settings))
    if settings.task_runner == "celery":
        from chatdata.tasks.celery_runner import CeleryRunner

        return CeleryRunner(env)
    from chatdata.tasks.inprocess import InProcessRunner

    return InProcessRunner(env, settings.task_workers)
