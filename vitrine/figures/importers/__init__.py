"""Import SAM and ITSM exports: detect the format, read, validate and normalise with polars.

Nothing naming a person leaves an importer: identifiers of users and devices are replaced by
per-import salted hashes (see `consumption` and `m365`), display names are dropped.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.conf import settings
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
    add_up,
    header_gate,
    normalise_header,
    passes_for,
    repeated_header,
)
from .consumption import Consumption, consumption_per_product
from .entitlements import Entitlements
from .m365 import WORKLOADS, M365ActiveUsers, m365_inactivity
from .parsing import DECIMAL, USUAL, currency_of, invalid_reason, is_blank, parse_column
from .reading import ROW, RawTable, column_name, read_table
from .requests_log import RequestsLog
from .snipeit import SnipeIT, SnipeITImport

__all__ = [
    "FORMATS",
    "FormatAttempt",
    "FormatMatch",
    "ImportFrame",
    "ImportLimits",
    "ImportRefused",
    "Problem",
    "WORKLOADS",
    "consumption_per_product",
    "detect_format",
    "m365_inactivity",
    "read_import",
]

FORMATS: dict[str, Format] = {
    fmt.key: fmt
    for fmt in (
        Entitlements(),
        Consumption(),
        SnipeIT(),
        SnipeITImport(),
        M365ActiveUsers(),
        *WORKLOADS,
        RequestsLog(),
    )
}

_DTYPES: dict[str, pl.DataType] = {
    "text": pl.String(),
    "choice": pl.String(),
    "integer": pl.Int64(),
    "decimal": DECIMAL,
    "date": pl.Date(),
    "datetime": pl.Datetime("us"),
    "boolean": pl.Boolean(),
    "filled": pl.Boolean(),
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
        unfit = None if missing else fmt.unfit(mapping)
        attempts.append(
            FormatAttempt(
                fmt.key,
                str(fmt.label),
                missing=tuple(missing),
                matched=len(mapping),
                unfit=None if unfit is None else str(unfit),
            )
        )
        if not missing and unfit is None and (best is None or len(mapping) > best[0]):
            best = (len(mapping), fmt, mapping, problems)
    if best is None:
        raise ImportRefused(
            [
                Problem(
                    row=1,
                    column=None,
                    value=None,
                    reason=_("%(format)s: missing columns %(columns)s")
                    % {"format": attempt.label, "columns": "; ".join(attempt.missing)}
                    if attempt.missing
                    else _("%(format)s: %(reason)s")
                    % {"format": attempt.label, "reason": attempt.unfit},
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
    """Read, validate and normalise an import file; raise ImportRefused listing every problem.

    CSV files are streamed with polars' streaming engine: one pass over the file checks every
    cell, counts the problems and, for the large formats, counts what the figures need (the
    `digest`; a file of more than ROWS_PER_PASS rows is counted afterwards from temporary
    files of its hashed rows, one share of the users or accounts at a time, so that memory does
    not grow with the file). Only when there are problems does a second pass fetch the
    first rows having them. Dates and yes/no values are first read in their usual spellings
    only, by polars expressions; a file written otherwise (see `_usual_fits`) is read with the
    full parsers. The returned frame is lazy: it reads the file again if collected.
    """
    limits = limits or ImportLimits()
    if format is not None and format not in FORMATS:
        detect_format([], format=format)  # refuses with the list of known formats
    table = read_table(source, filename=filename, sheet=sheet, limits=limits)
    _refuse_far_too_many_products(table, format=format)
    imported = _read(table, format=format, limits=limits)
    _refuse_too_many_products(imported)
    return imported


def _too_many_products(count: int | None, limit: int) -> ImportRefused:
    if count is None:
        reason = _(
            "The file names more than %(limit)s products, the most that can be imported at "
            "once (setting IMPORT_MAX_PRODUCTS)."
        ) % {"limit": limit}
    else:
        reason = _(
            "The file names %(count)s products; at most %(limit)s can be imported at once "
            "(setting IMPORT_MAX_PRODUCTS)."
        ) % {"count": count, "limit": limit}
    return ImportRefused.single(reason)


def _refuse_far_too_many_products(table: RawTable, *, format: str | None) -> None:
    """Refuse, before any counting per product, a file naming far more products than allowed.

    One streaming pass over the product column with an estimate of its distinct values in
    constant memory; the estimate may be some per cent off, so only twice the limit refuses
    here, and the exact count after reading decides the rest.
    """
    match = detect_format(table.header, format=format)
    limit = settings.VITRINE_IMPORT_MAX_PRODUCTS
    if "product" in match.columns:
        products = pl.col(column_name(table.header.index(match.columns["product"])))
    elif "assigned_products" in match.columns:
        # A Microsoft 365 report lists an account's products in one cell, joined by "+": a
        # few thousand rows can name millions of products, so they are counted split.
        cell = pl.col(column_name(table.header.index(match.columns["assigned_products"])))
        products = cell.str.split("+").explode().str.strip_chars()
    else:
        return
    query = table.frame.select(products.approx_n_unique())
    [estimate] = _collect_all([query], table)
    if estimate.item() > 2 * limit:
        raise _too_many_products(None, limit)


def _refuse_too_many_products(imported: ImportFrame) -> None:
    """Refuse a file naming more products than IMPORT_MAX_PRODUCTS (each makes series)."""
    limit = settings.VITRINE_IMPORT_MAX_PRODUCTS
    if imported.digest is not None and "product" in imported.digest.columns:
        count = imported.digest["product"].n_unique()
    elif "product" in imported.lazy.collect_schema().names():
        query = imported.lazy.select(pl.col("product").drop_nulls().n_unique())
        count = query.collect(engine="streaming").item()
    else:
        return
    if count > limit:
        raise _too_many_products(count, limit)


@dataclass(frozen=True)
class _Flag:
    """A true/false column of the checked frame marking one kind of problem in one column."""

    name: str
    raw: str  # the raw column c0…cn whose cell is shown
    reason: str
    # A cell the usual spellings alone did not read (see `_plan`'s `usual`): it may still be
    # valid, which only the full parser can tell.
    unread: bool = False


@dataclass(frozen=True)
class _Plan:
    """The lazy steps from raw cells to typed values, and the flags checking them."""

    values: pl.LazyFrame  # ROW, the raw cells and the typed values
    checked: pl.LazyFrame  # the same and a column per flag
    keys: list[str]  # the typed columns handed to the format's `finish`
    flags: list[_Flag]
    # The raw columns whose cells a refusal may repeat: those the format reads and knows not
    # to name a person or device. Other columns (names, addresses, notes) are never shown.
    shown: frozenset[str] = frozenset()
    # For a plan that reads only the format's columns: true for rows that might be blank or
    # repeat the header, which only a plan reading every column can tell.
    unsure: pl.Expr | None = None
    usual: bool = False  # the plan reads only the usual spellings of dates and yes/no
    whole: bool = True  # the plan reads every column


def _plan(
    table: RawTable,
    fmt: Format,
    match: FormatMatch,
    limits: ImportLimits,
    *,
    whole: bool,
    usual: bool = False,
) -> _Plan:
    """The steps for a file; `whole` reads every column, otherwise only the format's.

    `usual` reads dates and yes/no values only in their most usual spellings (`USUAL`), by
    polars expressions alone; a cell they leave unread is flagged `unread` rather than
    invalid, and a file having any is read again with the full parsers.

    A plan for the format's columns alone leaves out two checks that need every cell, and is
    only right where they would find nothing: the length of every cell (so only for a file
    whose longest line is within the limit) and the dropping of rows that are blank or
    repeat the header (so its rows that might be such rows are counted as `unsure`, and a
    file having any is read again with the whole plan).
    """
    position = {cell: index for index, cell in enumerate(table.header)}
    columns = {c.key: c for c in fmt.columns}
    columns.update({c.key: c for c in fmt.extra_columns(table.header).values()})
    raw = {key: column_name(position[cell]) for key, cell in match.columns.items()}
    all_raw = [column_name(i) for i in range(len(table.header))]

    values: list[pl.Expr] = []
    keys: list[str] = []
    flags: list[_Flag] = []
    flag_exprs: list[pl.Expr] = []
    for key, column in columns.items():
        keys.append(key)
        dtype = _DTYPES[column.kind]
        if column.kind == "decimal":
            keys.append(f"__currency_{key}")
        if key not in raw:
            values.append(pl.lit(None, dtype=dtype).alias(key))
            if column.kind == "decimal":
                values.append(pl.lit(None, dtype=pl.String).alias(f"__currency_{key}"))
            continue
        cell = pl.col(raw[key])
        if column.kind == "filled":  # only whether it is filled; the name goes no further
            values.append((~is_blank(cell)).alias(key))
            continue
        values.append(
            parse_column(
                cell,
                column,
                us_dates=fmt.us_dates,
                decimal_comma=table.decimal_comma,
                dtype=dtype,
                usual_only=usual,
            ).alias(key)
        )
        if column.kind == "decimal":
            values.append(currency_of(cell).alias(f"__currency_{key}"))
        # A cell without a value is blank or invalid; only those cells are tested for blanks
        # (every other one is null here, which costs nothing to test).
        unparsed = pl.col(key).is_null()
        blank = is_blank(pl.when(unparsed).then(cell))
        if column.kind != "text":
            flags.append(
                _Flag(
                    f"__bad_{key}",
                    raw[key],
                    invalid_reason(column, us_dates=fmt.us_dates),
                    unread=usual and column.kind in USUAL,
                )
            )
            flag_exprs.append((~blank).alias(flags[-1].name))
        if column.not_empty:
            flags.append(_Flag(f"__empty_{key}", raw[key], _("A value is required.")))
            flag_exprs.append((unparsed & blank).alias(flags[-1].name))
    read = sorted(position[cell] for cell in match.columns.values())
    unsure = None
    if whole:
        huge = _("The cell holds more than %(limit)d characters.") % {
            "limit": limits.max_cell_chars
        }
        for index, name in enumerate(all_raw):
            flags.append(_Flag(f"__huge_{index}", name, huge))
            flag_exprs.append(_too_long(pl.col(name), limits.max_cell_chars).alias(flags[-1].name))
        not_blank = _not_blank(all_raw)
        if (header_again := repeated_header(table.header, all_raw, read)) is not None:
            not_blank = not_blank & ~header_again  # keeps the rows' numbers as they are
        rows = table.frame.filter(not_blank)
    else:
        # A blank row is blank in the first column read; a repeated header passes the gate.
        unsure = is_blank(pl.col(all_raw[read[0]]))
        if (gate := header_gate(table.header, all_raw, read)) is not None:
            unsure = unsure | gate.fill_null(False)
        rows = table.frame
    parsed = rows.with_columns(values)
    check_exprs = []
    for index, check in enumerate(fmt.checks(set(raw))):
        if check.column not in raw:
            continue
        flags.append(_Flag(f"__check_{index}", raw[check.column], check.reason))
        check_exprs.append(check.bad.fill_null(False).alias(flags[-1].name))
    checked = parsed.with_columns(flag_exprs)
    if check_exprs:
        checked = checked.with_columns(check_exprs)
    shown = {raw[key] for key in raw if key in columns and not columns[key].personal}
    return _Plan(
        values=parsed,
        checked=checked,
        keys=keys,
        flags=flags,
        shown=frozenset(shown),
        unsure=unsure,
        usual=usual,
        whole=whole,
    )


def _not_blank(columns: list[str]) -> pl.Expr:
    """True for rows with any cell holding more than blanks.

    Nearly every row starts with a filled cell, which settles it; only the other rows have
    their cells joined and searched (one test over the joined cells costs less than one per
    cell).
    """

    def test(batch: pl.Series) -> pl.Series:
        frame = batch.struct.unnest()
        settled = frame.get_column(columns[0]).str.contains(r"^\S").fill_null(False)
        if settled.all():
            return settled
        rest = (
            frame.filter(~settled)
            .select(
                pl.concat_str([pl.col(name) for name in columns], ignore_nulls=True)
                .str.contains(r"\S")
                .fill_null(False)
            )
            .to_series()
        )
        return settled.scatter((~settled).arg_true(), rest)

    return pl.struct(columns).map_batches(test, return_dtype=pl.Boolean, is_elementwise=True)


def _too_long(cell: pl.Expr, limit: int) -> pl.Expr:
    # Counting bytes is free; characters are counted only where the bytes exceed the limit
    # (every other cell is null there, which costs nothing to count).
    return (pl.when(cell.str.len_bytes() > limit).then(cell).str.len_chars() > limit).fill_null(
        False
    )


_ROWS = "__rows"
_UNSURE = "__unsure"
_UNREAD = "__unread"
_ESTIMATE_SLACK = 1.2
_FIGURE_DATE = "__figure_date"


def _read(table: RawTable, *, format: str | None, limits: ImportLimits) -> ImportFrame:
    match = detect_format(table.header, format=format)
    fmt = FORMATS[match.format]
    # Where no cell can be too long, only the format's columns need reading at first.
    whole = table.cell_bytes is None or table.cell_bytes > limits.max_cell_chars
    usual = True
    while True:
        plan = _plan(table, fmt, match, limits, whole=whole, usual=usual)
        if usual and not _usual_fits(table, plan):
            usual = False
            continue
        imported = _read_with(table, fmt, match, plan, limits)
        if isinstance(imported, ImportFrame):
            return imported
        if imported == _UNSURE:
            assert not whole, "a plan reading every column is never unsure"
            whole = True
        else:
            assert usual, "a plan with the full parsers leaves no cell unread"
            usual = False


_HEAD_ROWS = 1000


def _usual_fits(table: RawTable, plan: _Plan) -> bool:
    """Whether the first rows write their dates and yes/no values in the usual spellings.

    A file that does not is read with the full parsers at once, rather than after a whole
    pass with the usual spellings that would leave cells unread. A format without such
    columns has nothing to gain from them.
    """
    unread = [flag.name for flag in plan.flags if flag.unread]
    if not unread:
        return False
    left = pl.any_horizontal(unread)
    if plan.unsure is not None:  # a repeated header, which the plan reading every column drops
        left = left & ~plan.unsure
    [head] = _collect_all([plan.checked.head(_HEAD_ROWS).select(left.any())], table)
    return not head.item()


def _read_with(
    table: RawTable, fmt: Format, match: FormatMatch, plan: _Plan, limits: ImportLimits
) -> ImportFrame | str:
    """The file read with `plan`, or why the plan could not tell (see `_checked`)."""
    figure_date = fmt.figure_date()
    parsed = plan.values.select(plan.keys)
    normalised = fmt.finish(parsed)
    counted = fmt.counted_rows(parsed)
    if fmt.digest(counted, part=0, passes=1) is None:
        summary = _summary(plan.checked, plan, figure_date)
        stats = _checked(_collect_all([summary], table)[0], table, plan, limits)
        digest = None
    else:
        stats, digest = _check_and_count(counted, figure_date, fmt, table, plan, limits)
    if isinstance(stats, str):
        return stats
    return ImportFrame(
        format=fmt.key,
        lazy=normalised,
        figure_date=stats.get(_FIGURE_DATE),
        row_count=stats[_ROWS],
        columns=dict(match.columns),
        digest=digest,
        keep=table.keep,
    )


def _summary(frame: pl.LazyFrame, plan: _Plan, figure_date: pl.Expr | None) -> pl.LazyFrame:
    """One row: the rows, the count of each flag, the figure date and the unsure rows.

    `frame` is the checked frame, or the counted rows with their checks beside them (where
    the unsure rows are a column of their own).
    """
    if plan.unsure is None:
        unsure = []
    elif _UNSURE in frame.collect_schema().names():
        unsure = [pl.col(_UNSURE).sum()]
    else:
        unsure = [plan.unsure.sum().alias(_UNSURE)]
    return frame.select(
        pl.len().alias(_ROWS),
        *(pl.col(flag.name).sum() for flag in plan.flags),
        *([] if figure_date is None else [figure_date.alias(_FIGURE_DATE)]),
        *unsure,
    )


def _with_checks(counted: pl.LazyFrame, figure_date: pl.Expr | None, plan: _Plan) -> pl.LazyFrame:
    """The rows to count with the columns the summary needs beside them, read in one pass.

    The counted rows and the checks are worked out from the same parsed cells; collected
    side by side, every cell is read and parsed once (a summary and a digest collected
    together parsed every cell twice).
    """
    have = set(counted.collect_schema().names())
    inputs = [] if figure_date is None else figure_date.meta.root_names()
    checks = plan.checked.select(
        *(flag.name for flag in plan.flags),
        *([] if plan.unsure is None else [plan.unsure.alias(_UNSURE)]),
        *dict.fromkeys(name for name in inputs if name not in have),
    )
    return pl.concat([counted, checks], how="horizontal")


def _checked(
    summary: pl.DataFrame, table: RawTable, plan: _Plan, limits: ImportLimits
) -> dict | str:
    """The row count and figure date of a checked file; refuses it if any cell had a problem.

    _UNSURE if the plan is unsure of some rows: its counts are not the file's; _UNREAD if it
    left cells unread that the full parsers may read.
    """
    stats = summary.row(0, named=True)
    if stats.get(_UNSURE):
        return _UNSURE
    if stats[_ROWS] == 0:
        raise ImportRefused.single(_("The file has a header row but no data rows."))
    if any(stats[flag.name] for flag in plan.flags if flag.unread):
        return _UNREAD
    counts = [stats[flag.name] for flag in plan.flags]
    if total := sum(counts):
        raise ImportRefused(_problems(table, plan, counts, limits.max_problems), total=total)
    return stats


def _check_and_count(
    counted: pl.LazyFrame,
    figure_date: pl.Expr | None,
    fmt: Format,
    table: RawTable,
    plan: _Plan,
    limits: ImportLimits,
) -> tuple[dict | str, pl.DataFrame | None]:
    """Check a file and count its digest, reading and parsing every cell once.

    A file of up to ROWS_PER_PASS rows (as estimated; one a little above is still counted in
    one pass rather than in twice as many) has its hashed rows and their checks collected in
    memory, then summed up and counted. A larger file is counted in shares, see
    `_check_and_count_in_shares`.
    """
    passes = passes_for(int(table.estimated_rows / _ESTIMATE_SLACK))
    if passes > 1 and fmt.counted is not None:
        return _check_and_count_in_shares(counted, figure_date, fmt, passes, table, plan, limits)
    rows = _with_checks(counted, figure_date, plan)
    [collected] = _collect_all([rows], table)
    stats = _checked(_summary(collected.lazy(), plan, figure_date).collect(), table, plan, limits)
    if isinstance(stats, str):
        return stats, None
    digest = fmt.digest(collected.lazy(), part=0, passes=1)
    return stats, add_up([digest.collect()])


_SHARE = "__share"
# Rows per batch written to the temporary files; with the writer's default, its buffers and
# so memory grew with the file.
_BATCH_ROWS = 8192


def _check_and_count_in_shares(
    counted: pl.LazyFrame,
    figure_date: pl.Expr | None,
    fmt: Format,
    passes: int,
    table: RawTable,
    plan: _Plan,
    limits: ImportLimits,
) -> tuple[dict | str, pl.DataFrame | None]:
    """Check a large file and count its digest with memory that does not grow with the file.

    The one pass over the file that checks it also writes the rows to count (hashed
    identifiers, never the identifiers themselves) to temporary files, one folder per share of
    the identifiers; each share is then counted on its own, so memory follows the distinct
    identifiers of one share. The files are deleted before this returns, whatever happens.

    The checks are summed up beside the writing, in the same pass; where the plan has no
    batch functions (see `_plan`'s `usual`), the two share the parsed cells.
    """
    summary = _summary(plan.checked, plan, figure_date)
    with tempfile.TemporaryDirectory(prefix="vitrine-import-") as folder:
        shares = counted.sink_ipc(
            pl.PartitionBy(
                folder,
                key=(pl.col(fmt.counted) % passes).alias(_SHARE),
                include_key=False,
            ),
            compression="lz4",
            record_batch_size=_BATCH_ROWS,
            maintain_order=False,
            lazy=True,
        )
        first, _written = _collect_all([summary, shares], table)
        stats = _checked(first, table, plan, limits)
        if isinstance(stats, str):
            return stats, None
        parts = [
            fmt.digest(pl.scan_ipc(share / "*.ipc"), part=0, passes=1)
            for share in sorted(Path(folder).iterdir())
        ]
        digest = add_up([_collect_all([part], table)[0] for part in parts])
    return stats, digest


def _collect_all(queries: list[pl.LazyFrame], table: RawTable) -> list[pl.DataFrame]:
    """Collect with the streaming engine, in one pass over the file for all `queries`."""
    try:
        return pl.collect_all(queries, engine="streaming")
    except pl.exceptions.PolarsError as error:
        message = str(error)
        raise ImportRefused.single(
            _("The file could not be read as a table: %(error)s")
            % {"error": message.splitlines()[0][:200] if message else type(error).__name__}
        ) from None


def _problems(table: RawTable, plan: _Plan, counts: list[int], cap: int) -> list[Problem]:
    """The first `cap` problems in row order, with the cells they are about."""
    flagged = [flag for flag, count in zip(plan.flags, counts, strict=True) if count]
    # Every flagged row has a problem, so the first `cap` of them hold the first `cap` problems.
    [rows] = _collect_all(
        [
            plan.checked.filter(pl.any_horizontal(flag.name for flag in flagged))
            .select(
                ROW,
                *dict.fromkeys(flag.name for flag in flagged),
                *dict.fromkeys(f.raw for f in flagged),
            )
            .head(cap)
        ],
        table,
    )
    rows = rows.sort(ROW)
    header_of = {column_name(i): cell for i, cell in enumerate(table.header)}
    problems = []
    for row in rows.iter_rows(named=True):
        for flag in flagged:
            if not row[flag.name]:
                continue
            value = row[flag.raw] if flag.raw in plan.shown else None
            if value is not None and len(value) > _VALUE_CHARS:
                value = value[:_VALUE_CHARS] + "…"
            problems.append(
                Problem(
                    row=row[ROW],
                    column=header_of[flag.raw],
                    value=value or None,
                    reason=flag.reason,
                )
            )
    return problems[:cap]


# Names the next layers use when they need a column spec or a format by key.
__all__ += ["Column", "Format"]
