"""Hashing and storing a version's Parquet file while it is profiled."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from chatdata.datasets.profile import ProfileFailed
from chatdata.datasets.versions import _hash_store_and_profile
from chatdata.storage.local import LocalStore

KEY = "teams/t/datasets/d/v1.parquet"


async def test_hash_store_and_profile_together(tmp_path: Path) -> None:
    parquet = tmp_path / "data.parquet"
    pl.DataFrame({"n": [3, 1, 2], "s": ["a", "b", "a"]}).write_parquet(parquet)
    written = parquet.read_bytes()
    store = LocalStore(tmp_path / "store")
    content_hash, info, profile = await _hash_store_and_profile(store, KEY, parquet)
    assert content_hash == hashlib.sha256(written).hexdigest()
    assert store.read_bytes(KEY) == written
    assert info.size == len(written)
    assert (profile.rows, profile.columns) == (3, 2)
    assert not parquet.exists()  # the local store took the scratch file over (no copy)


async def test_failed_profile_leaves_no_stored_object(tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not a parquet file")
    store = LocalStore(tmp_path / "store")
    with pytest.raises(ProfileFailed):
        await _hash_store_and_profile(store, KEY, broken)
    assert store.list_prefix("") == []
