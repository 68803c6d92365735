"""Open any tabular upload (CSV or XLSX) as a `Table`, with every check done."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .limits import ReadLimits
from .problems import TableError, megabytes
from .text import clean_header, column_letter, not_a_table, read_csv
from .xlsx import read_xlsx

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary .xls (and .doc)

__all__ = ["ReadLimits", "Table", "TableError", "column_letter", "open_table"]


@dataclass
class Table:
    """A file's header and its data as UTF-8 CSV, ready for `rows()` or a CSV scanner.

    For a workbook (`numbered`), every record of `data` starts with the row number the sheet
    shows; for a CSV file the row is the record's position in the file.
    """

    kind: str  # "csv" or "xlsx"
    data: bytes | Path
    delimiter: str
    header: list[str]
    header_row: int
    numbered: bool
    encoding: str = ""
    lines: int = 0  # CSV: line ends; XLSX: data rows
    keep: list[Any] = field(default_factory=list)
    # No cell is longer than this many bytes (an upper bound, from the longest line of a CSV
    # file without quotes); None when unknown, as for workbooks.
    cell_bytes: int | None = None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """The data rows after the header, as (row number, cells), blank rows left out."""
        if isinstance(self.data, bytes):
            text: Any = io.TextIOWrapper(io.BytesIO(self.data), encoding="utf-8-sig", newline="")
        else:
            text = self.data.open(encoding="utf-8-sig", newline="")
        with text:
            reader = csv.reader(text, delimiter=self.delimiter, strict=False)
            number = 0
            for record in reader:
                if self.numbered:
                    number, cells = int(record[0]), record[1:]
                else:
                    number, cells = number + 1, record
                if number <= self.header_row or not any(cell.strip() for cell in cells):
                    continue
                yield number, cells

    def close(self) -> None:
        for item in self.keep:
            for name in ("cleanup", "close"):
                if hasattr(item, name):
                    getattr(item, name)()
                    break
        self.keep.clear()


def open_table(
    source: bytes | Path, *, filename: str = "", sheet: str | None = None, limits: ReadLimits
) -> Table:
    """Read a CSV or XLSX file (bytes or a path) as a Table, or raise TableError saying why not."""
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    if size > limits.max_bytes:
        raise TableError(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported.")
            % {"size": megabytes(size), "limit": megabytes(limits.max_bytes)}
        )
    if size == 0:
        raise TableError(_("The file is empty."))
    head = source[:512] if isinstance(source, bytes) else _head(source)
    name = filename.lower()
    if head.startswith(ZIP_MAGIC):
        return _workbook(source, sheet=sheet, limits=limits)
    if head.startswith(OLE_MAGIC) or name.endswith(".xls"):
        raise TableError(_("The file is in the old Excel format (XLS). Save it as XLSX or CSV."))
    if name.endswith((".xlsx", ".xlsm")):
        raise TableError(_("The file is not a valid XLSX workbook."))
    if head.startswith(b"%PDF"):
        raise TableError(
            _("The file is a PDF document, not a table. Export the data as CSV or XLSX.")
        )
    if sheet:
        raise TableError(_("A sheet can only be chosen for XLSX workbooks."))
    found = read_csv(source, limits)
    if len(found.header) > limits.max_columns:
        raise TableError(
            _("The header has %(count)s columns; at most %(limit)s can be read.")
            % {"count": len(found.header), "limit": limits.max_columns},
            row=found.header_row,
        )
    return Table(
        kind="csv",
        data=found.data,
        delimiter=found.delimiter,
        header=found.header,
        header_row=found.header_row,
        numbered=False,
        encoding=found.encoding,
        lines=found.lines,
        keep=[found.keep] if found.keep is not None else [],
        cell_bytes=found.line_bytes,
    )


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(512)


def _workbook(source: bytes | Path, *, sheet: str | None, limits: ReadLimits) -> Table:
    found = read_xlsx(source, sheet=sheet, limits=limits)
    try:
        with found.path.open(encoding="utf-8", newline="") as text:
            first = next(csv.reader(text), None)
    except BaseException:
        found.keep.cleanup()
        raise
    if not first:
        found.keep.cleanup()
        raise not_a_table()
    return Table(
        kind="xlsx",
        data=found.path,
        delimiter=",",
        header=clean_header(first[1:]),
        header_row=int(first[0]),
        numbered=True,
        encoding="utf-8",
        lines=found.rows,
        keep=[found.keep],
    )
