"""`ingest_to_parquet`: any supported upload -> one Parquet file, written atomically."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

from chatdata.datasets.ingest.compression import gunzip, unzip_single
from chatdata.datasets.ingest.csv_ingest import ingest_delimited
from chatdata.datasets.ingest.encoding import TextEncoding, detect_encoding, transcode_to_utf8
from chatdata.datasets.ingest.errors import IngestError, UnsupportedFormat, short_text
from chatdata.datasets.ingest.excel_ingest import ingest_excel
from chatdata.datasets.ingest.formats import DetectedFormat, detect_format
from chatdata.datasets.ingest.json_ingest import ingest_json, ingest_ndjson
from chatdata.datasets.ingest.models import Compression, IngestOptions, IngestResult
from chatdata.datasets.ingest.parquet_ingest import ingest_parquet

log = logging.getLogger("chatdata.ingest")

HEAD_BYTES = 64 * 1024
Progress = Callable[[int, str], None]


def ingest_to_parquet(
    src: Path,
    dst: Path,
    *,
    options: IngestOptions | None = None,
    progress: Progress | None = None,
    work_dir: Path | None = None,
) -> IngestResult:
    """Convert the uploaded file `src` into the Parquet file `dst`.

    The format is told by content, never by name; gzip and single-file zip uploads are
    unpacked first. `dst` appears only when the conversion succeeded (temp file + rename
    in its folder); scratch files go to a private folder under `work_dir` (the system
    temp dir by default) that is removed afterwards. Every failure is an `IngestError`
    whose message a person understands.
    """
    report = progress or _no_progress
    partial = dst.with_name(f".{dst.name}.{uuid.uuid4().hex}.partial")
    scratch = Path(tempfile.mkdtemp(prefix="ingest-", dir=work_dir))
    try:
        report(0, "Reading the file")
        result = _ingest(src, partial, options or IngestOptions(), report, scratch)
        os.replace(partial, dst)
    except IngestError:
        raise
    except MemoryError as exc:
        raise IngestError("The file needs more memory to convert than the server has.") from exc
    except OSError as exc:
        log.warning("ingest of %s failed on the file system", src.name, exc_info=True)
        raise IngestError("The uploaded file could not be read or converted.") from exc
    except Exception as exc:
        log.warning("ingest of %s failed unexpectedly", src.name, exc_info=True)
        reason = _without_paths(short_text(exc), src, dst, scratch)
        raise IngestError(f"The file could not be read as a table: {reason}") from exc
    finally:
        partial.unlink(missing_ok=True)
        shutil.rmtree(scratch, ignore_errors=True)
    report(
        100, f"Converted {_count(result.rows, 'row')} and {_count(len(result.columns), 'column')}"
    )
    return result


def _no_progress(percent: int, message: str) -> None:
    """The default progress callback: ignore."""


def _without_paths(text: str, *paths: Path) -> str:
    """Server paths are nobody's business: cut them out of a message meant for a person."""
    for path in paths:
        for folder in (str(path), str(path.parent)):
            text = text.replace(folder, "")
    return text


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _ingest(
    src: Path, out: Path, options: IngestOptions, report: Progress, scratch: Path
) -> IngestResult:
    head = _read_head(src)
    kind = _resolve_zip(src, detect_format(head))
    compression: Compression | None = None
    notes: list[str] = []
    if kind in ("gzip", "zip"):
        src, compression, note = _decompress(src, kind, options, scratch)
        notes += [note] if note else []
        report(10, "Unpacked the compressed file")
        head = _read_head(src)
        kind = _resolve_zip(src, detect_format(head))
        if kind in ("gzip", "zip"):
            raise UnsupportedFormat("A compressed file inside a compressed file is not supported.")
    result = _convert(src, out, kind, head, options, report, scratch)
    result.compression = compression
    result.warnings = notes + result.warnings
    return result


def _read_head(path: Path) -> bytes:
    with path.open("rb") as reader:
        return reader.read(HEAD_BYTES)


def _decompress(
    src: Path, kind: DetectedFormat, options: IngestOptions, scratch: Path
) -> tuple[Path, Compression, str | None]:
    inner = scratch / "unpacked"
    if kind == "gzip":
        gunzip(src, inner, options)
        return inner, "gzip", None
    name = unzip_single(src, inner, options)
    return inner, "zip", f'Read "{name}" from the zip file.'


def _resolve_zip(path: Path, kind: DetectedFormat) -> DetectedFormat:
    """Look inside a zip: a workbook is excel, Word and PowerPoint are refused, and any
    other zip (even one whose first stored entry is itself a workbook) is an archive."""
    if kind not in ("excel", "zip") or not zipfile.is_zipfile(path):
        return kind  # OLE2 .xls, or a damaged workbook for calamine to report
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    if names & {"xl/workbook.xml", "xl/workbook.bin", "content.xml"}:
        return "excel"
    if "word/document.xml" in names:
        raise UnsupportedFormat("The file is a Word document, not a table.")
    if "ppt/presentation.xml" in names:
        raise UnsupportedFormat("The file is a PowerPoint presentation, not a table.")
    return "zip"


def _convert(
    src: Path,
    out: Path,
    kind: DetectedFormat,
    head: bytes,
    options: IngestOptions,
    report: Progress,
    scratch: Path,
) -> IngestResult:
    if kind == "csv":
        csv = ingest_delimited(src, out, head, scratch, report)
        return IngestResult(
            "csv", None, csv.encoding.name, csv.delimiter, csv.rows, csv.columns, csv.notes
        )
    report(30, f"Converting {kind} to Parquet")
    if kind == "excel":
        sheet = ingest_excel(src, out, options.sheet)
        result = IngestResult("excel", None, None, None, sheet.rows, sheet.columns, sheet.notes)
        result.sheet = sheet.sheet
        return result
    if kind == "parquet":
        rows, columns, notes = ingest_parquet(src, out)
        return IngestResult("parquet", None, None, None, rows, columns, notes)
    encoding = detect_encoding(head)
    text = _utf8_text(src, encoding, scratch)
    if kind == "ndjson":
        rows, columns, notes = ingest_ndjson(text, out)
        return IngestResult("ndjson", None, encoding.name, None, rows, columns, notes)
    rows, columns, notes = ingest_json(text, out, scratch)
    return IngestResult("json", None, encoding.name, None, rows, columns, notes)


def _utf8_text(src: Path, encoding: TextEncoding, scratch: Path) -> Path:
    """JSON text as plain UTF-8 (a BOM or UTF-16 input is rewritten in the scratch dir)."""
    if encoding.codec == "utf-8":
        return src
    decoded = scratch / "decoded.json"
    transcode_to_utf8(src, decoded, encoding)
    return decoded
