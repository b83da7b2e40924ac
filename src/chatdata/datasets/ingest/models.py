"""What a caller passes to ingest and what it gets back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SourceFormat = Literal["csv", "excel", "parquet", "json", "ndjson"]
Compression = Literal["gzip", "zip"]

GIB = 1024**3


@dataclass(frozen=True)
class IngestOptions:
    """Choices the person made at upload time, and the safety limits of the conversion."""

    sheet: str | int | None = None
    """Excel sheet by name or 0-based index; the first sheet when None."""
    max_decompressed_bytes: int = 5 * GIB
    """A gzip or zip upload may not expand past this many bytes (zip-bomb guard)."""
    max_expansion_ratio: int = 200
    """A gzip or zip upload may not expand past this multiple of its own size once it is
    past `expansion_ratio_floor` bytes (real tables compress 5-20x, bombs 1000x)."""
    expansion_ratio_floor: int = 256 * 1024**2


@dataclass
class IngestResult:
    """What the conversion found and did, in terms the UI can show."""

    source_format: SourceFormat
    compression: Compression | None
    encoding: str | None
    delimiter: str | None
    rows: int
    columns: list[str]
    warnings: list[str] = field(default_factory=list)
    sheet: str | None = None
    """The Excel sheet that was read, by name (None for other formats)."""
