"""A second import of a format and date replaces that date's figures of the format as a whole
(and undo brings them back); money is exact decimals from the file to the printed figure."""

import io
from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from django.core.management import call_command
from django.utils import translation

from vitrine.figures import calculations
from vitrine.figures.charts import format_value
from vitrine.figures.importers import read_import
from vitrine.figures.models import ImportRun, Snapshot, SupersededSnapshot
from vitrine.figures.services import figures_import, import_run_undo

from .test_layouts_m365 import ACCOUNTS, TEAMS, report

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 1)
HEADER = "product,vendor,metric,quantity,unit_price,currency,start_date,end_date\n"
VISIO = "Visio Plan 2,Microsoft,subscription,10,120.00,EUR,2026-01-01,2027-12-31\n"
PROJECT = "Project Plan 3,Microsoft,subscription,5,300.00,EUR,2026-01-01,2027-12-31\n"
ACROBAT = "Acrobat Pro,Adobe,named user,3,239.88,EUR,2026-01-01,2027-12-31\n"


def entitlements(*rows: str, day: date = DAY, name: str = "lizenzen.csv") -> ImportRun:
    run = figures_import(source=(HEADER + "".join(rows)).encode(), filename=name, date=day)
    assert run.status == ImportRun.Status.SUCCEEDED, run.summary
    return run


def entitled(day: date = DAY) -> dict[str, tuple[Decimal, int | None]]:
    return {
        s.series.key: (s.value, s.import_run_id)
        for s in Snapshot.objects.filter(series__key__startswith="entitled.", date=day)
        .select_related("series")
        .order_by("series__key")
    }


def test_a_second_import_of_the_format_and_date_replaces_its_figures_as_a_whole():
    first = entitlements(VISIO, PROJECT, ACROBAT)
    assert set(entitled()) == {
        "entitled.visio-plan-2",
        "entitled.project-plan-3",
        "entitled.acrobat-pro",
    }
    second = entitlements(VISIO.replace(",10,", ",12,"))
    # Products only the first file had do not stay beside the second file's.
    assert entitled() == {"entitled.visio-plan-2": (12, second.pk)}
    assert not Snapshot.objects.filter(import_run=first).exists()
    # Undo brings the first import's figures back, all of them.
    import_run_undo(run=second)
    assert entitled() == {
        "entitled.acrobat-pro": (3, first.pk),
        "entitled.project-plan-3": (5, first.pk),
        "entitled.visio-plan-2": (10, first.pk),
    }
    assert Snapshot.objects.filter(import_run=first).count() == first.snapshots.count() > 3
    assert not SupersededSnapshot.objects.exists()


def test_another_date_and_a_dry_run_replace_nothing():
    first = entitlements(VISIO, PROJECT)
    entitlements(VISIO, day=date(2026, 12, 1))
    assert set(entitled()) == {"entitled.visio-plan-2", "entitled.project-plan-3"}
    dry = figures_import(
        source=(HEADER + VISIO).encode(), filename="neu.csv", date=DAY, dry_run=True
    )
    assert dry.pk is None and dry.outcome.dry_run
    assert {run for _value, run in entitled().values()} == {first.pk}
    assert not SupersededSnapshot.objects.exists()


def test_undoing_the_middle_of_three_hands_removed_figures_to_the_newest():
    first = entitlements(VISIO, PROJECT)
    second = entitlements(VISIO.replace(",10,", ",12,"))  # removes Project
    third = entitlements(VISIO.replace(",10,", ",14,"), PROJECT.replace(",5,", ",6,"))
    import_run_undo(run=second)
    # The newest stays what readers see.
    assert entitled() == {
        "entitled.project-plan-3": (6, third.pk),
        "entitled.visio-plan-2": (14, third.pk),
    }
    # Undoing it brings back the oldest, also where the middle one had removed a product.
    import_run_undo(run=third)
    assert entitled() == {
        "entitled.project-plan-3": (5, first.pk),
        "entitled.visio-plan-2": (10, first.pk),
    }
    assert not SupersededSnapshot.objects.exists()


