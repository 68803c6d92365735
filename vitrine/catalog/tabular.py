"""Reading catalog files (CSV, XLSX) into rows of text, refusing what is unsafe or no table."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# An XLSX file is a zip archive. openpyxl sets no limit on how far it unpacks, so a small
# crafted file can expand to gigabytes ("zip bomb"). We check the archive's own directory
# first. Python's zipfile never returns more bytes for a member than the directory states
# (it stops there and fails the CRC check), so these sums bound what openpyxl can unpack.
MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Below this size even an extreme ratio cannot hurt; tiny XML parts compress very well.
RATIO_CHECK_FROM_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 1000
MAX_ROWS = 5_000
MAX_COLUMNS = 100

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old binary .xls (and .doc)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TableError(Exception):
    """The file cannot be read as a table; the message says why, in the user's words."""

    def __init__(self, message: str, *, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass
class Table:
    """A header and data rows as text, each row with its number as a spreadsheet shows it."""

    header: list[str]
    header_row: int = 1
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    kind: str = "csv"
    delimiter: str = ""
    encoding: str = ""


def column_letter(index: int) -> str:
    """Spreadsheet column name for a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_table(data: bytes, *, filename: str = "", sheet: str | None = None) -> Table:
    """Read CSV or XLSX bytes into a Table, or raise TableError saying what is wrong."""
    if not data or not data.strip():
        raise TableError(_("The file is empty."))
    name = filename.lower()
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, sheet=sheet)
    if data.startswith(_OLE_MAGIC) or name.endswith(".xls"):
        raise TableError(
            _(
                "This is an old Excel file (.xls). Save it as Excel workbook (.xlsx) "
                "or as CSV and upload it again."
            )
        )
    if name.endswith((".xlsx", ".xlsm")):
        raise TableError(_("The file is named .xlsx but is no Excel workbook."))
    if sheet:
        raise TableError(_("A worksheet can only be chosen for Excel workbooks, not for CSV."))
    return _read_csv(data)


# CSV ---------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise TableError(
                _("The file claims to be UTF-8 but is not (byte %(position)s).")
                % {"position": exc.start + len(codecs.BOM_UTF8)}
            ) from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export: UTF-16 with a byte order mark, tab separated.
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise TableError(_("The file claims to be UTF-16 but is not.")) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # What German Excel writes as "CSV (Trennzeichen-getrennt)".
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise TableError(
            _("The file is neither UTF-8 nor Windows-1252 text. Save it as CSV (UTF-8).")
        ) from exc


def _delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of ; , and tab outside quotes."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    if "\x00" in text or len(_CONTROL_CHARS.findall(text[:4096])) > 8:
        raise TableError(_("This is not a CSV or Excel file. Upload a table as .csv or .xlsx."))
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    header: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for record in reader:
            number += 1
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue
            if header is None:
                header, header_row = cells, number
                continue
            if len(rows) >= MAX_ROWS:
                raise TableError(
                    _("The file has more than %(limit)s rows. Split it into smaller files.")
                    % {"limit": MAX_ROWS},
                    row=number,
                )
            rows.append((number, cells))
    except csv.Error as exc:
        raise TableError(
            _("Row %(row)s cannot be read as CSV (%(error)s).") % {"row": number + 1, "error": exc},
            row=number + 1,
        ) from exc
    if header is None:
        raise TableError(_("The file is empty."))
    if len(header) > MAX_COLUMNS:
        raise TableError(
            _("The header has %(count)s columns; a catalog file has at most %(limit)s.")
            % {"count": len(header), "limit": MAX_COLUMNS},
            row=header_row,
        )
    return Table(
        header=header,
        header_row=header_row,
        rows=rows,
        kind="csv",
        delimiter=delimiter,
        encoding=encoding,
    )


# XLSX --------------------------------------------------------------------------------


def check_zip_archive(data: bytes) -> None:
    """Refuse archives that would unpack to too much (zip bombs) before anything parses them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableError(_("The file is no valid Excel workbook (.xlsx).")) from exc
    with archive:
        members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise TableError(
            _("The workbook consists of %(count)s parts; this is no ordinary catalog file.")
            % {"count": len(members)}
        )
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if unpacked > MAX_DECOMPRESSED_BYTES:
        raise TableError(
            _(
                "The workbook would unpack to %(size)s, more than the %(limit)s allowed. "
                "Remove unused sheets or save the catalog as CSV."
            )
            % {
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(MAX_DECOMPRESSED_BYTES),
            }
        )
    biggest = max(members, key=lambda m: m.file_size, default=None)
    ratios = [(unpacked, packed)]
    if biggest is not None:
        ratios.append((biggest.file_size, biggest.compress_size))
    for size, compressed in ratios:
        if size >= RATIO_CHECK_FROM_BYTES and size > MAX_COMPRESSION_RATIO * max(compressed, 1):
            raise TableError(
                _(
                    "The workbook is compressed more than %(ratio)s to 1, which ordinary "
                    "catalog files never are. It was not opened."
                )
                % {"ratio": MAX_COMPRESSION_RATIO}
            )


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes, *, sheet: str | None) -> Table:
    check_zip_archive(data)
    import openpyxl  # only here: CSV imports need none of it

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise TableError(_("The file is no valid Excel workbook (.xlsx).")) from exc
    try:
        names = workbook.sheetnames
        if sheet:
            if sheet not in names:
                raise TableError(
                    _("The workbook has no sheet “%(sheet)s”. Its sheets are: %(names)s.")
                    % {"sheet": sheet, "names": ", ".join(names)}
                )
            worksheet = workbook[sheet]
        elif names:
            worksheet = workbook[names[0]]
        else:
            raise TableError(_("The workbook has no worksheet."))
        if not hasattr(worksheet, "reset_dimensions"):
            raise TableError(_("The first sheet is a chart, not a table. Choose a worksheet."))
        # The stored dimension may claim a million rows or columns; read what is there.
        worksheet.reset_dimensions()
        return _table_from_rows(worksheet.iter_rows(values_only=True))
    except TableError:
        raise
    except Exception as exc:  # a damaged sheet part only shows while it is parsed
        raise TableError(_("The worksheet cannot be read: the file is damaged.")) from exc
    finally:
        workbook.close()


def _table_from_rows(values) -> Table:
    header: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, list[str]]] = []
    for number, row in enumerate(values, start=1):
        cells = [_cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if len(cells) > MAX_COLUMNS:
            raise TableError(
                _("Row %(row)s has %(count)s columns; a catalog file has at most %(limit)s.")
                % {"row": number, "count": len(cells), "limit": MAX_COLUMNS},
                row=number,
            )
        if header is None:
            header, header_row = cells, number
            continue
        if len(rows) >= MAX_ROWS:
            raise TableError(
                _("The sheet has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": MAX_ROWS},
                row=number,
            )
        rows.append((number, cells))
    if header is None:
        raise TableError(_("The worksheet is empty."))
    return Table(header=header, header_row=header_row, rows=rows, kind="xlsx")
