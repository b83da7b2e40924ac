"""The object store contract: `ObjectInfo`, `ObjectWriter` and `ObjectStore`.

Every store is synchronous; async code calls it through `anyio.to_thread`. Keys are
`/`-separated relative paths (see `keys.py`); callers lay them out as
`{tenant_id}/datasets/{dataset_id}/...`, the store itself gives them no meaning.

Prefixes are folders: `list_prefix("t1/datasets/7")` and `list_prefix("t1/datasets/7/")`
both mean "every key below `t1/datasets/7/`" and never match `t1/datasets/70/...`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

DEFAULT_CHUNK_SIZE = 1 << 20


@dataclass(frozen=True)
class ObjectInfo:
    """What the store knows about one stored object."""

    key: str
    size: int
    modified: datetime  # timezone-aware (UTC)


class ObjectWriter(Protocol):
    """A streaming write of one object; it becomes visible only on `commit()`.

    Used as a context manager, leaving the block without `commit()` (normally or by an
    exception) aborts the write. A writer is not thread-safe.
    """

    def write(self, chunk: bytes) -> None:
        """Append `chunk`; past `max_bytes` abort and raise `PayloadTooLarge`."""
        ...

    @property
    def bytes_written(self) -> int:
        """How many bytes were accepted so far."""
        ...

    def commit(self, *, durable: bool = True) -> ObjectInfo:
        """Publish the object atomically (replacing any object under the key).

        With `durable=False` a store that writes local files does not wait for the disk
        (the caller makes the object durable later, e.g. with `flush_to_disk`)."""
        ...

    def abort(self) -> None:
        """Discard everything written; idempotent, leaves nothing behind."""
        ...

    def __enter__(self) -> Self:
        """Return the writer itself."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Abort unless the write was committed."""
        ...


class ObjectStore(Protocol):
    """A flat key -> bytes store with streaming reads and writes."""

    def open_writer(self, key: str, *, max_bytes: int | None = None) -> ObjectWriter:
        """Start a streaming write of `key`, refusing more than `max_bytes` bytes."""
        ...

    def put_file(self, key: str, path: Path) -> ObjectInfo:
        """Store the local file at `path` under `key` (streamed, not read whole)."""
        ...

    def put_bytes(self, key: str, data: bytes) -> ObjectInfo:
        """Store `data` under `key`."""
        ...

    def iter_chunks(self, key: str, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        """Stream the object in chunks of at most `chunk_size` bytes (NotFound raised now)."""
        ...

    def read_range(self, key: str, start: int, end: int) -> bytes:
        """Bytes `[start, end)` of the object, clipped to its size."""
        ...

    def read_bytes(self, key: str) -> bytes:
        """The whole object (for small objects only)."""
        ...

    def download_to(self, key: str, path: Path) -> Path:
        """Copy the object to the local file `path` (atomically) and return `path`."""
        ...

    def local_path(self, key: str) -> Path | None:
        """The object's real file when the store is local, else None."""
        ...

    def exists(self, key: str) -> bool:
        """Whether an object is stored under `key`."""
        ...

    def stat(self, key: str) -> ObjectInfo:
        """Size and modification time of the object."""
        ...

    def delete(self, key: str) -> None:
        """Delete the object; a missing key is not an error."""
        ...

    def delete_prefix(self, prefix: str) -> int:
        """Delete every object below the (non-empty) folder `prefix`; return how many."""
        ...

    def list_prefix(self, prefix: str) -> list[ObjectInfo]:
        """Every object below the folder `prefix` ("" for all), sorted by key."""
        ...

    def check(self) -> None:
        """Health probe: raise `ServiceUnavailable` when the store cannot be used."""
        ...
