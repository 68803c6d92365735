"""Importers: format detection, real-world file variations, refusals and privacy of aggregates."""

import gc
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from django.utils import translation

from vitrine.figures.importers import (
    ImportLimits,
    ImportRefused,
    consumption_per_product,
    detect_format,
    m365_inactivity,
    read_import,
)

ENTITLEMENTS_DE = (
    "Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende;Kostenstelle\n"
    "Acrobat Pro;Adobe;Benutzer;1.200;1.234,56 €;EUR;01.01.2026;31.12.2026;4711\n"
    "Visio Plan 2;Microsoft;Abonnement;15;12,30;;2026-02-01;2027-01-31;\n"
)
M365_HEADER = (
    "Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,"
    "Has Exchange License,Has Teams License,Exchange Last Activity Date,"
    "Teams Last Activity Date,Exchange License Assign Date,Assigned Products\n"
)
M365_ROWS = (
    "2026-11-20,anna.berger@example.de,Anna Berger,False,,True,True,2026-11-10,2026-11-19,"
    "2024-01-01,MICROSOFT 365 E3+MICROSOFT TEAMS\n"
    "2026-11-20,bernd.krause@example.de,Bernd Krause,False,,True,False,2026-09-30,,"
    "2024-01-01,MICROSOFT 365 E3\n"
    "2026-11-20,carla.roth@example.de,Carla Roth,False,,True,False,2026-07-01,,"
    "2024-01-01,MICROSOFT 365 E3\n"
    "2026-11-20,dieter.lang@example.de,Dieter Lang,False,,False,False,,,,MICROSOFT 365 E3\n"
    "2026-11-20,eva.jung@example.de,Eva Jung,True,2026-10-01,True,False,2026-01-01,,"
    "2024-01-01,MICROSOFT 365 E3\n"
    '2026-11-20,frank.otto@example.de,"Otto, Frank",false,,yes,no,08/15/2026,,'
    "2024-01-01,MICROSOFT 365 E3\n"
)
NAMES = ["anna.berger", "bernd.krause", "Berger", "Krause", "Otto", "example.de"]


def refused(data: bytes, filename: str = "import.csv", **kwargs) -> ImportRefused:
    with pytest.raises(ImportRefused) as info:
        read_import(data, filename=filename, **kwargs)
    return info.value


def xlsx(rows: list[list], *, title: str = "Tabelle1", extra: dict | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name, other_rows in (extra or {}).items():
        other = workbook.create_sheet(name)
        for row in other_rows:
            other.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- detection -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            [
                "product",
                "vendor",
                "metric",
                "quantity",
                "unit_price",
                "currency",
                "start_date",
                "end_date",
            ],
            "entitlements",
        ),
        (
            [
                "\ufeffProdukt",
                "Hersteller",
                "Lizenzmetrik",
                "Anzahl",
                "Einzelpreis",
                "Währung",
                "Beginn",
                "Ende",
                "Kostenstelle",
            ],
            "entitlements",
        ),
        (["Product", "Device_or_User", "Last used"], "consumption"),
        (["Produkt", "Gerät / Benutzer", "Zuletzt genutzt"], "consumption"),
        (["Name", "Seats", "Licenses available", "Purchase Cost", "Manufacturer"], "snipeit"),
        (
            ["Item name", "seats", "purchase cost", "expiration date", "manufacturer"],
            "snipeit_import",
        ),
        (M365_HEADER.strip().split(","), "m365"),
        (
            [
                "request_id",
                "product",
                "requested_at",
                "approved_at",
                "ordered_at",
                "provisioned_at",
                "state",
            ],
            "requests_log",
        ),
        (
            [
                "Anfrage-ID",
                "Produkt",
                "Angefragt",
                "Genehmigt",
                "Bestellt",
                "Bereitgestellt",
                "Status",
            ],
            "requests_log",
        ),
    ],
)
def test_format_detected_from_header(header, expected):
    assert detect_format(header).format == expected


def test_unknown_header_lists_missing_columns_per_format():
    with pytest.raises(ImportRefused) as info:
        detect_format(["Produkt", "Farbe"])
    error = info.value
    assert error.summary == "The header row matches no known import format."
    reasons = {p.reason.split(":")[0]: p.reason for p in error.problems}
    assert len(reasons) == 9  # one per format
    consumption = reasons["Consumption (generic template)"]
    assert "device_or_user" in consumption and "Produkt" not in consumption.split("columns")[1]
    assert "Report Refresh Date" in reasons["Microsoft 365 active user detail report"]


