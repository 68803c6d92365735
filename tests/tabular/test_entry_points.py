"""Each kind of real file through both entry points: the catalog import and the figures import
(files made here, shaped like the exports people have)."""

from __future__ import annotations

import codecs

import pytest
from django.utils import translation

from vitrine.catalog.models import CatalogEntry
from vitrine.catalog.services import CatalogImportRefused, catalog_import_file
from vitrine.figures.importers import ImportRefused, read_import
from vitrine.figures.models import FigureSeries, ImportRun
from vitrine.figures.services import figures_import

CATALOG_HEADER = ["Produkt", "Hersteller", "Kategorie", "Beschreibung", "Bezug"]
FIGURES_HEADER = [
    *("Produkt", "Hersteller", "Lizenzmetrik", "Menge", "Einzelpreis", "Währung", "Beginn", "Ende")
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def catalog_rows(count: int = 2) -> list[list[str]]:
    return [
        [f"Bürosoftware {n}", "Müller & Söhne", "Büro", "Schreibt Briefe.", "Self-service"]
        for n in range(count)
    ]


def figures_rows(count: int = 2) -> list[list[str]]:
    return [
        [f"Bürosoftware {n}", "Müller", "Benutzer", "3", "12,50", "EUR", "01.01.2026", "31.12.2026"]
        for n in range(count)
    ]


def as_text(header: list[str], rows: list[list[str]], *, delimiter: str, newline: str) -> str:
    return newline.join(delimiter.join(row) for row in [header, *rows]) + newline


ENCODINGS = {
    # PowerShell's Out-File and Excel's "Unicode Text": UTF-16 with BOM, tab separated.
    "utf-16-le": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "windows-1252": lambda text: text.encode("cp1252"),
}
CLASSES = [
    ("utf-16-le", "\t", "\r\n"),
    ("utf-16-be", "\t", "\r\n"),
    ("utf-8-bom", ";", "\r\n"),
    ("windows-1252", ";", "\r\n"),
    ("windows-1252", ";", "\r"),  # Excel for Mac: CR-only line ends
    ("utf-8-bom", ";", "\r"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("encoding", "delimiter", "newline"), CLASSES)
def test_catalog_reads_every_real_encoding_and_line_end(encoding, delimiter, newline):
    text = as_text(CATALOG_HEADER, catalog_rows(), delimiter=delimiter, newline=newline)
    result = catalog_import_file(file=ENCODINGS[encoding](text), filename="katalog.csv")
    assert result.created == 2
    assert set(CatalogEntry.objects.values_list("product", "vendor")) == {
        ("Bürosoftware 0", "Müller & Söhne"),
        ("Bürosoftware 1", "Müller & Söhne"),
    }


@pytest.mark.parametrize(("encoding", "delimiter", "newline"), CLASSES)
def test_figures_read_every_real_encoding_and_line_end(encoding, delimiter, newline, tmp_path):
    text = as_text(FIGURES_HEADER, figures_rows(), delimiter=delimiter, newline=newline)
    path = tmp_path / "lizenzen.csv"
    path.write_bytes(ENCODINGS[encoding](text))
    imported = read_import(path, filename=path.name)
    assert imported.format == "entitlements"
    assert imported.frame["product"].to_list() == ["Bürosoftware 0", "Bürosoftware 1"]
    assert imported.frame["vendor"].to_list() == ["Müller", "Müller"]


def stray_byte_file(header: list[str], rows: list[list[str]]) -> bytes:
    """UTF-8 with umlauts from the start, one Windows-1252 byte in a row after 64 KB."""
    data = as_text(header, rows, delimiter=";", newline="\n").encode("utf-8")
    bad = ";".join(["Straße", *rows[0][1:]]).encode("cp1252") + b"\n"
    assert len(data) > 64 * 1024
    return data + bad


@pytest.mark.django_db
def test_catalog_refuses_a_stray_windows_1252_byte_naming_the_row():
    rows = catalog_rows(1200)
    with pytest.raises(CatalogImportRefused) as info:
        catalog_import_file(file=stray_byte_file(CATALOG_HEADER, rows), filename="k.csv")
    problem = info.value.problems[0]
    assert (problem.row, problem.column) == (1202, "Produkt")
    assert "not UTF-8" in problem.reason
    assert str(problem).startswith("Row 1202, column Produkt:")
    assert not CatalogEntry.objects.exists()


def test_figures_refuse_a_stray_windows_1252_byte_naming_the_row(tmp_path):
    rows = figures_rows(1500)
    path = tmp_path / "lizenzen.csv"
    path.write_bytes(stray_byte_file(FIGURES_HEADER, rows))
    with pytest.raises(ImportRefused) as info:
        read_import(path, filename=path.name)
    problem = info.value.problems[0]
    assert (problem.row, problem.column) == (1502, "Produkt")
    assert "not UTF-8" in problem.reason


def nul_file(header: list[str], rows: list[list[str]]) -> bytes:
    rows = [list(row) for row in rows]
    rows[1][1] = "Mül\x00ler"
    return as_text(header, rows, delimiter=";", newline="\r\n").encode("utf-8")


@pytest.mark.django_db
def test_catalog_refuses_nul_naming_row_and_column():
    with pytest.raises(CatalogImportRefused) as info:
        catalog_import_file(file=nul_file(CATALOG_HEADER, catalog_rows(3)), filename="k.csv")
    problem = info.value.problems[0]
    assert (problem.row, problem.column) == (3, "Hersteller")
    assert "NUL" in problem.reason
    assert not CatalogEntry.objects.exists()


@pytest.mark.django_db
def test_figures_import_refuses_nul_naming_row_and_column():
    run = figures_import(source=nul_file(FIGURES_HEADER, figures_rows(3)), filename="l.csv")
    assert run.status == ImportRun.Status.REFUSED
    assert run.problems[0]["row"] == 3 and run.problems[0]["column"] == "Hersteller"
    assert "NUL" in run.problems[0]["reason"]
    assert not FigureSeries.objects.exists()


def products_file(count: int) -> bytes:
    return as_text(FIGURES_HEADER, figures_rows(count), delimiter=";", newline="\n").encode()


@pytest.mark.django_db
def test_products_limit_refuses_naming_limit_and_value(settings):
    settings.VITRINE_IMPORT_MAX_PRODUCTS = 4
    run = figures_import(source=products_file(4), filename="l.csv", dry_run=True)
    assert run.status == ImportRun.Status.SUCCEEDED
    # Just over the limit: counted exactly after reading.
    run = figures_import(source=products_file(5), filename="l.csv")
    assert run.status == ImportRun.Status.REFUSED
    assert "names 5 products; at most 4" in run.summary and "IMPORT_MAX_PRODUCTS" in run.summary
    # Far over the limit: refused from an estimate before anything is counted per product.
    run = figures_import(source=products_file(50), filename="l.csv")
    assert "more than 4 products" in run.summary
    assert not FigureSeries.objects.exists()


@pytest.mark.django_db
def test_series_limit_refuses_and_stores_nothing(settings):
    ran = figures_import(source=products_file(3), filename="l.csv", dry_run=True)
    series = len({value.key for value in ran.outcome.written})
    assert series > 3
    settings.VITRINE_IMPORT_MAX_SERIES = series - 1
    run = figures_import(source=products_file(3), filename="l.csv")
    assert run.status == ImportRun.Status.REFUSED
    assert f"make {series} figure series; at most {series - 1}" in run.summary
    assert "IMPORT_MAX_SERIES" in run.summary
    assert not FigureSeries.objects.exists()
    settings.VITRINE_IMPORT_MAX_SERIES = series
    assert figures_import(source=products_file(3), filename="l.csv").status == "succeeded"
    assert FigureSeries.objects.count() == series
