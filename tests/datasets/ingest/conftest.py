"""Fixtures for ingest tests: run a real conversion of bytes written to tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from chatdata.datasets.ingest import IngestError, IngestOptions, IngestResult, ingest_to_parquet


@dataclass
class Ingested:
    """A finished ingest: what it reported and the Parquet it wrote."""

    result: IngestResult
    frame: pl.DataFrame
    progress: list[tuple[int, str]]


IngestRun = Callable[..., Ingested]
IngestFailure = Callable[..., IngestError]


def _paths(tmp_path: Path, content: bytes | str, name: str) -> tuple[Path, Path, Path]:
    src = tmp_path / name
    src.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    out_dir = tmp_path / "out"
    work = tmp_path / "work"
    out_dir.mkdir(exist_ok=True)
    work.mkdir(exist_ok=True)
    return src, out_dir / "data.parquet", work


@pytest.fixture
def ingest(tmp_path: Path) -> IngestRun:
    """Convert `content` (str is written as UTF-8) and read the Parquet back."""

    def run(
        content: bytes | str, *, name: str = "upload.bin", options: IngestOptions | None = None
    ) -> Ingested:
        src, dst, work = _paths(tmp_path, content, name)
        calls: list[tuple[int, str]] = []
        result = ingest_to_parquet(
            src,
            dst,
            options=options,
            progress=lambda percent, message: calls.append((percent, message)),
            work_dir=work,
        )
        assert list(work.iterdir()) == []
        assert [p.name for p in dst.parent.iterdir()] == ["data.parquet"]
        return Ingested(result, pl.read_parquet(dst), calls)

    return run


@pytest.fixture
def ingest_error(tmp_path: Path) -> IngestFailure:
    """Convert `content` expecting an IngestError; check nothing was left behind."""

    def run(
        content: bytes | str, *, name: str = "upload.bin", options: IngestOptions | None = None
    ) -> IngestError:
        src, dst, work = _paths(tmp_path, content, name)
        with pytest.raises(IngestError) as caught:
            ingest_to_parquet(src, dst, options=options, work_dir=work)
        assert list(work.iterdir()) == []
        assert list(dst.parent.iterdir()) == []
        return caught.value

    return run
