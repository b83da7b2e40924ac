"""Stream a multipart upload straight into the object store, never whole in memory.

Form fields before the file part are collected (small, capped); the file part's bytes go
to a store writer as they arrive, and the first bytes decide the file type by content.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

import anyio
from python_multipart.exceptions import ParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from chatdata.errors import BadRequest
from chatdata.storage.base import ObjectInfo, ObjectStore, ObjectWriter

FIELD_LIMIT = 64 * 1024  # bytes per form field
HEAD_BYTES = 64 * 1024  # what type detection looks at
FLUSH_BYTES = 1 << 20  # batch small network chunks before a (threaded) store write

T = TypeVar("T")


@dataclass
class UploadedFile:
    """What arrived: the stored object and the form fields."""

    key: str
    size: int
    filename: str
    head: bytes
    fields: dict[str, str] = field(default_factory=dict)


class _PendingBytes:
    """File bytes not yet written, kept as the received chunks (no copy into one buffer)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def append(self, chunk: bytes) -> None:
        """Keep `chunk` until the next flush."""
        self.chunks.append(chunk)
        self.size += len(chunk)

    def head(self, limit: int) -> bytes:
        """The first `limit` pending bytes."""
        return b"".join(self.chunks)[:limit]

    def take(self) -> list[bytes]:
        """Every pending chunk, leaving nothing pending."""
        chunks, self.chunks, self.size = self.chunks, [], 0
        return chunks


@dataclass
class _Part:
    headers: dict[str, str] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None
    value: bytearray = field(default_factory=bytearray)


class _UploadParser:
    """Callbacks for python-multipart that route file bytes into a pending buffer."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}
        self.part = _Part()
        self.header_field = bytearray()
        self.header_value = bytearray()
        self.file_started = False
        self.file_done = False
        self.filename = ""
        self.pending = _PendingBytes()
        self.file_count = 0

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {
            "on_part_begin": self._part_begin,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_header_field": lambda d, s, e: self.header_field.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self.header_value.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
        }

    def _part_begin(self) -> None:
        self.part = _Part()

    def _header_end(self) -> None:
        name = self.header_field.decode("latin-1").lower()
        # Latin-1 maps bytes 1:1, so parse_options_header gets the raw bytes back and the
        # (UTF-8) file name is decoded once, below; any byte is accepted.
        self.part.headers[name] = self.header_value.decode("latin-1")
        self.header_field.clear()
        self.header_value.clear()

    def _headers_finished(self) -> None:
        disposition = self.part.headers.get("content-disposition", "")
        _kind, options = parse_options_header(disposition)
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        raw_filename = options.get(b"filename")
        if raw_filename is not None:
            self.part.filename = raw_filename.decode("utf-8", "replace")
        if self._is_file_part():
            self.file_count += 1
            if self.file_count > 1:
                raise BadRequest("Send one file per upload.", code="multiple_files")
            self.file_started = True
            self.filename = self.part.filename or "upload"

    def _is_file_part(self) -> bool:
        return self.part.name == "file"

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._is_file_part():
            # A whole chunk is kept as it is (bytes are immutable): one copy of the file
            # fewer than slicing every chunk.
            whole = start == 0 and end == len(data) and isinstance(data, bytes)
            self.pending.append(data if whole else data[start:end])
            return
        if len(self.part.value) + (end - start) > FIELD_LIMIT:
            raise BadRequest(f"The form field `{self.part.name}` is too long.")
        self.part.value.extend(data[start:end])

    def _part_end(self) -> None:
        if self._is_file_part():
            self.file_done = True
        elif self.part.name:
            self.fields[self.part.name] = self.part.value.decode("utf-8", "replace")


def multipart_boundary(content_type: str | None) -> bytes:
    """The boundary of a multipart/form-data body, or BadRequest."""
    kind, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise BadRequest("Upload the file as multipart/form-data with a `file` field.")
    return boundary


async def receive_upload(
    body: AsyncIterator[bytes],
    content_type: str | None,
    store: ObjectStore,
    key_for: Callable[[dict[str, str], str], Awaitable[str]],
    max_bytes: int,
    check_head: Callable[[bytes], None],
) -> UploadedFile:
    """Parse the body and stream the `file` part into `store` at `key_for(fields, filename)`.

    `check_head` sees the first bytes (or all of a small file) and raises to refuse the
    type; fields sent after the file are still collected. On any failure the partial object
    is removed. The object is committed without waiting for the disk: the ingest flushes
    it while it converts, and a dataset is `ready` only after that (`run_ingest`).
    """
    parser = _UploadParser()
    multipart = MultipartParser(multipart_boundary(content_type), parser.callbacks())  # type: ignore[arg-type]
    writes: _BackgroundWrites | None = None
    key = ""
    head = b""
    try:
        async for chunk in body:
            _feed(multipart, chunk)
            if parser.file_started and writes is None:
                if len(parser.pending) < HEAD_BYTES and not parser.file_done:
                    continue
                head = parser.pending.head(HEAD_BYTES)
                check_head(head)
                key = await key_for(parser.fields, parser.filename)
                writes = _BackgroundWrites(await _open_writer(store, key, max_bytes))
            if writes is not None and (len(parser.pending) >= FLUSH_BYTES or parser.file_done):
                await writes.submit(parser.pending.take())
        _feed(multipart, None)
        if not parser.file_started:
            raise BadRequest("The upload has no `file` field.", code="no_file")
        if writes is None:  # the whole file fit in the head
            head = parser.pending.head(HEAD_BYTES)
            check_head(head)
            key = await key_for(parser.fields, parser.filename)
            writes = _BackgroundWrites(await _open_writer(store, key, max_bytes))
        await writes.submit(parser.pending.take())
        info = await writes.commit(durable=False)
    except BaseException:
        if writes is not None:
            with anyio.CancelScope(shield=True):
                await writes.abort()
        raise
    return UploadedFile(
        key=key, size=info.size, filename=parser.filename, head=head, fields=parser.fields
    )


def _feed(multipart: MultipartParser, chunk: bytes | None) -> None:
    """Give the parser a chunk (None: the end); a malformed body is the client's error."""
    try:
        if chunk is None:
            multipart.finalize()
        else:
            multipart.write(chunk)
    except ParseError as exc:
        raise BadRequest(
            f"The upload is not valid multipart/form-data: {exc}", code="malformed_multipart"
        ) from exc


