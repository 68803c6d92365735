"""Parse one worksheet of an untrusted XLSX workbook into CSV, in a process of its own.

Run as `python -m vitrine.tabular.xlsx_child INPUT OUTPUT [options]` by `vitrine.tabular.xlsx`,
never imported by the web or worker process for parsing. It limits its own memory and CPU time
first, so a hostile workbook can only end this process. It needs nothing but the standard
library, so it starts fast and small.

What it guards against:
- zip bombs: every part is inflated here (zlib, not zipfile) with a counter of the bytes
  really produced; a part producing more than its directory entry declares, or all parts
  together more than the limit, is refused at that moment, whatever the archive declares;
- XML entities: any DOCTYPE or entity declaration in a part refuses the workbook;
- huge declared ranges: cells are kept per row and only where they hold a value, so a
  single cell at XFD1048576 costs one cell, never the declared range.

Output: CSV (UTF-8, "\\n" line ends), one record per row holding a value: the row number as the
sheet shows it, then the cells from column A. On stdout, one line of JSON: {"ok": ...} or
{"error": code, ...}; the parent turns codes into messages in the user's language.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import posixpath
import re
import resource
import sys
import zipfile
import zlib
from xml.parsers import expat

_BLOCK = 64 * 1024
_OUT = 1024 * 1024
_LOCAL_HEADER = 30
_REL_SHARED = "/sharedStrings"
_REL_STYLES = "/styles"
_REL_CHART = "/chartsheet"
# Number formats Excel builds in that show a date or time.
_DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_DATE_TOKENS = re.compile(r"[dmyhs]", re.IGNORECASE)
_SNIFF = 4096
# Below this size a part cannot hurt, however well it compresses (an empty sheet does).
_RATIO_FLOOR = 1024 * 1024
_REF = re.compile(r"([A-Za-z]{1,3})(\d*)")


class Refusal(Exception):
    """The workbook is refused: `code` and parameters for the parent's message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def _limit_self(memory_mb: int, cpu_seconds: int) -> None:
    if memory_mb > 0:
        size = memory_mb * 1024 * 1024
        for kind in (resource.RLIMIT_AS, resource.RLIMIT_DATA):
            resource.setrlimit(kind, (size, size))
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


