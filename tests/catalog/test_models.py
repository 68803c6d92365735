"""Catalog models: names, slugs and the rules the database keeps."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from vitrine.catalog.choices import HowToGet
from vitrine.catalog.models import CatalogCategory, CatalogEntry
from vitrine.catalog.selectors import catalog_search_entries

pytestmark = pytest.mark.django_db


def test_str_and_slugs(make_entry):
    zoom = make_entry("Zoom", vendor="Zoom Video Communications")
    assert str(zoom) == "Zoom (Zoom Video Communications)"
    assert zoom.slug == "zoom"
    # A second product of the same name gets the vendor into its slug.
    other = make_entry("Zoom", vendor="Zoom Player GmbH")
    assert other.slug == "zoom-zoom-player-gmbh"
    assert str(CatalogCategory.objects.get(name="Werkzeuge")) == "Werkzeuge"
    assert CatalogCategory.objects.get(name="Werkzeuge").slug == "werkzeuge"


def test_product_and_vendor_are_unique_regardless_of_case(make_entry):
    make_entry("Zoom", vendor="Zoom")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_entry("ZOOM", vendor="zoom")


@pytest.mark.parametrize(
    "field,value",
    [
        ("how_to_get", "maybe"),
        ("cost_class", "cheap"),
        ("license_type", "stolen"),
        ("lead_time_days", 400),
    ],
)
def test_database_refuses_values_outside_the_choices(make_entry, field, value):
    entry = make_entry("Zoom")
    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogEntry.objects.filter(pk=entry.pk).update(**{field: value})


def test_not_allowed_software_has_no_request_link(make_entry):
    entry = make_entry("WinZip", how_to_get=HowToGet.NOT_ALLOWED)
    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogEntry.objects.filter(pk=entry.pk).update(request_url="https://example.org/")
    entry.request_url = "https://example.org/"
    with pytest.raises(ValidationError) as info:
        entry.full_clean()
    assert "request_url" in info.value.message_dict


def test_an_entry_is_not_its_own_alternative(make_entry):
    entry = make_entry("WinZip")
    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogEntry.alternatives.through.objects.create(entry=entry, alternative=entry)


def test_alternatives_are_not_symmetrical(make_entry):
    seven = make_entry("7-Zip")
    winzip = make_entry("WinZip", alternatives=[seven])
    assert list(winzip.alternatives.all()) == [seven]
    assert list(seven.alternatives.all()) == []
    assert list(seven.alternative_for.all()) == [winzip]


def test_category_in_use_cannot_be_deleted(make_entry):
    entry = make_entry("7-Zip")
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        entry.category.delete()


def test_renaming_a_category_updates_the_search(make_entry):
    entry = make_entry("7-Zip", category="Werkzeuge")
    assert catalog_search_entries("Packprogramme") == []
    category = entry.category
    category.name = "Packprogramme"
    category.save()
    assert catalog_search_entries("Packprogramme") == [entry]


def test_search_entries_offer_what_the_portal_search_needs(make_entry):
    entry = make_entry("draw.io", description="Diagramme zeichnen.", audiences=["mitarbeitende"])
    [found] = catalog_search_entries("Diagramme")
    assert found == entry
    assert found.description == "Diagramme zeichnen."
    assert [a.slug for a in found.audiences.all()] == ["mitarbeitende"]
    assert str(found) == "draw.io (Hersteller)"
    assert catalog_search_entries("") == []
