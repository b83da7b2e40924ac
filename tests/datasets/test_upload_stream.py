"""`receive_upload` writes the file part while the next bytes arrive; whatever stops the
body half way (a limit, a lost client) leaves no object and no partial file behind."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from chatdata.datasets.upload import receive_upload
from chatdata.errors import PayloadTooLarge
from chatdata.storage.local import LocalStore

BOUNDARY = b"XyZ"
CONTENT_TYPE = "multipart/form-data; boundary=XyZ"
LINE = b"12345,abcdefghij,2024-01-02\n"


class ClientGone(Exception):
    """Stands for the connection dropping mid-body."""


async def body(lines: int, *, break_after: int | None = None) -> AsyncIterator[bytes]:
    """A multipart body with one CSV file part of `lines` lines, sent in 64 KiB pieces."""
    yield (
        b"--" + BOUNDARY + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="x.csv"\r\n\r\n'
    )
    payload = LINE * lines
    for sent, start in enumerate(range(0, len(payload), 64 * 1024)):
        if break_after is not None and sent == break_after:
            raise ClientGone
        yield payload[start : start + 64 * 1024]
    yield b"\r\n--" + BOUNDARY + b"--\r\n"


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


async def receive(store: LocalStore, chunks: AsyncIterator[bytes], max_bytes: int) -> int:
    async def key_for(fields: dict[str, str], filename: str) -> str:
        return "tenant/datasets/d1/original/x.csv"

    received = await receive_upload(
        chunks, CONTENT_TYPE, store, key_for, max_bytes, check_head=lambda head: None
    )
    return received.size


async def test_a_multi_megabyte_file_arrives_whole(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    size = await receive(store, body(200_000), max_bytes=100 * 2**20)
    assert size == len(LINE) * 200_000
    [stored] = files_under(store.root)
    assert stored.read_bytes() == LINE * 200_000


async def test_a_client_gone_mid_body_leaves_nothing(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    with pytest.raises(ClientGone):
        await receive(store, body(200_000, break_after=60), max_bytes=100 * 2**20)
    assert files_under(store.root) == []


async def test_the_size_limit_stops_a_write_in_flight_and_leaves_nothing(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    with pytest.raises(PayloadTooLarge):
        await receive(store, body(200_000), max_bytes=3 * 2**20)
    assert files_under(store.root) == []