def test_explicit_format_is_checked_against_header():
    with pytest.raises(ImportRefused) as info:
        read_import(ENTITLEMENTS_DE.encode(), filename="x.csv", format="consumption")
    assert "device_or_user" in info.value.problems[0].reason
    assert refused(b"a\n1\n", format="nonsense").problems[0].reason.startswith("Unknown import")


# --- formats and real-world variations -------------------------------------------------------


def test_entitlements_german_cp1252_semicolon():
    result = read_import(ENTITLEMENTS_DE.encode("cp1252"), filename="lizenzen.csv")
    frame = result.frame
    assert result.format == "entitlements" and result.row_count == 2
    assert frame["quantity"].to_list() == [1200, 15]
    assert frame["unit_price"].to_list() == [Decimal("1234.56"), Decimal("12.30")]
    assert frame["metric"].to_list() == ["user", "subscription"]
    assert frame["currency"].to_list() == ["EUR", None]
    assert frame["end_date"].to_list() == [date(2026, 12, 31), date(2027, 1, 31)]
    assert frame["cost_center"].to_list() == ["4711", None]
    assert result.columns["quantity"] == "Menge"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_delimiters_and_bom(delimiter, bom):
    text = bom + delimiter.join(["product", "device_or_user", "last_used"]) + "\r\n"
    text += delimiter.join(["Photoshop", "PC-0001", "2026-12-31"]) + "\r\n"
    result = read_import(text.encode(), filename="c.csv")
    assert result.format == "consumption"
    assert result.frame["last_used"].to_list() == [date(2026, 12, 31)]


def test_dollar_prices_us_dates_and_quoted_line_breaks_in_snipeit_export():
    data = (
        "Name,Seats,Licenses available,Purchase Cost,Purchase Date,Expiration Date,"
        "Manufacturer,Category,Company\n"
        '"Adobe Acrobat\nPro DC",25,5,"$1,079.66",01/15/2026,12/31/2026,Adobe,PDF,ACME\n'
        "Visio,10,10,79.66,2026-01-15,,Microsoft,Office,ACME\n"
    )
    result = read_import(data.encode(), filename="licenses.csv")
    frame = result.frame
    assert result.format == "snipeit"
    assert frame["product"].to_list() == ["Adobe Acrobat\nPro DC", "Visio"]
    assert frame["purchase_cost"].to_list() == [Decimal("1079.66"), Decimal("79.66")]
    assert frame["currency"].to_list() == ["USD", None]
    assert frame["used"].to_list() == [20, 0]
    assert frame["end_date"].to_list() == [date(2026, 12, 31), None]


def test_us_dates_refused_where_the_format_does_not_use_them():
    error = refused(b"product,device_or_user,last_used\nX,PC-1,12/31/2026\n")
    assert error.problems[0].reason.startswith("Not a date")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("FALSE", False),
        ("Yes", True),
        ("no", False),
        ("JA", True),
        ("Nein", False),
        ("1", True),
        ("0", False),
    ],
)
def test_boolean_spellings(text, expected):
    data = M365_HEADER + M365_ROWS.splitlines()[0].replace(",False,", f",{text},", 1) + "\n"
    result = read_import(data.encode(), filename="m365.csv")
    assert result.frame["is_deleted"].to_list() == [expected]


def test_requests_log_german_datetimes():
    data = (
        "Anfrage-ID;Produkt;Angefragt;Genehmigt;Bestellt;Bereitgestellt;Status\n"
        "REQ0001;Visio;03.02.2026 09:15;2026-02-04 10:00:00;;05.02.2026;Erledigt\n"
    )
    frame = read_import(data.encode(), filename="anfragen.csv").frame
    assert frame["requested_at"].to_list() == [datetime(2026, 2, 3, 9, 15)]
    assert frame["approved_at"].to_list() == [datetime(2026, 2, 4, 10, 0)]
    assert frame["ordered_at"].to_list() == [None]
    assert frame["provisioned_at"].to_list() == [datetime(2026, 2, 5)]


