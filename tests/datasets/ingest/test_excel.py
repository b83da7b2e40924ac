"""Workbooks: xlsx (named or numbered sheet), xls, ods, and sheets with nothing to read."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import polars as pl

from chatdata.datasets.ingest import IngestOptions, UnsupportedFormat
from tests.datasets.ingest.conftest import IngestFailure, IngestRun
from tests.datasets.ingest.spreadsheets import ods, xls, xlsx

NOTES = [["only", "notes"], ["x", "y"]]
SALES = [
    ["order", "amount", "day", "at", "paid", "sku", "when_text"],
    [1, 9.5, dt.date(2024, 1, 31), dt.datetime(2024, 1, 31, 9, 30), True, "00123", "2024-02-01"],
    [2, 12.0, dt.date(2024, 2, 1), dt.datetime(2024, 2, 1, 18, 0), False, "00124", "N/A"],
    [3, None, dt.date(2024, 2, 2), None, True, "00125", "2024-02-03"],
]


def test_named_sheet_with_typed_columns(ingest: IngestRun) -> None:
    data = xlsx({"Notes": NOTES, "Sales": SALES})
    done = ingest(data, name="book.xlsx", options=IngestOptions(sheet="Sales"))
    assert done.result.source_format == "excel"
    assert done.result.sheet == "Sales"
    assert done.result.encoding is None and done.result.delimiter is None
    assert done.result.rows == 3
    assert done.frame.schema == pl.Schema(
        {
            "order": pl.Int64,
            "amount": pl.Float64,
            "day": pl.Date,
            "at": pl.Datetime("ms"),
            "paid": pl.Boolean,
            "sku": pl.String,
            "when_text": pl.Date,
        }
    )
    assert done.frame["order"].to_list() == [1, 2, 3]
    assert done.frame["amount"].to_list() == [9.5, 12.0, None]
    assert done.frame["day"][0] == dt.date(2024, 1, 31)
    assert done.frame["at"][1] == dt.datetime(2024, 2, 1, 18, 0)
    assert done.frame["sku"].to_list() == ["00123", "00124", "00125"]
    assert done.frame["when_text"].to_list() == [dt.date(2024, 2, 1), None, dt.date(2024, 2, 3)]


def test_sheet_by_index_and_by_default(ingest: IngestRun) -> None:
    data = xlsx({"Notes": NOTES, "Sales": SALES})
    assert ingest(data, options=IngestOptions(sheet=1)).result.sheet == "Sales"
    first = ingest(data)
    assert first.result.sheet == "Notes"
    assert first.frame.rows() == [("x", "y")]


def test_sheet_names_match_regardless_of_case(ingest: IngestRun) -> None:
    data = xlsx({"Notes": NOTES, "Sales": SALES})
    assert ingest(data, options=IngestOptions(sheet="sales")).result.sheet == "Sales"


def test_unknown_sheet_name_lists_the_sheets(ingest_error: IngestFailure) -> None:
    data = xlsx({"Notes": NOTES, "Sales": SALES})
    error = ingest_error(data, options=IngestOptions(sheet="Costs"))
    assert (
        error.message == 'The workbook has no sheet named "Costs"; its sheets are "Notes", "Sales".'
    )
    error = ingest_error(data, options=IngestOptions(sheet=5))
    assert error.message == "The workbook has 2 sheet(s); there is no sheet number 6."


def test_sheet_of_formulas_without_saved_results(ingest_error: IngestFailure) -> None:
    data = xlsx({"Calc": [["a", "b"], ["=1+1", "=A2*3"], ["=2+2", "=A3*3"]]})
    error = ingest_error(data)
    assert error.message.startswith('Sheet "Calc" has formulas but no saved results')
    assert "save it again" in error.message


def test_empty_and_header_only_sheets(ingest_error: IngestFailure) -> None:
    data = xlsx({"Blank": [], "Head": [["a", "b"]]})
    assert ingest_error(data).message == 'Sheet "Blank" is empty.'
    error = ingest_error(data, options=IngestOptions(sheet="Head"))
    assert error.message == 'Sheet "Head" has a header but no data rows.'


def test_duplicate_and_empty_headers_and_empty_rows(ingest: IngestRun) -> None:
    data = xlsx(
        {"S": [["a", "a", None, "b"], [1, 2, 3, 4], [None, None, None, None], [5, 6, 7, 8]]}
    )
    done = ingest(data)
    assert done.result.columns == ["a", "a_2", "column_3", "b"]
    assert done.frame.rows() == [(1, 2, 3, 4), (5, 6, 7, 8)]


def test_a_sheet_that_starts_with_numbers_has_no_header(ingest: IngestRun) -> None:
    done = ingest(xlsx({"S": [[1, "x"], [2, "y"]]}))
    assert done.result.columns == ["column_1", "column_2"]
    assert done.frame.rows() == [(1, "x"), (2, "y")]


def test_legacy_xls(ingest: IngestRun) -> None:
    data = xls({"Data": [["id", "name", "score"], [1, "ann", 2.5], [2, "bo", 3.0]]})
    done = ingest(data, name="old.xls")
    assert done.result.source_format == "excel"
    assert done.frame.schema == pl.Schema({"id": pl.Int64, "name": pl.String, "score": pl.Float64})
    assert done.frame.rows() == [(1, "ann", 2.5), (2, "bo", 3.0)]


def test_opendocument_spreadsheet(ingest: IngestRun) -> None:
    data = ods({"Alpha": [["x", "y"], [1, "a"], [2, "b"]], "Beta": [["k"], [3.5], [4.25]]})
    done = ingest(data, name="sheet.ods", options=IngestOptions(sheet="Beta"))
    assert done.result.sheet == "Beta"
    assert done.frame["k"].to_list() == [3.5, 4.25]
    assert ingest(data).frame.rows() == [(1, "a"), (2, "b")]


def test_a_word_document_is_refused(ingest_error: IngestFailure) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    error = ingest_error(buffer.getvalue(), name="letter.xlsx")
    assert isinstance(error, UnsupportedFormat)
    assert error.message == "The file is a Word document, not a table."


def test_a_damaged_workbook(ingest_error: IngestFailure) -> None:
    data = xlsx({"S": [["a"], [1]]})
    broken = data[: len(data) // 2]
    assert ingest_error(broken).message.startswith("The workbook could not be opened")


def test_a_workbook_stored_inside_a_zip(ingest: IngestRun) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("report.xlsx", xlsx({"Sales": SALES}))
    done = ingest(buffer.getvalue(), name="report.zip")
    assert (done.result.source_format, done.result.compression) == ("excel", "zip")
    assert done.result.sheet == "Sales"
    assert done.frame["order"].to_list() == [1, 2, 3]
