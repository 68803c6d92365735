"""Run one job and report its own peak memory and wall time.

    python tests/bench/measure.py --report FILE -- COMMAND [ARG ...]

A process started by fork and exec inherits its parent's high-water mark in `ru_maxrss`
(Linux keeps the larger of the old and the new address space's peak across exec), so a job
started straight from a large parent, such as a pytest session that has grown to 1.4 GiB,
reports the parent's size however little the job uses. This launcher is a small process of
its own: it starts the job, waits for it with `wait4` and reads the job's peak resident set
from the kernel's accounting of that one child. The job's figure thus includes at most the
launcher's own size at the fork (about 10 MiB, see `launcher_mib` in the report), never the
size of whoever started the launcher.

The report (JSON, written to FILE) holds: `returncode`, `seconds` (wall time of the job),
`peak_mib` (the job's peak resident set) and `launcher_mib`. The job's standard streams are
passed through untouched.
"""

from __future__ import annotations

import json
import os
import sys
import time


def _own_peak_kib() -> int:
    """This process's VmHWM: the peak of its own address space since exec."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("/proc/self/status has no VmHWM line")


def measure(command: list[str]) -> dict:
    """Run `command` as a child of this process; its exit code, seconds and peak memory."""
    launcher_kib = _own_peak_kib()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: become the job
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _pid, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    return {
        "returncode": os.waitstatus_to_exitcode(status),
        "seconds": seconds,
        # ru_maxrss of one waited-for child, in KiB on Linux.
        "peak_mib": usage.ru_maxrss / 1024,
        "launcher_mib": launcher_kib / 1024,
    }


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[0] != "--report" or argv[2] != "--":
        sys.stderr.write(__doc__ or "")
        return 2
    report, command = argv[1], argv[3:]
    result = measure(command)
    with open(report, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    return 0 if result["returncode"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