def test_xlsx_first_and_named_sheet():
    data = xlsx(
        [["Produkt", "Gerät/Benutzer", "Zuletzt genutzt"], ["Acrobat", "PC-1", date(2026, 5, 1)]],
        extra={"Verbrauch": [["product", "device_or_user"], ["Visio", "u1"], ["Visio", "u2"]]},
    )
    first = read_import(data, filename="verbrauch.xlsx")
    assert first.frame["last_used"].to_list() == [date(2026, 5, 1)]
    named = read_import(data, filename="verbrauch.xlsx", sheet="Verbrauch")
    assert named.row_count == 2
    assert "no sheet named" in refused(data, "v.xlsx", sheet="Fehlt").problems[0].reason


def test_xlsx_from_path(tmp_path):
    path = tmp_path / "lizenzen.xlsx"
    path.write_bytes(
        xlsx([["Item name", "Seats", "Purchase Cost"], ["Acrobat", 10, 79.66], ["Visio", 3, None]])
    )
    result = read_import(path, filename=path.name)
    assert result.frame["quantity"].to_list() == [10, 3]
    assert result.frame["purchase_cost"].to_list() == [Decimal("79.66"), None]


# --- Microsoft 365 and privacy ---------------------------------------------------------------


def test_m365_inactivity_buckets_and_figure_date():
    result = read_import((M365_HEADER + M365_ROWS).encode(), filename="m365.csv")
    assert result.format == "m365" and result.figure_date == date(2026, 11, 20)
    table = {row["product"]: row for row in m365_inactivity(result.frame).iter_rows(named=True)}
    e3 = table["MICROSOFT 365 E3"]
    # Anna 1 day, Bernd 51, Carla 142, Dieter never, Frank 97; Eva is deleted.
    assert (e3["accounts"], e3["within_first"], e3["within_second"]) == (5, 1, 1)
    assert (e3["within_third"], e3["over_third"], e3["never_active"]) == (0, 2, 1)
    assert (e3["threshold_1"], e3["threshold_2"], e3["threshold_3"]) == (30, 60, 90)
    assert table["MICROSOFT TEAMS"]["accounts"] == 1
    # The import brings the same counts, worked out while the file was checked.
    assert m365_inactivity(result).equals(m365_inactivity(result.frame))
    assert m365_inactivity(result.lazy, passes=3).equals(m365_inactivity(result.frame))


def test_m365_inactivity_thresholds_per_product():
    result = read_import((M365_HEADER + M365_ROWS).encode(), filename="m365.csv")
    # Any case and spacing of the product name; the Teams product keeps 30 / 60 / 90.
    table = {
        row["product"]: row
        for row in m365_inactivity(result, {"microsoft  365 e3": (7, 50, 120)}).iter_rows(
            named=True
        )
    }
    e3 = table["MICROSOFT 365 E3"]
    # Anna 1 day, Bernd 51, Frank 97, Carla 142, Dieter never.
    assert (e3["threshold_1"], e3["threshold_2"], e3["threshold_3"]) == (7, 50, 120)
    assert (e3["within_first"], e3["within_second"], e3["within_third"]) == (1, 0, 2)
    assert (e3["over_third"], e3["never_active"], e3["accounts"]) == (1, 1, 5)
    teams = table["MICROSOFT TEAMS"]
    assert (teams["threshold_3"], teams["within_first"]) == (90, 1)
    # A day exactly on a threshold still counts within it.
    edge = m365_inactivity(result, {"MICROSOFT 365 E3": (1, 51, 97)})
    e3 = edge.row(edge["product"].to_list().index("MICROSOFT 365 E3"), named=True)
    assert (e3["within_first"], e3["within_second"], e3["within_third"]) == (1, 1, 1)
    assert (e3["over_third"], e3["never_active"]) == (1, 1)


def test_m365_account_listed_twice_counts_once_with_its_latest_activity():
    twice = M365_ROWS + (
        "2026-11-20,carla.roth@example.de,Carla Roth,False,,True,False,2026-11-01,,"
        "2024-01-01,MICROSOFT 365 E3\n"
    )
    result = read_import((M365_HEADER + twice).encode(), filename="m365.csv")
    e3 = m365_inactivity(result).row(0, named=True)
    assert e3["product"] == "MICROSOFT 365 E3"
    # Carla now 19 days (within the first threshold) and no longer 142 days.
    assert (e3["accounts"], e3["within_first"], e3["over_third"]) == (5, 2, 1)


