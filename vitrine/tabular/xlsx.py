"""Workbooks (XLSX) read in a child process with limits on memory and time.

The child (`vitrine.tabular.xlsx_child`, started by exec, never by fork alone) inflates and
parses the workbook and writes the chosen sheet's rows as CSV with their row numbers. If it
runs out of its memory or time it ends, and the file is refused saying which bound it needed
more than; the web or worker process that asked never holds the workbook's XML.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .limits import MB, ReadLimits
from .problems import TableError, megabytes
from .text import too_many_rows

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass
class SheetFile:
    """One sheet as CSV: every record is the row number, then the cells from column A."""

    path: Path
    sheet: str
    rows: int
    keep: Any  # the temporary folder holding `path`


def read_xlsx(source: bytes | Path, *, sheet: str | None, limits: ReadLimits) -> SheetFile:
    folder = tempfile.TemporaryDirectory(prefix="vitrine-xlsx-")
    try:
        if isinstance(source, bytes):
            workbook = Path(folder.name) / "workbook.xlsx"
            workbook.write_bytes(source)
        else:
            workbook = source
        output = Path(folder.name) / "sheet.csv"
        result = _run_child(workbook, output, sheet=sheet, limits=limits)
    except BaseException:
        folder.cleanup()
        raise
    return SheetFile(path=output, sheet=result["sheet"], rows=result["rows"], keep=folder)


def _run_child(workbook: Path, output: Path, *, sheet: str | None, limits: ReadLimits) -> dict:
    command = [
        sys.executable,
        "-m",
        "vitrine.tabular.xlsx_child",
        str(workbook),
        str(output),
        f"--max-rows={limits.max_rows}",
        f"--max-columns={limits.max_columns}",
        f"--max-unpacked={limits.xlsx_max_unpacked}",
        f"--max-members={limits.xlsx_max_members}",
        f"--max-ratio={limits.xlsx_max_ratio}",
        f"--memory-mb={limits.xlsx_memory_mb}",
        f"--cpu-seconds={limits.xlsx_seconds}",
    ]
    if sheet is not None:
        command.append(f"--sheet={sheet}")
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "LC_ALL": "C.UTF-8",
    }
    try:
        child = subprocess.run(  # noqa: S603 - our own module, arguments as a list
            command,
            capture_output=True,
            timeout=limits.xlsx_seconds,
            env=environment,
            cwd=str(ROOT),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise _too_slow(limits) from None
    try:
        result = json.loads(child.stdout.decode("utf-8").strip().splitlines()[-1])
    except (ValueError, IndexError, UnicodeDecodeError):
        result = None
    if child.returncode == 0 and result and result.get("ok"):
        return result
    if isinstance(result, dict) and result.get("error"):
        raise _message(result, limits)
    if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise _too_slow(limits)  # the CPU limit: SIGXCPU, then SIGKILL
    if child.returncode < 0:
        raise _too_big(limits)  # an allocation failed outside Python (abort)
    raise TableError(_("The workbook cannot be read: the file is damaged."))


def _too_slow(limits: ReadLimits) -> TableError:
    return TableError(
        _(
            "The workbook needs more than %(seconds)s seconds to read (setting "
            "IMPORT_XLSX_SECONDS). Save the sheet as CSV (UTF-8) and import that."
        )
        % {"seconds": limits.xlsx_seconds}
    )


def _too_big(limits: ReadLimits) -> TableError:
    return TableError(
        _(
            "The workbook needs more than %(size)s MB of memory to read (setting "
            "IMPORT_XLSX_MEMORY_MB). Save the sheet as CSV (UTF-8) and import that."
        )
        % {"size": limits.xlsx_memory_mb}
    )


def _message(result: dict, limits: ReadLimits) -> TableError:
    code = result["error"]
    if code == "memory":
        return _too_big(limits)
    if code in ("not-zip", "not-xlsx"):
        return TableError(_("The file is not a valid XLSX workbook."))
    if code == "members":
        return TableError(
            _("The workbook consists of %(count)s parts, more than the %(limit)s allowed.")
            % {"count": result["count"], "limit": result["limit"]}
        )
    if code == "unpacked":
        return TableError(
            _(
                "The workbook unpacks to more than %(limit)s MB, the most allowed (setting "
                "IMPORT_XLSX_MAX_UNPACKED_MB); it is refused as a possible zip bomb. Save the "
                "sheet as CSV (UTF-8) and import that."
            )
            % {"limit": megabytes(limits.xlsx_max_unpacked)}
        )
    if code == "ratio":
        return TableError(
            _(
                "The workbook part %(part)s is compressed more than %(ratio)s to 1, which "
                "ordinary workbooks never are; it is refused as a possible zip bomb."
            )
            % {"part": result["part"], "ratio": result["ratio"]}
        )
    if code == "lying":
        return TableError(
            _(
                "The workbook part %(part)s unpacks to more than the %(size)s bytes its archive "
                "declares; it is refused as a zip bomb."
            )
            % {"part": result["part"], "size": f"{result['declared']:,}"}
        )
    if code == "encrypted":
        return TableError(_("The workbook is protected by a password. Save it without one."))
    if code == "entities":
        return TableError(
            _("The workbook part %(part)s declares XML entities; it is refused.")
            % {"part": result["part"]}
        )
    if code == "no-sheets":
        return TableError(_("The workbook has no worksheet."))
    if code == "no-sheet":
        return TableError(
            _("The workbook has no sheet named “%(sheet)s”; it has: %(names)s.")
            % {"sheet": result["sheet"], "names": ", ".join(result["names"])}
        )
    if code == "chart":
        return TableError(
            _("The sheet “%(sheet)s” is a chart, not a table. Choose a worksheet.")
            % {"sheet": result["sheet"]}
        )
    if code == "columns":
        return TableError(
            _(
                "Cell %(cell)s lies beyond column %(limit)s, the last one read. Delete what "
                "stands there, or save the sheet as CSV."
            )
            % {"cell": result["cell"], "limit": result["limit"]}
        )
    if code == "rows":
        return TableError(too_many_rows(limits.max_rows, limits.rows_setting), row=result["row"])
    if code == "empty":
        return TableError(_("The file is empty."))
    return TableError(
        _("The workbook cannot be read: the file is damaged (part %(part)s).")
        % {"part": result.get("part", "?")}
    )


__all__ = ["MB", "SheetFile", "read_xlsx"]