class Archive:
    """The parts of a zip archive, inflated with a real byte counter."""

    def __init__(self, path: str, *, max_unpacked: int, max_members: int, max_ratio: int):
        self.handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        try:
            archive = zipfile.ZipFile(self.handle)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise Refusal("not-zip") from None
        infos = archive.infolist()
        if len(infos) > max_members:
            raise Refusal("members", count=len(infos), limit=max_members)
        declared = sum(info.file_size for info in infos)
        if declared > max_unpacked:
            raise Refusal("unpacked", limit=max_unpacked)
        self.max_unpacked = max_unpacked
        self.max_ratio = max_ratio
        self.unpacked = 0
        self.size = self.handle.seek(0, 2)
        self.parts = {info.filename.lstrip("/").lower(): info for info in infos}
        for info in infos:
            self._check_ratio(info, info.file_size)

    def _check_ratio(self, info: zipfile.ZipInfo, size: int) -> None:
        if size > _RATIO_FLOOR and size > self.max_ratio * max(info.compress_size, 1):
            raise Refusal("ratio", part=info.filename, ratio=self.max_ratio)

    def refuse_entities(self) -> None:
        """Refuse any XML part declaring a DOCTYPE or entities, before anything is parsed."""
        for name, info in self.parts.items():
            if not name.endswith((".xml", ".rels", ".vml")):
                continue
            start = b""
            for chunk in self.chunks(name, count=False):
                start += chunk
                if len(start) >= _SNIFF:
                    break
            start = start[:_SNIFF].lower()
            if b"<!doctype" in start or b"<!entity" in start:
                raise Refusal("entities", part=info.filename)

    def close(self) -> None:
        self.handle.close()

    def has(self, name: str) -> bool:
        return name.lower() in self.parts

    def chunks(self, name: str, *, count: bool = True):
        """The bytes of one part, inflated block by block and counted (unless `count` is off:
        for a glance at a part's first bytes)."""
        info = self.parts.get(name.lower())
        if info is None:
            raise Refusal("damaged", part=name)
        if info.flag_bits & 0x1:
            raise Refusal("encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Refusal("damaged", part=name)
        self.handle.seek(info.header_offset)
        local = self.handle.read(_LOCAL_HEADER)
        if len(local) != _LOCAL_HEADER or not local.startswith(b"PK\x03\x04"):
            raise Refusal("damaged", part=name)
        skip = int.from_bytes(local[26:28], "little") + int.from_bytes(local[28:30], "little")
        start = info.header_offset + _LOCAL_HEADER + skip
        self.handle.seek(start)
        # The compressed length is trusted no further than the end of the file.
        left = max(0, min(info.compress_size, self.size - start))
        inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        produced = 0

        def counted(piece: bytes) -> bytes:
            nonlocal produced
            produced += len(piece)
            if produced > info.file_size:
                raise Refusal("lying", part=info.filename, declared=info.file_size)
            if count:
                self.unpacked += len(piece)
                if self.unpacked > self.max_unpacked:
                    raise Refusal("unpacked", limit=self.max_unpacked)
                self._check_ratio(info, produced)
            return piece

        while left > 0:
            block = self.handle.read(min(_BLOCK, left))
            if not block:
                break
            left -= len(block)
            if inflate is None:
                yield counted(block)
                continue
            data = block
            while data and not inflate.eof:
                try:
                    piece = inflate.decompress(data, _BLOCK)
                except zlib.error:
                    raise Refusal("damaged", part=name) from None
                if piece:
                    yield counted(piece)
                data = inflate.unconsumed_tail
            if inflate.eof:
                break
        if inflate is not None:
            tail = inflate.flush()
            if tail:
                yield counted(tail)


def _parser(part: str):
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args):
        raise Refusal("entities", part=part)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.buffer_text = True
    parser.buffer_size = _BLOCK
    return parser


def _parse(archive: Archive, part: str, parser) -> None:
    try:
        for chunk in archive.chunks(part):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        if error.code == expat.errors.codes[expat.errors.XML_ERROR_NO_MEMORY]:
            raise MemoryError from None
        raise Refusal("damaged", part=part) from None


def _local(name: str) -> str:
    return name[name.rfind("}") + 1 :]


