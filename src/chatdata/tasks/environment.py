"""What a task needs from the process it runs in: settings, DB sessions, store, timing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from chatdata.config import Settings
from chatdata.datasets.files import local_cache_dir
from chatdata.storage.base import ObjectStore
from chatdata.tasks.tuning import TaskTuning


@dataclass(frozen=True)
class TaskEnvironment:
    """The server's (in-process runner) or a Celery worker's own handles."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    store: ObjectStore
    tuning: TaskTuning

    @property
    def cache_dir(self) -> Path:
        """Local copies of immutable stored files (S3 mode)."""
        return local_cache_dir(self.settings.data_dir)

    def work_dir(self, name: str) -> Path:
        """A scratch directory under the data dir (created by the caller)."""
        return self.settings.data_dir / "work" / name
