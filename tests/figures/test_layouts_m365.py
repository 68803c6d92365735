"""Microsoft 365 activity reports of one workload (email, Teams, OneDrive) with Graph's headers.

Each has a single "Last Activity Date"; read as the active user report, every account counted
as never active. They are formats of their own now, and the active user report without a
workload's last activity is refused, naming the columns it needs.
"""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command

from vitrine.figures.importers import ImportRefused, detect_format, m365_inactivity, read_import
from vitrine.figures.models import FigureSeries, ImportRun, Snapshot
from vitrine.figures.services import figures_import

REFRESH = "2026-11-20"
DAY = date(2026, 11, 20)
E3 = "Microsoft 365 E3"
TEAMS = "Microsoft Teams Exploratory"

# Graph's column order for each report (getEmailActivityUserDetail, getTeamsUserActivity-
# UserDetail, getOneDriveActivityUserDetail).
EMAIL_HEADER = [
    "Report Refresh Date",
    "User Principal Name",
    "Display Name",
    "Is Deleted",
    "Deleted Date",
    "Last Activity Date",
    "Send Count",
    "Receive Count",
    "Read Count",
    "Meeting Created Count",
    "Meeting Interacted Count",
    "Assigned Products",
    "Report Period",
]
TEAMS_HEADER = [
    "Report Refresh Date",
    "Tenant Display Name",
    "Shared Channel Tenant Display Names",
    "User Id",
    "User Principal Name",
    "Last Activity Date",
    "Is Deleted",
    "Deleted Date",
    "Assigned Products",
    "Team Chat Message Count",
    "Private Chat Message Count",
    "Call Count",
    "Meeting Count",
    "Post Messages",
    "Reply Messages",
    "Urgent Messages",
    "Meetings Organized Count",
    "Meetings Attended Count",
    "Ad Hoc Meetings Organized Count",
    "Ad Hoc Meetings Attended Count",
    "Scheduled One-time Meetings Organized Count",
    "Scheduled One-time Meetings Attended Count",
    "Scheduled Recurring Meetings Organized Count",
    "Scheduled Recurring Meetings Attended Count",
    "Audio Duration",
    "Video Duration",
    "Screen Share Duration",
    "Audio Duration In Seconds",
    "Video Duration In Seconds",
    "Screen Share Duration In Seconds",
    "Has Other Action",
    "Is Licensed",
    "Report Period",
]
ONEDRIVE_HEADER = [
    "Report Refresh Date",
    "User Principal Name",
    "Is Deleted",
    "Deleted Date",
    "Last Activity Date",
    "Viewed Or Edited File Count",
    "Synced File Count",
    "Shared Internally File Count",
    "Shared Externally File Count",
    "Assigned Products",
    "Report Period",
]
HEADERS = {"m365_email": EMAIL_HEADER, "m365_teams": TEAMS_HEADER, "m365_onedrive": ONEDRIVE_HEADER}

# (user principal name, display name, is deleted, last activity, assigned products)
ACCOUNTS = [
    ("anna.berger@example.de", "Anna Berger", "False", "2026-11-18", E3),  # 2 days
    ("bernd.krause@example.de", "Bernd Krause", "False", "2026-09-30", E3),  # 51 days
    ("carla.roth@example.de", "Carla Roth", "False", "2026-07-01", f"{E3}+{TEAMS}"),  # 142
    ("dieter.lang@example.de", "Dieter Lang", "False", "", E3),  # never
    ("eva.jung@example.de", "Eva Jung", "True", "2026-01-01", E3),  # deleted: left out
    ("frank.otto@example.de", "Otto, Frank", "False", "2026-11-01", TEAMS),  # 19 days
    ("gast@example.de", "Gast", "False", "2026-11-19", ""),  # no licence: no product
]


