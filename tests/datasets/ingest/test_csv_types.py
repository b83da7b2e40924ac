"""Type inference on delimited text: decided on the values, checked on every value."""

from __future__ import annotations

import datetime as dt

import polars as pl

from tests.datasets.ingest.conftest import IngestRun


def test_mixed_columns_get_exact_types_and_values(ingest: IngestRun) -> None:
    text = (
        "id,name,amount,day,flag,when\n"
        "1,alice,3.5,2024-01-31,true,2024-01-31 10:15:00\n"
        "2,bob,,2024-02-01,false,2024-02-01T08:00:00.5\n"
        "3,carol,-1e3,2024-02-29,TRUE,2024-02-29 23:59:59\n"
    )
    done = ingest(text)
    assert done.result.source_format == "csv"
    assert done.result.delimiter == ","
    assert done.result.encoding == "utf-8"
    assert done.result.rows == 3
    assert done.frame.schema == pl.Schema(
        {
            "id": pl.Int64,
            "name": pl.String,
            "amount": pl.Float64,
            "day": pl.Date,
            "flag": pl.Boolean,
            "when": pl.Datetime("us"),
        }
    )
    assert done.frame["amount"].to_list() == [3.5, None, -1000.0]
    assert done.frame["day"].to_list() == [
        dt.date(2024, 1, 31),
        dt.date(2024, 2, 1),
        dt.date(2024, 2, 29),
    ]
    assert done.frame["when"][1] == dt.datetime(2024, 2, 1, 8, 0, 0, 500000)
    assert done.frame["flag"].to_list() == [True, False, True]


def test_integer_column_with_a_late_decimal_becomes_float(ingest: IngestRun) -> None:
    lines = ["n,label"] + [f"{i},x" for i in range(50_000)] + ["3.5,y", "7,z"]
    done = ingest("\n".join(lines) + "\n")
    assert done.frame.schema["n"] == pl.Float64
    assert done.frame["n"][50_000] == 3.5
    assert done.frame["n"][49_999] == 49_999.0
    assert done.result.rows == 50_002


def test_a_misfit_after_the_sample_widens_the_column_and_says_so(ingest: IngestRun) -> None:
    rows = 250_000  # beyond the 100,000-row sample
    lines = ["n,when,flag"] + [f"{i},2024-01-01,true" for i in range(rows)]
    lines += ["2.25,2024-01-02 10:30:00,yes"]
    done = ingest("\n".join(lines) + "\n")
    frame = done.frame
    assert frame.schema == pl.Schema(
        {"n": pl.Float64, "when": pl.Datetime("us"), "flag": pl.Boolean}
    )
    assert frame["n"][-1] == 2.25
    assert frame["when"][-1] == dt.datetime(2024, 1, 2, 10, 30)
    assert frame["when"][0] == dt.datetime(2024, 1, 1)
    assert frame["flag"][-1] is True
    assert frame.height == rows + 1
    widened = [w for w in done.result.warnings if "later in the file" in w]
    assert len(widened) == 2  # "yes" is still a boolean: nothing to report for "flag"
    assert 'Column "n" was read as float instead of integer' in widened[0]
    assert 'Column "when" was read as datetime (iso) instead of date (iso)' in widened[1]


def test_late_text_in_a_number_column_turns_it_into_text(ingest: IngestRun) -> None:
    lines = ["code"] + [str(i) for i in range(120_000)] + ["A-17"]
    done = ingest("\n".join(lines) + "\n")
    assert done.frame.schema["code"] == pl.String
    assert done.frame["code"][0] == "0"
    assert done.frame["code"][-1] == "A-17"


def test_null_tokens_anywhere_are_nulls(ingest: IngestRun) -> None:
    text = "a,b,c\n1,x,2.5\nN/A,NA,7\n-,y,\n4,null,NaN\n5,-,1\nNA,null,-\n"
    done = ingest(text)
    assert done.frame.schema == pl.Schema({"a": pl.Int64, "b": pl.String, "c": pl.Float64})
    assert done.frame["a"].to_list() == [1, None, None, 4, 5, None]
    assert done.frame["b"].to_list() == ["x", None, "y", None, None, None]
    assert done.frame["c"].to_list() == [2.5, 7.0, None, None, 1.0, None]
    assert done.frame.null_count().row(0) == (3, 4, 3)
    assert done.result.warnings == []


def test_null_tokens_after_the_sample_keep_the_number_type(ingest: IngestRun) -> None:
    lines = ["v"] + [str(i) for i in range(110_000)] + ["N/A", "-", "5"]
    done = ingest("\n".join(lines) + "\n")
    assert done.frame.schema["v"] == pl.Int64
    assert done.frame["v"].tail(3).to_list() == [None, None, 5]
    assert done.frame["v"].null_count() == 2


