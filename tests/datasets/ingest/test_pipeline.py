"""The entry point's promises: atomic output, clean scratch space, one error type."""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from chatdata.datasets.ingest import IngestError, ingest_to_parquet
from chatdata.errors import ValidationFailed
from tests.datasets.ingest.spreadsheets import xlsx


def test_output_replaces_an_old_file_only_on_success(tmp_path: Path) -> None:
    dst = tmp_path / "data.parquet"
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text("a\n1\n")
    bad.write_text("a,b\n1,2,3\n")
    ingest_to_parquet(good, dst)
    with pytest.raises(IngestError):
        ingest_to_parquet(bad, dst)
    assert pl.read_parquet(dst)["a"].to_list() == [1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "data.parquet", "good.csv"]
    good.write_text("a\n7\n8\n")
    ingest_to_parquet(good, dst)
    assert pl.read_parquet(dst)["a"].to_list() == [7, 8]


def test_scratch_space_defaults_to_the_system_temp_dir_and_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    src = tmp_path / "latin.csv"
    src.write_bytes("name\ncaf\u00e9\nna\u00efve\n".encode("cp1252"))
    result = ingest_to_parquet(src, tmp_path / "out.parquet")
    assert result.encoding == "cp1252"
    assert list(system_temp.iterdir()) == []


def test_errors_are_validation_failures_with_one_code(tmp_path: Path) -> None:
    src = tmp_path / "x.csv"
    src.write_text("a\n")
    with pytest.raises(IngestError) as caught:
        ingest_to_parquet(src, tmp_path / "out.parquet")
    assert isinstance(caught.value, ValidationFailed)
    assert caught.value.status_code == 422
    assert caught.value.to_body() == {
        "error": {
            "code": "ingest_failed",
            "message": "The file has a header but no data rows.",
            "details": None,
        }
    }


def test_result_is_a_plain_dataclass(tmp_path: Path) -> None:
    src = tmp_path / "x.tsv"
    src.write_text("k\tv\na\t1\n")
    result = ingest_to_parquet(src, tmp_path / "out.parquet")
    assert asdict(result) == {
        "source_format": "csv",
        "compression": None,
        "encoding": "utf-8",
        "delimiter": "\t",
        "rows": 1,
        "columns": ["k", "v"],
        "warnings": [],
        "sheet": None,
    }


def test_a_missing_source_is_an_ingest_error_without_paths(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        ingest_to_parquet(tmp_path / "gone.csv", tmp_path / "out.parquet")
    assert caught.value.message == "The uploaded file could not be read or converted."
    assert str(tmp_path) not in caught.value.message


def test_every_format_is_stored_as_lz4_parquet(tmp_path: Path) -> None:
    """One codec for stored versions (see `chatdata.parquet`), whatever the upload was."""
    sources = {
        "a.csv": b"a,b\n1,x\n2,y\n",
        "a.ndjson": b'{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\n',
        "a.json": b'[{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]',
    }
    frame = pl.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    frame.write_parquet(tmp_path / "zstd.parquet", compression="zstd")
    (tmp_path / "a.xlsx").write_bytes(xlsx({"Sheet1": [["a", "b"], [1, "x"], [2, "y"]]}))
    paths = [tmp_path / "zstd.parquet", tmp_path / "a.xlsx"]
    for name, content in sources.items():
        (tmp_path / name).write_bytes(content)
        paths.append(tmp_path / name)
    for src in paths:
        out = tmp_path / f"{src.name}.out.parquet"
        ingest_to_parquet(src, out)
        column = pq.ParquetFile(out).metadata.row_group(0).column(0)
        assert column.compression.startswith("LZ4"), (src.name, column.compression)
        assert pl.read_parquet(out).to_dicts() == frame.to_dicts()