def test_a_removed_product_written_again_by_another_run_is_handed_to_that_run():
    first = entitlements(VISIO, PROJECT)
    second = entitlements(VISIO)  # removes Project
    later = entitlements(PROJECT.replace(",5,", ",7,"), name="project.csv")  # writes it again
    # `later` replaced all of `second`'s figures of the date, Visio too.
    assert entitled() == {"entitled.project-plan-3": (7, later.pk)}
    import_run_undo(run=later)
    assert entitled() == {"entitled.visio-plan-2": (10, second.pk)}
    import_run_undo(run=second)
    assert entitled() == {
        "entitled.project-plan-3": (5, first.pk),
        "entitled.visio-plan-2": (10, first.pk),
    }


def test_a_workload_report_replaces_its_own_figures_only():
    teams = figures_import(source=report("m365_teams"), filename="teams.csv")
    email = figures_import(source=report("m365_email"), filename="email.csv")
    without_teams = [a for a in ACCOUNTS if TEAMS not in a[4]]
    again = figures_import(source=report("m365_email", without_teams), filename="email2.csv")
    assert again.status == ImportRun.Status.SUCCEEDED
    keys = set(
        Snapshot.objects.filter(date=date(2026, 11, 20)).values_list("series__key", flat=True)
    )
    assert "cloud_inactivity.email.microsoft-teams-exploratory" not in keys
    assert "cloud_inactivity.email.microsoft-365-e3" in keys
    # The Teams report of the same date is another format: untouched.
    assert teams.snapshots.count() == 3
    assert "cloud_inactivity.teams.microsoft-teams-exploratory" in keys
    import_run_undo(run=again)
    assert email.snapshots.count() == 3


# Shortfalls and contracts whose float sum is 37962551.519999996, not 37962551.52.
MONEY_ROWS = [
    ("Alpha", 1950, "5337.84", "2026-12-31"),
    ("Beta", 1069, "3335.90", "2027-03-31"),
    ("Gamma", 4948, "4271.74", "2027-06-30"),
    ("Delta", 4759, "599.10", "2027-09-30"),
]
EXACT = Decimal("37962551.52")


def money_file() -> str:
    return HEADER + "".join(
        f"{product},Vendor,subscription,{quantity},{price},EUR,2026-01-01,{end}\n"
        for product, quantity, price, end in MONEY_ROWS
    )


def test_the_float_sum_of_these_amounts_is_wrong():
    # The premise of the tests below: with binary floats this file's sum shows the error.
    floats = 0.0
    for _product, quantity, price, _end in MONEY_ROWS:
        floats += round(quantity * float(price), 2)
    assert repr(floats) != "37962551.52"


def test_renewals_and_true_up_cost_are_exact_decimals():
    entitlements_run = figures_import(
        source=money_file().encode(), filename="lizenzen.csv", date=DAY
    )
    renewals = next(
        v for v in entitlements_run.outcome.written if v.key == "renewals.next_four_quarters"
    )
    assert renewals.value == EXACT and f"{renewals.value.normalize():f}" == "37962551.52"
    assert [q["cost"] for q in renewals.extra["quarters"]] == [
        10408788.0,
        3566077.1,
        21136569.52,
        2851116.9,
    ]
    # Every product short by its whole entitlement: the true-up cost is the same sum.
    consumption = "product,device_or_user,last_used\n" + "".join(
        f"{product},user{n}@example.de,2026-10-01\n"
        for product, quantity, _price, _end in MONEY_ROWS
        for n in range(2 * quantity)
    )
    run = figures_import(source=consumption.encode(), filename="nutzung.csv", date=DAY)
    assert run.status == ImportRun.Status.SUCCEEDED, run.summary
    true_up = Snapshot.objects.get(series__key="license_position.true_up_cost", date=DAY)
    assert true_up.value == EXACT
    written = next(v for v in run.outcome.written if v.key == "license_position.true_up_cost")
    assert str(written.value.normalize()) == "37962551.52"
    assert format_value(float(true_up.value), "EUR", language="de", decimals=2) == (
        "37.962.551,52\u00a0EUR"
    )


def test_the_command_prints_the_exact_amount(tmp_path):
    path = tmp_path / "lizenzen.csv"
    path.write_text(money_file())
    out = io.StringIO()
    call_command("import_figures", str(path), "--date", "2026-11-01", stdout=out)
    line = next(row for row in out.getvalue().splitlines() if "renewals.next_four" in row)
    assert line.split()[3] == "37962551.52"  # series, date, previous, value
    assert "37962551.519" not in out.getvalue()


