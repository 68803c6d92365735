"""Read CSV or XLSX safely into a table of text cells: sniffing, decoding and the safety checks."""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastexcel
import polars as pl
from django.utils.translation import gettext as _

from .base import ImportLimits, ImportRefused, Problem, normalise_header

ROW = "__row"
_CP1252 = "cp1252"
# Polars reads a CSV file in chunks whose size grows with the file, and memory with them; a
# fixed size keeps memory flat however large the file (a deployment may set its own size).
os.environ.setdefault("POLARS_CSV_CHUNK_SIZE", str(8 * 1024 * 1024))
_SNIFF_CHARS = 64 * 1024
_CHUNK = 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Below this size a zip part cannot hurt, however well it compresses (an empty sheet does).
_RATIO_FLOOR = 1024 * 1024


@dataclass(frozen=True)
class RawTable:
    """Header cells as written, and the data as text columns c0…cn plus the Excel row number."""

    header: list[str]
    frame: pl.LazyFrame
    decimal_comma: bool
    keep: Any = None  # a transcoded temporary copy the frame reads; deleted with the handle
    may_not_be_utf8: bool = False  # read as UTF-8 on the strength of its first bytes alone
    estimated_rows: int = 0  # from the file size and the length of the first rows


def column_name(index: int) -> str:
    return f"c{index}"


def read_table(
    source: bytes | Path,
    *,
    filename: str,
    sheet: str | None,
    limits: ImportLimits,
    encoding: str | None = None,
) -> RawTable:
    """The file as a lazy table of text cells; `encoding` forces "cp1252" after a failed try."""
    size = source.stat().st_size if isinstance(source, Path) else len(source)
    if size > limits.max_bytes:
        raise ImportRefused.single(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported.")
            % {"size": _megabytes(size), "limit": _megabytes(limits.max_bytes)}
        )
    head = _head(source, _SNIFF_CHARS)
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n"):
        raise ImportRefused.single(_("The file is empty."))
    if head.startswith(_ZIP_MAGIC):
        return _read_xlsx(source, sheet=sheet, limits=limits)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportRefused.single(_("The file is not a valid XLSX workbook."))
    if head.startswith(b"%PDF"):
        raise ImportRefused.single(
            _("The file is a PDF document, not a table. Export the data as CSV or XLSX.")
        )
    if head.startswith(_OLE_MAGIC):
        raise ImportRefused.single(
            _("The file is in the old Excel format (XLS). Save it as XLSX or CSV.")
        )
    if sheet:
        raise ImportRefused.single(_("A sheet can only be chosen for XLSX workbooks."))
    return _read_csv(source, head, limits=limits, encoding=encoding)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _head(source: bytes | Path, length: int) -> bytes:
    if isinstance(source, Path):
        with source.open("rb") as handle:
            return handle.read(length)
    return source[:length]


def _not_tabular() -> ImportRefused:
    return ImportRefused.single(
        _("The file is not a table. Upload a CSV file (UTF-8 or Windows-1252) or an XLSX workbook.")
    )


