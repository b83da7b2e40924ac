"""Delimited text structure: dialect, header, names, ragged rows, quotes, bad input."""

from __future__ import annotations

import polars as pl
import pytest

from chatdata.datasets.ingest import UnsupportedFormat
from tests.datasets.ingest.conftest import IngestFailure, IngestRun


@pytest.mark.parametrize(
    ("delimiter", "name"), [(",", "comma"), ("\t", "tab"), (";", "semicolon"), ("|", "pipe")]
)
def test_delimiters_are_sniffed(ingest: IngestRun, delimiter: str, name: str) -> None:
    text = "\n".join(
        delimiter.join(row) for row in [["k", "v", "w"], ["a", "1", "x y"], ["b", "2", "z"]]
    )
    done = ingest(text + "\n", name="data.txt")
    assert done.result.delimiter == delimiter
    assert done.frame.columns == ["k", "v", "w"]
    assert done.frame["v"].to_list() == [1, 2]
    assert done.frame["w"].to_list() == ["x y", "z"]


def test_quoted_values_hold_delimiters_quotes_and_line_breaks(ingest: IngestRun) -> None:
    text = 'id,text,n\r\n1,"a, b",2\r\n2,"say ""hi""",3\r\n3,"two\r\nlines",4\r\n'
    done = ingest(text)
    assert done.frame["text"].to_list() == ["a, b", 'say "hi"', "two\r\nlines"]
    assert done.frame["n"].to_list() == [2, 3, 4]
    assert done.result.warnings == []


def test_single_quotes_as_the_quote_character(ingest: IngestRun) -> None:
    done = ingest("name,city\n'Smith, J',Paris\n'Lee, K','Rome, IT'\n")
    assert done.frame.rows() == [("Smith, J", "Paris"), ("Lee, K", "Rome, IT")]


def test_utf8_bom_is_not_part_of_the_first_name(ingest: IngestRun) -> None:
    done = ingest(b"\xef\xbb\xbfid,name\n1,x\n")
    assert done.result.encoding == "utf-8-sig"
    assert done.frame.columns == ["id", "name"]


def test_a_file_without_header_gets_positional_names(ingest: IngestRun) -> None:
    done = ingest("1,2.5,2024-01-01,x\n2,3.5,2024-01-02,y\n")
    assert done.frame.columns == ["column_1", "column_2", "column_3", "column_4"]
    assert done.frame.schema["column_3"] == pl.Date
    assert done.result.rows == 2
    assert "The file has no header row." in done.result.warnings


def test_duplicate_and_empty_header_names_are_made_unique(ingest: IngestRun) -> None:
    done = ingest("a,a,, b ,a,\n1,2,3,4,5,6\n")
    assert done.result.columns == ["a", "a_2", "column_3", "b", "a_3", "column_6"]
    assert done.frame.columns == done.result.columns
    assert done.frame.row(0) == (1, 2, 3, 4, 5, 6)
    assert "Columns with an empty header were named by position (3, 6)." in done.result.warnings
    assert 'Repeated column names were made unique: "a" -> "a_2", "a" -> "a_3".' in (
        done.result.warnings
    )


def test_short_rows_are_padded_and_counted(ingest: IngestRun) -> None:
    text = "a,b,c,d\n1,2,3,4\n5,6\n7,8,9,10\n11,12,13\n"
    done = ingest(text)
    assert done.frame.rows() == [
        (1, 2, 3, 4),
        (5, 6, None, None),
        (7, 8, 9, 10),
        (11, 12, 13, None),
    ]
    assert done.result.warnings == [
        "2 rows had fewer than 4 fields; the missing values were left empty "
        "(the first such row is on line 3)."
    ]


def test_a_row_with_too_many_fields_fails_with_its_line(ingest_error: IngestFailure) -> None:
    lines = ["a,b,c,d,e"] + ["1,2,3,4,5"] * 2039 + ["1,2,3,4,5,6,7", "1,2,3,4,5"]
    error = ingest_error("\n".join(lines) + "\n")
    assert error.code == "ingest_failed"
    assert error.message.startswith("Line 2,041 has 7 fields, expected 5")


def test_a_long_row_after_a_multiline_value_reports_the_physical_line(
    ingest_error: IngestFailure,
) -> None:
    lines = ["a,b"] + [f"{i},x" for i in range(150_000)] + ['1,"x\ny"', "1,2,3"]
    error = ingest_error("\n".join(lines) + "\n")
    assert error.message.startswith("Line 150,004 has 3 fields, expected 2")


