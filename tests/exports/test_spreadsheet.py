"""The one formula-safe spreadsheet writer every export uses (OWASP CSV injection)."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils.translation import gettext_lazy

from vitrine.exports.spreadsheet import csv_bytes, safe_cell, safe_text, xlsx_bytes

ATTACKS = [
    '=HYPERLINK("http://evil.example","Klick")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_text_that_starts_a_formula_gets_an_apostrophe(text):
    assert safe_text(text) == "'" + text
    assert safe_cell(text) == "'" + text


def test_nul_is_removed_everywhere_and_a_leading_one_still_escapes():
    assert safe_text("\0=1+1") == "'=1+1"
    assert safe_text("\0Visio") == "'Visio"
    assert safe_text("Vi\0sio\0") == "Visio"
    # A removed control character must not uncover a formula.
    assert safe_text("\x01=1+1") == "'=1+1"
    assert safe_text("Zeile\x0bzwei\x1f") == "Zeilezwei"
    assert safe_text("Zeile 1\nZeile 2\tEnde\r\n") == "Zeile 1\nZeile 2\tEnde\r\n"


def test_harmless_values_stay_as_they_are():
    assert safe_text("Microsoft Visio") == "Microsoft Visio"
    assert safe_text("") == ""
    assert safe_text("a=b") == "a=b"
    for value in (-3, -3.5, Decimal("-1.20"), 0, None, True, datetime.date(2026, 1, 2)):
        assert safe_cell(value) == value and type(safe_cell(value)) is type(value)
    assert safe_cell(gettext_lazy("=lazy")) == "'=lazy"


def test_csv_file_escapes_every_text_cell_and_keeps_numbers():
    data = csv_bytes(["=Kopf", "Zahl"], [[text, -3] for text in ATTACKS] + [["\0x", None]])
    assert data.startswith("\ufeff".encode()) and b"\0" not in data
    text = data.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert header == ["'=Kopf", "Zahl"]
    assert rows == [["'" + t, "-3"] for t in ATTACKS] + [["'x", ""]]


def test_xlsx_file_escapes_every_text_cell_and_keeps_numbers():
    rows = [[text, -3, Decimal("-1.5")] for text in ATTACKS] + [["Vi\0sio", None, 2]]
    data = xlsx_bytes([("Ergebnisse einer sehr langen Umfrage 2026", ["=Kopf", "A", "B"], rows)])
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Ergebnisse einer sehr langen Um"]
    header, *cells = list(workbook.active.iter_rows())
    assert [c.value for c in header] == ["'=Kopf", "A", "B"]
    for row, text in zip(cells, ATTACKS, strict=False):
        assert (row[0].value, row[0].data_type) == ("'" + text, "s")
        assert (row[1].value, row[1].data_type) == (-3, "n")
        assert (row[2].value, row[2].data_type) == (-1.5, "n")
    assert [c.value for c in cells[-1]] == ["Visio", None, 2]
