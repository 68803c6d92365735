"""Importing the catalog from CSV, XLSX and rows: all or nothing, idempotent, explained."""

import io
import zipfile

import pytest

from vitrine.audiences.models import Audience
from vitrine.catalog.choices import CostClass, HowToGet, LicenseType
from vitrine.catalog.importer import catalog_template_csv
from vitrine.catalog.models import CatalogCategory, CatalogEntry
from vitrine.catalog.services import (
    CatalogImportRefused,
    catalog_import_file,
    catalog_import_rows,
)

from .conftest import HEADER, ROWS, csv_bytes, xlsx_file

pytestmark = pytest.mark.django_db

AUDIENCE_LINKS = CatalogEntry.audiences.through
ALTERNATIVE_LINKS = CatalogEntry.alternatives.through


def refused(**kwargs) -> CatalogImportRefused:
    with pytest.raises(CatalogImportRefused) as info:
        catalog_import_file(**kwargs)
    return info.value


def snapshot():
    """Everything an import may touch, to prove a refusal changed nothing."""
    return (
        sorted(
            CatalogEntry.objects.values_list(
                "pk", "product", "vendor", "description", "how_to_get", "updated_at"
            )
        ),
        sorted(CatalogCategory.objects.values_list("pk", "name")),
        sorted(
            CatalogEntry.audiences.through.objects.values_list("catalogentry_id", "audience_id")
        ),
        sorted(CatalogEntry.alternatives.through.objects.values_list("entry_id", "alternative_id")),
    )


def assert_imported():
    visio = CatalogEntry.objects.get(product="Microsoft Visio")
    assert visio.vendor == "Microsoft"
    assert visio.category.name == "Grafik und Diagramme"
    assert visio.how_to_get == HowToGet.REQUEST
    assert visio.lead_time_days == 5
    assert visio.cost_class == CostClass.MEDIUM
    assert visio.license_type == LicenseType.SUBSCRIPTION_PER_USER
    assert visio.benefit == "Abläufe so zeichnen, dass alle sie verstehen."
    assert visio.request_url == "https://serviceportal.example.org/visio"
    assert {a.slug for a in visio.audiences.all()} == {"mitarbeitende", "itsm-rollen"}
    assert [a.product for a in visio.alternatives.all()] == ["draw.io"]
    drawio = CatalogEntry.objects.get(product="draw.io")
    assert drawio.how_to_get == HowToGet.SELF_SERVICE
    assert drawio.cost_class == CostClass.FREE
    assert drawio.license_type == LicenseType.OPEN_SOURCE
    assert drawio.lead_time_days == 0
    assert list(drawio.audiences.all()) == []
    winzip = CatalogEntry.objects.get(product="WinZip")
    assert winzip.how_to_get == HowToGet.NOT_ALLOWED
    # The alternative is a row further down the same file.
    assert [a.product for a in winzip.alternatives.all()] == ["7-Zip"]
    seven = CatalogEntry.objects.get(product="7-Zip")
    assert seven.lead_time_days == 1
    assert [a.slug for a in seven.audiences.all()] == ["alle"]


def test_csv_semicolon_windows_1252():
    data = csv_bytes(ROWS, encoding="cp1252")
    assert "ä".encode("cp1252") in data
    result = catalog_import_file(file=data, filename="katalog.csv")
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert sorted(result.categories_created) == ["Grafik und Diagramme", "Werkzeuge"]
    assert_imported()


def test_csv_comma_utf8_with_bom_and_english_headings(tmp_path):
    header = [
        "product",
        "vendor",
        "category",
        "description",
        "how to get",
        "lead time",
        "cost class",
        "license type",
        "audiences",
        "alternatives",
        "benefit",
        "request link",
    ]
    path = tmp_path / "catalog.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_bytes(ROWS, header=header, delimiter=","))
    result = catalog_import_file(path=path)
    assert result.created == 4
    assert_imported()


def test_csv_tab_separated_utf8():
    result = catalog_import_file(file=csv_bytes(ROWS, delimiter="\t"), filename="katalog.txt")
    assert result.created == 4
    assert_imported()


def test_xlsx(tmp_path):
    rows = [list(row) for row in ROWS]
    rows[0][5] = 5  # numbers arrive as numbers from Excel
    rows[1][5] = 0.0
    data = xlsx_file(tmp_path / "katalog.xlsx", rows)
    result = catalog_import_file(file=io.BytesIO(data), filename="katalog.xlsx")
    assert result.created == 4
    assert_imported()


