"""Timing knobs of the task system: heartbeat, staleness, reaper period, retries.

They come from the `task_*` settings (`CHATDATA_TASK_*`), so the server and Celery workers
read the same values.
"""

from __future__ import annotations

from dataclasses import dataclass

from chatdata.config import Settings

ENV_PREFIX = "CHATDATA_TASK_"


@dataclass(frozen=True)
class TaskTuning:
    """How often running tasks report, and when a silent task counts as lost."""

    heartbeat_seconds: float = 5.0  # a running task writes `heartbeat_at` this often
    poll_seconds: float = 0.5  # progress flush and cancel check period while running
    stale_seconds: float = 60.0  # no heartbeat for this long: the worker is gone
    reaper_seconds: float = 15.0  # how often the server looks for lost tasks
    max_attempts: int = 3  # default runs per task before it fails for good
    visibility_timeout_seconds: int = 6 * 3600  # Redis redelivers an unacked message after this

    @classmethod
    def from_settings(cls, settings: Settings) -> TaskTuning:
        """The `task_*` settings (`CHATDATA_TASK_HEARTBEAT_SECONDS` and friends)."""
        return cls(
            heartbeat_seconds=settings.task_heartbeat_seconds,
            poll_seconds=settings.task_poll_seconds,
            stale_seconds=settings.task_stale_seconds,
            reaper_seconds=settings.task_reaper_seconds,
            max_attempts=settings.task_max_attempts,
            visibility_timeout_seconds=settings.task_visibility_timeout_seconds,
        )

    def as_env(self) -> dict[str, str]:
        """These values as environment variables (to start a worker with the same timing)."""
        return {
            f"{ENV_PREFIX}HEARTBEAT_SECONDS": str(self.heartbeat_seconds),
            f"{ENV_PREFIX}POLL_SECONDS": str(self.poll_seconds),
            f"{ENV_PREFIX}STALE_SECONDS": str(self.stale_seconds),
            f"{ENV_PREFIX}REAPER_SECONDS": str(self.reaper_seconds),
            f"{ENV_PREFIX}MAX_ATTEMPTS": str(self.max_attempts),
            f"{ENV_PREFIX}VISIBILITY_TIMEOUT_SECONDS": str(self.visibility_timeout_seconds),
        }