def test_blank_lines_and_empty_rows_are_skipped(ingest: IngestRun) -> None:
    done = ingest("a,b\n1,2\n\n,\n3,\r\n\n")
    assert done.frame.rows() == [(1, 2), (3, None)]
    assert done.result.warnings == ["1 row had no values and was skipped."]


def test_an_unterminated_quote_fails_with_its_line(ingest_error: IngestFailure) -> None:
    error = ingest_error('a,b\n1,x\n2,"oops\n3,z\n4,w\n')
    assert error.message == (
        "A quoted value that starts on line 3 is never closed properly; check the quote "
        "characters around it."
    )


def test_an_unterminated_quote_after_the_sample(ingest_error: IngestFailure) -> None:
    lines = ["a,b"] + [f"{i},{i}" for i in range(120_000)] + ['5,"open', "6,7"]
    error = ingest_error("\n".join(lines) + "\n")
    assert "starts on line 120,002 is never closed" in error.message


def test_ten_thousand_columns(ingest: IngestRun) -> None:
    header = ",".join(f"c{i}" for i in range(10_000))
    rows = [",".join(str(i * r) for i in range(10_000)) for r in range(3)]
    done = ingest("\n".join([header, *rows]) + "\n")
    assert done.frame.shape == (3, 10_000)
    assert done.frame.columns[-1] == "c9999"
    assert done.frame["c9999"].to_list() == [0, 9999, 19998]
    assert done.frame.schema["c5"] == pl.Int64


def test_a_five_megabyte_cell(ingest: IngestRun) -> None:
    big = "x" * (5 * 1024 * 1024)
    done = ingest(f'id,blob,n\n1,"{big}",2\n2,small,3\n')
    assert done.frame["blob"].str.len_bytes().to_list() == [5 * 1024 * 1024, 5]
    assert done.frame["n"].to_list() == [2, 3]


def test_empty_file(ingest_error: IngestFailure) -> None:
    error = ingest_error(b"", name="data.csv")
    assert isinstance(error, UnsupportedFormat)
    assert error.message == "The file is empty."


def test_header_only(ingest_error: IngestFailure) -> None:
    assert ingest_error("a,b,c\n").message == "The file has a header but no data rows."
    assert ingest_error("a,b,c\n\n\n").message == "The file has a header but no data rows."


def test_a_single_row_of_numbers_is_data(ingest: IngestRun) -> None:
    done = ingest("1,2,3\n")
    assert done.frame.rows() == [(1, 2, 3)]
    assert done.frame.columns == ["column_1", "column_2", "column_3"]


def test_binary_garbage_named_csv(ingest_error: IngestFailure) -> None:
    garbage = bytes((i * 7919) % 256 for i in range(20_000))
    error = ingest_error(garbage, name="data.csv")
    assert isinstance(error, UnsupportedFormat)
    assert error.status_code == 415
    assert "binary data" in error.message


def test_progress_is_reported_from_start_to_end(ingest: IngestRun) -> None:
    done = ingest("a\n1\n")
    percents = [percent for percent, _ in done.progress]
    assert percents[0] == 0
    assert percents[-1] == 100
    assert percents == sorted(percents)
    assert any("Converting" in message for _, message in done.progress)
    assert done.progress[-1][1] == "Converted 1 row and 1 column"


def test_blank_lines_before_the_header(ingest: IngestRun) -> None:
    done = ingest("\r\n\r\nid,name\r\n1,x\r\n2,y\r\n")
    assert done.result.columns == ["id", "name"]
    assert done.frame.rows() == [(1, "x"), (2, "y")]


def test_classic_mac_line_endings(ingest: IngestRun) -> None:
    done = ingest('id,text,n\r1,"a\rb",2\r2,c\r3,d,4\r')
    assert done.frame.rows() == [(1, "a\rb", 2), (2, "c", None), (3, "d", 4)]
    assert done.result.warnings == [
        "1 row had fewer than 3 fields; the missing values were left empty "
        "(the first such row is on line 4)."
    ]


def test_short_rows_after_the_sample_are_counted_too(ingest: IngestRun) -> None:
    lines = ["a,b,c"] + [f"{i},x,{i}" for i in range(150_000)] + ["7,y", "8,z,9", "10"]
    done = ingest("\n".join(lines) + "\n")
    assert done.frame.height == 150_003
    assert done.frame.tail(3).rows() == [(7, "y", None), (8, "z", 9), (10, None, None)]
    assert done.result.warnings == [
        "2 rows had fewer than 3 fields; the missing values were left empty "
        "(the first such row is on line 150,002)."
    ]