def test_xlsx_named_sheet_and_unknown_sheet(tmp_path):
    data = xlsx_file(tmp_path / "k.xlsx", ROWS, sheet="Software", extra_sheets=["Hinweise"])
    # A workbook whose first sheet is not the catalog: name the sheet.
    workbook_path = tmp_path / "k2.xlsx"
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    workbook.move_sheet("Hinweise", offset=-1)
    workbook.save(workbook_path)
    problem = refused(path=workbook_path).problems[0]
    assert "Produkt" in problem.column  # the first sheet has no catalog columns
    result = catalog_import_file(path=workbook_path, sheet="Software")
    assert result.created == 4
    problem = refused(path=workbook_path, sheet="Lizenzen").problems[0]
    assert "Lizenzen" in problem.reason and "Software" in problem.reason


def test_rows_as_dicts_with_lists():
    result = catalog_import_rows(
        rows=[
            {
                "Produkt": "Microsoft Teams",
                "Hersteller": "Microsoft",
                "Kategorie": "Kommunikation",
                "Beschreibung": "Chat und Besprechungen.",
                "Bezug": HowToGet.SELF_SERVICE,
                "Zielgruppen": ["mitarbeitende", "management"],
                "lead time": 1,
            },
            {
                "Produkt": "Zoom",
                "Hersteller": "Zoom Video Communications",
                "Kategorie": "Kommunikation",
                "Beschreibung": "Videokonferenzen.",
                "Bezug": "not_allowed",
                "Alternativen": ["Microsoft Teams"],
            },
        ]
    )
    assert result.created == 2
    zoom = CatalogEntry.objects.get(product="Zoom")
    assert [a.product for a in zoom.alternatives.all()] == ["Microsoft Teams"]
    teams = CatalogEntry.objects.get(product="Microsoft Teams")
    assert {a.slug for a in teams.audiences.all()} == {"mitarbeitende", "management"}
    assert teams.lead_time_days == 1