def report(fmt: str, accounts=ACCOUNTS) -> bytes:
    """A report as the admin center exports it: UTF-8 with BOM, every other cell filled."""
    header = HEADERS[fmt]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for index, (upn, name, deleted, last, products) in enumerate(accounts):
        values = {
            "Report Refresh Date": REFRESH,
            "User Principal Name": upn,
            "Display Name": name,
            "Is Deleted": deleted,
            "Deleted Date": "2026-11-02" if deleted == "True" else "",
            "Last Activity Date": last,
            "Assigned Products": products,
            "Report Period": "180",
            "Tenant Display Name": "Beispiel GmbH",
            "User Id": f"6f1c2b9e-0d4a-4c1e-9a7b-{index:012d}",
            "Is Licensed": "Yes",
            "Has Other Action": "No",
        }
        row = []
        for column in header:
            if column in values:
                row.append(values[column])
            elif "Duration In Seconds" in column:
                row.append("0")
            elif "Duration" in column:
                row.append("PT0S")
            elif column == "Shared Channel Tenant Display Names":
                row.append("")
            else:
                row.append(str(index * 3))
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode()


@pytest.mark.parametrize("fmt", list(HEADERS))
def test_each_report_is_a_format_of_its_own(fmt):
    assert detect_format(HEADERS[fmt]).format == fmt
    imported = read_import(report(fmt), filename=f"{fmt}.csv")
    assert imported.format == fmt
    assert imported.figure_date == DAY
    assert imported.row_count == len(ACCOUNTS)


@pytest.mark.parametrize("fmt", list(HEADERS))
def test_inactivity_from_the_single_last_activity_date(fmt):
    imported = read_import(report(fmt), filename=f"{fmt}.csv")
    table = {row["product"]: row for row in m365_inactivity(imported).iter_rows(named=True)}
    assert set(table) == {E3, TEAMS}
    e3 = table[E3]
    # Anna (2 days), Bernd (51), Carla (142), Dieter (never); Eva is deleted.
    assert (e3["accounts"], e3["within_first"], e3["within_second"]) == (4, 1, 1)
    assert (e3["within_third"], e3["over_third"], e3["never_active"]) == (0, 1, 1)
    teams = table[TEAMS]
    assert (teams["accounts"], teams["within_first"], teams["over_third"]) == (2, 1, 1)
    assert teams["never_active"] == 0
    # The same counts from the frame: the digest is no shortcut.
    assert m365_inactivity(imported).equals(m365_inactivity(imported.frame))


@pytest.mark.parametrize("fmt", list(HEADERS))
def test_nothing_naming_a_person_leaves_the_importer(fmt):
    imported = read_import(report(fmt), filename=f"{fmt}.csv")
    frame = imported.frame
    assert set(frame.columns) == {
        "account",
        "is_deleted",
        "deleted_date",
        "last_activity",
        "products",
        "report_refresh_date",
    }
    text = str(frame.to_dicts())
    for upn, name, *_rest in ACCOUNTS:
        assert upn not in text
        assert name.split(",")[0] not in text
    assert "6f1c2b9e" not in text and "Beispiel GmbH" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(("fmt", "workload"), [("m365_email", "email"), ("m365_teams", "teams")])
def test_figures_per_workload_and_no_cost(fmt, workload):
    run = figures_import(source=report(fmt), filename=f"{fmt}.csv")
    assert run.status == ImportRun.Status.SUCCEEDED, run.summary
    assert run.format == fmt and run.figure_date == DAY
    values = {s.series.key: s for s in Snapshot.objects.select_related("series")}
    e3 = values[f"cloud_inactivity.{workload}.microsoft-365-e3"]
    assert e3.value == 2  # Carla (over 90 days) and Dieter (never active)
    assert e3.series.product == E3
    assert e3.extra["accounts"] == 4 and e3.extra["never_active"] == 1
    assert e3.extra["thresholds"] == [30, 60, 90]
    assert "yearly_cost" not in e3.extra and "unit_price" not in e3.extra
    assert values[f"cloud_inactivity.{workload}.microsoft-teams-exploratory"].value == 1
    total = values[f"cloud_inactivity.{workload}.total"]
    assert total.value == 3 and total.extra == {"accounts": 6}
    # No cost from a report that knows no prices, and nothing under the active-user keys.
    assert not [key for key in values if "cost" in key]
    assert "cloud_inactivity.total" not in values
    assert not [key for key in values if not key.startswith(f"cloud_inactivity.{workload}.")]
    stored = " ".join(
        f"{s.series.title} {s.series.product} {s.extra}" for s in values.values()
    ) + str(run.problems)
    for upn, name, *_rest in ACCOUNTS:
        assert upn not in stored and name not in stored


