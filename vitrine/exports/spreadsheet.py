"""CSV and XLSX cells and files that no spreadsheet program runs as a formula (OWASP).

Every export of the portal writes its cells through `safe_cell`: a text that starts with
= + - @, a tab, a carriage return or NUL gets a leading apostrophe, and characters a workbook
cannot hold (NUL and the other C0 controls except tab, line feed and carriage return) are
removed. Numbers, dates and empty values stay what they are, so -3 is still a number.

- `csv_bytes` and `xlsx_bytes` write whole files.
- `FormulaSafeExportMixin` goes before Wagtail's `SpreadsheetExportMixin` (report views,
  snippet and model view sets with `list_export`) and makes their downloads safe.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
CSV_DELIMITER = ";"  # what spreadsheet programs in German expect
# What XML 1.0 cannot carry: openpyxl refuses such a cell, and NUL ends strings in C readers.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(text: str) -> str:
    """`text` without unwritable characters, with an apostrophe if it could start a formula."""
    cleaned = _UNWRITABLE.sub("", text)
    if text.startswith(FORMULA_STARTS) or cleaned.startswith(FORMULA_STARTS):
        return "'" + cleaned
    return cleaned


def safe_cell(value: Any) -> Any:
    """A cell value no spreadsheet runs: texts made safe, anything else as it is."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return safe_text(value)
    return value


def csv_bytes(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, delimiter: str = CSV_DELIMITER
) -> bytes:
    """A CSV file in UTF-8 with a BOM (so Excel reads the umlauts); None is written empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(value) for value in header])
    for row in rows:
        writer.writerow(["" if value is None else safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_cell(sheet, value: Any) -> Any:
    """A cell for openpyxl's `sheet.append` on a write-only sheet: texts always as text."""
    from openpyxl.cell import WriteOnlyCell

    value = safe_cell(value)
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # never a formula, whatever openpyxl makes of the text
    return cell


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook with one sheet per (title, header, rows); sheet titles are cut to 31 chars."""
    from openpyxl import Workbook  # only here: CSV exports need none of it

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([xlsx_cell(sheet, value) for value in header])
        for row in rows:
            sheet.append([xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class FormulaSafeExportMixin:
    """Put before Wagtail's SpreadsheetExportMixin (or a view that has it): every heading and
    value of its CSV and XLSX downloads goes through `safe_cell`, after Wagtail's own
    preprocessing, so that no `custom_*_preprocess` entry or `str()` of an object escapes it."""

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        return safe_cell(super().preprocess_field_value(field, value, export_format))

    def get_heading(self, queryset, field: str) -> str:
        return safe_cell(super().get_heading(queryset, field))
