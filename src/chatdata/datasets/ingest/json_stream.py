"""A small streaming reader for one big JSON document: arrays are walked item by item.

Each item is parsed with the C JSON decoder from a sliding text buffer, so memory holds
one record at a time (up to `max_value_chars`), never the whole file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from chatdata.datasets.ingest.errors import IngestError, format_count

_WHITESPACE = re.compile(r"[ \t\r\n]*")
CHUNK_CHARS = 1024**2
MAX_VALUE_CHARS = 256 * 1024**2


@dataclass(frozen=True)
class JsonValue:
    """A parsed value and its source text on one line (raw newlines become spaces)."""

    value: Any
    text: str


class JsonStream:
    """Tokens and values of a JSON document read from `source` in chunks."""

    def __init__(self, source: TextIO, *, max_value_chars: int = MAX_VALUE_CHARS) -> None:
        self._source = source
        self._buffer = ""
        self._pos = 0
        self._lines_before = 0
        self._eof = False
        self._max_value_chars = max_value_chars
        self._decoder = json.JSONDecoder()

    def peek(self) -> str:
        """The next non-blank character ("" at the end of the document)."""
        self._skip_whitespace()
        return self._buffer[self._pos] if self._pos < len(self._buffer) else ""

    def expect(self, char: str) -> None:
        """Consume `char` or raise a readable error."""
        if self.peek() != char:
            found = self.peek() or "the end of the file"
            raise self._error(f"expected {char!r} but found {found!r}")
        self._pos += 1

    def read_value(self) -> JsonValue:
        """Parse the next complete value."""
        self._skip_whitespace()
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as exc:
                if self._eof:
                    raise self._error(exc.msg) from exc
                self._grow()
                continue
            if end == len(self._buffer) and not self._eof:
                self._grow()  # a number or literal may continue in the next chunk
                continue
            text = self._buffer[self._pos : end].replace("\n", " ").replace("\r", " ")
            self._pos = end
            return JsonValue(value, text)

    def array_items(self) -> Iterator[JsonValue]:
        """Walk an array, yielding its items one by one."""
        self.expect("[")
        if self.peek() == "]":
            self._pos += 1
            return
        while True:
            yield self.read_value()
            if self._next_separator("]"):
                return

    def object_keys(self) -> Iterator[str]:
        """Walk an object's keys; after each, the caller must consume the member's value."""
        self.expect("{")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            key = self.read_value().value
            if not isinstance(key, str):
                raise self._error("an object key must be a string")
            self.expect(":")
            yield key
            if self._next_separator("}"):
                return

    def skip_value(self) -> None:
        """Parse and drop the next value."""
        self.read_value()

    def expect_end(self) -> None:
        """Raise unless only whitespace is left."""
        if self.peek():
            raise self._error("there is more text after the end of the data")

    def _next_separator(self, closing: str) -> bool:
        """Consume `,` (False: more items follow) or `closing` (True: done)."""
        char = self.peek()
        if char == ",":
            self._pos += 1
            return False
        if char == closing:
            self._pos += 1
            return True
        raise self._error(
            f"expected ',' or {closing!r} but found {char or 'the end of the file'!r}"
        )

    def _skip_whitespace(self) -> None:
        while True:
            match = _WHITESPACE.match(self._buffer, self._pos)
            self._pos = match.end() if match else self._pos
            if self._pos < len(self._buffer) or not self._fill():
                return

    def _grow(self) -> None:
        if len(self._buffer) - self._pos > self._max_value_chars:
            raise IngestError(
                f"A JSON record is larger than {format_count(self._max_value_chars)} "
                "characters; records that big are not supported."
            )
        if not self._fill():
            self._eof = True

    def _fill(self) -> bool:
        """Append the next chunk, dropping what was consumed; False at the end of input."""
        chunk = self._source.read(CHUNK_CHARS)
        if not chunk:
            self._eof = True
            return False
        if self._pos:
            self._lines_before += self._buffer.count("\n", 0, self._pos)
            self._buffer = self._buffer[self._pos :]
            self._pos = 0
        self._buffer += chunk
        return True

    def _error(self, reason: str) -> IngestError:
        line = self._lines_before + self._buffer.count("\n", 0, self._pos) + 1
        return IngestError(f"The JSON is not valid near line {format_count(line)}: {reason}.")
