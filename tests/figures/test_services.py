"""The import service end to end: figures written, refusals, undo, replacement, privacy."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from vitrine.figures.models import FigureSeries, ImportRun, Snapshot
from vitrine.figures.services import UndoError, figures_import, import_run_undo

pytestmark = pytest.mark.django_db

ENTITLEMENTS = (
    "Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende\n"
    "Visio Plan 2;Microsoft;Abonnement;10;120,00;EUR;01.01.2026;31.12.2026\n"
    "Acrobat Pro;Adobe;Benutzer;5;200,00;EUR;01.01.2026;30.06.2027\n"
    "Microsoft 365 E3;Microsoft;Benutzer;6;431,00;EUR;01.01.2026;31.03.2027\n"
)
CONSUMPTION = (
    "product,device_or_user,last_used\n"
    + "".join(f"Visio Plan 2,PC-{n:03d},2026-11-01\n" for n in range(8))
    + "Visio Plan 2,PC-100,2026-01-01\n"
    + "".join(f"Acrobat Pro,user{n}@example.de,2026-10-15\n" for n in range(7))
)
M365 = (
    "Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,"
    "Exchange Last Activity Date,Assigned Products\n"
    "2026-11-20,anna.berger@example.de,Anna Berger,False,,2026-11-10,MICROSOFT 365 E3\n"
    "2026-11-20,bernd.krause@example.de,Bernd Krause,False,,2026-07-01,MICROSOFT 365 E3\n"
    "2026-11-20,carla.roth@example.de,Carla Roth,False,,,MICROSOFT 365 E3+MICROSOFT TEAMS\n"
    '2026-11-20,frank.otto@example.de,"Otto, Frank",False,,2026-11-19,MICROSOFT TEAMS\n'
)
PERSONAL = [
    "anna.berger",
    "bernd.krause",
    "carla.roth",
    "frank.otto",
    "Anna Berger",
    "Bernd Krause",
    "Carla Roth",
    "Otto, Frank",
    "Berger",
    "Krause",
    "example.de",
    "PC-001",
    "user1@",
]
REQUESTS = (
    "Anfrage-ID;Produkt;Angefragt;Genehmigt;Bestellt;Bereitgestellt;Status\n"
    "REQ1;Visio;02.03.2026 09:00;03.03.2026 09:00;04.03.2026 09:00;06.03.2026 09:00;Erledigt\n"
    "REQ2;Visio;10.03.2026 09:00;14.03.2026 09:00;15.03.2026 09:00;20.03.2026 09:00;Erledigt\n"
    "REQ3;Acrobat;20.03.2026 09:00;21.03.2026 09:00;;;Offen\n"
)


def run_import(text: str, name: str = "import.csv", **kwargs) -> ImportRun:
    return figures_import(source=text.encode(), filename=name, **kwargs)


def value(key: str, day: date) -> Decimal:
    return Snapshot.objects.get(series__key=key, date=day).value


def test_entitlements_then_consumption_give_license_position(django_user_model):
    user = django_user_model.objects.create_user("lizenzteam")
    first = run_import(ENTITLEMENTS, "lizenzen.csv", date=date(2026, 11, 1), user=user)
    assert first.status == ImportRun.Status.SUCCEEDED and first.format == "entitlements"
    assert (first.row_count, first.imported_by, first.figure_date) == (3, user, date(2026, 11, 1))
    assert first.duration is not None
    assert value("entitled.visio-plan-2", date(2026, 11, 1)) == 10
    # Without consumption there is no license position yet.
    assert not FigureSeries.objects.filter(key__startswith="license_position.").exists()
    renewals = Snapshot.objects.get(series__key="renewals.next_four_quarters")
    # Visio in Q4 2026, E3 in Q1 2027, Acrobat in Q2 2027
    assert renewals.value == 10 * 120 + 6 * 431 + 5 * 200
    assert renewals.series.unit == "EUR"

    day = date(2026, 11, 20)
    second = run_import(CONSUMPTION, "verbrauch.csv", date=day)
    assert second.format == "consumption" and second.row_count == 16
    visio = Snapshot.objects.get(series__key="license_position.visio-plan-2", date=day)
    assert visio.value == 1 and visio.import_run == second
    assert visio.extra["status"] == "over_licensed" and visio.extra["unused_cost"] == 120.0
    acrobat = Snapshot.objects.get(series__key="license_position.acrobat-pro", date=day)
    assert acrobat.value == -2 and acrobat.extra["true_up_cost"] == 400.0
    assert value("license_position.true_up_cost", day) == 400
    assert value("license_position.unused_cost", day) == 120 + 6 * 431  # E3 unused here
    assert value("utilisation.visio-plan-2", day) == Decimal("80")  # 8 of 10 within 90 days
    assert value("shelfware.visio-plan-2", day) == 2
    series = FigureSeries.objects.get(key="license_position.acrobat-pro")
    assert (series.topic, series.product, series.unit) == (
        "license_position",
        "Acrobat Pro",
        "seats",
    )


def test_savings_between_consecutive_positions():
    run_import(ENTITLEMENTS, "lizenzen.csv", date=date(2026, 10, 1))
    run_import(CONSUMPTION, "verbrauch.csv", date=date(2026, 10, 1))
    fewer = CONSUMPTION.replace("Visio Plan 2,PC-000,2026-11-01\n", "").replace(
        "Visio Plan 2,PC-001,2026-11-01\n", ""
    )
    run_import(fewer, "verbrauch.csv", date=date(2026, 11, 1))
    assert value("savings.visio-plan-2", date(2026, 11, 1)) == 240  # 2 seats × 120
    assert value("savings.total", date(2026, 11, 1)) == 240


def test_m365_inactivity_uses_the_report_date_and_known_prices():
    run_import(ENTITLEMENTS, "lizenzen.csv", date=date(2026, 11, 1))
    run = run_import(M365, "m365.csv")
    day = date(2026, 11, 20)
    assert run.figure_date == day
    e3 = Snapshot.objects.get(series__key="cloud_inactivity.microsoft-365-e3", date=day)
    assert e3.value == 2  # Bernd over 90 days, Carla never
    assert (e3.extra["accounts"], e3.extra["never_active"], e3.extra["within_first"]) == (3, 1, 1)
    assert e3.extra["yearly_cost"] == 862.0
    assert value("cloud_inactivity.total", day) == 3  # Carla counts for Teams too
    assert value("cloud_inactivity.yearly_cost", day) == 862


def test_requests_log_gives_monthly_lead_times():
    run_import(REQUESTS, "anfragen.csv")
    march = date(2026, 3, 1)
    assert value("lead_time.end_to_end", march) == Decimal("7")  # 4 and 10 days
    approval = Snapshot.objects.get(series__key="lead_time.request_to_approval", date=march)
    assert approval.value == Decimal("1") and approval.extra == {"p90_days": 3.4, "requests": 3}


def test_refused_file_records_the_run_and_changes_nothing():
    run_import(ENTITLEMENTS, "lizenzen.csv", date=date(2026, 11, 1))
    before = list(Snapshot.objects.values_list("pk", "value"))
    bad = ENTITLEMENTS.replace(";10;", ";zehn;").replace("31.03.2027", "31.02.2027")
    run = run_import(bad, "kaputt.csv", date=date(2026, 11, 2))
    assert run.status == ImportRun.Status.REFUSED and run.pk is not None
    assert run.problem_count == 2
    rows = {(p["row"], p["column"]) for p in run.problems}
    assert rows == {(2, "Menge"), (4, "Ende")}
    assert all("value" not in p for p in run.problems)  # values are shown, never stored
    assert [p.value for p in run.outcome.problems] == ["zehn", "31.02.2027"]
    assert list(Snapshot.objects.values_list("pk", "value")) == before


def test_undo_deletes_the_runs_snapshots():
    run = run_import(ENTITLEMENTS, "lizenzen.csv", date=date(2026, 11, 1))
    other = run_import(M365, "m365.csv")
    assert run.snapshots.count() == 4
    import_run_undo(run=run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UNDONE and run.undone_at is not None
    assert not Snapshot.objects.filter(import_run=run).exists()
    assert other.snapshots.count() > 0
    with pytest.raises(UndoError):
        import_run_undo(run=run)


def test_reimport_of_the_same_date_replaces_older_snapshots():
    day = date(2026, 11, 1)
    first = run_import(ENTITLEMENTS, "lizenzen.csv", date=day)
    second = run_import(ENTITLEMENTS.replace(";10;", ";12;"), "lizenzen.csv", date=day)
    snapshot = Snapshot.objects.get(series__key="entitled.visio-plan-2")
    assert (snapshot.value, snapshot.import_run) == (12, second)
    assert not first.snapshots.exists()
    run_import(ENTITLEMENTS, "lizenzen.csv", date=date(2026, 11, 2))
    assert Snapshot.objects.filter(series__key="entitled.visio-plan-2").count() == 2


def test_dry_run_computes_but_stores_nothing():
    run = run_import(ENTITLEMENTS, "lizenzen.csv", dry_run=True)
    assert run.pk is None and run.outcome.dry_run
    assert {v.key for v in run.outcome.written} >= {"entitled.visio-plan-2"}
    assert not ImportRun.objects.exists() and not Snapshot.objects.exists()
    assert not FigureSeries.objects.exists()


def test_privacy_no_name_or_address_in_the_database():
    run_import(ENTITLEMENTS, "lizenzen.csv", date=date(2026, 11, 1))
    run_import(CONSUMPTION, "verbrauch.csv", date=date(2026, 11, 20))
    run_import(M365, "m365.csv")
    # A refused M365 file is recorded too: its problems must not carry the names either.
    run_import(M365.replace("2026-07-01", "2026-13-01"), "m365.csv")
    assert ImportRun.objects.filter(status=ImportRun.Status.REFUSED).count() == 1
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    dump = out.getvalue()
    assert '"figures.snapshot"' in dump  # the dump does contain the figures
    for text in PERSONAL:
        assert text not in dump, text


def test_product_spellings_are_merged_and_similar_names_kept_apart():
    data = (
        "product,device_or_user,last_used\n"
        "Visio,PC-1,2026-11-01\nvisio,PC-2,2026-01-01\n"
        "Foo-Bar,PC-3,2026-11-01\nFoo Bar,PC-4,2026-11-01\nFoo Bar,PC-5,2026-11-01\n"
    )
    run = run_import(data, "verbrauch.csv", date=date(2026, 11, 20))
    assert run.status == ImportRun.Status.SUCCEEDED
    visio = Snapshot.objects.get(series__key="consumed.visio")
    assert (visio.value, visio.extra["used_90_days"]) == (2, 1)
    foo = Snapshot.objects.filter(series__key__startswith="consumed.foo-bar")
    assert sorted(s.value for s in foo) == [1, 2]
    assert {s.series.key for s in foo} == {"consumed.foo-bar", "consumed.foo-bar-2"}


def test_figures_too_large_to_store_refuse_the_file():
    huge = ENTITLEMENTS.replace(";10;", ";100000000000000;")
    run = run_import(huge, "lizenzen.csv", date=date(2026, 11, 1))
    assert run.status == ImportRun.Status.REFUSED
    assert "too large" in run.problems[0]["reason"]
    assert not Snapshot.objects.exists()


def test_a_dry_run_cannot_be_undone():
    """A dry run queued by the API is kept as a succeeded run; undoing it would only pretend."""
    run = ImportRun.objects.create(
        file_name="probe.csv",
        format="entitlements",
        status=ImportRun.Status.SUCCEEDED,
        dry_run=True,
    )
    with pytest.raises(UndoError, match="dry run"):
        import_run_undo(run=run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED and run.undone_at is None
