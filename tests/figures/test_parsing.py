"""Cell parsing: the fast paths give exactly what the full parsers give; two-digit years."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import pytest

from vitrine.figures.importers import ImportRefused, read_import
from vitrine.figures.importers.base import Column
from vitrine.figures.importers.parsing import BOOLEANS, _parse, parse_column

SPELLINGS = [
    "2026-12-31",
    " 2026-12-31",
    "2026-12-31 ",
    "2026-12-31 00:00:00",
    "2026-1-5",
    "31.12.2026",
    " 31.12.2026",
    "1.2.2026",
    "31.12.26",
    "1.2.26",
    "12/31/2026",
    "12/31/26",
    "31.02.2026",
    "2026-02-31",
    "31.12.0026",
    "True",
    "FALSE",
    "ja",
    " Nein ",
    "x",
    "maybe",
    "",
    "   ",
    None,
]


@pytest.mark.parametrize("kind", ["date", "boolean"])
@pytest.mark.parametrize("us_dates", [True, False])
@pytest.mark.parametrize("copies", [1, 500])  # every cell distinct, and many repeats
def test_fast_paths_give_what_the_full_parser_gives(kind, us_dates, copies):
    column = Column("value", ("value",), kind)
    dtype = pl.Date() if kind == "date" else pl.Boolean()
    frame = pl.DataFrame({"cell": SPELLINGS * copies}, schema={"cell": pl.String})
    fast = frame.select(
        parse_column(pl.col("cell"), column, us_dates=us_dates, decimal_comma=False, dtype=dtype)
    ).to_series()
    full = frame.select(
        _parse(pl.col("cell"), column, us_dates=us_dates, decimal_comma=False)
    ).to_series()
    assert fast.to_list() == full.to_list()
    assert fast.null_count() < fast.len()


@pytest.mark.parametrize("kind", ["date", "boolean"])
@pytest.mark.parametrize("us_dates", [True, False])
def test_the_usual_spellings_read_nothing_else_and_nothing_otherwise(kind, us_dates):
    column = Column("value", ("value",), kind)
    dtype = pl.Date() if kind == "date" else pl.Boolean()
    words = [
        spelling
        for word in BOOLEANS
        for spelling in (word, word.upper(), word.capitalize(), f" {word}")
    ]
    frame = pl.DataFrame({"cell": SPELLINGS + words}, schema={"cell": pl.String})
    usual, full = (
        frame.select(
            parse_column(
                pl.col("cell"),
                column,
                us_dates=us_dates,
                decimal_comma=False,
                dtype=dtype,
                usual_only=only,
            )
        ).to_series()
        for only in (True, False)
    )
    # Each cell the usual spellings read has the full parser's value; the others are left.
    read = usual.is_not_null()
    assert usual.filter(read).to_list() == full.filter(read).to_list()
    assert 0 < read.sum() < full.is_not_null().sum()


def test_a_column_of_odd_dates_is_parsed_in_full():
    column = Column("value", ("value",), "date")
    cells = [f"{day}.1.2026" for day in range(1, 32)] * 100  # no fast path fits
    parsed = (
        pl.DataFrame({"cell": cells})
        .select(
            parse_column(
                pl.col("cell"), column, us_dates=False, decimal_comma=False, dtype=pl.Date()
            )
        )
        .to_series()
    )
    assert parsed.to_list() == [date(2026, 1, day) for day in range(1, 32)] * 100


@pytest.mark.parametrize("us_dates", [True, False])
def test_two_digit_years_are_this_century(us_dates):
    column = Column("value", ("value",), "date")
    cells = ["31.12.26", "1.2.26", "31.12.2026"] + (["12/31/26"] if us_dates else [])
    parsed = (
        pl.DataFrame({"cell": cells})
        .select(_parse(pl.col("cell"), column, us_dates=us_dates, decimal_comma=False))
        .to_series()
        .to_list()
    )
    assert parsed == [date(2026, 12, 31), date(2026, 2, 1), date(2026, 12, 31)] + (
        [date(2026, 12, 31)] if us_dates else []
    )


@pytest.mark.parametrize("us_dates", [True, False])
def test_two_digit_years_with_a_time_are_this_century(us_dates):
    column = Column("value", ("value",), "datetime")
    cells = ["31.12.26 10:00", "1.2.26 08:30:15", "31.12.2026 10:00", "31.12.26"]
    cells += ["12/31/26 10:00 AM", "12/31/26 22:05"] if us_dates else []
    parsed = (
        pl.DataFrame({"cell": cells})
        .select(_parse(pl.col("cell"), column, us_dates=us_dates, decimal_comma=False))
        .to_series()
        .to_list()
    )
    expected = [
        datetime(2026, 12, 31, 10, 0),
        datetime(2026, 2, 1, 8, 30, 15),
        datetime(2026, 12, 31, 10, 0),
        datetime(2026, 12, 31),
    ]
    expected += [datetime(2026, 12, 31, 10, 0), datetime(2026, 12, 31, 22, 5)] if us_dates else []
    assert parsed == expected


def test_a_two_digit_year_in_a_file_is_read_as_2026():
    csv = "Produkt;Gerät/Benutzer;Zuletzt genutzt\nVisio;NB-001;31.12.26\nVisio;NB-002;01.06.2026\n"
    frame = read_import(csv.encode(), filename="nutzung.csv").frame
    assert frame["last_used"].to_list() == [date(2026, 12, 31), date(2026, 6, 1)]


def test_a_cell_is_too_long_by_its_characters_not_its_bytes():
    header = "Produkt;Gerät/Benutzer;Zuletzt genutzt\n"
    fits = "ü" * 10_000  # 20,000 bytes, 10,000 characters: within the limit
    frame = read_import(
        (header + f"{fits};NB-001;01.06.2026\n").encode(), filename="nutzung.csv"
    ).frame
    assert frame["product"].to_list() == [fits]
    with pytest.raises(ImportRefused) as refused:
        read_import((header + f"{fits}ü;NB-001;01.06.2026\n").encode(), filename="nutzung.csv")
    [problem] = refused.value.problems
    assert problem.row == 2 and problem.column == "Produkt"
    assert "more than 10000 characters" in problem.reason
