"""Excerpts can embed open items of the improvement register as their open work."""

import pytest

from vitrine.excerpts.documents import document_for
from vitrine.improvements.choices import Area, Source, Status
from vitrine.improvements.services import improvement_create

from .conftest import make_excerpt

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(audience):
    return improvement_create(
        title="Rücknahme ungenutzter Visio-Lizenzen automatisieren",
        description="Nach 90 Tagen ohne Nutzung geht die Lizenz zurück in den Pool.",
        source=Source.IDEA,
        area=Area.LICENSE,
        status=Status.IN_PROGRESS,
        audiences=[audience("alle")],
    )


def open_items_block(*chosen):
    return {
        "type": "open_items",
        "value": {"heading": "", "items": [i.pk for i in chosen], "max_items": 5},
    }


def test_open_items_count_as_open_work_and_show_on_page_and_in_the_document(
    client, news_index, item, audience
):
    page = make_excerpt(news_index, "Visio", [open_items_block(item)], audience("alle"))
    assert page.has_open_work

    html = client.get(page.url).content.decode()
    assert "Rücknahme ungenutzter Visio-Lizenzen automatisieren" in html

    document = document_for(page, audiences=[])
    [section] = document.sections
    assert section.kind == "open_work"
    assert section.items == ["Rücknahme ungenutzter Visio-Lizenzen automatisieren (In progress)"]


def test_without_open_items_or_open_work_the_page_lacks_open_work(news_index, audience):
    page = make_excerpt(news_index, "Leer", [], audience("alle"))
    assert not page.has_open_work
