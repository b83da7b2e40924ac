"""The long-lived objects one app process owns: engine, sessions, limiters, and later
the object store, kernels and task runner. Built in the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from chatdata.auth.ratelimit import LoginLimiter
from chatdata.config import Settings
from chatdata.db.engine import create_engine, create_sessionmaker


@dataclass
class Runtime:
    """Everything a request handler may need besides the request itself."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    login_limiter: LoginLimiter
    jwt_secret: str

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        """Create the runtime objects (no I/O besides creating the data dir)."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(settings)
        return cls(
            settings=settings,
            engine=engine,
            sessions=create_sessionmaker(engine),
            login_limiter=LoginLimiter(
                settings.login_attempts_per_ip,
                settings.login_attempts_per_account,
                settings.login_window_seconds,
            ),
            jwt_secret=settings.jwt_secret_value(),
        )

    async def close(self) -> None:
        """Release connections."""
        await self.engine.dispose()
