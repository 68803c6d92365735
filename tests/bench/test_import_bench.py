"""Import speed and memory: the whole import against DuckDB computing the same aggregates.

For a Microsoft 365 report and a consumption export of BENCH_ROWS rows (default 1,000,000)
made by `make_sample_data`, the whole import (parse, validate, aggregate, store snapshots)
may take at most twice as long as DuckDB takes for the same aggregates of the same file,
with a peak memory under 1 GiB. Files of BENCH_ROWS_LARGE rows (default 10,000,000) must
import in about the same memory. Every import and every DuckDB query runs in a process of its
own, so that the peak memory (ru_maxrss) printed is that of the one job.

The sample files are generated once and kept under var/bench/, keyed by their parameters.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "var" / "bench"
ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
ROWS_LARGE = int(os.environ.get("BENCH_ROWS_LARGE", "10000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))  # the best of this many runs counts
AS_OF = "2026-06-30"
EMPLOYEES = 1000
SEED = 1
MAX_RATIO = 2.0
MAX_RSS_MIB = 1024
MAX_GROWTH = 1.3  # peak memory for ROWS_LARGE rows against ROWS rows
FILES = {"m365": "m365-active-user-detail.csv", "consumption": "nutzung.csv"}

# The import as `import_figures` and the admin run it, in a process of its own. It prints the
# seconds `figures_import` took, the process's peak memory and the figures it stored.
IMPORT = """
import json, resource, sys, time
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
figures = {}
for value in run.outcome.written:
    if value.key.startswith("cloud_inactivity.") and value.product:
        names = ("accounts", "within_first", "within_second", "within_third", "over_third",
                 "never_active")
        figures[value.product] = [value.extra[name] for name in names]
    elif value.key.startswith("consumed."):
        figures[value.product] = [int(value.value), value.extra["used_90_days"]]
print(json.dumps({
    "seconds": seconds,
    "rows": run.row_count,
    "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "figures": figures,
}))
"""

# The same aggregates in DuckDB, read from the same file with the same delimiter and encoding.
WORKLOADS = ("Exchange", "OneDrive", "SharePoint", "Skype For Business", "Yammer", "Teams")
LATEST = ", ".join(f'TRY_CAST("{w} Last Activity Date" AS DATE)' for w in WORKLOADS)
DUCKDB_SQL = {
    # Per assigned product (split at "+"), deleted accounts left out, an account counted once
    # with its latest activity: accounts by days since then, and never-active accounts.
    "m365": f"""
        WITH report AS (
            SELECT "User Principal Name" AS account,
                   TRY_CAST("Report Refresh Date" AS DATE) - greatest({LATEST}) AS days,
                   string_split("Assigned Products", '+') AS products
            FROM read_csv($path, delim = ',', header = true, encoding = 'utf-8')
            WHERE NOT coalesce(TRY_CAST("Is Deleted" AS BOOLEAN), false)
        ), per_account AS (
            SELECT account, trim(product) AS product, min(days) AS days
            FROM report, unnest(products) AS assigned(product)
            WHERE trim(product) <> ''
            GROUP BY ALL
        )
        SELECT product, count(*),
               count(*) FILTER (days <= 30),
               count(*) FILTER (days > 30 AND days <= 60),
               count(*) FILTER (days > 60 AND days <= 90),
               count(*) FILTER (days > 90),
               count(*) FILTER (days IS NULL)
        FROM per_account GROUP BY product ORDER BY product
    """,
    # Per product: distinct users/devices, and those that used it within 90 days.
    "consumption": """
        WITH per_subject AS (
            SELECT "Produkt" AS product, "Gerät/Benutzer" AS subject,
                   max(TRY_STRPTIME("Zuletzt genutzt", '%d.%m.%Y')::DATE) AS last_used
            FROM read_csv($path, delim = ';', header = true, encoding = 'utf-8',
                          all_varchar = true)
            GROUP BY ALL
        )
        SELECT product, count(*),
               count(*) FILTER (last_used >= $as_of::DATE - INTERVAL 90 DAY)
        FROM per_subject GROUP BY product ORDER BY product
    """,
}
DUCKDB = """
import json, resource, sys, time
import duckdb
sql, path, as_of = sys.argv[1], sys.argv[2], sys.argv[3]
connection = duckdb.connect()
connection.execute("SET enable_progress_bar = false")
params = {"path": path} | ({"as_of": as_of} if "$as_of" in sql else {})
started = time.perf_counter()
rows = connection.execute(sql, params).fetchall()
seconds = time.perf_counter() - started
print(json.dumps({
    "seconds": seconds,
    "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "figures": {row[0]: list(row[1:]) for row in rows},
}))
"""


@dataclass(frozen=True)
class Measure:
    seconds: float
    rss_mib: float
    figures: dict
    rows: int = 0


def _run(script: str, *args: str, env: dict[str, str] | None = None) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _sample(rows: int) -> Path:
    """The sample files with `rows` rows of each large format, generated once and kept."""
    key = f"e{EMPLOYEES}-s{SEED}-d{AS_OF}-m{rows}-c{rows}"
    folder = CACHE / key
    if folder.is_dir():
        return folder
    partial = CACHE / f"partial-{key}"
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "make_sample_data",
            f"--employees={EMPLOYEES}",
            f"--seed={SEED}",
            f"--date={AS_OF}",
            f"--rows-m365={rows}",
            f"--rows-consumption={rows}",
            f"--out={partial}",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    partial.rename(folder)
    print(f"\ngenerated {rows:,} rows per file in {time.perf_counter() - started:.1f} s: {folder}")
    return folder


@pytest.fixture(scope="module")
def import_env() -> dict[str, str]:
    """Settings for the import processes: a migrated database of their own.

    The migrated database is kept under var/bench/, keyed by the migrations it was made with.
    """
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
        started = time.perf_counter()
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
        print(f"\nmigrated the benchmark database in {time.perf_counter() - started:.1f} s")
    return env


class Bench:
    """Measures our import and DuckDB on one file (best of REPEAT runs), each once."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.template = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
        self.done: dict[tuple[str, str, int], Measure] = {}

    def ours(self, fmt: str, rows: int, repeat: int = REPEAT) -> Measure:
        if ("ours", fmt, rows) not in self.done:
            runs = [self._import(fmt, rows, number) for number in range(repeat)]
            self.done["ours", fmt, rows] = _best(runs)
        return self.done["ours", fmt, rows]

    def compare(self, fmt: str, rows: int) -> tuple[Measure, Measure]:
        """Our import and DuckDB, taking turns so that both meet the same machine load."""
        ours, duck = [], []
        for number in range(REPEAT):
            ours.append(self._import(fmt, rows, number))
            duck.append(_run(DUCKDB, DUCKDB_SQL[fmt], str(_sample(rows) / FILES[fmt]), AS_OF))
        self.done["ours", fmt, rows] = _best(ours)
        return self.done["ours", fmt, rows], _best(duck)

    def _import(self, fmt: str, rows: int, number: int) -> dict:
        path = _sample(rows) / FILES[fmt]
        # Every import starts from the same freshly migrated database.
        database = self.template.with_name(f"{fmt}-{rows}-{number}.sqlite3")
        shutil.copyfile(self.template, database)
        try:
            return _run(
                IMPORT, str(path), AS_OF, env=self.env | {"DATABASE_URL": f"sqlite:///{database}"}
            )
        finally:
            database.unlink()


