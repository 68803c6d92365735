"""The shared reader on workbooks: values as people see them, real row numbers, and every
bound of the child process that parses them."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
import xlsxwriter
from django.utils import translation

from vitrine.tabular.limits import ReadLimits
from vitrine.tabular.reader import TableError, open_table

from . import files

LIMITS = ReadLimits()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def read(data, **kwargs):
    table = open_table(data, filename="mappe.xlsx", limits=kwargs.pop("limits", LIMITS), **kwargs)
    try:
        return table, list(table.rows())
    finally:
        table.close()


def refused(data, **kwargs) -> TableError:
    with pytest.raises(TableError) as info:
        read(data, **kwargs)
    return info.value


def excel(fill, *, sheets=("Lizenzen",)) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for name in sheets:
        fill(book, book.add_worksheet(name))
    book.close()
    return buffer.getvalue()


def test_values_as_people_see_them_and_real_row_numbers():
    def fill(book, sheet):
        date = book.add_format({"num_format": "dd.mm.yyyy"})
        sheet.write_row("C4", ["Produkt", "Preis", "Ende", "Aktiv", "Menge"])
        sheet.write_row("C5", ["Bürosoftware", 79.66, None, True, 3])
        sheet.write_datetime("E5", datetime.datetime(2026, 12, 31), date)
        sheet.write_row("C7", ["Visio", 52730996.31, "offen", False, 1e20])

    table, rows = read(excel(fill))
    assert (table.header_row, table.header) == (
        4,
        ["", "", "Produkt", "Preis", "Ende", "Aktiv", "Menge"],
    )
    assert rows == [
        (5, ["", "", "Bürosoftware", "79.66", "2026-12-31", "TRUE", "3"]),
        (7, ["", "", "Visio", "52730996.31", "offen", "FALSE", "1e+20"]),
    ]


def test_sheet_is_chosen_by_name_and_a_missing_one_named():
    def fill(book, sheet):
        sheet.write_row("A1", ["Blatt", sheet.name])

    table, _rows = read(excel(fill, sheets=("Eins", "Zwei")), sheet="Zwei")
    assert table.header == ["Blatt", "Zwei"]
    error = refused(excel(fill, sheets=("Eins", "Zwei")), sheet="Drei")
    assert "“Drei”" in error.message and "Eins, Zwei" in error.message


def test_a_chart_as_first_sheet_is_refused():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    chartsheet = book.add_chartsheet("Diagramm")
    data = book.add_worksheet("Daten")
    data.write_column("A1", [1, 2])
    chart = book.add_chart({"type": "bar"})
    chart.add_series({"values": "=Daten!$A$1:$A$2"})
    chartsheet.set_chart(chart)
    book.close()
    assert "is a chart" in refused(buffer.getvalue()).message


def test_xml_entities_are_refused():
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        f'<worksheet xmlns="{files.MAIN}"><sheetData/></worksheet>'
    )
    assert "XML entities" in refused(files.workbook(sheet)).message


def test_a_part_inflating_beyond_what_it_declares_is_refused(tmp_path):
    path = files.lying_bomb(tmp_path / "bombe.xlsx", inflated=8 * 1024 * 1024, declared=100_000)
    assert "100,000 bytes its archive declares" in refused(path).message


def test_unpacked_bytes_are_counted_against_the_limit():
    rows = "".join(
        f'<row r="{n}">{files.cell(f"A{n}", f"Produkt {n}")}</row>' for n in range(1, 60_000)
    )
    data = files.workbook(files.sheet_xml(rows))
    error = refused(data, limits=ReadLimits(xlsx_max_unpacked=1024 * 1024))
    assert "unpacks to more than 1.0 MB" in error.message
    assert "IMPORT_XLSX_MAX_UNPACKED_MB" in error.message


def test_a_part_compressed_like_a_bomb_is_refused():
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>' + "A" * 8_000_000 + "</t></is></c></row>"
    error = refused(files.workbook(files.sheet_xml(rows)))
    assert "compressed more than 100 to 1" in error.message


def test_rows_limit_names_the_row_and_the_setting():
    rows = "".join(f'<row r="{n}">{files.cell(f"B{n}", str(n))}</row>' for n in range(3, 20))
    error = refused(files.workbook(files.sheet_xml(rows)), limits=ReadLimits(max_rows=5))
    assert error.row == 9  # header at row 3, data rows 4 to 8 are five
    assert "more than 5 rows" in error.message and "IMPORT_MAX_ROWS" in error.message


def test_the_child_memory_limit_refuses_naming_it():
    strings = "".join(f"<si><t>{n:0>200}</t></si>" for n in range(400_000))
    shared = f'<?xml version="1.0"?><sst xmlns="{files.MAIN}">{strings}</sst>'
    relations = files._WORKBOOK_RELS.replace(
        "</Relationships>",
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    data = files.workbook(
        files.sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        extra={"xl/sharedStrings.xml": shared},
    )

    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels":
                content = relations.encode()
            target.writestr(info.filename, content)
    # A generous time so that a busy machine meets the memory bound first.
    error = refused(buffer.getvalue(), limits=ReadLimits(xlsx_memory_mb=80, xlsx_seconds=60))
    assert "more than 80 MB of memory" in error.message and "IMPORT_XLSX_MEMORY_MB" in error.message
    table, rows = read(buffer.getvalue())
    assert table.header == ["0" * 200]


def test_the_child_time_limit_refuses_naming_it(tmp_path):
    path = files.many_rows_workbook(tmp_path / "lang.xlsx", 300_000)
    error = refused(path, limits=ReadLimits(xlsx_seconds=1))
    assert "more than 1 seconds" in error.message and "IMPORT_XLSX_SECONDS" in error.message


@pytest.mark.parametrize("data", [b"PK\x03\x04kaputt", files.workbook("<worksheet")])
def test_damaged_workbooks_are_refused(data):
    assert refused(data).message
