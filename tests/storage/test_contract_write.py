"""Writing objects: the same contract for LocalStore and S3Store."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from chatdata.errors import NotFound, PayloadTooLarge
from chatdata.storage import ObjectStore

MIB = 1 << 20
CHUNK = 64 * 1024


def pattern_chunk(index: int) -> bytes:
    """64 KiB of bytes that differ from one chunk index to the next."""
    return hashlib.sha256(str(index).encode()).digest() * (CHUNK // 32)


def test_streamed_20_mib_object_reads_back_identical(store: ObjectStore) -> None:
    expected = hashlib.sha256()
    writer = store.open_writer("t1/datasets/d1/data.csv")
    for index in range(20 * MIB // CHUNK):
        chunk = pattern_chunk(index)
        writer.write(chunk)
        expected.update(chunk)
    assert writer.bytes_written == 20 * MIB
    assert not store.exists("t1/datasets/d1/data.csv")  # invisible until commit

    info = writer.commit()

    assert (info.key, info.size) == ("t1/datasets/d1/data.csv", 20 * MIB)
    actual = hashlib.sha256()
    sizes = []
    for chunk in store.iter_chunks("t1/datasets/d1/data.csv", chunk_size=3 * MIB):
        actual.update(chunk)
        sizes.append(len(chunk))
    assert actual.hexdigest() == expected.hexdigest()
    assert sum(sizes) == 20 * MIB
    assert max(sizes) <= 3 * MIB
    assert store.stat("t1/datasets/d1/data.csv").size == 20 * MIB


def test_max_bytes_exceeded_aborts_and_leaves_nothing(store: ObjectStore) -> None:
    writer = store.open_writer("t1/datasets/d2/big.bin", max_bytes=10 * MIB)
    for index in range(10 * MIB // CHUNK):
        writer.write(pattern_chunk(index))

    with pytest.raises(PayloadTooLarge) as caught:
        writer.write(b"x")

    assert caught.value.status_code == 413
    assert caught.value.details == {"max_bytes": 10 * MIB}
    assert store.list_prefix("t1") == []
    assert not store.exists("t1/datasets/d2/big.bin")
    with pytest.raises(RuntimeError):
        writer.commit()


def test_exactly_max_bytes_is_accepted(store: ObjectStore) -> None:
    writer = store.open_writer("t1/f.bin", max_bytes=10)
    writer.write(b"0123456789")
    assert writer.commit().size == 10
    assert store.read_bytes("t1/f.bin") == b"0123456789"


def test_abort_discards_the_write_and_keeps_the_old_object(store: ObjectStore) -> None:
    store.put_bytes("t1/report.txt", b"old")
    writer = store.open_writer("t1/report.txt")
    writer.write(b"new content")
    writer.abort()
    writer.abort()  # idempotent

    assert store.read_bytes("t1/report.txt") == b"old"
    assert [info.key for info in store.list_prefix("")] == ["t1/report.txt"]


def test_writer_context_aborts_on_error_and_without_commit(store: ObjectStore) -> None:
    with pytest.raises(ValueError), store.open_writer("t1/a.bin") as writer:
        writer.write(b"partial")
        raise ValueError("upload interrupted")
    with store.open_writer("t1/b.bin") as writer:
        writer.write(b"never committed")

    assert store.list_prefix("") == []
    with pytest.raises(NotFound):
        store.stat("t1/a.bin")


def test_commit_replaces_an_existing_object(store: ObjectStore) -> None:
    store.put_bytes("t1/x.json", b'{"v": 1}')
    with store.open_writer("t1/x.json") as writer:
        writer.write(b'{"v": ')
        writer.write(b"2}")
        info = writer.commit()

    assert info.size == 8
    assert store.read_bytes("t1/x.json") == b'{"v": 2}'


def test_empty_object(store: ObjectStore) -> None:
    info = store.open_writer("t1/empty").commit()

    assert info.size == 0
    assert store.read_bytes("t1/empty") == b""
    assert list(store.iter_chunks("t1/empty")) == []


def test_put_file_and_put_bytes(store: ObjectStore, tmp_path: Path) -> None:
    source = tmp_path / "upload.csv"
    source.write_bytes(b"a,b\n" * 300_000)  # 1.2 MB

    file_info = store.put_file("t1/datasets/d3/data.csv", source)
    bytes_info = store.put_bytes("t1/datasets/d3/notes.txt", "héllo".encode())

    assert file_info.size == 1_200_000
    assert store.read_bytes("t1/datasets/d3/data.csv") == source.read_bytes()
    assert bytes_info.size == 6
    assert bytes_info.modified.tzinfo is not None
    assert store.read_bytes("t1/datasets/d3/notes.txt").decode() == "héllo"


def test_concurrent_writers_of_one_key_last_commit_wins(store: ObjectStore) -> None:
    first = store.open_writer("t1/shared")
    second = store.open_writer("t1/shared")
    first.write(b"first")
    second.write(b"second")

    second.commit()
    first.commit()

    assert store.read_bytes("t1/shared") == b"first"
    assert [info.key for info in store.list_prefix("")] == ["t1/shared"]


def test_writers_in_threads(store: ObjectStore) -> None:
    def write(number: int) -> int:
        with store.open_writer(f"t1/threads/{number}") as writer:
            for _ in range(50):
                writer.write(bytes([number]) * 1000)
            return writer.commit().size

    with ThreadPoolExecutor(max_workers=4) as pool:
        sizes = list(pool.map(write, range(8)))

    assert sizes == [50_000] * 8
    for number in range(8):
        assert store.read_bytes(f"t1/threads/{number}") == bytes([number]) * 50_000
