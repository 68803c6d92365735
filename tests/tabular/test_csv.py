"""The shared reader on CSV files of every kind users have (files made here, shaped like real
exports)."""

from __future__ import annotations

import codecs

import pytest
from django.utils import translation

from vitrine.tabular.limits import ReadLimits
from vitrine.tabular.reader import TableError, open_table

LIMITS = ReadLimits()
HEADER = ["Produkt", "Hersteller", "Menge"]
ROWS = [["Bürosoftware", "Müller & Söhne", "3"], ["Visio", "Microsoft", "10"]]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def text(delimiter: str = ";", newline: str = "\r\n") -> str:
    return newline.join(delimiter.join(row) for row in [HEADER, *ROWS]) + newline


def read(data: bytes, **kwargs):
    table = open_table(data, filename="datei.csv", limits=kwargs.pop("limits", LIMITS), **kwargs)
    try:
        return table, list(table.rows())
    finally:
        table.close()


def refused(data: bytes, **kwargs) -> TableError:
    with pytest.raises(TableError) as info:
        read(data, **kwargs)
    return info.value


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        (text().encode("utf-8"), "utf-8", ";"),
        (codecs.BOM_UTF8 + text(",").encode("utf-8"), "utf-8-sig", ","),
        # PowerShell's Out-File and Excel's "Unicode Text": UTF-16 with BOM, tab separated.
        (codecs.BOM_UTF16_LE + text("\t").encode("utf-16-le"), "utf-16-le", "\t"),
        (codecs.BOM_UTF16_BE + text("\t").encode("utf-16-be"), "utf-16-be", "\t"),
        # German Excel's "CSV (Trennzeichen-getrennt)".
        (text().encode("cp1252"), "windows-1252", ";"),
        # Excel for Mac: CR-only line ends.
        (text(newline="\r").encode("cp1252"), "windows-1252", ";"),
        (text(newline="\r").encode("utf-8"), "utf-8", ";"),
    ],
)
def test_every_encoding_and_line_end_reads_the_same(data, encoding, delimiter):
    table, rows = read(data)
    assert (table.encoding, table.delimiter, table.header) == (encoding, delimiter, HEADER)
    assert rows == [(2, ROWS[0]), (3, ROWS[1])]


def test_delimiter_is_sniffed_outside_quotes():
    table, rows = read(b'"a;b",c,d\n"1;2",3,4\n')
    assert (table.delimiter, table.header, rows) == (
        ",",
        ["a;b", "c", "d"],
        [(2, ["1;2", "3", "4"])],
    )


def test_header_cells_lose_bom_and_blanks():
    table, _rows = read(codecs.BOM_UTF8 + " Produkt\u00a0 ; Menge \n x;1\n".encode())
    assert table.header == ["Produkt", "Menge"]


