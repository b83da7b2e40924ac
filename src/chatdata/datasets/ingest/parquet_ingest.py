"""Parquet input: validated by reading every page, then rewritten with usable names."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from chatdata.datasets.ingest.attempts import write_attempt
from chatdata.datasets.ingest.errors import IngestError, short_text
from chatdata.datasets.ingest.names import unique_column_names
from chatdata.parquet import PARQUET_COMPRESSION, sink_parquet_file


def ingest_parquet(src: Path, out: Path) -> tuple[int, list[str], list[str]]:
    """Rewrite a Parquet file through Polars (or Arrow for types Polars lacks).

    Reading every value is the validation: a damaged page fails here, not in a chat.
    Returns (rows, columns, notes).
    """
    try:
        metadata = pq.read_metadata(src)
    except (pa.ArrowException, OSError) as exc:
        raise IngestError(f"The Parquet file is damaged: {short_text(exc)}") from exc
    if metadata.num_columns == 0:
        raise IngestError("The Parquet file has no columns.")
    original = pq.read_schema(src).names
    names, notes = unique_column_names(original)
    try:
        if len(set(original)) != len(original):  # Polars cannot address repeated names
            raise pl.exceptions.DuplicateError("repeated column names")
        renames = dict(zip(original, names, strict=True))
        write_attempt(out, lambda path: _rewrite_with_polars(src, path, renames))
    except pl.exceptions.PolarsError:
        write_attempt(out, lambda path: _rewrite_with_arrow(src, path, names))
    rows = pl.scan_parquet(out).select(pl.len()).collect().item()
    if rows == 0:
        raise IngestError("The Parquet file has no rows.")
    return rows, names, notes


def _rewrite_with_polars(src: Path, out: Path, renames: dict[str, str]) -> None:
    frame = pl.scan_parquet(src)
    changed = {old: new for old, new in renames.items() if old != new}
    sink_parquet_file(frame.rename(changed) if changed else frame, out)


def _rewrite_with_arrow(src: Path, out: Path, names: list[str]) -> None:
    try:
        source = pq.ParquetFile(src)
        schema = source.schema_arrow
        renamed = pa.schema([schema.field(i).with_name(name) for i, name in enumerate(names)])
        with pq.ParquetWriter(out, renamed, compression=PARQUET_COMPRESSION) as writer:
            for batch in source.iter_batches():
                writer.write_batch(pa.RecordBatch.from_arrays(batch.columns, schema=renamed))
    except (pa.ArrowException, OSError) as exc:
        raise IngestError(f"The Parquet file is damaged: {short_text(exc)}") from exc
