"""Unsafe keys and prefixes are refused by both stores before touching anything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chatdata.errors import BadRequest
from chatdata.storage import InvalidObjectKey, ObjectStore, validate_key

BAD_KEYS = [
    "",
    "../escape",
    "t1/../../etc/passwd",
    "t1/..",
    "./t1/a",
    "t1/./a",
    "/etc/passwd",
    "t1//a",
    "t1/a/",
    "t1\\a",
    "..\\..\\windows",
    "t1/a\x00b",
    "t1/line\nbreak",
    "t1/a.chatdata-partial",
    "t1/" + "x" * 1100,
    "t1/\udc80",
]

OPERATIONS: dict[str, Callable[[ObjectStore, str, Path], Any]] = {
    "open_writer": lambda store, key, _: store.open_writer(key),
    "put_bytes": lambda store, key, _: store.put_bytes(key, b"x"),
    "put_file": lambda store, key, tmp: store.put_file(key, tmp / "src"),
    "read_bytes": lambda store, key, _: store.read_bytes(key),
    "read_range": lambda store, key, _: store.read_range(key, 0, 1),
    "iter_chunks": lambda store, key, _: store.iter_chunks(key),
    "download_to": lambda store, key, tmp: store.download_to(key, tmp / "dst"),
    "local_path": lambda store, key, _: store.local_path(key),
    "exists": lambda store, key, _: store.exists(key),
    "stat": lambda store, key, _: store.stat(key),
    "delete": lambda store, key, _: store.delete(key),
}


@pytest.mark.parametrize("key", BAD_KEYS, ids=repr)
def test_validate_key_refuses(key: str) -> None:
    with pytest.raises(InvalidObjectKey) as caught:
        validate_key(key)
    assert isinstance(caught.value, BadRequest)
    assert caught.value.status_code == 400
    assert caught.value.code == "invalid_object_key"


@pytest.mark.parametrize(
    "key", ["a", "t1/datasets/d1/data.csv", "t1/.hidden", "t1/a..b", "t1/ümlaut data (1).csv"]
)
def test_validate_key_accepts(key: str) -> None:
    assert validate_key(key) == key


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_every_operation_refuses_bad_keys(
    store: ObjectStore, operation: str, tmp_path: Path
) -> None:
    (tmp_path / "src").write_bytes(b"data")
    store.put_bytes("t1/a", b"untouched")
    for key in ["../t1/a", "/t1/a", "t1//a", "t1\\a", ""]:
        with pytest.raises(InvalidObjectKey):
            OPERATIONS[operation](store, key, tmp_path)
    assert [info.key for info in store.list_prefix("")] == ["t1/a"]
    assert not (tmp_path / "dst").exists()


@pytest.mark.parametrize("prefix", ["../t1", "/t1", "t1//d", "t1\\d", "t1/../t2", "t1//"])
def test_prefix_operations_refuse_bad_prefixes(store: ObjectStore, prefix: str) -> None:
    store.put_bytes("t1/d/a", b"1")
    with pytest.raises(InvalidObjectKey):
        store.list_prefix(prefix)
    with pytest.raises(InvalidObjectKey):
        store.delete_prefix(prefix)
    assert store.exists("t1/d/a")
