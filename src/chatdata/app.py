"""The FastAPI application factory: routers, middleware, error handlers, web UI."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from chatdata import __version__
from chatdata.audit import routes as audit_routes
from chatdata.auth import admin_routes, team_routes
from chatdata.auth import routes as auth_routes
from chatdata.chat import routes as chat_routes
from chatdata.chat.recovery import mark_interrupted_turns
from chatdata.config import Settings
from chatdata.datasets import routes as dataset_routes
from chatdata.db.migrate import upgrade_database
from chatdata.error_handlers import install_error_handlers
from chatdata.logs import configure_logging
from chatdata.middleware import RequestContextMiddleware
from chatdata.ops import metrics_routes
from chatdata.ops import routes as ops_routes
from chatdata.ops.body_limit import BodyLimitMiddleware
from chatdata.ops.metrics import Metrics
from chatdata.ops.metrics_wiring import instrument
from chatdata.ops.security_headers import SecurityHeaders
from chatdata.reports import routes as report_routes
from chatdata.runtime import Runtime
from chatdata.tasks import routes as task_routes
from chatdata.webui import mount_web_ui

log = logging.getLogger("chatdata")
API_PREFIX = "/api/v1"

DESCRIPTION = """Chat with your data: upload datasets, see their profile, and talk to an AI
analyst that runs Python in an isolated kernel. Every error has the shape
`{"error": {"code", "message", "details"}}`. Authenticate with `Authorization: Bearer <token>`
from `POST /api/v1/auth/login`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. Migrations run in the lifespan when `migrate_on_start` is set."""
    settings = settings or Settings()
    configure_logging(settings.log_level, settings.log_json)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        if settings.migrate_on_start:
            await anyio.to_thread.run_sync(upgrade_database, settings.resolved_database_url)
        runtime = Runtime.build(settings)
        instrument(runtime, metrics)
        app.state.runtime = runtime
        await runtime.tasks.start()  # also resumes the ingest of datasets left processing
        try:
            await mark_interrupted_turns(runtime.sessions, own_runner=runtime.chat.deps.runner_id)
        except Exception:
            log.exception("could not mark interrupted chat turns (database unavailable?)")
        runtime.start_background()
        log.info("chatdata %s started in %s mode", __version__, settings.mode)
        try:
            yield
        finally:
            await runtime.close()

    app = FastAPI(
        title="Chat Data Platform",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    app.state.metrics = metrics
    install_error_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            allow_credentials=False,
        )
    app.add_middleware(
        BodyLimitMiddleware,
        default_limit=settings.max_json_body_bytes,
        limits={("POST", f"{API_PREFIX}/datasets/upload"): None},  # it enforces max_upload_bytes
    )
    app.add_middleware(
        RequestContextMiddleware,
        metrics=metrics,
        headers=SecurityHeaders(hsts=settings.behind_https),
    )
    for router in (
        ops_routes.router,
        auth_routes.router,
        team_routes.router,
        admin_routes.router,
        audit_routes.router,
        dataset_routes.router,
        chat_routes.router,
        chat_routes.llm_router,
        task_routes.router,
        report_routes.router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(metrics_routes.router)
    mount_web_ui(app)
    return app
