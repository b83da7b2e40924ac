"""exists / stat / delete / delete_prefix / list_prefix: the same contract for both stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chatdata.errors import BadRequest
from chatdata.storage import ObjectStore


def test_exists_and_stat(store: ObjectStore) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    store.put_bytes("t1/datasets/d1/data.csv", b"a,b\n1,2\n")

    info = store.stat("t1/datasets/d1/data.csv")

    assert store.exists("t1/datasets/d1/data.csv")
    assert not store.exists("t1/datasets/d1/other.csv")
    assert (info.key, info.size) == ("t1/datasets/d1/data.csv", 8)
    assert before <= info.modified <= datetime.now(UTC) + timedelta(seconds=5)


def test_delete_is_idempotent(store: ObjectStore) -> None:
    store.put_bytes("t1/a", b"1")
    store.put_bytes("t1/b", b"2")

    store.delete("t1/a")
    store.delete("t1/a")
    store.delete("t9/never-existed")

    assert not store.exists("t1/a")
    assert [info.key for info in store.list_prefix("")] == ["t1/b"]


def test_list_prefix_pages_through_many_keys(store: ObjectStore) -> None:
    keys = [f"t1/datasets/d1/versions/v{number:02d}.parquet" for number in range(25)]
    for number, key in enumerate(keys):
        store.put_bytes(key, b"x" * number)
    store.put_bytes("t1/datasets/d10/data.csv", b"other dataset")
    store.put_bytes("t2/datasets/d1/data.csv", b"other tenant")

    listed = store.list_prefix("t1/datasets/d1")

    assert [info.key for info in listed] == keys
    assert [info.size for info in listed] == list(range(25))
    assert store.list_prefix("t1/datasets/d1/") == listed
    assert [info.key for info in store.list_prefix("t1/datasets/d10")] == [
        "t1/datasets/d10/data.csv"
    ]
    assert len(store.list_prefix("")) == 27
    assert store.list_prefix("t3") == []


def test_delete_prefix_removes_only_that_folder(store: ObjectStore) -> None:
    for number in range(23):
        store.put_bytes(f"t1/datasets/d1/part-{number:02d}", b"p")
    store.put_bytes("t1/datasets/d1/sub/deep/file", b"deep")
    store.put_bytes("t1/datasets/d10/keep", b"k")
    store.put_bytes("t1/datasets/d1-copy/keep", b"k")

    deleted = store.delete_prefix("t1/datasets/d1")

    assert deleted == 24
    assert [info.key for info in store.list_prefix("t1")] == [
        "t1/datasets/d1-copy/keep",
        "t1/datasets/d10/keep",
    ]
    assert store.delete_prefix("t1/datasets/d1/") == 0


def test_delete_prefix_refuses_an_empty_prefix(store: ObjectStore) -> None:
    store.put_bytes("t1/a", b"1")
    with pytest.raises(BadRequest):
        store.delete_prefix("")
    assert store.exists("t1/a")


def test_check_passes_on_a_working_store(store: ObjectStore) -> None:
    store.check()
    store.put_bytes("t1/a", b"1")
    store.check()


def test_delete_prefix_spares_a_write_in_progress(store: ObjectStore) -> None:
    store.put_bytes("t1/datasets/d1/old.csv", b"old")
    writer = store.open_writer("t1/datasets/d1/new.csv")
    writer.write(b"new")

    assert store.delete_prefix("t1/datasets/d1") == 1
    writer.commit()

    assert [info.key for info in store.list_prefix("t1")] == ["t1/datasets/d1/new.csv"]
    assert store.read_bytes("t1/datasets/d1/new.csv") == b"new"
