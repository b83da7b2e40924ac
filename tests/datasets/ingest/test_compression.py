"""gzip and single-file zip uploads, and the guards against bombs."""

from __future__ import annotations

import gzip
import io
import zipfile

from chatdata.datasets.ingest import IngestOptions, UnsupportedFormat
from tests.datasets.ingest.conftest import IngestFailure, IngestRun

TABLE = "id,city\n1,Oslo\n2,Lima\n3,Pune\n"


def _zip(*members: tuple[str, bytes], password_flag: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    data = buffer.getvalue()
    if password_flag:  # mark the first entry as encrypted in both headers
        data = data.replace(b"PK\x03\x04\x14\x00\x00\x00", b"PK\x03\x04\x14\x00\x01\x00", 1)
        data = data.replace(
            b"PK\x01\x02\x14\x03\x14\x00\x00\x00", b"PK\x01\x02\x14\x03\x14\x00\x01\x00", 1
        )
    return data


def test_gzip_csv(ingest: IngestRun) -> None:
    done = ingest(gzip.compress(TABLE.encode()), name="table.csv.gz")
    assert done.result.compression == "gzip"
    assert done.result.source_format == "csv"
    assert done.frame.rows() == [(1, "Oslo"), (2, "Lima"), (3, "Pune")]


def test_zip_with_one_csv_and_macos_clutter(ingest: IngestRun) -> None:
    data = _zip(
        ("__MACOSX/._t.csv", b"junk"), ("folder/t.csv", TABLE.encode()), (".DS_Store", b"x")
    )
    done = ingest(data, name="upload.zip")
    assert done.result.compression == "zip"
    assert done.result.rows == 3
    assert done.result.warnings[0] == 'Read "folder/t.csv" from the zip file.'


def test_gzip_of_ndjson(ingest: IngestRun) -> None:
    done = ingest(gzip.compress(b'{"a": 1}\n{"a": 2}\n'))
    assert (done.result.source_format, done.result.compression) == ("ndjson", "gzip")
    assert done.frame["a"].to_list() == [1, 2]


def test_zip_with_several_files(ingest_error: IngestFailure) -> None:
    error = ingest_error(_zip(("a.csv", b"a\n1\n"), ("b.csv", b"b\n2\n")))
    assert error.message == (
        "The zip file holds 2 files (a.csv, b.csv); upload a zip with exactly one data file."
    )


def test_empty_zip(ingest_error: IngestFailure) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("docs/", b"")
    assert ingest_error(buffer.getvalue()).message == "The zip file holds no files."


def test_password_protected_zip(ingest_error: IngestFailure) -> None:
    error = ingest_error(_zip(("t.csv", TABLE.encode()), password_flag=True))
    assert "password-protected" in error.message


def test_damaged_gzip(ingest_error: IngestFailure) -> None:
    data = gzip.compress(TABLE.encode() * 100)
    error = ingest_error(data[: len(data) // 2])
    assert error.message == "The gzip file is damaged or cut short and could not be read."


def test_expansion_past_the_size_limit(ingest_error: IngestFailure) -> None:
    data = gzip.compress(TABLE.encode() * 50_000)  # about 1.5 MB once unpacked
    error = ingest_error(data, options=IngestOptions(max_decompressed_bytes=1024**2))
    assert error.message == (
        "The compressed file expands past 1 MiB, the largest size accepted after decompression."
    )


def test_zip_bomb_is_stopped_by_the_ratio_guard(ingest_error: IngestFailure) -> None:
    bomb = _zip(("bomb.csv", b"0" * (64 * 1024**2)))  # 64 MiB of zeros, ~65 KB zipped
    assert len(bomb) < 100_000
    options = IngestOptions(expansion_ratio_floor=8 * 1024**2)
    error = ingest_error(bomb, options=options)
    assert error.message.startswith("The compressed file expands past 200 times its own size")


def test_compressed_inside_compressed(ingest_error: IngestFailure) -> None:
    error = ingest_error(gzip.compress(gzip.compress(TABLE.encode())))
    assert isinstance(error, UnsupportedFormat)
    assert error.message == "A compressed file inside a compressed file is not supported."