def test_m365_columns_no_figure_reads_are_not_checked_but_read_ones_are():
    # "Has … License" and "… License Assign Date" feed nothing: odd text there is no reason
    # to refuse the report. A workload's last activity is read, and its bad cell is refused.
    first = M365_ROWS.splitlines()[0].split(",")
    first[5], first[9] = "vielleicht", "bald"
    result = read_import((M365_HEADER + ",".join(first) + "\n").encode(), filename="m365.csv")
    assert result.row_count == 1
    assert m365_inactivity(result)["accounts"].to_list() == [1, 1]
    first[8] = "bald"
    with translation.override("en"):
        error = refused((M365_HEADER + ",".join(first) + "\n").encode(), filename="m365.csv")
    [problem] = error.problems
    assert (problem.row, problem.column, problem.value) == (2, "Teams Last Activity Date", "bald")
    assert problem.reason == "Not a date; write e.g. 31.12.2026, 2026-12-31 or 12/31/2026."


def test_m365_concealed_names_import_the_same_way():
    concealed = M365_ROWS.replace("anna.berger@example.de", "5D4B1C9E3F7A2B6C8D0E1F2A3B4C5D6E")
    concealed = concealed.replace("Anna Berger", "9F8E7D6C5B4A39281706F5E4D3C2B1A0")
    result = read_import((M365_HEADER + concealed).encode(), filename="m365.csv")
    assert m365_inactivity(result.frame)["accounts"].sum() == 6


def test_no_names_leave_the_importer():
    m365 = read_import((M365_HEADER + M365_ROWS).encode(), filename="m365.csv")
    consumption = read_import(
        b"product,device_or_user,last_used\nVisio,anna.berger@example.de,2026-11-01\n"
        b"Visio,PC-Krause,2026-01-01\nVisio,anna.berger@example.de,2026-10-01\n",
        filename="c.csv",
    )
    per_product = consumption_per_product(consumption.frame, date(2026, 11, 20))
    assert per_product.row(0, named=True) == {"product": "Visio", "total": 2, "used_90_days": 1}
    for frame in (m365.frame, m365_inactivity(m365.frame), consumption.frame, per_product):
        dump = str(frame.to_dicts())
        for name in NAMES:
            assert name not in dump
    assert "display_name" not in m365.frame.columns


def test_consumption_without_last_used_has_unknown_usage():
    result = read_import(b"product,device_or_user\nVisio,u1\nVisio,u2\n", filename="c.csv")
    row = consumption_per_product(result.frame, date(2026, 1, 1)).row(0, named=True)
    assert row == {"product": "Visio", "total": 2, "used_90_days": None}


# --- refusals --------------------------------------------------------------------------------


def test_problem_rows_and_columns_as_the_user_sees_them():
    data = (
        "Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende\n"
        "Acrobat;Adobe;Benutzer;10;5,00;EUR;01.01.2026;31.12.2026\n"
        '"Visio\nPlan 2";Microsoft;Liter;zehn;abc;EUR;32.01.2026;31.12.2025\n'
        ";Microsoft;Gerät;-3;1;EUR;;\n"
    )
    error = refused(data.encode())
    found = [(p.row, p.column, p.value) for p in error.problems]
    assert found == [
        (3, "Lizenzmetrik", "Liter"),
        (3, "Menge", "zehn"),
        (3, "Einzelpreis", "abc"),
        (3, "Beginn", "32.01.2026"),
        (4, "Produkt", None),
        (4, "Menge", "-3"),
    ]
    assert error.total == 6
    assert "allowed values: core, device, subscription, user" in error.problems[0].reason


def test_problems_capped_with_total():
    rows = "".join(f"X,PC-{i},kein Datum\n" for i in range(250))
    error = refused(("product,device_or_user,last_used\n" + rows).encode())
    assert len(error.problems) == 100 and error.total == 250
    assert error.problems[0].row == 2 and error.problems[-1].row == 101
    assert "250 problems" in error.summary


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf\r\n  \n", "The file is empty."),
        (b"product,device_or_user,last_used\n", "The file has a header row but no data rows."),
        (b"product;device_or_user\n;\n ; \n", "The file has a header row but no data rows."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "The file is a PDF document"),
        (bytes(range(256)) * 4, "The file is not a table"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "The file is in the old Excel"),
    ],
)
def test_refusals(data, reason):
    assert refused(data).problems[0].reason.startswith(reason)


def test_duplicate_headers_refused():
    error = refused(b"product,Product ,device_or_user\nX,Y,Z\n")
    assert error.problems[0].column == "Product"
    assert "more than once (columns 1 and 2)" in error.problems[0].reason


