"""Units in the admin read as the admin's language writes them: German words, singular for one."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vitrine.figures.models import FigureSeries, ImportRun, Snapshot

pytestmark = pytest.mark.django_db

STORED_CODES = re.compile(r"\b(seats?|accounts?|days?)\b")


@pytest.fixture
def german_admin(client, editor, settings, tmp_path):
    settings.PRIVATE_IMPORT_ROOT = tmp_path / "imports"
    client.force_login(editor)  # no preferred language: the admin follows the request
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    return client


def _series(key, unit, value, run=None):
    series = FigureSeries.objects.create(key=key, title=f"Reihe {key}", unit=unit, topic="other")
    Snapshot.objects.create(
        series=series, date=datetime.date(2026, 11, 1), value=Decimal(value), import_run=run
    )
    return series


def _cells(html: str) -> list[str]:
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in body.split("<td")[1:]]


def _row(html: str, title: str) -> str:
    """The text of the one table row that names `title`."""
    (row,) = [r.split("</tr>")[0] for r in html.split("<tr")[1:] if title in r.split("</tr>")[0]]
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def test_the_series_listing_names_units_in_german_singular_for_one(german_admin):
    _series("konten.eins", "accounts", 1)
    _series("konten.viele", "accounts", 57)
    _series("lizenzen.eine", "seats", 1)
    _series("lizenzen.viele", "seats", 12)
    _series("tage.anderthalb", "days", "1.5")
    _series("tage.einer", "days", 1)

    html = german_admin.get(reverse("wagtailsnippets_figures_figureseries:list")).content.decode()

    assert _row(html, "Reihe konten.eins").endswith("1 Konto 1. November 2026")
    assert _row(html, "Reihe konten.viele").endswith("57 Konten 1. November 2026")
    assert _row(html, "Reihe lizenzen.eine").endswith("1 Lizenz 1. November 2026")
    assert _row(html, "Reihe lizenzen.viele").endswith("12 Lizenzen 1. November 2026")
    assert _row(html, "Reihe tage.anderthalb").endswith("1,5 Tage 1. November 2026")
    assert _row(html, "Reihe tage.einer").endswith("1 Tag 1. November 2026")
    assert not STORED_CODES.search(" ".join(_cells(html)))


def test_the_run_result_names_units_in_german(german_admin):
    run = ImportRun.objects.create(
        file_name="konten.csv", status=ImportRun.Status.SUCCEEDED, format="entitlements"
    )
    _series("konten.eins", "accounts", 1, run)
    _series("tage.zwei", "days", 2, run)

    html = german_admin.get(reverse("figures_admin:run", args=[run.pk])).content.decode()

    assert _row(html, "Reihe konten.eins").endswith("01.11.2026 1 Konto")
    assert _row(html, "Reihe tage.zwei").endswith("01.11.2026 2 Tage")
    assert not STORED_CODES.search(" ".join(_cells(html)))


def test_the_import_preview_names_units_in_german(german_admin):
    _series("entitled.visio-plan-2", "seats", 2)
    entitlements = (
        "Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende\n"
        "Visio Plan 2;Microsoft;Abonnement;1;120,00;EUR;01.01.2026;31.12.2026\n"
    )
    upload = SimpleUploadedFile("lizenzen.csv", entitlements.encode())

    html = german_admin.post(
        "/admin/figures/import/", {"file": upload, "date": "2026-12-01"}
    ).content.decode()

    row = _row(html, "Erworbene Lizenzen: Visio Plan 2")
    assert "2 Lizenzen (01.11.2026) 1 Lizenz" in row, row
    assert not STORED_CODES.search(row)


def test_the_series_form_shows_its_unit_in_german(german_admin):
    series = _series("konten.viele", "accounts", 57)

    html = german_admin.get(
        reverse("wagtailsnippets_figures_figureseries:edit", args=[series.pk])
    ).content.decode()

    shown = re.search(r'aria-labelledby="[^"]*-unit-label"[^>]*>\s*([^<]*?)\s*<', html)
    assert shown and shown.group(1) == "Konten"
