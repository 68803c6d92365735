"""The catalog's CSV and XLSX export in the admin: no cell a spreadsheet would run as a formula."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST_URL_NAME = "wagtailsnippets_catalog_catalogentry:list"
# What OWASP names as the start of a formula, and NUL (which also breaks CSV readers).
# PostgreSQL cannot store NUL in a text column, so there the NUL cases cannot be imported.
DANGEROUS = ["=", "+", "-", "@", "\t", "\r"] + (["\0"] if connection.vendor != "postgresql" else [])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def hostile_entries(make_entry):
    """Entries as a vendor file might bring them: each text starting with a formula character."""
    entries = {}
    for number, char in enumerate(DANGEROUS):
        product = f'{char}HYPERLINK("http://evil.example/{number}")'
        entries[product] = make_entry(
            product,
            vendor=f"{char}Vendor {number}",
            category=f"{char}Kategorie {number}",
            lead_time_days=number,
        )
    return entries


def expected(text: str) -> str:
    return "'" + text.replace("\0", "")


def export(client, file_format: str) -> bytes:
    response = client.get(reverse(LIST_URL_NAME), {"export": file_format})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_csv_export_writes_no_formulas(editor_client, hostile_entries):
    text = export(editor_client, "csv").decode("utf-8")
    assert "\0" not in text
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    assert header[:3] == ["Product", "Vendor", "Category"]
    assert len(rows) == len(DANGEROUS)
    by_product = {row[0]: row for row in rows}
    for number, char in enumerate(DANGEROUS):
        product = f'{char}HYPERLINK("http://evil.example/{number}")'
        row = by_product[expected(product)]
        assert row[1] == expected(f"{char}Vendor {number}")
        assert row[2] == expected(f"{char}Kategorie {number}")
        assert row[4] == str(number)  # a number stays a number


def test_xlsx_export_writes_no_formulas(editor_client, hostile_entries):
    workbook = openpyxl.load_workbook(io.BytesIO(export(editor_client, "xlsx")))
    sheet = workbook.active
    header, *rows = list(sheet.iter_rows())
    assert [cell.value for cell in header[:3]] == ["Product", "Vendor", "Category"]
    assert len(rows) == len(DANGEROUS)
    by_product = {row[0].value: row for row in rows}
    for number, char in enumerate(DANGEROUS):
        product = f'{char}HYPERLINK("http://evil.example/{number}")'
        row = by_product[expected(product)]
        assert [cell.data_type for cell in row[:3]] == ["s", "s", "s"]
        assert row[1].value == expected(f"{char}Vendor {number}")
        assert row[2].value == expected(f"{char}Kategorie {number}")
        assert row[4].value == number and row[4].data_type == "n"
    for row in rows:
        for cell in row:
            assert not (isinstance(cell.value, str) and "\0" in cell.value)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL stores no NUL")
def test_nul_inside_a_cell_is_removed(editor_client, make_entry):
    make_entry("Visio\0Plan", vendor="Micro\0soft")
    text = export(editor_client, "csv").decode("utf-8")
    assert "\0" not in text
    (row,) = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert row[:2] == ["VisioPlan", "Microsoft"]
    workbook = openpyxl.load_workbook(io.BytesIO(export(editor_client, "xlsx")))
    values = [cell.value for cell in list(workbook.active.iter_rows())[1][:2]]
    assert values == ["VisioPlan", "Microsoft"]
