"""Local-file helpers shared by the stores: atomic file writes and file-to-writer copies."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from chatdata.storage.base import DEFAULT_CHUNK_SIZE, ObjectInfo, ObjectWriter
from chatdata.storage.keys import TEMP_SUFFIX


def temp_sibling(path: Path) -> Path:
    """A fresh hidden temp-file name in the directory of `path`."""
    return path.parent / f".{secrets.token_hex(8)}{TEMP_SUFFIX}"


def fsync_directory(directory: Path) -> None:
    """Flush a directory entry change (a rename) to disk."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def flush_to_disk(path: Path) -> None:
    """Wait until the file's data is on disk (fsync)."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def write_file_atomically(path: Path, chunks: Iterable[bytes]) -> Path:
    """Write `chunks` to a temp file beside `path`, then rename it onto `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_sibling(path)
    try:
        with open(temp, "xb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise
    return path


def upload_file(
    writer: ObjectWriter, path: Path, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> ObjectInfo:
    """Stream the local file at `path` through `writer` and commit it."""
    with writer, open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            writer.write(chunk)
        return writer.commit()
