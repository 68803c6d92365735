"""Benchmarks run with `make bench`; they print figures and are not part of `make test`.

Every benchmark records its results with `record`; the session ends with one table of them:
work, ours, floor, ratio, goal and whether the goal was met.
"""

from __future__ import annotations

from dataclasses import dataclass

HEADER = ("work", "ours", "floor", "ratio", "goal", "result")


@dataclass(frozen=True)
class Row:
    work: str
    ours: str
    floor: str
    ratio: str
    goal: str
    passed: bool | None  # None: no goal, the figure is for comparison between runs


RESULTS: list[Row] = []
_RESULT = {True: "pass", False: "FAIL", None: "-"}


def record(work: str, ours: str, floor: str, ratio: str, goal: str, passed: bool | None) -> None:
    """Add one line to the table printed at the end of the session."""
    RESULTS.append(Row(work, ours, floor, ratio, goal, passed))


def table(rows: list[Row]) -> list[str]:
    cells = [HEADER] + [(r.work, r.ours, r.floor, r.ratio, r.goal, _RESULT[r.passed]) for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADER))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return [line.rstrip() for line in lines]


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not RESULTS:
        return
    terminalreporter.section("benchmark results")
    for line in table(RESULTS):
        terminalreporter.write_line(line)
