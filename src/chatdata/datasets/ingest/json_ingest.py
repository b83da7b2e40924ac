"""JSON and NDJSON to Parquet.

Accepted shapes:
- NDJSON: one JSON object per line (blank lines are ignored);
- JSON: an array of objects `[{...}, {...}]`, or an object with exactly one member whose
  value is an array of objects, such as `{"data": [...], "meta": {...}}`.
Each object is a row; keys are columns (nested objects become struct columns). A JSON
array is split into NDJSON in a streaming pass, so the file is never held whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import polars as pl

from chatdata.datasets.ingest.errors import IngestError, short_text
from chatdata.datasets.ingest.json_stream import JsonStream
from chatdata.datasets.ingest.names import unique_column_names
from chatdata.parquet import sink_parquet_file


def ingest_ndjson(src: Path, out: Path) -> tuple[int, list[str], list[str]]:
    """Convert NDJSON to Parquet; return (rows, columns, notes)."""
    try:
        frame = pl.scan_ndjson(src, infer_schema_length=None)
        original = frame.collect_schema().names()
        names, notes = unique_column_names(original)
        sink_parquet_file(frame.rename(dict(zip(original, names, strict=True))), out)
    except pl.exceptions.PolarsError as exc:
        raise IngestError(f"The JSON lines could not be read: {short_text(exc)}") from exc
    rows = pl.scan_parquet(out).select(pl.len()).collect().item()
    if rows == 0 or not names:
        raise IngestError("The JSON file holds no records.")
    return rows, names, notes


def ingest_json(
    src: Path, out: Path, scratch: Path, codec: str = "utf-8-sig"
) -> tuple[int, list[str], list[str]]:
    """Convert a JSON array of objects (or `{"key": [objects]}`) to Parquet."""
    lines = scratch / "records.ndjson"
    try:
        with src.open("r", encoding=codec, errors="strict", newline="") as text:
            count = _split_records(JsonStream(text), lines)
    except UnicodeDecodeError as exc:
        raise IngestError("The JSON file is not valid UTF-8 text.") from exc
    if count == 0:
        raise IngestError("The JSON file holds no records.")
    return ingest_ndjson(lines, out)


def _split_records(stream: JsonStream, lines: Path) -> int:
    """Write each record object of the document as one NDJSON line; return the count."""
    with lines.open("w", encoding="utf-8", newline="\n") as writer:
        first = stream.peek()
        if first == "[":
            count = _copy_array(stream, writer)
        elif first == "{":
            count = _copy_member_array(stream, writer)
        else:
            raise IngestError("The JSON file must hold an array of objects, one per row.")
        stream.expect_end()
    return count


def _copy_array(stream: JsonStream, writer: TextIO) -> int:
    count = 0
    for record in stream.array_items():
        if not isinstance(record.value, dict):
            raise IngestError(
                f"The JSON array must hold objects (one per row); item {count + 1:,} is "
                f"{_kind(record.value)}."
            )
        writer.write(record.text + "\n")
        count += 1
    return count


def _copy_member_array(stream: JsonStream, writer: TextIO) -> int:
    arrays: list[str] = []
    count = 0
    for key in stream.object_keys():
        if stream.peek() == "[":
            arrays.append(key)
            if len(arrays) > 1:
                raise IngestError(
                    "The JSON object holds several arrays "
                    f"({', '.join(repr(a) for a in arrays)}); it must hold exactly one "
                    "array of records."
                )
            count = _copy_array(stream, writer)
        else:
            stream.skip_value()
    if not arrays:
        raise IngestError(
            'The JSON object holds no array of records; expected a shape like {"data": [...]}.'
        )
    return count


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return "a number or boolean"
