"""CSV files decoded while streaming, with a real byte counter, into UTF-8 the readers can scan.

Reads what real users have: UTF-8 with or without BOM, UTF-16 LE/BE with BOM (PowerShell's
`Out-File`, Excel's "Unicode Text", usually tab separated), Windows-1252 (German Excel's "CSV
(Trennzeichen-getrennt)") and CR-only line ends (Excel for Mac). Whatever is not UTF-8 with
"\\n" line ends is copied as such, chunk by chunk. Every byte is checked on the way: a byte that
is not text in the file's encoding, or a NUL, is refused naming its row and column; a file is
never silently decoded in another encoding than the one its bytes are in.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from .limits import ReadLimits
from .problems import TableError, megabytes

HEAD = 64 * 1024
CHUNK = 1024 * 1024
UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
UTF16_LE = "utf-16-le"
UTF16_BE = "utf-16-be"
CP1252 = "windows-1252"
_CODEC = {UTF8: "utf-8", UTF8_BOM: "utf-8", UTF16_LE: "utf-16-le", UTF16_BE: "utf-16-be"}
_CODEC[CP1252] = "cp1252"
# German text as UTF-8 (ä ö ü ß Ä Ö Ü é, € „ “ – …): in a Windows-1252 file these bytes read as
# "Ã¼" or "â€ž", which no one writes. Found there, the file is a mix of both encodings.
_UTF8_IN_CP1252 = re.compile(rb"\xc3[\x80-\xbf]|\xe2[\x80-\x82][\x80-\xbf]")
_NOT_TEXT = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
DELIMITERS = (";", ",", "\t")


@dataclass
class CsvFile:
    """A CSV file checked from its first to its last byte, as UTF-8 text."""

    data: bytes | Path  # UTF-8 (a BOM at most at the start), "\n" or "\r\n" line ends
    encoding: str  # as found in the file
    delimiter: str
    header: list[str]
    header_row: int
    lines: int  # line ends in the file: an upper bound of its rows
    keep: Any = None  # the temporary copy `data` names, deleted when this is dropped
    # No line of `data` is longer than this many bytes, so no cell is either; None when a
    # quoted cell may span lines. See `LineBound`.
    line_bytes: int | None = None


def column_letter(index: int) -> str:
    """Spreadsheet column name for a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def clean_header(cells: list[str]) -> list[str]:
    """Header cells without BOM, surrounding blanks or non-breaking spaces at their ends."""
    return [cell.replace("\ufeff", "").strip().strip("\u00a0").strip() for cell in cells]


def sniff_delimiter(line: str) -> str:
    """The separator of a header line: the most frequent of ; , and tab outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def not_a_table() -> TableError:
    return TableError(
        _("The file is not a table. Upload a CSV file (UTF-8 or Windows-1252) or an XLSX workbook.")
    )


def _chunks(source: bytes | Path, start: int) -> Iterator[bytes]:
    if isinstance(source, bytes):
        for offset in range(start, len(source), CHUNK):
            yield source[offset : offset + CHUNK]
        return
    with source.open("rb") as handle:
        handle.seek(start)
        while chunk := handle.read(CHUNK):
            yield chunk


def _head(source: bytes | Path) -> bytes:
    if isinstance(source, bytes):
        return source[:HEAD]
    with source.open("rb") as handle:
        return handle.read(HEAD)


def _encoding(head: bytes, *, complete: bool) -> tuple[str, int]:
    """The file's encoding from its first bytes, and where its text starts (after a BOM)."""
    if head.startswith(codecs.BOM_UTF8):
        return UTF8_BOM, len(codecs.BOM_UTF8)
    if head.startswith(codecs.BOM_UTF16_LE):
        return UTF16_LE, 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return UTF16_BE, 2
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A head cut from a longer file may end inside a character.
        if complete or error.start < len(head) - 3:
            return CP1252, 0
    return UTF8, 0


class _Bad(Exception):
    """A character at `offset` (counted in characters from the start of the text) is refused."""

    def __init__(self, offset: int, kind: str, detail: str = ""):
        super().__init__(kind)
        self.offset = offset
        self.kind = kind
        self.detail = detail


