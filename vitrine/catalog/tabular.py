"""Catalog files (CSV, XLSX) as rows of text, read by the shared reader (`vitrine.tabular`).

The reader makes every check of the file itself, the same as for figures imports; the catalog
adds its own bounds: at most MAX_ROWS entries and MAX_COLUMNS columns per file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.utils.translation import gettext as _

from vitrine.tabular.limits import MB, ReadLimits
from vitrine.tabular.reader import ZIP_MAGIC, TableError, column_letter, open_table

MAX_ROWS = 5_000
MAX_COLUMNS = 100

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "Table", "TableError", "column_letter", "read_table"]


def max_unpacked_bytes() -> int:
    """The most a workbook may unpack to (the figures' limit, in settings)."""
    return settings.VITRINE_IMPORT_XLSX_MAX_UNPACKED_MB * MB


@dataclass
class Table:
    """A header and data rows as text, each row with its number as a spreadsheet shows it."""

    header: list[str]
    header_row: int = 1
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    kind: str = "csv"
    delimiter: str = ""
    encoding: str = ""


def read_table(data: bytes, *, filename: str = "", sheet: str | None = None) -> Table:
    """Read CSV or XLSX bytes into a Table, or raise TableError saying what is wrong."""
    limits = ReadLimits.from_settings(max_bytes=settings.VITRINE_CATALOG_IMPORT_MAX_BYTES)
    if data.startswith(ZIP_MAGIC):
        # The workbook's child process stops right after the catalog's own bound; a CSV file
        # (at most the catalog's byte limit) is counted row by row below.
        limits = replace(limits, max_rows=MAX_ROWS, rows_setting="")
    table = open_table(data, filename=filename, sheet=sheet, limits=limits)
    try:
        header = _trimmed(table.header)
        if len(header) > MAX_COLUMNS:
            raise TableError(
                _("The header has %(count)s columns; a catalog file has at most %(limit)s.")
                % {"count": len(header), "limit": MAX_COLUMNS},
                row=table.header_row,
            )
        rows: list[tuple[int, list[str]]] = []
        for number, cells in table.rows():
            if len(rows) >= MAX_ROWS:
                raise TableError(
                    _("The file has more than %(limit)s rows. Split it into smaller files.")
                    % {"limit": MAX_ROWS},
                    row=number,
                )
            cells = _trimmed([cell.strip() for cell in cells])
            if len(cells) > MAX_COLUMNS:
                raise TableError(
                    _("Row %(row)s has %(count)s columns; a catalog file has at most %(limit)s.")
                    % {"row": number, "count": len(cells), "limit": MAX_COLUMNS},
                    row=number,
                )
            rows.append((number, cells))
    finally:
        table.close()
    return Table(
        header=header,
        header_row=table.header_row,
        rows=rows,
        kind=table.kind,
        delimiter=table.delimiter,
        encoding=table.encoding,
    )


def _trimmed(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells
