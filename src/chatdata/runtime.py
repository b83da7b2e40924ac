"""The long-lived objects one app process owns: engine, sessions, limiters, and later
the object store, kernels and task runner. Built in the app's lifespan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import anyio
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from chatdata.auth.ratelimit import LoginLimiter, MemoryWindow, RedisWindow, WindowLimit
from chatdata.auth.user_cache import SESSION_INFO_KEY, UserCache
from chatdata.cache.store import DbCache, RedisCache, ResultCache
from chatdata.chat.kernels import ConversationKernels
from chatdata.chat.live import ChatRunner
from chatdata.chat.llm.factory import create_provider
from chatdata.chat.llm.presets import ProviderChoice
from chatdata.chat.recovery import STALE_AFTER_SECONDS, mark_interrupted_turns, runner_id
from chatdata.chat.turns import TurnDeps
from chatdata.config import Settings
from chatdata.datasets.files import local_cache_dir
from chatdata.db.engine import create_engine, create_sessionmaker
from chatdata.ops.gc_freeze import freeze_startup_heap
from chatdata.sandbox.limits import SandboxLimits
from chatdata.sandbox.manager import KernelManager
from chatdata.storage import LocalStore, ObjectStore, create_store
from chatdata.tasks.factory import create_runner
from chatdata.tasks.registry import load_task_types
from chatdata.tasks.runner import TaskRunner

log = logging.getLogger("chatdata.runtime")
STALE_UPLOAD_SECONDS = 24 * 3600  # a partial file untouched this long has no writer left


@dataclass
class Runtime:
    """Everything a request handler may need besides the request itself."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    user_cache: UserCache
    login_limiter: LoginLimiter
    jwt_secret: str
    store: ObjectStore
    tasks: TaskRunner
    kernels: KernelManager
    chat: ChatRunner
    chat_limiter: WindowLimit
    llm_choice: ProviderChoice
    background: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def cache_dir(self) -> Path:
        """Local copies of immutable stored files (S3 mode)."""
        return local_cache_dir(self.settings.data_dir)

    @property
    def work_dir(self) -> Path:
        """Scratch space for exports and conversions."""
        return self.settings.data_dir / "work"

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        """Create the runtime objects (no I/O besides creating the data dir)."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(settings)
        user_cache = UserCache(settings.auth_user_cache_seconds)
        sessions = create_sessionmaker(engine, {SESSION_INFO_KEY: user_cache})
        store = create_store(settings)
        kernels = KernelManager(
            runtime_dir=settings.data_dir / "sandbox",
            limits=SandboxLimits.from_settings(settings),
            mode=settings.sandbox_mode,
            pool_size=settings.kernel_pool_size,
            max_kernels=settings.kernel_max_kernels,
            idle_seconds=settings.kernel_idle_seconds,
        )
        provider, choice = create_provider(settings)
        limit = rate_limits(settings)
        chat = ChatRunner(
            TurnDeps(
                sessions=sessions,
                store=store,
                kernels=ConversationKernels(kernels, store, local_cache_dir(settings.data_dir)),
                provider=provider,
                cache=result_cache(settings, sessions),
                settings=settings,
                runner_id=runner_id(settings.data_dir),
            )
        )
        return cls(
            settings=settings,
            engine=engine,
            sessions=sessions,
            user_cache=user_cache,
            login_limiter=LoginLimiter(
                limit("login-ip", settings.login_attempts_per_ip, settings.login_window_seconds),
                limit(
                    "login-account",
                    settings.login_attempts_per_account,
                    settings.login_window_seconds,
                ),
            ),
            jwt_secret=settings.jwt_secret_value(),
            store=store,
            tasks=create_runner(settings, sessions, store),
            kernels=kernels,
            chat=chat,
            chat_limiter=limit("chat", settings.chat_rate_per_minute, 60),
            llm_choice=choice,
        )

    def start_background(self) -> None:
        """Warm the kernel pool (and start its idle culler) and import the task families
        (seconds of scientific imports the first ingest would otherwise wait for), without
        delaying start-up."""
        self.background.append(asyncio.create_task(self._warm_pool()))
        self.background.append(asyncio.create_task(self._warm_task_types()))
        self.background.append(asyncio.create_task(self._sweep_stale_uploads()))
        self.background.append(asyncio.create_task(self._sweep_dead_turns()))

    async def _sweep_dead_turns(self) -> None:
        """Now and then, mark interrupted the answers whose instance died (any instance's:
        with several, the one that died may never start again to mark its own)."""
        while True:
            await asyncio.sleep(STALE_AFTER_SECONDS / 2)
            try:
                marked = await mark_interrupted_turns(self.sessions, own_runner=None)
            except Exception:
                log.warning("could not look for interrupted chat turns", exc_info=True)
                continue
            if marked:
                log.warning("marked %d answer(s) of a stopped instance interrupted", marked)

    async def _sweep_stale_uploads(self) -> None:
        """Remove partial files of uploads a killed server left in the local store."""
        if not isinstance(self.store, LocalStore):
            return
        try:
            removed = await anyio.to_thread.run_sync(
                self.store.remove_stale_temp_files, STALE_UPLOAD_SECONDS
            )
        except Exception:
            log.exception("stale partial uploads could not be removed")
            return
        if removed:
            log.warning("removed %d partial file(s) left by interrupted uploads", removed)

    async def _warm_task_types(self) -> None:
        try:
            await anyio.to_thread.run_sync(load_task_types)
        except Exception:
            log.exception("the task types could not be imported")
        freeze_startup_heap()  # the big imports are done: keep them out of GC scans

    async def _warm_pool(self) -> None:
        try:
            await self.kernels.start()
        except Exception:
            log.exception("the kernel pool could not be started")

    async def close(self) -> None:
        """Stop turns, tasks and kernels, and release connections."""
        for task in self.background:
            task.cancel()
        await asyncio.gather(*self.background, return_exceptions=True)
        await self.chat.shutdown()
        await self.tasks.close()
        await self.kernels.shutdown()
        await self.engine.dispose()


def rate_limits(settings: Settings) -> Callable[[str, int, float], WindowLimit]:
    """Makes the named rate limits: counted in Redis (shared by every instance, one client)
    or in this process."""
    backend = settings.rate_limit_backend
    if backend == "auto":
        backend = "redis" if settings.redis_by_default else "memory"
    if backend == "memory":
        return lambda _name, limit, window: MemoryWindow(limit, window)
    client = Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
    return lambda name, limit, window: RedisWindow(client, name, limit, window)


def result_cache(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> ResultCache:
    """Redis in scaled mode (or when asked), else the DB table."""
    backend = settings.cache_backend
    if backend == "auto":
        backend = "redis" if settings.redis_by_default else "db"
    if backend == "redis":
        return RedisCache(settings.redis_url, settings.cache_ttl_seconds)
    return DbCache(sessions, settings.cache_ttl_seconds)
