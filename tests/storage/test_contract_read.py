"""Reading objects: the same contract for LocalStore and S3Store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chatdata.errors import BadRequest, NotFound
from chatdata.storage import ObjectStore

DIGITS = b"0123456789" * 10  # 100 bytes


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, 10, b"0123456789"),
        (95, 100, b"56789"),
        (7, 13, b"789012"),
        (98, 500, b"89"),  # clipped to the object
        (100, 120, b""),  # starts at the end
        (250, 300, b""),  # starts past the end
        (40, 40, b""),  # empty range
    ],
)
def test_read_range(store: ObjectStore, start: int, end: int, expected: bytes) -> None:
    store.put_bytes("t1/digits", DIGITS)
    assert store.read_range("t1/digits", start, end) == expected


@pytest.mark.parametrize(("start", "end"), [(-1, 5), (10, 9)])
def test_read_range_refuses_bad_ranges(store: ObjectStore, start: int, end: int) -> None:
    store.put_bytes("t1/digits", DIGITS)
    with pytest.raises(BadRequest) as caught:
        store.read_range("t1/digits", start, end)
    assert caught.value.code == "invalid_range"


def test_iter_chunks_sizes(store: ObjectStore) -> None:
    store.put_bytes("t1/digits", DIGITS)
    chunks = list(store.iter_chunks("t1/digits", chunk_size=30))
    assert b"".join(chunks) == DIGITS
    assert all(len(chunk) <= 30 for chunk in chunks)


def test_download_to_makes_a_local_copy(store: ObjectStore, tmp_path: Path) -> None:
    store.put_bytes("t1/datasets/d1/v1.parquet", DIGITS * 1000)
    target = tmp_path / "cache" / "nested" / "v1.parquet"

    result = store.download_to("t1/datasets/d1/v1.parquet", target)

    assert result == target
    assert target.read_bytes() == DIGITS * 1000
    assert sorted(path.name for path in target.parent.iterdir()) == ["v1.parquet"]


def test_download_to_replaces_an_existing_file(store: ObjectStore, tmp_path: Path) -> None:
    store.put_bytes("t1/a", b"fresh")
    target = tmp_path / "a"
    target.write_bytes(b"stale and longer")
    store.download_to("t1/a", target)
    assert target.read_bytes() == b"fresh"


READERS: dict[str, Callable[[ObjectStore, str, Path], Any]] = {
    "read_bytes": lambda store, key, _: store.read_bytes(key),
    "read_range": lambda store, key, _: store.read_range(key, 0, 10),
    "read_empty_range": lambda store, key, _: store.read_range(key, 3, 3),
    "iter_chunks": lambda store, key, _: store.iter_chunks(key),
    "stat": lambda store, key, _: store.stat(key),
    "download_to": lambda store, key, tmp: store.download_to(key, tmp / "out.bin"),
}


@pytest.mark.parametrize("reader", sorted(READERS))
def test_missing_object_raises_not_found(store: ObjectStore, reader: str, tmp_path: Path) -> None:
    store.put_bytes("t1/present", b"here")  # the folder and the bucket exist
    with pytest.raises(NotFound) as caught:
        READERS[reader](store, "t1/absent", tmp_path)
    assert caught.value.status_code == 404
    assert caught.value.details == {"key": "t1/absent"}
    assert not (tmp_path / "out.bin").exists()


def test_a_folder_is_not_an_object(store: ObjectStore) -> None:
    store.put_bytes("t1/datasets/d1/data.csv", b"x")
    assert not store.exists("t1/datasets/d1")
    with pytest.raises(NotFound):
        store.read_bytes("t1/datasets")
