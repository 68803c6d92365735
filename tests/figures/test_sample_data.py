"""make_sample_data: its five files import as their formats; bad options are refused."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from vitrine.figures.importers import consumption_per_product, m365_inactivity, read_import

AS_OF = date(2026, 11, 20)
FILES = {
    "lizenzbestand.csv": "entitlements",
    "nutzung.csv": "consumption",
    "snipeit-licenses.csv": "snipeit",
    "m365-active-user-detail.csv": "m365",
    "softwareanfragen.csv": "requests_log",
}


def make(out: Path, **options) -> str:
    stdout = io.StringIO()
    options = {"employees": 50, "date": AS_OF.isoformat(), **options}
    call_command("make_sample_data", out=str(out), stdout=stdout, **options)
    return stdout.getvalue()


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    make(out)
    return out


def imported(directory: Path, name: str):
    path = directory / name
    return read_import(path, filename=name)


def test_every_file_imports_as_its_format(sample):
    assert sorted(p.name for p in sample.iterdir()) == sorted(FILES)
    for name, fmt in FILES.items():
        frame = imported(sample, name)
        assert frame.format == fmt, name
        assert frame.row_count > 0, name


def test_entitlements_mix_over_and_under_licensing(sample):
    raw = (sample / "lizenzbestand.csv").read_bytes()
    header = raw.split(b"\r\n")[0].decode("cp1252")
    assert header == (
        "Produkt;Hersteller;Lizenzmetrik;Menge;Einzelpreis;Währung;Beginn;Ende;Kostenstelle"
    )
    entitlements = imported(sample, "lizenzbestand.csv").frame
    products = entitlements["product"].unique()
    assert 20 <= products.len() <= 40
    assert {"Microsoft 365 E3", "SAP GUI (Konzernvertrag)", "AutoCAD"} <= set(products)
    assert set(entitlements["currency"]) == {"EUR"}
    ends = entitlements["end_date"]
    assert ends.min() > AS_OF and ends.max() <= AS_OF + timedelta(days=365)
    # Renewals fall into at least three of the next four quarters.
    assert len({(d - AS_OF).days // 92 for d in ends}) >= 3

    entitled = entitlements.group_by("product").agg(pl.col("quantity").sum())
    consumption = imported(sample, "nutzung.csv").frame
    used = consumption_per_product(consumption, AS_OF)
    both = entitled.join(used, on="product")
    assert (both["quantity"] > both["total"]).any()  # over-licensed
    assert (both["quantity"] < both["total"]).any()  # under-licensed
    assert (used["used_90_days"] < used["total"]).any()  # shelfware


def test_consumption_identifiers_look_like_users_and_devices(sample):
    lines = (sample / "nutzung.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Produkt;Gerät/Benutzer;Zuletzt genutzt"
    subjects = {line.split(";")[1] for line in lines[1:]}
    assert any(re.fullmatch(r"[a-z]\.[a-z]+\d*", s) for s in subjects)
    assert any(re.fullmatch(r"(PC|NB)-[A-Z]{3}-\d{5}", s) for s in subjects)


def test_m365_report_has_every_inactivity_bucket(tmp_path):
    # 50 people may leave a bucket empty; a few hundred fill every one.
    make(tmp_path, employees=400)
    header = (tmp_path / "m365-active-user-detail.csv").read_text(encoding="utf-8-sig")
    assert header.startswith("Report Refresh Date,User Principal Name,Display Name,Is Deleted,")
    report = imported(tmp_path, "m365-active-user-detail.csv")
    assert report.figure_date == AS_OF
    totals = m365_inactivity(report.frame).select(pl.exclude("product").sum()).row(0, named=True)
    for bucket in ("within_first", "within_second", "within_third", "over_third", "never_active"):
        assert totals[bucket] > 0, bucket
    assert report.frame["is_deleted"].any()


def test_request_log_has_stage_times_and_open_requests(sample):
    log = imported(sample, "softwareanfragen.csv").frame
    assert log["request_id"].n_unique() == log.height
    first = log["requested_at"].min()
    assert AS_OF - timedelta(days=366) <= first.date() < AS_OF - timedelta(days=300)
    done = log.filter(pl.col("provisioned_at").is_not_null())
    hours = (done["provisioned_at"] - done["requested_at"]).dt.total_hours()
    assert 4 <= hours.median() <= 24 * 14
    assert hours.max() > 3 * hours.median()  # a long tail
    still_open = log.filter(pl.col("provisioned_at").is_null())
    assert still_open.height > 0
    assert set(still_open["state"]) - {"Abgelehnt"}


def test_same_seed_gives_identical_files_and_another_seed_does_not(tmp_path, sample):
    make(tmp_path / "again")
    make(tmp_path / "other", seed=2)
    for name in FILES:
        assert (tmp_path / "again" / name).read_bytes() == (sample / name).read_bytes(), name
    assert (tmp_path / "other" / "nutzung.csv").read_bytes() != (
        sample / "nutzung.csv"
    ).read_bytes()


def test_concealed_names_import_and_name_nobody(tmp_path, sample):
    make(tmp_path, conceal_names=True)
    text = (tmp_path / "m365-active-user-detail.csv").read_text(encoding="utf-8-sig")
    assert "@" not in text
    row = text.splitlines()[1].split(",")
    assert re.fullmatch(r"[0-9A-F]{32}", row[1]) and re.fullmatch(r"[0-9A-F]{32}", row[2])
    report = imported(tmp_path, "m365-active-user-detail.csv")
    plain = imported(sample, "m365-active-user-detail.csv")
    assert report.format == "m365"
    assert m365_inactivity(report.frame).equals(m365_inactivity(plain.frame))


def test_row_counts_can_be_forced_for_benchmarks(tmp_path):
    output = make(tmp_path, employees=10, rows_m365=123, rows_consumption=457)
    assert imported(tmp_path, "m365-active-user-detail.csv").row_count == 123
    consumption = imported(tmp_path, "nutzung.csv")
    assert consumption.row_count == 457
    assert re.search(r"consumption\s+457 rows", output)


def test_only_writes_the_named_formats_identically(tmp_path, sample):
    output = make(tmp_path, only=["m365", "snipeit"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "m365-active-user-detail.csv",
        "snipeit-licenses.csv",
    ]
    # Snipe-IT's checked-out seats follow the consumption file, written or not.
    for name in ("m365-active-user-detail.csv", "snipeit-licenses.csv"):
        assert (tmp_path / name).read_bytes() == (sample / name).read_bytes(), name
    assert "2 sample files written" in output


def test_a_report_has_one_row_per_account(tmp_path):
    make(tmp_path, employees=3000, only=["m365"])
    report = pl.read_csv(tmp_path / "m365-active-user-detail.csv", infer_schema=False)
    assert report.height > 3000  # the employees and some service accounts
    assert report["User Principal Name"].n_unique() == report.height


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"only": ["m365", "nonsense"]}, "--only must name one of entitlements, consumption"),
        ({"employees": -5}, "--employees must be a positive whole number"),
        ({"employees": 0}, "--employees must be a positive whole number"),
        ({"rows_m365": -1}, "--rows-m365 must be a positive whole number"),
        ({"date": "2026-13-45"}, "--date must be a date written YYYY-MM-DD"),
        ({"date": "31.12.2026"}, "--date must be a date written YYYY-MM-DD"),
    ],
)
def test_bad_options_are_refused_clearly(tmp_path, options, message):
    with pytest.raises(CommandError, match=message):
        make(tmp_path / "out", **options)
    assert not (tmp_path / "out").exists()


def test_unwritable_out_is_refused(tmp_path):
    blocker = tmp_path / "a-file.txt"
    blocker.write_text("x")
    with pytest.raises(CommandError, match="is a file, not a directory"):
        make(blocker)
    with pytest.raises(CommandError, match="cannot be written to"):
        make(blocker / "below")
    assert blocker.read_text() == "x"
