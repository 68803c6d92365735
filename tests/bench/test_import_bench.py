"""Import speed and memory on a realistic Microsoft 365 report, against DuckDB as the floor.

The file is an active-user report with one row per account, as Microsoft 365 writes it:
BENCH_ROWS (default 1,000,000) distinct accounts, made by `make_sample_data --employees N
--rows-m365 N --only m365`. The larger file of BENCH_ROWS_LARGE rows (default 10,000,000) is
that report repeated with the accounts renamed per copy, so that every row is still a
distinct account (generating it row by row would take most of an hour).

Goals, all measured in the same run, taking turns so that both meet the same machine load:
- the import (parse, validate, aggregate, store) at most twice DuckDB's time for the same
  per-product counts of the same file, with identical results;
- the whole `import_figures` command at most twice DuckDB's time plus Django's start-up
  (the wall time of `manage.py import_figures --help`);
- peak memory under 1 GiB at both sizes.

Every job runs under `measure.py`, which reports the job's own peak memory (see there: a
child's ru_maxrss would carry the pytest process's size). The sample files and a migrated
database are kept under var/bench/, keyed by their parameters.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from .conftest import record

ROOT = Path(__file__).resolve().parents[2]
MEASURE = Path(__file__).resolve().with_name("measure.py")
CACHE = ROOT / "var" / "bench"
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
ROWS_LARGE = int(os.environ.get("BENCH_ROWS_LARGE", "10000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))  # the best of this many runs counts
AS_OF = "2026-06-30"
SEED = 1
MAX_RATIO = 2.0
MAX_PEAK_MIB = 1024
FILENAME = "m365-active-user-detail.csv"

# The import as `import_figures` and the admin run it. It prints the seconds
# `figures_import` took and the counts per product it stored.
IMPORT = """
import json, sys, time
from datetime import date
from pathlib import Path
import django
django.setup()
from vitrine.figures.services import figures_import
path, day = Path(sys.argv[1]), date.fromisoformat(sys.argv[2])
started = time.perf_counter()
run = figures_import(source=path, filename=path.name, date=day)
seconds = time.perf_counter() - started
assert run.status == "succeeded", run.outcome.problems[:3]
names = ("accounts", "within_first", "within_second", "within_third", "over_third",
         "never_active")
figures = {
    value.product: [value.extra[name] for name in names]
    for value in run.outcome.written
    if value.key.startswith("cloud_inactivity.") and value.product
}
print(json.dumps({"seconds": seconds, "rows": run.row_count, "figures": figures}))
"""

# The same counts in DuckDB: per assigned product (split at "+"), deleted accounts left out,
# an account counted once with its latest activity: accounts by days since then, and
# never-active accounts. Accounts are grouped first, then split into their products, which
# is the fastest of the equivalent queries tried.
WORKLOADS = ("Exchange", "OneDrive", "SharePoint", "Skype For Business", "Yammer", "Teams")
LATEST = ", ".join(f'TRY_CAST("{w} Last Activity Date" AS DATE)' for w in WORKLOADS)
DUCKDB_SQL = f"""
    WITH report AS (
        SELECT hash("User Principal Name") AS account,
               TRY_CAST("Report Refresh Date" AS DATE) - greatest({LATEST}) AS days,
               "Assigned Products" AS products
        FROM read_csv($path, delim = ',', header = true, encoding = 'utf-8',
                      all_varchar = true)
        WHERE NOT coalesce(TRY_CAST("Is Deleted" AS BOOLEAN), false)
    ), per_account AS (
        SELECT account, min(days) AS days, string_agg(products, '+') AS products
        FROM report GROUP BY account
    ), per_product AS (
        SELECT DISTINCT account, days, trim(product) AS product
        FROM per_account, unnest(string_split(products, '+')) AS assigned(product)
        WHERE trim(product) <> ''
    )
    SELECT product, count(*),
           count(*) FILTER (days <= 30),
           count(*) FILTER (days > 30 AND days <= 60),
           count(*) FILTER (days > 60 AND days <= 90),
           count(*) FILTER (days > 90),
           count(*) FILTER (days IS NULL)
    FROM per_product GROUP BY product ORDER BY product