def test_huge_cell_refused():
    big = "x" * 10_001
    error = refused(f"product,device_or_user\n{big},PC-1\n".encode())
    problem = error.problems[0]
    assert (problem.row, problem.column) == (2, "product")
    assert "more than 10000 characters" in problem.reason and len(problem.value) < 300


def test_file_over_byte_cap_refused():
    error = refused(
        b"product,device_or_user\n" + b"X,PC\n" * 100, limits=ImportLimits(max_bytes=100)
    )
    assert "at most" in error.problems[0].reason


def test_not_an_xlsx_refused():
    assert "not a valid XLSX" in refused(b"PK\x03\x04garbage", "x.xlsx").problems[0].reason
    assert "not a valid XLSX" in refused(b"Produkt;Menge\n", "x.xlsx").problems[0].reason


def _zip_with(part: str, payload: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(part, payload)
    return buffer.getvalue()


def test_zip_bomb_refused_by_ratio():
    sheet = b'<?xml version="1.0"?><worksheet>' + b"<row/>" * 2_000_000 + b"</worksheet>"
    data = _zip_with("xl/worksheets/sheet1.xml", sheet)
    assert len(data) < 100_000
    assert "zip bomb" in refused(data, "bombe.xlsx").problems[0].reason


def test_zip_bomb_refused_by_total_size():
    data = _zip_with("xl/worksheets/sheet1.xml", b"<row/>" * 400_000)
    error = refused(data, "gross.xlsx", limits=ImportLimits(max_xlsx_uncompressed=1_000_000))
    assert "unpacks to" in error.problems[0].reason


def test_xml_entities_refused():
    payload = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><worksheet>&lol;</worksheet>'
    )
    data = _zip_with("xl/worksheets/sheet1.xml", payload)
    assert "XML entities" in refused(data, "x.xlsx").problems[0].reason


# --- large files: streamed from disk -----------------------------------------------------------


def test_windows_1252_after_an_ascii_head_is_read_as_windows_1252(tmp_path):
    # The first 64 KiB say nothing about the encoding; the umlaut comes later.
    rows = "".join(f"Visio;PC-{i:05d};01.10.2026\n" for i in range(4000))
    text = "product;device_or_user;last_used\n" + rows
    text += "Bürosoftware;PC-Müller;02.10.2026\n"
    path = tmp_path / "nutzung.csv"
    path.write_bytes(text.encode("cp1252"))
    assert path.stat().st_size > 64 * 1024
    result = read_import(path, filename=path.name)
    per_product = consumption_per_product(result, date(2026, 11, 1))
    assert per_product.rows() == [("Bürosoftware", 1, 1), ("Visio", 4000, 4000)]


def test_windows_1252_file_on_disk_is_transcoded_to_a_temporary_copy(tmp_path):
    path = tmp_path / "lizenzen.csv"
    path.write_bytes(ENTITLEMENTS_DE.encode("cp1252"))
    result = read_import(path, filename=path.name)
    copy = result.keep.name
    assert result.frame["currency"].to_list() == ["EUR", None]
    assert result.columns["unit_price"] == "Einzelpreis"
    del result
    gc.collect()
    assert not Path(copy).exists()


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused(tmp_path):
    rows = "".join(f"Visio,PC-{i:05d},2026-10-01\n" for i in range(4000)).encode()
    path = tmp_path / "c.csv"
    path.write_bytes(b"product,device_or_user,last_used\n" + rows + b"Visio,PC-\x81,2026-10-01\n")
    problem = refused(path.read_bytes()).problems[0]
    assert (problem.row, problem.column) == (4002, "device_or_user")
    assert "not text in the file's encoding (windows-1252)" in problem.reason
    with pytest.raises(ImportRefused) as info:
        read_import(path, filename=path.name)
    assert (info.value.problems[0].row, info.value.problems[0].column) == (4002, "device_or_user")


def test_file_on_disk_with_bom_quoted_line_breaks_and_problems(tmp_path):
    path = tmp_path / "lizenzen.csv"
    data = (
        "\ufeffName,Seats,Licenses available,Purchase Cost\n"
        '"Adobe Acrobat\nPro DC",25,5,"$1,079.66"\n'
        "Visio,zehn,10,79.66\n"
        '"Project\r\nPlan 3",3,4,1\n'
    )
    path.write_text(data, encoding="utf-8")
    error = refused(path.read_bytes())
    with pytest.raises(ImportRefused) as info:
        read_import(path, filename=path.name)
    found = [(p.row, p.column, p.value) for p in info.value.problems]
    assert found == [(3, "Seats", "zehn"), (4, "Licenses available", "4")]
    assert found == [(p.row, p.column, p.value) for p in error.problems]
    path.write_text(data.replace("zehn", "10").replace(",3,4,", ",3,2,"), encoding="utf-8")
    frame = read_import(path, filename=path.name).frame
    assert frame["product"].to_list() == ["Adobe Acrobat\nPro DC", "Visio", "Project\r\nPlan 3"]


