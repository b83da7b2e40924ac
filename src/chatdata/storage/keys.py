"""Validation of object keys, folder prefixes and byte ranges.

A key is a relative `/`-separated path: no leading `/`, no empty, `.` or `..` segment,
no backslash, no control character, at most 1024 UTF-8 bytes (the S3 limit), and no
segment ending in `TEMP_SUFFIX` (reserved for the local store's in-progress files).
"""

from __future__ import annotations

from chatdata.errors import BadRequest

MAX_KEY_BYTES = 1024
TEMP_SUFFIX = ".chatdata-partial"


class InvalidObjectKey(BadRequest):
    """An object key or prefix that could escape its folder or is malformed."""

    code = "invalid_object_key"


def validate_key(key: str) -> str:
    """Return `key` unchanged when it is a safe object key, else raise `InvalidObjectKey`."""
    reason = _key_problem(key)
    if reason is not None:
        raise InvalidObjectKey(f"Invalid object key: {reason}.", details={"key": key})
    return key


def folder_prefix(prefix: str, *, allow_empty: bool) -> str:
    """Normalise a folder prefix to `"a/b/"` form ("" stays "" when `allow_empty`)."""
    if prefix == "":
        if allow_empty:
            return ""
        raise InvalidObjectKey("The prefix must not be empty.", details={"key": prefix})
    trimmed = prefix[:-1] if prefix.endswith("/") else prefix
    reason = _key_problem(trimmed)
    if reason is not None:
        raise InvalidObjectKey(f"Invalid object prefix: {reason}.", details={"key": prefix})
    return trimmed + "/"


def check_range(start: int, end: int) -> None:
    """Refuse a byte range `[start, end)` with a negative start or an end before it."""
    if start < 0 or end < start:
        raise BadRequest(
            "Invalid byte range.", details={"start": start, "end": end}, code="invalid_range"
        )


def _key_problem(key: str) -> str | None:
    """Why `key` is not a safe key, or None when it is."""
    if not isinstance(key, str) or key == "":
        return "it is empty"
    try:
        encoded = key.encode("utf-8")
    except UnicodeEncodeError:
        return "it is not valid Unicode text"
    if len(encoded) > MAX_KEY_BYTES:
        return f"it is longer than {MAX_KEY_BYTES} bytes"
    if "\\" in key:
        return "it contains a backslash"
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in key):
        return "it contains a control character"
    if key.startswith("/"):
        return "it is an absolute path"
    for segment in key.split("/"):
        if segment == "":
            return "it has an empty path segment"
        if segment in (".", ".."):
            return "it has a '.' or '..' path segment"
        if segment.endswith(TEMP_SUFFIX):
            return f"segments ending in {TEMP_SUFFIX!r} are reserved"
    return None
