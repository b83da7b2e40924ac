"""Dataset ingest: turn one uploaded file (CSV/TSV, Excel, Parquet, JSON, NDJSON, gzip or
zip of one of those) into one Parquet file, streaming, with types inferred from values.

Entry points: `detect_format` (what is this upload, by content) and `ingest_to_parquet`.
"""

from chatdata.datasets.ingest.errors import IngestError, UnsupportedFormat
from chatdata.datasets.ingest.formats import detect_format
from chatdata.datasets.ingest.models import IngestOptions, IngestResult
from chatdata.datasets.ingest.pipeline import ingest_to_parquet

__all__ = [
    "IngestError",
    "IngestOptions",
    "IngestResult",
    "UnsupportedFormat",
    "detect_format",
    "ingest_to_parquet",
]
