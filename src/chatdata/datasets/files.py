"""Local file access to stored objects for tools that need a path (Polars, DuckDB, kernels)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from chatdata.storage.base import ObjectStore
from chatdata.storage.keys import folder_prefix, validate_key


def local_cache_dir(data_dir: Path) -> Path:
    """Where downloaded copies of stored objects live (stores without local files, S3)."""
    return data_dir / "cache"


def local_copy(store: ObjectStore, key: str, cache_dir: Path) -> Path:
    """A local path holding the object: the store's own file, or a cached download.

    Objects under a version key are immutable, so a cached copy never goes stale. The copy
    lies at the key's own path below `cache_dir`, so a deleted dataset's copies go with
    its prefix (`drop_cached`).
    """
    direct = store.local_path(key)
    if direct is not None:
        return direct
    target = cache_dir / validate_key(key)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + f".{os.getpid()}.part")
        store.download_to(key, partial)
        os.replace(partial, target)
    return target


def drop_cached(cache_dir: Path, prefix: str) -> None:
    """Remove every cached copy of the objects under `prefix` (e.g. a deleted dataset's)."""
    shutil.rmtree(cache_dir / folder_prefix(prefix, allow_empty=False), ignore_errors=True)


def sha256_file(path: Path, chunk_size: int = 1 << 20) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()
