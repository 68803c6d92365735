"""The import_catalog command: summary on success, every problem and exit code 1 on refusal."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from vitrine.catalog.models import CatalogEntry

from .conftest import ROWS, csv_bytes, xlsx_file

pytestmark = pytest.mark.django_db


def test_import_and_reimport(tmp_path, capsys):
    path = tmp_path / "katalog.csv"
    path.write_bytes(csv_bytes(ROWS))
    call_command("import_catalog", str(path))
    assert "4 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    call_command("import_catalog", str(path))
    assert "0 created, 0 updated, 4 unchanged" in capsys.readouterr().out
    assert CatalogEntry.objects.count() == 4


def test_dry_run_and_sheet(tmp_path, capsys):
    path = tmp_path / "katalog.xlsx"
    xlsx_file(path, ROWS, sheet="Software", extra_sheets=["Hinweise"])
    call_command("import_catalog", str(path), "--sheet", "Software", "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run" in out and "4 created" in out
    assert CatalogEntry.objects.count() == 0


def test_refusal_prints_every_problem_and_exits_with_1(tmp_path, capsys):
    rows = [list(row) for row in ROWS]
    rows[0][6] = "teuer"
    rows[3][4] = "vielleicht"
    path = tmp_path / "katalog.csv"
    path.write_bytes(csv_bytes(rows))
    with pytest.raises(CommandError) as info:
        call_command("import_catalog", str(path))
    # manage.py exits with the CommandError's return code.
    assert info.value.returncode == 1
    assert "2 problem(s)" in str(info.value)
    err = capsys.readouterr().err
    assert "Row 2, column Kostenklasse (G): “teuer”" in err
    assert "Row 5, column Bezug (E): “vielleicht”" in err
    assert CatalogEntry.objects.count() == 0


def test_missing_file_exits_with_1(tmp_path, capsys):
    with pytest.raises(CommandError) as info:
        call_command("import_catalog", str(tmp_path / "fehlt.csv"))
    assert info.value.returncode == 1
    assert "cannot be opened" in capsys.readouterr().err


def test_exit_code_from_the_command_line(tmp_path):
    """A real manage.py run: refusals end with exit code 1, before touching the database."""
    path = tmp_path / "leer.csv"
    path.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_catalog", str(path)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LANGUAGE_CODE": "en"},
    )
    assert result.returncode == 1
    assert "empty" in result.stderr
