"""HTTP routes of operations: health."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from chatdata.deps import RuntimeDep
from chatdata.error_docs import error_responses
from chatdata.errors import ServiceUnavailable
from chatdata.ops.health import health_report

router = APIRouter(tags=["ops"], responses=error_responses())


@router.get(
    "/health",
    summary="Health check",
    description="Checks the database; reports version, mode and each check. When a check "
    "fails it answers 503 in the error shape with the report as details.",
)
async def health(runtime: RuntimeDep) -> dict[str, Any]:
    healthy, report = await health_report(runtime)
    if not healthy:
        raise ServiceUnavailable("A backing service is not healthy.", details=report)
    return report
