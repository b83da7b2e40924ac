"""The one error vocabulary of the platform.

Services raise these; the app turns each into the single JSON error shape
`{"error": {"code", "message", "details"}}` with the matching HTTP status.
Services never import FastAPI, so this module has no web dependency.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """Base for every error a client may see. Subclasses fix status and code."""

    status_code: int = 400
    code: str = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        details: Any = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        if code is not None:
            self.code = code
        self.headers = headers or {}

    def to_body(self) -> dict[str, Any]:
        """Return the error in the platform's one JSON shape."""
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class BadRequest(AppError):
    """The request is well-formed but cannot be carried out as asked."""

    status_code = 400
    code = "bad_request"


class Unauthorized(AppError):
    """No valid credentials (missing, expired, forged or revoked token)."""

    status_code = 401
    code = "unauthorized"


class Forbidden(AppError):
    """Authenticated, and allowed to see the object, but not to do this to it."""

    status_code = 403
    code = "forbidden"


class NotFound(AppError):
    """The object does not exist or the caller may not know that it exists."""

    status_code = 404
    code = "not_found"


class Conflict(AppError):
    """The request conflicts with the current state (duplicate email, wrong state)."""

    status_code = 409
    code = "conflict"


class PayloadTooLarge(AppError):
    """The request body is over a configured limit."""

    status_code = 413
    code = "payload_too_large"


class UnsupportedMediaType(AppError):
    """The uploaded content is of a kind the platform does not read."""

    status_code = 415
    code = "unsupported_media_type"


class ValidationFailed(AppError):
    """Input failed a rule (password policy, bad field values)."""

    status_code = 422
    code = "validation_error"


class RateLimited(AppError):
    """Too many requests; `Retry-After` says when to come back."""

    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(
            message,
            details={"retry_after": retry_after},
            headers={"Retry-After": str(retry_after)},
        )


class ServiceUnavailable(AppError):
    """A backing service (database, Redis, storage) is unreachable."""

    status_code = 503
    code = "service_unavailable"
