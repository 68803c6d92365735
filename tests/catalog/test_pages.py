"""The catalog page: listing, search, filters, audiences, pagination and entry pages."""

import re

import pytest

from vitrine.catalog.choices import HowToGet
from vitrine.catalog.models import CatalogCategory

pytestmark = pytest.mark.django_db


def products(response) -> list[str]:
    """Product names of the entry cards, in the order shown."""
    html = response.content.decode()
    return re.findall(r'class="catalog-card__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def catalog(make_entry):
    drawio = make_entry(
        "draw.io",
        vendor="JGraph",
        category="Grafik und Diagramme",
        description="Diagramme und Flussdiagramme im Browser.",
        benefit="Sofort zeichnen, ohne Antrag.",
    )
    visio = make_entry(
        "Microsoft Visio",
        vendor="Microsoft",
        category="Grafik und Diagramme",
        description="Prozesse und Netzpläne zeichnen.",
        how_to_get=HowToGet.REQUEST,
        how_to_request="Antrag im Serviceportal stellen.",
        request_url="https://serviceportal.example.org/visio",
        lead_time_days=5,
        audiences=["mitarbeitende"],
        alternatives=[drawio],
        benefit="Abläufe so zeichnen, dass alle sie verstehen.",
    )
    power_bi = make_entry(
        "Power BI Pro",
        vendor="Microsoft",
        category="Datenanalyse",
        description="Berichte und Dashboards für Kennzahlen.",
        how_to_get=HowToGet.REQUEST,
        audiences=["management", "budgetverantwortliche"],
    )
    winzip = make_entry(
        "WinZip",
        vendor="Corel",
        description="Archive packen.",
        how_to_get=HowToGet.NOT_ALLOWED,
        audiences=["alle"],
    )
    seven = make_entry("7-Zip", vendor="Igor Pavlov", description="Archive packen, kostenlos.")
    winzip.alternatives.set([seven])
    winzip.save()
    return {"drawio": drawio, "visio": visio, "power_bi": power_bi, "winzip": winzip, "7zip": seven}


def test_listing_for_anonymous_readers_shows_what_is_for_everyone(client, catalog_page, catalog):
    response = client.get(catalog_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    # No audience, or the audience "Alle": for everyone. Ordered by category, then name.
    assert products(response) == ["draw.io", "7-Zip", "WinZip"]
    assert "2 more entries are meant for other audiences" in html
    assert "alle=1" in html
    assert "Log in to see the software for your audiences" in html
    assert 'style="' not in html and "<style" not in html


def test_listing_is_ordered_by_category_order_then_product(client, catalog_page, catalog):
    CatalogCategory.objects.filter(name="Werkzeuge").update(order=1)
    CatalogCategory.objects.filter(name="Grafik und Diagramme").update(order=2)
    response = client.get(catalog_page.url)
    assert products(response) == ["7-Zip", "WinZip", "draw.io"]


def test_reader_sees_entries_for_own_audiences(client, catalog_page, catalog, make_reader):
    client.force_login(make_reader("mitarbeitende"))
    response = client.get(catalog_page.url)
    assert set(products(response)) == {"draw.io", "Microsoft Visio", "WinZip", "7-Zip"}
    html = response.content.decode()
    assert "Mitarbeitende, Key-User und Teamleitungen" in html
    assert "One more entry is meant for other audiences" in html


def test_show_all_lists_every_entry_and_marks_others(client, catalog_page, catalog, make_reader):
    client.force_login(make_reader("mitarbeitende"))
    response = client.get(catalog_page.url, {"alle": "1"})
    assert set(products(response)) == {
        "draw.io",
        "Microsoft Visio",
        "Power BI Pro",
        "WinZip",
        "7-Zip",
    }
    html = response.content.decode()
    assert html.count("catalog-card--other") == 1
    assert "Meant for:" in html
    assert "Show only the software meant for me" in html


def test_search(client, catalog_page, catalog):
    response = client.get(catalog_page.url, {"q": "Flussdiagramme", "alle": "1"})
    assert products(response) == ["draw.io"]
    # Category names are searched: both entries are in "Grafik und Diagramme".
    response = client.get(catalog_page.url, {"q": "Diagramme", "alle": "1"})
    assert set(products(response)) == {"draw.io", "Microsoft Visio"}
    # Partial product names match, too.
    response = client.get(catalog_page.url, {"q": "Vis", "alle": "1"})
    assert products(response) == ["Microsoft Visio"]
    response = client.get(catalog_page.url, {"q": "Datenanalyse", "alle": "1"})
    assert products(response) == ["Power BI Pro"]
    response = client.get(catalog_page.url, {"q": "Tabellenkalkulation"})
    assert products(response) == []
    assert "No entry matches" in response.content.decode()


@pytest.mark.parametrize("query", ['"', "*", "(Visio", "Visio OR", "-", "a" * 500, "ä'; DROP"])
def test_search_never_fails_on_odd_input(client, catalog_page, catalog, query):
    response = client.get(catalog_page.url, {"q": query})
    assert response.status_code == 200


def test_filters(client, catalog_page, catalog):
    response = client.get(catalog_page.url, {"kategorie": "grafik-und-diagramme", "alle": "1"})
    assert set(products(response)) == {"draw.io", "Microsoft Visio"}
    response = client.get(catalog_page.url, {"bezug": "not_allowed", "alle": "1"})
    assert products(response) == ["WinZip"]
    response = client.get(
        catalog_page.url, {"bezug": "request", "kategorie": "datenanalyse", "alle": "1"}
    )
    assert products(response) == ["Power BI Pro"]
    html = response.content.decode()
    # Labelled selects, the chosen values kept.
    assert re.search(r'<label for="id_kategorie"[^>]*>', html)
    assert re.search(r'<label for="id_bezug"[^>]*>', html)
    assert re.search(r'<option value="datenanalyse" selected>', html)


def test_invalid_filter_values_are_reported_and_ignored(client, catalog_page, catalog):
    response = client.get(
        catalog_page.url, {"kategorie": "gibt-es-nicht", "bezug": "klauen", "alle": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no category “gibt-es-nicht”" in html
    assert "“klauen” is not a way to get software" in html
    assert len(products(response)) == 5
    # A valid filter next to an invalid one still applies.
    response = client.get(catalog_page.url, {"kategorie": "x", "bezug": "not_allowed"})
    assert products(response) == ["WinZip"]
    assert "There is no category “x”" in response.content.decode()


def test_pagination_keeps_the_filters(client, catalog_page, catalog):
    catalog_page.per_page = 2
    catalog_page.save_revision().publish()
    response = client.get(catalog_page.url, {"alle": "1"})
    first = products(response)
    assert len(first) == 2
    assert "seite=2" in response.content.decode() and "alle=1" in response.content.decode()
    second = products(client.get(catalog_page.url, {"alle": "1", "seite": "2"}))
    third = products(client.get(catalog_page.url, {"alle": "1", "seite": "3"}))
    assert len(second) == 2 and len(third) == 1
    assert len(set(first + second + third)) == 5
    # Nonsense page numbers show a page instead of failing.
    assert client.get(catalog_page.url, {"seite": "zwei"}).status_code == 200
    assert products(client.get(catalog_page.url, {"alle": "1", "seite": "99"})) == third


def test_entry_page(client, catalog_page, catalog):
    visio = catalog["visio"]
    url = visio.get_url()
    assert url == f"{catalog_page.url}{visio.slug}/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Microsoft Visio" in html
    benefit = html.index("Abläufe so zeichnen, dass alle sie verstehen.")
    assert benefit < html.index("Prozesse und Netzpläne zeichnen.")
    assert benefit < html.index("How to get it")
    assert "Request with approval" in html
    assert "Antrag im Serviceportal stellen." in html
    assert 'href="https://serviceportal.example.org/visio"' in html
    assert "5 working days" in html
    assert "Free" in html and "Open source" in html
    assert "Mitarbeitende, Key-User und Teamleitungen" in html
    # The alternative is linked to its own page, and it links back.
    assert f'href="{catalog["drawio"].get_url()}"' in html
    back = client.get(catalog["drawio"].get_url()).content.decode()
    assert "Recommended instead of" in back and f'href="{url}"' in back
    assert 'style="' not in html


def test_entry_page_of_software_that_is_not_allowed(client, catalog_page, catalog):
    html = client.get(catalog["winzip"].get_url()).content.decode()
    assert "Not allowed" in html
    assert "Use this instead" in html
    assert catalog["7zip"].get_url() in html


def test_entry_for_other_audiences_says_so(client, catalog_page, catalog):
    html = client.get(catalog["power_bi"].get_url()).content.decode()
    assert "This software is meant for other audiences" in html


def test_unknown_entry_is_404(client, catalog_page, catalog):
    assert client.get(f"{catalog_page.url}gibt-es-nicht/").status_code == 404
    assert client.get(f"{catalog_page.url}visio/weiter/").status_code == 404


def test_entry_url_without_catalog_page_is_empty(catalog):
    assert catalog["visio"].get_url() == ""


def test_portal_search_finds_catalog_entries(client, catalog_page, catalog):
    response = client.get("/suche/", {"q": "Flussdiagramme"})
    assert response.status_code == 200
    assert catalog["drawio"].get_url() in response.content.decode()


# A valid HTML date, or global date and time: at most milliseconds, an offset if timed.
HTML_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2}))?"
)


def test_entry_page_time_attributes_are_valid_html_datetimes(client, catalog_page, make_entry):
    import datetime
    import zoneinfo

    from vitrine.catalog.models import CatalogEntry

    entry = make_entry("Inkscape")
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    updated = datetime.datetime(2026, 11, 23, 14, 5, 9, 123456, tzinfo=berlin)
    CatalogEntry.objects.filter(pk=entry.pk).update(updated_at=updated)

    html = client.get(entry.get_url()).content.decode()

    values = re.findall(r'<time datetime="([^"]*)"', html)
    assert values, "no <time> on the entry page"
    for value in values:
        assert HTML_DATETIME.fullmatch(value), value
    assert "2026-11-23T14:05:09+0100" in values
