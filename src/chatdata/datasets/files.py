"""Local file access to stored objects for tools that need a path (Polars, DuckDB, kernels)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from chatdata.storage.base import ObjectStore


def local_copy(store: ObjectStore, key: str, cache_dir: Path) -> Path:
    """A local path holding the object: the store's own file, or a cached download.

    Objects under a version key are immutable, so a cached copy never goes stale.
    """
    direct = store.local_path(key)
    if direct is not None:
        return direct
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / (hashlib.sha256(key.encode()).hexdigest()[:32] + Path(key).suffix)
    if not target.exists():
        partial = target.with_suffix(target.suffix + f".{os.getpid()}.part")
        store.download_to(key, partial)
        os.replace(partial, target)
    return target


def sha256_file(path: Path, chunk_size: int = 1 << 20) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()