async def _open_writer(store: ObjectStore, key: str, max_bytes: int) -> ObjectWriter:
    return await anyio.to_thread.run_sync(partial(store.open_writer, key, max_bytes=max_bytes))


class _BackgroundWrites:
    """Store writes in one worker thread, so the next batch is received while the last is
    written; at most one batch is in flight, and commit/abort queue behind it."""

    def __init__(self, writer: ObjectWriter) -> None:
        self._writer = writer
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-write")
        self._in_flight: asyncio.Future[None] | None = None

    async def submit(self, chunks: list[bytes]) -> None:
        """Wait for the batch before (raising its error), then start writing `chunks`."""
        await self._settle()
        if chunks:
            self._in_flight = asyncio.wrap_future(
                self._worker.submit(_write_chunks, self._writer, chunks)
            )

    async def commit(self, *, durable: bool) -> ObjectInfo:
        """Finish the writes and commit the object."""
        await self._settle()
        info = await self._run(partial(self._writer.commit, durable=durable))
        self._worker.shutdown(wait=False)
        return info

    async def abort(self) -> None:
        """Remove the partial object once the write in flight (if any) has ended."""
        if self._in_flight is not None:
            self._in_flight.cancel()  # its outcome no longer matters; the worker finishes it
        await self._run(self._writer.abort)
        self._worker.shutdown(wait=False)

    async def _settle(self) -> None:
        in_flight, self._in_flight = self._in_flight, None
        if in_flight is not None:
            await in_flight

    async def _run(self, action: Callable[[], T]) -> T:
        # Queued on the same worker, so it runs only after any write still in flight.
        return await asyncio.wrap_future(self._worker.submit(action))


def _write_chunks(writer: ObjectWriter, chunks: list[bytes]) -> None:
    for chunk in chunks:
        writer.write(chunk)
