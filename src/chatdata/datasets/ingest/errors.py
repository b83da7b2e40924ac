"""The errors ingest raises: one family, each with a message a person understands."""

from __future__ import annotations

from chatdata.errors import UnsupportedMediaType, ValidationFailed


class IngestError(ValidationFailed):
    """The file could not be turned into a table; `message` says why in plain words."""

    code = "ingest_failed"


class UnsupportedFormat(IngestError, UnsupportedMediaType):
    """The content is not a kind of file the platform reads (binary data, a tar, a PDF...)."""

    status_code = 415
    code = "unsupported_media_type"


def format_count(number: int) -> str:
    """Write a count the way a person reads it: 2041 -> "2,041"."""
    return f"{number:,}"


def format_bytes(size: int) -> str:
    """Write a byte size with a binary unit: 5368709120 -> "5 GiB"."""
    value = float(size)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:,.0f} {unit}" if value == int(value) else f"{value:,.1f} {unit}"
        value /= 1024
    return f"{value:,.1f} TiB"  # pragma: no cover - the loop always returns


MAX_REASON_CHARS = 200


def short_text(exc: BaseException) -> str:
    """The first line of an error, short enough to show a person, ending in a period."""
    lines = str(exc).strip().splitlines()
    first = lines[0].strip() if lines else type(exc).__name__
    if len(first) > MAX_REASON_CHARS:
        first = first[: MAX_REASON_CHARS - 3] + "..."
    return first if first.endswith(".") else first + "."
