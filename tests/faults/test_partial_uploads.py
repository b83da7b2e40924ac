"""The local store's start-up sweep: partial files of uploads a killed server left behind go
once stale; a partial file still being written, and every object, stay."""

from __future__ import annotations

import os
import time
from pathlib import Path

from chatdata.storage import LocalStore
from chatdata.storage.keys import TEMP_SUFFIX

DAY = 24 * 3600


def test_only_stale_partial_files_are_removed(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "files")
    store.put_bytes("team/datasets/a/original/a.csv", b"a\n1\n")
    stale_dir = store.root / "team" / "datasets" / "b" / "original"
    stale_dir.mkdir(parents=True)
    stale = stale_dir / f".dead{TEMP_SUFFIX}"
    stale.write_bytes(b"half")
    old = time.time() - 2 * DAY
    os.utime(stale, (old, old))
    live = store.root / "team" / "datasets" / "a" / "original" / f".live{TEMP_SUFFIX}"
    live.write_bytes(b"being written")
    assert store.remove_stale_temp_files(DAY) == 1
    assert not stale.exists() and not (store.root / "team" / "datasets" / "b").exists()
    assert live.exists()
    assert [i.key for i in store.list_prefix("")] == ["team/datasets/a/original/a.csv"]
