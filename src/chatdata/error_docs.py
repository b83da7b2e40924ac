"""The one error shape in the OpenAPI schema: its model and the error responses routes declare.

Each router declares the error statuses its routes answer (`responses=error_responses(...)`),
so clients and the API fuzzer know them; every router also gets 400 (e.g. a body that is
not JSON), 422 (the request failed validation, in this shape rather than FastAPI's default)
and 503 (a backing service is unreachable).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    """What went wrong: a stable code, a sentence for people, and structured details."""

    code: str = Field(description="Stable machine-readable code, e.g. `not_found`.")
    message: str = Field(description="What went wrong, for people.")
    details: Any = Field(description="Structured details (null when there are none).")


class ErrorOut(BaseModel):
    """Every error answer of the API: `{"error": {"code", "message", "details"}}`."""

    error: ErrorBody


DESCRIPTIONS = {
    400: "The request cannot be carried out as asked.",
    401: "No valid credentials: sign in and send `Authorization: Bearer <access token>`.",
    403: "You may see this object but not do this to it.",
    404: "No such object, or not one you may see.",
    409: "The request conflicts with the current state.",
    413: "The request body is larger than this route accepts.",
    415: "The uploaded content is of a kind the platform does not read.",
    422: "The request failed validation.",
    429: "Too many requests; `Retry-After` says when to come back.",
    503: "A backing service (database, Redis, storage) is unreachable.",
}
ALWAYS = (400, 422, 503)


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for these error statuses (and 400, 422, 503), in the error shape."""
    return {
        code: {"model": ErrorOut, "description": DESCRIPTIONS[code]}
        for code in sorted({*codes, *ALWAYS})
    }
