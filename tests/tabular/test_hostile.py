"""Hostile files at both entry points, each read in a fresh Python process that measures its
own peak memory (VmHWM) against its idle size after start-up, and its own wall time.

The bound of issue 10: no file makes an import use more than 256 MB above the idle process or
10 s before it is refused (or read, bounded).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from . import files

ROOT = Path(__file__).resolve().parent.parent.parent
MAX_GROWTH_KB = 256 * 1024
MAX_SECONDS = 10.0

# The child: Django set up and both entry points imported before the idle size is taken.
# The catalog's writing step (database) is replaced by a recorder: reading is what is measured.
RUNNER = r"""
import json, os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "vitrine.settings"
import django
django.setup()
from pathlib import Path
import polars
from vitrine.catalog import services
from vitrine.catalog.services import CatalogImportRefused, catalog_import_file
from vitrine.figures.importers import ImportRefused, read_import

def hwm():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

read = {}
def record(*, table, dry_run=False):
    read["rows"] = len(table.rows)
services.catalog_import_table = record
entry, path = sys.argv[1], Path(sys.argv[2])
idle = hwm()
start = time.monotonic()
outcome, message = "read", ""
try:
    if entry == "catalog":
        catalog_import_file(path=path, dry_run=True)
    else:
        imported = read_import(path, filename=path.name)
        read["rows"] = imported.row_count
except CatalogImportRefused as refused:
    outcome, message = "refused", str(refused.problems[0])
except ImportRefused as refused:
    outcome, message = "refused", str(refused.problems[0].reason)
seconds = time.monotonic() - start
print(json.dumps({"idle": idle, "peak": hwm(), "seconds": seconds, "outcome": outcome,
                  "message": message, "rows": read.get("rows")}))
"""


def measure(entry: str, path: Path) -> dict:
    environment = {
        **os.environ,
        "SECRET_KEY": "x",
        "PYTHONPATH": str(ROOT),
        "LANGUAGE_CODE": "en",
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", RUNNER, entry, str(path)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    growth = result["peak"] - result["idle"]
    assert growth < MAX_GROWTH_KB, f"{entry}: {growth / 1024:.0f} MB above idle: {result}"
    assert result["seconds"] < MAX_SECONDS, f"{entry}: {result}"
    return result


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile")


@pytest.mark.parametrize("entry", ["catalog", "figures"])
def test_one_cell_at_xfd1048576_is_refused_without_allocating_the_range(folder, entry):
    path = folder / "xfd.xlsx"
    path.write_bytes(files.far_cell_workbook("XFD1048576"))
    assert path.stat().st_size < 4096
    result = measure(entry, path)
    assert result["outcome"] == "refused"
    assert "XFD1048576" in result["message"]


@pytest.mark.parametrize("entry", ["catalog", "figures"])
def test_one_cell_at_az1048576_is_read_as_one_row(folder, entry):
    path = folder / "az.xlsx"
    path.write_bytes(files.far_cell_workbook("AZ1048576"))
    result = measure(entry, path)
    if entry == "catalog":
        # Read (not the catalog's columns, which validation refuses later): one row only.
        assert (result["outcome"], result["rows"]) == ("read", 1)
    else:
        assert result["outcome"] == "refused"  # no known format has a "product" column only


@pytest.mark.parametrize("entry", ["catalog", "figures"])
def test_zip_bomb_lying_about_its_sizes_is_refused(folder, entry):
    path = folder / "bomb.xlsx"
    if not path.exists():
        files.lying_bomb(path)
    assert path.stat().st_size < 5 * 1024 * 1024
    result = measure(entry, path)
    assert result["outcome"] == "refused"
    assert "921,600 bytes its archive declares" in result["message"]


@pytest.fixture(scope="module")
def million_products_csv(folder):
    path = folder / "million.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("product,device_or_user,last_used\n")
        for start in range(0, 1_048_577, 10_000):
            stop = min(start + 10_000, 1_048_577)
            out.write("".join(f"Product {n},PC-{n:07d},2026-10-01\n" for n in range(start, stop)))
    return path


def test_csv_of_a_million_rows_and_products_is_refused_by_the_figures(million_products_csv):
    result = measure("figures", million_products_csv)
    assert result["outcome"] == "refused"
    assert "more than 5000 products" in result["message"]
    assert "IMPORT_MAX_PRODUCTS" in result["message"]


def test_csv_of_a_million_rows_is_refused_by_the_catalog(million_products_csv):
    result = measure("catalog", million_products_csv)
    assert result["outcome"] == "refused"
    assert "files up to" in result["message"]


@pytest.fixture(scope="module")
def million_rows_xlsx(folder):
    return files.many_rows_workbook(folder / "million.xlsx", 1_048_577)


@pytest.mark.parametrize("entry", ["catalog", "figures"])
def test_xlsx_of_more_than_a_million_rows_is_refused(million_rows_xlsx, entry):
    result = measure(entry, million_rows_xlsx)
    assert result["outcome"] == "refused"
    if entry == "figures":
        assert "IMPORT_XLSX_SECONDS" in result["message"]
    else:
        assert "files up to" in result["message"]  # the catalog's 5 MB bound comes first


M365_HEADER = (
    "Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,"
    "Has Exchange License,Has OneDrive License,Has SharePoint License,"
    "Has Skype For Business License,Has Yammer License,Has Teams License,"
    "Exchange Last Activity Date,OneDrive Last Activity Date,SharePoint Last Activity Date,"
    "Skype For Business Last Activity Date,Yammer Last Activity Date,Teams Last Activity Date,"
    "Exchange License Assign Date,OneDrive License Assign Date,SharePoint License Assign Date,"
    "Skype For Business License Assign Date,Yammer License Assign Date,"
    "Teams License Assign Date,Assigned Products\n"
)


@pytest.fixture(scope="module")
def products_in_one_cell_csv(folder):
    """A Microsoft 365 report of 40,000 accounts, each listing 50 products no other lists."""
    path = folder / "m365-products.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(M365_HEADER)
        for n in range(40_000):
            products = "+".join(f"PRODUCT {n}-{k} PLAN" for k in range(50))
            out.write(
                f"2026-06-30,u{n}@example.org,User {n},False,,True,True,True,False,False,True,"
                f"2026-06-01,,,,,2026-06-02,2025-01-01,2025-01-01,2025-01-01,,,2025-01-01,"
                f"{products}\n"
            )
    return path


def test_report_listing_millions_of_products_in_its_cells_is_refused_early(
    products_in_one_cell_csv,
):
    result = measure("figures", products_in_one_cell_csv)
    assert result["outcome"] == "refused"
    assert "more than 5000 products" in result["message"]