def _best(runs: list[dict]) -> Measure:
    """The fastest run's time and figures, and the highest peak memory of all runs."""
    best = min(runs, key=lambda run: run["seconds"])
    return Measure(
        seconds=best["seconds"],
        rss_mib=max(run["rss_kib"] for run in runs) / 1024,
        figures=best["figures"],
        rows=best.get("rows", 0),
    )


@pytest.fixture(scope="module")
def measure(import_env) -> Bench:
    return Bench(import_env)


@pytest.mark.parametrize("fmt", ["m365", "consumption"])
def test_import_takes_at_most_twice_duckdb_and_under_1_gib(measure, fmt):
    ours, duck = measure.compare(fmt, ROWS)
    ratio = ours.seconds / duck.seconds
    print(
        f"\n{fmt:<12}{ours.rows:>12,} rows  import {ours.seconds:6.2f} s"
        f" ({ours.rows / ours.seconds:>10,.0f} rows/s, peak {ours.rss_mib:6.0f} MiB)"
        f"  DuckDB {duck.seconds:6.2f} s (peak {duck.rss_mib:6.0f} MiB)  ratio {ratio:4.2f}"
    )
    assert ours.rows == ROWS
    assert ours.figures == duck.figures  # the same aggregates, or the comparison means nothing
    assert ratio <= MAX_RATIO, f"the import took {ratio:.2f}× DuckDB's time"
    assert ours.rss_mib < MAX_RSS_MIB, f"peak memory {ours.rss_mib:.0f} MiB"


@pytest.mark.parametrize("fmt", ["m365", "consumption"])
def test_memory_does_not_grow_with_the_file(measure, fmt):
    small = measure.ours(fmt, ROWS)
    large = measure.ours(fmt, ROWS_LARGE, repeat=1)
    growth = large.rss_mib / small.rss_mib
    print(
        f"\n{fmt:<12}peak {small.rss_mib:6.0f} MiB at {small.rows:,} rows,"
        f" {large.rss_mib:6.0f} MiB at {large.rows:,} rows ({growth:4.2f}×);"
        f" {large.seconds:6.1f} s ({large.rows / large.seconds:,.0f} rows/s)"
    )
    assert large.rows == ROWS_LARGE
    assert growth <= MAX_GROWTH, f"peak memory grew {growth:.2f}× with the file"
    assert large.rss_mib < MAX_RSS_MIB