def _long_utf8(rows: int = 3000) -> bytes:
    lines = [";".join(HEADER)] + [f"Bürosoftware {n};Hersteller {n};{n}" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_stray_windows_1252_byte_after_64_kb_is_refused_naming_row_and_column():
    data = _long_utf8() + "Straße;Müller;1\n".encode("cp1252")
    assert len(data) > 64 * 1024 and data.count("Müller".encode("cp1252")) == 1
    error = refused(data)
    assert (error.row, error.column) == (3002, "Produkt")
    assert "not UTF-8" in error.message


def test_ascii_head_then_windows_1252_is_read_as_windows_1252():
    lines = [";".join(HEADER)] + [f"Produkt {n};Hersteller;{n}" for n in range(4000)]
    data = ("\n".join(lines) + "\nBürosoftware;Müller;1\n").encode("cp1252")
    assert len(data) > 64 * 1024
    table, rows = read(data)
    assert table.encoding == "windows-1252"
    assert rows[-1] == (4002, ["Bürosoftware", "Müller", "1"])


def test_a_file_mixing_windows_1252_and_utf8_is_refused_never_garbled():
    data = "Produkt;Menge\nBürosoftware;1\n".encode("cp1252") + "Bürosoftware;2\n".encode()
    error = refused(data)
    assert (error.row, error.column) == (3, "Produkt")
    assert "mixes two encodings" in error.message


@pytest.mark.parametrize("where", ["head", "far"])
def test_nul_is_refused_naming_row_and_column(where):
    body = _long_utf8() if where == "far" else b"Produkt;Hersteller;Menge\n"
    data = body + b'"Zwei\nZeilen";Firma;1\nVisio;Micro\x00soft;2\n'
    error = refused(data)
    # A record over two lines is one row, as a spreadsheet shows it.
    row = 3003 if where == "far" else 3
    assert (error.row, error.column) == (row, "Hersteller")
    assert "NUL" in error.message


def test_nul_in_utf16_is_refused():
    data = codecs.BOM_UTF16_LE + "a\tb\r\nx\ty\x00\r\n".encode("utf-16-le")
    error = refused(data)
    assert (error.row, error.column) == (2, "b")


def test_bytes_windows_1252_does_not_have_are_refused_by_row():
    data = b"Produkt;Menge\nVisio;1\nPC-\x81;2\n"
    error = refused(data)
    assert (error.row, error.column) == (3, "Produkt")
    assert "windows-1252" in error.message


def test_rows_limit_names_the_setting_and_value():
    data = b"a;b\n" + b"x;1\n" * 11
    error = refused(data, limits=ReadLimits(max_rows=10))
    assert "more than 10 rows" in error.message and "IMPORT_MAX_ROWS" in error.message
    _table, rows = read(b"a;b\n" + b"x;1\n" * 10, limits=ReadLimits(max_rows=10))
    assert len(rows) == 10


def test_byte_limit_is_counted_while_reading(tmp_path):
    error = refused(b"a;b\n" + b"x;1\n" * 100, limits=ReadLimits(max_bytes=100))
    assert "at most 0.0 MB" in error.message or "larger than" in error.message


@pytest.mark.parametrize(
    "data",
    [b"", b"  \r\n\r\n", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", b"%PDF-1.7\n"],
)
def test_what_is_no_table_is_refused(data):
    assert refused(data).message


def test_transcoded_copy_is_deleted_on_close(tmp_path):
    path = tmp_path / "lizenzen.csv"
    path.write_bytes(text().encode("cp1252"))
    table = open_table(path, filename=path.name, limits=LIMITS)
    copy = table.data
    assert copy != path and copy.read_text(encoding="utf-8").startswith("Produkt;")
    table.close()
    assert not copy.exists()


def test_columns_limit():
    error = refused(b",".join(b"c%d" % n for n in range(1001)) + b"\n1\n")
    assert error.row == 1 and "1001 columns; at most 1000 can be read" in error.message


def _straddling(char: str, cut: int) -> bytes:
    """UTF-8 rows past the first chunk read, `char` cut after `cut` of its bytes by it."""
    from vitrine.tabular.text import CHUNK

    head = ("Produkt;Hersteller;Menge\n" + "Bürosoftware;Müller;1\n" * 40_000).encode()
    head = head[: head.rindex(b"\n", 0, CHUNK - 100) + 1]
    filler = b"x" * (CHUNK - len(head) - cut)
    data = head + b"Produkt " + filler[8:] + char.encode() + b";Firma;2\n"
    assert data[:CHUNK].endswith(char.encode()[:cut])
    return data


@pytest.mark.parametrize(("char", "cut"), [("ü", 1), ("€", 1), ("€", 2), ("𝄞", 1), ("𝄞", 3)])
def test_a_character_cut_by_the_chunks_read_is_read_whole(char, cut):
    table, rows = read(_straddling(char, cut))
    assert rows[-1][1][0].endswith(char) and rows[-1][1][1:] == ["Firma", "2"]


def test_stray_byte_and_nul_past_the_first_chunk_name_their_row_and_column():
    data = _straddling("€", 2)
    error = refused(data + "Straße;Müller;3\n".encode("cp1252"))
    rows = data.count(b"\n")
    assert (error.row, error.column) == (rows + 1, "Produkt")
    assert "not UTF-8" in error.message
    error = refused(data + "Straße;Mül\x00ler;3\n".encode())
    assert (error.row, error.column) == (rows + 1, "Hersteller")
    assert "NUL" in error.message


def test_a_file_ending_inside_a_character_is_refused():
    error = refused(_long_utf8() + "Straße;Müller;€".encode()[:-1])
    assert (error.row, error.column) == (3002, "Menge")
    assert "not UTF-8" in error.message
