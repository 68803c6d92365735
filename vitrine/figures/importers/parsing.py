"""Polars expressions that turn the text of a cell into a typed value, or into null when invalid."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from django.utils.translation import gettext as _

from .base import Column

DECIMAL = pl.Decimal(18, 4)

_CURRENCY_TOKEN = r"(?i)(eur|usd|chf|gbp|€|\$|£)"
_TRUE = ("true", "yes", "ja", "1", "wahr", "y", "j", "x")
_FALSE = ("false", "no", "nein", "0", "falsch", "n")
BOOLEANS = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
# The spellings exports write ("True", "FALSE", "ja"): looked up as they are, with no need to
# strip and lower-case every cell first.
_EXACT_BOOLEANS = {
    spelling: value
    for word, value in BOOLEANS.items()
    for spelling in (word, word.upper(), word.capitalize())
}
_TEXT = "text"


def on_distinct(
    raw: pl.Expr,
    parse: Callable[[pl.Expr], pl.Expr],
    dtype: pl.DataType,
    *,
    fast: Callable[[pl.Series], pl.Series] | None = None,
) -> pl.Expr:
    """`parse(raw)`, worked out once per distinct cell text of each batch of rows.

    Exports repeat few spellings (dates, yes/no, prices) across millions of rows, and the
    parsers try several regular expressions and formats per cell; parsing the distinct texts
    and mapping the rows to them is many times faster and gives the same values.

    `fast`, if given, parses the usual spellings of a batch in one go; it must give either
    null or the value `parse` gives for the same cell. Only the cells it leaves null go
    through `parse`. Everything happens inside the one batch function: with the fast path
    as expressions around it, the streaming engine held the whole file in memory.
    """

    def apply(cells: pl.Series) -> pl.Series:
        known = None
        todo = cells
        if fast is not None and cells.null_count() < cells.len():
            known = fast(cells)
            todo = cells.filter(known.is_null())
        distinct = todo.drop_nulls().unique()
        if distinct.len() == 0:
            if known is not None:
                return known
            return pl.Series(cells.name, dtype=dtype).extend_constant(None, cells.len())
        if known is None and distinct.len() * 2 > cells.len():
            # Hardly any repeats: parse every cell.
            return pl.DataFrame({_TEXT: cells}).select(parse(pl.col(_TEXT))).to_series()
        values = pl.DataFrame({_TEXT: distinct}).select(parse(pl.col(_TEXT))).to_series()
        mapped = cells.replace_strict(distinct, values, default=None, return_dtype=dtype)
        return mapped if known is None else known.zip_with(known.is_not_null(), mapped)

    return raw.map_batches(apply, return_dtype=dtype, is_elementwise=True)


def fast_dates(cells: pl.Series) -> pl.Series:
    """Dates written 2026-12-31 or 31.12.2026, parsed in one go; null for any other text.

    `parse_date` gives the same value for every cell this parses: it tries the same formats
    first, after stripping blanks that these formats do not accept anyway. Two-digit years
    ("31.12.26") are left to it.
    """
    iso = cells.str.to_date("%Y-%m-%d", strict=False)
    if iso.null_count() == cells.null_count():
        return iso
    german = cells.str.to_date("%d.%m.%Y", strict=False)
    nothing = pl.Series(dtype=pl.Date()).extend_constant(None, cells.len())
    german = german.zip_with((cells.str.len_bytes() == 10).fill_null(False), nothing)
    return iso.zip_with(iso.is_not_null(), german)


def is_blank(raw: pl.Expr) -> pl.Expr:
    """Whether a cell is empty or holds only blanks (cheaper than stripping it)."""
    return raw.str.strip_chars_start().str.len_bytes().fill_null(0) == 0


def blank_to_null(raw: pl.Expr) -> pl.Expr:
    stripped = raw.str.strip_chars()
    return pl.when(stripped == "").then(None).otherwise(stripped)


def currency_of(raw: pl.Expr) -> pl.Expr:
    """The ISO code a money cell names by symbol or code, e.g. "$79.66" -> "USD"."""
    return on_distinct(raw, _currency_token, pl.String())


def _currency_token(raw: pl.Expr) -> pl.Expr:
    token = raw.str.extract(_CURRENCY_TOKEN, 1).str.to_uppercase()
    return token.replace({"€": "EUR", "$": "USD", "£": "GBP"})


def parse_number(raw: pl.Expr, *, integer: bool, decimal_comma: bool) -> pl.Expr:
    """Numbers as people and tools write them: 1.234,56 € / $1,234.56 / 79.66 / 1 000.

    A value with both separators takes the last one as the decimal mark. A single separator
    followed by exactly three digits is a thousands mark for whole numbers, and for decimals
    follows the file's convention (`decimal_comma`: German files, semicolon-delimited).
    """
    t = (
        raw.str.strip_chars()
        .str.replace_all(_CURRENCY_TOKEN, "")
        .str.replace_all(r"[\s\u00a0\u202f']", "")
    )
    commas = t.str.count_matches(",")
    dots = t.str.count_matches(r"\.")
    three_after_comma = t.str.contains(r"^[+-]?\d{1,3},\d{3}$")
    three_after_dot = t.str.contains(r"^[+-]?\d{1,3}\.\d{3}$")
    comma_thousands = pl.lit(integer or not decimal_comma)
    dot_thousands = pl.lit(integer or decimal_comma)
    normalised = (
        pl.when((commas > 0) & (dots > 0))
        .then(
            pl.when(t.str.contains(r",[^.]*$"))
            .then(t.str.replace_all(r"\.", "").str.replace(",", "."))
            .otherwise(t.str.replace_all(",", ""))
        )
        .when(commas > 1)
        .then(t.str.replace_all(",", ""))
        .when(commas == 1)
        .then(
            pl.when(three_after_comma & comma_thousands)
            .then(t.str.replace(",", ""))
            .otherwise(t.str.replace(",", "."))
        )
        .when(dots > 1)
        .then(t.str.replace_all(r"\.", ""))
        .when((dots == 1) & three_after_dot & dot_thousands)
        .then(t.str.replace(r"\.", ""))
        .otherwise(t)
    )
    shaped = pl.when(normalised.str.contains(r"^[+-]?\d+(\.\d+)?$")).then(normalised)
    if integer:
        as_float = shaped.cast(pl.Float64, strict=False)
        return (
            pl.when(
                as_float.is_not_null() & (as_float == as_float.floor()) & (as_float.abs() < 1e15)
            )
            .then(as_float)
            .cast(pl.Int64, strict=False)
        )
    # Straight from the text: through a binary float, digits beyond the 15th were lost.
    return shaped.cast(DECIMAL, strict=False)


def _date_text(raw: pl.Expr) -> pl.Expr:
    # Spreadsheets write a date cell as "2026-12-31 00:00:00"; a midnight time adds nothing.
    return (
        raw.str.strip_chars()
        .str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "${1}")
        .str.replace(r"^(\d{1,2}\.\d{1,2}\.\d{2,4}) \d{1,2}:\d{2}(:\d{2})?$", "${1}")
    )


def parse_date(raw: pl.Expr, *, us_dates: bool) -> pl.Expr:
    text = _date_text(raw)
    # "31.12.26" and "12/31/26" have a two-digit year, read as 2026; a four-digit year's
    # format would read it as the year 26.
    two_digit_german = text.str.contains(r"^\d{1,2}\.\d{1,2}\.\d{2}$")
    parsed = [
        text.str.to_date("%Y-%m-%d", strict=False),
        pl.when(two_digit_german)
        .then(text.str.to_date("%d.%m.%y", strict=False))
        .otherwise(text.str.to_date("%d.%m.%Y", strict=False)),
    ]
    if us_dates:
        two_digit_us = text.str.contains(r"^\d{1,2}/\d{1,2}/\d{2}$")
        parsed.append(
            pl.when(two_digit_us)
            .then(text.str.to_date("%m/%d/%y", strict=False))
            .otherwise(text.str.to_date("%m/%d/%Y", strict=False))
        )
    return pl.coalesce(*parsed)


def parse_datetime(raw: pl.Expr, *, us_dates: bool) -> pl.Expr:
    text = raw.str.strip_chars().str.replace(r"Z$", "").str.replace("T", " ")
    formats = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
    ]
    # "31.12.26 10:00" has a two-digit year, read as 2026 (a four-digit year's format would
    # read it as the year 26).
    short = ["%d.%m.%y %H:%M:%S", "%d.%m.%y %H:%M"]
    if us_dates:
        formats += ["%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p"]
        short += ["%m/%d/%y %H:%M:%S", "%m/%d/%y %H:%M", "%m/%d/%y %I:%M %p"]
    two_digit = text.str.contains(r"^\d{1,2}[./]\d{1,2}[./]\d{2}\s")
    parsed = [
        pl.when(two_digit)
        .then(pl.coalesce(*(text.str.to_datetime(f, time_unit="us", strict=False) for f in short)))
        .otherwise(
            pl.coalesce(*(text.str.to_datetime(f, time_unit="us", strict=False) for f in formats))
        )
    ]
    date_only = parse_date(text, us_dates=us_dates).cast(pl.Datetime("us"))
    return pl.coalesce(*parsed, date_only)


def fast_booleans(cells: pl.Series) -> pl.Series:
    """Yes/no cells spelt exactly as `parse_boolean` reads them, looked up in one go."""
    return cells.replace_strict(_EXACT_BOOLEANS, default=None, return_dtype=pl.Boolean)


def parse_boolean(raw: pl.Expr) -> pl.Expr:
    return (
        raw.str.strip_chars()
        .str.to_lowercase()
        .replace_strict(BOOLEANS, default=None, return_dtype=pl.Boolean)
    )


def parse_choice(raw: pl.Expr, choices: tuple[tuple[str, str], ...]) -> pl.Expr:
    mapping = {spelling.casefold(): value for spelling, value in choices}
    return (
        raw.str.strip_chars()
        .str.to_lowercase()
        .replace_strict(mapping, default=None, return_dtype=pl.String)
    )


def parse_column(
    raw: pl.Expr,
    column: Column,
    *,
    us_dates: bool,
    decimal_comma: bool,
    dtype: pl.DataType,
    usual_only: bool = False,
) -> pl.Expr:
    """The typed value of one column; null where the cell is blank or invalid.

    `usual_only`: only the most usual spelling of dates and yes/no values is read (see
    `USUAL`), and every other cell is null, as if invalid.
    """
    if column.kind == "text":
        return blank_to_null(raw)
    if column.kind == "choice":
        return parse_choice(raw, column.choices)  # a lookup: cheap enough on every cell
    if usual_only and column.kind in USUAL:
        return USUAL[column.kind](raw)
    return on_distinct(
        raw,
        lambda cells: _parse(cells, column, us_dates=us_dates, decimal_comma=decimal_comma),
        dtype,
        fast=_FAST.get(column.kind),
    )


_FAST = {"date": fast_dates, "boolean": fast_booleans}
# The most usual spelling of a kind, read by a polars expression alone. Each gives null or
# the value the full parser gives for the same cell. A file written only in these spellings
# is read much faster: the batch functions of `on_distinct`, even with nothing to do,
# cost more than the reading of the file, as they take turns for Python.
# (`replace_strict` would give the same values, but the streaming engine held the whole
# column for it.)
_EXACT_TRUE = [spelling for spelling, value in _EXACT_BOOLEANS.items() if value]
_EXACT_FALSE = [spelling for spelling, value in _EXACT_BOOLEANS.items() if not value]
USUAL: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "date": lambda raw: raw.str.to_date("%Y-%m-%d", strict=False),
    "boolean": lambda raw: (
        pl.when(raw.is_in(_EXACT_TRUE))
        .then(pl.lit(True))
        .when(raw.is_in(_EXACT_FALSE))
        .then(pl.lit(False))
        .otherwise(pl.lit(None, dtype=pl.Boolean))
    ),
}


def _parse(raw: pl.Expr, column: Column, *, us_dates: bool, decimal_comma: bool) -> pl.Expr:
    if column.kind == "integer":
        return parse_number(raw, integer=True, decimal_comma=decimal_comma)
    if column.kind == "decimal":
        return parse_number(raw, integer=False, decimal_comma=decimal_comma)
    if column.kind == "date":
        return parse_date(raw, us_dates=us_dates)
    if column.kind == "datetime":
        return parse_datetime(raw, us_dates=us_dates)
    if column.kind == "boolean":
        return parse_boolean(raw)
    if column.kind == "choice":
        return parse_choice(raw, column.choices)
    return blank_to_null(raw)


def invalid_reason(column: Column, *, us_dates: bool) -> str:
    """Why a non-blank cell of this column did not parse, in the user's language."""
    if column.kind == "integer":
        return _("Not a whole number.")
    if column.kind == "decimal":
        return _("Not a number; write e.g. 1.234,56 or 1234.56.")
    if column.kind in ("date", "datetime"):
        if us_dates:
            return _("Not a date; write e.g. 31.12.2026, 2026-12-31 or 12/31/2026.")
        return _("Not a date; write e.g. 31.12.2026 or 2026-12-31.")
    if column.kind == "boolean":
        return _("Not a yes/no value; write e.g. yes, no, ja, nein, true, false, 1 or 0.")
    if column.kind == "choice":
        allowed = sorted({value for _spelling, value in column.choices})
        return _("Not one of the allowed values: %(values)s.") % {"values": ", ".join(allowed)}
    return _("Invalid value.")
