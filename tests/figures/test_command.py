"""`import_figures`: summary on success, every problem and a non-zero exit on refusal."""

import io

import pytest
from django.core.management import CommandError, call_command

from vitrine.figures.models import ImportRun, Snapshot

pytestmark = pytest.mark.django_db

ENTITLEMENTS = (
    "product,vendor,metric,quantity,unit_price,currency,start_date,end_date\n"
    "Visio Plan 2,Microsoft,subscription,10,120.00,EUR,2026-01-01,2026-12-31\n"
)


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_figures", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_progress_and_summary_table(tmp_path):
    path = tmp_path / "lizenzen.csv"
    path.write_text(ENTITLEMENTS)
    out, _err = run(str(path), "--date", "2026-11-01")
    assert "Reading lizenzen.csv" in out
    table = [line.split() for line in out.splitlines()]
    assert ["Series", "Date", "Previous", "Value", "Change", "Unit"] in table
    assert ["entitled.visio-plan-2", "2026-11-01", "–", "10", "–", "seats"] in table
    assert ["renewals.next_four_quarters", "2026-11-01", "–", "1200", "–", "EUR"] in table
    assert "Imported 1 rows as entitlements" in out
    assert Snapshot.objects.get(series__key="entitled.visio-plan-2").value == 10


def test_dry_run_stores_nothing(tmp_path):
    path = tmp_path / "lizenzen.csv"
    path.write_text(ENTITLEMENTS)
    out, _err = run(str(path), "--dry-run", "--format", "entitlements")
    assert "Dry run" in out and "entitled.visio-plan-2" in out
    assert not ImportRun.objects.exists() and not Snapshot.objects.exists()


def test_refusal_lists_every_problem_and_exits_non_zero(tmp_path):
    path = tmp_path / "kaputt.csv"
    path.write_text(ENTITLEMENTS.replace(",10,", ",zehn,").replace("2026-12-31", "31.13.2026"))
    with pytest.raises(SystemExit) as exit_info:
        run(str(path))
    assert exit_info.value.code == 2
    assert ImportRun.objects.get().status == ImportRun.Status.REFUSED
    assert not Snapshot.objects.exists()


def test_refusal_output(tmp_path):
    path = tmp_path / "kaputt.csv"
    path.write_text(ENTITLEMENTS.replace(",10,", ",zehn,").replace("2026-12-31", "31.13.2026"))
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_figures", str(path), stdout=io.StringIO(), stderr=err)
    text = err.getvalue()
    assert "2 problems" in text
    assert "row 2, column quantity, value 'zehn'" in text
    assert "row 2, column end_date, value '31.13.2026'" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "01.11.2026"], "--date: “01.11.2026” is not a date"),
        (["--format", "excel"], "--format: unknown format “excel”"),
    ],
)
def test_bad_options(tmp_path, args, message):
    path = tmp_path / "lizenzen.csv"
    path.write_text(ENTITLEMENTS)
    with pytest.raises(CommandError, match=message):
        run(str(path), *args)
    assert not ImportRun.objects.exists()


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        run(str(tmp_path / "fehlt.csv"))
