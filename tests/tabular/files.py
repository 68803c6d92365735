"""Files shaped like real exports and hostile uploads, made by the tests themselves."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
    '<sheets><sheet name="Tabelle1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def cell(ref: str, text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{escaped}</t></is></c>'


def sheet_xml(rows: str, *, dimension: str = "A1") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def workbook(sheet: str | bytes, *, extra: dict[str, str] | None = None) -> bytes:
    """A minimal XLSX holding one sheet part as given (inline strings, no shared strings)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, text in (extra or {}).items():
            archive.writestr(name, text)
    return buffer.getvalue()


def far_cell_workbook(ref: str) -> bytes:
    """A header in A1 and one cell at `ref`, the dimension claiming the whole range (~2 KB)."""
    row = int("".join(ch for ch in ref if ch.isdigit()))
    rows = f'<row r="1">{cell("A1", "product")}</row><row r="{row}">{cell(ref, "x")}</row>'
    return workbook(sheet_xml(rows, dimension=f"A1:{ref}"))


def many_rows_workbook(path: Path, rows: int) -> Path:
    """A workbook of `rows` data rows (a product and seats each), its sheet streamed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'.encode())
            part.write(f'<row r="1">{cell("A1", "product")}{cell("B1", "seats")}</row>'.encode())
            batch = []
            for number in range(2, rows + 2):
                batch.append(
                    f'<row r="{number}">{cell(f"A{number}", f"P{number}")}'
                    f'<c r="B{number}"><v>3</v></c></row>'
                )
                if len(batch) == 10_000:
                    part.write("".join(batch).encode())
                    batch = []
            part.write(("".join(batch) + "</sheetData></worksheet>").encode())
    return path


def lying_bomb(path: Path, *, inflated: int = 2 * 1024**3, declared: int = 900 * 1024) -> Path:
    """A zip whose sheet inflates to about `inflated` bytes while its central directory and its
    local header both declare `declared`.

    The sheet is deflated block by block: after a full flush a block of filler compresses to
    the same bytes every time, so it is compressed once and written as often as needed; the
    test never holds the inflated sheet. (Its CRC is left 0: a reader that trusts nothing
    refuses the part long before a CRC could be compared.)
    """
    head = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData><row r="1">'.encode()
    filler = b"<!-- " + b"A" * (1024 * 1024 - 9) + b" -->"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(filler) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.flush()
    with path.open("wb") as out:
        members: list[tuple[bytes, int, int, int, int]] = []
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("xl/workbook.xml", _WORKBOOK),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
        ):
            data = text.encode()
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            packed = packer.compress(data) + packer.flush()
            offset = out.tell()
            _local_header(out, name.encode(), zlib.crc32(data), len(packed), len(data))
            out.write(packed)
            members.append((name.encode(), offset, zlib.crc32(data), len(packed), len(data)))
        name = b"xl/worksheets/sheet1.xml"
        offset = out.tell()
        _local_header(out, name, 0, 0, declared)
        start = out.tell()
        out.write(first)
        for _ in range(inflated // len(filler)):
            out.write(block)
        out.write(last)
        members.append((name, offset, 0, out.tell() - start, declared))
        directory = out.tell()
        for member, at, crc, packed, size in members:
            out.write(
                struct.pack(
                    "<4s6H3L5H2L",
                    *(b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, packed, size, len(member)),
                    *(0, 0, 0, 0, 0, at),
                )
            )
            out.write(member)
        end = out.tell()
        count = len(members)
        out.write(
            struct.pack(
                "<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, end - directory, directory, 0
            )
        )
    return path


def _local_header(out, name: bytes, crc: int, packed: int, size: int) -> None:
    out.write(
        struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, packed, size, len(name), 0)
    )
    out.write(name)