def _utf8_text(head: bytes, *, complete: bool) -> str | None:
    """The head decoded as UTF-8, or None when it is not UTF-8.

    A head cut from a longer file may end inside a multi-byte character; that tail is dropped.
    """
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as error:
        if complete or error.start < len(head) - 3:
            return None
        return head[: error.start].decode("utf-8", errors="strict")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n\f")
    return controls > max(2, len(text) // 100)


def _sniff_delimiter(first_line: str) -> str:
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(
    source: bytes | Path, head: bytes, *, limits: ImportLimits, encoding: str | None
) -> RawTable:
    complete = len(head) < _SNIFF_CHARS  # the head is the whole file
    text = None if encoding == _CP1252 else _utf8_text(head, complete=complete)
    if text is None:
        encoding = _CP1252
        try:
            text = head.decode(_CP1252)
        except UnicodeDecodeError:
            raise _not_tabular() from None
    text = text.removeprefix("\ufeff")
    if _looks_binary(text):
        raise _not_tabular()
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = _sniff_delimiter(first_line)
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except (csv.Error, StopIteration):
        raise _not_tabular() from None
    header = [cell.replace("\ufeff", "").strip() for cell in header]
    _refuse_duplicates(header)
    if not any(header):
        raise _not_tabular()

    keep = None
    data: bytes | Path = source
    if encoding == _CP1252:
        data, keep = _to_utf8(source)
    names = [column_name(i) for i in range(len(header))]
    frame = pl.scan_csv(
        data,
        separator=delimiter,
        has_header=True,
        new_columns=names,
        infer_schema=False,
        truncate_ragged_lines=True,
        quote_char='"',
        raise_if_empty=False,
    )
    try:
        width = frame.collect_schema().len()
    except pl.exceptions.PolarsError as error:
        raise ImportRefused.single(
            _("The file could not be read as a table: %(error)s") % {"error": _short(error)}
        ) from None
    if width != len(names):
        raise _not_tabular()
    return RawTable(
        header=header,
        frame=frame.with_row_index(ROW, offset=2),
        decimal_comma=delimiter == ";",
        keep=keep,
        # Only the head was checked; the rest may still prove not to be UTF-8.
        may_not_be_utf8=encoding != _CP1252 and not complete,
        estimated_rows=_estimated_rows(source, head),
    )


def _estimated_rows(source: bytes | Path, head: bytes) -> int:
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    return math.ceil(size * max(1, head.count(b"\n")) / max(1, len(head)))


def _to_utf8(source: bytes | Path) -> tuple[bytes | Path, Any]:
    """A Windows-1252 file as UTF-8: in memory for bytes, a temporary file for a path.

    The temporary file is written chunk by chunk (every byte is one character in
    Windows-1252, so chunks never split one) and deleted once the returned handle is closed
    or forgotten.
    """
    try:
        if isinstance(source, bytes):
            return source.decode(_CP1252).encode("utf-8"), None
        copy = tempfile.NamedTemporaryFile(prefix="vitrine-import-", suffix=".csv")  # noqa: SIM115
        try:
            with source.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    copy.write(chunk.decode(_CP1252).encode("utf-8"))
            copy.flush()
        except BaseException:
            copy.close()
            raise
    except UnicodeDecodeError:
        raise _not_tabular() from None
    return Path(copy.name), copy


def _short(error: Exception) -> str:
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__


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


def check_zip(archive: zipfile.ZipFile, *, limits: ImportLimits) -> None:
    """Refuse zip bombs and XML entity tricks from the central directory and part heads alone."""
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if total > limits.max_xlsx_uncompressed:
        raise ImportRefused.single(
            _("The workbook unpacks to %(size)s MB; at most %(limit)s MB are allowed.")
            % {"size": _megabytes(total), "limit": _megabytes(limits.max_xlsx_uncompressed)}
        )
    for info in infos:
        if info.file_size > _RATIO_FLOOR and (
            info.file_size > limits.max_xlsx_ratio * max(info.compress_size, 1)
        ):
            raise ImportRefused.single(
                _(
                    "The workbook is compressed suspiciously well (part %(part)s); "
                    "it is refused as a possible zip bomb."
                )
                % {"part": info.filename}
            )
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        with archive.open(info) as part:
            start = part.read(1024).lower()
        if b"<!doctype" in start or b"<!entity" in start:
            raise ImportRefused.single(
                _("The workbook part %(part)s declares XML entities; it is refused.")
                % {"part": info.filename}
            )


def _read_xlsx(source: bytes | Path, *, sheet: str | None, limits: ImportLimits) -> RawTable:
    try:
        with zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source)) as zf:
            check_zip(zf, limits=limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        raise ImportRefused.single(_("The file is not a valid XLSX workbook.")) from None
    data = str(source) if isinstance(source, Path) else source
    try:
        workbook = fastexcel.read_excel(data)
        names = workbook.sheet_names
        if sheet is not None and sheet not in names:
            raise ImportRefused.single(
                _("The workbook has no sheet named “%(sheet)s”; it has: %(names)s.")
                % {"sheet": sheet, "names": ", ".join(names)}
            )
        if not names:
            raise ImportRefused.single(_("The file is empty."))
        frame = workbook.load_sheet(
            sheet if sheet is not None else 0, header_row=None, dtypes="string"
        ).to_polars()
    except fastexcel.FastExcelError as error:
        raise ImportRefused.single(
            _("The workbook could not be read: %(error)s") % {"error": _short(error)}
        ) from None
    if frame.height == 0:
        raise ImportRefused.single(_("The file is empty."))
    originals = frame.columns
    names = [column_name(i) for i in range(len(originals))]
    frame = frame.rename(dict(zip(originals, names, strict=True))).cast(pl.String)
    header = ["" if cell is None else str(cell).strip() for cell in frame.row(0)]
    _refuse_duplicates(header)
    if not any(header):
        raise _not_tabular()
    return RawTable(
        header=header,
        frame=frame.slice(1).lazy().with_row_index(ROW, offset=2),
        decimal_comma=False,
        estimated_rows=frame.height,
    )
