"""The figures' view of an import file: the shared reader's table as a lazy polars frame.

Every check of the file itself (size, encoding, NUL bytes, line ends, rows, zip bombs, XML
entities, a workbook parsed in a child process with limits) is `vitrine.tabular`'s, the same
as for the catalog; here the table becomes text columns c0…cn plus the row number.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from vitrine.tabular.limits import ReadLimits
from vitrine.tabular.reader import Table, TableError, open_table
from vitrine.tabular.text import HEAD

from .base import ImportLimits, ImportRefused, Problem, normalise_header

ROW = "__row"
# Polars reads a CSV file in chunks whose size grows with the file, and memory with them; a
# fixed size keeps memory flat however large the file (a deployment may set its own size).
os.environ.setdefault("POLARS_CSV_CHUNK_SIZE", str(8 * 1024 * 1024))


@dataclass(frozen=True)
class RawTable:
    """Header cells as written, and the data as text columns c0…cn plus the Excel row number."""

    header: list[str]
    frame: pl.LazyFrame
    decimal_comma: bool
    keep: Any = None  # the temporary file or folder the frame reads (a handle with `.name`)
    estimated_rows: int = 0  # CSV: from the line ends counted; XLSX: the rows read
    cell_bytes: int | None = None  # no cell is longer than this (None: unknown)


def column_name(index: int) -> str:
    return f"c{index}"


def read_limits(limits: ImportLimits) -> ReadLimits:
    return ReadLimits.from_settings(
        max_bytes=limits.max_bytes,
        xlsx_max_unpacked=limits.max_xlsx_uncompressed,
        xlsx_max_ratio=limits.max_xlsx_ratio,
    )


def read_table(
    source: bytes | Path,
    *,
    filename: str,
    sheet: str | None,
    limits: ImportLimits,
) -> RawTable:
    """The file as a lazy table of text cells, or ImportRefused saying why it cannot be read."""
    try:
        table = open_table(source, filename=filename, sheet=sheet, limits=read_limits(limits))
    except TableError as error:
        raise ImportRefused.single(error.message, row=error.row, column=error.column) from None
    try:
        _refuse_duplicates(table.header)
        if not any(table.header):
            raise ImportRefused.single(
                _(
                    "The file is not a table. Upload a CSV file (UTF-8 or Windows-1252) "
                    "or an XLSX workbook."
                )
            )
        return _raw(table)
    except BaseException:
        table.close()
        raise


def _raw(table: Table) -> RawTable:
    names = [column_name(i) for i in range(len(table.header))]
    if table.numbered:
        frame = pl.scan_csv(
            table.data,
            has_header=False,
            skip_rows=1,
            schema={ROW: pl.String, **dict.fromkeys(names, pl.String)},
            truncate_ragged_lines=True,
            quote_char='"',
            raise_if_empty=False,
        )
        frame = frame.with_columns(pl.col(ROW).cast(pl.UInt32)).select(*names, ROW)
        estimated = table.lines
    else:
        frame = pl.scan_csv(
            table.data,
            separator=table.delimiter,
            has_header=True,
            # Blank rows before the header (a sheet's empty first rows are saved as lines of
            # delimiters): polars would take the first for the header.
            skip_lines=_lines_before_header(table),
            new_columns=names,
            infer_schema=False,
            truncate_ragged_lines=True,
            quote_char='"',
            raise_if_empty=False,
        ).with_row_index(ROW, offset=table.header_row + 1)
        _refuse_another_header(frame, table)
        estimated = max(1, table.lines - table.header_row + 1)
    return RawTable(
        header=table.header,
        frame=frame,
        decimal_comma=table.delimiter == ";",
        # The temporary copy or folder the frame reads, deleted once the last holder is gone.
        keep=table.keep[0] if table.keep else None,
        estimated_rows=estimated,
        cell_bytes=table.cell_bytes,
    )


def _refuse_another_header(frame: pl.LazyFrame, table: Table) -> None:
    """Refuse a file whose header line, as polars reads it, is not the reader's header row.

    Polars ends lines at LF only, the reader's rows also at a lone CR; in a file mixing both
    before its header row, polars reads the header with what precedes it.
    """
    try:
        frame.collect_schema()
    except pl.exceptions.PolarsError:
        raise ImportRefused.single(
            _(
                "The lines up to the header row end in different ways (with CR alone and "
                "with LF). Save the file again as CSV."
            ),
            row=table.header_row,
        ) from None


def _lines_before_header(table: Table) -> int:
    """The line ends polars finds before the header: "\\n" only, also in quoted cells.

    The reader counts rows as Python's csv module does, which also ends a row at a lone CR;
    the rows before the header are blank and within the first 64 KB.
    """
    if table.header_row <= 1:
        return 0
    if isinstance(table.data, bytes):
        head = table.data[:HEAD]
    else:
        with table.data.open("rb") as handle:
            head = handle.read(HEAD)
    text = head.decode("utf-8-sig", errors="replace")
    read = 0

    def lines() -> Iterator[str]:
        nonlocal read
        for line in io.StringIO(text, newline=""):
            read += len(line)
            yield line

    records = csv.reader(lines(), delimiter=table.delimiter, strict=False)
    for _blank in range(table.header_row - 1):
        next(records, None)
    return text[:read].count("\n")


def _refuse_duplicates(header: list[str]) -> None:
    seen: dict[str, int] = {}
    problems = []
    for index, cell in enumerate(header):
        key = normalise_header(cell)
        if not key:
            continue
        if key in seen:
            problems.append(
                Problem(
                    row=1,
                    column=cell,
                    value=None,
                    reason=_(
                        "The column heading appears more than once (columns %(first)d and "
                        "%(second)d)."
                    )
                    % {"first": seen[key] + 1, "second": index + 1},
                )
            )
        else:
            seen[key] = index
    if problems:
        raise ImportRefused(problems)
