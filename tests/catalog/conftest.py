"""Fixtures of the catalog tests: the catalog page, entries, and files to import."""

import csv
import io

import openpyxl
import pytest
from django.conf import settings
from django.utils import translation

from tests.conftest import add_child
from vitrine.audiences.models import Audience
from vitrine.catalog.choices import CostClass, HowToGet, LicenseType
from vitrine.catalog.models import CatalogCategory, CatalogEntry, CatalogPage

HEADER = [
    "Produkt",
    "Hersteller",
    "Kategorie",
    "Beschreibung",
    "Bezug",
    "Durchlaufzeit",
    "Kostenklasse",
    "Lizenztyp",
    "Zielgruppen",
    "Alternativen",
    "Ihr Nutzen",
    "Antragslink",
]
ROWS = [
    [
        "Microsoft Visio",
        "Microsoft",
        "Grafik und Diagramme",
        "Zeichnet Prozesse, Organigramme und Netzpläne.",
        "Antrag mit Genehmigung",
        "5",
        "Mittel",
        "Abonnement pro Benutzer",
        "mitarbeitende; ITSM-Rollen (Service Desk, IT-Einkauf, Asset- und Change-Management)",
        "draw.io",
        "Abläufe so zeichnen, dass alle sie verstehen.",
        "https://serviceportal.example.org/visio",
    ],
    [
        "draw.io",
        "JGraph",
        "Grafik und Diagramme",
        "Diagramme im Browser, auch im Visio-Format.",
        "Self-service",
        "0",
        "free",
        "open source",
        "",
        "",
        "Sofort zeichnen, ohne Antrag und ohne Kosten.",
        "",
    ],
    [
        "WinZip",
        "Corel",
        "Werkzeuge",
        "Packt und entpackt Archive.",
        "Nicht erlaubt",
        "",
        "Gering",
        "Kauflizenz",
        "",
        "7-Zip",
        "",
        "",
    ],
    [
        "7-Zip",
        "Igor Pavlov",
        "Werkzeuge",
        "Packt und entpackt Archive, kostenlos.",
        "Selbstbedienung",
        "1 Arbeitstag",
        "Kostenlos",
        "Open Source",
        "alle",
        "",
        "Archive öffnen, ohne zu warten.",
        "",
    ],
]


@pytest.fixture(autouse=True)
def _english():
    """Assert against the English msgids, whatever German catalogs exist."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def catalog_page(home) -> CatalogPage:
    return add_child(home, CatalogPage(title="Softwarekatalog", slug="softwarekatalog"))


@pytest.fixture
def make_entry(db):
    """Create an entry; the category is made from its name, audiences given as slugs."""

    def make(product: str, *, audiences=(), alternatives=(), category="Werkzeuge", **fields):
        category_obj, _ = CatalogCategory.objects.get_or_create(
            name=category, defaults={"order": 10}
        )
        values = {
            "vendor": "Hersteller",
            "description": f"{product} für die tägliche Arbeit.",
            "how_to_get": HowToGet.SELF_SERVICE,
            "cost_class": CostClass.FREE,
            "license_type": LicenseType.OPEN_SOURCE,
        }
        values.update(fields)
        entry = CatalogEntry(product=product, category=category_obj, **values)
        entry.save()
        if audiences or alternatives:
            entry.audiences.set(list(Audience.objects.filter(slug__in=audiences)))
            entry.alternatives.set(list(alternatives))
            entry.save()
        return entry

    return make


def csv_bytes(rows, *, header=HEADER, delimiter=";", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_file(path, rows, *, header=HEADER, sheet="Katalog", extra_sheets=()) -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(header)
    for row in rows:
        worksheet.append(row)
    for name in extra_sheets:
        workbook.create_sheet(name).append(["nichts"])
    workbook.save(path)
    return path.read_bytes()
