"""The one Settings object: every knob comes from `CHATDATA_*` env vars or `.env`."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

GIB = 1024**3
MIB = 1024**2


class Settings(BaseSettings):
    """Platform settings; see README "Configuration" for the full reference."""

    model_config = SettingsConfigDict(
        env_prefix="CHATDATA_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # where everything lives in embedded mode
    data_dir: Path = Field(default=Path("./data"), description="Data directory (DB, files).")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy async URL; default SQLite file in the data dir."
    )
    db_pool_size: int = Field(default=10, description="DB connections kept (+ as many at peaks).")
    db_pool_timeout_seconds: float = Field(
        default=30.0, description="Wait this long for a free DB connection, then answer 503."
    )
    db_echo: bool = Field(default=False, description="Log every SQL statement.")
    migrate_on_start: bool = Field(default=True, description="Run migrations on start-up.")

    # auth
    jwt_secret: SecretStr | None = Field(
        default=None, description="HS256 secret; generated into the data dir when unset."
    )
    access_token_minutes: int = Field(default=15, description="Access token lifetime.")
    auth_user_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        description="Keep a signed-in user's row this long in memory instead of reading it on "
        "every request. Changes through this instance apply at once; another instance sees "
        "a disabled account or a new role within this time. 0 reads it every time.",
    )
    refresh_token_days: int = Field(default=14, description="Refresh token lifetime.")
    password_min_length: int = Field(default=10, description="Minimum password length.")
    login_attempts_per_ip: int = Field(default=20, description="Logins per IP per window.")
    login_attempts_per_account: int = Field(
        default=5, description="Failed logins per account per window."
    )
    login_window_seconds: int = Field(default=300, description="Rate-limit window for logins.")

    # uploads and storage
    max_upload_bytes: int = Field(default=5 * GIB, description="Largest accepted upload.")
    storage_backend: Literal["local", "s3"] = Field(default="local", description="File store.")
    s3_endpoint_url: str | None = Field(default=None, description="S3 endpoint (MinIO etc.).")
    s3_bucket: str = Field(default="chatdata", description="S3 bucket.")
    s3_region: str = Field(default="us-east-1", description="S3 region.")
    s3_access_key_id: SecretStr | None = Field(default=None, description="S3 access key id.")
    s3_secret_access_key: SecretStr | None = Field(default=None, description="S3 secret key.")

    # long tasks
    task_runner: Literal["inprocess", "celery"] = Field(
        default="inprocess", description="Where long tasks run."
    )
    task_workers: int = Field(default=2, description="In-process worker threads.")
    redis_url: str = Field(default="redis://127.0.0.1:6379/0", description="Redis URL.")
    task_heartbeat_seconds: float = Field(default=5.0, description="Running tasks report.")
    task_poll_seconds: float = Field(default=0.5, description="Progress and cancel checks.")
    task_stale_seconds: float = Field(default=60.0, description="Silent this long: lost.")
    task_reaper_seconds: float = Field(default=15.0, description="Lost-task sweep period.")
    task_max_attempts: int = Field(default=3, description="Runs per task before it fails.")
    task_visibility_timeout_seconds: int = Field(
        default=6 * 3600, description="Redis redelivers an unacked task after this."
    )

    # AI
    llm_preset: Literal["deepseek", "openai", "qwen", "ollama", "vllm", "builtin"] | None = Field(
        default=None, description="Provider preset; builtin analyst when no key is set."
    )
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible base URL.")
    llm_api_key: SecretStr | None = Field(default=None, description="LLM API key.")
    llm_model: str | None = Field(default=None, description="Model name.")
    llm_timeout_seconds: float = Field(default=120.0, description="Per-request timeout.")
    llm_max_retries: int = Field(default=3, description="Retries with backoff.")
    llm_max_steps: int = Field(default=8, description="Model calls per chat turn.")
    llm_max_errors: int = Field(default=3, description="Failed cells before a turn gives up.")
    llm_context_tokens: int = Field(default=24_000, description="Prompt budget (approx.).")
    llm_temperature: float = Field(default=0.0, description="Sampling temperature.")
    chat_rate_per_minute: int = Field(default=30, description="Chat turns per user a minute.")
    cache_backend: Literal["auto", "db", "redis"] = Field(
        default="auto", description="Result cache: DB table, Redis, or by mode."
    )
    rate_limit_backend: Literal["auto", "memory", "redis"] = Field(
        default="auto",
        description="Where login and chat rate limits count: this process, Redis, or by mode.",
    )
    cache_ttl_seconds: int = Field(default=7 * 24 * 3600, description="Result cache lifetime.")

    # sandbox
    sandbox_mode: Literal["auto", "bwrap", "subprocess"] = Field(
        default="auto", description="Kernel isolation; auto picks bubblewrap when it works."
    )
    kernel_memory_mb: int = Field(default=2048, description="Kernel address-space limit.")
    kernel_cpu_seconds: int = Field(default=600, description="Kernel CPU-time limit.")
    kernel_max_processes: int = Field(
        default=256, description="Kernel processes and threads (RLIMIT_NPROC)."
    )
    kernel_max_file_mb: int = Field(default=512, description="Largest file a kernel writes.")
    kernel_scratch_mb: int = Field(default=1024, description="Scratch dir size cap.")
    kernel_tmp_mb: int = Field(default=64, description="Size cap of the kernel's /tmp.")
    kernel_max_kernels: int = Field(default=16, description="Live kernels per process.")
    execution_timeout_seconds: float = Field(default=120.0, description="Wall clock per cell.")
    output_cap_bytes: int = Field(default=256 * 1024, description="Output kept per cell.")
    kernel_pool_size: int = Field(default=1, description="Warm kernels kept ready.")
    kernel_idle_seconds: int = Field(default=1800, description="Idle kernels are culled.")
    sample_rows: int = Field(default=200_000, description="`df` is whole up to this many rows.")

    # HTTP
    cors_origins: list[str] = Field(default_factory=list, description="CORS origins (off).")
    max_json_body_bytes: int = Field(
        default=MIB, description="Largest request body of every route but uploads (413)."
    )
    behind_https: bool = Field(
        default=False, description="Served over HTTPS: send Strict-Transport-Security."
    )
    metrics_token: SecretStr | None = Field(
        default=None, description="Bearer token `GET /metrics` requires (open when unset)."
    )
    log_level: str = Field(default="INFO", description="Log level.")
    log_json: bool = Field(default=False, description="JSON logs instead of text.")

    _jwt_secret_cache: str | None = PrivateAttr(default=None)

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'chatdata.db').resolve()}"

    @property
    def mode(self) -> str:
        """`embedded` on SQLite + local files + in-process tasks, else `scaled`."""
        embedded = (
            self.resolved_database_url.startswith("sqlite")
            and self.storage_backend == "local"
            and self.task_runner == "inprocess"
        )
        return "embedded" if embedded else "scaled"

    @property
    def redis_by_default(self) -> bool:
        """Whether `auto` backends use Redis: with Celery, Redis is there and instances many."""
        return self.task_runner == "celery"

    def jwt_secret_value(self) -> str:
        """The JWT secret: configured, or generated once and kept in the data dir."""
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        if self._jwt_secret_cache is None:
            self._jwt_secret_cache = _persisted_secret(self.data_dir / ".jwt_secret")
        return self._jwt_secret_cache


def _persisted_secret(path: Path) -> str:
    """Read the secret at `path`, creating it (mode 0600) on first use."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (the CLI's; the app takes its own in `create_app`)."""
    return Settings()
