"""Tell what a file is from its first bytes, never from its name."""

from __future__ import annotations

import json
from typing import Literal

from chatdata.datasets.ingest.errors import UnsupportedFormat

DetectedFormat = Literal["csv", "excel", "parquet", "json", "ndjson", "gzip", "zip"]

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OFFICE_ENTRY_NAMES = (
    b"[Content_Types].xml",
    b"docProps/",
    b"xl/",
    b"_rels/.rels",
    b"mimetypeapplication/vnd.oasis.opendocument",
)
_OTHER_BINARIES: dict[bytes, str] = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"BZh91AY&SY": "a bzip2 archive (use gzip or zip)",
    b"\xfd7zXZ": "an xz archive (use gzip or zip)",
    b"7z\xbc\xaf": "a 7-Zip archive (use gzip or zip)",
    b"Rar!": "a RAR archive (use gzip or zip)",
    b"\x28\xb5\x2f\xfd": "a zstd archive (use gzip or zip)",
    b"SQLite format 3": "an SQLite database",
    b"\x7fELF": "a program",
    b"ARROW1": "an Arrow IPC file (use Parquet)",
}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def detect_format(head: bytes) -> DetectedFormat:
    """Classify a file by its first bytes (64 KiB is plenty).

    Returns csv (any delimited text), excel (xlsx, xlsm, xlsb, ods, xls), parquet, json,
    ndjson, gzip or zip. A zip is reported as excel when its first entries are Office or
    OpenDocument parts; `ingest_to_parquet` looks inside to be sure. Raises
    `UnsupportedFormat` for empty files and content that is not a table.
    """
    if not head.strip():
        raise UnsupportedFormat("The file is empty.")
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(_ZIP_MAGIC):
        return "excel" if _names_office_parts(head) else "zip"
    if head.startswith(_OLE2_MAGIC):
        return "excel"
    _refuse_known_binary(head)
    text = _decode_head(head)
    if text is None:
        raise UnsupportedFormat(
            "The file does not look like a table: it holds binary data, not text. "
            "Upload CSV, TSV, Excel, Parquet or JSON."
        )
    return _classify_text(text)


def _names_office_parts(head: bytes) -> bool:
    """Office and OpenDocument zips name their parts in the first local headers."""
    return any(name in head for name in _OFFICE_ENTRY_NAMES)


def _refuse_known_binary(head: bytes) -> None:
    if len(head) > 262 and head[257:262] == b"ustar":
        raise UnsupportedFormat(
            "The file is a tar archive; upload the table itself, gzip-compressed or in a zip."
        )
    for magic, what in _OTHER_BINARIES.items():
        if head.startswith(magic):
            raise UnsupportedFormat(f"The file is {what}, not a table.")


def _decode_head(head: bytes) -> str | None:
    """The head as text if it is text in some encoding we read, else None."""
    if head.startswith(_BOMS[1:]) or _looks_like_utf16(head):
        little = head.startswith(b"\xff\xfe") or head[1:2] == b"\x00"
        encoding = "utf-16-le" if little else "utf-16-be"
        text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    else:
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not text.strip():
        return None
    controls = sum(1 for char in text if char < " " and char not in "\t\r\n\f")
    if "\x00" in text or controls > max(2, len(text) // 100):
        return None
    return text


def _looks_like_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: ASCII-range text with every other byte zero."""
    sample = head[:2048]
    if len(sample) < 4:
        return False
    even_zero = sample[0::2].count(0) / len(sample[0::2])
    odd_zero = sample[1::2].count(0) / len(sample[1::2])
    return max(even_zero, odd_zero) > 0.4 and min(even_zero, odd_zero) < 0.05


def _classify_text(text: str) -> DetectedFormat:
    stripped = text.lstrip()
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        return "ndjson" if _first_line_is_object(stripped) else "json"
    return "csv"


def _first_line_is_object(text: str) -> bool:
    """NDJSON when the first line is a whole JSON object and more text follows."""
    first, newline, rest = text.partition("\n")
    if not newline:
        return False
    try:
        value = json.loads(first)
    except ValueError:
        return False
    return isinstance(value, dict) and bool(rest.strip())