"""
DUCKDB = """
import json, sys, time
import duckdb
sql, path = sys.argv[1], sys.argv[2]
connection = duckdb.connect()
connection.execute("SET enable_progress_bar = false")
connection.execute("SET preserve_insertion_order = false")
started = time.perf_counter()
rows = connection.execute(sql, {"path": path}).fetchall()
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "figures": {row[0]: list(row[1:]) for row in rows}}))
"""


@dataclass(frozen=True)
class Job:
    seconds: float  # the work's own seconds, as the job reports them
    wall: float  # the whole job, start-up included
    peak_mib: float
    output: dict


def _job(command: list[str], env: dict[str, str] | None = None) -> Job:
    """Run `command` under the launcher; its report and its last line of JSON output."""
    with tempfile.TemporaryDirectory(prefix="vitrine-bench-") as folder:
        report = Path(folder) / "report.json"
        result = subprocess.run(
            [sys.executable, str(MEASURE), "--report", str(report), "--", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        measured = json.loads(report.read_text())
    lines = result.stdout.strip().splitlines()
    output = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return Job(
        seconds=output.get("seconds", measured["seconds"]),
        wall=measured["seconds"],
        peak_mib=measured["peak_mib"],
        output=output,
    )


def _best(jobs: list[Job]) -> Job:
    """The fastest run's times and output, and the highest peak memory of all runs."""
    best = min(jobs, key=lambda job: job.seconds)
    return Job(best.seconds, best.wall, max(job.peak_mib for job in jobs), best.output)


def _generated(accounts: int) -> Path:
    folder = CACHE / f"m365-a{accounts}-s{SEED}-d{AS_OF}"
    if (folder / FILENAME).exists():
        return folder / FILENAME
    partial = CACHE / f"partial-{folder.name}"
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "make_sample_data",
            f"--employees={accounts}",
            f"--rows-m365={accounts}",
            "--only=m365",
            f"--seed={SEED}",
            f"--date={AS_OF}",
            f"--out={partial}",
        ],
        cwd=ROOT,
        env=os.environ | {"SECRET_KEY": "bench-only", "LOG_LEVEL": "ERROR"},
        check=True,
        capture_output=True,
    )
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    print(f"\ngenerated {accounts:,} accounts in {time.perf_counter() - started:.0f} s")
    return folder / FILENAME


def _sample(rows: int) -> Path:
    """The report with `rows` distinct accounts; large ones repeat the BENCH_ROWS report."""
    if rows <= ROWS:
        return _generated(rows)
    folder = CACHE / f"m365-a{rows}-from{ROWS}-s{SEED}-d{AS_OF}"
    if (folder / FILENAME).exists():
        return folder / FILENAME
    base = pl.scan_csv(_generated(ROWS), infer_schema=False, encoding="utf8")
    upn = "User Principal Name"
    copies = [
        base.with_columns(pl.col(upn).str.replace("@", f".c{copy}@", literal=True))
        for copy in range(math.ceil(rows / ROWS))
    ]
    partial = CACHE / f"partial-{folder.name}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    pl.concat(copies).head(rows).sink_csv(
        partial / FILENAME, include_bom=True, line_terminator="\r\n"
    )
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return folder / FILENAME


@pytest.fixture(scope="module")
def import_env() -> dict[str, str]:
    """Settings for the import jobs: a migrated database, kept keyed by the migrations."""
    migrations = sorted(ROOT.glob("vitrine/*/migrations/*.py"))
    key = hashlib.sha256(b"".join(path.read_bytes() for path in migrations)).hexdigest()[:16]
    folder = CACHE / f"db-{key}"
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "vitrine.settings",
        "VAR_DIR": str(folder),
        "SECRET_KEY": "bench-only-secret-key-bench-only-secret-key-bench-only",
        "DATABASE_URL": f"sqlite:///{folder / 'template.sqlite3'}",
        "LOG_LEVEL": "ERROR",
    }
    if not (folder / "template.sqlite3").exists():
        partial = CACHE / f"partial-db-{key}"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "--verbosity=0"],
            cwd=ROOT,
            env=env
            | {
                "VAR_DIR": str(partial),
                "DATABASE_URL": f"sqlite:///{partial / 'template.sqlite3'}",
            },
            check=True,
            capture_output=True,
        )
        partial.rename(folder)
    return env


