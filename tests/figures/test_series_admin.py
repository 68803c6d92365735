"""Editors write what a series means for each audience in the admin."""

import pytest
from django.urls import reverse

from vitrine.audiences.models import Audience
from vitrine.figures.models import FigureSeries, SeriesMeaning

pytestmark = pytest.mark.django_db
EDIT = "wagtailsnippets_figures_figureseries:edit"


@pytest.fixture
def series():
    return FigureSeries.objects.create(
        key="cloud_inactivity.total",
        title="Cloud-Konten ohne Aktivität",
        unit="accounts",
        topic=FigureSeries.Topic.CLOUD_INACTIVITY,
    )


def form_data(series, meanings, **fields):
    data = {
        "title": series.title,
        "description": "Konten, die seit über 90 Tagen niemand genutzt hat.",
        "audiences": [str(a.pk) for a in Audience.objects.filter(slug="management")],
        "meanings-TOTAL_FORMS": str(len(meanings)),
        "meanings-INITIAL_FORMS": "0",
        "meanings-MIN_NUM_FORMS": "0",
        "meanings-MAX_NUM_FORMS": "1000",
    }
    for index, (audience, text) in enumerate(meanings):
        data |= {
            f"meanings-{index}-audience": str(audience.pk),
            f"meanings-{index}-text": text,
            f"meanings-{index}-ORDER": str(index + 1),
            f"meanings-{index}-id": "",
            f"meanings-{index}-DELETE": "",
        }
    return data | fields


def test_an_editor_writes_a_meaning_per_audience(client, editor, series):
    client.force_login(editor)
    management = Audience.objects.get(slug="management")
    everyone = Audience.objects.get(slug="alle")
    data = form_data(
        series,
        [
            (management, "Jedes ungenutzte Konto kostet 431 € im Jahr – Geld ohne Gegenwert."),
            (everyone, "Melden Sie sich, wenn Sie ein Konto nicht mehr brauchen."),
        ],
        key="manipulated",
    )
    response = client.post(reverse(EDIT, args=[series.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    series.refresh_from_db()
    assert series.key == "cloud_inactivity.total"  # the key comes from imports, read only
    meanings = {m.audience.slug: m.text for m in series.meanings.all()}
    assert meanings["management"].startswith("Jedes ungenutzte Konto")
    assert set(meanings) == {"management", "alle"}


def test_one_meaning_per_audience(client, editor, series):
    client.force_login(editor)
    management = Audience.objects.get(slug="management")
    data = form_data(series, [(management, "Erster Satz."), (management, "Zweiter Satz.")])
    response = client.post(reverse(EDIT, args=[series.pk]), data)
    assert response.status_code == 200
    assert not SeriesMeaning.objects.exists()