@pytest.mark.django_db
def test_onedrive_report_through_the_command(tmp_path):
    path = tmp_path / "OneDriveActivityUserDetail11_20_2026 10_02_11 AM.csv"
    path.write_bytes(report("m365_onedrive"))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_figures", str(path), stdout=out, stderr=err)
    assert "as m365_onedrive: 3 values stored" in out.getvalue()
    assert Snapshot.objects.get(series__key="cloud_inactivity.onedrive.total").value == 3
    assert FigureSeries.objects.filter(key__startswith="cloud_inactivity.onedrive.").count() == 3


ACTIVE_USERS_WITHOUT_ACTIVITY = (
    "Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,"
    "Has Exchange License,Has OneDrive License,Assigned Products\n"
    "2026-11-20,anna.berger@example.de,Anna Berger,False,,True,True,MICROSOFT 365 E3\n"
    "2026-11-20,bernd.krause@example.de,Bernd Krause,False,,True,True,MICROSOFT 365 E3\n"
)


def test_active_user_report_without_a_workload_activity_is_refused():
    with pytest.raises(ImportRefused) as refused:
        read_import(ACTIVE_USERS_WITHOUT_ACTIVITY.encode(), filename="m365.csv")
    reasons = " ".join(p.reason for p in refused.value.problems)
    assert "Microsoft 365 active user detail report: no column of a workload's last" in reasons
    assert "“Exchange Last Activity Date”" in reasons and "“Teams Last Activity Date”" in reasons
    # Named also when the format is given.
    with pytest.raises(ImportRefused) as refused:
        read_import(ACTIVE_USERS_WITHOUT_ACTIVITY.encode(), filename="m365.csv", format="m365")
    assert "“OneDrive Last Activity Date”" in refused.value.problems[0].reason


def test_workload_report_is_not_read_as_another_workload_or_the_active_user_report():
    for fmt in ("m365", "m365_teams", "m365_onedrive"):
        with pytest.raises(ImportRefused):
            read_import(report("m365_email"), filename="email.csv", format=fmt)
    # Without its counts a report cannot be told from the others: refused, naming them.
    bare = EMAIL_HEADER[:6] + ["Assigned Products"]
    with pytest.raises(ImportRefused) as refused:
        detect_format(bare)
    reasons = " ".join(p.reason for p in refused.value.problems)
    assert "Send Count" in reasons and "Synced File Count" in reasons


@pytest.mark.django_db
def test_refusals_of_an_unfit_report_on_the_command_and_in_the_run(tmp_path):
    path = tmp_path / "m365.csv"
    path.write_text(ACTIVE_USERS_WITHOUT_ACTIVITY)
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_figures", str(path), stdout=io.StringIO(), stderr=err)
    assert "“Exchange Last Activity Date”" in err.getvalue()
    assert not Snapshot.objects.exists()
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.REFUSED
    assert any("Teams Last Activity Date" in p["reason"] for p in run.problems)
    assert "anna.berger" not in str(run.problems)


@pytest.mark.django_db
def test_bad_last_activity_date_is_refused_naming_row_and_column():
    rows = list(ACCOUNTS)
    rows[1] = ("bernd.krause@example.de", "Bernd Krause", "False", "gestern", E3)
    run = figures_import(source=report("m365_email", rows), filename="email.csv")
    assert run.status == ImportRun.Status.REFUSED
    assert [(p["row"], p["column"]) for p in run.problems] == [(3, "Last Activity Date")]
    assert not Snapshot.objects.exists()