class Bench:
    """Our import, the whole command and DuckDB on one file, taking turns."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.template = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))

    def _fresh(self, name: str) -> tuple[dict[str, str], Path]:
        # Every import starts from the same freshly migrated database.
        database = self.template.with_name(f"{name}.sqlite3")
        shutil.copyfile(self.template, database)
        return self.env | {"DATABASE_URL": f"sqlite:///{database}"}, database

    def ours(self, path: Path) -> Job:
        env, database = self._fresh("import")
        try:
            return _job([sys.executable, "-c", IMPORT, str(path), AS_OF], env)
        finally:
            database.unlink()

    def command(self, path: Path) -> Job:
        env, database = self._fresh("command")
        try:
            return _job(
                [sys.executable, "manage.py", "import_figures", str(path), f"--date={AS_OF}"],
                env,
            )
        finally:
            database.unlink()

    def start_up(self) -> Job:
        return _job([sys.executable, "manage.py", "import_figures", "--help"], self.env)

    def duckdb(self, path: Path) -> Job:
        return _job([sys.executable, "-c", DUCKDB, DUCKDB_SQL, str(path)])


@pytest.fixture(scope="module")
def bench(import_env) -> Bench:
    return Bench(import_env)


def _mib(value: float) -> str:
    return f"{value:,.0f} MiB"


@pytest.mark.parametrize("rows", [ROWS, ROWS_LARGE], ids=["rows", "rows_large"])
def test_import_against_duckdb(bench, rows):
    path = _sample(rows)
    repeat = REPEAT if rows <= ROWS else 1
    ours, duck = [], []
    for _ in range(repeat):
        ours.append(bench.ours(path))
        duck.append(bench.duckdb(path))
    ours_best, duck_best = _best(ours), _best(duck)
    ratio = ours_best.seconds / duck_best.seconds
    label = f"{rows:,} accounts"
    record(
        f"import, {label}",
        f"{ours_best.seconds:.2f} s",
        f"DuckDB {duck_best.seconds:.2f} s",
        f"{ratio:.2f}×",
        f"≤ {MAX_RATIO:.0f}×",
        ratio <= MAX_RATIO,
    )
    record(
        f"peak memory of the import, {label}",
        _mib(ours_best.peak_mib),
        f"DuckDB {_mib(duck_best.peak_mib)}",
        f"{ours_best.peak_mib / duck_best.peak_mib:.2f}×",
        f"< {_mib(MAX_PEAK_MIB)}",
        ours_best.peak_mib < MAX_PEAK_MIB,
    )
    assert ours_best.output["rows"] == rows
    # The same counts, or the comparison means nothing.
    assert ours_best.output["figures"] == duck_best.output["figures"]
    assert ratio <= MAX_RATIO, f"the import took {ratio:.2f}× DuckDB's time"
    assert ours_best.peak_mib < MAX_PEAK_MIB, f"peak memory {ours_best.peak_mib:.0f} MiB"


def test_command_against_duckdb_and_start_up(bench):
    path = _sample(ROWS)
    commands, duck, start = [], [], []
    for _ in range(REPEAT):
        commands.append(bench.command(path))
        duck.append(bench.duckdb(path))
        start.append(bench.start_up())
    command, duck_best = _best(commands), _best(duck)
    start_up = min(job.wall for job in start)
    allowed = MAX_RATIO * duck_best.seconds + start_up
    ratio = (command.wall - start_up) / duck_best.seconds
    record(
        f"import_figures command, {ROWS:,} accounts",
        f"{command.wall:.2f} s",
        f"DuckDB {duck_best.seconds:.2f} s + start-up {start_up:.2f} s",
        f"{ratio:.2f}×",
        f"≤ {MAX_RATIO:.0f}× + start-up",
        command.wall <= allowed,
    )
    record(
        f"peak memory of the command, {ROWS:,} accounts",
        _mib(command.peak_mib),
        f"start-up {_mib(min(job.peak_mib for job in start))}",
        "",
        f"< {_mib(MAX_PEAK_MIB)}",
        command.peak_mib < MAX_PEAK_MIB,
    )
    assert command.wall <= allowed, (
        f"the command took {command.wall:.2f} s, {allowed:.2f} s allowed"
    )
    assert command.peak_mib < MAX_PEAK_MIB
