"""Every reader page has a meta description in its own words: what search results show."""

import html
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from vitrine.catalog.models import CatalogEntry, CatalogPage
from vitrine.excerpts.models import TopicExcerptPage
from vitrine.improvements.models import ImprovementBoardPage
from vitrine.portal.models import HomePage, LifecyclePage, NewsPage
from vitrine.surveys.models import SurveyPage, SurveyResultsPage

pytestmark = pytest.mark.django_db

META = re.compile(r'<meta name="description" content="([^"]*)">')


def _descriptions(client, url) -> list[str]:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200, url
    return [html.unescape(c) for c in META.findall(response.content.decode())]


def _words(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", str(text)).split())


def test_every_reader_page_describes_itself(home):
    call_command("load_demo", stdout=StringIO())
    news = NewsPage.objects.live().get(slug="software-schneller-bekommen")
    catalog = CatalogPage.objects.live().get()
    entry, no_benefit = CatalogEntry.objects.exclude(benefit="").order_by("product")[:2]
    CatalogEntry.objects.filter(pk=no_benefit.pk).update(benefit="")
    no_benefit.refresh_from_db()
    excerpt = TopicExcerptPage.objects.live().first()
    survey = SurveyPage.objects.live().exclude(benefit="").first()
    results = SurveyResultsPage.objects.live().first()
    # Page: its own words, most specific first (the benefit line, else the introduction).
    expected = {
        "/": _words(HomePage.objects.get().intro),
        news.url: news.benefit,
        catalog.url: _words(catalog.intro),
        entry.get_url(): entry.benefit,
        no_benefit.get_url(): no_benefit.description,
        LifecyclePage.objects.live().get().url: _words(LifecyclePage.objects.get().intro),
        excerpt.url: excerpt.benefit,
        survey.url: survey.benefit,
        results.url: results.benefit,
        ImprovementBoardPage.objects.live().get().url: _words(
            ImprovementBoardPage.objects.get().intro
        ),
    }
    client = Client()

    seen = []
    for url, text in expected.items():
        (description,) = _descriptions(client, url)
        assert text, url
        assert len(description) <= 160, url
        assert description.rstrip("…") and text.startswith(description.rstrip("…")), (
            url,
            description,
        )
        seen.append(description)
    assert len(set(seen)) == len(seen)  # no page borrows another's description

    (search,) = _descriptions(client, "/suche/?q=Visio")
    assert search.startswith("Durchsuchen Sie das Portal")


def test_an_editors_search_description_comes_first_and_a_bare_page_gets_the_portals(home, client):
    home.search_description = "Das Portal des Lizenzmanagements der Muster AG."
    home.intro = "<p>Willkommen.</p>"
    home.save_revision().publish()

    assert _descriptions(client, "/") == ["Das Portal des Lizenzmanagements der Muster AG."]

    home.search_description = ""
    home.intro = ""
    home.save_revision().publish()

    (default,) = _descriptions(client, "/")
    assert "Software und Lizenzen" in default
    assert "<" not in default
