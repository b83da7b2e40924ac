"""`LocalStore`: objects as files under one root folder (the embedded mode's file store)."""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from chatdata.errors import ServiceUnavailable
from chatdata.storage.base import DEFAULT_CHUNK_SIZE, ObjectInfo
from chatdata.storage.keys import TEMP_SUFFIX, check_range, folder_prefix, validate_key
from chatdata.storage.local_files import (
    object_info,
    object_not_found,
    prune_empty_dirs,
    reading,
    storage_failure,
)
from chatdata.storage.local_writer import LocalObjectWriter
from chatdata.storage.transfer import (
    flush_to_disk,
    fsync_directory,
    upload_file,
    write_file_atomically,
)


class LocalStore:
    """An `ObjectStore` keeping each object as the file `root/<key>`."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root.resolve()

    def open_writer(self, key: str, *, max_bytes: int | None = None) -> LocalObjectWriter:
        """Start a streaming write of `key` into a temp file beside its final path."""
        return LocalObjectWriter(key, self._path(key), self.root, max_bytes)

    def put_file(self, key: str, path: Path) -> ObjectInfo:
        """Copy the local file at `path` into the store under `key`."""
        return upload_file(self.open_writer(key), path)

    def adopt_file(self, key: str, path: Path) -> ObjectInfo:
        """Move the local scratch file at `path` into the store under `key`: a rename (no
        copy) on the store's file system, a copy elsewhere. `path` is gone afterwards."""
        target = self._path(key)
        try:
            flush_to_disk(path)  # durable before it is visible under the key
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            fsync_directory(target.parent)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise storage_failure(exc, "write", key) from exc
            info = self.put_file(key, path)
            path.unlink(missing_ok=True)
            return info
        return object_info(key, target)

    def put_bytes(self, key: str, data: bytes) -> ObjectInfo:
        """Store `data` under `key`."""
        with self.open_writer(key) as writer:
            writer.write(data)
            return writer.commit()

    def iter_chunks(self, key: str, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        """Stream the object's file in chunks; a missing key raises NotFound right away."""
        if chunk_size <= 0:
            raise ValueError("chunk_size must be positive")
        path = self._path(key)
        with reading(key):
            handle = open(path, "rb")  # noqa: SIM115 - closed by the generator
        return _read_chunks(handle, chunk_size)

    def read_range(self, key: str, start: int, end: int) -> bytes:
        """Bytes `[start, end)` of the object, clipped to its size."""
        check_range(start, end)
        with reading(key), open(self._path(key), "rb") as handle:
            handle.seek(start)
            return handle.read(end - start)

    def read_bytes(self, key: str) -> bytes:
        """The whole object."""
        path = self._path(key)
        with reading(key):
            return path.read_bytes()

    def download_to(self, key: str, path: Path) -> Path:
        """Copy the object to `path` (through a temp file renamed into place)."""
        return write_file_atomically(path, self.iter_chunks(key))

    def local_path(self, key: str) -> Path:
        """The object's real file (no copy); raises NotFound when there is none."""
        path = self._path(key)
        if not path.is_file():
            raise object_not_found(key)
        return path

    def exists(self, key: str) -> bool:
        """Whether an object is stored under `key`."""
        return self._path(key).is_file()

    def stat(self, key: str) -> ObjectInfo:
        """Size and modification time of the object."""
        return object_info(key, self.local_path(key))

    def delete(self, key: str) -> None:
        """Delete the object's file (and folders left empty); a missing key is fine."""
        path = self._path(key)
        if path.is_file():
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise storage_failure(exc, "delete", key) from exc
            prune_empty_dirs(path.parent, self.root)

    def delete_prefix(self, prefix: str) -> int:
        """Delete the folder `prefix` with every object in it; return how many objects."""
        folder = self.root / folder_prefix(prefix, allow_empty=False)
        deleted = 0
        for path in list(_object_files(folder)):
            try:
                path.unlink()
            except FileNotFoundError:
                continue  # deleted concurrently
            except OSError as exc:
                key = path.relative_to(self.root).as_posix()
                raise storage_failure(exc, "delete", key) from exc
            deleted += 1
        _remove_empty_folders(folder)
        prune_empty_dirs(folder.parent, self.root)
        return deleted

    def list_prefix(self, prefix: str) -> list[ObjectInfo]:
        """Every object below the folder `prefix` ("" for all), sorted by key."""
        folder = self.root / folder_prefix(prefix, allow_empty=True)
        infos = []
        for path in _object_files(folder):
            key = path.relative_to(self.root).as_posix()
            try:
                infos.append(object_info(key, path))
            except FileNotFoundError:
                continue  # deleted while listing
        return sorted(infos, key=lambda info: info.key)

    def remove_stale_temp_files(self, max_age_seconds: float) -> int:
        """Delete in-progress temp files untouched for `max_age_seconds` (writes a killed
        process left behind) and the folders that leaves empty; return how many."""
        cutoff = time.time() - max_age_seconds
        removed = 0
        for directory, _subdirs, files in os.walk(self.root):
            for name in files:
                path = Path(directory) / name
                with contextlib.suppress(OSError):
                    if name.endswith(TEMP_SUFFIX) and path.stat().st_mtime < cutoff:
                        path.unlink()
                        prune_empty_dirs(path.parent, self.root)
                        removed += 1
        return removed

    def check(self) -> None:
        """Raise ServiceUnavailable unless the root folder exists and is writable."""
        if not self.root.is_dir() or not os.access(self.root, os.W_OK | os.X_OK):
            raise ServiceUnavailable(
                "Local file storage is not a writable folder.", details={"root": str(self.root)}
            )

    def _path(self, key: str) -> Path:
        """The file path of a validated key."""
        return self.root / validate_key(key)


def _read_chunks(handle: BinaryIO, chunk_size: int) -> Iterator[bytes]:
    """Yield the rest of `handle` in chunks, closing it at the end."""
    with handle:
        while chunk := handle.read(chunk_size):
            yield chunk


def _remove_empty_folders(folder: Path) -> None:
    """Remove `folder` and the folders below it that are empty, deepest first."""
    for directory, _subdirs, _files in os.walk(folder, topdown=False):
        with contextlib.suppress(OSError):
            os.rmdir(directory)


def _object_files(folder: Path) -> Iterator[Path]:
    """Every object file below `folder`, skipping in-progress temp files."""
    for directory, _subdirs, files in os.walk(folder):
        for name in files:
            if not name.endswith(TEMP_SUFFIX):
                yield Path(directory) / name
