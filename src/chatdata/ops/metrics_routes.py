"""`GET /metrics`: the app's figures in Prometheus' text format.

Open by default (bind the server to a private interface or filter it at the proxy); with
the `metrics_token` setting it needs `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request, Response

from chatdata.deps import RuntimeDep
from chatdata.errors import Unauthorized
from chatdata.ops.metrics import CONTENT_TYPE, Metrics
from chatdata.ops.metrics_wiring import refresh_snapshot

router = APIRouter(tags=["ops"])


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, runtime: RuntimeDep) -> Response:
    """The metrics text; 401 in the error shape when a token is set and not presented."""
    expected = runtime.settings.metrics_token
    if expected is not None:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        valid = scheme.lower() == "bearer" and secrets.compare_digest(
            given.strip().encode(), expected.get_secret_value().encode()
        )
        if not valid:
            raise Unauthorized("`/metrics` needs `Authorization: Bearer <metrics token>`.")
    registry: Metrics = request.app.state.metrics
    await refresh_snapshot(runtime, registry)
    return Response(registry.render(), media_type=CONTENT_TYPE)
