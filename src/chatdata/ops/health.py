"""Health report: database reachability, version and mode."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from chatdata import __version__
from chatdata.runtime import Runtime
from chatdata.tasks.registry import task_types_loaded


async def health_report(runtime: Runtime) -> tuple[bool, dict[str, Any]]:
    """(healthy, report). Unhealthy when the database does not answer."""
    checks: dict[str, Any] = {}
    healthy = True
    try:
        async with runtime.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        checks["database"] = {"ok": True, "dialect": runtime.engine.dialect.name}
    except Exception as exc:
        healthy = False
        checks["database"] = {"ok": False, "error": type(exc).__name__}
    try:
        checks["sandbox"] = runtime.kernels.status()
    except Exception as exc:
        checks["sandbox"] = {"ok": False, "error": type(exc).__name__}
    checks["tasks"] = {"runner": runtime.tasks.name, "types_loaded": task_types_loaded()}
    report = {
        "status": "ok" if healthy else "degraded",
        "version": __version__,
        "mode": runtime.settings.mode,
        "checks": checks,
    }
    return healthy, report