class LineBound:
    """How long the longest line of the bytes fed is, as an upper bound in bytes.

    Lines up to WINDOW bytes are not measured one by one: the search jumps from window to
    window and only measures a line that fills a whole window, so the bound costs a few
    searches per window rather than a step per line. The bound is WINDOW or the length of
    the longest line above it (line ends included). A file with a quote character may have
    cells spanning lines, whose length no line tells: its bound is None.
    """

    WINDOW = 8192

    def __init__(self) -> None:
        self.bound: int | None = self.WINDOW
        self._open = 0  # bytes of the line not yet ended

    def feed(self, data: bytes) -> None:
        if self.bound is None:
            return
        if b'"' in data:
            self.bound = None
            return
        size = len(data)
        end = data.find(b"\n")
        if end < 0:
            self._open += size
            return
        self._line(self._open + end + 1)
        start = end + 1
        while size - start > self.WINDOW:
            found = data.rfind(b"\n", start, start + self.WINDOW)
            if found >= 0:  # every line from `start` to here fits in a window
                start = found + 1
                continue
            end = data.find(b"\n", start + self.WINDOW)
            if end < 0:
                break
            self._line(end + 1 - start)
            start = end + 1
        found = data.rfind(b"\n", start)
        self._open = size - (start if found < 0 else found + 1)

    def close(self) -> int | None:
        """The bound for everything fed."""
        if self.bound is not None:
            self._line(self._open)
            self._open = 0
        return self.bound

    def _line(self, length: int) -> None:
        if self.bound is not None and length > self.bound:
            self.bound = length


def read_csv(source: bytes | Path, limits: ReadLimits) -> CsvFile:
    """Check a CSV file whole and return it as UTF-8, or raise TableError saying what is wrong."""
    head = _head(source)
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    encoding, start = _encoding(head, complete=len(head) == size)
    text = head[start:].decode(_CODEC[encoding], errors="replace")
    if len(_NOT_TEXT.findall(text)) > max(2, len(text) // 100) or text.count("\x00") > max(
        2, len(text) // 100
    ):
        raise not_a_table()
    first = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    delimiter = sniff_delimiter(first)
    cr_only = _cr_only(text, delimiter)
    header, header_row = _header(text, delimiter)
    if header is None:
        raise TableError(_("The file is empty."))
    copy = encoding not in (UTF8, UTF8_BOM) or cr_only
    try:
        try:
            lines, data, keep, line_bytes = _scan(source, start, encoding, cr_only, copy, limits)
        except _Bad as bad:
            if bad.kind == "stray" and bad.detail == "ascii" and encoding == UTF8:
                # Plain ASCII until a byte UTF-8 does not have: Windows-1252 from the start.
                encoding = CP1252
                lines, data, keep, line_bytes = _scan(
                    source, start, encoding, cr_only, True, limits
                )
            else:
                raise
    except _Bad as bad:
        raise _refusal(bad, source, start, encoding, delimiter, header) from None
    return CsvFile(
        data=data,
        encoding=encoding,
        delimiter=delimiter,
        header=header,
        header_row=header_row,
        lines=lines,
        keep=keep,
        line_bytes=line_bytes,
    )


def _cr_only(text: str, delimiter: str) -> bool:
    """Whether the lines end with CR alone (Excel for Mac): a CR and no LF outside quotes.

    A cell may hold a line break (Excel writes an LF) whatever ends the lines; only the line
    ends outside quoted cells tell. A quote opens a cell at the start of a line or after a
    delimiter (as in the readers); a quoted cell cut off by the end of the head runs to its end.
    """
    quoted = re.compile(rf'(?<![^{re.escape(delimiter)}\r\n])"(?:[^"]|"")*(?:"|\Z)')
    outside = quoted.sub("", text)
    return "\r" in outside and "\n" not in outside


def _header(text: str, delimiter: str) -> tuple[list[str] | None, int]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        for number, record in enumerate(reader, start=1):
            if any(cell.strip() for cell in record):
                return clean_header(record), number
    except csv.Error:
        raise not_a_table() from None
    return None, 0


