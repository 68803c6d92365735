"""Inactivity thresholds per product in the admin; series are not added by hand."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from vitrine.figures.models import FigureSeries, InactivityThreshold, Snapshot

pytestmark = pytest.mark.django_db
THRESHOLDS = "wagtailsnippets_figures_inactivitythreshold"
SERIES = "wagtailsnippets_figures_figureseries"


def test_an_editor_sets_thresholds_for_a_product(client, editor):
    client.force_login(editor)
    data = {"product": "Microsoft 365 F3", "first_days": 14, "second_days": 30, "third_days": 60}
    response = client.post(reverse(f"{THRESHOLDS}:add"), data)
    assert response.status_code == 302
    assert InactivityThreshold.objects.get().third_days == 60


def test_thresholds_must_rise(client, editor):
    client.force_login(editor)
    data = {"product": "Visio Plan 2", "first_days": 60, "second_days": 30, "third_days": 90}
    response = client.post(reverse(f"{THRESHOLDS}:add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    language = re.search(r'<html lang="([a-z]+)', html).group(1)
    with translation.override(language):
        expected = gettext("The thresholds rise from the first to the third, from 1 to 3650 days.")
    assert escape(expected) in html
    assert not InactivityThreshold.objects.exists()


def test_series_are_not_added_by_hand_and_show_plain_values(client, editor):
    client.force_login(editor)
    assert client.get(reverse(f"{SERIES}:add")).status_code in (302, 403)
    series = FigureSeries.objects.create(
        key="entitled.visio", title="Visio", unit="seats", topic="license_position"
    )
    Snapshot.objects.create(series=series, date=date(2026, 11, 1), value=10)
    html = client.get(reverse(f"{SERIES}:list")).content.decode()
    assert "10,0000" not in html and "10.0000" not in html


def test_a_product_has_one_set_of_thresholds_whatever_its_case(client, editor):
    client.force_login(editor)
    InactivityThreshold.objects.create(product="Microsoft 365 F3", first_days=14)
    data = {"product": "MICROSOFT 365 F3", "first_days": 20, "second_days": 40, "third_days": 80}
    response = client.post(reverse(f"{THRESHOLDS}:add"), data)
    assert response.status_code == 200
    assert InactivityThreshold.objects.count() == 1
