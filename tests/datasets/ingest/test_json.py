"""JSON (array of objects, or one member holding it) and NDJSON."""

from __future__ import annotations

import json

import polars as pl

from tests.datasets.ingest.conftest import IngestFailure, IngestRun

RECORDS = [
    {"id": 1, "name": "ann", "score": 2.5, "tags": {"vip": True}},
    {"id": 2, "name": "bo", "score": None, "tags": {"vip": False}},
    {"id": 3, "name": "cy\nline", "score": 4, "tags": {"vip": True}},
]


def _check(frame: pl.DataFrame) -> None:
    assert frame.columns == ["id", "name", "score", "tags"]
    assert frame.schema["id"] == pl.Int64
    assert frame.schema["score"] == pl.Float64
    assert frame["name"].to_list() == ["ann", "bo", "cy\nline"]
    assert frame["score"].to_list() == [2.5, None, 4.0]
    assert frame["tags"].struct.field("vip").to_list() == [True, False, True]


def test_array_of_objects_pretty_printed(ingest: IngestRun) -> None:
    done = ingest(json.dumps(RECORDS, indent=2), name="data.json")
    assert done.result.source_format == "json"
    assert done.result.rows == 3
    _check(done.frame)


def test_object_holding_one_array(ingest: IngestRun) -> None:
    document = {"meta": {"count": 3, "list": None}, "data": RECORDS, "source": "api"}
    done = ingest(json.dumps(document))
    assert done.result.source_format == "json"
    _check(done.frame)


def test_large_array_streams_in_chunks(ingest: IngestRun) -> None:
    records = [{"n": i, "text": "x" * (i % 50)} for i in range(60_000)]
    done = ingest(json.dumps(records))
    assert done.result.rows == 60_000
    assert done.frame["n"].sum() == sum(range(60_000))


def test_ndjson(ingest: IngestRun) -> None:
    lines = "\n".join(json.dumps(record) for record in RECORDS) + "\n\n"
    done = ingest(lines, name="data.ndjson")
    assert done.result.source_format == "ndjson"
    _check(done.frame)


def test_json_with_a_bom_and_utf16(ingest: IngestRun) -> None:
    text = json.dumps([{"city": "K\u00f8benhavn"}, {"city": "\u6771\u4eac"}], ensure_ascii=False)
    assert ingest(b"\xef\xbb\xbf" + text.encode()).frame["city"].to_list() == [
        "K\u00f8benhavn",
        "\u6771\u4eac",
    ]
    assert ingest(text.encode("utf-16")).frame["city"][1] == "\u6771\u4eac"


def test_array_of_non_objects(ingest_error: IngestFailure) -> None:
    error = ingest_error("[1, 2, 3]")
    assert (
        error.message
        == "The JSON array must hold objects (one per row); item 1 is a number or boolean."
    )


def test_object_without_records(ingest_error: IngestFailure) -> None:
    error = ingest_error('{"a": 1, "b": {"c": 2}}')
    assert error.message.startswith("The JSON object holds no array of records")


def test_object_with_two_arrays(ingest_error: IngestFailure) -> None:
    error = ingest_error('{"a": [{"x": 1}], "b": [{"y": 2}]}')
    assert error.message.startswith("The JSON object holds several arrays ('a', 'b')")


def test_broken_json_names_the_line(ingest_error: IngestFailure) -> None:
    error = ingest_error('[\n{"a": 1},\n{"a": 2,,}\n]')
    assert error.message.startswith("The JSON is not valid near line 3:")


def test_empty_array(ingest_error: IngestFailure) -> None:
    assert ingest_error("[]").message == "The JSON file holds no records."


def test_broken_ndjson(ingest_error: IngestFailure) -> None:
    error = ingest_error('{"a": 1}\n{"a": oops}\n')
    assert error.message.startswith("The JSON lines could not be read")
