"""Filesystem helpers of the local store: error translation, directories, object info."""

from __future__ import annotations

import contextlib
import errno
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from chatdata.errors import AppError, Conflict, NotFound, ServiceUnavailable
from chatdata.storage.base import ObjectInfo
from chatdata.storage.keys import InvalidObjectKey

logger = logging.getLogger(__name__)

_NOT_FOUND_ERRNOS = {errno.ENOENT, errno.EISDIR, errno.ENOTDIR}


def object_not_found(key: str) -> NotFound:
    """The error for a key with no object."""
    return NotFound("Object not found.", details={"key": key})


def storage_failure(exc: OSError, action: str, key: str) -> AppError:
    """Translate an OS error met while doing `action` on `key` into a platform error."""
    if exc.errno == errno.ENAMETOOLONG:
        return InvalidObjectKey("Invalid object key: a segment is too long.", details={"key": key})
    if exc.errno in (errno.EEXIST, errno.ENOTDIR, errno.EISDIR) and action == "write":
        return Conflict(
            "The key collides with another object's key used as a folder.", details={"key": key}
        )
    logger.warning("local storage could not %s %r: %s", action, key, exc)
    return ServiceUnavailable(
        f"Local file storage could not {action} an object: {exc.strerror or exc}.",
        details={"key": key},
    )


@contextlib.contextmanager
def reading(key: str) -> Iterator[None]:
    """Turn "no such file" into `NotFound` and other OS errors into platform errors."""
    try:
        yield
    except OSError as exc:
        if exc.errno in _NOT_FOUND_ERRNOS:
            raise object_not_found(key) from exc
        raise storage_failure(exc, "read", key) from exc


def object_info(key: str, path: Path) -> ObjectInfo:
    """Size and modification time of the file at `path`, stored under `key`."""
    status = path.stat()
    return ObjectInfo(
        key=key, size=status.st_size, modified=datetime.fromtimestamp(status.st_mtime, UTC)
    )


def prune_empty_dirs(directory: Path, root: Path) -> None:
    """Remove `directory` and its parents while they are empty, stopping at `root`."""
    while directory != root and directory.is_relative_to(root):
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent
