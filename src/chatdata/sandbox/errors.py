"""Errors raised by the sandbox; all are `AppError`s so a client sees one JSON shape."""

from __future__ import annotations

from chatdata.errors import BadRequest, ServiceUnavailable


class CodeRejected(BadRequest):
    """The static check refused the code; the message says what to do instead."""

    code = "code_rejected"


class SandboxUnavailable(ServiceUnavailable):
    """No kernel can be started (bubblewrap required but not working, start failure)."""

    code = "sandbox_unavailable"
