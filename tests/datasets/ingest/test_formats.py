"""Format detection by content, never by file name."""

from __future__ import annotations

import gzip
import io
import zipfile

import openpyxl
import polars as pl
import pytest

from chatdata.datasets.ingest import IngestError, UnsupportedFormat, detect_format
from chatdata.errors import UnsupportedMediaType


def _xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["a"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip_bytes(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def _parquet_bytes() -> bytes:
    buffer = io.BytesIO()
    pl.DataFrame({"a": [1]}).write_parquet(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"a,b\n1,2\n", "csv"),
        (b"\xef\xbb\xbfa;b\n1;2\n", "csv"),
        ("a\tb\n1\tcaf\u00e9\n".encode("cp1252"), "csv"),
        ("id,\u540d\u524d\n1,\u5c71\u7530\n".encode("utf-16"), "csv"),
        (b'[{"a": 1}, {"a": 2}]', "json"),
        (b'{\n  "data": [{"a": 1}]\n}', "json"),
        (b'{"a": 1}\n{"a": 2}\n', "ndjson"),
        (b"\x1f\x8b\x08\x00rest", "gzip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "excel"),
    ],
)
def test_text_and_magic_numbers(head: bytes, expected: str) -> None:
    assert detect_format(head) == expected


def test_containers_are_told_apart_by_their_first_entry() -> None:
    assert detect_format(_xlsx_bytes()[:65536]) == "excel"
    assert detect_format(_zip_bytes("data.csv", b"a\n1\n")) == "zip"
    assert detect_format(_parquet_bytes()) == "parquet"
    assert detect_format(gzip.compress(b"a\n1\n")) == "gzip"


@pytest.mark.parametrize(
    ("head", "fragment"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (bytes(range(256)) * 4, "binary data"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "PNG"),
        (b"x" * 257 + b"ustar\x0000" + b"\x00" * 100, "tar archive"),
    ],
)
def test_refusals_name_the_problem(head: bytes, fragment: str) -> None:
    with pytest.raises(UnsupportedFormat) as caught:
        detect_format(head)
    assert fragment in caught.value.message
    assert isinstance(caught.value, IngestError)
    assert isinstance(caught.value, UnsupportedMediaType)
    assert caught.value.status_code == 415
