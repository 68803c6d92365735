"""Fixtures for the improvement register: English messages, a board, items."""

import pytest
from django.utils import translation

from tests.conftest import add_child
from vitrine.improvements import services
from vitrine.improvements.models import ImprovementBoardPage
from vitrine.portal.models import Contact


@pytest.fixture(autouse=True)
def _english(_test_settings, settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def board(home) -> ImprovementBoardPage:
    return add_child(
        home,
        ImprovementBoardPage(
            title="Woran wir arbeiten", slug="woran-wir-arbeiten", intro="<p>Unsere Liste.</p>"
        ),
    )


@pytest.fixture
def contact(db) -> Contact:
    return Contact.objects.create(
        name="Team Lizenzmanagement",
        role="Funktionspostfach",
        email="geheim.lizenz@muster-ag.example",
    )


@pytest.fixture
def make_item(db):
    """Open an item through the service; defaults fill what a test does not care about."""

    def make(title="Visio-Lizenzen zurückholen", **fields):
        fields.setdefault("description", f"Beschreibung: {title}.")
        fields.setdefault("source", "idea")
        fields.setdefault("area", "license")
        return services.improvement_create(title=title, **fields)

    return make
