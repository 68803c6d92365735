"""The catalog in the Wagtail admin: snippets, menu, and the file import view."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vitrine.catalog.models import CatalogEntry

from .conftest import ROWS, csv_bytes, xlsx_file

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/catalog/import/"


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def upload(client, data: bytes, name: str = "katalog.csv", **extra):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data), **extra})


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    response = upload(client, csv_bytes(ROWS))
    assert response.status_code == 302
    assert CatalogEntry.objects.count() == 0


def test_editor_without_catalog_permissions_is_turned_away(client):
    user = get_user_model().objects.create_user(username="leser", password="x" * 12)
    group = Group.objects.create(name="Nur Admin")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_catalogentry"),
    )
    user.groups.add(group)
    client.force_login(user)
    response = upload(client, csv_bytes(ROWS))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert CatalogEntry.objects.count() == 0
    # The menu does not offer the import either.
    assert IMPORT_URL not in client.get("/admin/").content.decode()


def test_import_page_offers_form_and_template(editor_client):
    response = editor_client.get(IMPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html
    assert reverse("catalog_import_template") in html
    template = editor_client.get(reverse("catalog_import_template"))
    assert template["Content-Type"].startswith("text/csv")
    assert "attachment" in template["Content-Disposition"]
    assert template.content.decode("utf-8-sig").startswith("Produkt;Hersteller;Kategorie")


def test_admin_menu_has_the_catalog_group(editor_client):
    html = editor_client.get("/admin/").content.decode()
    assert "Software catalog" in html
    assert IMPORT_URL in html


def test_successful_upload(editor_client):
    response = upload(editor_client, csv_bytes(ROWS, encoding="cp1252"))
    assert response.status_code == 302
    assert CatalogEntry.objects.count() == 4
    listing = editor_client.get(response["Location"])
    assert "4 created, 0 updated, 0 unchanged" in listing.content.decode()
    # Again: nothing changes, and the message says so.
    response = upload(editor_client, csv_bytes(ROWS, encoding="cp1252"))
    listing = editor_client.get(response["Location"])
    assert "0 created, 0 updated, 4 unchanged" in listing.content.decode()


def test_xlsx_upload_with_sheet(editor_client, tmp_path):
    data = xlsx_file(tmp_path / "k.xlsx", ROWS, sheet="Software", extra_sheets=["Hinweise"])
    response = upload(editor_client, data, "k.xlsx", sheet="Hinweise")
    assert response.status_code == 200
    assert CatalogEntry.objects.count() == 0
    response = upload(editor_client, data, "k.xlsx", sheet="Software")
    assert response.status_code == 302
    assert CatalogEntry.objects.count() == 4


def test_refused_upload_shows_the_problems(editor_client):
    rows = [list(row) for row in ROWS]
    rows[1][6] = "unbezahlbar"
    response = upload(editor_client, csv_bytes(rows))
    assert response.status_code == 200
    html = response.content.decode()
    assert "was refused: 1 problem. Nothing was imported." in html
    assert "<td>3</td><td>Kostenklasse (G)</td><td>unbezahlbar</td>" in html
    assert CatalogEntry.objects.count() == 0


def test_dry_run_upload_saves_nothing(editor_client):
    response = upload(editor_client, csv_bytes(ROWS), dry_run="on")
    assert response.status_code == 200
    assert "passed the check" in response.content.decode()
    assert "4 created" in response.content.decode()
    assert CatalogEntry.objects.count() == 0


def test_upload_above_the_size_cap(editor_client, settings):
    settings.VITRINE_CATALOG_IMPORT_MAX_BYTES = 100
    response = upload(editor_client, csv_bytes(ROWS))
    assert response.status_code == 200
    assert "files up to 100" in response.content.decode()
    assert CatalogEntry.objects.count() == 0


def test_upload_without_file(editor_client):
    response = editor_client.post(IMPORT_URL, {})
    assert response.status_code == 200
    assert CatalogEntry.objects.count() == 0


def test_snippet_listing_filters_and_search(editor_client, make_entry):
    make_entry("draw.io", how_to_get="self_service")
    make_entry("Microsoft Visio", how_to_get="request")
    url = "/admin/snippets/catalog/catalogentry/"
    html = editor_client.get(url, {"how_to_get": "request"}).content.decode()
    assert "Microsoft Visio" in html and "draw.io" not in html
    html = editor_client.get(url, {"q": "draw"}).content.decode()
    assert "draw.io" in html and "Microsoft Visio" not in html
    # The listing offers the import.
    assert IMPORT_URL in editor_client.get(url).content.decode()
    assert editor_client.get("/admin/snippets/catalog/catalogcategory/").status_code == 200


def test_entry_can_be_created_in_the_admin(editor_client, make_entry, audience):
    seven = make_entry("7-Zip")
    response = editor_client.post(
        "/admin/snippets/catalog/catalogentry/add/",
        {
            "product": "WinZip",
            "vendor": "Corel",
            "category": seven.category_id,
            "slug": "",
            "description": "Archive packen.",
            "benefit": "",
            "audiences": [audience("mitarbeitende").pk],
            "how_to_get": "not_allowed",
            "how_to_request": "",
            "request_url": "",
            "lead_time_days": "",
            "cost_class": "low",
            "license_type": "perpetual",
            "alternatives": [seven.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    winzip = CatalogEntry.objects.get(product="WinZip")
    assert winzip.slug == "winzip"
    assert list(winzip.alternatives.all()) == [seven]
    assert [a.slug for a in winzip.audiences.all()] == ["mitarbeitende"]


def test_entry_is_never_its_own_alternative_in_the_admin(editor_client, make_entry):
    seven = make_entry("7-Zip")
    url = f"/admin/snippets/catalog/catalogentry/edit/{seven.pk}/"
    form = editor_client.get(url).context["form"]
    assert seven not in form.fields["alternatives"].queryset
    data = {
        "product": "7-Zip",
        "vendor": "Igor Pavlov",
        "category": seven.category_id,
        "slug": seven.slug,
        "description": "Archive packen.",
        "how_to_get": "self_service",
        "alternatives": [seven.pk],
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert response.context["form"].errors["alternatives"]
    seven.refresh_from_db()
    assert seven.vendor == "Hersteller"
    assert list(seven.alternatives.all()) == []


def test_refusal_with_many_problems_shows_the_first_50(editor_client):
    rows = []
    for number in range(55):
        row = list(ROWS[1])
        row[0] = f"Werkzeug {number}"
        row[4] = "irgendwie"
        rows.append(row)
    html = upload(editor_client, csv_bytes(rows)).content.decode()
    assert "was refused: 55 problems" in html
    assert "The first 50 of 55 problems are shown." in html
    assert html.count("<td>Bezug (E)</td>") == 50
