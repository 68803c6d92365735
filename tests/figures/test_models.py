"""Models and their admin: one snapshot per series and date, runs read-only in Wagtail."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from vitrine.figures.models import FigureSeries, ImportRun, Snapshot
from vitrine.figures.services import figures_import

pytestmark = pytest.mark.django_db

ENTITLEMENTS = (
    "product,vendor,metric,quantity,unit_price,currency,start_date,end_date\n"
    "Visio Plan 2,Microsoft,subscription,10,120.00,EUR,2026-01-01,2026-12-31\n"
)


def test_one_snapshot_per_series_and_date():
    series = FigureSeries.objects.create(
        key="license_position.visio", title="Visio", topic=FigureSeries.Topic.LICENSE_POSITION
    )
    Snapshot.objects.create(series=series, date=date(2026, 1, 1), value=Decimal("3"))
    assert str(series.snapshots.get()) == "Visio: 3 (2026-01-01)"
    with pytest.raises(IntegrityError):
        Snapshot.objects.create(series=series, date=date(2026, 1, 1), value=Decimal("4"))


def test_series_key_is_validated():
    series = FigureSeries(key="Lizenz Position!", title="x", topic="license_position")
    with pytest.raises(Exception, match="lower-case"):
        series.full_clean()


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw-pw-pw-1")
    client.force_login(user)
    return client


def test_admin_lists_series_with_latest_value_and_runs_read_only(admin_client):
    run = figures_import(
        source=ENTITLEMENTS.encode(), filename="lizenzen.csv", date=date(2026, 11, 1)
    )
    series_index = reverse("wagtailsnippets_figures_figureseries:list")
    response = admin_client.get(series_index)
    assert response.status_code == 200
    assert "Entitled seats: Visio Plan 2" in response.text
    row = re.search(r"entitled\.visio-plan-2.*?</tr>", response.text, re.S)[0]
    assert re.search(r"<td[^>]*>\s*10([.,]0+)?\s*</td>", row)  # the latest value
    assert "Lizenzen" in row and "seats" not in row  # the unit in the admin's German
    runs_index = reverse("wagtailsnippets_figures_importrun:list")
    response = admin_client.get(runs_index)
    assert response.status_code == 200 and "lizenzen.csv" in response.text
    inspect = reverse("wagtailsnippets_figures_importrun:inspect", args=[run.pk])
    assert admin_client.get(inspect).status_code == 200
    edit = reverse("wagtailsnippets_figures_importrun:edit", args=[run.pk])
    assert admin_client.get(edit).status_code in (302, 403)
    delete = reverse("wagtailsnippets_figures_importrun:delete", args=[run.pk])
    admin_client.post(delete)
    assert ImportRun.objects.filter(pk=run.pk).exists()


@pytest.mark.django_db
def test_the_runs_list_tells_dry_runs_apart(admin_client):
    ImportRun.objects.create(file_name="probe.csv", format="entitlements", dry_run=True)
    ImportRun.objects.create(file_name="real.csv", format="entitlements")
    index = reverse("wagtailsnippets_figures_importrun:list")
    page = admin_client.get(index).text
    only_dry = admin_client.get(index, {"dry_run": "true"}).text
    assert "Probelauf" in page  # the admin speaks German by default
    assert "probe.csv" in only_dry and "real.csv" not in only_dry