def test_identifiers_with_leading_zeros_stay_text(ingest: IngestRun) -> None:
    done = ingest("id,zip,n\n00123,01234,0\n00124,90210,10\n")
    assert done.frame.schema == pl.Schema({"id": pl.String, "zip": pl.String, "n": pl.Int64})
    assert done.frame["id"].to_list() == ["00123", "00124"]
    assert done.frame["zip"].to_list() == ["01234", "90210"]


def test_decimal_comma_with_semicolons(ingest: IngestRun) -> None:
    text = "produkt;preis;menge;gewicht\nA;3,14;1.234;0,5\nB;1.234,56;2.000;12\nC;-0,75;7;1,25\n"
    done = ingest(text)
    assert done.result.delimiter == ";"
    assert done.frame.schema == pl.Schema(
        {"produkt": pl.String, "preis": pl.Float64, "menge": pl.Int64, "gewicht": pl.Float64}
    )
    assert done.frame["preis"].to_list() == [3.14, 1234.56, -0.75]
    assert done.frame["menge"].to_list() == [1234, 2000, 7]
    assert done.frame["gewicht"].to_list() == [0.5, 12.0, 1.25]


def test_thousands_separators(ingest: IngestRun) -> None:
    text = 'city,population,area\nA,"1,234,567","1,002.5"\nB,"980",12.25\nC,"12,000","3,000"\n'
    done = ingest(text)
    assert done.frame.schema == pl.Schema(
        {"city": pl.String, "population": pl.Int64, "area": pl.Float64}
    )
    assert done.frame["population"].to_list() == [1_234_567, 980, 12_000]
    assert done.frame["area"].to_list() == [1002.5, 12.25, 3000.0]


def test_european_thousands_and_decimals(ingest: IngestRun) -> None:
    done = ingest("betrag\n1.234.567,89\n12,5\n-3.000,00\n")
    assert done.frame["betrag"].to_list() == [1234567.89, 12.5, -3000.0]


def test_date_formats(ingest: IngestRun) -> None:
    text = (
        "iso,slashed,dotted,us,eu,stamp,us_stamp\n"
        "2024-01-31,2024/01/31,31.01.2024,01/31/2024,31/01/2024,"
        "31.01.2024 14:05,01/31/2024 02:05 PM\n"
        "2024-12-01,2024/12/01,01.12.2024,12/01/2024,01/12/2024,"
        "01.12.2024 00:00,12/01/2024 11:59 AM\n"
    )
    done = ingest(text)
    frame = done.frame
    for name in ("iso", "slashed", "dotted", "us", "eu"):
        assert frame.schema[name] == pl.Date, name
        assert frame[name].to_list() == [dt.date(2024, 1, 31), dt.date(2024, 12, 1)], name
    assert frame["stamp"].to_list() == [dt.datetime(2024, 1, 31, 14, 5), dt.datetime(2024, 12, 1)]
    assert frame["us_stamp"].to_list() == [
        dt.datetime(2024, 1, 31, 14, 5),
        dt.datetime(2024, 12, 1, 11, 59),
    ]


def test_day_month_order_that_the_values_cannot_decide_stays_text(ingest: IngestRun) -> None:
    done = ingest("d\n01/02/2024\n03/04/2024\n")
    assert done.frame.schema["d"] == pl.String
    assert done.frame["d"].to_list() == ["01/02/2024", "03/04/2024"]
    assert 'Column "d" could be day/month or month/day, so it was kept as text.' in (
        done.result.warnings
    )


def test_zoned_timestamps_become_utc(ingest: IngestRun) -> None:
    done = ingest("t\n2024-01-31T10:00:00Z\n2024-01-31T12:00:00+02:00\n")
    assert done.frame.schema["t"] == pl.Datetime("us", "UTC")
    expected = dt.datetime(2024, 1, 31, 10, tzinfo=dt.UTC)
    assert done.frame["t"].to_list() == [expected, expected]


def test_booleans_in_words(ingest: IngestRun) -> None:
    done = ingest("a,b,c\nyes,TRUE,True\nno,FALSE,false\nYes,true,\n")
    assert done.frame.schema == pl.Schema({"a": pl.Boolean, "b": pl.Boolean, "c": pl.Boolean})
    assert done.frame["a"].to_list() == [True, False, True]
    assert done.frame["b"].to_list() == [True, False, True]
    assert done.frame["c"].to_list() == [True, False, None]


def test_numbers_with_spaces_around_them(ingest: IngestRun) -> None:
    done = ingest("a|b\n 12 | x\n7|y \n")
    assert done.result.delimiter == "|"
    assert done.frame.schema == pl.Schema({"a": pl.Int64, "b": pl.String})
    assert done.frame["a"].to_list() == [12, 7]
    assert done.frame["b"].to_list() == [" x", "y "]


def test_integers_too_big_for_int64_stay_exact_as_text(ingest: IngestRun) -> None:
    done = ingest("card\n12345678901234567890123\n98765432109876543210987\n")
    assert done.frame.schema["card"] == pl.String
    assert done.frame["card"][0] == "12345678901234567890123"