def test_prices_are_weighted_and_rounded_to_cents_half_away_from_zero():
    frame = pl.DataFrame(
        {
            "product": ["A", "A", "B", "C"],
            "quantity": [1, 1, 2, 1],
            "unit_price": [Decimal("0.125"), Decimal("0.125"), Decimal("2.675"), None],
            "currency": ["EUR"] * 4,
        },
        schema_overrides={"unit_price": pl.Decimal(18, 4)},
    )
    rows = {
        r["product"]: r["unit_price"]
        for r in calculations.entitlements_per_product(frame).iter_rows(named=True)
    }
    assert rows == {"A": Decimal("0.13"), "B": Decimal("2.68"), "C": None}
    amounts = pl.DataFrame(
        {"x": [Decimal("-0.125"), Decimal("0.1249"), Decimal("-0.1351"), Decimal("1.005")]},
        schema={"x": pl.Decimal(38, 4)},
    )
    assert amounts.select(calculations.cents(pl.col("x")))["x"].to_list() == [
        Decimal("-0.13"),
        Decimal("0.12"),
        Decimal("-0.14"),
        Decimal("1.01"),
    ]


def test_a_price_of_seventeen_digits_is_read_exactly():
    price = "1234567890123.4567"  # a binary float reads 1234567890123.4568
    text = HEADER + f"Mainframe,IBM,device,1,{price},EUR,2026-01-01,2026-12-31\n"
    imported = read_import(text.encode(), filename="lizenzen.csv")
    assert imported.frame["unit_price"].to_list() == [Decimal(price)]
    run = figures_import(source=text.encode(), filename="lizenzen.csv", date=DAY)
    renewals = next(v for v in run.outcome.written if v.key == "renewals.next_four_quarters")
    assert renewals.value == Decimal("1234567890123.46")
    # The price per seat is rounded to cents once; the breakdown keeps it, and the next
    # import reads it back exactly.
    entitled = Snapshot.objects.get(series__key="entitled.mainframe", date=DAY)
    assert entitled.extra["unit_price"] == 1234567890123.46
    consumption = "product,device_or_user,last_used\nMainframe,host1,2026-10-01\n"
    consumption += "Mainframe,host2,2026-10-01\n"
    run = figures_import(source=consumption.encode(), filename="nutzung.csv", date=DAY)
    true_up = Snapshot.objects.get(series__key="license_position.true_up_cost", date=DAY)
    assert true_up.value == Decimal("1234567890123.46")
    small = Snapshot.objects.get(series__key="license_position.mainframe", date=DAY)
    assert small.extra["true_up_cost"] == 1234567890123.46
    assert run.outcome.written and Decimal(repr(small.extra["unit_price"])) == renewals.value


def test_a_breakdown_keeps_amounts_as_json_numbers_and_long_decimals_as_text():
    from vitrine.figures.services import _json

    row = {
        "cost": Decimal("52730996.3100"),
        "price": Decimal("1234567890123.4567"),
        "day": DAY,
        "seats": 3,
    }
    assert _json(row) == {
        "cost": 52730996.31,
        "price": "1234567890123.4567",
        "day": "2026-11-01",
        "seats": 3,
    }


def test_a_stored_figure_prints_exactly_in_the_excerpt():
    from vitrine.excerpts.selectors import figure_view
    from vitrine.figures.models import FigureSeries

    series = FigureSeries.objects.create(
        key="license_position.true_up_cost", title="True-up", unit="EUR", topic="license_position"
    )
    Snapshot.objects.create(series=series, date=date(2026, 10, 1), value=Decimal("0.1"))
    # 15 digits: SQLite keeps no more (PostgreSQL keeps all 18).
    Snapshot.objects.create(series=series, date=DAY, value=Decimal("1234567890123.57"))
    with translation.override("de"):
        view = figure_view(series)
    assert view.value == "1.234.567.890.123,57\u00a0EUR"
    assert view.change.startswith("+1.234.567.890.123,47\u00a0EUR")
    assert format_value(Decimal("2.675"), "EUR", language="en", decimals=2) == "EUR2.68"
    assert format_value(Decimal("-0.004"), "", language="de", decimals=2) == "0,00"