def test_reimport_changes_nothing(tmp_path):
    data = xlsx_file(tmp_path / "k.xlsx", ROWS)
    catalog_import_file(file=data, filename="k.xlsx")
    before = snapshot()
    result = catalog_import_file(file=data, filename="k.xlsx")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert result.categories_created == []
    assert snapshot() == before
    # The same content as CSV is the same catalog.
    result = catalog_import_file(file=csv_bytes(ROWS), filename="k.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert snapshot() == before


def test_existing_entries_are_updated_not_duplicated(make_entry):
    visio = make_entry(
        "microsoft visio", vendor="MICROSOFT", how_to_get=HowToGet.SELF_SERVICE, benefit="alt"
    )
    make_entry("Altes Werkzeug", slug="winzip-alt")
    rows = [list(row) for row in ROWS]
    result = catalog_import_file(file=csv_bytes(rows), filename="k.csv")
    assert (result.created, result.updated) == (3, 1)
    visio.refresh_from_db()
    assert visio.product == "Microsoft Visio"
    assert visio.how_to_get == HowToGet.REQUEST
    assert visio.benefit == "Abläufe so zeichnen, dass alle sie verstehen."
    assert CatalogEntry.objects.filter(product__iexact="microsoft visio").count() == 1


def test_update_by_slug_and_columns_left_out_are_kept(make_entry):
    entry = make_entry("Acrobat", slug="acrobat", benefit="PDFs bearbeiten.", lead_time_days=3)
    result = catalog_import_rows(
        rows=[
            {
                "Kurzname": "acrobat",
                "Produkt": "Adobe Acrobat Pro",
                "Hersteller": "Adobe",
                "Kategorie": "Werkzeuge",
                "Beschreibung": "PDF-Dokumente bearbeiten und signieren.",
                "Bezug": "Antrag",
            }
        ]
    )
    assert (result.created, result.updated) == (0, 1)
    entry.refresh_from_db()
    assert (entry.product, entry.vendor, entry.how_to_get) == (
        "Adobe Acrobat Pro",
        "Adobe",
        HowToGet.REQUEST,
    )
    assert entry.benefit == "PDFs bearbeiten."  # no "Ihr Nutzen" column: kept
    assert entry.lead_time_days == 3


def test_category_matched_case_insensitively_and_new_one_created():
    existing = CatalogCategory.objects.create(name="Werkzeuge", order=5)
    rows = [list(ROWS[3]), list(ROWS[1])]
    rows[0][2] = "WERKZEUGE"
    result = catalog_import_file(file=csv_bytes(rows), filename="k.csv")
    assert result.categories_created == ["Grafik und Diagramme"]
    assert CatalogEntry.objects.get(product="7-Zip").category == existing
    assert CatalogCategory.objects.get(name="Grafik und Diagramme").order > existing.order


def test_unknown_columns_are_ignored_with_a_note():
    header = [*HEADER, "Interne Notiz"]
    rows = [[*row, "nur intern"] for row in ROWS]
    result = catalog_import_file(file=csv_bytes(rows, header=header), filename="k.csv")
    assert result.created == 4
    assert any("Interne Notiz" in note and "M" in note for note in result.notes)


def test_dry_run_changes_nothing():
    before = snapshot()
    result = catalog_import_file(file=csv_bytes(ROWS), filename="k.csv", dry_run=True)
    assert (result.created, result.dry_run) == (4, True)
    assert result.categories_created
    assert snapshot() == before


def test_template_csv_imports_as_it_is():
    data = catalog_template_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8-sig").splitlines()[0].split(";")
    for heading in ("Produkt", "Hersteller", "Kategorie", "Bezug", "Ihr Nutzen", "Antragslink"):
        assert heading in header
    result = catalog_import_file(file=data, filename="vorlage.csv")
    assert result.created == 3
    assert [
        a.product for a in CatalogEntry.objects.get(product="Microsoft Visio").alternatives.all()
    ] == ["draw.io"]


# Refusals ------------------------------------------------------------------------------


@pytest.fixture
def existing(make_entry):
    """An entry that every refused import must leave alone."""
    return make_entry("Notepad++", vendor="Don Ho", benefit="Texte schnell bearbeiten.")


def refuse_and_check(existing, **kwargs) -> CatalogImportRefused:
    before = snapshot()
    error = refused(**kwargs)
    assert snapshot() == before
    assert error.total >= 1
    return error


def test_refuses_empty_file(existing):
    error = refuse_and_check(existing, file=b"", filename="leer.csv")
    assert "empty" in error.problems[0].reason
    error = refuse_and_check(existing, file=b"\r\n ; ;\r\n", filename="leer.csv")
    assert "only the heading row" in error.problems[0].reason or "empty" in error.problems[0].reason


def test_refuses_header_only(existing, tmp_path):
    error = refuse_and_check(existing, file=csv_bytes([]), filename="k.csv")
    assert "only the heading row" in error.problems[0].reason
    data = xlsx_file(tmp_path / "k.xlsx", [])
    error = refuse_and_check(existing, file=data, filename="k.xlsx")
    assert "only the heading row" in error.problems[0].reason


def test_refuses_duplicate_headers(existing):
    header = [*HEADER, "produkt"]
    rows = [[*row, row[0]] for row in ROWS]
    error = refuse_and_check(existing, file=csv_bytes(rows, header=header), filename="k.csv")
    problem = error.problems[0]
    assert problem.row == 1
    assert "(M)" in problem.column
    assert "A" in problem.reason and "M" in problem.reason
    # Two headings for the same column (German and English) are refused as well.
    header = [*HEADER, "vendor"]
    error = refuse_and_check(
        existing, file=csv_bytes([[*r, r[1]] for r in ROWS], header=header), filename="k.csv"
    )
    assert "vendor (M)" == error.problems[0].column


def test_refuses_missing_required_columns_and_names_them(existing):
    header = [h for h in HEADER if h not in ("Hersteller", "Bezug")]
    rows = [[c for h, c in zip(HEADER, row, strict=True) if h in header] for row in ROWS]
    error = refuse_and_check(existing, file=csv_bytes(rows, header=header), filename="k.csv")
    assert {p.column for p in error.problems} == {"Hersteller", "Bezug"}
    assert all("required column is missing" in p.reason for p in error.problems)


def test_refuses_cells_longer_than_the_field(existing):
    rows = [list(row) for row in ROWS]
    rows[2][0] = "W" * 121
    rows[3][10] = "N" * 241
    error = refuse_and_check(existing, file=csv_bytes(rows), filename="k.csv")
    found = {(p.row, p.column) for p in error.problems}
    assert found == {(4, "Produkt (A)"), (5, "Ihr Nutzen (K)")}
    assert "121" in error.problems[0].reason and "120" in error.problems[0].reason


def test_refuses_bad_values_naming_row_column_value(existing):
    rows = [list(row) for row in ROWS]
    rows[0][4] = "Vielleicht"
    rows[0][5] = "drei Tage"
    rows[1][6] = "teuer"
    rows[1][7] = "geklaut"
    rows[2][11] = "javascript:alert(1)"
    rows[3][8] = "praktikanten"
    error = refuse_and_check(existing, file=csv_bytes(rows), filename="k.csv")
    found = {(p.row, p.column, p.value) for p in error.problems}
    assert found == {
        (2, "Bezug (E)", "Vielleicht"),
        (2, "Durchlaufzeit (F)", "drei Tage"),
        (3, "Kostenklasse (G)", "teuer"),
        (3, "Lizenztyp (H)", "geklaut"),
        (4, "Antragslink (L)", "javascript:alert(1)"),
        (5, "Zielgruppen (I)", "praktikanten"),
    }
    assert error.total == 6


def test_refuses_missing_required_values_and_lead_time_out_of_range(existing):
    rows = [list(row) for row in ROWS]
    rows[0][1] = ""
    rows[1][5] = "400"
    error = refuse_and_check(existing, file=csv_bytes(rows), filename="k.csv")
    assert {(p.row, p.column) for p in error.problems} == {
        (2, "Hersteller (B)"),
        (3, "Durchlaufzeit (F)"),
    }


def test_refuses_bad_references(existing, make_entry):
    make_entry("Paint", vendor="Microsoft")
    make_entry("Paint", vendor="Andere Firma")
    rows = [list(row) for row in ROWS]
    rows[0][9] = "Gibt es nicht"
    rows[1][9] = "draw.io"  # itself
    rows[2][9] = "Paint"  # two entries have this name
    error = refuse_and_check(existing, file=csv_bytes(rows), filename="k.csv")
    found = {(p.row, p.value) for p in error.problems}
    assert found == {(2, "Gibt es nicht"), (3, "draw.io"), (4, "Paint")}
    # With the vendor the name is clear.
    rows = [list(row) for row in ROWS]
    rows[2][9] = "Paint (Microsoft); 7-Zip"
    catalog_import_file(file=csv_bytes(rows), filename="k.csv")
    winzip = CatalogEntry.objects.get(product="WinZip")
    assert {str(a) for a in winzip.alternatives.all()} == {
        "Paint (Microsoft)",
        "7-Zip (Igor Pavlov)",
    }


def test_refuses_duplicate_rows(existing):
    rows = [*ROWS, list(ROWS[1])]
    rows[-1][0] = "DRAW.IO"
    error = refuse_and_check(existing, file=csv_bytes(rows), filename="k.csv")
    assert [(p.row, p.column) for p in error.problems] == [(6, "Produkt (A)")]
    assert "Row 3" in error.problems[0].reason


def test_refuses_not_allowed_with_request_link(existing):
    rows = [list(ROWS[2])]
    rows[0][9] = ""
    rows[0][11] = "https://serviceportal.example.org/winzip"
    error = refuse_and_check(existing, file=csv_bytes(rows), filename="k.csv")
    assert error.problems[0].column == "Antragslink (L)"


def test_refuses_rows_wider_than_the_header(existing):
    data = csv_bytes(ROWS)
    data += b"Putty;Simon Tatham;Werkzeuge;SSH;Selbstbedienung;1;free;open source;;;;;zu viel\r\n"
    error = refuse_and_check(existing, file=data, filename="k.csv")
    assert (error.problems[0].row, error.problems[0].column) == (6, "M")


@pytest.mark.parametrize(
    "data,filename",
    [
        (b"%PDF-1.7\n\x00\x01\x02\x03binary\x00stream", "katalog.pdf"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "katalog.xls"),
        (b"Just some text.\nNo table here at all.\n", "notiz.txt"),
        (b"not a zip at all", "katalog.xlsx"),
    ],
)
def test_refuses_files_that_are_no_table(existing, data, filename):
    error = refuse_and_check(existing, file=data, filename=filename)
    assert error.problems


def test_refuses_zip_that_is_no_workbook(existing):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "kein Arbeitsblatt")
    error = refuse_and_check(existing, file=buffer.getvalue(), filename="katalog.xlsx")
    assert "not a valid XLSX workbook" in error.problems[0].reason


