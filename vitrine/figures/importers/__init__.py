"""Import SAM and ITSM exports: detect the format, read, validate and normalise with polars.

Nothing naming a person leaves an importer: identifiers of users and devices are replaced by
per-import salted hashes (see `consumption` and `m365`), display names are dropped.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from django.utils.translation import gettext as _

from .base import (
    Column,
    Format,
    FormatAttempt,
    FormatMatch,
    ImportFrame,
    ImportLimits,
    ImportRefused,
    Problem,
    normalise_header,
)
from .consumption import Consumption, consumption_per_product
from .entitlements import Entitlements
from .m365 import M365ActiveUsers, m365_inactivity
from .parsing import DECIMAL, blank_to_null, currency_of, invalid_reason, parse_column
from .reading import ROW, RawTable, column_name, read_table
from .requests_log import RequestsLog
from .snipeit import SnipeIT

__all__ = [
    "FORMATS",
    "FormatAttempt",
    "FormatMatch",
    "ImportFrame",
    "ImportLimits",
    "ImportRefused",
    "Problem",
    "consumption_per_product",
    "detect_format",
    "m365_inactivity",
    "read_import",
]

FORMATS: dict[str, Format] = {
    fmt.key: fmt
    for fmt in (Entitlements(), Consumption(), SnipeIT(), M365ActiveUsers(), RequestsLog())
}

_DTYPES: dict[str, pl.DataType] = {
    "text": pl.String(),
    "choice": pl.String(),
    "integer": pl.Int64(),
    "decimal": DECIMAL,
    "date": pl.Date(),
    "datetime": pl.Datetime("us"),
    "boolean": pl.Boolean(),
}
_VALUE_CHARS = 200


def _columns_of(fmt: Format, header: list[str]) -> tuple[dict[str, str], list[str], list[Problem]]:
    """Map the format's keys to header cells; list missing required columns and ambiguities."""
    cells = {normalise_header(cell): cell for cell in header if normalise_header(cell)}
    mapping: dict[str, str] = {}
    missing: list[str] = []
    problems: list[Problem] = []
    for column in fmt.columns:
        found = [
            cells[n] for n in dict.fromkeys(map(normalise_header, column.aliases)) if n in cells
        ]
        if len(found) > 1:
            problems.append(
                Problem(
                    row=1,
                    column=found[1],
                    value=None,
                    reason=_("The columns %(columns)s mean the same; keep only one of them.")
                    % {"columns": ", ".join(f"“{cell}”" for cell in found)},
                )
            )
        if found:
            mapping[column.key] = found[0]
        elif column.required:
            missing.append(" / ".join(column.aliases))
    for cell, column in fmt.extra_columns(header).items():
        mapping[column.key] = cell
    return mapping, missing, problems


def detect_format(header: list[str], *, format: str | None = None) -> FormatMatch:
    """Recognise the format of a header row (or check it against `format`).

    Raises ImportRefused naming, for each format tried, the required columns it missed.
    """
    if format is not None and format not in FORMATS:
        raise ImportRefused.single(
            _("Unknown import format “%(format)s”; known formats: %(known)s.")
            % {"format": format, "known": ", ".join(FORMATS)}
        )
    candidates = [FORMATS[format]] if format else list(FORMATS.values())
    attempts: list[FormatAttempt] = []
    best: tuple[int, Format, dict[str, str], list[Problem]] | None = None
    for fmt in candidates:
        mapping, missing, problems = _columns_of(fmt, header)
        attempts.append(
            FormatAttempt(fmt.key, str(fmt.label), missing=tuple(missing), matched=len(mapping))
        )
        if not missing and (best is None or len(mapping) > best[0]):
            best = (len(mapping), fmt, mapping, problems)
    if best is None:
        raise ImportRefused(
            [
                Problem(
                    row=1,
                    column=None,
                    value=None,
                    reason=_("%(format)s: missing columns %(columns)s")
                    % {"format": attempt.label, "columns": "; ".join(attempt.missing)},
                )
                for attempt in attempts
            ],
            message=_("The header row matches no known import format."),
        )
    _count, fmt, mapping, problems = best
    if problems:
        raise ImportRefused(problems)
    return FormatMatch(fmt.key, str(fmt.label), mapping, tuple(attempts))


