"""`LocalObjectWriter`: a streaming write into a temp file, renamed into place on commit."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self

from chatdata.errors import PayloadTooLarge
from chatdata.storage.base import ObjectInfo
from chatdata.storage.local_files import object_info, prune_empty_dirs, storage_failure
from chatdata.storage.transfer import fsync_directory, temp_sibling

_CREATE_ATTEMPTS = 3


class LocalObjectWriter:
    """Writes one object of a `LocalStore`; visible under its key only after `commit()`."""

    def __init__(self, key: str, target: Path, root: Path, max_bytes: int | None) -> None:
        self._key = key
        self._target = target
        self._root = root
        self._max_bytes = max_bytes
        self._written = 0
        self._state = "open"
        self._temp, self._handle = _create_temp_file(key, target)

    @property
    def bytes_written(self) -> int:
        """How many bytes were accepted so far."""
        return self._written

    def write(self, chunk: bytes) -> None:
        """Append `chunk`; past `max_bytes` abort and raise `PayloadTooLarge`."""
        self._require_open()
        if self._max_bytes is not None and self._written + len(chunk) > self._max_bytes:
            self.abort()
            raise PayloadTooLarge(
                f"The object is larger than the limit of {self._max_bytes} bytes.",
                details={"max_bytes": self._max_bytes},
            )
        try:
            self._handle.write(chunk)
        except OSError as exc:
            self.abort()
            raise storage_failure(exc, "write", self._key) from exc
        self._written += len(chunk)

    def commit(self, *, durable: bool = True) -> ObjectInfo:
        """Flush, fsync (unless not `durable`) and rename the temp file onto the key's path."""
        self._require_open()
        try:
            self._handle.flush()
            if durable:
                os.fsync(self._handle.fileno())
            self._handle.close()
            os.replace(self._temp, self._target)
            fsync_directory(self._target.parent)
        except OSError as exc:
            self.abort()
            raise storage_failure(exc, "write", self._key) from exc
        self._state = "committed"
        return object_info(self._key, self._target)

    def abort(self) -> None:
        """Close and remove the temp file (and folders left empty); idempotent."""
        if self._state != "open":
            return
        self._state = "aborted"
        with contextlib.suppress(OSError):
            self._handle.close()
        with contextlib.suppress(OSError):
            self._temp.unlink(missing_ok=True)
        prune_empty_dirs(self._target.parent, self._root)

    def __enter__(self) -> Self:
        """Return the writer itself."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Abort unless the write was committed."""
        self.abort()

    def _require_open(self) -> None:
        """Refuse to use a writer that was committed or aborted."""
        if self._state != "open":
            raise RuntimeError(f"This object writer is already {self._state}.")


def _create_temp_file(key: str, target: Path) -> tuple[Path, BinaryIO]:
    """Create the folders of `target` and a new temp file beside it.

    Retried a few times because a concurrent delete may prune a folder just created.
    """
    failure: OSError | None = None
    for _attempt in range(_CREATE_ATTEMPTS):
        temp = temp_sibling(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            return temp, open(temp, "xb")
        except FileNotFoundError as exc:
            failure = exc
        except OSError as exc:
            raise storage_failure(exc, "write", key) from exc
    assert failure is not None
    raise storage_failure(failure, "write", key) from failure
