"""Portal response times with the demo company, against /healthz as the floor."""

import statistics
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from vitrine.catalog.models import CatalogPage
from vitrine.portal.models import HomePage, LifecyclePage, NewsIndexPage

from .conftest import record

pytestmark = pytest.mark.django_db
ROUNDS = 60


def timed(client: Client, url: str) -> float:
    """Median milliseconds of ROUNDS requests of `url`, after one warm-up request."""
    assert client.get(url).status_code == 200
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(samples)


def test_reader_pages_against_the_health_check(home, make_reader):
    call_command("load_demo", stdout=StringIO())
    anonymous = Client()
    reader = Client()
    reader.force_login(make_reader("management", "budgetverantwortliche"))
    floor = timed(anonymous, "/healthz")
    pages = {
        "home": HomePage.objects.get().url,
        "news index": NewsIndexPage.objects.get().url,
        "catalog": CatalogPage.objects.get().url,
        "catalog search": CatalogPage.objects.get().url + "?q=PDF",
        "lifecycle": LifecyclePage.objects.get().url,
        "search": "/suche/?q=Lizenz",
    }
    print(f"\n/healthz (floor): {floor:.2f} ms median of {ROUNDS}")
    print(f"{'page':<16}{'anonymous ms':>14}{'ratio':>8}{'reader ms':>12}{'ratio':>8}")
    for name, url in pages.items():
        anon_ms = timed(anonymous, url)
        reader_ms = timed(reader, url)
        print(
            f"{name:<16}{anon_ms:>14.2f}{anon_ms / floor:>8.1f}"
            f"{reader_ms:>12.2f}{reader_ms / floor:>8.1f}"
        )
        for who, ms in (("anonymous", anon_ms), ("reader", reader_ms)):
            # No goal: these figures are for comparison between runs.
            record(
                f"{name} page, {who}",
                f"{ms:.2f} ms",
                f"/healthz {floor:.2f} ms",
                f"{ms / floor:.1f}×",
                "-",
                None,
            )
