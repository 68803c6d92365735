"""Undo brings replaced figures back; requests are measured against the catalog's promise."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from vitrine.catalog.models import CatalogCategory, CatalogEntry
from vitrine.figures import calculations
from vitrine.figures.models import ImportRun, Snapshot, SupersededSnapshot
from vitrine.figures.services import import_run_undo

from .test_services import ENTITLEMENTS, REQUESTS, run_import

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 1)
VISIO = "entitled.visio-plan-2"


def visio() -> tuple[Decimal, ImportRun | None]:
    snapshot = Snapshot.objects.get(series__key=VISIO, date=DAY)
    return snapshot.value, snapshot.import_run


def test_undoing_a_replacing_import_brings_the_older_figures_back():
    first = run_import(ENTITLEMENTS, "lizenzen.csv", date=DAY)
    second = run_import(ENTITLEMENTS.replace(";10;", ";12;"), "lizenzen-neu.csv", date=DAY)
    assert visio() == (12, second)
    import_run_undo(run=second)
    assert visio() == (10, first)
    assert first.snapshots.count() == 4
    assert not SupersededSnapshot.objects.exists()


def test_undoing_the_middle_of_three_imports_keeps_the_newest_and_hands_on_the_oldest():
    first = run_import(ENTITLEMENTS, "a.csv", date=DAY)
    second = run_import(ENTITLEMENTS.replace(";10;", ";12;"), "b.csv", date=DAY)
    third = run_import(ENTITLEMENTS.replace(";10;", ";14;"), "c.csv", date=DAY)
    import_run_undo(run=second)
    assert visio() == (14, third)  # the newest stays what readers see
    import_run_undo(run=third)
    assert visio() == (10, first)  # and undoing it brings back the oldest, not the undone
    import_run_undo(run=first)
    assert not Snapshot.objects.exists() and not SupersededSnapshot.objects.exists()


def test_undo_of_an_import_on_a_new_date_restores_nothing_else():
    run_import(ENTITLEMENTS, "a.csv", date=DAY)
    later = run_import(ENTITLEMENTS.replace(";10;", ";12;"), "b.csv", date=date(2026, 12, 1))
    import_run_undo(run=later)
    assert visio()[0] == 10
    assert Snapshot.objects.filter(series__key=VISIO).count() == 1


def catalog_entry(product: str, days: int | None) -> CatalogEntry:
    category, _ = CatalogCategory.objects.get_or_create(name="Büro", defaults={"order": 1})
    entry = CatalogEntry(
        product=product, vendor="Microsoft", category=category, description="Zeichnen."
    )
    entry.lead_time_days = days
    entry.save()
    return entry


def test_share_of_requests_within_the_catalogs_lead_time():
    # REQ1 took 4 working days, REQ2 8 (a weekend in between); REQ3 is not provisioned yet.
    catalog_entry("visio", 5)
    catalog_entry("Acrobat", None)
    run_import(REQUESTS, "anfragen.csv")
    snapshot = Snapshot.objects.get(series__key="lead_time.within_catalog")
    assert snapshot.date == date(2026, 3, 1)
    assert snapshot.value == 50
    assert snapshot.extra == {"requests": 2, "within": 1}
    assert snapshot.series.unit == "%"


def test_without_promised_lead_times_no_share_is_written():
    catalog_entry("Visio", None)
    run_import(REQUESTS, "anfragen.csv")
    assert not Snapshot.objects.filter(series__key="lead_time.within_catalog").exists()
    assert Snapshot.objects.filter(series__key="lead_time.end_to_end").exists()


def test_within_lead_time_counts_working_days_and_the_longer_promise():
    requests = pl.DataFrame(
        {
            "product": ["Visio", "Visio", "Zoom"],
            # Friday to Monday is one working day; Monday to next Monday five.
            "requested_at": ["2026-11-06 10:00", "2026-11-09 10:00", "2026-11-09 10:00"],
            "provisioned_at": ["2026-11-09 09:00", "2026-11-16 09:00", "2026-11-10 09:00"],
        }
    ).with_columns(pl.col("requested_at", "provisioned_at").str.to_datetime())
    promised = pl.DataFrame({"product": ["VISIO", "visio"], "lead_time_days": [1, 3]})
    table = calculations.within_lead_time(requests, promised)
    assert table.to_dicts() == [
        {"month": date(2026, 11, 1), "requests": 2, "within": 1, "share": 50.0}
    ]
