"""Snipe-IT's real layouts: its import layout, its CSV export (header repeated every 500
licences), the list view's export with Total/Avail, and MOCK_LICENSES with people in "Name".

Every file is made here, shaped like the files Snipe-IT writes or reads; the people in them
are made up.
"""

import csv
import io
import itertools
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from vitrine.figures.importers import ImportRefused, detect_format, read_import
from vitrine.figures.models import FigureSeries, ImportRun, Snapshot
from vitrine.figures.services import figures_import

DAY = date(2026, 11, 20)

# --- files shaped like Snipe-IT's --------------------------------------------------------------

FIRST = ["Helga", "Jonas", "Mirela", "Pawel", "Rosalind", "Tobias", "Ulrike", "Wenzel"]
LAST = ["Abendroth", "Brinkhaus", "Czerny", "Dietlmeier", "Eschweiler", "Fassbender", "Grotjahn"]
PEOPLE = [f"{first} {last}" for first, last in itertools.product(FIRST, LAST)]


def csv_text(rows: list[list[object]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def handle(name: str) -> str:
    first, last = name.lower().split()[:2]
    return f"{first[0]}{last}"


# Snipe-IT's import layout for licences (the columns its importer maps).
IMPORT_HEADER = [
    "Item name",
    "Serial number",
    "Seats",
    "Full Name",
    "Email",
    "Username",
    "Licensed To Name",
    "Licensed to Email",
    "Order Number",
    "Purchase Cost",
    "Purchase Date",
    "Expiration Date",
    "Manufacturer",
    "Category",
    "Supplier",
    "Notes",
]


def import_row(product, serial, seats, person=None, cost="79.66", expires="10/31/2027"):
    who = [person, f"{handle(person)}@example.org", handle(person)] if person else ["", "", ""]
    return [
        product,
        serial,
        seats,
        *who,
        "ACME GmbH",
        "lizenzen@example.org",
        "4711-0815",
        cost,
        "01/15/2026",
        expires,
        "Adobe" if product.startswith("Acrobat") else "Microsoft",
        "Software",
        "Bechtle AG",
        "",
    ]


def import_layout() -> str:
    return csv_text(
        [
            IMPORT_HEADER,
            # One 10-seat licence checked out to three people: 10 entitled, 3 used.
            import_row("Acrobat Pro", "ADBE-1111", 10, PEOPLE[0]),
            import_row("Acrobat Pro", "ADBE-1111", 10, PEOPLE[1]),
            import_row("Acrobat Pro", "ADBE-1111", "", PEOPLE[2]),  # seats given once suffice
            # Visio: two licences (two serials) of 5 and 4 seats, two seats checked out.
            import_row("Visio Plan 2", "VIS-A", 5),
            import_row("Visio Plan 2", "VIS-B", 4, PEOPLE[3], cost="120.00"),
            import_row("Visio Plan 2", "VIS-B", 4, PEOPLE[4], cost="120.00"),
        ]
    )


# Snipe-IT's CSV export of the licence list (LicensesController, English), which writes its
# header again at the start of every chunk of 500 licences.
EXPORT_HEADER = [
    "id",
    "Company",
    "Name",
    "Serial Number",
    "Purchase Date",
    "Purchase Cost",
    "Order Number",
    "Licenses available",
    "Seats",
    "Created By",
    "Depreciation",
    "Updated at",
    "Deleted at",
    "Email",
    "Fully Depreciated",
    "Supplier",
    "Expiration Date",
    "Purchase Order Number",
    "Termination Date",
    "Maintained",
    "Manufacturer",
    "Category",
    "Min. QTY",
    "Reassignable",
    "Notes",
    "Created At",
]


def export_row(number: int, *, seats: object = None) -> list[object]:
    total = 10 + number % 7
    person = PEOPLE[number % len(PEOPLE)]
    return [
        number,
        "ACME GmbH",
        f"Product {number:04d}",
        f"KEY-{number:06d}",
        "2026-01-15",
        "12.50",
        f"ON-{number}",
        number % 3,  # free seats
        total if seats is None else seats,
        person,  # the administrator who entered it
        "",
        "2026-11-19 08:00:00",
        "",
        f"{handle(person)}@example.org",
        "No",
        "Bechtle AG",
        "2027-03-31",
        f"PO-{number}",
        "",
        "Yes",
        "Microsoft",
        "Software",
        "0",
        "Yes",
        "",
        "2026-01-15 09:00:00",
    ]


def native_export(licences: int, *, header_again=None, **bad) -> str:
    """The export of `licences` licences; `bad` maps a licence number to its Seats cell."""
    rows: list[list[object]] = []
    for start in range(0, licences, 500):
        header = EXPORT_HEADER if header_again is None or not start else header_again(start)
        rows.append(header)
        rows += [
            export_row(number, seats=bad.get(f"n{number}"))
            for number in range(start + 1, min(start + 500, licences) + 1)
        ]
    return csv_text(rows)


def excel_row(number: int) -> int:
    """The row Excel shows licence `number` (1-based) in: the header comes again every 500."""
    return number + 1 + (number - 1) // 500


# The list view's export (bootstrap table: what the licence list shows).
LIST_HEADER = [
    "ID",
    "Company",
    "Name",
    "Product Key",
    "Expiration Date",
    "Licensed to Email",
    "Licensed to Name",
    "Category",
    "Supplier",
    "Manufacturer",
    "Min. QTY",
    "Total",
    "Avail",
    "% Remaining",
    "Purchase Date",
    "Purchase Cost",
]

# Snipe-IT's MOCK_LICENSES.csv layout: "Name" is the person a seat is checked out to.
MOCK_HEADER = [
    "Name",
    "Email",
    "Username",
    "Item name",
    "serial number",
    "manufacturer",
    "purchase date",
    "purchase cost",
    "purchase_order",
    "order number",
    "Licensed To Name",
    "Licensed to Email",
    "expiration date",
    "maintained",
    "reassignable",
    "seats",
    "company",
    "supplier",
    "notes",
]


def mock_licenses(*, seats=lambda n: 20 + n % 60, name=lambda person: person) -> str:
    rows: list[list[object]] = [MOCK_HEADER]
    for number, person in enumerate(PEOPLE[:50]):
        licensee = PEOPLE[-1 - number]
        rows.append(
            [
                name(person),
                f"{handle(person)}@example.org",
                handle(person),
                f"Software {number % 10}",
                f"SER-{number % 10:03d}",
                "Adobe",
                "07/13/2025",
                "$79.66",
                f"{53000 + number}",
                f"386436{number:03d}-5",
                licensee,
                f"{handle(licensee)}@example.com",
                "01/27/2027",
                "false",
                "no",
                seats(number % 10),
                "ACME GmbH",
                "Bechtle AG",
                f"Assigned to {person} at onboarding",
            ]
        )
    return csv_text(rows)


def personal_texts() -> list[str]:
    texts = []
    for person in PEOPLE:
        texts += [person, *person.split(), handle(person)]
    return texts


def assert_names_nowhere(text: str) -> None:
    for part in personal_texts():
        assert part not in text, part


def stored_text() -> str:
    """Everything the figures keep: series (keys, titles, products), snapshots and runs."""
    series = list(FigureSeries.objects.values("key", "title", "product", "unit"))
    snapshots = list(Snapshot.objects.values("value", "extra"))
    runs = list(ImportRun.objects.values("summary", "problems", "format", "file_name"))
    return json.dumps([series, snapshots, runs], default=str)


def read(text: str, name: str = "licenses.csv", **kwargs):
    return read_import(text.encode(), filename=name, **kwargs)


def refused(text: str, name: str = "licenses.csv") -> ImportRefused:
    with pytest.raises(ImportRefused) as info:
        read(text, name)
    return info.value


def values_of(run: ImportRun) -> dict[str, Decimal]:
    return {value.key: value.value for value in run.outcome.written}


def command(path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_figures", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- 1. the import layout -----------------------------------------------------------------------


def test_import_layout_counts_seats_per_license_and_checked_out_rows_as_used():
    result = read(import_layout())
    assert result.format == "snipeit_import" and result.row_count == 6
    frame = result.frame
    assert frame.columns == [
        "product",
        "vendor",
        "category",
        "company",
        "quantity",
        "free",
        "used",
        "purchase_cost",
        "currency",
        "purchase_date",
        "end_date",
    ]
    licences = {
        (row["product"], row["quantity"]): (row["used"], row["free"])
        for row in frame.iter_rows(named=True)
    }
    assert licences == {
        ("Acrobat Pro", 10): (3, 7),
        ("Visio Plan 2", 5): (0, 5),
        ("Visio Plan 2", 4): (2, 2),
    }
    assert_names_nowhere(frame.write_csv())


@pytest.mark.django_db
def test_import_layout_figures_entitled_used_and_position():
    run = figures_import(source=import_layout().encode(), filename="licenses.csv", date=DAY)
    assert run.status == ImportRun.Status.SUCCEEDED and run.format == "snipeit_import"
    values = values_of(run)
    assert values["entitled.acrobat-pro"] == 10 and values["consumed.acrobat-pro"] == 3
    assert values["license_position.acrobat-pro"] == 7
    assert values["entitled.visio-plan-2"] == 9 and values["consumed.visio-plan-2"] == 2
    assert values["license_position.visio-plan-2"] == 7
    assert_names_nowhere(stored_text())


@pytest.mark.django_db
def test_import_layout_without_people_yields_no_use_and_keeps_real_consumption(tmp_path):
    # A real export a month ago (74 of 100 seats used) and on the day itself.
    def export(free: int) -> str:
        rows = [EXPORT_HEADER, export_row(1)]
        rows[1][2], rows[1][7], rows[1][8] = "Acrobat Pro", free, 100
        return csv_text(rows)

    before = figures_import(source=export(30).encode(), filename="a.csv", date=date(2026, 10, 20))
    assert values_of(before)["consumed.acrobat-pro"] == 70
    today = figures_import(source=export(26).encode(), filename="b.csv", date=DAY)
    assert values_of(today)["consumed.acrobat-pro"] == 74

    # The import layout of the same licence, without the person columns, on the same day.
    header = ["Item name", "Serial number", "Seats", "Purchase Cost", "Expiration Date"]
    layout = csv_text([header, ["Acrobat Pro", "ADBE-1", 100, "12.50", "03/31/2027"]])
    path = tmp_path / "licenses-import.csv"
    path.write_text(layout)
    out, _err = command(path, "--date", DAY.isoformat(), "--accept-warnings")
    run = ImportRun.objects.latest("pk")
    assert run.format == "snipeit_import" and run.status == ImportRun.Status.SUCCEEDED
    keys = set(Snapshot.objects.filter(import_run=run).values_list("series__key", flat=True))
    assert "entitled.acrobat-pro" in keys
    for prefix in ("consumed", "license_position", "savings", "utilisation", "shelfware"):
        assert not [key for key in keys if key.startswith(prefix)], prefix
    # The real consumption of that day stands; no "savings" were made up from a 0.
    assert Snapshot.objects.get(series__key="consumed.acrobat-pro", date=DAY).value == 74
    assert not Snapshot.objects.filter(series__key__startswith="savings").exists()


def test_import_layout_seats_must_agree_within_a_license():
    rows = [IMPORT_HEADER, import_row("Acrobat Pro", "A", 10, PEOPLE[0])]
    rows += [import_row("Acrobat Pro", "A", 12, PEOPLE[1]), import_row("Visio", "V", "", None)]
    error = refused(csv_text(rows))
    reasons = {(p.row, p.column): p.reason for p in error.problems}
    assert "different numbers of seats" in reasons[(2, "Seats")]
    assert "different numbers of seats" in reasons[(3, "Seats")]
    assert "gives its number of seats" in reasons[(4, "Seats")]
    assert error.total == 3


def test_import_layout_never_repeats_a_persons_cell_in_a_refusal():
    long_name = PEOPLE[5] + " " * 10_000 + "x"
    rows = [IMPORT_HEADER, import_row("Acrobat Pro", "A", 10, PEOPLE[0])]
    rows.append(import_row("Acrobat Pro", "A", "zehn", PEOPLE[1]))
    rows.append(import_row("Visio", "V", 3, long_name))
    error = refused(csv_text(rows))
    problems = {(p.row, p.column): p for p in error.problems}
    assert problems[(3, "Seats")].value == "zehn"  # a count names no one: shown
    huge = problems[(4, "Full Name")]
    assert "more than 10000 characters" in huge.reason and huge.value is None
    assert_names_nowhere(repr(error.problems) + error.summary)


# --- 2. the native export and the list view -----------------------------------------------------


def test_native_export_of_1200_licenses_with_the_header_every_500_rows():
    text = native_export(1200)
    assert text.count("Licenses available") == 3
    result = read(text)
    assert result.format == "snipeit" and result.row_count == 1200
    frame = result.frame
    assert frame["product"].to_list() == [f"Product {n:04d}" for n in range(1, 1201)]
    assert frame["quantity"].sum() == sum(10 + n % 7 for n in range(1, 1201))
    assert frame["used"].sum() == sum(10 + n % 7 - n % 3 for n in range(1, 1201))
    assert_names_nowhere(frame.write_csv())


def test_repeated_header_written_differently_is_dropped_too():
    def shouted(_start):
        return [f"  {cell.upper().replace(' ', '_')} " for cell in EXPORT_HEADER]

    result = read(native_export(1100, header_again=shouted))
    assert result.row_count == 1100


def test_rows_that_only_look_like_the_header_stay():
    # A licence whose name is a header word is data, not a repeated header.
    rows = [EXPORT_HEADER, export_row(1), export_row(2)]
    rows[2][2] = "Licenses available"
    rows[1][2] = "name"
    frame = read(csv_text(rows)).frame
    assert frame["product"].to_list() == ["name", "Licenses available"]


def test_only_repeated_headers_are_no_data():
    error = refused(csv_text([EXPORT_HEADER, EXPORT_HEADER, EXPORT_HEADER]))
    assert error.problems[0].reason == "The file has a header row but no data rows."


def test_problems_after_a_repeated_header_name_the_real_row():
    error = refused(native_export(1200, n700="zehn", n1101="elf"))
    rows = [(p.row, p.column, p.value) for p in error.problems]
    assert rows == [(excel_row(700), "Seats", "zehn"), (excel_row(1101), "Seats", "elf")]
    assert rows[0][0] == 702 and rows[1][0] == 1104


@pytest.mark.django_db
def test_native_export_through_the_command(tmp_path):
    path = tmp_path / "licenses-2026-11-20-083000.csv"
    path.write_text(native_export(1200))
    command(path, "--date", DAY.isoformat())
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED and run.row_count == 1200
    assert Snapshot.objects.get(series__key="entitled.product-0700", date=DAY).value == 10 + 700 % 7
    used = 10 + 700 % 7 - 700 % 3
    assert Snapshot.objects.get(series__key="consumed.product-0700", date=DAY).value == used
    assert_names_nowhere(stored_text())


@pytest.mark.django_db
def test_native_export_refusal_through_the_command_names_the_real_row(tmp_path):
    path = tmp_path / "licenses.csv"
    path.write_text(native_export(1200, n700="zehn"))
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_figures", str(path), stdout=io.StringIO(), stderr=err)
    assert "row 702, column Seats, value 'zehn'" in err.getvalue()
    assert_names_nowhere(err.getvalue())


def test_export_person_columns_are_never_echoed():
    rows = [EXPORT_HEADER, export_row(1), export_row(2)]
    rows[2][13] = "x" * 10_001  # "Email"
    rows[2][9] = PEOPLE[3] + "y" * 10_001  # "Created By"
    rows[2][24] = PEOPLE[4] + "z" * 10_001  # "Notes": unknown to the format, not shown either
    error = refused(csv_text(rows))
    assert {p.column for p in error.problems} == {"Email", "Created By", "Notes"}
    assert all(p.row == 3 and p.value is None for p in error.problems)


def test_list_view_export_with_total_and_avail():
    rows = [
        LIST_HEADER,
        [1, "ACME", "Acrobat Pro", "KEY-1", "2027-03-31", "a@example.org", PEOPLE[0]]
        + ["Software", "Bechtle", "Adobe", "0", 25, 5, "20%", "2026-01-15", "$1,079.66"],
        [2, "ACME", "Visio Plan 2", "KEY-2", "", "", ""]
        + ["Software", "", "Microsoft", "0", 10, 10, "100%", "", ""],
    ]
    result = read(csv_text(rows))
    assert result.format == "snipeit"
    frame = result.frame
    assert frame["product"].to_list() == ["Acrobat Pro", "Visio Plan 2"]
    assert frame["quantity"].to_list() == [25, 10]
    assert frame["used"].to_list() == [20, 0]
    assert frame["purchase_cost"].to_list() == [Decimal("1079.66"), None]
    assert_names_nowhere(frame.write_csv())


@pytest.mark.django_db
def test_list_view_export_figures():
    rows = [LIST_HEADER]
    rows.append(
        [1, "ACME", "Acrobat Pro", "KEY-1", "2027-03-31", "a@example.org", PEOPLE[0]]
        + ["Software", "Bechtle", "Adobe", "0", 25, 5, "20%", "2026-01-15", "100.00"]
    )
    run = figures_import(source=csv_text(rows).encode(), filename="licenses.csv", date=DAY)
    values = values_of(run)
    assert values["entitled.acrobat-pro"] == 25 and values["consumed.acrobat-pro"] == 20
    assert values["license_position.acrobat-pro"] == 5


# --- 3. MOCK_LICENSES: people in "Name" --------------------------------------------------------


def test_mock_licenses_layout_reads_item_name_as_the_product():
    match = detect_format(MOCK_HEADER)
    assert match.format == "snipeit_import"
    assert match.columns["product"] == "Item name" and match.columns["name"] == "Name"
    result = read(mock_licenses())
    frame = result.frame
    assert sorted(frame["product"].unique()) == [f"Software {n}" for n in range(10)]
    # Each of the ten licences (item name and serial) has 5 rows, each checked out to someone.
    assert frame["used"].to_list() == [5] * 10
    assert frame["quantity"].to_list() == [20 + n for n in range(10)]
    assert_names_nowhere(frame.write_csv())


@pytest.mark.django_db
def test_mock_licenses_never_become_series_through_both_entry_points(tmp_path):
    run = figures_import(source=mock_licenses().encode(), filename="MOCK_LICENSES.csv", date=DAY)
    assert run.status == ImportRun.Status.SUCCEEDED
    path = tmp_path / "MOCK_LICENSES.csv"
    path.write_text(mock_licenses())
    out, err = command(path, "--date", "2026-11-21")
    assert FigureSeries.objects.filter(product="Software 3").exists()
    assert Snapshot.objects.get(series__key="consumed.software-3", date=DAY).value == 5
    assert_names_nowhere(stored_text() + out + err)


@pytest.mark.django_db
def test_mock_licenses_refused_without_naming_anyone(tmp_path):
    def bad(person):
        return person + " " * 10_001 + "." if person == PEOPLE[7] else person

    text = mock_licenses(seats=lambda n: "eighty" if n == 3 else 20, name=bad)
    error = refused(text)
    assert {p.column for p in error.problems} == {"seats", "Name"}
    assert "keep only one" not in repr(error.problems)
    assert_names_nowhere(repr(error.problems) + error.summary)

    run = figures_import(source=text.encode(), filename="MOCK_LICENSES.csv")
    assert run.status == ImportRun.Status.REFUSED
    path = tmp_path / "MOCK_LICENSES.csv"
    path.write_text(text)
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_figures", str(path), stdout=io.StringIO(), stderr=err)
    assert "value 'eighty'" in err.getvalue()
    assert_names_nowhere(stored_text() + err.getvalue())
    assert not FigureSeries.objects.exists()


def test_identifier_columns_of_other_formats_are_never_echoed():
    # A device or user of the consumption template is hashed, never shown in a refusal.
    device = "user." + "x" * 10_001 + "@example.org"
    error = refused(f"product,device_or_user,last_used\nVisio,{device},2026-11-01\n")
    [problem] = error.problems
    assert (problem.row, problem.column, problem.value) == (2, "device_or_user", None)
    text = "product,device_or_user,last_used\nVisio,PC-0815,gestern\n"
    [problem] = refused(text).problems
    assert (problem.column, problem.value) == ("last_used", "gestern")


@pytest.mark.django_db
def test_mock_licenses_without_item_name_is_refused_not_read_as_products_named_after_people():
    # Whoever deleted "Item name" (as an old refusal advised) has people left in "Name".
    rows = list(csv.reader(io.StringIO(mock_licenses())))
    gone = rows[0].index("Item name")
    text = csv_text([row[:gone] + row[gone + 1 :] for row in rows])
    error = refused(text)
    assert error.summary == "The header row matches no known import format."
    reasons = " ".join(p.reason for p in error.problems)
    assert "Item name" in reasons and "Licenses available" in reasons
    run = figures_import(source=text.encode(), filename="MOCK_LICENSES.csv")
    assert run.status == ImportRun.Status.REFUSED and not FigureSeries.objects.exists()
    assert_names_nowhere(stored_text() + repr(error.problems))


def test_native_export_in_german():
    # Snipe-IT's export with its German headings (its second "Bestellnummer", the purchase
    # order, is left out here: a heading twice is the shared reader's matter).
    header = ["id", "Firma", "Name", "Seriennummer", "Kaufdatum", "Einkaufspreis"]
    header += ["Bestellnummer", "Verfügbare Lizenzen", "Anzahl Aktivierungen", "Erstellt von"]
    header += ["E-Mail", "Lieferant", "Ablaufdatum", "Hersteller", "Kategorie", "Notizen"]
    row = [1, "ACME GmbH", "Acrobat Pro", "KEY-1", "2026-01-15", "100.00", "ON-1", 4, 25]
    row += [PEOPLE[0], f"{handle(PEOPLE[0])}@example.org", "Bechtle AG", "2027-03-31", "Adobe"]
    row += ["Software", ""]
    result = read(csv_text([header, row]))
    assert result.format == "snipeit"
    assert result.columns["free"] == "Verfügbare Lizenzen"
    frame = result.frame
    assert (frame["quantity"][0], frame["used"][0]) == (25, 21)
    assert frame["end_date"][0] == date(2027, 3, 31) and frame["vendor"][0] == "Adobe"
    assert_names_nowhere(frame.write_csv())


def test_m365_accounts_and_display_names_are_never_echoed():
    header = "Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,"
    header += "Exchange Last Activity Date,Assigned Products\n"
    account = "helga.abendroth" + "x" * 10_001 + "@example.org"
    rows = f"2026-11-20,{account},Helga Abendroth{'y' * 10_001},False,,2026-11-10,E3\n"
    rows += "2026-11-20,jonas.czerny@example.org,Jonas Czerny,vielleicht,,2026-11-10,E3\n"
    error = refused(header + rows, "m365.csv")
    found = {(p.row, p.column): p.value for p in error.problems}
    assert found == {
        (2, "User Principal Name"): None,
        (2, "Display Name"): None,
        (3, "Is Deleted"): "vielleicht",  # yes/no names no one: shown
    }