def test_refuses_files_above_the_size_cap(existing, settings, tmp_path):
    settings.VITRINE_CATALOG_IMPORT_MAX_BYTES = 200
    data = csv_bytes(ROWS)
    assert len(data) > 200
    error = refuse_and_check(existing, file=data, filename="k.csv")
    assert "200" in error.problems[0].reason
    path = tmp_path / "k.csv"
    path.write_bytes(data)
    refuse_and_check(existing, path=path)
    refuse_and_check(existing, file=io.BytesIO(data))


def _bomb(unpacked_bytes: int) -> bytes:
    """A valid-looking XLSX whose one sheet is a huge, highly compressible XML."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"/>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheets><sheet name="A" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        head = '<?xml version="1.0"?><worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>'
        tail = "</t></is></c></row></sheetData></worksheet>"
        archive.writestr("xl/worksheets/sheet1.xml", head + "A" * unpacked_bytes + tail)
    return buffer.getvalue()


def test_refuses_zip_bomb_by_ratio(existing):
    data = _bomb(8 * 1024 * 1024)
    assert len(data) < 100 * 1024  # small on disk, 8 MB unpacked
    error = refuse_and_check(existing, file=data, filename="bombe.xlsx")
    assert "compressed more than 100 to 1" in error.problems[0].reason


def test_refuses_zip_bomb_by_unpacked_size(existing, settings):
    settings.VITRINE_IMPORT_XLSX_MAX_UNPACKED_MB = 50  # the figures' limit, shared
    data = _bomb(60 * 1024 * 1024)
    assert len(data) < 1024 * 1024
    error = refuse_and_check(existing, file=data, filename="bombe.xlsx")
    assert "unpacks to more than 50.0 MB" in error.problems[0].reason


def test_lists_at_most_50_problems_and_the_total(existing):
    rows = []
    for number in range(60):
        row = list(ROWS[1])
        row[0] = f"Werkzeug {number}"
        row[6] = "unbezahlbar"
        rows.append(row)
    error = refuse_and_check(existing, file=csv_bytes(rows), filename="k.csv")
    assert error.total == 60
    assert len(error.problems) == 50
    assert [p.row for p in error.problems[:3]] == [2, 3, 4]


def test_audience_names_with_commas_and_semicolons():
    management = Audience.objects.get(slug="management")
    itsm = Audience.objects.get(slug="itsm-rollen")
    row = list(ROWS[1])
    row[8] = f"{itsm.name}, {management.name};mitarbeitende"
    catalog_import_file(file=csv_bytes([row]), filename="k.csv")
    entry = CatalogEntry.objects.get(product="draw.io")
    assert {a.slug for a in entry.audiences.all()} == {"itsm-rollen", "management", "mitarbeitende"}


def test_refuses_two_rows_for_the_same_entry(existing):
    # Row 2 finds the entry by product and vendor, row 3 by its slug.
    data = csv_bytes(
        [
            ["Notepad++", "Don Ho", *ROWS[1][2:], ""],
            ["Editor", "Don Ho", *ROWS[1][2:], existing.slug],
        ],
        header=[*HEADER, "Kurzname"],
    )
    error = refuse_and_check(existing, file=data, filename="k.csv")
    assert [(p.row, p.value) for p in error.problems] == [(3, "Notepad++ (Don Ho)")]
    assert "Row 2" in error.problems[0].reason


def test_refuses_too_many_rows(existing, monkeypatch, tmp_path):
    monkeypatch.setattr("vitrine.catalog.tabular.MAX_ROWS", 3)
    error = refuse_and_check(existing, file=csv_bytes(ROWS), filename="k.csv")
    assert error.problems[0].row == 5
    assert "more than 3 rows" in error.problems[0].reason
    data = xlsx_file(tmp_path / "k.xlsx", ROWS)
    error = refuse_and_check(existing, file=data, filename="k.xlsx")
    assert error.problems[0].row == 5
