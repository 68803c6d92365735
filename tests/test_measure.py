"""The benchmark's memory figures: each job's own peak, whatever the size of its starter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

MEASURE = Path(__file__).resolve().parent / "bench" / "measure.py"
MIB = 1 << 20
# A job that holds 200 MiB of written (so resident) bytes, then reports its own ru_maxrss.
JOB = """
import resource, sys
block = b"j" * (200 << 20)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def _measured(tmp_path: Path, *command: str) -> dict:
    report = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, str(MEASURE), "--report", str(report), "--", *command],
        capture_output=True,
        text=True,
        check=False,
    )
    return json.loads(report.read_text()) | {"exit": result.returncode, "out": result.stdout}


def test_a_job_reports_its_own_peak_while_the_parent_is_larger(tmp_path):
    parent = b"p" * (500 * MIB)  # written, so resident in this process before the job starts
    measured = _measured(tmp_path, sys.executable, "-c", JOB)
    assert len(parent) == 500 * MIB
    assert measured["returncode"] == 0 and measured["exit"] == 0
    assert 200 <= measured["peak_mib"] <= 260, measured
    # Started straight from this process, the job's own ru_maxrss carries this process's
    # peak: the figure the launcher exists to avoid.
    direct = subprocess.run([sys.executable, "-c", JOB], capture_output=True, text=True)
    assert int(direct.stdout) >= 500, direct.stdout
    assert measured["launcher_mib"] < 60
    assert measured["seconds"] > 0


def test_a_small_job_is_not_charged_with_the_parent(tmp_path):
    parent = b"p" * (500 * MIB)
    measured = _measured(tmp_path, sys.executable, "-c", "pass")
    assert len(parent) == 500 * MIB
    assert measured["peak_mib"] < 60, measured


def test_a_failing_job_reports_its_exit_code(tmp_path):
    measured = _measured(tmp_path, sys.executable, "-c", "raise SystemExit(3)")
    assert measured["returncode"] == 3
    assert measured["exit"] == 1


def test_a_missing_command_is_reported_not_hidden(tmp_path):
    measured = _measured(tmp_path, str(tmp_path / "no-such-program"))
    assert measured["returncode"] == 127