def read_import(
    source: bytes | Path,
    *,
    filename: str,
    format: str | None = None,
    sheet: str | None = None,
    limits: ImportLimits | None = None,
) -> ImportFrame:
    """Read, validate and normalise an import file; raise ImportRefused listing every problem."""
    limits = limits or ImportLimits()
    if format is not None and format not in FORMATS:
        detect_format([], format=format)  # refuses with the list of known formats
    table = read_table(source, filename=filename, sheet=sheet, limits=limits)
    match = detect_format(table.header, format=format)
    fmt = FORMATS[match.format]
    position = {cell: index for index, cell in enumerate(table.header)}
    columns = {c.key: c for c in fmt.columns}
    columns.update({c.key: c for c in fmt.extra_columns(table.header).values()})
    raw = {key: pl.col(column_name(position[cell])) for key, cell in match.columns.items()}
    all_raw = [column_name(i) for i in range(len(table.header))]

    values: list[pl.Expr] = []
    flags: list[tuple[str, str, str | None, str]] = []  # flag, raw column, key, reason
    flag_exprs: list[pl.Expr] = []
    for key, column in columns.items():
        if key not in raw:
            values.append(pl.lit(None, dtype=_DTYPES[column.kind]).alias(key))
            if column.kind == "decimal":
                values.append(pl.lit(None, dtype=pl.String).alias(f"__currency_{key}"))
            continue
        parsed = parse_column(
            raw[key], column, us_dates=fmt.us_dates, decimal_comma=table.decimal_comma
        )
        values.append(parsed.alias(key))
        if column.kind == "decimal":
            values.append(currency_of(raw[key]).alias(f"__currency_{key}"))
        blank = blank_to_null(raw[key]).is_null()
        if column.kind != "text":
            name = f"__bad_{key}"
            flag_exprs.append((~blank & parsed.is_null()).alias(name))
            flags.append(
                (
                    name,
                    raw[key].meta.output_name(),
                    key,
                    invalid_reason(column, us_dates=fmt.us_dates),
                )
            )
        if column.not_empty:
            name = f"__empty_{key}"
            flag_exprs.append(blank.alias(name))
            flags.append((name, raw[key].meta.output_name(), key, _("A value is required.")))
    for index, name in enumerate(all_raw):
        flag = f"__huge_{index}"
        too_long = pl.col(name).str.len_chars() > limits.max_cell_chars
        flag_exprs.append(too_long.fill_null(False).alias(flag))
        flags.append(
            (
                flag,
                name,
                None,
                _("The cell holds more than %(limit)d characters.")
                % {"limit": limits.max_cell_chars},
            )
        )

    not_blank = pl.any_horizontal(
        [pl.col(name).str.strip_chars().str.len_bytes() > 0 for name in all_raw]
    ).fill_null(False)
    lazy = table.frame.filter(not_blank).select(pl.col(ROW), *values, *flag_exprs)
    present = set(raw)
    check_exprs = []
    for index, check in enumerate(fmt.checks(present)):
        if check.column not in present:
            continue
        name = f"__check_{index}"
        check_exprs.append(check.bad.fill_null(False).alias(name))
        flags.append((name, raw[check.column].meta.output_name(), check.column, check.reason))
    if check_exprs:
        lazy = lazy.with_columns(check_exprs)
    try:
        frame = lazy.collect()
    except pl.exceptions.PolarsError as error:
        raise ImportRefused.single(
            _("The file could not be read as a table: %(error)s")
            % {"error": str(error).splitlines()[0][:200]}
        ) from None
    if frame.height == 0:
        raise ImportRefused.single(_("The file has a header row but no data rows."))

    flag_names = [flag[0] for flag in flags]
    counts = frame.select(pl.col(name).sum() for name in flag_names).row(0)
    total = sum(counts)
    if total:
        raise ImportRefused(
            _problems(table, frame, flags, counts, limits.max_problems),
            total=total,
        )
    frame = frame.drop(ROW, *flag_names)
    normalised, figure_date = fmt.finish(frame)
    return ImportFrame(
        format=fmt.key,
        frame=normalised,
        figure_date=figure_date,
        row_count=normalised.height,
        columns=dict(match.columns),
    )


def _problems(
    table: RawTable,
    frame: pl.DataFrame,
    flags: list[tuple[str, str, str | None, str]],
    counts: tuple[int, ...],
    cap: int,
) -> list[Problem]:
    """The first `cap` problems in row order; only these rows are read again for their values."""
    hits = (
        pl.concat(
            [
                frame.filter(pl.col(flag[0]))
                .select(pl.col(ROW), pl.lit(index).alias("flag"))
                .head(cap)
                for index, (flag, count) in enumerate(zip(flags, counts, strict=True))
                if count
            ]
        )
        .sort(ROW, "flag")
        .head(cap)
    )
    rows = hits[ROW].unique().implode()
    raw = table.frame.filter(pl.col(ROW).is_in(rows)).collect()
    by_row = {row[ROW]: row for row in raw.iter_rows(named=True)}
    header_of = {column_name(i): cell for i, cell in enumerate(table.header)}
    problems = []
    for row, flag_index in hits.iter_rows():
        _name, raw_column, _key, reason = flags[flag_index]
        value = by_row[row].get(raw_column)
        if value is not None and len(value) > _VALUE_CHARS:
            value = value[:_VALUE_CHARS] + "…"
        problems.append(
            Problem(row=row, column=header_of[raw_column], value=value or None, reason=reason)
        )
    return problems


# Names the next layers use when they need a column spec or a format by key.
__all__ += ["Column", "Format"]
