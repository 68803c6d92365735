"""Cloud inactivity through the import service: thresholds per product, snapshot contents."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vitrine.figures.models import FigureSeries, InactivityThreshold, Snapshot
from vitrine.figures.services import figures_import

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 20)
ENTITLEMENTS = (
    "Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende\n"
    "Microsoft 365 E3;Microsoft;Benutzer;6;431,00;EUR;01.01.2026;31.03.2027\n"
)
M365 = (
    "Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,"
    "Exchange Last Activity Date,Assigned Products\n"
    "2026-11-20,anna.berger@example.de,Anna Berger,False,,2026-11-10,MICROSOFT 365 E3\n"
    "2026-11-20,bernd.krause@example.de,Bernd Krause,False,,2026-09-01,MICROSOFT 365 E3\n"
    "2026-11-20,carla.roth@example.de,Carla Roth,False,,2026-07-01,MICROSOFT 365 E3\n"
    "2026-11-20,dieter.lang@example.de,Dieter Lang,False,,,MICROSOFT 365 E3+MICROSOFT TEAMS\n"
    "2026-11-20,eva.jung@example.de,Eva Jung,True,2026-11-01,2026-01-01,MICROSOFT 365 E3\n"
    '2026-11-20,frank.otto@example.de,"Otto, Frank",False,,2026-07-01,MICROSOFT TEAMS\n'
)
KEYS = {
    "accounts",
    "within_first",
    "within_second",
    "within_third",
    "over_third",
    "never_active",
    "inactive",
    "thresholds",
    "unit_price",
    "currency",
    "yearly_cost",
}


def import_m365():
    figures_import(source=ENTITLEMENTS.encode(), filename="lizenzen.csv", date=date(2026, 11, 1))
    return figures_import(source=M365.encode(), filename="m365.csv")


def snapshot(key: str) -> Snapshot:
    return Snapshot.objects.select_related("series").get(series__key=key, date=DAY)


def test_default_thresholds_and_what_a_stacked_bar_needs():
    import_m365()
    e3 = snapshot("cloud_inactivity.microsoft-365-e3")
    # Anna 10 days, Bernd 80, Carla 142, Dieter never; Eva is deleted.
    assert set(e3.extra) == KEYS
    assert e3.extra["thresholds"] == [30, 60, 90]
    buckets = [e3.extra[k] for k in ("within_first", "within_second", "within_third")]
    assert buckets == [1, 0, 1]
    assert (e3.extra["over_third"], e3.extra["never_active"], e3.extra["accounts"]) == (1, 1, 4)
    assert e3.value == e3.extra["inactive"] == 2
    assert (e3.extra["unit_price"], e3.extra["currency"], e3.extra["yearly_cost"]) == (
        431.0,
        "EUR",
        862.0,
    )
    assert e3.series.title == "Cloud accounts without activity for over 90 days: MICROSOFT 365 E3"
    total = snapshot("cloud_inactivity.total")
    assert total.series.title == "Cloud accounts without activity for over 90 days"
    assert total.value == 4  # Dieter counts for Teams too, Frank is over 90 days


def test_thresholds_of_a_product_in_any_case_replace_the_defaults():
    InactivityThreshold.objects.create(
        product="Microsoft 365 e3", first_days=7, second_days=30, third_days=120
    )
    with CaptureQueriesContext(connection) as queries:
        import_m365()
    reads = [
        q["sql"] for q in queries.captured_queries if "figures_inactivitythreshold" in q["sql"]
    ]
    assert len(reads) == 1
    e3 = snapshot("cloud_inactivity.microsoft-365-e3")
    assert e3.extra["thresholds"] == [7, 30, 120]
    buckets = [e3.extra[k] for k in ("within_first", "within_second", "within_third")]
    assert buckets == [0, 1, 1]  # Anna 10 days, Bernd 80 days
    assert (e3.extra["over_third"], e3.extra["never_active"]) == (1, 1)  # Carla 142, Dieter
    assert e3.value == 2
    assert e3.series.title == "Cloud accounts without activity for over 120 days: MICROSOFT 365 E3"
    teams = snapshot("cloud_inactivity.microsoft-teams")
    assert teams.extra["thresholds"] == [30, 60, 90]
    assert teams.series.title.endswith("for over 90 days: MICROSOFT TEAMS")
    # Products with different thresholds: the total says so instead of naming one.
    total = snapshot("cloud_inactivity.total")
    assert total.series.title == (
        "Cloud accounts without activity for longer than their product's threshold"
    )
    assert total.value == 4
    assert FigureSeries.objects.filter(key__startswith="cloud_inactivity.").count() == 4