def test_many_columns_misfitting_late_are_all_settled(ingest: IngestRun) -> None:
    width, rows = 20, 110_000
    header = ",".join(f"c{i}" for i in range(width))
    body = "1," * (width - 1) + "1\n"
    late = ",".join(f"{i}.5" for i in range(width)) + "\n"
    done = ingest(header + "\n" + body * rows + late + "x," + body[2:])
    assert done.frame.height == rows + 2
    assert done.frame.schema["c0"] == pl.String
    assert all(done.frame.schema[f"c{i}"] == pl.Float64 for i in range(1, width))
    assert done.frame.row(rows)[:3] == ("0.5", 1.5, 2.5)
    assert done.frame["c0"][-1] == "x"
    assert len([w for w in done.result.warnings if "later in the file" in w]) == width + 1


def test_late_values_in_a_date_column_are_checked_by_the_native_conversion(
    ingest: IngestRun,
) -> None:
    rows = 150_000  # beyond the sample: only the streaming conversion sees the tail
    lines = ["day,dotted"] + ["2024-01-01,31.01.2024"] * rows
    lines += ["N/A,-", " 2024-03-05 ,01.02.2024", "2024-3-7,02.02.2024"]
    done = ingest("\n".join(lines) + "\n")
    assert done.frame.schema == pl.Schema({"day": pl.Date, "dotted": pl.Date})
    day, dotted = done.frame["day"].tail(3), done.frame["dotted"].tail(3)
    assert day.to_list() == [None, dt.date(2024, 3, 5), dt.date(2024, 3, 7)]
    assert dotted.to_list() == [None, dt.date(2024, 2, 1), dt.date(2024, 2, 2)]
    assert done.frame["day"].null_count() == 1
    assert done.result.warnings == []  # still dates: spaces and null tokens need no note


def test_year_first_dates_with_slashes_or_dots_read_the_same_on_every_path(
    ingest: IngestRun,
) -> None:
    rows = 150_000  # the tail is seen only by the streaming conversion
    expected = [dt.date(2024, 3, 5), dt.date(2024, 3, 7)]
    for tail in (["2024/03/05", "2024.3.7"], ["2024/03/05", "2024.3.7", "NA"]):
        # the second file has a null token too, so it is read by the lenient converter
        done = ingest("\n".join(["day"] + ["2024-01-01"] * rows + tail) + "\n")
        assert done.frame.schema == pl.Schema({"day": pl.Date})
        assert done.frame["day"].slice(rows, 2).to_list() == expected
        assert done.result.warnings == []


def test_a_late_quoted_misfit_in_a_number_column_is_named_without_its_quotes(
    ingest: IngestRun,
) -> None:
    rows = 150_000
    lines = ["n,x"] + [f"{i},a" for i in range(rows)] + ['"12 ""big"" ones",b']
    done = ingest("\n".join(lines) + "\n")
    assert done.frame.schema["n"] == pl.String
    assert done.frame["n"][-1] == '12 "big" ones'
    assert any("the value '12 \"big\" ones' later in the file" in w for w in done.result.warnings)


def test_a_late_impossible_date_turns_the_column_into_text_and_names_the_value(
    ingest: IngestRun,
) -> None:
    rows = 150_000
    lines = ["dotted,n"] + [f"31.01.2024,{i}" for i in range(rows)] + ["31.02.2024,1"]
    done = ingest("\n".join(lines) + "\n")
    assert done.frame.schema["dotted"] == pl.String
    assert done.frame["dotted"][-1] == "31.02.2024"
    assert any("the value '31.02.2024' later in the file" in w for w in done.result.warnings)


def test_a_late_misfit_holding_quotes_and_commas_is_named_exactly(ingest: IngestRun) -> None:
    rows = 150_000
    odd = 'about "2024-01-02", or later'
    lines = ["day"] + ["2024-01-01"] * rows + ['"' + odd.replace('"', '""') + '"']
    done = ingest("\n".join(lines) + "\n")
    assert done.frame.schema["day"] == pl.String
    assert done.frame["day"][-1] == odd
    assert any(f"the value {odd!r} later in the file" in w for w in done.result.warnings)


def test_late_times_in_a_date_column_widen_it_to_datetime(ingest: IngestRun) -> None:
    rows = 150_000
    lines = ["day"] + ["2024-01-01"] * rows + ["2024-01-02 10:30:00", "2024-01-03T11:00:00"]
    done = ingest("\n".join(lines) + "\n")
    assert done.frame.schema["day"] == pl.Datetime("us")
    assert done.frame["day"].tail(2).to_list() == [
        dt.datetime(2024, 1, 2, 10, 30),
        dt.datetime(2024, 1, 3, 11),
    ]
    assert any("'2024-01-02 10:30:00' later in the file" in w for w in done.result.warnings)