def _relations(archive: Archive, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, part name) of a part's relationships."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    found: dict[str, tuple[str, str]] = {}
    if not archive.has(rels):
        return found
    parser = _parser(rels)

    def start(name, attrs):
        if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.normpath(posixpath.join(folder, target))
            found[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

    parser.StartElementHandler = start
    _parse(archive, rels, parser)
    return found


def _workbook(archive: Archive) -> tuple[list[tuple[str, str]], bool]:
    """The sheets as (name, relationship id), and whether dates count from 1904."""
    sheets: list[tuple[str, str]] = []
    flags = {"1904": False}
    parser = _parser("xl/workbook.xml")

    def start(name, attrs):
        local = _local(name)
        if local == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            sheets.append((attrs.get("name", ""), rid))
        elif local == "workbookPr":
            flags["1904"] = attrs.get("date1904", "").lower() in ("1", "true")

    parser.StartElementHandler = start
    _parse(archive, "xl/workbook.xml", parser)
    return sheets, flags["1904"]


def _shared_strings(archive: Archive, part: str | None) -> list[str]:
    strings: list[str] = []
    if not part or not archive.has(part):
        return strings
    parser = _parser(part)
    state = {"text": None, "phonetic": 0}
    pieces: list[str] = []

    def start(name, attrs):
        local = _local(name)
        if local == "si":
            pieces.clear()
        elif local == "rPh":
            state["phonetic"] += 1
        elif local == "t" and not state["phonetic"]:
            state["text"] = True

    def end(name):
        local = _local(name)
        if local == "si":
            strings.append("".join(pieces))
        elif local == "rPh":
            state["phonetic"] -= 1
        elif local == "t":
            state["text"] = None

    def text(data):
        if state["text"]:
            pieces.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    _parse(archive, part, parser)
    return strings


def _date_styles(archive: Archive, part: str | None) -> set[int]:
    """Indexes of the cell formats that show a date or time."""
    dates: set[int] = set()
    if not part or not archive.has(part):
        return dates
    custom: dict[int, bool] = {}
    formats: list[int] = []
    state = {"xfs": False}
    parser = _parser(part)

    def start(name, attrs):
        local = _local(name)
        if local == "numFmt":
            code = _FORMAT_NOISE.sub("", attrs.get("formatCode", ""))
            try:
                custom[int(attrs.get("numFmtId", ""))] = bool(_DATE_TOKENS.search(code))
            except ValueError:
                pass
        elif local == "cellXfs":
            state["xfs"] = True
        elif local == "xf" and state["xfs"]:
            try:
                formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                formats.append(0)

    def end(name):
        if _local(name) == "cellXfs":
            state["xfs"] = False

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    _parse(archive, part, parser)
    for index, number in enumerate(formats):
        if custom.get(number, number in _DATE_FORMAT_IDS):
            dates.add(index)
    return dates


def column_index(letters: str) -> int:
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index - 1


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def number_text(value: str) -> str:
    """A number as stored (e.g. "79.659999999999997") as people write it ("79.66")."""
    try:
        number = float(value)
    except ValueError:
        return value.strip()
    if number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return repr(number)


def date_text(value: str, *, base: datetime.datetime) -> str:
    try:
        serial = float(value)
        seconds = round(serial * 86400)
        if 0 <= serial < 1:
            return str(datetime.timedelta(seconds=seconds)).rjust(8, "0")
        moment = base + datetime.timedelta(seconds=seconds)
    except (ValueError, OverflowError):
        return number_text(value)
    if moment.time() == datetime.time():
        return moment.date().isoformat()
    return moment.isoformat(sep=" ")


class SheetWriter:
    """Collects the cells of each row and writes the rows holding a value."""

    def __init__(self, out, *, strings, dates, base, max_rows, max_columns):
        self.writer = csv.writer(out, lineterminator="\n")
        self.strings = strings
        self.dates = dates
        self.base = base
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.rows = 0  # data rows written, the header not counted
        self.header_row: int | None = None
        self.row = 0
        self.col = -1
        self.cells: dict[int, str] = {}
        self.ref = ""
        self.type = ""
        self.style = 0
        self.pieces: list[str] = []
        self.collect = False
        self.inline = False
        self.phonetic = 0

    def start(self, name, attrs):
        local = _local(name)
        if local == "c":
            ref = attrs.get("r")
            if ref:
                match = _REF.fullmatch(ref)
                if match is None:
                    raise Refusal("damaged", part="sheet")
                self.col = column_index(match.group(1))
                if match.group(2):
                    self.row = int(match.group(2))
            else:
                self.col += 1
            self.ref = ref or column_letter(self.col) + str(self.row)
            self.type = attrs.get("t", "n")
            style = attrs.get("s")
            self.style = int(style) if style and style.isdigit() else 0
            self.pieces = []
        elif local == "v":
            self.collect = True
        elif local == "is":
            self.inline = True
        elif local == "t":
            self.collect = self.inline and not self.phonetic
        elif local == "rPh":
            self.phonetic += 1
        elif local == "row":
            number = attrs.get("r")
            self.row = int(number) if number and number.isdigit() else self.row + 1
            self.col = -1
            self.cells = {}

    def text(self, data):
        if self.collect:
            self.pieces.append(data)

    def end(self, name):
        local = _local(name)
        if local in ("v", "t"):
            self.collect = False
        elif local == "c":
            value = self.value("".join(self.pieces))
            if value:
                if self.col >= self.max_columns:
                    raise Refusal("columns", cell=self.ref, limit=self.max_columns)
                self.cells[self.col] = value
        elif local == "is":
            self.inline = False
        elif local == "rPh":
            self.phonetic -= 1
        elif local == "row":
            self.flush()

    def value(self, raw: str) -> str:
        kind = self.type
        if kind == "s":
            try:
                return self.strings[int(raw)].strip()
            except (ValueError, IndexError):
                raise Refusal("damaged", part="sharedStrings") from None
        if kind in ("inlineStr", "str", "e"):
            return raw.strip()
        if kind == "b":
            return "TRUE" if raw.strip() == "1" else "FALSE"
        if kind == "d":
            raw = raw.strip()
            return raw[:10] if raw.endswith("T00:00:00") else raw.replace("T", " ")
        if not raw.strip():
            return ""
        if self.style in self.dates:
            return date_text(raw, base=self.base)
        return number_text(raw)

    def flush(self) -> None:
        if not self.cells:
            return
        if self.header_row is None:
            self.header_row = self.row
        else:
            self.rows += 1
            if self.rows > self.max_rows:
                raise Refusal("rows", limit=self.max_rows, row=self.row)
        width = max(self.cells) + 1
        cells = self.cells
        self.writer.writerow([self.row, *(cells.get(i, "") for i in range(width))])
        self.cells = {}


def convert(args) -> dict:
    archive = Archive(
        args.input,
        max_unpacked=args.max_unpacked,
        max_members=args.max_members,
        max_ratio=args.max_ratio,
    )
    try:
        archive.refuse_entities()
        if not archive.has("xl/workbook.xml"):
            raise Refusal("not-xlsx")
        sheets, date1904 = _workbook(archive)
        relations = _relations(archive, "xl/workbook.xml")
        names = [name for name, _rid in sheets]
        if not sheets:
            raise Refusal("no-sheets")
        if args.sheet is not None:
            if args.sheet not in names:
                raise Refusal("no-sheet", sheet=args.sheet, names=names)
            name, rid = sheets[names.index(args.sheet)]
        else:
            name, rid = sheets[0]
        kind, part = relations.get(rid, ("", ""))
        if kind.endswith(_REL_CHART):
            raise Refusal("chart", sheet=name)
        if not part or not archive.has(part):
            raise Refusal("damaged", part=name)
        by_type = {kind.rsplit("/", 1)[-1]: path for kind, path in relations.values()}
        strings = _shared_strings(archive, by_type.get(_REL_SHARED.strip("/")))
        dates = _date_styles(archive, by_type.get(_REL_STYLES.strip("/")))
        base = datetime.datetime(1904, 1, 1) if date1904 else datetime.datetime(1899, 12, 30)
        with open(args.output, "w", encoding="utf-8", newline="", buffering=_OUT) as out:
            writer = SheetWriter(
                out,
                strings=strings,
                dates=dates,
                base=base,
                max_rows=args.max_rows,
                max_columns=args.max_columns,
            )
            del strings
            parser = _parser(part)
            parser.StartElementHandler = writer.start
            parser.EndElementHandler = writer.end
            parser.CharacterDataHandler = writer.text
            _parse(archive, part, parser)
        if writer.header_row is None:
            raise Refusal("empty", sheet=name)
        return {"ok": True, "sheet": name, "sheets": names, "rows": writer.rows}
    finally:
        archive.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--sheet")
    parser.add_argument("--max-rows", type=int, required=True)
    parser.add_argument("--max-columns", type=int, required=True)
    parser.add_argument("--max-unpacked", type=int, required=True)
    parser.add_argument("--max-members", type=int, required=True)
    parser.add_argument("--max-ratio", type=int, required=True)
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("--cpu-seconds", type=int, default=0)
    args = parser.parse_args(argv)
    _limit_self(args.memory_mb, args.cpu_seconds)
    try:
        result = convert(args)
        code = 0
    except Refusal as refusal:
        result, code = {"error": refusal.code, **refusal.params}, 2
    except MemoryError:
        result, code = {"error": "memory"}, 3
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