def test_consumption_counts_alike_from_the_digest_the_frame_and_in_several_passes():
    rows = [
        ("Visio", "u1", "2026-11-01"),
        ("Visio", "u1", "2026-01-01"),  # u1 twice: counts once, as used
        ("Visio", "u2", "2026-01-01"),
        ("visio", "u3", ""),
        ("Teams", "u1", ""),
    ]
    data = "product,device_or_user,last_used\n" + "".join(",".join(r) + "\n" for r in rows)
    result = read_import(data.encode(), filename="c.csv")
    day = date(2026, 11, 20)
    expected = [("Teams", 1, 0), ("Visio", 2, 1), ("visio", 1, 0)]
    assert consumption_per_product(result, day).rows() == expected
    assert consumption_per_product(result.frame, day).rows() == expected
    assert consumption_per_product(result.lazy, day, passes=4).rows() == expected


# --- large files: checked once, counted in shares ----------------------------------------------


@pytest.fixture
def shares(monkeypatch, tmp_path):
    """Count in shares of at most two rows; temporary files go to a folder the test can see."""
    monkeypatch.setattr("vitrine.figures.importers.base.ROWS_PER_PASS", 2)
    folder = tmp_path / "temporary"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    return folder


def test_large_consumption_counted_in_shares_alike_and_leaves_no_files(shares):
    # u0 last used Visio in June, u1 in July, …, u6 in December: u3 to u6 within 90 days.
    rows = [("Visio", f"u{n % 7}", f"2026-{n % 7 + 6:02d}-01") for n in range(40)]
    rows += [("Teams", "u1", ""), ("visio", "anna.berger@example.de", "2026-11-01")]
    data = "product,device_or_user,last_used\n" + "".join(",".join(r) + "\n" for r in rows)
    written = []
    original = pl.LazyFrame.sink_ipc

    def spy(frame, path, **kwargs):
        written.append(path)
        return original(frame, path, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pl.LazyFrame, "sink_ipc", spy)
        result = read_import(data.encode(), filename="c.csv")
    day = date(2026, 11, 20)
    assert written, "the file was not counted in shares"
    assert consumption_per_product(result, day).equals(consumption_per_product(result.frame, day))
    assert consumption_per_product(result, day).rows() == [
        ("Teams", 1, 0),
        ("Visio", 7, 4),
        ("visio", 1, 1),
    ]
    assert "anna" not in str(result.digest.to_dicts())
    assert list(shares.iterdir()) == []


def test_large_m365_report_counted_in_shares_alike_and_leaves_no_files(shares):
    result = read_import((M365_HEADER + M365_ROWS).encode(), filename="m365.csv")
    assert result.row_count == 6 and result.figure_date == date(2026, 11, 20)
    assert m365_inactivity(result).equals(m365_inactivity(result.frame))
    assert list(shares.iterdir()) == []


def test_large_file_with_problems_refused_and_leaves_no_files(shares):
    data = "product,device_or_user,last_used\n" + "Visio,u1,2026-01-01\n" * 5
    data += "Visio,u2,not a date\n,u3,2026-01-01\n"
    error = refused(data.encode())
    assert [(p.row, p.column) for p in error.problems] == [(7, "last_used"), (8, "product")]
    assert list(shares.iterdir()) == []


def test_rows_of_blanks_are_skipped_and_a_row_starting_blank_is_still_checked():
    rows = M365_ROWS.splitlines()
    data = M365_HEADER + rows[0] + "\n" + " ,\t, ,,,,,,,,\n" + rows[1] + "\n"
    result = read_import(data.encode(), filename="m365.csv")
    assert result.row_count == 2
    # The refresh date is blank, yet the row holds more: it is read, and refused by row.
    error = refused((M365_HEADER + " " + rows[1][10:] + "\n").encode(), filename="m365.csv")
    assert [problem.row for problem in error.problems] == [2]