def _scan(
    source: bytes | Path,
    start: int,
    encoding: str,
    cr_only: bool,
    copy: bool,
    limits: ReadLimits,
) -> tuple[int, bytes | Path, Any, int | None]:
    """Decode every byte once; count lines; copy the text as UTF-8 if `copy`.

    Returns the line count, the UTF-8 data, what keeps a copy alive and the `LineBound` of
    the data.
    """
    codec = _CODEC[encoding]
    decoder = codecs.getincrementaldecoder(codec)("strict")
    utf8 = codec == "utf-8"
    newline = "\r" if cr_only else "\n"
    target: Any = None
    if copy:
        if isinstance(source, bytes):
            target = io.BytesIO()
        else:
            target = tempfile.NamedTemporaryFile(prefix="vitrine-import-", suffix=".csv")  # noqa: SIM115
    chars = 0  # characters before the current chunk
    # UTF-8 read as it is: the bytes checked, and the start of a character the last chunk
    # cut off.
    done = 0
    cut = b""
    read = start
    lines = 0
    ascii_so_far = True
    bound = LineBound()
    try:
        for chunk in _chunks(source, start):
            read += len(chunk)
            if read > limits.max_bytes:
                raise TableError(
                    _("The file is larger than %(limit)s MB, the most that can be imported.")
                    % {"limit": megabytes(limits.max_bytes)}
                )
            if utf8 and not copy:
                # The common case, checked without decoding into Python text: the bytes are
                # the data as they are, and only need to be valid UTF-8. Offsets are counted
                # in bytes here, and in characters only for a refusal.
                body = cut + chunk
                end = _complete(body)
                body, cut = body[:end], body[end:]
                plain = body.isascii()
                if not plain and not _is_utf8(body):
                    try:
                        body.decode("utf-8")
                    except UnicodeDecodeError as error:
                        valid = body[: error.start]
                        detail = "ascii" if ascii_so_far and valid.isascii() else ""
                        offset = _utf8_chars(source, start, done + error.start)
                        raise _Bad(offset, "stray", detail) from None
                    raise AssertionError("polars and Python disagree on UTF-8") from None
                nul = body.find(b"\x00")
                if nul >= 0:
                    raise _Bad(_utf8_chars(source, start, done + nul), "nul")
                ascii_so_far = ascii_so_far and plain
                lines += body.count(b"\n")
                done += len(body)
                if lines > limits.max_rows + 1:
                    raise _too_many_rows(limits)
                bound.feed(chunk)
                continue
            pending = decoder.getstate()[0]
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                valid = (pending + chunk)[: error.start].decode(codec, errors="replace")
                detail = "ascii" if ascii_so_far and valid.isascii() else ""
                raise _Bad(chars + len(valid), "stray", detail) from None
            if codec == "cp1252" and (mixed := _UTF8_IN_CP1252.search(chunk)):
                raise _Bad(chars + mixed.start(), "mixed")
            ascii_so_far = ascii_so_far and text.isascii()
            nul = text.find("\x00")
            if nul >= 0:
                raise _Bad(chars + nul, "nul")
            lines += text.count(newline)
            chars += len(text)
            if lines > limits.max_rows + 1:
                raise _too_many_rows(limits)
            if target is not None:
                written = (text.replace("\r", "\n") if cr_only else text).encode("utf-8")
                target.write(written)
                bound.feed(written)
            else:
                bound.feed(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise _Bad(chars, "stray") from None
        if cut:  # the file ends inside a character
            raise _Bad(_utf8_chars(source, start, done), "stray")
    except BaseException:
        if target is not None:
            target.close()
        raise
    line_bytes = bound.close()
    if target is None:
        return lines, source, None, line_bytes
    if isinstance(target, io.BytesIO):
        return lines, target.getvalue(), None, line_bytes
    target.flush()
    return lines, Path(target.name), target, line_bytes


def _complete(data: bytes) -> int:
    """Where a UTF-8 character cut off at the end of `data` starts; len(data) if none is."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return len(data)
        if byte >= 0xC0:  # the first byte of a character of 2, 3 or 4 bytes
            length = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return len(data) - back if back < length else len(data)
    return len(data)


def _is_utf8(data: bytes) -> bool:
    """Whether `data` is valid UTF-8.

    Polars checks UTF-8 many times faster than Python decodes it, and by the same rules
    (no overlong forms, no surrogates, nothing above U+10FFFF).
    """
    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.PolarsError:
        return False
    return True


def _utf8_chars(source: bytes | Path, start: int, size: int) -> int:
    """The characters in the `size` bytes of UTF-8 text after `start`."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    count = 0
    for chunk in _chunks(source, start):
        part = chunk[:size]
        size -= len(part)
        count += len(decoder.decode(part, final=size <= 0))
        if size <= 0:
            break
    return count


def _too_many_rows(limits: ReadLimits) -> TableError:
    return TableError(too_many_rows(limits.max_rows, limits.rows_setting))


def too_many_rows(limit: int, setting: str) -> str:
    if setting:
        return _(
            "The file has more than %(limit)s rows, the most that can be imported "
            "(setting %(setting)s). Split it into smaller files."
        ) % {"limit": limit, "setting": setting}
    return _("The file has more than %(limit)s rows. Split it into smaller files.") % {
        "limit": limit
    }


def _text_until(source: bytes | Path, start: int, encoding: str, end: int) -> Iterator[str]:
    """The file's text up to and including character `end`, undecodable bytes as U+FFFD."""
    decoder = codecs.getincrementaldecoder(_CODEC[encoding])("replace")
    left = end + 1
    for chunk in _chunks(source, start):
        text = decoder.decode(chunk)
        if len(text) >= left:
            yield text[:left]
            return
        left -= len(text)
        yield text


def _lines(pieces: Iterator[str]) -> Iterator[str]:
    carry = ""
    for piece in pieces:
        lines = io.StringIO(carry + piece, newline="").readlines()
        carry = lines.pop() if lines and not lines[-1].endswith(("\n", "\r")) else ""
        # "\r" then "\n" in the next piece is one line end; keep a trailing "\r" back.
        if lines and lines[-1].endswith("\r") and not carry:
            carry = lines.pop()
        yield from lines
    if carry:
        yield carry


def locate(
    source: bytes | Path, start: int, encoding: str, delimiter: str, offset: int
) -> tuple[int, int]:
    """The row (as a spreadsheet counts them) and 0-based column of the character at `offset`."""
    text = (
        piece.replace("\x00", "\ufffd") for piece in _text_until(source, start, encoding, offset)
    )
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=False)
    rows, last = 0, [""]
    try:
        for record in reader:
            rows += 1
            last = record or [""]
    except csv.Error:
        rows += 1
    return max(rows, 1), len(last) - 1


def _refusal(
    bad: _Bad,
    source: bytes | Path,
    start: int,
    encoding: str,
    delimiter: str,
    header: list[str],
) -> TableError:
    row, index = locate(source, start, encoding, delimiter, bad.offset)
    column = header[index] if 0 <= index < len(header) and header[index] else column_letter(index)
    if bad.kind == "nul":
        message = _(
            "The cell holds a NUL character (a zero byte), which no text may contain. Remove "
            "it, or export the file again."
        )
    elif bad.kind == "mixed":
        message = _(
            "The cell holds UTF-8 text in a file written in Windows-1252: the file mixes two "
            "encodings. Save it again as CSV (UTF-8)."
        )
    elif encoding in (UTF8, UTF8_BOM):
        message = _(
            "The cell holds a byte that is not UTF-8, although the file is UTF-8 up to there "
            "(a character pasted from another program?). Correct the cell, or save the file "
            "again as CSV (UTF-8)."
        )
    else:
        message = _(
            "The cell holds bytes that are not text in the file's encoding (%(encoding)s). "
            "Save the file again as CSV (UTF-8)."
        ) % {"encoding": encoding}
    return TableError(message, row=row, column=column)
